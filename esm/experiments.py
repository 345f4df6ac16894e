"""Standard idealised experiments (CMIP6 DECK, C4MIP, ZECMIP, flat10MIP).

Every experiment starts from the model's pre-industrial steady state with CMIP6 piControl CO2
(284.317 ppm; Meinshausen et al. 2017) and no natural forcing. By the CMIP protocol (Eyring et
al. 2016; Jones et al. 2016, 2019) only CO2 changes: all other emissions are held at their
pre-industrial values (zero anthropogenic emissions), and the chemistry feedbacks that would
move the other agents with the warming are off (:data:`PROTOCOL`: the CH4 lifetime's state and
temperature dependence, the ozone temperature feedback) as is permafrost carbon, which the
C4MIP/ZECMIP models the metrics are compared with mostly lack. CH4, N2O, halogens, aerosols and
natural forcing therefore stay exactly at pre-industrial and non-CO2 ERF is zero in every year,
in the concentration-driven experiments as in the emission-driven ones. A user may switch these
on again through ``params`` (then the Dataset's ``non_co2`` attribute says so). Year ``1850``
is the first experiment year (year 1 in CMIP counting); concentration-driven experiments
prescribe the CO2 at the end of each year.

==========================  ==============================================================
``piControl``               no perturbation (checks the steady state)
``abrupt-4xCO2``            CO2 raised to 4x during the spin-up year 1849, then held (150 yr)
``abrupt-2xCO2``            the same with 2x
``1pctCO2``                 CO2 +1 %/yr (concentration-driven, fully coupled), 150 yr;
                            doubles in year 70, quadruples in year 140
``1pctCO2-bgc``             1pctCO2 with CO2 radiatively inert (carbon cycle sees CO2 only)
``1pctCO2-rad``             1pctCO2 with the carbon cycle seeing pre-industrial CO2 (sees
                            warming only)
``esm-1pctCO2``             emission-driven with the compatible emissions of 1pctCO2
``esm-1pct-brch-1000PgC``   esm-1pctCO2 until 1000 GtC are emitted, then zero emissions
                            (ZECMIP; the last year's emissions are scaled to hit 1000 GtC)
``esm-flat10``              10 GtC/yr for 100 yr (flat10MIP)
``esm-flat10-zec``          esm-flat10, then zero emissions (to year 300)
``esm-flat10-cdr``          esm-flat10, then a linear decline to 0 over 50 yr and to -10 GtC/yr
                            over the next 50, held until cumulative emissions are zero (year
                            300), then 20 yr of zero emissions
==========================  ==============================================================

References: Eyring et al. (2016) GMD 9, 1937 (DECK); Jones et al. (2016) GMD 9, 2853 (C4MIP);
Arora et al. (2020) BG 17, 4173; Jones et al. (2019) GMD 12, 4375 (ZECMIP); Sanderson et al.
(2025) GMD 18, 5699 (flat10MIP).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

from esm import metadata, params, runner, scenarios
from esm.kernels import layout

#: CMIP6 piControl (1850) CO2 [ppm] (Meinshausen et al. 2017, GMD 10, 2057).
CO2_PICONTROL = 284.317

#: First experiment year on the output axis (CMIP year 1).
YEAR1 = 1850

#: Parameter values of the CMIP protocol for idealised experiments: only CO2 changes. These
#: are defaults that a user's ``params`` may override (the experiment's own switches may not).
PROTOCOL: dict[str, float] = {
    "switch_ch4_lifetime": 0.0,  # CH4 lifetime fixed: CH4 stays at pre-industrial
    "ozone_temperature_feedback": 0.0,  # no ozone ERF from the warming
    "switch_permafrost": 0.0,  # no permafrost carbon (absent from most C4MIP/ZECMIP models)
}


def _protocol() -> dict[str, float]:
    """:data:`PROTOCOL` restricted to the parameters this model version declares."""
    return {k: v for k, v in PROTOCOL.items() if k in params.PARAMETERS}


def non_co2_note(values: Mapping[str, float] | None) -> str:
    """One-line statement of how non-CO2 agents are treated in an experiment run."""
    changed = sorted(k for k in _protocol() if values and k in values)
    if not changed:
        return (
            "held at pre-industrial (CMIP protocol): non-CO2 emissions at pre-industrial, CH4 "
            "lifetime and ozone temperature feedbacks off, permafrost carbon off"
        )
    return "protocol changed by the user: " + ", ".join(f"{k}={values[k]}" for k in changed)


@dataclass(frozen=True)
class Experiment:
    """Set-up of one experiment (built into emissions and CO2 targets by :func:`setup`)."""

    name: str
    description: str
    length: int  # years after the spin-up year
    co2: str | None = None  # "1pct", "abrupt4x", "abrupt2x" or None (emission-driven)
    switches: tuple[tuple[str, float], ...] = ()
    emissions: str | None = None  # "esm-1pct", "zec1000", "flat10", "flat10-zec", ...


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("piControl", "pre-industrial control", 150),
        Experiment("abrupt-4xCO2", "abrupt quadrupling of CO2", 150, co2="abrupt4x"),
        Experiment("abrupt-2xCO2", "abrupt doubling of CO2", 150, co2="abrupt2x"),
        Experiment("1pctCO2", "CO2 +1 %/yr, fully coupled, concentration-driven", 150, "1pct"),
        Experiment(
            "1pctCO2-bgc",
            "1pctCO2, CO2 radiatively inert (biogeochemically coupled)",
            150,
            "1pct",
            (("switch_co2_radiative", 0.0),),
        ),
        Experiment(
            "1pctCO2-rad",
            "1pctCO2, carbon cycle sees pre-industrial CO2 (radiatively coupled)",
            150,
            "1pct",
            (("switch_carbon_cycle_sees_co2", 0.0),),
        ),
        Experiment(
            "esm-1pctCO2",
            "emission-driven with the compatible emissions of 1pctCO2",
            150,
            emissions="esm-1pct",
        ),
        Experiment(
            "esm-1pct-brch-1000PgC",
            "ZEC: esm-1pctCO2 to 1000 GtC, then zero emissions",
            250,
            emissions="zec1000",
        ),
        Experiment("esm-flat10", "10 GtC/yr of CO2 for 100 years", 100, emissions="flat10"),
        Experiment(
            "esm-flat10-zec", "esm-flat10, then zero emissions", 300, emissions="flat10-zec"
        ),
        Experiment(
            "esm-flat10-cdr",
            "esm-flat10, then decline to -10 GtC/yr until net zero cumulative emissions",
            320,
            emissions="flat10-cdr",
        ),
    )
}


def available() -> list[str]:
    """Names of the experiments."""
    return list(EXPERIMENTS)


def _check_name(name: str) -> Experiment:
    if name not in EXPERIMENTS:
        raise scenarios.ScenarioError(
            f"unknown experiment {name!r}; available: {', '.join(EXPERIMENTS)}"
        )
    return EXPERIMENTS[name]


def _years(length: int) -> np.ndarray:
    """Spin-up year (YEAR1 - 1) plus ``length`` experiment years."""
    return np.arange(YEAR1 - 1, YEAR1 + length)


def _co2_end_targets(kind: str | None, years: np.ndarray, c0: float) -> np.ndarray:
    """CO2 at the end of each year [ppm] (NaN: emission-driven)."""
    t = (years - (YEAR1 - 1)).astype(float)  # years since the start of the spin-up year
    if kind is None:
        return np.full(years.size, np.nan)
    if kind == "1pct":  # constant through the spin-up year, then +1 %/yr from 1 January 1850
        return c0 * 1.01**t
    if kind in ("abrupt4x", "abrupt2x"):
        return np.full(years.size, c0 * (4.0 if kind == "abrupt4x" else 2.0))
    raise ValueError(kind)


def _flat10(kind: str, years: np.ndarray) -> np.ndarray:
    k = years - YEAR1  # 0 in experiment year 1
    e = np.where((k >= 0) & (k < 100), 10.0, 0.0)
    if kind == "flat10-cdr":
        ramp = (k >= 100) & (k < 200)
        e[ramp] = 10.0 - 0.2 * (k[ramp] - 100 + 0.5)  # 10 -> -10 GtC/yr over 100 yr
        e[(k >= 200) & (k < 300)] = -10.0
    return e


def _overrides(exp: Experiment, values: Mapping[str, float] | None) -> dict[str, float]:
    """Parameter values of an experiment run: CMIP piControl CO2, the protocol, the user's
    ``values``, and the experiment's switches, which define it and win over user values."""
    return {"co2_pi": CO2_PICONTROL, **_protocol(), **(values or {}), **dict(exp.switches)}


