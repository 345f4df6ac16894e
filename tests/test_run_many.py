"""esm.run_many: every scenario x every parameter set in one kernel call, bit for bit the single
runs, ensembles and experiments; failed members; input errors; one compiled kernel."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import experiments, metadata, params, runner, scenarios
from esm.ensembles import draw
from esm.kernels import layout

from .conftest import read_validation


def _equal(a: xr.DataArray, b: xr.DataArray) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b))


# ------------------------------------------------------------------------------ equality
def test_one_member_equals_esm_run():
    everything = list(metadata.OUTPUTS)
    one = esm.run_many("ssp245", {"co2_fertilisation": 0.3}, variables=everything, squeeze=True)
    ref = esm.run("ssp245", {"co2_fertilisation": 0.3})
    assert set(ref.data_vars) <= set(one.data_vars)
    for v in ref.data_vars:
        assert _equal(one[v], ref[v]), v
        assert one[v].attrs == ref[v].attrs, v
    assert one["co2_fertilisation"].item() == 0.3
    assert one["status"].item() == 0
    assert one.attrs["parameters_changed"] == "co2_fertilisation=0.3"
    assert one.attrs["gsat_reference"] == "1850-1900 mean"
    full = esm.run_many("ssp245", {"co2_fertilisation": 0.3}, variables=["gsat"])
    assert full["gsat"].dims == ("scenario", "member", "year")
    assert full["gsat"].shape == (1, 1, 351)
    assert _equal(full["gsat"][0, 0], ref["gsat"])


def test_members_equal_the_full_output_of_esm_ensemble():
    ens = esm.ensemble("ssp245", members=12, seed=3, end=2050, chunk_size=5)
    many = esm.run_many("ssp245", members=12, seed=3, end=2050)
    assert list(many["gsat"].dims) == ["scenario", "member", "year"]
    assert set(ens.data_vars) | {"status"} == set(many.data_vars)
    for v in ens.data_vars:
        if "year" in ens[v].dims:
            assert _equal(many[v].sel(scenario="ssp245"), ens[v]), v
        else:
            assert _equal(many[v], ens[v]), v  # parameters and posterior_member
        assert many[v].attrs == ens[v].attrs, v
    assert _equal(many["member"], ens["member"])
    assert many.attrs["parameter_source"] == "posterior"
    assert many.attrs["seed"] == 3
    assert many.attrs["members"] == 12
    assert many["status"].values.tolist() == [[0] * 12]


def test_scenario_by_member_layout_equals_single_runs():
    table = draw(3, seed=1)
    names = ["ssp126", "ssp585"]
    many = esm.run_many(names, table, variables=["gsat", "co2"])
    assert many["gsat"].shape == (2, 3, 351)
    assert many["scenario"].values.tolist() == names
    assert many["posterior_member"].values.tolist() == table["posterior_member"].tolist()
    assert many.attrs["scenario"] == "ssp126, ssp585"
    assert many.attrs["parameter_source"] == "user table"
    for i, name in enumerate(names):
        for j in range(3):
            row = table.drop(columns="posterior_member").iloc[j].to_dict()
            one = esm.run(name, row, variables=["gsat", "co2"])
            assert _equal(many["gsat"][i, j], one["gsat"]), (name, j)
            assert _equal(many["co2"][i, j], one["co2"]), (name, j)


@pytest.mark.parametrize(
    "dims, coords",
    [
        (("year",), None),
        (("member", "year"), {"member": np.array([3, 7])}),
        (("member", "year"), None),
        (("scenario", "member", "year"), {"scenario": ["a", "b"], "member": np.array([3, 7])}),
    ],
)
def test_wrap_equals_xarrays_public_constructor(dims, coords):
    """runner.wrap adds the data variables without xarray's merge; the Dataset is identical
    (values, attributes, coordinates, indexes, variable order) to the public constructor's."""
    years = np.arange(1850, 1856)
    names = ["co2", "gsat", "erf_anthropogenic"]
    shape = tuple({"scenario": 2, "member": 2, "year": years.size}[d] for d in dims)
    values = np.random.default_rng(1).normal(size=(len(names), *shape))
    got = runner.wrap(years, values, names, dims, coords, {"a": 1}, "1850-1900 mean")
    base = xr.Dataset(coords={"year": years, **(coords or {})})
    data = {n: (dims, values[j], dict(got[n].attrs)) for j, n in enumerate(names)}
    want = xr.Dataset(data, coords=base.coords, attrs=got.attrs)
    want["year"].attrs = got["year"].attrs
    xr.testing.assert_identical(got, want)
    assert list(got.variables) == list(want.variables)
    assert got.xindexes.keys() == want.xindexes.keys()
    assert got.sel(year=1852)["co2"].shape == shape[:-1]
    message = r"values of shape \(3, 6\) do not match 3 variables on \{'year': 5\}"
    with pytest.raises(ValueError, match=message):
        runner.wrap(years[:5], values.reshape(3, -1)[:, :6], names)


