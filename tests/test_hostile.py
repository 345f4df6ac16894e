"""Hostile inputs, as a new user brings them: every case has one exact outcome.

Each row of :data:`CASES` is ``(id, action, expected)``. ``action(ctx)`` does what the user does
(``ctx`` holds a temporary folder and shared inputs); ``expected`` is one of

* ``Raises(type, regex)``: a clear error of that type whose one-line message matches;
* ``Warns(regex, check)``: a result, with a warning matching ``regex``, and ``check(result)``;
* ``Ok(check)``: a result without any warning from esm, and ``check(result)``;
* ``Exits(status, regex)``: the command line (``esm ...``) exits with ``status`` and prints one
  line to stderr matching ``regex``.

The cases cover the measured failures of the "users' own scenarios" issue (silent wrong results,
unclear errors, tracebacks, lost data) and more. Checks that need a number compare against an
independent run of the model (a full scenario, a separate run), never against a stored copy.
"""

from __future__ import annotations

import gzip
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import cli, ensembles, iamc
from esm import io as esm_io
from esm.scenarios.iamc import SPECIES_VARIABLES


@dataclass(frozen=True)
class Raises:
    type: type
    match: str


@dataclass(frozen=True)
class Warns:
    match: str
    check: Callable[[Any], bool] = lambda r: True


@dataclass(frozen=True)
class Ok:
    check: Callable[[Any], bool] = lambda r: True


@dataclass(frozen=True)
class Exits:
    status: int
    match: str


class Ctx:
    """What a case may use: a temporary folder and shared, read-only inputs."""

    def __init__(self, tmp: Path, base: xr.Dataset, monkeypatch):
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        self._base = base

    @property
    def ds(self) -> xr.Dataset:
        """SSP2-4.5 1750-2100 as a scenario Dataset (a fresh copy)."""
        return self._base.copy(deep=True)

    def file(self, name: str, content: bytes | str) -> Path:
        path = self.tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def iamc(self, start=2015, end=2100, years=None, **changes) -> pd.DataFrame:
        """SSP2-4.5 as an IAMC wide table (RCMIP names and units)."""
        ds = self._base
        years = list(range(start, end + 1)) if years is None else years
        rows = [
            ["IAM", "SSP2", "World", var, ds[sp].attrs["units"], *ds[sp].sel(year=years).values]
            for sp, var in SPECIES_VARIABLES.items()
        ]
        df = pd.DataFrame(rows, columns=["Model", "Scenario", "Region", "Variable", "Unit", *years])
        for key, value in changes.items():
            df[key] = value
        return df


def full_gsat_2100() -> float:
    return float(esm.run("ssp245", variables=["gsat"]).gsat.sel(year=2100))


def _cut(ctx, start=2015):
    return ctx.ds.sel(year=slice(start, None))


def _with(ds, **values):
    for name, value in values.items():
        ds[name] = value
    return ds


def _nan_in(ctx, species, year):
    ds = ctx.ds
    ds[species].loc[year] = np.nan
    return esm.run(ds)


def _set(ctx, species, year, value):
    ds = ctx.ds
    ds[species].loc[year:] = value
    return ds


def _scaled(ctx, factor, *species):
    ds = ctx.ds
    for s in species:
        ds[s].values[:] *= factor
    return ds


def _two_scenarios(ctx):
    a = esm.scenarios.load("ssp126", end=2100)
    b = esm.scenarios.load("ssp585", end=2100)
    return xr.concat([a, b], dim=xr.DataArray(["ssp126", "ssp585"], dims="scenario"))


def _same_as_separate_runs(out) -> bool:
    return out.gsat.dims == ("scenario", "year") and all(
        float(out.gsat.sel(scenario=s, year=2100))
        == float(esm.run(s, variables=["gsat"]).gsat.sel(year=2100))
        for s in ("ssp126", "ssp585")
    )


def _extreme_percentiles_equal_member_range(ctx):
    pct = esm.ensemble("ssp245", members=30, percentiles=[0, 100], variables=["gsat"], end=2100)
    full = esm.ensemble("ssp245", members=30, variables=["gsat"], end=2100)
    return pct, full


