"""Feedback decomposition (esm.feedbacks): signs and sizes of each feedback's contribution,
agreement with independent single runs, TCRE and the C4MIP beta/gamma view, the figure."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

import esm
from esm import feedbacks, metrics
from esm import params as P

CARBON = ("co2_fertilisation", "respiration_temperature", "carbonate_chemistry", "ocean_solubility")


@pytest.fixture(scope="module")
def ssp245():
    return feedbacks.decompose("ssp245", year=2100)


@pytest.fixture(scope="module")
def ssp585():
    return feedbacks.decompose("ssp585", year=2100)


@pytest.fixture(scope="module")
def tcre():
    # without CO2 fertilisation 1pctCO2 emissions can push surface pCO2 beyond the fitted
    # range of the carbonate polynomial (a warning, depending on the parameters)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return feedbacks.decompose_tcre()


def contribution(ds, var, name):
    return float(ds[f"{var}_contribution_at_year"].sel(feedback=name))


def test_table_names_real_switches_with_labels_and_signs():
    for name, (switch, label, explanation, sign) in feedbacks.FEEDBACKS.items():
        assert P.PARAMETERS[switch] is not None, name
        assert P.vector()[P.PARAMETERS_INDEX[switch]] == 1.0  # on by default
        assert label and "switch" not in label and explanation.endswith(".")
        assert sign in (-1, 0, 1)


def test_each_contribution_equals_an_independent_run(ssp245):
    """reference - (run with this switch off), each from a separate esm.run."""
    ref = esm.run("ssp245", variables=["co2", "gsat", "ch4"]).sel(year=2100)
    for v in ("co2", "gsat", "ch4"):
        assert float(ssp245[f"{v}_reference_at_year"]) == pytest.approx(float(ref[v]), rel=1e-9)
    for name, fb in feedbacks.FEEDBACKS.items():
        off = esm.run("ssp245", {fb.switch: 0.0}, variables=["co2", "gsat"]).sel(year=2100)
        for v in ("co2", "gsat"):
            expected = float(ref[v] - off[v])
            assert contribution(ssp245, v, name) == pytest.approx(expected, rel=1e-7, abs=1e-9)
    switches = {fb.switch: 0.0 for fb in feedbacks.FEEDBACKS.values()}
    all_off = esm.run("ssp245", switches, variables=["co2"]).sel(year=2100)
    assert float(ssp245["co2_all_off_at_year"]) == pytest.approx(float(all_off["co2"]), rel=1e-9)


def test_co2_fertilisation_lowers_co2_by_about_150_ppm(ssp245):
    # beta_land ~ 1.3 GtC/ppm (c4mip below) over a ~270 ppm rise stores ~350 GtC = ~165 ppm,
    # of which the ocean would have taken up a part: between 80 and 250 ppm less CO2
    assert -250.0 < contribution(ssp245, "co2", "co2_fertilisation") < -80.0


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("respiration_temperature", 5.0, 50.0),  # Q10 respiration: land loses carbon
        ("carbonate_chemistry", 10.0, 80.0),  # Revelle factor grows: ocean uptake slows
        ("ocean_solubility", 5.0, 50.0),  # ~4 %/K pCO2 rise: ocean uptake slows
        ("permafrost", 1.0, 40.0),  # thawing carbon: a few ppm by 2100 in SSP2-4.5
    ],
)
def test_carbon_climate_and_chemistry_feedbacks_raise_co2(ssp245, name, low, high):
    assert low < contribution(ssp245, "co2", name) < high
    assert feedbacks.FEEDBACKS[name].sign == 1


def test_warming_follows_the_co2_of_each_carbon_feedback(ssp245):
    """dT/dCO2 of a carbon-cycle feedback: below the equilibrium ECS / (ln 2 C) (the ocean
    delays the warming) and above 40 % of it (TCR/ECS of the model is ~0.65)."""
    c = float(ssp245["co2_reference_at_year"])
    equilibrium = metrics.compute()["ecs"] / math.log(2.0) / c
    for name in CARBON:
        ratio = contribution(ssp245, "gsat", name) / contribution(ssp245, "co2", name)
        assert 0.4 * equilibrium < ratio < equilibrium, name


def test_ch4_lifetime_acts_on_ch4_and_on_co2_only_through_warming(ssp245):
    ch4 = contribution(ssp245, "ch4", "ch4_lifetime")
    assert abs(ch4) > 50.0  # ppb: the lifetime chemistry moves CH4 by a lot
    co2, t = (
        contribution(ssp245, "co2", "ch4_lifetime"),
        contribution(ssp245, "gsat", "ch4_lifetime"),
    )
    assert np.sign(co2) == np.sign(t) == np.sign(ch4)  # less CH4 -> cooler -> less CO2
    assert abs(co2) < 0.05 * abs(contribution(ssp245, "co2", "co2_fertilisation"))


def test_stronger_forcing_gives_larger_warming_driven_feedbacks(ssp245, ssp585):
    for name in ("respiration_temperature", "ocean_solubility", "permafrost"):
        assert contribution(ssp585, "co2", name) > 1.5 * contribution(ssp245, "co2", name) > 0
    # the Revelle factor grows with the ocean's carbon: far larger at 1000 ppm than at 550
    assert contribution(ssp585, "co2", "carbonate_chemistry") > 2.5 * contribution(
        ssp245, "co2", "carbonate_chemistry"
    )


def test_non_additivity_is_material_and_stated(ssp245):
    total = float(ssp245["co2_total_at_year"])
    summed = float(ssp245["co2_sum_at_year"])
    assert abs(total - summed) > 10.0  # ppm: the feedbacks interact
    assert f"{total:+.3g} ppm" in ssp245.attrs["non_additivity"]
    assert f"{summed:+.3g} ppm" in ssp245.attrs["non_additivity"]


def test_feedback_already_off_contributes_nothing():
    ds = feedbacks.decompose(
        "ssp245", year=2050, params={"switch_permafrost": 0.0}, feedbacks=["permafrost"]
    )
    assert float(ds["co2_contribution_at_year"].sel(feedback="permafrost")) == 0.0
    assert ds.attrs["already_off"] == "permafrost"


def test_unknown_feedback_and_year_outside_the_run_are_errors():
    with pytest.raises(ValueError, match="known: co2_fertilisation"):
        feedbacks.decompose("ssp245", feedbacks=["clouds"])
    with pytest.raises(ValueError, match="outside the run"):
        feedbacks.decompose("ssp245", year=2150)


def test_tcre_reference_matches_the_metric_and_carbon_climate_feedbacks_raise_it(tcre):
    """esm-1pctCO2 with the compatible emissions of 1pctCO2 reproduces the TCRE of the metric
    (an independent, concentration-driven route); switching the warming-driven feedbacks off
    keeps more carbon in land and ocean, so the same emissions warm less."""
    ref = float(tcre["tcre"].sel(case="reference"))
    assert ref == pytest.approx(metrics.compute()["tcre"], rel=0.01)
    off = float(tcre["tcre"].sel(case="carbon_climate_off"))
    assert 0.85 * ref < off < ref
    for name in ("respiration_temperature", "ocean_solubility", "carbonate_chemistry"):
        assert float(tcre["tcre"].sel(case=name)) < ref, name
    # without fertilisation the land takes up far less: much more warming per tonne
    assert float(tcre["tcre"].sel(case="co2_fertilisation")) > 1.2 * ref
    assert "permafrost" in tcre.attrs["not_in_reference"]  # CMIP protocol keeps it off


def test_c4mip_signs_and_cmip6_ocean_beta():
    ds = feedbacks.c4mip()
    four = ds.sel(co2="4x")
    assert float(four["beta"].sel(realm="land")) > 0
    assert float(four["beta"].sel(realm="ocean")) > 0
    for var in ("gamma", "gamma_rad"):
        assert float(four[var].sel(realm="land")) < 0
        assert float(four[var].sel(realm="ocean")) < 0
    # Arora et al. (2020): CMIP6 beta_ocean 0.79 +- 0.07 GtC/ppm (1 sigma) at 4xCO2
    assert abs(float(four["beta"].sel(realm="ocean")) - 0.79) < 3 * 0.07
    assert ds["beta"].attrs["units"] == "GtC ppm-1" and ds["gamma"].attrs["units"] == "GtC K-1"


def test_waterfall_has_one_bar_per_step(ssp245, tmp_path):
    path = tmp_path / "waterfall.png"
    fig = feedbacks.plot_waterfall(ssp245, path)
    assert isinstance(fig, Figure) and path.stat().st_size > 10_000
    assert len(fig.axes) == 2
    n = len(feedbacks.FEEDBACKS) + 2 + 1  # off, each feedback, interaction, reference
    for ax, v in zip(fig.axes, ("co2", "gsat"), strict=True):
        bars = [p for c in ax.containers for p in c]
        assert len(bars) == n
        # the bars end at the reference value of the variable
        assert bars[-1].get_x() + bars[-1].get_width() == pytest.approx(
            float(ssp245[f"{v}_reference_at_year"])
        )
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert "switch_" not in " ".join(labels)
    assert "ssp245, 2100" in fig.get_suptitle()
