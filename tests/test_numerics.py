"""Numerical behaviour: sub-step convergence, stability, batching invariance."""

from __future__ import annotations

import numpy as np
import pytest

import esm
from esm import metadata, params, runner


def test_substep_convergence_ssp585():
    """SSP5-8.5 CO2 in 2100 changes by < 0.1 % between the default and 4x finer sub-steps."""
    coarse = esm.run("ssp585", variables=["co2", "gsat"])
    fine = esm.run("ssp585", variables=["co2", "gsat"], substeps=4 * runner.SUBSTEPS)
    c0, c1 = float(coarse.co2.sel(year=2100)), float(fine.co2.sel(year=2100))
    assert abs(c0 / c1 - 1.0) < 1e-3
    assert float(np.abs(coarse.gsat - fine.gsat).max()) < 0.01


def test_extreme_scenarios_stay_finite_and_stable(ssp585):
    """SSP5-8.5 to 2499 and a 1000 GtC pulse stay finite, positive and non-oscillating."""
    ds = esm.run("ssp585", end=2499, variables=["co2", "gsat", "ocean_sink", "land_sink"])
    assert np.isfinite(ds.to_array()).all()
    co2 = ds.co2.sel(year=slice(2250, 2499)).values
    assert np.all(np.diff(co2) < 0)  # zero emissions after 2250: monotone decline, no ringing
    from .conftest import constant_scenario

    years = np.arange(1750, 2251)
    pulse = np.where(years == 1850, 1000.0, 0.0)
    p = esm.run(constant_scenario(years, co2_fossil=pulse), variables=["co2", "ocean_sink"])
    assert float(p.co2.max()) > 278.3 + 400
    after = p.co2.sel(year=slice(1851, 2250)).values
    assert np.all(np.diff(after) < 0) and after[-1] > 278.3


def _varied_members(n: int, seed: int = 42) -> np.ndarray:
    rng = np.random.default_rng(seed)
    batch = np.repeat(params.vector()[None], n, axis=0)
    batch[:, list(params.PARAMETERS).index("co2_fertilisation")] = rng.uniform(0.3, 0.7, n)
    batch[:, list(params.PARAMETERS).index("climate_feedback")] = rng.uniform(-1.8, -0.9, n)
    batch[:, list(params.PARAMETERS).index("respiration_q10")] = rng.uniform(1.1, 2.2, n)
    return batch


def test_batching_does_not_change_results():
    """A member gives bit-identical output alone (one lane of a padded block) or in any lane of
    any block of a batch (19 members: two full blocks of LANES = 8 and a partial one)."""
    _, years, emis, natural = runner.prepare("ssp245", end=2100)
    co2_end = np.full(years.size, np.nan)
    batch = _varied_members(19)
    together, _, _ = runner.integrate(emis, natural, co2_end, batch, names=metadata.PUBLIC)
    shifted, _, _ = runner.integrate(emis, natural, co2_end, batch[3:], names=metadata.PUBLIC)
    for m in (0, 3, 7, 8, 15, 18):
        alone, _, _ = runner.integrate(emis, natural, co2_end, batch[m], names=metadata.PUBLIC)
        assert np.array_equal(alone[0], together[m])
        if m >= 3:  # in another lane of another block
            assert np.array_equal(shifted[m - 3], together[m])


def test_concentration_and_emission_driven_members_share_a_block():
    """Members of one block may follow different emission sets, some concentration-driven
    (each lane iterates its own emissions) and some emission-driven: each gives bit for bit
    its result in a block of its own kind."""
    _, years, emis, natural = runner.prepare("ssp245", end=2100)
    free = np.full(years.size, np.nan)
    driven = np.where((years >= 1850) & (years <= 2014), 0.0, np.nan)
    ref, _, _ = runner.integrate(emis, natural, free, params.vector(), names=["co2_end"])
    driven[np.isfinite(driven)] = ref[0, np.isfinite(driven), 0] + 5.0  # 5 ppm above
    batch = _varied_members(10, seed=1)
    sets = np.stack([emis, emis])
    co2_sets = np.stack([free, driven])
    index = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 1])
    names = ["co2_end", "gsat", "emissions_co2_fossil"]
    mixed, _, _ = runner.integrate(sets, natural, co2_sets, batch, names=names, emis_index=index)
    for k, co2 in enumerate((free, driven)):
        own, _, _ = runner.integrate(emis, natural, co2, batch[index == k], names=names)
        assert np.array_equal(own, mixed[index == k])
    # the concentration-driven members follow their target to the solver tolerance
    hit = np.isfinite(driven)
    assert np.allclose(mixed[index == 1][:, hit, 0], driven[hit], rtol=0, atol=1e-7)


@pytest.mark.parametrize("substeps", [1, 3])
def test_few_substeps_are_still_stable(substeps):
    ds = esm.run("ssp585", variables=["co2"], substeps=substeps)
    ref = esm.run("ssp585", variables=["co2"])
    assert abs(float(ds.co2.sel(year=2100) / ref.co2.sel(year=2100)) - 1) < 0.005