def _copied_chunk(ctx):
    store = ctx.tmp / "store"
    kw = dict(members=30, variables=["gsat"], end=1900, chunk_size=10, store=store)
    first = esm.ensemble("ssp245", **kw)
    files = sorted(store.glob("*.nc"))
    files[2].write_bytes(files[1].read_bytes())
    return first, esm.ensemble("ssp245", **kw)


def _small_memory(ctx, argv=None):
    ctx.monkeypatch.setattr(ensembles, "available_memory", lambda: 2 * 1024**3)
    if argv is not None:
        return cli.main(argv)
    return esm.ensemble("ssp245", members=1_000_000)


def _interrupted_write_keeps_old_file(ctx):
    path = ctx.tmp / "run.nc"
    ds = esm.run("ssp245", end=1800, variables=["gsat"])
    esm_io.write(ds, path)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    ctx.monkeypatch.setattr(xr.Dataset, "to_netcdf", broken)
    try:
        esm_io.write(ds.assign(gsat=ds.gsat + 1), path)
    except OSError:
        pass
    leftovers = [p.name for p in ctx.tmp.iterdir() if p.name != "run.nc"]
    return path.read_bytes() == before and not leftovers


def _read(ctx, name, content):
    return esm.read_scenario(ctx.file(name, content))


def _xlsx_named_csv(ctx):
    path = ctx.tmp / "book.xlsx"
    ctx.iamc(start=2015, end=2020).to_excel(path, index=False)
    return esm.read_scenario(ctx.file("book.csv", path.read_bytes()))


def _long(ctx):
    wide = ctx.iamc(start=1750, end=2100)
    long = wide.melt(
        id_vars=["Model", "Scenario", "Region", "Variable", "Unit"], var_name="Year"
    ).rename(columns={"value": "Value"})
    path = ctx.tmp / "long.csv"
    long.to_csv(path, index=False)
    return esm.read_scenario(path)


def _rcmip_10_yearly(ctx):
    years = [*range(1750, 2016), 2020, 2030, 2040, 2050]
    df = ctx.iamc(years=years)
    df.insert(0, "Mip_Era", "CMIP6")
    path = ctx.tmp / "rcmip.csv"
    df.to_csv(path, index=False)
    return esm.read_scenario(path)


def _with_text(df, variable, year, text):
    df = df.astype({year: object})
    df.loc[df["Variable"] == variable, year] = text
    return df.to_csv(index=False)


def _cli(ctx, *argv):
    return cli.main([str(a) for a in argv])


def _iam_file(ctx):
    path = ctx.tmp / "iam.csv"
    ctx.iamc().to_csv(path, index=False)
    return path


def _cli_run_file(ctx):
    out = ctx.tmp / "iam.nc"
    status = cli.main(["run", str(_iam_file(ctx)), "--out", str(out)])
    return status, esm_io.read(out)


