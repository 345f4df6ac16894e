"""Feedback decomposition for teaching: what each carbon-cycle and chemistry feedback adds.

Each feedback of the model has a switch parameter (:data:`FEEDBACKS`). A feedback's
*contribution* to a variable is the run with every feedback on (the reference) minus the run
with only that feedback switched off::

    contribution_i = X(all on) - X(all on, feedback i off)

The contributions do not add up to the effect of switching all of them off at once,
``X(all on) - X(all off)``: the feedbacks act on each other (without CO2 fertilisation CO2 is
higher, so the ocean's carbonate chemistry and the warming-driven losses act on a larger
perturbation). :func:`decompose` returns that difference as the *interaction* term.

>>> import esm.feedbacks as fb
>>> ds = fb.decompose("ssp245", year=2100)          # doctest: +SKIP
>>> ds["co2_contribution_at_year"].to_series()      # doctest: +SKIP
>>> fb.plot_waterfall(ds, "feedbacks.png")          # doctest: +SKIP
>>> fb.decompose_tcre()["tcre"].to_series()         # doctest: +SKIP
>>> fb.c4mip().to_dataframe()                       # doctest: +SKIP

All runs of one call share one kernel call (one parameter row per run). References:
Friedlingstein et al. (2006) J. Climate 19, 3337; Arora et al. (2020) Biogeosciences 17,
4173 (beta/gamma); Gregory et al. (2009) J. Climate 22, 5232 (feedback framework).

The waterfall chart is drawn by :mod:`esm.figures.feedbacks`; :func:`plot_waterfall` and
:func:`figure` are kept here for compatibility (the objects of that module).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import xarray as xr

from esm import experiments as X
from esm import metadata, metrics, runner
from esm import params as _params
from esm.figures.feedbacks import figure as figure  # kept for compatibility
from esm.figures.feedbacks import plot_waterfall as plot_waterfall  # kept for compatibility
from esm.kernels import layout


class Feedback(NamedTuple):
    """One switchable feedback: switch parameter, readable label (plain text), explanation for
    learners, expected sign of its effect on atmospheric CO2 (+1 raises CO2, -1 lowers it, 0
    small and indirect, sign depends on the scenario)."""

    switch: str
    label: str
    explanation: str
    sign: int


#: The carbon-cycle and chemistry feedbacks, by name (order of the tables and figures).
FEEDBACKS: dict[str, Feedback] = {
    "co2_fertilisation": Feedback(
        "switch_co2_fertilisation",
        "CO2 fertilisation of plants",
        "More CO2 lets plants grow faster (higher net primary production), so the land stores "
        "more carbon and takes CO2 out of the air.",
        -1,
    ),
    "respiration_temperature": Feedback(
        "switch_respiration_temperature",
        "Soil respiration speeds up with warming (Q10)",
        "Soil microbes decompose dead organic matter faster when it is warmer (by a factor Q10 "
        "per 10 K), releasing carbon that the land had stored.",
        +1,
    ),
    "carbonate_chemistry": Feedback(
        "switch_carbonate_chemistry",
        "Ocean carbonate chemistry (Revelle factor)",
        "As the ocean takes up CO2 its carbonate ions are used up, so each further tonne of "
        "CO2 raises surface-ocean pCO2 more (the Revelle factor grows) and uptake slows.",
        +1,
    ),
    "ocean_solubility": Feedback(
        "switch_ocean_solubility_temperature",
        "CO2 less soluble in warmer seawater",
        "Warm water dissolves less CO2: surface-ocean pCO2 rises by about 4 % per kelvin of "
        "warming, so the ocean takes up less.",
        +1,
    ),
    "permafrost": Feedback(
        "switch_permafrost",
        "Permafrost carbon thaws",
        "Frozen soils in the Arctic hold carbon that has been locked away for millennia; as "
        "they thaw, microbes release it as CO2 and CH4.",
        +1,
    ),
    "ch4_lifetime": Feedback(
        "switch_ch4_lifetime",
        "CH4 lifetime chemistry",
        "Methane is destroyed by OH radicals; their abundance, and so methane's lifetime, "
        "depends on methane itself, NOx and VOC emissions and temperature. It acts on CO2 only "
        "through the warming it changes.",
        0,
    ),
}

#: Feedbacks driven by warming (carbon-climate, gamma) and by CO2 (carbon-concentration,
#: beta), as in Friedlingstein et al. (2006); ``ch4_lifetime`` is a chemistry feedback.
CARBON_CLIMATE = ("respiration_temperature", "ocean_solubility", "permafrost")
CARBON_CONCENTRATION = ("co2_fertilisation", "carbonate_chemistry")

#: Variables whose contributions :func:`decompose` returns (units from esm.metadata).
VARIABLES = ("co2", "gsat", "ch4")


def _check_feedbacks(feedbacks: Iterable[str] | None) -> list[str]:
    names = list(FEEDBACKS) if feedbacks is None else list(feedbacks)
    unknown = [f for f in names if f not in FEEDBACKS]
    if unknown or not names:
        raise ValueError(
            f"unknown feedback(s) {', '.join(map(repr, unknown)) or '(none given)'}; "
            f"known: {', '.join(FEEDBACKS)}"
        )
    return names


def _rows(pvec: np.ndarray, cases: Mapping[str, Iterable[str]]) -> np.ndarray:
    """Parameter matrix: one row per case, ``pvec`` with the cases' feedbacks switched off."""
    idx = _params.PARAMETERS_INDEX
    rows = np.tile(pvec, (len(cases), 1))
    for r, off in enumerate(cases.values()):
        for name in off:
            rows[r, idx[FEEDBACKS[name].switch]] = 0.0
    return rows


