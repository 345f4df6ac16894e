"""Teaching commands of the command line: ``esm params``, ``esm compare``, ``esm explain``."""

from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest

import esm
from esm import cli
from esm import compare as cmp

DEFAULTS = esm.params.defaults()


def _main(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("esm: error: "), err
    return lines[0]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _rows(out: str, first: str) -> list[list[str]]:
    """Whitespace-split lines of ``out`` whose first field is ``first``."""
    return [line.split() for line in out.splitlines() if line.split()[:1] == [first]]


# ------------------------------------------------------------------------------ esm params
def test_params_pattern_lists_units_and_bounds():
    status, out, err = _main(["params", "q10"])
    assert status == 0, err
    (row,) = _rows(out, "respiration_q10")
    prm = esm.params.PARAMETERS["respiration_q10"]
    assert prm.units == "1" and prm.bounds == (1.0, 4.0)
    assert row[:5] == ["respiration_q10", f"{prm.default:.4g}", "1", "[1,", "4]"]
    assert row[5:7] == ["Q10", "of"]  # the description follows in the same line
    assert out.splitlines()[0].startswith("esm params: 3 of ")


def test_params_glob_and_width():
    status, out, _ = _main(["params", "ocean_*"])
    assert status == 0
    listed = {line.split()[0] for line in out.splitlines() if line[:1].isalpha()} - {"esm", "name"}
    table = esm.params.table()
    assert listed == {n for n in table.index if n.startswith("ocean_")}
    status, out, _ = _main(["params"])
    lines = out.splitlines()
    assert status == 0 and max(len(line) for line in lines) <= cli.PARAMS_WIDTH
    names = {line.split()[0] for line in lines[3:] if line[:1].isalpha()}
    assert names == set(table.index)


def test_params_switches_lists_every_switch_with_what_off_does():
    status, out, err = _main(["params", "--switches"])
    assert status == 0, err
    table = esm.params.table()
    switches = table[table["group"] == "switches"]
    listed = [line.split()[0] for line in out.splitlines()[2:] if line[:1].isalpha()]
    assert listed == list(switches.index)
    flat = _flat(out)
    for name, row in switches.iterrows():
        on, off = row["description"].split("; 0: ")
        assert f"{name} 1 on (1): {_flat(on.removeprefix('1: '))}" in flat
        assert f"off (0): {_flat(off)}" in flat


def test_params_unknown_group_and_no_match():
    status, _, err = _main(["params", "--group", "oceans"])
    groups = ", ".join(dict.fromkeys(esm.params.table()["group"]))
    assert status == 2
    assert _one_error_line(err) == f"esm: error: params: unknown group 'oceans'; groups: {groups}"
    status, out, _ = _main(["params", "zebra", "--group", "land"])
    assert status == 0
    assert out == (
        "esm params: no parameter in group land matches 'zebra'; run 'esm params' without a "
        "pattern to list them all\n"
    )


def test_params_csv_has_every_column(tmp_path):
    path = tmp_path / "land.csv"
    status, out, _ = _main(["params", "--group", "LAND", "--csv", path])
    table = esm.params.table()
    land = table[table["group"] == "land"]
    assert status == 0 and out == f"wrote table: {path} ({len(land)} parameters)\n"
    back = pd.read_csv(path, index_col="name", keep_default_na=False)
    assert list(back.columns) == list(table.columns)
    assert list(back.index) == list(land.index)
    assert back["default"].tolist() == land["default"].tolist()
    assert back["source"].tolist() == land["source"].tolist()


# ------------------------------------------------------------------------------ esm compare
@pytest.fixture(scope="module")
def ssp_runs():
    return {s: esm.run(s, end=2100) for s in ("ssp126", "ssp585")}


def _table_row(out: str, quantity: str, year: int) -> list[str]:
    """[A, B, B-A] of the ``esm compare`` table."""
    for line in out.splitlines():
        if line.startswith(quantity + " ") and line.split()[-4] == str(year):
            return line.split()[-3:]
    raise AssertionError(f"no {quantity} {year} row in:\n{out}")


def test_compare_difference_equals_independent_runs(ssp_runs):
    status, out, err = _main(["compare", "ssp126", "ssp585", "--end", "2100"])
    assert status == 0, err
    assert out.splitlines()[:4] == [
        "esm compare, 1750-2100",
        "  A: ssp126, default parameters",
        "  B: ssp585, default parameters",
        "quantity                        year           A          B        B-A",
    ]
    a, b = ssp_runs["ssp126"], ssp_runs["ssp585"]
    for var, quantity, fmt in (("gsat", "GSAT [K]", ".2f"), ("co2", "CO2 [ppm]", ".1f")):
        for year in (2030, 2050, 2100):
            va, vb = float(a[var].sel(year=year)), float(b[var].sel(year=year))
            assert _table_row(out, quantity, year) == [
                f"{va:{fmt}}",
                f"{vb:{fmt}}",
                f"{vb - va:+{fmt}}",
            ]
    assert _table_row(out, "land sink [GtC/yr]", 2100)[2].startswith("+")


def test_compare_dataset(ssp_runs):
    ds = cmp.compare("ssp126", "ssp585", end=2100)
    assert list(ds["run"].values) == ["A", "B"]
    assert list(ds["scenario"].values) == ["ssp126", "ssp585"]
    diff = ssp_runs["ssp585"]["gsat"] - ssp_runs["ssp126"]["gsat"]
    assert (ds["gsat_difference"] == diff).all()
    assert ds["gsat_difference"].attrs["units"] == "K"
    assert ds.attrs["label_b"] == "B: ssp585, default parameters"
    assert cmp.key_years(ds.sel(year=slice(None, 2040))) == [2030, 2040]


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "ssp245", "ssp245"],
        # a value equal to the default
        [
            "compare",
            "ssp245",
            "ssp245",
            "--set-b",
            f"climate_feedback={DEFAULTS['climate_feedback']!r}",
        ],
        [
            "compare",
            "ssp245",
            "ssp245",
            "--set",
            "respiration_q10=2",
            "--set-a",
            f"npp_pi={DEFAULTS['npp_pi']!r}",
        ],  # fmt: skip
    ],
)
def test_compare_same_scenario_same_parameters_is_an_error(argv):
    status, out, err = _main(argv)
    assert status == 2 and out == ""
    assert _one_error_line(err) == (
        "esm: error: compare: A and B are both ssp245 with the same parameters, so they do not "
        "differ; give two scenarios, or change a parameter of one run (--set-a / --set-b "
        "NAME=VALUE)"
    )