CASES = [
    # ---- the late-start scenario: spliced onto history, visibly ------------------------------
    (
        "iam-scenario-from-2015-is-spliced",
        lambda c: esm.run(_cut(c), variables=["gsat"]),
        Warns(
            r"completed by esm.scenarios.complete: spliced 1750-2014 from shipped ssp245",
            lambda r: (
                float(r.gsat.sel(year=2100)) == full_gsat_2100()
                and r.attrs["history_splice"].startswith("1750-2014")
            ),
        ),
    ),
    (
        "late-start-as-steady-state-only-when-asked",
        lambda c: esm.run(_cut(c), variables=["gsat"], history=None),
        Ok(lambda r: int(r.year[0]) == 2015 and "history_splice" not in r.attrs),
    ),
    (
        "late-start-lacking-species-names-them",
        lambda c: esm.run(_cut(c).drop_vars(["sf6", "nox_aviation"])),
        Raises(esm.ScenarioError, r"nox_aviation, sf6|sf6, nox_aviation"),
    ),
    (
        "missing-species-from-background",
        lambda c: esm.run(_cut(c).drop_vars("sf6"), missing="background", variables=["gsat"]),
        Warns(r"infilled|infill", lambda r: any("sf6" in x for x in r.attrs["infilled"])),
    ),
    (
        "missing-species-by-quantile",
        lambda c: esm.run(_cut(c).drop_vars("sf6"), missing="quantile", variables=["gsat"]),
        Warns(r"infilled|infill", lambda r: any("sf6" in x for x in r.attrs["infilled"])),
    ),
    (
        "missing-species-at-1750-start",
        lambda c: esm.run(c.ds.drop_vars("sf6")),
        Raises(esm.ScenarioError, r"missing species sf6"),
    ),
    (
        "unknown-harmonisation",
        lambda c: esm.run(_cut(c), harmonise="smooth"),
        Raises(esm.ScenarioError, r"harmonise='smooth': choose one of auto, ratio, offset, none"),
    ),
    (
        "converge-before-start",
        lambda c: esm.run(_cut(c), converge=2010),
        Raises(esm.ScenarioError, r"converge=2010 must be after the scenario's first year 2015"),
    ),
    (
        "unknown-missing-mode",
        lambda c: esm.run(c.ds, missing="fill"),
        Raises(ValueError, r"missing must be one of error, zero, background, quantile"),
    ),
    # ---- years, counts and steps ---------------------------------------------------------------
    (
        "end-past-the-data",
        lambda c: esm.run("ssp245", end=3000),
        Raises(esm.ScenarioError, r"end 3000 is after the scenario's last year 2499; pass extend="),
    ),
    (
        "end-past-the-data-extended-explicitly",
        lambda c: esm.run("ssp245", end=2600, extend="constant", variables=["gsat"]),
        Warns(r"extended 2500-2600", lambda r: int(r.year[-1]) == 2600 and "extended" in r.attrs),
    ),
    (
        "unknown-extension",
        lambda c: esm.run("ssp245", end=2600, extend="linear"),
        Raises(ValueError, r"extend must be one of constant, zero or None, not 'linear'"),
    ),
    (
        "start-before-the-data",
        lambda c: esm.run("ssp245", start=1700),
        Raises(esm.ScenarioError, r"start 1700 is before the scenario's first year 1750"),
    ),
    (
        "fractional-substeps",
        lambda c: esm.run("ssp245", substeps=2.5),
        Raises(ValueError, r"substeps must be a positive integer, not 2.5"),
    ),
    (
        "zero-substeps",
        lambda c: esm.run("ssp245", substeps=0),
        Raises(ValueError, r"substeps must be a positive integer, not 0"),
    ),
    (
        "fractional-start",
        lambda c: esm.run("ssp245", start=1850.5),
        Raises(ValueError, r"start must be a whole number \(a year\), not 1850.5"),
    ),
    (
        "end-not-after-start",
        lambda c: esm.run("ssp245", start=1850, end=1850),
        Raises(esm.ScenarioError, r"end 1850 must be after start 1850"),
    ),
    (
        "empty-scenario",
        lambda c: esm.run(c.ds.sel(year=slice(2101, None))),
        Raises(esm.ScenarioError, r"0 year\(s\) of data; a scenario needs at least 2"),
    ),
    (
        "one-missing-year",
        lambda c: esm.run(c.ds.drop_sel(year=2000)),
        Raises(esm.ScenarioError, r"missing year 2000 \(annual data required"),
    ),
    # ---- values and units ------------------------------------------------------------------------
    (
        "nan-emission",
        lambda c: _nan_in(c, "co2_fossil", 2050),
        Raises(esm.ScenarioError, r"co2_fossil is NaN or infinite in year\(s\) 2050"),
    ),
    (
        "negative-methane",
        lambda c: esm.run(_set(c, "ch4", 2050, -1.0)),
        Raises(esm.ScenarioError, r"ch4 is negative \(-1 Mt CH4/yr\) in year\(s\) 2050"),
    ),
    (
        "no-units",
        lambda c: esm.run(_with(c.ds, ch4=("year", c.ds.ch4.values))),
        Raises(esm.ScenarioError, r"variable ch4 has no 'units' attribute \(e.g. 'Mt CH4/yr'\)"),
    ),
    (
        "unit-of-another-gas",
        lambda c: esm.run(_with(c.ds, n2o=c.ds.n2o.assign_attrs(units="Mt CH4/yr"))),
        Raises(esm.ScenarioError, r"unit 'Mt CH4/yr' names compound 'CH4', which does not fit"),
    ),
    (
        "unit-per-month",
        lambda c: esm.run(_with(c.ds, n2o=c.ds.n2o.assign_attrs(units="Mt N2O/month"))),
        Raises(esm.ScenarioError, r"only annual fluxes are accepted"),
    ),
    (
        "ambiguous-n2o-as-nitrogen",
        lambda c: esm.run(_with(c.ds, n2o=c.ds.n2o.assign_attrs(units="Mt N/yr"))),
        Raises(esm.ScenarioError, r"'N' is ambiguous for N2O"),
    ),
    (
        "openscm-units-spelling-accepted",
        lambda c: esm.run(
            _with(c.ds, co2_fossil=(c.ds.co2_fossil * 3664).assign_attrs(units="Mt CO2 / yr")),
            variables=["gsat"],
        ),
        Ok(lambda r: abs(float(r.gsat.sel(year=2100)) - full_gsat_2100()) < 1e-9),
    ),
    (
        "two-dimensional-variable",
        lambda c: esm.run(_with(c.ds, ch4=c.ds.ch4.expand_dims(x=[1]))),
        Raises(esm.ScenarioError, r"variable ch4 must have the single dimension 'year'"),
    ),
    (
        "unknown-species",
        lambda c: esm.run(_with(c.ds, methane=c.ds.ch4)),
        Raises(esm.ScenarioError, r"unknown species 'methane'"),
    ),
    (
        "solar-without-volcanic",
        lambda c: esm.run(c.ds.drop_vars("volcanic")),
        Raises(esm.ScenarioError, r"give both 'solar' and 'volcanic' forcing, or neither"),
    ),
    # ---- parameters and outputs ------------------------------------------------------------------
    (
        "parameters-not-a-mapping",
        lambda c: esm.run("ssp245", [1.0, 2.0]),
        Raises(TypeError, r"params must be a mapping of parameter name to value"),
    ),
    (
        "parameter-out-of-bounds",
        lambda c: esm.run("ssp245", {"climate_feedback": 1.0}),
        Raises(ValueError, r"climate_feedback = 1.0 W m-2 K-1 is outside its allowed range"),
    ),
    (
        "parameter-misspelt",
        lambda c: esm.run("ssp245", {"q10": 2.0}),
        Raises(KeyError, r"unknown parameter 'q10'"),
    ),
    (
        "npp-shares-above-one",
        lambda c: esm.run("ssp245", {"npp_fraction_vegetation": 0.9, "npp_fraction_detritus": 0.9}),
        Raises(ValueError, r"NPP shares to vegetation and detritus sum to more than 1"),
    ),
    (
        "unknown-output-variable",
        lambda c: esm.run("ssp245", variables=["gsatt"]),
        Raises(KeyError, r"unknown output variable 'gsatt'"),
    ),
    (
        "prescribed-co2-without-year",
        lambda c: esm.run("ssp245", co2=xr.DataArray([280.0], dims="x")),
        Raises(esm.ScenarioError, r"co2 must be an xarray.DataArray with a 'year' dimension"),
    ),
    # ---- model errors name year, state and cause -----------------------------------------------
    (
        "runaway-warming-names-the-year-and-the-feedback",
        lambda c: esm.run("ssp585", {"climate_feedback": -0.2}, end=2499),
        Raises(
            esm.ModelError,
            # the warming itself leaves its range, or first collapses the CH4 lifetime through
            # its temperature term (which of the two depends on that term's sensitivity)
            r"member 0 of 1: in year 21\d\d (surface temperature change reached 1\d\.\d+ K .* "
            r"likely cause: |atmospheric CH4 reached .* likely cause: the CH4 lifetime "
            r"collapsed: lifetime [\d.]+ yr from temperature change 1\d\.\d+ .*; the warming: )"
            r"runaway warming or cooling: the net climate feedback "
            r"climate_feedback = -0.2 W m-2 K-1 is weak",
        ),
    ),
    (
        "nox-far-outside-the-fitted-range",
        lambda c: esm.run(_scaled(c, 3.0, "nox", "nmvoc", "co")),
        Raises(esm.ModelError, r"in year \d{4} atmospheric CH4 .* from NOx emissions change"),
    ),
    (
        "absurd-co2-removal-names-the-input",
        lambda c: esm.run(_set(c, "co2_fossil", 2030, -2.0e5)),
        Raises(esm.ModelError, r"in year 2030 .* co2_fossil -2e\+05 Gt C/yr \(was "),
    ),
    (
        "several-scenarios-in-one-call",
        lambda c: esm.run(_two_scenarios(c), variables=["gsat"]),
        Ok(_same_as_separate_runs),
    ),
    # ---- ensembles -------------------------------------------------------------------------------
    (
        "percentile-below-zero",
        lambda c: esm.ensemble("ssp245", members=10, percentiles=[-5, 50, 150]),
        Raises(ValueError, r"percentiles: -5 lies outside 0-100"),
    ),
    (
        "percentile-nan",
        lambda c: esm.ensemble("ssp245", members=10, percentiles=[float("nan")]),
        Raises(ValueError, r"percentiles: nan is not a number"),
    ),
    (
        "percentile-twice",
        lambda c: esm.ensemble("ssp245", members=10, percentiles=[50, 50]),
        Raises(ValueError, r"percentiles: 50 is given twice"),
    ),
    (
        "percentiles-empty",
        lambda c: esm.ensemble("ssp245", members=10, percentiles=[]),
        Raises(ValueError, r"percentiles is empty"),
    ),
    (
        "percentiles-0-and-100-are-the-member-range",
        _extreme_percentiles_equal_member_range,
        Ok(
            lambda r: (
                np.array_equal(r[0].gsat.sel(percentile=0), r[1].gsat.min("member"))
                and np.array_equal(r[0].gsat.sel(percentile=100), r[1].gsat.max("member"))
            )
        ),
    ),
    (
        "fractional-members",
        lambda c: esm.ensemble("ssp245", members=2.7),
        Raises(ValueError, r"members must be a positive integer, not 2.7"),
    ),
    (
        "members-as-bool",
        lambda c: esm.ensemble("ssp245", members=True),
        Raises(ValueError, r"members must be a positive integer, not True"),
    ),
    (
        "fractional-chunk-size",
        lambda c: esm.ensemble("ssp245", members=10, chunk_size=2.5),
        Raises(ValueError, r"chunk_size must be positive: a whole number of members"),
    ),
    (
        "fractional-seed",
        lambda c: esm.ensemble("ssp245", members=10, seed=1.5),
        Raises(ValueError, r"seed must be a non-negative integer, not 1.5"),
    ),
    (
        "full-output-ensemble-too-big-for-memory",
        _small_memory,
        Raises(MemoryError, r"needs about .* GB of memory but 2.15 GB are available; ask for "),
    ),
    (
        "stored-chunk-copied-over-another",
        _copied_chunk,
        Warns(
            r"not reusing .*chunk00002.*a chunk file copied over another",
            lambda r: r[0].gsat.equals(r[1].gsat),
        ),
    ),
    (
        "ensemble-of-several-scenarios",
        lambda c: esm.ensemble(_two_scenarios(c), members=5, variables=["gsat"]),
        Ok(
            lambda r: (
                r.gsat.dims == ("scenario", "member", "year")
                and np.array_equal(
                    r.gsat.sel(scenario="ssp585").values,
                    esm.ensemble("ssp585", members=5, variables=["gsat"]).gsat.values,
                )
                and set(iamc.to_iamc(r)["scenario"]) == {"ssp126", "ssp585"}
            )
        ),
    ),
    (
        "parameter-table-too-short",
        lambda c: esm.ensemble("ssp245", members=10, source=esm.params.sample_prior(4)),
        Raises(ValueError, r"the parameter table has 4 rows, fewer than 10"),
    ),
    # ---- scenario files --------------------------------------------------------------------------
    (
        "empty-file",
        lambda c: _read(c, "empty.csv", b""),
        Raises(esm.ScenarioError, r"empty.csv: is empty; nothing to read"),
    ),
    (
        "header-only",
        lambda c: _read(c, "head.csv", "Model,Scenario,Region,Variable,Unit,2015\n"),
        Raises(esm.ScenarioError, r"has a header row but no data rows"),
    ),
    (
        "latin-1-file",
        lambda c: esm.read_scenario(
            c.file("l1.csv", c.iamc(Model="Modèle").to_csv(index=False).encode("latin-1"))
        ),
        Warns(r"is not UTF-8 .* read as cp1252", lambda r: r.attrs["model"] == "Modèle"),
    ),
    (
        "utf-16-file",
        lambda c: esm.read_scenario(
            c.file("u16.csv", c.iamc().to_csv(index=False).encode("utf-16"))
        ),
        Ok(lambda r: r.attrs["encoding"] == "utf-16" and int(r.year[0]) == 2015),
    ),
    (
        "binary-file",
        lambda c: _read(c, "bin.csv", bytes(range(256))),
        Raises(esm.ScenarioError, r"is not a text file \(it contains NUL bytes\)"),
    ),
    (
        "directory",
        lambda c: esm.read_scenario(c.tmp),
        Raises(esm.ScenarioError, r"is a directory; give the path of a .csv"),
    ),
    (
        "workbook-named-csv",
        _xlsx_named_csv,
        Raises(esm.ScenarioError, r"is a zip archive \(an Excel workbook\?\), not CSV text"),
    ),
    (
        "semicolon-separated",
        lambda c: _read(c, "semi.csv", c.iamc().to_csv(index=False, sep=";")),
        Raises(esm.ScenarioError, r"columns are separated by ';', not commas"),
    ),
    (
        "gzip-suffix-on-plain-text",
        lambda c: _read(c, "plain.csv.gz", c.iamc().to_csv(index=False)),
        Raises(esm.ScenarioError, r"is not gzip-compressed"),
    ),
    (
        "gzip-iamc-file",
        lambda c: _read(c, "ok.csv.gz", gzip.compress(c.iamc().to_csv(index=False).encode())),
        Ok(lambda r: r.attrs["source_format"] == "iamc-wide"),
    ),
    (
        "iamc-long-format",
        _long,
        Ok(
            lambda r: (
                r.attrs["source_format"] == "iamc-long"
                and np.array_equal(r.ch4.values, esm.scenarios.load("ssp245", end=2100).ch4.values)
            )
        ),
    ),
    (
        "rcmip-10-yearly-interpolated",
        _rcmip_10_yearly,
        Warns(r"interpolat", lambda r: r.attrs["interpolated_years"][:3] == [2016, 2017, 2018]),
    ),
    (
        "unknown-iamc-variable",
        lambda c: _read(
            c,
            "v.csv",
            c.iamc()
            .replace({"Variable": {"Emissions|CH4": "Emissions|Methane"}})
            .to_csv(index=False),
        ),
        Raises(esm.ScenarioError, r"unknown variable\(s\) 'Emissions\|Methane'"),
    ),
    (
        "text-in-a-value-cell",
        lambda c: _read(c, "t.csv", _with_text(c.iamc(), "Emissions|CH4", 2020, "abc")),
        Raises(esm.ScenarioError, r"Emissions\|CH4 has a value that is not a number in 2020"),
    ),
    (
        "duplicate-variable-rows",
        lambda c: _read(c, "d.csv", pd.concat([c.iamc(), c.iamc().iloc[[2]]]).to_csv(index=False)),
        Raises(esm.ScenarioError, r"variable 'Emissions\|CH4' appears in more than one row"),
    ),
    (
        "only-total-co2",
        lambda c: _read(
            c,
            "tot.csv",
            c.iamc()
            .iloc[1:]
            .replace({"Variable": {SPECIES_VARIABLES["co2_landuse"]: "Emissions|CO2"}})
            .to_csv(index=False),
        ),
        Raises(esm.ScenarioError, r"only total Emissions\|CO2 is given"),
    ),
    (
        "object-that-is-no-scenario",
        lambda c: esm.read_scenario(42),
        Raises(esm.ScenarioError, r"cannot read a scenario from a builtins.int"),
    ),
    # ---- files out -------------------------------------------------------------------------------
    (
        "unknown-output-suffix",
        lambda c: esm_io.write(esm.run("ssp245", end=1800), c.tmp / "x.txt"),
        Raises(ValueError, r"x.txt: unknown file suffix; use .nc"),
    ),
    (
        "format-contradicts-suffix",
        lambda c: esm_io.write(esm.run("ssp245", end=1800), c.tmp / "x.nc", format="iamc"),
        Raises(ValueError, r"x.nc: the suffix names netcdf, not iamc"),
    ),
    (
        "output-folder-missing",
        lambda c: esm_io.write(esm.run("ssp245", end=1800), c.tmp / "no" / "x.nc"),
        Raises(OSError, r"directory .*no does not exist"),
    ),
    (
        "failed-write-keeps-the-old-file",
        _interrupted_write_keeps_old_file,
        Ok(lambda r: r is True),
    ),
    # ---- the command line ------------------------------------------------------------------------
    (
        "cli-run-a-scenario-file",
        _cli_run_file,
        Warns(
            r"completed by esm.scenarios.complete",
            lambda r: r[0] == 0 and r[1].attrs["history_splice"].startswith("1750-2014"),
        ),
    ),
    (
        "cli-unknown-scenario",
        lambda c: _cli(c, "run", "ssp999"),
        Exits(2, r"unknown scenario 'ssp999': not a shipped scenario .* and no such file"),
    ),
    (
        "cli-format-contradicts-out",
        lambda c: _cli(c, "run", "ssp245", "--out", c.tmp / "x.nc", "--format", "iamc"),
        Exits(2, r"names a netcdf file but --format is iamc"),
    ),
    (
        "cli-end-past-the-data",
        lambda c: _cli(c, "run", "ssp245", "--end", "3000"),
        Exits(2, r"end 3000 is after the scenario's last year 2499"),
    ),
    (
        "cli-china-end-before-the-pathways",
        lambda c: _cli(c, "china", "neutral-2060", "--end", "1990"),
        Exits(2, r"china: end 1990 must lie after the pathways' start year 2025"),
    ),
    (
        "cli-ensemble-too-big",
        lambda c: _small_memory(c, ["ensemble", "ssp245", "--members", "1000000"]),
        Exits(2, r"needs about .* GB of memory"),
    ),
    (
        "cli-fractional-members",
        lambda c: _cli(c, "ensemble", "ssp245", "--members", "2.7"),
        Exits(2, r"argument --members: invalid int value: '2.7'"),
    ),
    (
        "cli-percentiles-out-of-range",
        lambda c: _cli(c, "ensemble", "ssp245", "--members", "10", "--percentiles", "5,150"),
        Exits(2, r"--percentiles 5,150: 150 lies outside 0-100"),
    ),
    (
        "cli-pick-from-shipped-scenario",
        lambda c: _cli(c, "run", "ssp245", "--iamc-scenario", "x"),
        Exits(2, r"--iamc-scenario picks from a scenario file, but ssp245 is a shipped scenario"),
    ),
]


@pytest.fixture(scope="module")
def base():
    return esm.scenarios.load("ssp245", end=2100)


def test_at_least_sixty_cases():
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("action", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_case(action, expected, tmp_path, base, monkeypatch, capsys):
    ctx = Ctx(tmp_path, base, monkeypatch)
    if isinstance(expected, Raises):
        with pytest.raises(expected.type, match=expected.match) as info:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                action(ctx)
        assert "\n" not in str(info.value)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action(ctx)
    ours = list(caught)
    err = capsys.readouterr().err
    if isinstance(expected, Exits):
        lines = [ln for ln in err.splitlines() if ln.startswith("esm: error:")]
        assert result == expected.status, err
        assert len(lines) == 1, err
        assert re.search(expected.match, lines[0]), lines[0]
        return
    if isinstance(expected, Warns):
        texts = [str(w.message) for w in ours] + err.splitlines()
        assert any(re.search(expected.match, t) for t in texts), texts
    else:
        assert not [w for w in ours if issubclass(w.category, UserWarning)], [
            str(w.message) for w in ours
        ]
    assert expected.check(result)