def _integrate(cases, emis, natural, co2_end, pmatrix, names, years):
    """One kernel call for every case; a failed case is named in the ModelError, and runs
    whose ocean chemistry left its fitted range are named in one warning."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # restated below with the cases
            raw, needed, status = runner.integrate(
                emis, natural, co2_end, pmatrix, runner.SUBSTEPS, names, years=years
            )
    except runner.ModelError as err:
        text = str(err)
        words = text.split()
        if len(words) > 1 and words[0] == "member" and words[1].isdigit():
            text = f"run '{list(cases)[int(words[1])]}' ({text})"
        raise runner.ModelError(text) from err
    hot = [c for c, st in zip(cases, status, strict=True) if st & layout.STATUS_CHEMISTRY_RANGE]
    if hot:
        warnings.warn(
            f"run(s) {', '.join(hot)}: surface-ocean pCO2 perturbation exceeded 1320 ppm, the "
            "range of the Joos et al. (1996) carbonate polynomial; ocean uptake is extrapolated",
            RuntimeWarning,
            stacklevel=3,
        )
    return raw, needed, status


def _active(pvec: np.ndarray, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(feedbacks on in ``pvec``, feedbacks already off)."""
    idx = _params.PARAMETERS_INDEX
    on = [f for f in names if pvec[idx[FEEDBACKS[f].switch]] > 0.5]
    return on, [f for f in names if f not in on]


def _feedback_coords(names: list[str]) -> dict:
    return {
        "feedback": ("feedback", names),
        "label": ("feedback", [FEEDBACKS[f].label for f in names]),
        "switch": ("feedback", [FEEDBACKS[f].switch for f in names]),
        "explanation": ("feedback", [FEEDBACKS[f].explanation for f in names]),
        "expected_sign_co2": ("feedback", [FEEDBACKS[f].sign for f in names]),
    }