def setup(name: str, values: Mapping[str, float] | None = None):
    """Years, emission array, natural forcing, CO2 end-of-year targets and parameter vector."""
    exp = _check_name(name)
    years = _years(exp.length)
    pvec = params.vector(_overrides(exp, values))
    emis = np.zeros((years.size, layout.N_SPECIES))
    natural = np.zeros((years.size, 2))
    co2_end = _co2_end_targets(exp.co2, years, pvec[layout.P_CO2_PI])
    if exp.emissions and exp.emissions.startswith("flat10"):
        emis[:, layout.E_CO2_FOSSIL] = _flat10(exp.emissions, years)
    elif exp.emissions in ("esm-1pct", "zec1000"):
        compatible = compatible_emissions("1pctCO2", values)
        emis[:, layout.E_CO2_FOSSIL] = branch_emissions(exp.emissions, compatible, years.size)
    return exp, years, emis, natural, co2_end, pvec


def branch_emissions(kind: str, compatible: np.ndarray, n_years: int) -> np.ndarray:
    """CO2 emissions [GtC yr-1] of an emission-driven branch of 1pctCO2, e[..., year].

    ``compatible[..., year]`` are the compatible emissions of 1pctCO2 (one row per member or a
    single series), padded with zeros or cut to ``n_years``. ``kind`` "esm-1pct" keeps them;
    "zec1000" (esm-1pct-brch-1000PgC) stops them at 1000 GtC: the year that reaches it is
    scaled down so that exactly 1000 GtC are emitted, and later years are zero.
    """
    compatible = np.asarray(compatible, dtype=np.float64)
    e = np.zeros(compatible.shape[:-1] + (n_years,))
    n = min(compatible.shape[-1], n_years)
    e[..., :n] = compatible[..., :n]
    if kind == "zec1000":
        cum = np.cumsum(e, axis=-1)
        stop = np.argmax(cum >= 1000.0, axis=-1)
        before = np.where(
            stop > 0, np.take_along_axis(cum, np.maximum(stop - 1, 0)[..., None], -1)[..., 0], 0.0
        )
        np.put_along_axis(e, stop[..., None], (1000.0 - before)[..., None], axis=-1)
        e[np.arange(n_years) > stop[..., None]] = 0.0
    return e


