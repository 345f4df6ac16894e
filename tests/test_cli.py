"""The ``esm`` command line (esm/cli.py), called in-process and once as a user would."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr

import esm
from esm import cli

REPO = Path(__file__).resolve().parents[1]


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("esm: error: "), err
    return lines[0]


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    """``esm run ssp245 --end 2030 --out --plot`` once: (status, stdout, stderr, nc, png).

    capsys is function-scoped, so this module-scoped fixture redirects the streams itself.
    """
    tmp = tmp_path_factory.mktemp("cli")
    nc, png = tmp / "run.nc", tmp / "run.png"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["run", "ssp245", "--end", "2030", "--out", str(nc), "--plot", str(png)])
    return status, out.getvalue(), err.getvalue(), nc, png


def test_list_scenarios(capsys):
    assert cli.main(["run", "--list"]) == 0
    names = capsys.readouterr().out.split()
    assert "ssp245" in names and "ssp585" in names


def test_help_lists_commands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out


def test_run_writes_netcdf_and_figure(short_run):
    status, out, err, nc, png = short_run
    assert status == 0, err
    assert "2030" in out and "carbon budget 2011-2020" in out and "GSAT 2011-2020" in out
    assert str(nc) in out and str(png) in out
    with xr.open_dataset(nc) as ds:
        assert ds["co2"].attrs["units"] == "ppm"
        assert int(ds["year"][-1]) == 2030
        assert ds.attrs["scenario"] == "ssp245"
    assert png.stat().st_size > 20_000


def test_set_overrides_parameters(capsys):
    argv = ["run", "ssp245", "--end", "1800", "--set", "co2_fertilisation=0.4", "--substeps", "4"]
    assert cli.main(argv) == 0
    assert "co2_fertilisation=0.4" in capsys.readouterr().out


def test_unknown_scenario(capsys):
    assert cli.main(["run", "ssp999", "--end", "2030"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "ssp999" in line and "ssp245" in line


@pytest.mark.parametrize(
    "setting, words",
    [
        ("nonsense=1", ["nonsense"]),
        ("co2_fertilisation=99", ["co2_fertilisation", "range"]),
        ("co2_fertilisation", ["NAME=VALUE"]),
        ("co2_fertilisation=abc", ["not a number"]),
    ],
)
def test_bad_set(capsys, setting, words):
    assert cli.main(["run", "ssp245", "--end", "2030", "--set", setting]) == 2
    line = _one_error_line(capsys.readouterr().err)
    for word in words:
        assert word in line


@pytest.mark.parametrize("option, name", [("--out", "x.nc"), ("--plot", "x.png")])
def test_bad_output_path(capsys, tmp_path, option, name):
    path = tmp_path / "no such folder" / name
    assert cli.main(["run", "ssp245", "--end", "2030", option, str(path)]) == 2
    assert "does not exist" in _one_error_line(capsys.readouterr().err)
    assert not path.exists()


@pytest.mark.parametrize(
    "argv",
    [[], ["run"], ["frobnicate"], ["run", "ssp245", "--end", "soon"], ["run", "ssp245", "--x"]],
)
def test_usage_errors_are_one_line(capsys, argv):
    assert cli.main(argv) == 2
    _one_error_line(capsys.readouterr().err)


def test_module_entry_point():
    path = [str(REPO)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    proc = subprocess.run(
        [sys.executable, "-m", "esm", "run", "--list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ssp245" in proc.stdout.split()


def test_validate_prints_the_target_table(capsys, tmp_path):
    """`esm validate` compares the default history and metrics with validation/targets.csv."""
    from esm import validate

    out_csv = tmp_path / "checks.csv"
    assert cli.main(["validate", "--csv", str(out_csv)]) == 0
    text = capsys.readouterr().out
    table = pd.read_csv(out_csv, index_col=0)
    assert set(table.index) == set(validate.CHECKS) | set(validate.METRIC_CHECKS)
    for name in table.index:
        assert name in text
    ranged = table.dropna(subset=["low", "high"])
    inside = (ranged["low"] <= ranged["model"]) & (ranged["model"] <= ranged["high"])
    assert (inside == ranged["inside"].astype(bool)).all()
    assert f"{int(inside.sum())} inside, {int((~inside).sum())} outside" in text


def test_validate_members_prints_the_peer_comparison(capsys):
    """`esm validate --members N` ends with TCR, TCRE and the airborne fraction of the first N
    posterior members next to FaIR's constrained ensemble, one line per quantity and model."""
    from esm import validate

    assert cli.main(["validate", "--members", "20"]) == 0
    text = capsys.readouterr().out
    assert f"first 20 members next to {validate.PEER_LABEL}" in text
    peer = text.split(f"first 20 members next to {validate.PEER_LABEL}")[1]
    rows = [line.split() for line in peer.splitlines() if line.startswith(validate.PEER_QUANTITIES)]
    assert [r[0] for r in rows] == [q for q in validate.PEER_QUANTITIES for _ in range(2)]
    assert [r[-1] for r in rows] == ["20", "841"] * 3