# ------------------------------------------------------------------------------ scenarios
def decompose(
    scenario: str | xr.Dataset = "ssp245",
    *,
    year: int = 2100,
    params: Mapping[str, float] | None = None,
    feedbacks: Iterable[str] | None = None,
    end: int | None = None,
) -> xr.Dataset:
    """Contribution of each feedback to CO2, GSAT and CH4 of an emission-driven scenario run.

    Runs ``scenario`` (a name or a scenario Dataset, as :func:`esm.run` takes it) with
    ``params`` and every feedback on (the reference), with each feedback of ``feedbacks``
    (default: all of :data:`FEEDBACKS`) switched off in turn, and with all of them off, in one
    kernel call. Returns, for each variable ``v`` of :data:`VARIABLES`:

    * ``v`` (year): the reference run; ``v_without`` (feedback, year): the run with that
      feedback off; ``v_all_off`` (year): all of ``feedbacks`` off;
    * ``v_contribution`` (feedback, year) = ``v - v_without``;
    * ``v_total`` (year) = ``v - v_all_off``; ``v_sum`` (year): the sum of the
      contributions; ``v_interaction`` (year) = ``v_total - v_sum`` (non-additivity);
    * ``v_contribution_at_year`` (feedback) and ``v_{reference,all_off,total,sum,
      interaction}_at_year``: the same in ``year``.

    Coordinates ``label``, ``switch``, ``explanation`` and ``expected_sign_co2`` describe each
    feedback; the attributes state the definitions, units and the non-additivity in ``year``.
    A feedback already off in ``params`` contributes exactly zero (listed in ``already_off``).
    """
    names = _check_feedbacks(feedbacks)
    pvec = runner._params_vector(params)
    ds_in, years, emis, natural = runner.prepare(scenario, end=end)
    if emis.ndim == 3:
        raise ValueError(
            "decompose takes one scenario; the Dataset has a 'scenario' dimension (select one)"
        )
    year = int(year)
    if year not in years:
        raise ValueError(f"year {year} is outside the run's years {years[0]}-{years[-1]}")
    cases = {"reference": (), **{f: (f,) for f in names}, "all_off": tuple(names)}
    pmatrix = _rows(pvec, cases)
    co2_end = np.full(years.size, np.nan)
    out_names = list(VARIABLES)
    raw, needed, _ = _integrate(cases, emis, natural, co2_end, pmatrix, out_names, years)
    values, reference = runner.derive(years, raw, needed, out_names)
    _, already_off = _active(pvec, names)

    n = len(names)
    at = int(np.nonzero(years == year)[0][0])
    data = {}

    for j, v in enumerate(out_names):
        base = metadata.attrs(v)
        ref, without, all_off = values[j, 0], values[j, 1 : n + 1], values[j, n + 1]
        contribution = ref[None, :] - without
        total = ref - all_off
        summed = contribution.sum(axis=0)
        interaction = total - summed
        what = base["long_name"]
        if v == "gsat":
            base = {**base, "reference_period": reference}

        def a(long_name, base=base, **extra):
            return {**base, "long_name": long_name, **extra}

        data[v] = (("year",), ref, a(f"{what}, all feedbacks on (reference)"))
        data[f"{v}_without"] = (
            ("feedback", "year"),
            without,
            a(f"{what} with only this feedback switched off"),
        )
        data[f"{v}_all_off"] = (("year",), all_off, a(f"{what} with all listed feedbacks off"))
        data[f"{v}_contribution"] = (
            ("feedback", "year"),
            contribution,
            a(
                f"contribution of the feedback to {what}",
                definition="reference minus the run with only this feedback off",
            ),
        )
        data[f"{v}_total"] = (
            ("year",),
            total,
            a(
                f"combined effect of all listed feedbacks on {what}",
                definition="reference - all off",
            ),
        )
        data[f"{v}_sum"] = (
            ("year",),
            summed,
            a(f"sum of the individual contributions to {what}"),
        )
        data[f"{v}_interaction"] = (
            ("year",),
            interaction,
            a(
                f"interaction of the feedbacks on {what} (non-additivity)",
                definition="total minus the sum of the individual contributions",
            ),
        )
        data[f"{v}_contribution_at_year"] = (
            ("feedback",),
            contribution[:, at],
            a(f"contribution of the feedback to {what} in {year}"),
        )
        for key, series, text in (
            ("reference", ref, "all feedbacks on"),
            ("all_off", all_off, "all listed feedbacks off"),
            ("total", total, "reference - all off"),
            ("sum", summed, "sum of the individual contributions"),
            ("interaction", interaction, "total - sum of the contributions"),
        ):
            data[f"{v}_{key}_at_year"] = ((), float(series[at]), a(f"{what} in {year}: {text}"))

    ds = xr.Dataset(data, coords={"year": years, **_feedback_coords(names)})
    ds["year"].attrs = {"long_name": "calendar year (annual means)", "units": "1"}
    scen = ds_in.attrs.get("scenario", scenario if isinstance(scenario, str) else "user")
    ds.attrs.update(
        {
            "title": f"feedback decomposition of {scen}",
            "scenario": str(scen),
            "year": year,
            "co2_pi": float(pvec[layout.P_CO2_PI]),
            "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
            or "none (defaults)",
            "definition": "contribution of a feedback = run with all feedbacks on minus the run "
            "with only that feedback off (same emissions, emission-driven); positive: the "
            "feedback raises the variable",
            "runs": "reference (all on), each feedback off in turn, all listed feedbacks off; "
            "one kernel call",
            "already_off": ", ".join(already_off) or "none",
            "non_additivity": _non_additivity(ds_in_vars=data, year=year),
        }
    )
    return ds