def test_scenario_datasets_are_completed_like_esm_run():
    two = xr.concat(
        [scenarios.load("ssp126", end=2100), scenarios.load("ssp585", end=2100)],
        dim=xr.DataArray(["ssp126", "ssp585"], dims="scenario"),
    )
    a = esm.run_many(two, variables=["gsat"])
    b = esm.run(two, variables=["gsat"])
    assert a["scenario"].values.tolist() == ["ssp126", "ssp585"]
    assert _equal(a["gsat"][:, 0], b["gsat"])
    # a late-start scenario (an IAM run from 2015) is spliced onto history as esm.run does
    late = scenarios.load("ssp245").sel(year=slice(2015, 2100))
    late.attrs["scenario"] = "iam"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = esm.run(late, variables=["gsat"])
        many = esm.run_many({"mine": late, "other": "ssp245"}, variables=["gsat"])
    assert many["scenario"].values.tolist() == ["mine", "other"]
    assert _equal(many["gsat"].sel(scenario="mine", member=0), ref["gsat"])
    assert many.attrs["history_splice"].startswith("mine: ")
    # a list of Datasets is labelled by their 'scenario' attribute
    pair = [scenarios.load("ssp126", end=2100), scenarios.load("ssp585", end=2100)]
    listed = esm.run_many(pair, variables=["gsat"])
    assert listed["scenario"].values.tolist() == ["ssp126", "ssp585"]
    assert _equal(listed["gsat"][:, 0], b["gsat"])


def test_prescribed_co2_equals_esm_run():
    obs = read_validation("ghg_concentrations")["co2"].loc[1850:2019]
    co2 = xr.DataArray(obs.values, coords={"year": obs.index.values}, dims="year")
    ref = esm.run("ssp245", end=2019, co2=co2)
    many = esm.run_many("ssp245", end=2019, co2=co2, variables=["co2", "emissions_co2_fossil"])
    for v in ("co2", "emissions_co2_fossil"):
        assert _equal(many[v][0, 0], ref[v]), v
    assert many.attrs["co2_mode"] == "concentration-driven where co2 is given"


def test_experiment_members_equal_the_calibration_path():
    """run_many with an experiment's end-of-year CO2 and its overrides on every member equals
    the kernel-level path of the calibration (parameter_matrix), and esm.experiments.run."""
    table = draw(4, seed=2).drop(columns="posterior_member")
    ds, co2_end, overrides = experiments.scenario("1pctCO2-bgc")
    names = ["gsat", "land_sink", "emissions_co2_fossil"]
    many = esm.run_many(
        ds, table.assign(**overrides), co2_end=co2_end, variables=names, history=None,
        gsat_reference=None,
    )  # fmt: skip
    _, years, emis, natural, targets, _ = experiments.setup("1pctCO2-bgc")
    pm = experiments.parameter_matrix("1pctCO2-bgc", params.matrix(table))
    raw, needed, _ = runner.integrate(emis, natural, targets, pm, names=names, years=years)
    values, _ = runner.derive(years, raw, needed, names, gsat_reference=None)
    for k, v in enumerate(names):
        assert _equal(many[v][0], values[k]), v
    one = experiments.run("1pctCO2-bgc", variables=names)
    single = esm.run_many(
        ds, overrides, co2_end=co2_end, variables=names, history=None, gsat_reference=None,
        squeeze=True,
    )  # fmt: skip
    for v in names:
        assert _equal(single[v], one[v]), v
    assert single["gsat"].attrs["reference_period"] == (
        "pre-industrial steady state at the start of the run"
    )


def test_squeeze_depends_on_the_kind_of_input_not_on_lengths():
    assert esm.run_many("ssp245", variables=["gsat"], squeeze=True)["gsat"].dims == ("year",)
    kept = esm.run_many(["ssp245"], variables=["gsat"], squeeze=True)["gsat"].dims
    assert kept == ("scenario", "year")
    table = pd.DataFrame({"co2_fertilisation": [0.4]})
    kept = esm.run_many("ssp245", table, variables=["gsat"], squeeze=True)["gsat"].dims
    assert kept == ("member", "year")


