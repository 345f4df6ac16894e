"""State and restart: a run continued from a saved state is the uninterrupted run, bit for bit;
stepping one year at a time is the same; states survive a netCDF round trip."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import esm


def assert_identical(a: xr.Dataset, b: xr.Dataset) -> None:
    assert list(a.data_vars) == list(b.data_vars)
    for v in a.data_vars:
        np.testing.assert_array_equal(a[v].values, b[v].values, err_msg=v)


@pytest.mark.parametrize(
    ("scenario", "split", "end", "params"),
    [
        ("ssp245", 2020, 2100, None),
        # permafrost thawing, CH4 lifetime chemistry and a non-default parameter set
        ("ssp585", 2100, 2300, {"climate_feedback": -1.0, "respiration_q10": 2.5}),
    ],
)
def test_continued_run_equals_the_uninterrupted_run(scenario, split, end, params):
    full = esm.run(scenario, params, end=end)
    first, state = esm.run(scenario, params, end=split, return_state=True)
    rest = esm.run(scenario, end=end, start_state=state)
    assert state.year == split
    assert int(rest.year[0]) == split + 1 and int(rest.year[-1]) == end
    assert_identical(first, full.sel(year=slice(None, split)))
    assert_identical(rest, full.sel(year=slice(split + 1, None)))
    assert rest.gsat.attrs["reference_period"] == "1850-1900 mean"
    assert rest.attrs["continued_from"] == f"state at the end of {split} ({scenario})"


def test_stepping_one_year_at_a_time_equals_one_run():
    full = esm.run("ssp245", end=2030)
    model = esm.Model.spin_up("ssp245", end=2020)
    assert model.year == 2021
    steps = xr.concat([model.step() for _ in range(10)], dim="year")
    assert model.state.year == 2030
    assert_identical(steps, full.sel(year=slice(2021, 2030)))


def test_step_with_user_emissions_equals_a_run_of_the_edited_scenario():
    scen = esm.scenarios.load("ssp245", end=2022)
    scen["co2_fossil"].loc[2021] = 0.0  # Gt C/yr, the internal unit
    scen["ch4"].loc[2021] = 100.0  # Mt CH4/yr
    edited = esm.run(scen)
    model = esm.Model.spin_up("ssp245", end=2020)
    step = model.step({"co2_fossil": 0.0, "ch4": 100.0})
    assert_identical(step, edited.sel(year=[2021]))
    # without emissions that year CO2 grows by less than with them
    unchanged = esm.run("ssp245", end=2021)
    assert float(step.co2.sel(year=2021)) < float(unchanged.co2.sel(year=2021))


def test_state_netcdf_round_trip(tmp_path):
    _, state = esm.run("ssp245", end=2020, return_state=True)
    path = tmp_path / "state.nc"
    state.save(path)
    back = esm.State.load(path)
    for field in ("params", "emis0", "halogens", "vector"):
        np.testing.assert_array_equal(getattr(back, field), getattr(state, field))
    assert (back.year, back.gsat_offset, back.substeps) == (2020, state.gsat_offset, 6)
    assert_identical(esm.run("ssp245", start_state=back), esm.run("ssp245", start_state=state))


def test_state_from_another_layout_is_refused(tmp_path):
    _, state = esm.run("ssp245", end=2020, return_state=True)
    ds = state.to_dataset()
    ds = ds.assign_coords(parameter=["x", *ds["parameter"].values[1:]])
    with pytest.raises(ValueError, match=r"state: its parameters differ from this model's"):
        esm.State.from_dataset(ds)


def test_continuation_errors():
    _, state = esm.run("ssp245", end=2020, return_state=True)
    with pytest.raises(ValueError, match=r"made with other parameters \(climate_feedback"):
        esm.run("ssp245", {"climate_feedback": -1.0}, start_state=state)
    with pytest.raises(ValueError, match=r"made with substeps=6, not 3"):
        esm.run("ssp245", start_state=state, substeps=3)
    late = esm.scenarios.load("ssp245").sel(year=slice(2030, None))
    with pytest.raises(esm.ScenarioError, match=r"no emissions for 2021, the year after"):
        esm.run(late, start_state=state)
    with pytest.raises(esm.ScenarioError, match=r"end 2019 is before the first year after"):
        esm.run("ssp245", end=2019, start_state=state)
    with pytest.raises(TypeError, match=r"start_state must be an esm.State"):
        esm.run("ssp245", start_state={"year": 2020})