def _non_additivity(ds_in_vars: dict, year: int) -> str:
    parts = []
    for v in ("co2", "gsat"):
        units = ds_in_vars[v][2]["units"]
        total = ds_in_vars[f"{v}_total_at_year"][1]
        summed = ds_in_vars[f"{v}_sum_at_year"][1]
        parts.append(
            f"{v}: sum of the contributions {summed:+.3g} {units}, all off at once "
            f"{total:+.3g} {units}, interaction {total - summed:+.3g} {units}"
        )
    return (
        f"In {year} " + "; ".join(parts) + ". The contributions do not add up because the "
        "feedbacks act on each other (each one changes the CO2 and warming the others respond "
        "to)."
    )


# ------------------------------------------------------------------------------ TCRE
def decompose_tcre(
    params: Mapping[str, float] | None = None, feedbacks: Iterable[str] | None = None
) -> xr.Dataset:
    """TCRE [K per 1000 GtC] of esm-1pctCO2 with each feedback off, the carbon-climate
    feedbacks off and all off.

    The emissions are those of the reference (the compatible emissions of 1pctCO2 with
    ``params``, every feedback on) in every run, so a feedback that raises CO2 raises the
    warming per emitted tonne. TCRE follows :mod:`esm.metrics` (GSAT over cumulative emissions,
    means of years 61-80). The CMIP protocol (:data:`esm.experiments.PROTOCOL`) keeps the CH4
    lifetime and permafrost feedbacks off in the reference; they are omitted (attribute
    ``not_in_reference``) unless ``params`` switches them on. Cases (coordinate ``case``):
    ``reference``, each active feedback off, ``carbon_climate_off`` (the active feedbacks of
    :data:`CARBON_CLIMATE`), ``all_off``.
    """
    names = _check_feedbacks(feedbacks)
    _, years, emis, natural, co2_end, pvec = X.setup("esm-1pctCO2", params)
    active, inactive = _active(pvec, names)
    climate = [f for f in active if f in CARBON_CLIMATE]
    cases = {"reference": (), **{f: (f,) for f in active}}
    if climate:
        cases["carbon_climate_off"] = tuple(climate)
    cases["all_off"] = tuple(active)
    out_names = ["gsat", "co2", "emissions_co2_fossil"]
    raw, needed, _ = _integrate(cases, emis, natural, co2_end, _rows(pvec, cases), out_names, years)
    values, _ = runner.derive(years, raw, needed, out_names, gsat_reference=None)
    gsat, co2, e = values
    tcre = metrics.tcre(gsat, e)
    labels = {
        "reference": "all feedbacks on",
        "carbon_climate_off": "carbon-climate feedbacks off (" + ", ".join(climate) + ")",
        "all_off": "all feedbacks off (" + ", ".join(active) + ")",
    }
    case = list(cases)
    unit = "K (1000 GtC)-1"
    return xr.Dataset(
        {
            "tcre": (
                "case",
                tcre,
                {
                    "units": unit,
                    "long_name": "transient climate response to cumulative CO2 "
                    "emissions, esm-1pctCO2 years 61-80",
                },
            ),
            "tcre_change": (
                "case",
                tcre - tcre[0],
                {"units": unit, "long_name": "TCRE minus the reference TCRE"},
            ),
            "co2_61_80": (
                "case",
                metrics.window_mean(co2, 61, 80),
                {"units": "ppm", "long_name": "atmospheric CO2, mean of years 61-80"},
            ),
            "gsat_61_80": (
                "case",
                metrics.window_mean(gsat, 61, 80),
                {"units": "K", "long_name": "GSAT change from pre-industrial, years 61-80"},
            ),
        },
        coords={
            "case": case,
            "label": (
                "case",
                [labels[c] if c in labels else f"without: {FEEDBACKS[c].label}" for c in case],
            ),
        },
        attrs={
            "experiment": "esm-1pctCO2",
            "emissions": "compatible emissions of 1pctCO2 with every feedback on, in every case",
            "not_in_reference": ", ".join(inactive) or "none",
            "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
            or "none (defaults)",
        },
    )


