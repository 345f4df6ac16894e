"""Output files (esm.io, esm.io.iamc writers): suffix = format, atomic writes that survive Ctrl-C
and failures, CF-1.10 netCDF checked by the CF checker (offline), IAMC layouts."""

from __future__ import annotations

import filecmp
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import china, io, metadata
from esm.iamc import ENSEMBLE_COLUMNS, IAMC_COLUMNS, to_iamc

CF_DATA = Path(__file__).parent / "data" / "cf"

#: Standard names the files may use besides those of metadata.OUTPUTS (coordinates).
COORD_STANDARD_NAMES = {"time", "realization"}


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def run():
    return esm.run("ssp245", end=2030)


@pytest.fixture(scope="module")
def members():
    return esm.ensemble("ssp245", members=4, end=2030, progress=False)


@pytest.fixture(scope="module")
def percentiles():
    return esm.ensemble(
        "ssp245", members=30, end=2030, percentiles=[5, 50, 95], variables=["gsat", "co2"]
    )


@pytest.fixture(scope="module")
def effect():
    return china.effect("neutral-2060", end=2070, members=3)


def _no_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------------------ suffix = format
def test_format_from_suffix():
    assert io.format_of("a/run.nc") == "netcdf"
    assert io.format_of("RUN.NC") == "netcdf"
    assert io.format_of("run.csv") == "iamc"
    assert io.format_of("run.csv.gz") == "iamc"


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        (
            "x.nc",
            "iamc",
            "{}: the suffix names netcdf, not iamc; name the file *.csv or *.csv.gz for iamc",
        ),
        ("x.csv", "netcdf", "{}: the suffix names iamc, not netcdf; name the file *.nc for netcdf"),
        ("x.txt", None, "{}: unknown file suffix; use .nc (netCDF) or .csv / .csv.gz (IAMC CSV)"),
        (".nc", None, "{}: unknown file suffix; use .nc (netCDF) or .csv / .csv.gz (IAMC CSV)"),
        ("x.nc", "grib", "unknown format 'grib'; use 'netcdf' or 'iamc'"),
    ],
)
def test_suffix_and_format_must_agree(tmp_path, run, name, fmt, message):
    target = tmp_path / name
    with pytest.raises(ValueError) as err:
        io.write(run, target, format=fmt)
    assert str(err.value) == message.format(target)
    assert list(tmp_path.iterdir()) == []