# ------------------------------------------------------------------------------ failures
_CF = params.PARAMETERS["climate_feedback"].default
#: climate_feedback = -0.2 (its upper bound) runs away in SSP5-8.5 before 2499
_FAILING = pd.DataFrame({"climate_feedback": [_CF, -0.2]})


def _single_run_cause() -> str:
    """The diagnosis esm.run gives for the failing member (year and value depend on the
    calibrated defaults of the other parameters)."""
    with pytest.raises(esm.ModelError) as err:
        esm.run("ssp585", {"climate_feedback": -0.2}, end=2499, variables=["gsat"])
    prefix = "member 0 of 1: "
    assert str(err.value).startswith(prefix)
    return str(err.value)[len(prefix) :]


def test_check_false_gives_nan_and_status_for_failed_members():
    many = esm.run_many(
        ["ssp126", "ssp585"], _FAILING, end=2499, variables=["gsat", "co2"], check=False
    )
    status = many["status"].values
    failed = (status & ~layout.STATUS_CHEMISTRY_RANGE) != 0
    assert failed.tolist() == [[False, False], [False, True]]
    assert status[1, 1] & layout.STATUS_NONFINITE
    assert many["status"].attrs["flag_masks"].tolist() == [1, 2, 4, 8, 16]
    for v in ("gsat", "co2"):
        assert np.isnan(many[v].values[1, 1]).all()
        assert np.isfinite(many[v].values[~failed]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # ocean chemistry extrapolated
        ok = esm.run("ssp585", end=2499, variables=["gsat"])
    assert _equal(many["gsat"].sel(scenario="ssp585")[0], ok["gsat"])


def test_check_true_raises_model_error_naming_scenario_and_member():
    cause = _single_run_cause()
    assert re.fullmatch(  # the warming, or the CH4 lifetime it collapses (tests/test_hostile.py)
        r"in year \d{4} (surface temperature change reached 1\d(\.\d+)? K|atmospheric CH4 "
        r"reached [\d.]+ ppb) \(a state became NaN or infinite.*\); likely cause: (the CH4 "
        r"lifetime collapsed: .* from temperature change 1\d\.\d+ .*; the warming: )?runaway "
        r"warming or cooling: the net climate feedback "
        r"climate_feedback = -0\.2 W m-2 K-1 is weak for this forcing \(check it and the "
        r"carbon-cycle feedbacks, e\.g\. respiration_q10, with --set\)",
        cause,
    )
    with pytest.raises(esm.ModelError) as err:
        esm.run_many(["ssp126", "ssp585"], _FAILING, end=2499, variables=["gsat"])
    assert str(err.value) == f"scenario 'ssp585', member 1 of 2: {cause}"
    named = _FAILING.set_axis(["central", "runaway"])
    with pytest.raises(esm.ModelError) as err:
        esm.run_many("ssp585", named, end=2499, variables=["gsat"])
    assert str(err.value) == f"member 1 of 2 ('runaway'): {cause}"


# ------------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: esm.run_many(["ssp245", "ssp999"]),
            esm.ScenarioError,
            "unknown scenario 'ssp999'; available: historical, ssp119, ssp126, ssp245, ssp370, "
            "ssp434, ssp460, ssp534-over, ssp585",
        ),
        (
            lambda: esm.run_many([]),
            ValueError,
            "scenarios is empty; give a scenario name, a Dataset or a list of them, "
            "e.g. ['ssp126', 'ssp245']",
        ),
        (
            lambda: esm.run_many("ssp245", pd.DataFrame({"q10": [2.0]})),
            KeyError,
            "unknown parameter 'q10' (see esm.params.table())",
        ),
        (
            lambda: esm.run_many(["ssp245", "ssp245"]),
            ValueError,
            "scenarios: 'ssp245' is given twice; give each scenario once, or name them with a "
            "dict of label -> scenario",
        ),
        (
            lambda: esm.run_many([scenarios.load("ssp245").sel(year=slice(None, 2050)), "ssp126"]),
            esm.ScenarioError,
            "scenarios cover different years: 'ssp245' 1750-2050, 'ssp126' 1750-2100; pass "
            "start= and end= that every scenario covers",
        ),
        (
            lambda: esm.run_many("ssp245", pd.DataFrame({"q10": [2.0]}), members=3),
            ValueError,
            "give members= (drawn from source) or a parameter table as params, not both",
        ),
        (
            lambda: esm.run_many("ssp245", pd.DataFrame({"respiration_q10": []})),
            ValueError,
            "params: the parameter table has no rows (one row per member)",
        ),
        (
            lambda: esm.run_many("ssp245", [1.0, 2.0]),
            TypeError,
            "params must be None, a mapping of parameter name to value or a pandas DataFrame "
            "(rows = members), not list",
        ),
        (
            lambda: esm.run_many(["ssp245", 3]),
            TypeError,
            "scenarios[1] is a int, not a scenario name or an xarray.Dataset",
        ),
        (
            lambda: esm.run_many(
                "ssp245",
                co2=xr.DataArray([280.0], coords={"year": [1750]}, dims="year"),
                co2_end=xr.DataArray([280.0], coords={"year": [1750]}, dims="year"),
            ),
            ValueError,
            "give co2 (annual means) or co2_end (end-of-year values), not both",
        ),
        (
            lambda: esm.run_many("ssp245", variables="gsat"),
            ValueError,
            "variables must be a list of names, not the string 'gsat'; give e.g. "
            "variables=['gsat']",
        ),
    ],
)
def test_clear_errors(call, error, message):
    with pytest.raises(error) as err:
        call()
    assert err.value.args[0] == message