def parameter_matrix(name: str, pmatrix: np.ndarray) -> np.ndarray:
    """Parameter matrix of experiment ``name`` for members ``pmatrix[m]`` (kernel order).

    Every row gets CMIP piControl CO2, the protocol values (:data:`PROTOCOL`) and the
    experiment's own switches, as :func:`setup` gives a single run with default protocol.
    """
    exp = _check_name(name)
    out = np.array(pmatrix, dtype=np.float64, copy=True, ndmin=2)
    for k, v in {"co2_pi": CO2_PICONTROL, **_protocol(), **dict(exp.switches)}.items():
        out[:, params.PARAMETERS_INDEX[k]] = v
    return out


def scenario(
    name: str, values: Mapping[str, float] | None = None
) -> tuple[xr.Dataset, xr.DataArray, dict[str, float]]:
    """Experiment ``name`` as inputs of :func:`esm.run_many`.

    Returns (scenario Dataset in internal units with zero natural forcing, prescribed CO2 at
    the end of each year [ppm] on ``year`` (NaN: emission-driven), parameter overrides: CMIP
    piControl CO2, the protocol (:data:`PROTOCOL`), ``values`` and the experiment's
    switches). ``esm.run_many(ds, overrides, co2_end=co2_end, history=None,
    gsat_reference=None)`` is :func:`run` (bit for bit); with ``members=N`` the overrides
    apply to every member, as :func:`parameter_matrix` sets them. The emission-driven branches
    of 1pctCO2 (``esm-1pctCO2``, ``esm-1pct-brch-1000PgC``) carry the compatible emissions of
    the parameter set ``values``, not each member's own (see :func:`esm.metrics.run_experiments`).
    """
    exp, years, emis, natural, co2_end, _ = setup(name, values)
    data = {
        sp: ("year", emis[:, k], {"units": scenarios.internal_unit(sp)})
        for k, sp in enumerate(layout.SPECIES_NAMES)
    }
    for k, v in enumerate(scenarios.NATURAL_VARIABLES):
        data[v] = ("year", natural[:, k], {"units": "W m-2"})
    attrs = {"scenario": name, "experiment": name, "description": exp.description}
    ds = xr.Dataset(data, coords={"year": years}, attrs=attrs)
    co2 = xr.DataArray(
        co2_end,
        coords={"year": years},
        dims="year",
        name="co2_end",
        attrs={"units": "ppm", "long_name": "prescribed CO2 at the end of the year"},
    )
    return ds, co2, _overrides(exp, values)


