"""Global sensitivity of a model output to the uncertain parameters (SALib).

>>> table = esm.sensitivity("gsat_2100", method="sobol", n=256)   # doctest: +SKIP

The parameters vary over their priors (the distributions declared next to each parameter):
SALib samples the unit hypercube (Saltelli/Sobol' or Morris trajectories), each coordinate is
mapped through its prior's quantile function (over the 0.5-99.5 % range), and all samples run
as one ensemble (numba threads over members). The indices are those of the unit-hypercube
problem, which equal the indices for the prior-distributed inputs because every mapping is
monotone in one input.

References: Saltelli et al. (2010) Comput. Phys. Commun. 181, 259; Morris (1991)
Technometrics 33, 161; Herman & Usher (2017) JOSS 2, 97 (SALib).

The bar chart of the indices is drawn by :mod:`esm.figures.sensitivity`; its
:func:`plot_indices` and :func:`indices_figure` stay reachable here for compatibility (imported
on first use, so that ``import esm`` does not import matplotlib).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from esm import experiments, params, runner
from esm.figures import moved
from esm.metrics import window_mean

#: The unit interval of each input maps to this quantile range of its prior (0.5-99.5 %), so
#: Morris trajectories, which visit the corners, stay inside the physically sensible range.
QUANTILE_RANGE = (0.005, 0.995)


def _scenario_output(var: str, scenario: str, year_from: int, year_to: int):
    def compute(table: pd.DataFrame, check: bool = True) -> np.ndarray:
        ds = runner.run_many(scenario, table, end=year_to, variables=[var], check=check)
        years = ds["year"].values
        sel = (years >= year_from) & (years <= year_to)
        return ds[var].values[0][:, sel].mean(axis=1)

    return compute


def _tcr_tcre(kind: str):
    def compute(table: pd.DataFrame, check: bool = True) -> np.ndarray:
        ds_in, co2_end, _ = experiments.scenario("1pctCO2")
        table = table.assign(co2_pi=experiments.CO2_PICONTROL)
        names = ["gsat", "emissions_co2_fossil"]
        ds = runner.run_many(
            ds_in,
            table,
            co2_end=co2_end,
            variables=names,
            history=None,
            gsat_reference=None,
            check=check,
        )
        gsat, emissions = (ds[v].values[0] for v in names)
        tcr = np.array([window_mean(v, 61, 80) for v in gsat])
        if kind == "tcr":
            return tcr
        cum = np.cumsum(emissions, axis=1)
        return tcr / np.array([window_mean(c, 61, 80) for c in cum]) * 1000.0

    return compute


#: Named scalar outputs: name -> (function of the parameter table (rows = members, columns =
#: parameters; others at their defaults) returning one value per member, NaN for a member whose
#: run fails when called with ``check=False``; units, meaning).
OUTPUTS: dict[str, tuple[Callable[[pd.DataFrame], np.ndarray], str, str]] = {
    "gsat_2100": (
        _scenario_output("gsat", "ssp245", 2100, 2100),
        "K",
        "GSAT in 2100 vs 1850-1900, SSP2-4.5",
    ),
    "gsat_2081_2100": (
        _scenario_output("gsat", "ssp245", 2081, 2100),
        "K",
        "GSAT 2081-2100 mean vs 1850-1900, SSP2-4.5",
    ),
    "gsat_2011_2020": (
        _scenario_output("gsat", "ssp245", 2011, 2020),
        "K",
        "GSAT 2011-2020 mean vs 1850-1900 (history)",
    ),
    "co2_2100": (_scenario_output("co2", "ssp245", 2100, 2100), "ppm", "CO2 in 2100, SSP2-4.5"),
    "tcr": (_tcr_tcre("tcr"), "K", "transient climate response (1pctCO2 years 61-80)"),
    "tcre": (_tcr_tcre("tcre"), "K (1000 GtC)-1", "TCRE from 1pctCO2 (years 61-80)"),
}


def sensitivity(
    output: str = "gsat_2100",
    method: str = "sobol",
    n: int = 256,
    parameters: Sequence[str] | None = None,
    seed: int = 0,
    plot: str | Path | None = None,
) -> pd.DataFrame:
    """Sobol' or Morris indices of ``output`` (a name of :data:`OUTPUTS`) to ``parameters``.

    ``n`` is the Saltelli base sample (``n (D + 2)`` runs for D parameters) or the number of
    Morris trajectories (``n (D + 1)`` runs). Returns a DataFrame indexed by parameter with
    ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (Sobol') or ``mu_star``, ``mu_star_conf``,
    ``sigma`` (Morris), sorted by importance; ``plot`` saves a bar chart
    (:func:`esm.figures.sensitivity.plot_indices`).
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if output not in OUTPUTS:
        raise KeyError(f"unknown output {output!r}; available: {', '.join(OUTPUTS)}")
    names = list(parameters) if parameters is not None else params.uncertain()
    for name in names:
        params.check_name(name)
        if params.PARAMETERS[name].prior is None:
            raise ValueError(f"parameter {name} has no prior; give parameters that vary")
    if int(n) < 2:
        raise ValueError(f"n must be at least 2, not {n}")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if method == "sobol":
        unit = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=seed)
    elif method == "morris":
        unit = morris_sample.sample(problem, int(n), num_levels=4, seed=seed)
    else:
        raise ValueError(f"method must be 'sobol' or 'morris', not {method!r}")
    quantile = QUANTILE_RANGE[0] + unit * (QUANTILE_RANGE[1] - QUANTILE_RANGE[0])
    table = pd.DataFrame(
        {
            name: params.PARAMETERS[name].prior.ppf(quantile[:, i], params.PARAMETERS[name].bounds)
            for i, name in enumerate(names)
        }
    )
    y = OUTPUTS[output][0](table, check=False)
    # a run that fails (a parameter combination at the priors' tails outside the model's
    # valid domain) takes its whole Morris trajectory or Saltelli block with it: the
    # estimators need complete groups; the rest stay exactly the design's groups
    group = len(names) + (1 if method == "morris" else 2)
    failed = ~np.isfinite(y).reshape(-1, group).all(axis=1)
    if failed.all() or (~failed).sum() < 2:
        raise ValueError(
            f"sensitivity: {int(failed.sum())} of {failed.size} "
            f"{'trajectories' if method == 'morris' else 'Saltelli blocks'} contain a failed run; "
            "too few are left (give fewer parameters or another method)"
        )
    if failed.any():
        keep = np.repeat(~failed, group)
        unit, y = unit[keep], y[keep]
        warnings.warn(
            f"sensitivity: {int(failed.sum())} of {failed.size} "
            f"{'Morris trajectories' if method == 'morris' else 'Saltelli blocks'} left out: a "
            "run in each left the model's valid domain (parameters at the tails of their "
            "priors); the indices use the other "
            f"{int((~failed).sum())} (attrs['groups_left_out'])",
            UserWarning,
            stacklevel=2,
        )
    if method == "sobol":
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        df = pd.DataFrame({k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=names)
        df = df.sort_values("ST", ascending=False)
    else:
        res = morris_analyze.analyze(problem, unit, y, num_levels=4, seed=seed)
        df = pd.DataFrame({k: res[k] for k in ("mu_star", "mu_star_conf", "sigma")}, index=names)
        df = df.sort_values("mu_star", ascending=False)
    df.index.name = "parameter"
    df.attrs.update(
        {
            "output": output,
            "units": OUTPUTS[output][1],
            "method": method,
            "runs": len(y),
            "groups_left_out": int(failed.sum()),
            "output_mean": float(np.mean(y)),
            "output_sd": float(np.std(y)),
        }
    )
    if method == "sobol":
        _warn_unconverged(unconverged(df), df)
    if plot is not None:
        from esm.figures.sensitivity import plot_indices

        plot_indices(df, plot, warn=False)  # warned above
    return df


#: Readable labels (< 40 characters) of the uncertain parameters in the sensitivity chart;
#: a parameter not listed gets the first clause of its description (:func:`label`).
LABELS: dict[str, str] = {
    "ocean_gas_exchange_time": "air-sea gas-exchange time",
    "ocean_mixing_time_scale": "ocean mixed-layer mixing time",
    "ocean_surface_warming_ratio": "sea-surface / global warming ratio",
    "co2_fertilisation": "CO2 fertilisation of NPP (beta)",
    "co2_fertilisation_saturation": "saturation of CO2 fertilisation",
    "respiration_q10": "Q10 of soil respiration",
    "vegetation_turnover_rate": "vegetation carbon turnover rate",
    "soil_respiration_rate": "soil respiration rate",
    "ch4_lifetime_pi": "pre-industrial CH4 lifetime",
    "ch4_lifetime_ch4_sensitivity": "CH4 lifetime: CH4 self-feedback",
    "ch4_lifetime_n2o_sensitivity": "CH4 lifetime: N2O sensitivity",
    "ch4_lifetime_nox_sensitivity": "CH4 lifetime: NOx sensitivity",
    "ch4_lifetime_nmvoc_sensitivity": "CH4 lifetime: NMVOC sensitivity",
    "ch4_lifetime_temperature_sensitivity": "CH4 lifetime: temperature sensitivity",
    "n2o_lifetime_pi": "pre-industrial N2O lifetime",
    "erf_scale_co2": "CO2 forcing scale",
    "erf_scale_ch4": "CH4 forcing scale",
    "erf_scale_n2o": "N2O forcing scale",
    "erf_scale_halogens": "halogen forcing scale",
    "erf_scale_ari": "aerosol-radiation forcing scale",
    "aci_beta": "aerosol-cloud forcing strength",
    "erf_scale_ozone": "ozone forcing scale",
    "h2o_stratospheric_ch4": "stratospheric H2O forcing per CH4",
    "contrails_nox_aviation": "contrail forcing per aviation NOx",
    "bc_on_snow_bc": "BC-on-snow forcing per BC emission",
    "land_use_albedo": "land-use albedo forcing",
    "erf_scale_solar": "solar forcing scale",
    "erf_scale_volcanic": "volcanic forcing scale",
    "climate_feedback": "climate feedback parameter",
    "heat_capacity_surface": "heat capacity, surface layer",
    "heat_capacity_intermediate": "heat capacity, intermediate ocean",
    "heat_capacity_deep": "heat capacity, deep ocean",
    "heat_exchange_surface_intermediate": "heat exchange, surface-intermediate",
    "heat_exchange_intermediate_deep": "heat exchange, intermediate-deep",
    "deep_ocean_efficacy": "deep-ocean heat-uptake efficacy",
    "permafrost_carbon_pi": "pre-industrial frozen carbon",
    "permafrost_warming_amplification": "permafrost warming amplification",
    "permafrost_thaw_sensitivity": "permafrost thaw sensitivity",
    "permafrost_thaw_min_fraction": "permafrost thaw onset (p_min)",
    "permafrost_thaw_shape": "permafrost thaw curve shape",
    "permafrost_thaw_rate": "permafrost thaw rate",
    "permafrost_refreeze_rate": "permafrost refreeze rate",
    "permafrost_fast_fraction": "fast share of thawed carbon",
    "permafrost_fast_turnover_time": "turnover time, fast thawed pool",
    "permafrost_slow_turnover_time": "turnover time, slow thawed pool",
    "permafrost_respiration_sensitivity": "thawed-carbon decay vs warming",
    "permafrost_ch4_fraction": "CH4 share of permafrost carbon",
}

#: Longest readable label [characters].
LABEL_LENGTH = 39

#: Index uncertainties below this are below what the chart resolves: a parameter whose S1
#: confidence interval is narrower than this is never reported as unconverged.
CONVERGENCE_TOLERANCE = 0.01


def label(name: str) -> str:
    """Readable label (at most :data:`LABEL_LENGTH` characters) of parameter ``name``:
    :data:`LABELS`, else the first clause of its description without a leading symbol."""
    if name in LABELS:
        return LABELS[name]
    text = params.PARAMETERS[name].description if name in params.PARAMETERS else name
    head, sep, rest = text.partition(": ")
    if sep and len(head.split()) == 1 and rest:  # "k_v: vegetation ..." -> "vegetation ..."
        text = rest
    for stop in (";", " (", ", ", " = "):
        text = text.split(stop)[0]
    if len(text) > LABEL_LENGTH:
        text = text[: LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def unconverged(df: pd.DataFrame, tolerance: float = CONVERGENCE_TOLERANCE) -> list[str]:
    """Parameters of a Sobol' table whose indices are not converged, most important first:
    the S1 confidence interval is wider than |S1| (and than ``tolerance``), or ST < S1 - S1_conf
    (a total index below the first-order one, impossible for converged estimates)."""
    if "S1" not in df or "ST" not in df:
        return []
    wide = (df["S1_conf"] > df["S1"].abs()) & (df["S1_conf"] > tolerance)
    below = df["ST"] < df["S1"] - df["S1_conf"]
    return [str(n) for n in df.index[wide | below]]


def _warn_unconverged(names: list[str], df: pd.DataFrame) -> None:
    if names:
        warnings.warn(
            f"Sobol' indices of {len(names)} parameter(s) are not converged (S1_conf > |S1| or "
            f"ST < S1 - S1_conf; {df.attrs.get('runs', '?')} runs): {', '.join(names)}; "
            "increase n",
            UserWarning,
            stacklevel=3,
        )


#: The chart of the indices moved to :mod:`esm.figures.sensitivity`; its functions are still
#: reachable here, imported on first use (``import esm`` imports no matplotlib).
__getattr__ = moved(__name__, ("indices_figure", "plot_indices"), "esm.figures.sensitivity")