def test_writers_refuse_the_other_suffix(tmp_path, run):
    from esm.iamc import write_iamc

    with pytest.raises(ValueError, match=r"x\.nc: an IAMC table must be named \*\.csv"):
        write_iamc(run, tmp_path / "x.nc")
    with pytest.raises(ValueError, match=r"x\.csv: a netCDF file must be named \*\.nc$"):
        io.write_netcdf(run, tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ atomic writes
def test_failure_mid_write_keeps_the_old_file(tmp_path, run, monkeypatch):
    path = tmp_path / "run.nc"
    io.write(run, path)
    before = path.read_bytes()

    def broken(cf, tmp, cancel):
        cf[["co2"]].to_netcdf(tmp)  # a partial file, then the failure
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(io.netcdf, "_write_cf", broken)  # esm/io/netcdf.py
    with pytest.raises(OSError, match=r"^disk full \(simulated\)$"):
        io.write(run, path)
    assert path.read_bytes() == before
    assert _no_temp_files(tmp_path) == []
    with pytest.raises(OSError, match="simulated"):
        io.write(run, tmp_path / "new.nc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.nc"]


def test_iamc_failure_keeps_the_old_file(tmp_path, run, monkeypatch):
    path = tmp_path / "run.csv"
    io.write(run, path)
    before = path.read_bytes()

    def broken(self, target, *args, **kwargs):
        Path(target).write_text("Model,Scenario\nesm,half")
        raise RuntimeError("interrupted (simulated)")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        io.write(run, path)
    assert path.read_bytes() == before
    assert _no_temp_files(tmp_path) == []


def test_new_file_gets_normal_permissions(tmp_path, run):
    path = tmp_path / "run.nc"
    io.write(run, path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


INTERRUPTED_WRITER = textwrap.dedent(
    """
    import signal
    import sys
    import numpy as np
    import xarray as xr
    from esm import io

    # Ctrl-C raises KeyboardInterrupt, as in a terminal (a shell that starts the test suite
    # in the background makes its children ignore SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # a 20 000-member ensemble of 49 variables, 1750-2100 (2.7 GB as netCDF); the variables
    # share one array, so it is built in a moment
    block = np.random.default_rng(0).standard_normal((20_000, 351))
    ds = xr.Dataset(
        {f"v{i:02d}": (("member", "year"), block, {"units": "K"}) for i in range(49)},
        coords={"member": np.arange(20_000), "year": np.arange(1750, 2101)},
        attrs={"scenario": "big"},
    )
    print("writing", flush=True)
    io.write(ds, sys.argv[1])
    print("done", flush=True)
    """
)


def test_ctrl_c_during_a_large_netcdf_write(tmp_path, run):
    path = tmp_path / "big.nc"
    io.write(run, path)
    good = tmp_path / "good.nc"
    good.write_bytes(path.read_bytes())
    script = tmp_path / "writer.py"
    script.write_text(INTERRUPTED_WRITER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "writing\n"
        deadline = time.monotonic() + 60
        while True:  # wait until the temporary file holds 200 MB: mid-write
            temps = _no_temp_files(tmp_path)
            if temps and (tmp_path / temps[0]).stat().st_size > 200e6:
                break
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the write did not start"
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        # a deadlock in the file close (the old failure) never returns; how fast the exit is
        # is measured by benchmarks/bench_interrupt.py
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGINT, err
    assert "KeyboardInterrupt" in err
    assert out == ""  # never reached "done"
    assert filecmp.cmp(path, good, shallow=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.nc", "good.nc", "writer.py"]


def test_keyboard_interrupt_in_main_thread_removes_the_temp_file(tmp_path, monkeypatch):
    """The main thread's KeyboardInterrupt stops the worker and removes the temporary file."""
    path = tmp_path / "x.csv"
    path.write_text("old")
    started = []

    def slow(tmp, cancel):
        Path(tmp).write_text("partial")
        started.append(tmp)
        while not cancel.wait(0.01):
            pass
        raise RuntimeError("stopped")

    real_join = __import__("threading").Thread.join

    def join(self, timeout=None):
        if started and self.name.startswith("esm-write-") and timeout == 0.05:
            raise KeyboardInterrupt
        return real_join(self, timeout)

    monkeypatch.setattr("threading.Thread.join", join)
    with pytest.raises(KeyboardInterrupt):
        io.atomic_write(path, slow)
    assert path.read_text() == "old"
    assert not Path(started[0]).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


# ------------------------------------------------------------------------------ units and names
def _cf_units():
    return pytest.importorskip("cf_units")


def test_every_unit_is_udunits(effect, members):
    cf_units = _cf_units()
    units = {v.units for v in metadata.OUTPUTS.values()} | set(esm.params.table()["units"])
    for ds in (effect, members, china.contribution()):
        units |= {v.attrs["units"] for v in ds.variables.values() if "units" in v.attrs}
    converted = {}
    for unit in sorted(units):
        cf, substance = metadata.cf_units(unit)
        cf_units.Unit(cf)  # raises if UDUNITS cannot parse it
        converted[unit] = (cf, substance)
    assert converted["GtC yr-1"] == ("Gt yr-1", "carbon")
    assert converted["GtCO2"] == ("Gt", "CO2")
    assert converted["Mt CH4 yr-1"] == ("Mt yr-1", "CH4")
    assert converted["W m-2 (Mt NO2 yr-1)-1"] == ("W m-2 (Mt yr-1)-1", "NO2")
    assert converted["ppm"] == ("ppm", None)
    with pytest.raises(ValueError, match="names several substances: CH4, carbon"):
        metadata.cf_units("GtC (Mt CH4)-1")


def _standard_name_table() -> dict[str, str]:
    import xml.etree.ElementTree as ET

    root = ET.parse(CF_DATA / "cf-standard-name-table.xml").getroot()
    return {e.get("id"): e.findtext("canonical_units") for e in root.iter("entry")}


def test_standard_names_exist_with_compatible_units():
    cf_units = _cf_units()
    table = _standard_name_table()
    used = {v.standard_name for v in metadata.OUTPUTS.values() if v.standard_name}
    assert set(table) == used | COORD_STANDARD_NAMES  # the fixture holds exactly these
    for name, var in metadata.OUTPUTS.items():
        if var.standard_name:
            unit = cf_units.Unit(metadata.cf_units(var.units)[0])
            assert unit.is_convertible(cf_units.Unit(table[var.standard_name])), name
    assert metadata.OUTPUTS["co2"].standard_name == "mole_fraction_of_carbon_dioxide_in_air"
    assert metadata.OUTPUTS["toa_imbalance"].standard_name == "toa_net_downward_radiative_flux"


# ------------------------------------------------------------------------------ CF-1.10 files
def test_to_cf_time_axis(run):
    cf = io.to_cf(run, history="test")
    assert "year" in run.dims and "time" not in run.dims  # the in-memory Dataset is unchanged
    assert cf["time"].dims == ("time",) and cf.sizes["time"] == run.sizes["year"]
    assert cf["time"].attrs == {
        "standard_name": "time",
        "long_name": "time (middle of the year)",
        "units": "days since 1750-01-01",
        "calendar": "proleptic_gregorian",
        "axis": "T",
        "bounds": "time_bnds",
    }
    assert cf["time_bnds"].values[:2].tolist() == [[0.0, 365.0], [365.0, 730.0]]
    assert cf["time"].values[:2].tolist() == [182.5, 547.5]
    i2000 = int(np.nonzero(run["year"].values == 2000)[0][0])
    days = (np.datetime64("2000-01-01") - np.datetime64("1750-01-01")).astype(int)
    assert cf["time_bnds"].values[i2000].tolist() == [days, days + 366]  # leap year
    assert cf["year"].values.tolist() == run["year"].values.tolist()
    assert cf["ocean_sink"].attrs["units"] == "Gt yr-1"
    assert cf["ocean_sink"].attrs["esm_units"] == "GtC yr-1"
    assert cf["ocean_sink"].attrs["long_name"].endswith("(mass of carbon)")
    assert cf["ocean_sink"].attrs["cell_methods"] == "time: mean"
    assert cf["gsat"].attrs["cell_methods"] == "area: mean time: mean"
    assert cf["gsat"].attrs["standard_name"] == "air_temperature_anomaly"
    assert "cell_methods" not in cf["co2_end"].attrs
    assert cf.attrs["Conventions"] == "CF-1.10"
    assert cf.attrs["history"].endswith("(esm.io.write_netcdf); test")


def _global_attrs_ok(ds: xr.Dataset) -> None:
    for key in ("title", "institution", "source", "model", "version", "scenario"):
        assert isinstance(ds.attrs[key], str) and ds.attrs[key], key
    assert ds.attrs["Conventions"] == "CF-1.10"
    assert ds.attrs["source"] == f"esm {ds.attrs['version']}"
    assert "parameters" in ds.attrs and "references" in ds.attrs
    assert "written by esm" in ds.attrs["history"]


def test_round_trip(tmp_path, run):
    path = tmp_path / "run.nc"
    io.write(run, path)
    with xr.open_dataset(path) as back:
        assert back["year"].dims == ("time",)
        assert back["year"].values.tolist() == run["year"].values.tolist()
        assert back["time"].values[0] == np.datetime64("1750-07-02T12:00")
        for name in run.data_vars:
            np.testing.assert_array_equal(back[name].values, run[name].values)
        _global_attrs_ok(back)
        assert back.attrs["scenario"] == "ssp245"
        assert back.attrs["parameters"] == "none (defaults)"
    again = io.read(path)
    assert again["year"].dtype == run["year"].dtype
    xr.testing.assert_equal(again.drop_attrs(), run.drop_attrs())
    assert again["ocean_sink"].attrs["units"] == "GtC yr-1"


def test_ensemble_files_round_trip(tmp_path, members, percentiles, effect):
    for name, ds in (("m.nc", members), ("p.nc", percentiles), ("c.nc", effect)):
        io.write(ds, tmp_path / name)
        back = io.read(tmp_path / name)
        xr.testing.assert_equal(back.drop_attrs(), ds.drop_attrs())
    with xr.open_dataset(tmp_path / "m.nc") as m:
        assert m["member"].attrs["standard_name"] == "realization"
        assert m["member"].values.tolist() == members["member"].values.tolist()
        _global_attrs_ok(m)
    with xr.open_dataset(tmp_path / "c.nc") as c:
        assert c["case_name"].values.tolist() == effect["case"].values.tolist()
        levers = json.loads(c.attrs["levers"])
        assert levers["co2_decline"] == "cosine" and c.attrs["lever_co2_decline"] == "cosine"
        assert c.attrs["lever_co2_target_year"] == levers["co2_target_year"] == 2060
        _global_attrs_ok(c)


def test_attribute_values():
    assert io.attr_value({"a": 1, "b": [1, 2]}) == '{"a": 1, "b": [1, 2]}'
    assert io.attr_value(True) == "true" and io.attr_value(None) == "null"
    assert io.attr_value(["x", "y"]) == '["x", "y"]'
    assert io.attr_value([]) == "[]"
    assert io.attr_value([2016, 2017]).tolist() == [2016, 2017]
    assert io.attr_value("text") == "text" and io.attr_value(1.5) == 1.5
    with pytest.raises(TypeError, match="attribute value .* of type object cannot be written"):
        io.attr_value(object())


CF_CHECK = textwrap.dedent(
    """
    import ctypes.util
    import glob
    import json
    import os
    import sys
    from pathlib import Path

    # cfchecker's unit library cfunits loads the UDUNITS-2 C library; where the system has
    # none, use the copy bundled with cf_units and its XML unit database (one line per
    # import: UDUNITS' parser crashes on the same XML without line breaks)
    if ctypes.util.find_library("udunits2") is None:
        import cf_units

        site = Path(cf_units.__file__).parent
        libs = glob.glob(str(site.parent / "cf_units.libs" / "libudunits2*"))
        if not libs:
            sys.exit("cfchecker needs the UDUNITS-2 library (libudunits2)")
        share = site / "etc" / "share"
        parts = "".join(
            f"  <import>{share / f'udunits2-{p}.xml'}</import>\\n"
            for p in ("prefixes", "base", "derived", "accepted", "common")
        )
        xml = Path(sys.argv[2]) / "udunits2.xml"
        head = '<?xml version="1.0" encoding="US-ASCII"?>\\n<unit-system>\\n'
        xml.write_text(f"{head}{parts}</unit-system>\\n")
        os.environ["UDUNITS2_XML_PATH"] = str(xml)
        find = ctypes.util.find_library
        ctypes.util.find_library = lambda name: libs[0] if name == "udunits2" else find(name)

    from cfchecker import cfchecks

    version = cfchecks.CFVersion((1, 10))
    cfchecks.cfVersions.append(version)
    tables = Path(sys.argv[1])
    checker = cfchecks.CFChecker(
        cfStandardNamesXML=str(tables / "cf-standard-name-table.xml"),
        cfAreaTypesXML=str(tables / "area-type-table.xml"),
        cfRegionNamesXML=str(tables / "standardized-region-list.xml"),
        version=version,
        silent=True,
    )
    messages = []
    for path in sys.argv[3:]:
        checker.checker(path)
        res = checker.results
        for where, r in [("global", res["global"]), *res["variables"].items()]:
            for cat in ("FATAL", "ERROR", "WARN", "INFO"):
                messages += [f"{Path(path).name} {where} {cat}: {m}" for m in r[cat]]
    versions = [m for m in checker.results["global"]["VERSION"] if "Table Version" in m]
    print(json.dumps({"messages": messages, "totals": checker.get_total_counts(), "v": versions}))
    """
)


def test_cf_checker(tmp_path, run, members, percentiles, effect):
    """cfchecker 4.1.0 implements the rules up to CF-1.8 and reports a Conventions value it
    does not list as an error; CF-1.9 and CF-1.10 add no rule these files could break, so
    CF-1.10 is registered as a version checked with those rules. The tables come from
    tests/data/cf (offline). It runs in a subprocess: cfunits and cf_units must not share
    one UDUNITS library in a process (segmentation fault)."""
    pytest.importorskip("cfchecker")
    single = china.effect("neutral-2060", end=2070)
    files = {
        "run.nc": run,
        "members.nc": members,
        "percentiles.nc": percentiles,
        "china.nc": effect,
        "china1.nc": single,
    }
    for name, ds in files.items():
        io.write(ds, tmp_path / name)
    script = tmp_path / "check.py"
    script.write_text(CF_CHECK)
    paths = [str(tmp_path / name) for name in files]
    proc = subprocess.run(
        [sys.executable, str(script), str(CF_DATA), str(tmp_path), *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["messages"] == []
    assert result["totals"] == {"FATAL": 0, "ERROR": 0, "WARN": 0, "INFO": 0, "VERSION": 30}
    assert result["v"][0].startswith("Using Standard Name Table Version 93")


# ------------------------------------------------------------------------------ IAMC
def test_iamc_single_run_layout(tmp_path, run):
    df = io.write(run, tmp_path / "run.csv.gz")
    assert list(df.columns[:5]) == list(IAMC_COLUMNS)
    back = pd.read_csv(tmp_path / "run.csv.gz", float_precision="round_trip")
    back.columns = [*back.columns[:5], *(int(c) for c in back.columns[5:])]
    pd.testing.assert_frame_equal(back, df, check_exact=True)


def test_iamc_ensemble_layout(members, percentiles):
    df = to_iamc(members, variables=["gsat", "co2"])
    assert list(df.columns[:7]) == [*ENSEMBLE_COLUMNS, "run_id"]
    assert df.columns[7] == 1750 and df.columns[-1] == 2030
    assert set(df["scenario"]) == {"ssp245"}
    assert set(df["climate_model"]) == {f"esm {members.attrs['esm_version']}"}
    assert df["run_id"].tolist() == [*members["member"].values.tolist()] * 2
    gsat = df[df["variable"] == "Surface Air Temperature Change"]
    np.testing.assert_array_equal(gsat.iloc[:, 7:].to_numpy(float), members["gsat"].values)
    q = to_iamc(percentiles)
    assert list(q.columns[:7]) == [*ENSEMBLE_COLUMNS, "quantile"]
    assert q["quantile"].tolist() == [0.05, 0.5, 0.95, 0.05, 0.5, 0.95]
    with pytest.raises(ValueError, match=r"gsat has dimensions \('case', 'year'\)"):
        to_iamc(members[["gsat"]].isel(member=0).expand_dims(case=["a"]))


def test_iamc_readers_accept_both_layouts(tmp_path, run, members, percentiles):
    """pyam reads every table; scmdata reads every file (lowercase_cols=True for the IAMC
    columns of a single run) and the ensemble tables directly (lower-case columns)."""
    pyam = pytest.importorskip("pyam")
    scmdata = pytest.importorskip("scmdata")
    for name, ds in (("run.csv", run), ("members.csv", members), ("pct.csv", percentiles)):
        df = io.write(ds, tmp_path / name, variables=["gsat", "co2"])
        assert len(pyam.IamDataFrame(df).timeseries()) == len(df)
        assert len(pyam.IamDataFrame(str(tmp_path / name)).timeseries()) == len(df)
        runs = scmdata.ScmRun(str(tmp_path / name), lowercase_cols=True)
        assert len(runs.timeseries()) == len(df)
        if ds is not run:
            assert len(scmdata.ScmRun(df).timeseries()) == len(df)
    runs = scmdata.ScmRun(to_iamc(members, variables=["gsat"]))
    assert sorted(runs.get_unique_meta("run_id")) == members["member"].values.tolist()
    quantiles = scmdata.ScmRun(to_iamc(percentiles, variables=["gsat"]))
    assert sorted(quantiles.get_unique_meta("quantile")) == [0.05, 0.5, 0.95]
