"""The shipped posterior against the project's acceptance targets.

The targets are the rows ``posterior_*`` and ``default_*`` of ``validation/targets.csv``
(one-sided bounds ``at_least`` / ``at_most`` or a ``tolerance`` band, each with its source);
:func:`esm.validate.acceptance` measures them over the first 1000 posterior members
(emission-driven SSP runs and the idealised experiments by the CMIP protocol). None of these
numbers is fitted by the calibration except the 2019 concentrations and ECS / TCR, which are
constraints (validation/calibrate_posterior.py). Targets the model misses are listed in
:data:`MISSED` with the measured value: they are expected failures (strict, so a change that
meets one is noticed), not loosened tolerances.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from esm import observations, validate
from esm.constants import GTC_PER_PPM

#: Targets the shipped posterior misses, with the measured value (see the closing note of
#: the issue and README "Ensembles and projections").
MISSED: dict[str, str] = {
    "posterior_tcre_p83": "83rd percentile of TCRE 1.79 K per 1000 GtC (target >= 1.95): "
    "history-consistent members have a 1pctCO2 airborne fraction at 2xCO2 of 0.49-0.54; FaIR's "
    "history-constrained ensemble gives 1.72 (validation report, esm.validate.peer_1pct)",
    "posterior_tcre_p50": "median TCRE 1.49 K per 1000 GtC (target 1.5-1.8): the same narrow "
    "airborne fraction at 2xCO2 with the AR6 TCR; FaIR's constrained ensemble: 1.45",
}


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return validate.member_values(1000)


@pytest.fixture(scope="module")
def acceptance(values) -> pd.DataFrame:
    return validate.acceptance(1000, values=values)


def test_every_acceptance_target_is_declared_with_a_source():
    targets = observations.load("targets")
    names = [n for n in targets.index if n.startswith(("posterior_", "default_"))]
    assert sorted(names) == sorted(validate.ACCEPTANCE)
    for n in names:
        t = targets.loc[n]
        assert t["kind"] in ("at_least", "at_most", "tolerance")
        assert "issue" in t["source"]
        if t["kind"] == "at_least":
            assert t["low"] == t["value"] and np.isnan(t["high"])
        if t["kind"] == "at_most":
            assert t["high"] == t["value"] and np.isnan(t["low"])


#: Acceptance targets on quantities the calibration fits (likelihoods or the raked AR6 ECS and
#: TCR distributions): calibration checks, marked ``fit``; the others are validation.
FITTED = {
    "posterior_co2_2019_share",
    "posterior_ch4_2019_share",
    "posterior_n2o_2019_share",
    "posterior_ecs_p05",
    "posterior_ecs_p50",
    "posterior_ecs_p95",
    "posterior_tcr_p05",
    "posterior_tcr_p95",
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.fit) if n in FITTED else n for n in validate.ACCEPTANCE],
)
def test_acceptance_target(acceptance, name, request):
    if name in MISSED:
        request.applymarker(pytest.mark.xfail(strict=True, reason=MISSED[name]))
    r = acceptance.loc[name]
    assert r["met"], f"{name} = {r['value']:.4g} {r['units']}, bound [{r['low']}, {r['high']}]"


def test_acceptance_flags_a_value_outside_its_bound(values):
    # the same members with every SSP5-8.5 CO2 collapsed onto its median: width 0 < 200 ppm
    v = values.copy()
    v["co2_2100_ssp585"] = float(np.median(v["co2_2100_ssp585"]))
    r = validate.acceptance(values=v).loc["posterior_co2_2100_ssp585_width"]
    assert r["value"] == 0.0 and not r["met"]


def test_permafrost_release_per_degree_against_ar6(values):
    """Permafrost CO2 released 2020-2100 per K of 2100 warming: the posterior median of every
    reported SSP lies inside the AR6 range 3.1-41 PgC/K (Canadell et al. 2021, 5.4.9), and it
    grows with the warming level (more of the frozen pool is exposed)."""
    t = observations.load("targets").loc["ar6_permafrost_co2_per_k"]
    med = {
        s: float(np.median(values[f"permafrost_co2_per_k_{s}"])) for s in validate.PERMAFROST_SSPS
    }
    for s, m in med.items():
        assert t["low"] <= m <= t["high"], (s, m)
    assert med["ssp126"] < med["ssp245"] < med["ssp585"]


def _tcre_from_tcr(tcr, airborne_fraction, co2_pi):
    """TCRE [K (1000 GtC)-1] from TCR and the airborne fraction at 2xCO2 (year 70), if the
    airborne fraction were the same through years 61-80: the mean cumulative emission of those
    years is then the mean CO2 added, co2_pi (1.01^t - 1) x 2.124 GtC/ppm, over it."""
    added = np.mean(1.01 ** np.arange(61, 81) - 1.0) * co2_pi * GTC_PER_PPM
    return tcr * airborne_fraction * 1000.0 / added


def test_tcre_is_tcr_times_airborne_fraction(values):
    """The identity the report's peer comparison rests on: TCRE = TCR x airborne fraction over
    the CO2 added by doubling. It holds per member to within the change of the airborne fraction
    over years 61-80 (under 1 %), for esm's posterior (pre-industrial 284.317 ppm, the CMIP
    protocol) and for the FaIR ensemble of validation/fair_peer_1pctco2.csv (each member's own
    pre-industrial CO2). An emission summed one year off moves the airborne fraction by about
    2 %, which this catches."""
    from esm.experiments import CO2_PICONTROL

    ours = _tcre_from_tcr(values["tcr"], values["airborne_fraction_2x"], CO2_PICONTROL)
    assert np.max(np.abs(values["tcre"] / ours - 1.0)) < 0.015
    peer = observations.load(validate.PEER_FILE)
    assert len(peer) == 841 and np.isfinite(peer.to_numpy()).all()
    theirs = _tcre_from_tcr(peer["tcr"], peer["airborne_fraction_2x"], peer["co2_pi"])
    assert np.max(np.abs(peer["tcre"] / theirs - 1.0)) < 0.015


def test_peer_table(values):
    """esm.validate.peer_1pct: TCR, TCRE and the airborne fraction, each for the posterior and
    the peer, as percentiles over each ensemble's members."""
    t = validate.peer_1pct(values=values)
    assert list(t.index.get_level_values("quantity")) == [
        q for q in validate.PEER_QUANTITIES for _ in range(2)
    ]
    assert list(t["members"]) == [len(values), 841] * 3
    assert (np.diff(t[["p5", "p17", "p50", "p83", "p95"]].to_numpy(), axis=1) >= 0).all()