def test_compare_unknown_scenario_fails_before_running():
    status, _, err = _main(["compare", "ssp245", "ssp999"])
    names = ", ".join(esm.scenarios.available())
    assert status == 2
    assert _one_error_line(err) == (
        f"esm: error: compare: unknown scenario 'ssp999'; shipped scenarios: {names}"
    )


@pytest.fixture(scope="module")
def feedback_compare(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    png, csv = tmp / "cmp.png", tmp / "cmp.csv"
    argv = ["compare", "ssp245", "ssp245", "--set-b", "climate_feedback=-1.0"]
    return _main([*argv, "--plot", png, "--csv", csv]), png, csv


def test_compare_weaker_feedback_warms(feedback_compare):
    (status, out, err), png, csv = feedback_compare
    assert status == 0, err
    lines = out.splitlines()
    assert lines[1:3] == ["  A: ssp245, default parameters", "  B: ssp245, climate_feedback=-1"]
    a, b, d = _table_row(out, "GSAT [K]", 2100)
    assert float(d) > 0.3 and float(b) > float(a)
    assert lines[-2:] == [f"wrote table: {csv}", f"wrote figure: {png}"]
    gsat_a = float(esm.run("ssp245")["gsat"].sel(year=2100))
    gsat_b = float(esm.run("ssp245", {"climate_feedback": -1.0})["gsat"].sel(year=2100))
    assert d == f"{gsat_b - gsat_a:+.2f}"
    table = pd.read_csv(csv, float_precision="round_trip").set_index(["variable", "year"])
    assert table.loc[("gsat", 2100), "B-A"] == gsat_b - gsat_a
    assert table.loc[("gsat", 2100), "units"] == "K"


def test_compare_figure_two_rows(feedback_compare):
    (status, _, _), png, _ = feedback_compare
    assert status == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    ds = cmp.compare("ssp245", "ssp245", params_b={"climate_feedback": -1.0}, end=2030)
    fig = cmp.plot_compare(ds)
    rows = sorted(ax.get_subplotspec().rowspan.start for ax in fig.axes)
    assert rows == [0, 0, 0, 0, 1, 1, 1, 1]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["A: ssp245, default parameters", "B: ssp245, climate_feedback=-1"]
    titles = [ax.get_title(loc="left") for ax in fig.axes[4:]]
    assert all(t.split(" ", 1)[1].startswith("B minus A: ") for t in titles)
    # same emissions in both runs: the last column shows the sinks, not cumulative emissions
    assert fig.axes[3].get_title(loc="left") == "(d) Natural CO$_2$ sinks"


# ------------------------------------------------------------------------------ esm explain
def test_explain_feedbacks_table(tmp_path):
    feedbacks = pytest.importorskip("esm.feedbacks")
    png = tmp_path / "fb.png"
    status, out, err = _main(["explain", "feedbacks", "ssp245", "--year", "2100", "--plot", png])
    assert status == 0, err
    assert out.splitlines()[0] == "esm explain feedbacks: ssp245 in 2100, parameters: defaults"
    assert out.splitlines()[-1] == f"wrote figure: {png}"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ds = feedbacks.decompose("ssp245", year=2100)
    reference = esm.run("ssp245")
    flat = _flat(out)
    for name, switch, explanation in zip(
        ds["feedback"].values, ds["switch"].values, ds["explanation"].values, strict=True
    ):
        (row,) = _rows(out, str(name))
        without = esm.run("ssp245", {str(switch): 0.0})
        co2, gsat = (
            float(reference[v].sel(year=2100) - without[v].sel(year=2100)) for v in ("co2", "gsat")
        )
        assert row[1:3] == [f"{co2:+.1f}", f"{gsat:+.2f}"], name
        assert _flat(str(explanation)) in flat
    (total,) = [line for line in out.splitlines() if line.startswith("all feedbacks together")]
    switches = {str(s): 0.0 for s in ds["switch"].values}
    all_off = esm.run("ssp245", switches)
    co2 = float(reference["co2"].sel(year=2100) - all_off["co2"].sel(year=2100))
    assert total.split()[3] == f"{co2:+.1f}"


@pytest.mark.filterwarnings("ignore:run\\(s\\) co2_fertilisation:RuntimeWarning")
def test_explain_tcre_reference_equals_metrics():
    feedbacks = pytest.importorskip("esm.feedbacks")
    from esm import metrics

    status, out, err = _main(["explain", "feedbacks", "--tcre"])
    assert status == 0, err
    assert all(line.startswith("esm: warning: ") for line in err.splitlines()), err
    lines = out.splitlines()
    start = lines.index("switched off               TCRE   change")
    tcre = float(metrics.table().loc["tcre", "value"])
    assert lines[start + 1].split() == ["none", "(reference)", f"{tcre:.2f}", "+0.00"]
    cases = [str(c) for c in feedbacks.decompose_tcre()["case"].values[1:]]
    assert [line.split()[0] for line in lines[start + 2 : start + 2 + len(cases)]] == cases


def test_explain_unknown_topic():
    status, _, err = _main(["explain", "clouds"])
    assert status == 2
    assert _one_error_line(err) == (
        "esm: error: argument TOPIC: invalid choice: 'clouds' (choose from 'feedbacks') "
        "(see 'esm explain --help')"
    )