def test_errors_come_before_any_run(monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the kernel ran")

    monkeypatch.setattr(runner, "integrate", must_not_run)
    with pytest.raises(KeyError, match=re.escape("unknown output variable 'gsatt'")):
        esm.run_many(["ssp126", "ssp245"], variables=["gsatt"])
    with pytest.raises(ValueError, match="climate_feedback = 1.0 W m-2 K-1 is outside"):
        esm.run_many(["ssp126", "ssp245"], {"climate_feedback": 1.0})


# ------------------------------------------------------------------------------ one kernel
_SPECIALISATIONS = """
import warnings
warnings.simplefilter("ignore")
import esm
from esm import budgets, china, experiments
from esm.kernels.integrate import integrate_members

esm.run("ssp245", end=2030)
ds, state = esm.run("ssp245", end=2020, return_state=True)
esm.run("ssp245", end=2030, start_state=state)
esm.ensemble("ssp245", members=3, end=2030)
esm.ensemble("ssp245", members=3, end=2030, percentiles=[50])
experiments.run("1pctCO2")
experiments.run("esm-flat10")
china.effect("neutral-2060", members=2, breakdown=False, end=2040)
budgets._gsat([budgets.net_zero_path(2060)], budgets._members(2, 0)[1], co2_only=True)
esm.run_many(["ssp126", "ssp245"], members=2, end=2030)
print(len(integrate_members.signatures))
"""


def test_one_compiled_specialisation_of_the_kernel():
    """Every path passes the kernel the same array types (C-contiguous, writable float64), so
    numba compiles (or loads) one version of it per process. A fresh process, so that no other
    test's calls count."""
    proc = subprocess.run(
        [sys.executable, "-c", _SPECIALISATIONS], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "1"


def test_integrate_into_a_reused_array_equals_a_new_one():
    """The kernel writes every output value (integrate allocates its outputs without zeroing
    them, and percentile chunks reuse one array: esm.ensembles._scratch): the values equal
    those of a new array whatever the array held; a wrong array is refused."""
    _, years, emis, natural = runner.prepare("ssp245")
    pm = params.matrix(draw(9, seed=3).drop(columns="posterior_member"))
    co2_end = runner.co2_targets(None, years, params.vector())
    fresh, needed, _ = runner.integrate(emis, natural, co2_end, pm, names=metadata.PUBLIC)
    out = np.full_like(fresh, 7.0)
    for rows in (pm, pm[::-1].copy(), pm):  # the second call leaves other values behind
        got, _, _ = runner.integrate(emis, natural, co2_end, rows, names=metadata.PUBLIC, out=out)
        assert got is out
    assert np.array_equal(out, fresh)
    shape = re.escape(str(fresh.shape))
    with pytest.raises(
        ValueError, match=f"out must be a C-contiguous float64 array of shape {shape}"
    ):
        runner.integrate(emis, natural, co2_end, pm, names=metadata.PUBLIC, out=out[:, :-1])