def compatible_emissions(name: str = "1pctCO2", values=None) -> np.ndarray:
    """Diagnosed compatible CO2 emissions [GtC yr-1] of a concentration-driven experiment."""
    ds = run(name, values, variables=["emissions_co2_fossil"])
    return ds["emissions_co2_fossil"].values


def run(
    name: str,
    params: Mapping[str, float] | None = None,
    *,
    variables=None,
    substeps: int = runner.SUBSTEPS,
) -> xr.Dataset:
    """Run experiment ``name`` (see :data:`EXPERIMENTS`) and return its Dataset.

    Parameters
    ----------
    name
        An experiment of :data:`EXPERIMENTS` (``esm experiment --list``), e.g. ``"1pctCO2"``.
    params
        Parameter overrides by name; the CMIP protocol (:data:`PROTOCOL`: only CO2 changes)
        applies unless a protocol parameter is given here.
    variables
        Output variables (default: every variable of :data:`esm.metadata.OUTPUTS`).
    substeps
        Carbon-cycle / energy-balance sub-steps per year.

    Returns
    -------
    xarray.Dataset
        The variables of :mod:`esm.metadata` on a ``year`` axis that starts with the spin-up
        year 1849; ``gsat`` is relative to the pre-industrial steady state, and the
        ``experiment_year`` coordinate counts CMIP years (1 = 1850).
    """
    ds_in, co2_end, overrides = scenario(name, params)
    names = list(variables) if variables is not None else list(metadata.OUTPUTS)
    out = runner.run_many(
        ds_in,
        overrides,
        co2_end=co2_end,
        variables=names,
        substeps=substeps,
        history=None,  # the spin-up year is the pre-industrial steady state
        gsat_reference=None,
        squeeze=True,
    )
    attrs = {
        "experiment": name,
        "description": ds_in.attrs["description"],
        "scenario": name,
        "co2_pi": float(overrides["co2_pi"]),
        "substeps": int(substeps),
        "non_co2": non_co2_note(params),
        "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        or "none (defaults)",
    }
    out = out[names]  # the outputs (no parameter or status variables)
    out.attrs = {k: out.attrs[k] for k in ("Conventions", "title", "esm_version")} | attrs
    years = out["year"].values
    return out.assign_coords(experiment_year=("year", years - YEAR1 + 1))