def test_run_writes_iamc_csv(tmp_path, capsys):
    out = tmp_path / "run.csv"
    assert cli.main(["run", "ssp245", "--end", "2030", "--out", str(out), "--format", "iamc"]) == 0
    df = pd.read_csv(out)
    assert list(df.columns[:5]) == ["Model", "Scenario", "Region", "Variable", "Unit"]
    row = df[df["Variable"] == "Surface Air Temperature Change"]
    assert len(row) == 1 and row["Unit"].item() == "K"
    assert "Atmospheric Concentrations|CO2" in set(df["Variable"])


def test_experiment_metrics_ensemble_china_sensitivity_commands(tmp_path, capsys):
    """The other subcommands run end to end on small configurations."""
    assert cli.main(["experiment", "--list"]) == 0
    assert "esm-flat10-cdr" in capsys.readouterr().out
    assert cli.main(["experiment", "abrupt-2xCO2", "--out", str(tmp_path / "a.nc")]) == 0
    # CF files have a time axis; esm.io.read gives back the year dimension
    assert xr.open_dataset(tmp_path / "a.nc").sizes["time"] == 151
    assert esm.io.read(tmp_path / "a.nc").sizes["year"] == 151
    assert cli.main(["metrics"]) == 0
    assert "tcre" in capsys.readouterr().out
    assert (
        cli.main(
            [
                "ensemble",
                "ssp245",
                "--members",
                "20",
                "--end",
                "2050",
                "--percentiles",
                "5,50,95",
                "--out",
                str(tmp_path / "e.nc"),
            ]
        )
        == 0
    )
    e = xr.open_dataset(tmp_path / "e.nc")
    assert list(e.percentile.values) == [5, 50, 95]
    assert (
        cli.main(["china", "neutral-2060", "--set", "ccus=1.0", "--plot", str(tmp_path / "c.png")])
        == 0
    )
    out = capsys.readouterr().out
    assert "emission reduction" in out and (tmp_path / "c.png").stat().st_size > 20_000
    assert cli.main(["sensitivity", "--output", "tcr", "--method", "morris", "--n", "4"]) == 0
    assert "climate_feedback" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["china", "neutral-2060", "--set", "co2_peak=-3"], "co2_peak = -3.0"),
        (["china", "neutral-2060", "--set", "nonsense=1"], "unknown lever 'nonsense'"),
        (["china", "net-zero"], "unknown China pathway 'net-zero'"),
        (["ensemble", "ssp245", "--percentiles", "5,x"], "--percentiles 5,x"),
        (["experiment", "2pctCO2"], "unknown experiment '2pctCO2'"),
        (["sensitivity", "--plot", "indices.xyz"], "unknown figure format 'xyz'"),
        (["china", "neutral-2060", "--plot", "effect.bad"], "unknown figure format 'bad'"),
    ],
)
def test_subcommand_errors_are_one_line(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err