# ------------------------------------------------------------------------------ C4MIP
def c4mip(params: Mapping[str, float] | None = None) -> xr.Dataset:
    """C4MIP carbon-concentration (beta) and carbon-climate (gamma) feedback parameters.

    From 1pctCO2 (fully coupled, COU), 1pctCO2-bgc (CO2 radiatively inert) and 1pctCO2-rad
    (carbon cycle sees pre-industrial CO2), one kernel call each
    (:func:`esm.metrics.run_experiments`), at 2xCO2 (end of year 70) and 4xCO2 (year 140):
    ``beta`` [GtC ppm-1] and ``gamma`` [GtC K-1] as :func:`esm.metrics.feedbacks` defines them
    (beta = dC_BGC / dCO2, gamma = (dC_COU - dC_BGC) / dT_COU; Arora et al. 2020), and
    ``gamma_rad`` = dC_RAD / dT_RAD, the radiatively coupled estimate, which differs from
    ``gamma`` by the non-linearity of the feedbacks. Dimensions realm (land, ocean) and co2
    (2x, 4x); the CMIP6 values of Arora et al. (2020) are for 4xCO2.
    """
    table = metrics.parameter_table(params)
    runs = metrics.run_experiments(table, experiments=("1pctCO2", "1pctCO2-bgc", "1pctCO2-rad"))
    cou, bgc, rad = runs["1pctCO2"], runs["1pctCO2-bgc"], runs["1pctCO2-rad"]
    levels = {"2x": 70, "4x": 140}
    beta = np.zeros((2, 2))
    gamma = np.zeros((2, 2))
    gamma_rad = np.zeros((2, 2))
    for k, year in enumerate(levels.values()):
        fb = metrics.feedbacks(cou, bgc, year)
        d_t_rad = metrics.window_mean(rad["gsat"].values[0], year - 9, year + 10)
        for r, realm in enumerate(("land", "ocean")):
            beta[r, k] = float(np.asarray(fb[f"beta_{realm}"]).ravel()[0])
            gamma[r, k] = float(np.asarray(fb[f"gamma_{realm}"]).ravel()[0])
            d_c = rad[f"{realm}_sink"].values[0, : year + 1].sum()
            gamma_rad[r, k] = d_c / d_t_rad
    return xr.Dataset(
        {
            "beta": (
                ("realm", "co2"),
                beta,
                {
                    "units": "GtC ppm-1",
                    "long_name": "carbon-concentration feedback parameter "
                    "(uptake per ppm of CO2 rise, 1pctCO2-bgc)",
                },
            ),
            "gamma": (
                ("realm", "co2"),
                gamma,
                {
                    "units": "GtC K-1",
                    "long_name": "carbon-climate feedback parameter (uptake "
                    "per K of warming, 1pctCO2 minus 1pctCO2-bgc)",
                },
            ),
            "gamma_rad": (
                ("realm", "co2"),
                gamma_rad,
                {
                    "units": "GtC K-1",
                    "long_name": "carbon-climate feedback parameter from "
                    "1pctCO2-rad (uptake per K of warming at pre-industrial CO2)",
                },
            ),
        },
        coords={
            "realm": ["land", "ocean"],
            "co2": ["2x", "4x"],
            "experiment_year": ("co2", list(levels.values())),
        },
        attrs={
            "definition": "Arora et al. (2020) Biogeosciences 17, 4173, as esm.metrics: "
            "changes of land and ocean carbon from the start of the experiment to the end of "
            "year 70 (2xCO2) or 140 (4xCO2); dT: 20-yr mean GSAT centred on that year",
            "sign": "beta > 0: more CO2 -> more uptake; gamma < 0: warming -> less uptake",
            "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
            or "none (defaults)",
        },
    )
