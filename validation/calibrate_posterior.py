"""Calibrate the ensemble: sample the priors, run history and experiments, weight, ship a posterior.

Run from the repository root::

    python validation/calibrate_posterior.py [--prior 1048576] [--members 1000] [--seed 0]
                                             [--write-defaults]

(about 10 minutes on two cores for the default 2^20 prior members).

Method (after the fair-calibrate v1.4 workflow of Smith et al. 2024, GMD 17, 8569):

1. draw ``--prior`` parameter sets from the priors declared next to each parameter
   (``esm.params.sample_prior``: scrambled Sobol' sequence, seed ``--seed``). The CH4 and N2O
   cycle parameters are drawn from a proposal instead: a first stage runs 65536 prior draws of
   the gas-cycle parameters alone (the other uncertain parameters at a fixed reference set,
   :data:`REFERENCE`) and weights them by the CH4 and N2O likelihoods below; the second
   stage resamples from that and divides the weight of each member by its first-stage
   likelihood (importance sampling, so the result is the posterior of the full prior; only the
   sampling is more efficient). Everything the script draws depends only on the declarations
   and ``--seed``, never on the calibrated defaults it writes, so a rerun after
   ``--write-defaults`` reproduces its files;
2. run each emission-driven over the SSP2-4.5 history 1750-2022, and the concentration-driven
   1pctCO2 and 1pctCO2-bgc experiments by the CMIP protocol (only CO2 changes); ECS is
   EBM-analytic. Members whose run fails (a pool or concentration turns negative, ...) get
   zero weight;
3. **structural prior of the carbon cycle**: weight each member so that its emergent C4MIP
   feedback parameters at 4xCO2 follow the CMIP6 multi-model spread (Arora et al. 2020, BG
   17, 4173; normal, model mean +- standard deviation): beta_land 0.97 +- 0.40, beta_ocean
   0.79 +- 0.07 GtC/ppm, gamma_land -45.1 +- 50.6, gamma_ocean -17.2 +- 5.0 GtC/K. History
   cannot separate fertilisation, respiration and turnover; the model spread says how they
   respond where history has no information (high CO2, strong warming);
4. **observations**, with likelihoods whose width is the observational *and* the model's
   structural error:

   ============================  =========================================================
   GMST 1850-2020                RMSE < 0.17 K against AR6 GMST (hard cut)
   CO2 1959-2019                 exp(-(RMSE / 4 ppm)^2 / 2) (the GCB2021 budget itself does
                                 not close to better than ~0.3 GtC/yr in the 1960s) and the
                                 2019 level, normal 409.9 ppm, sd 3
   CO2 1850-1958 (ice cores)     exp(-(RMSE / 5 ppm)^2 / 2) (land-use emissions uncertain by
                                 +-0.7 GtC/yr)
   CH4 1980-2019                 exp(-(RMSE / 25 ppb)^2 / 2) (AR6 Annex III; the model with
                                 CEDS emissions is up to 90 ppb low in 1990-2010 and right
                                 in 2019: emission inventories and the one-box lifetime) and
                                 the 2019 level, normal 1866.3 ppb, sd 15
   CH4 growth 2019-2022          normal 45.5 ppb, sd 12 (IGCC 2024): the 2020 NOx drop of
                                 the COVID-19 lockdowns tests the lifetime's NOx sensitivity
   N2O 1980-2019                 exp(-(RMSE / 1.5 ppb)^2 / 2) and the 2019 level, normal
                                 332.1 ppb, sd 2
   GSAT 2011-2020 vs 1850-1900   normal 1.09 K, sd 0.076 (AR6 very likely 0.95-1.20)
   ocean heat uptake 1971-2018   normal 396 ZJ, sd 67 (AR6 Table 7.1, 286-506 5-95 %)
   GCB2021 ocean sink 2011-2020  normal 2.78 GtC/yr, sd 0.4
   GCB2021 land sink 2011-2020   normal 3.06 GtC/yr, sd 0.5
   ERFari 2005-2014              normal -0.3 W m-2, sd 0.18 (fair-calibrate; 90 % +-0.3)
   ERFaci 2005-2014              normal -1.0 W m-2, sd 0.43 (fair-calibrate; 90 % +-0.7)
   ECS                           two-piece log-normal, median 3.0 K, sd(ln) 0.22 below and
                                 0.305 above (AR6 5/17/50/83/95 % = 2/2.5/3/4/5 K)
   TCR                           normal 1.8 K, sd 0.365 (AR6 very likely 1.2-2.4)
   ============================  =========================================================

   Observations (GSAT, ocean heat, GCB sinks, aerosol ERF and the concentration histories)
   enter as likelihoods, ``target_k(x)``. The C4MIP structural prior (step 3) enters as
   ``target_k(x) / prior_k(x)``, with prior_k the density of x_k in the surviving sample
   (histogram, 60 bins), so that the prior's feedback parameters follow the model spread.
   The AR6 ECS and TCR assessments, which already combine every line of evidence including
   the historical record, are matched as marginals: after the likelihoods, the weights are
   multiplied by ``target_k(x) / posterior_k(x)`` in four passes of iterative proportional
   fitting, so that the posterior ECS and TCR follow the assessed distributions instead of
   counting the historical evidence twice;
5. draw ``--members`` sets without replacement with probability proportional to the weights
   (seeded; by random keys, :func:`draw`, so that a member whose weight changes moves no other
   member), and write them to ``esm/params/posterior.csv`` with a provenance header;
6. the *central member*: among the drawn members inside the posterior's interquartile range
   of ECS, TCR and TCRE, of two idealised-experiment metrics users read off the default (ZEC50
   and the change of warming per cumulative emission along esm-flat10, computed with
   ``esm.metrics``) and of the total aerosol ERF 2005-2014, of the 20 % closest to the
   posterior medians of the constrained and carbon-cycle quantities and the forcing parameters
   (each standardised by its posterior spread), the one that fits the observations best (the
   product of the observational likelihoods). With
   ``--write-defaults`` its values (4 significant digits) are written with their provenance to
   ``esm/params/central.csv``, the calibrated defaults that ``esm.params`` reads, so the
   default model is one member of its own posterior; parameters that no constraint informs
   (permafrost, and the ERF scales of single non-CO2 agents) keep their declared default, the
   literature or AR6 best estimate;
7. report the 5/50/95 % of each constraint in the prior, the posterior and the target, and of
   the quantities that are *not* fitted (TCRE, airborne fraction at 2xCO2)
   (``validation/posterior_constraints.csv``, also printed), and the range of the 1pctCO2
   airborne fraction at 2xCO2 among all prior members that follow the CO2 record
   (:func:`history_consistent_airborne_fraction`): how much room the record leaves it.

Not fitted, and so a validation of the posterior: ZEC, the linearity of warming in cumulative
emissions, TCRE, future CO2 and warming, permafrost emissions (``esm validate``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import esm  # noqa: E402
from esm import experiments, metrics, observations, params  # noqa: E402
from esm.constants import GTC_PER_PPM  # noqa: E402
from esm.kernels import layout  # noqa: E402
from esm.params._spec import CENTRAL_PREFIX  # noqa: E402

RMSE_CUT = 0.17  # K, GMST 1850-2020
#: likelihood widths of the CO2 record before Mauna Loa (ice cores, AR6 Annex III): the
#: budget's land-use emissions are uncertain by +-0.7 GtC/yr (1 sigma) there
ICE_CORE_CO2 = (1850, 1958, 5.0)  # first year, last year, RMSE scale [ppm]
#: likelihood widths of the concentration histories: (first year, last year, scale)
HISTORY_LIKELIHOODS = {
    "co2": (1959, 2019, 4.0),  # ppm
    "ch4": (1980, 2019, 25.0),  # ppb
    "n2o": (1980, 2019, 1.5),  # ppb
}
#: likelihoods of the 2019 concentrations (AR6 Annex III): (year, observed, scale)
LEVEL_LIKELIHOODS = {
    "co2": (2019, 409.9, 3.0),  # ppm
    "ch4": (2019, 1866.3, 15.0),  # ppb
    "n2o": (2019, 332.1, 2.0),  # ppb
}
#: likelihood of the CH4 growth over the last observed years, when the 2020 NOx drop (COVID-19
#: lockdowns) tests the CH4 lifetime's NOx sensitivity: (first year, last year, observed growth
#: [ppb], scale [ppb]). Observed (IGCC 2024): 1866.3 -> 1911.8 ppb. The scale is about twice
#: the interannual variability of 3-year CH4 growth (NOAA record: growth of -2 to +17 ppb/yr),
#: because 2020-2022 also had record wetland emissions, which the model lacks.
CH4_GROWTH = (2019, 2022, 45.5, 12.0)
HISTORY_VARS = [
    "gsat",
    "co2",
    "ch4",
    "n2o",
    "ocean_sink",
    "land_sink",
    "ocean_heat_content",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
]
EXPERIMENT_VARS = ["gsat", "land_sink", "ocean_sink", "emissions_co2_fossil"]


def two_piece_lognormal_pdf(x, median, s_lo, s_hi):
    """Density of a two-piece log-normal (continuous at the median)."""
    z = np.log(np.maximum(x, 1e-9) / median)
    s = np.where(z < 0, s_lo, s_hi)
    norm = 2.0 / (np.sqrt(2 * np.pi) * (s_lo + s_hi))
    return norm * np.exp(-0.5 * (z / s) ** 2) / np.maximum(x, 1e-9)


def _normal(mean, sd):
    return lambda x: stats.norm.pdf(x, mean, sd)


#: Distribution targets: density, units, 5/50/95 % (for the report), kind.
TARGETS = {
    "gsat_2011_2020": (_normal(1.09, 0.076), "K", (0.965, 1.09, 1.215), "observation"),
    "ohc_1971_2018": (_normal(396.0, 67.0), "ZJ", (285.7, 396.0, 506.3), "observation"),
    "ocean_sink_2011_2020": (_normal(2.78, 0.4), "GtC/yr", (2.12, 2.78, 3.44), "observation"),
    "land_sink_2011_2020": (_normal(3.06, 0.5), "GtC/yr", (2.24, 3.06, 3.88), "observation"),
    "erfari_2005_2014": (_normal(-0.3, 0.3 / 1.645), "W m-2", (-0.6, -0.3, 0.0), "observation"),
    "erfaci_2005_2014": (_normal(-1.0, 0.7 / 1.645), "W m-2", (-1.7, -1.0, -0.3), "observation"),
    "ecs": (lambda x: two_piece_lognormal_pdf(x, 3.0, 0.22, 0.305), "K", (2.0, 3.0, 5.0), "AR6"),
    "tcr": (_normal(1.8, 0.6 / 1.645), "K", (1.2, 1.8, 2.4), "AR6"),
    "beta_land": (_normal(0.97, 0.40), "GtC/ppm", (0.31, 0.97, 1.63), "C4MIP prior"),
    "beta_ocean": (_normal(0.79, 0.07), "GtC/ppm", (0.675, 0.79, 0.905), "C4MIP prior"),
    "gamma_land": (_normal(-45.1, 50.6), "GtC/K", (-128.3, -45.1, 38.1), "C4MIP prior"),
    "gamma_ocean": (_normal(-17.2, 5.0), "GtC/K", (-25.4, -17.2, -9.0), "C4MIP prior"),
}
#: Quantities reported but not fitted (validation of the posterior).
UNFITTED = {
    "tcre": "K (1000 GtC)-1",
    "airborne_fraction_2x": "1",
}
#: Concentrations of 2019, fitted through the history and level likelihoods.
LEVELS = {"co2_2019": "ppm", "ch4_2019": "ppb", "n2o_2019": "ppb", "ch4_growth": "ppb"}
#: Quantities that define the central member (constraints and carbon-cycle responses).
CENTRAL = list(TARGETS) + [
    "tcre",
    "co2_2019",
    "ch4_2019",
    "ch4_growth",
    "n2o_2019",
    "co2_rmse",
    "co2_ice_core_rmse",
]
#: Passes of iterative proportional fitting of the assessed (AR6) marginals.
RAKING_PASSES = 4
#: Size of the first-stage sample of the gas-cycle parameters.
GAS_STAGE = 65536


def _window(x: np.ndarray, years: np.ndarray, a: int, b: int) -> np.ndarray:
    """Mean over years a..b (inclusive) of x[member, year]."""
    sel = (years >= a) & (years <= b)
    return x[:, sel].mean(axis=1)


def _rmse(x: np.ndarray, years: np.ndarray, obs: pd.Series) -> np.ndarray:
    idx = np.searchsorted(years, obs.index.values)
    return np.sqrt(np.mean((x[:, idx] - obs.values) ** 2, axis=1))


def run_constraints(
    table: pd.DataFrame, chunk: int = 4096, experiments_too: bool = True
) -> pd.DataFrame:
    """Constrained and reported quantities of every parameter set of ``table``.

    Runs ``esm.run_many`` chunk by chunk: the SSP2-4.5 history to 2022 (emission-driven) and,
    with ``experiments_too``, the 1pctCO2 and 1pctCO2-bgc experiments by the CMIP protocol
    (``esm.experiments.scenario``). Rows of failed members have ``ok = False`` and NaN values
    (``check=False``). Without ``experiments_too`` only the history is run (the first stage of
    :func:`sample`).
    """
    pm = params.matrix(table)  # every member checked against its bounds before any run
    gmst = observations.load("gmst")["ar6_gmst"].dropna().loc[1850:2020]
    conc = observations.load("ghg_concentrations")
    obs = {k: conc[k].loc[a:b].dropna() for k, (a, b, _) in HISTORY_LIKELIHOODS.items()}
    ex = {name: experiments.scenario(name) for name in ("1pctCO2", "1pctCO2-bgc")}
    f2x0 = 3.9355222485109036  # ERF of 2 x 278.3 ppm at erf_scale_co2 = 1 (esm.diagnostics.f2x)
    rows = []
    for a in range(0, len(table), chunk):
        b = min(a + chunk, len(table))
        part = table.iloc[a:b]
        hist = esm.run_many(
            "ssp245", part, end=2022, variables=HISTORY_VARS, check=False, squeeze=True
        )
        years = hist["year"].values
        d = {v: hist[v].values for v in HISTORY_VARS}
        status = hist["status"].values
        y = {v: int(np.searchsorted(years, v)) for v in (1971, 2018, 2019, CH4_GROWTH[1])}
        frame = {
            "ok": status & ~layout.STATUS_CHEMISTRY_RANGE == 0,
            "gmst_rmse": _rmse(d["gsat"], years, gmst),
            **{f"{k}_rmse": _rmse(d[k], years, obs[k]) for k in HISTORY_LIKELIHOODS},
            "co2_ice_core_rmse": _rmse(
                d["co2"], years, conc["co2"].loc[ICE_CORE_CO2[0] : ICE_CORE_CO2[1]].dropna()
            ),
            "co2_2019": d["co2"][:, y[2019]],
            "ch4_2019": d["ch4"][:, y[2019]],
            "ch4_growth": d["ch4"][:, y[CH4_GROWTH[1]]] - d["ch4"][:, y[CH4_GROWTH[0]]],
            "n2o_2019": d["n2o"][:, y[2019]],
        }
        if not experiments_too:
            rows.append(pd.DataFrame(frame, index=table.index[a:b]))
            continue
        runs = {}
        for name, (scenario, co2_end, overrides) in ex.items():
            r = esm.run_many(
                scenario,
                part.assign(**overrides),
                co2_end=co2_end,
                history=None,
                gsat_reference=None,
                variables=EXPERIMENT_VARS,
                check=False,
                squeeze=True,
            )
            runs[name] = {v: r[v].values for v in EXPERIMENT_VARS}
            status = status | r["status"].values
        cou, bgc = runs["1pctCO2"], runs["1pctCO2-bgc"]
        cum = np.cumsum(cou["emissions_co2_fossil"], axis=1)
        t_cou = cou["gsat"]
        tcr = t_cou[:, 61:81].mean(axis=1)
        d_co2 = experiments.CO2_PICONTROL * (1.01**140 - 1.0)
        d_t = t_cou[:, 131:151].mean(axis=1)
        land_cou = cou["land_sink"][:, :141].sum(axis=1)
        land_bgc = bgc["land_sink"][:, :141].sum(axis=1)
        ocean_cou = cou["ocean_sink"][:, :141].sum(axis=1)
        ocean_bgc = bgc["ocean_sink"][:, :141].sum(axis=1)
        frame.update(
            {
                "ok": (status & ~layout.STATUS_CHEMISTRY_RANGE) == 0,
                "gsat_2011_2020": _window(d["gsat"], years, 2011, 2020),
                "ohc_1971_2018": d["ocean_heat_content"][:, y[2018]]
                - d["ocean_heat_content"][:, y[1971]],
                "ocean_sink_2011_2020": _window(d["ocean_sink"], years, 2011, 2020),
                "land_sink_2011_2020": _window(d["land_sink"], years, 2011, 2020),
                "erfari_2005_2014": _window(d["erf_aerosol_ari"], years, 2005, 2014),
                "erfaci_2005_2014": _window(d["erf_aerosol_aci"], years, 2005, 2014),
                "ecs": -f2x0 * pm[a:b, layout.P_ERF_SCALE_CO2] / pm[a:b, layout.P_CLIMATE_FEEDBACK],
                "tcr": tcr,
                "tcre": tcr / cum[:, 61:81].mean(axis=1) * 1000.0,
                "airborne_fraction_2x": experiments.CO2_PICONTROL
                * (1.01**70 - 1.0)
                * GTC_PER_PPM
                / cum[:, 70],
                "beta_land": land_bgc / d_co2,
                "beta_ocean": ocean_bgc / d_co2,
                "gamma_land": (land_cou - land_bgc) / d_t,
                "gamma_ocean": (ocean_cou - ocean_bgc) / d_t,
            }
        )
        rows.append(pd.DataFrame(frame, index=table.index[a:b]))
        if b % (16 * chunk) == 0 or b == len(table):
            print(f"  {b} of {len(table)} members", flush=True)
    return pd.concat(rows)


def density_weights(x: np.ndarray, target, bins: int = 60, weights=None) -> np.ndarray:
    """target(x) / density of x in the (weighted) sample, a histogram estimate."""
    lo, hi = np.percentile(x, [0.1, 99.9])
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(x, edges, weights=weights)
    density = counts / (counts.sum() * np.diff(edges))
    idx = np.clip(np.searchsorted(edges, x) - 1, 0, bins - 1)
    prior = np.maximum(density[idx], density[density > 0].min())
    w = target(x) / prior
    w[(x < lo) | (x > hi)] = 0.0  # outside the well-sampled range: no weight
    return w


def likelihood(values: pd.DataFrame, gases: tuple[str, ...]) -> np.ndarray:
    """Product of the RMSE likelihoods of the concentration histories ``gases``."""
    out = np.ones(len(values))
    for k in gases:
        scale = HISTORY_LIKELIHOODS[k][2]
        out *= np.exp(-0.5 * (values[f"{k}_rmse"].to_numpy() / scale) ** 2)
        year, obs, sd = LEVEL_LIKELIHOODS[k]
        out *= np.exp(-0.5 * ((values[f"{k}_{year}"].to_numpy() - obs) / sd) ** 2)
        if k == "ch4":
            _, _, growth, scale = CH4_GROWTH
            out *= np.exp(-0.5 * ((values["ch4_growth"].to_numpy() - growth) / scale) ** 2)
    return out


def gas_parameters() -> list[str]:
    """Uncertain parameters of the CH4 and N2O cycles (sampled in the first stage)."""
    return [n for n in params.uncertain() if params.PARAMETERS[n].group == "gases"]


#: Where the first stage of :func:`sample` holds the uncertain parameters it does not draw: a
#: parameter set that follows the historical record (the central member of the calibration of
#: 2026-11-30 at git 1e531b4), written out here so that the calibrated defaults this script
#: writes (``esm/params/central.csv``) never change what it draws. It sets only how efficient
#: the sampling is, not the posterior: the importance weights divide the first-stage likelihood
#: out. (Held at the prior medians instead, the effective sample size of 2^20 prior members
#: falls from 1755 to 910.) Uncertain parameters not listed here and not drawn: their declared
#: default, a literature value.
REFERENCE = {
    "ocean_gas_exchange_time": 8.686,
    "ocean_mixing_time_scale": 1.642,
    "ocean_surface_warming_ratio": 0.7345,
    "co2_fertilisation": 0.7498,
    "co2_fertilisation_saturation": 0.3201,
    "respiration_q10": 1.156,
    "vegetation_turnover_rate": 0.04514,
    "soil_respiration_rate": 0.04987,
    "erf_scale_co2": 0.9264,
    "erf_scale_ari": 1.422,
    "aci_beta": -1.071,
    "climate_feedback": -1.24,
    "heat_capacity_surface": 4.082,
    "heat_capacity_intermediate": 11.95,
    "heat_capacity_deep": 111.3,
    "heat_exchange_surface_intermediate": 3.007,
    "heat_exchange_intermediate_deep": 0.5685,
    "deep_ocean_efficacy": 1.076,
}


def reference_values() -> dict[str, float]:
    """The values at which the first stage of :func:`sample` holds every uncertain parameter
    it does not draw: :data:`REFERENCE`, else the declared default. None of them comes from
    ``esm/params/central.csv``: a parameter whose default does must be in :data:`REFERENCE`."""
    out = {}
    gas = gas_parameters()
    for n in params.uncertain():
        if n in gas:
            continue
        p = params.PARAMETERS[n]
        if n not in REFERENCE and p.source.startswith(CENTRAL_PREFIX):
            raise RuntimeError(f"{n}: its default is calibrated; give its REFERENCE value")
        out[n] = REFERENCE.get(n, p.default)
    return out


def sample(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Prior sample with gas-cycle parameters from the first-stage proposal.

    Returns the parameter table and each member's first-stage likelihood (to divide out).
    """
    prior = params.sample_prior(n, seed=seed, method="sobol")
    gas = gas_parameters()
    stage = params.sample_prior(GAS_STAGE, seed=seed + 1, method="sobol")[gas]
    stage = stage.assign(**reference_values())
    print(f"first stage: {GAS_STAGE} draws of {', '.join(gas)} (others at REFERENCE)")
    v = run_constraints(stage, experiments_too=False)
    lik = likelihood(v, ("ch4", "n2o")) * v["ok"].to_numpy()
    print(
        f"  effective sample size of the gas-cycle proposal: {lik.sum() ** 2 / np.sum(lik**2):.0f}"
    )
    pick = np.random.default_rng(seed + 2).choice(GAS_STAGE, size=n, p=lik / lik.sum())
    prior[gas] = stage[gas].to_numpy()[pick]
    return prior, lik[pick]


def weights(values: pd.DataFrame, proposal: np.ndarray | None = None) -> np.ndarray:
    """Posterior weights of the members of ``values`` (zero for failed or cut members);
    ``proposal`` is each member's first-stage gas likelihood (see :func:`sample`)."""
    keep = values["ok"].to_numpy() & (values["gmst_rmse"].to_numpy() < RMSE_CUT)
    w = np.zeros(len(values))
    kept = values[keep]
    wk = likelihood(kept, tuple(HISTORY_LIKELIHOODS))
    wk *= np.exp(-0.5 * (kept["co2_ice_core_rmse"].to_numpy() / ICE_CORE_CO2[2]) ** 2)
    if proposal is not None:
        wk /= proposal[keep]
    for k, (target, _, _, kind) in TARGETS.items():
        x = kept[k].to_numpy()
        if kind == "C4MIP prior":
            wk *= density_weights(x, target)  # structural prior: reshape the prior sample
        elif kind == "observation":
            wk *= target(x)  # likelihood of the observation given the member
    for _ in range(RAKING_PASSES):  # assessed distributions: match their marginals
        for k, (target, _, _, kind) in TARGETS.items():
            if kind == "AR6":
                wk *= density_weights(kept[k].to_numpy(), target, weights=wk)
    w[keep] = wk
    return w / w.sum()


def draw(w: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Positions of ``n`` members drawn without replacement with probability proportional to
    the weights ``w`` (sorted).

    Weighted random sampling by keys (Efraimidis & Spirakis 2006, Inf. Process. Lett. 97,
    181): member i gets the key log(u_i) / w_i with u_i uniform (seeded), and the n largest
    keys are drawn, the same distribution as n successive weighted draws. Each member's key
    depends only on its own weight and random number, so a member whose weight changes (for
    example one whose run crosses the hard GMST cut after a change of the model) changes only
    its own place in the draw; with the draw by cumulative weights
    (``numpy.random.Generator.choice``) every later pick can move. Members of zero weight are
    never drawn.
    """
    w = np.asarray(w, dtype=float)
    if np.count_nonzero(w > 0) < n:
        raise ValueError(f"{np.count_nonzero(w > 0)} members have a weight, fewer than {n}")
    u = np.random.default_rng(seed).random(w.size)
    keys = np.full(w.size, -np.inf)
    with np.errstate(over="ignore"):  # a weight of 1e-310 gives the key -inf: never drawn
        keys[w > 0] = np.log(u[w > 0]) / w[w > 0]
    return np.sort(np.argsort(keys, kind="stable")[w.size - n :])


def percentiles(x: np.ndarray, q=(5, 50, 95), w=None) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if w is None:
        return np.percentile(x, q)
    order = np.argsort(x)
    cw = np.cumsum(w[order]) / w.sum()
    return np.interp(np.asarray(q) / 100.0, cw, x[order])


def history_consistent_airborne_fraction(values: pd.DataFrame) -> tuple[int, np.ndarray]:
    """How much room the CO2 record leaves the 1pctCO2 airborne fraction at 2xCO2: the number
    of prior members (GMST cut) within one likelihood scale of the CO2 record 1959-2019 (RMSE
    below :data:`HISTORY_LIKELIHOODS` ``co2`` scale) and within :data:`CO2_2019_TOLERANCE` of
    CO2 2019 (the acceptance tolerance), and the min, 5, 50, 95 % and max of their airborne
    fraction.
    Unweighted: it is the range the model's structure allows, not a posterior."""
    ok = values["ok"].to_numpy() & (values["gmst_rmse"].to_numpy() < RMSE_CUT)
    ok &= values["co2_rmse"].to_numpy() < HISTORY_LIKELIHOODS["co2"][2]
    ok &= np.abs(values["co2_2019"].to_numpy() - LEVEL_LIKELIHOODS["co2"][1]) <= CO2_2019_TOLERANCE
    af = values["airborne_fraction_2x"].to_numpy()[ok]
    return int(ok.sum()), np.percentile(af, [0, 5, 50, 95, 100])


#: CO2 2019 tolerance [ppm] of the acceptance target posterior_co2_2019_share.
CO2_2019_TOLERANCE = 5.0


#: Share of the posterior members nearest the medians from which the central member is chosen.
CENTRAL_SHARE = 0.2

#: Metrics of the idealised experiments (esm.metrics) in which the central member is also
#: typical: the zero-emissions commitment and the linearity of warming in cumulative emissions.
CENTRAL_METRICS = ("zec50", "tcre_change_flat10")
#: Climate responses in whose interquartile range the central member lies: the headline
#: numbers users read off the default (without this, the best fit among the members nearest
#: the medians of some 30 quantities can have an ECS of 4.3 K).
CENTRAL_RESPONSES = ("ecs", "tcr", "tcre")


def fit(values: pd.DataFrame) -> np.ndarray:
    """How well each member fits the observations: the product of the observational
    likelihoods of :func:`weights` (concentration histories, ice-core CO2, GSAT, ocean heat,
    sinks, aerosol ERF), without the structural prior and the assessed marginals."""
    out = likelihood(values, tuple(HISTORY_LIKELIHOODS))
    out *= np.exp(-0.5 * (values["co2_ice_core_rmse"].to_numpy() / ICE_CORE_CO2[2]) ** 2)
    for k, (target, _, _, kind) in TARGETS.items():
        if kind == "observation":
            out *= target(values[k].to_numpy())
    return out


def central_member(values: pd.DataFrame, table: pd.DataFrame) -> int:
    """Position (in ``values``) of the central member: among the members inside the
    interquartile range of every :data:`CENTRAL_METRICS` and :data:`CENTRAL_RESPONSES` column
    of ``values`` (when present) and of the total aerosol ERF 2005-2014, of the
    :data:`CENTRAL_SHARE` nearest the posterior medians of :data:`CENTRAL` and of the
    forcing parameters in ``table`` (each standardised by its posterior spread), the one that
    fits the observations best (:func:`fit`). Its emergent responses, idealised-experiment
    metrics and forcing are typical of the posterior and its history is among the best of
    those."""
    forcing = [n for n in table.columns if params.PARAMETERS[n].group == "forcing"]
    z = np.column_stack([values[CENTRAL].to_numpy(), table[forcing].to_numpy()])
    med = np.median(z, axis=0)
    spread = np.subtract(*np.percentile(z, [84, 16], axis=0)) / 2.0
    distance = np.sum(((z - med) / spread) ** 2, axis=1)
    typical = np.ones(len(values), dtype=bool)
    columns = {
        n: values[n].to_numpy() for n in (*CENTRAL_METRICS, *CENTRAL_RESPONSES) if n in values
    }
    # the total aerosol forcing, whose two parts are constrained separately
    columns["erf_aerosol"] = (values["erfari_2005_2014"] + values["erfaci_2005_2014"]).to_numpy()
    for x in columns.values():
        lo, hi = np.percentile(x, [25, 75])
        typical &= (x >= lo) & (x <= hi)
    candidates = np.nonzero(typical)[0]
    order = candidates[np.argsort(distance[candidates])]
    near = order[: max(1, int(CENTRAL_SHARE * len(values)))]
    return int(near[np.argmax(fit(values.iloc[near]))])


def git_hash() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


#: Parameter groups that no constraint informs: their defaults stay at the prior median (the
#: literature value) instead of the central member's draw from the prior.
UNINFORMED_GROUPS = ("permafrost",)
#: Forcing parameters whose uncertainty is the AR6 assessed ERF range of one agent and that no
#: constraint informs on its own: the default keeps the AR6 best estimate (the prior median).
UNINFORMED_FORCING = (
    "erf_scale_ch4",
    "erf_scale_n2o",
    "erf_scale_halogens",
    "erf_scale_ozone",
    "h2o_stratospheric_ch4",
    "contrails_nox_aviation",
    "bc_on_snow_bc",
    "land_use_albedo",
    "erf_scale_solar",
    "erf_scale_volcanic",
)


def write_defaults(values: dict[str, float], member: int, provenance: list[str]) -> None:
    """Write ``values`` (4 significant digits) as the calibrated defaults, with ``provenance``,
    to esm/params/central.csv, atomically. Parameters of :data:`UNINFORMED_GROUPS` and
    :data:`UNINFORMED_FORCING` keep their declared (literature) default and are not written;
    the others must be exactly those whose declared source is ``central(...)``."""
    literature = {
        n
        for n in values
        if params.PARAMETERS[n].group in UNINFORMED_GROUPS or n in UNINFORMED_FORCING
    }
    calibrated = {n: float(f"{v:.4g}") for n, v in values.items() if n not in literature}
    marked = {n for n, p in params.PARAMETERS.items() if p.source.startswith(CENTRAL_PREFIX)}
    if set(calibrated) != marked:
        raise RuntimeError(
            "declare these with source=central(...) in esm/params/*.py: "
            f"{sorted(set(calibrated) - marked)}; and these without it: "
            f"{sorted(marked - set(calibrated))}"
        )
    lines = [
        "# Default parameter values that are the central member of the calibrated posterior:",
        f"# member {member} of esm/params/posterior.csv, rounded to 4 significant digits.",
        *(f"# {p}" for p in provenance),
        "# Parameters not listed here keep the default declared in esm/params/*.py (a literature",
        "# value); the declarations of those listed carry their literature value and a source",
        "# that names this file (esm.params._spec.central).",
        "name,value",
        *(f"{n},{v!r}" for n, v in calibrated.items()),
    ]
    path = ROOT / "esm" / "params" / "central.csv"
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)} ({len(calibrated)} calibrated defaults)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prior", type=int, default=2**20, help="prior sample size")
    ap.add_argument("--members", type=int, default=1000, help="posterior size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--save",
        metavar="FILE.pkl",
        help="also save the prior sample and its constrained quantities (for inspection)",
    )
    ap.add_argument(
        "--load",
        metavar="FILE.pkl",
        help="reuse the prior runs saved by --save with the same --prior and --seed",
    )
    ap.add_argument(
        "--write-defaults",
        action="store_true",
        help="make the central member the declared default parameter set",
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.load:
        saved = pd.read_pickle(args.load)
        prior, values, proposal = saved["prior"], saved["values"], saved["proposal"]
        if len(prior) != args.prior:
            raise SystemExit(f"--load {args.load}: {len(prior)} prior members, not {args.prior}")
    else:
        prior, proposal = sample(args.prior, args.seed)
        values = run_constraints(prior)
    if args.save:
        pd.to_pickle({"prior": prior, "values": values, "proposal": proposal}, args.save)
    print(f"ran {len(prior)} prior members in {time.perf_counter() - t0:.1f} s")
    ok = values["ok"].to_numpy()
    keep = ok & (values["gmst_rmse"].to_numpy() < RMSE_CUT)
    print(f"failed runs: {int((~ok).sum())}; GMST RMSE < {RMSE_CUT} K: {int(keep.sum())}")
    w = weights(values, proposal)
    ess = 1.0 / np.sum(w**2)
    print(f"effective sample size after weighting: {ess:.0f}")
    if ess < args.members:
        print(f"warning: effective sample size {ess:.0f} < {args.members} members")
    chosen = draw(w, args.members, args.seed)
    post = prior.iloc[chosen].reset_index(drop=True)
    post.index.name = "member"
    post_values = values.iloc[chosen].reset_index(drop=True)
    # the idealised-experiment metrics users read off the default (not constrained, so not in
    # ``values``): the default should be typical in them too
    members_metrics = metrics.compute_members(post)
    for name in CENTRAL_METRICS:
        post_values[name] = members_metrics[name].to_numpy()
    centre = central_member(post_values, post)

    header = [
        "Calibrated posterior parameter sets of esm (one row per member; parameters not listed",
        "keep their defaults). Generated by validation/calibrate_posterior.py",
        f"  date {dt.date.today().isoformat()}, git {git_hash()}, prior {args.prior} Sobol' sets"
        f" (seed {args.seed}), {int(keep.sum())} with GMST RMSE < {RMSE_CUT} K,",
        f"  effective sample size {ess:.0f}, {args.members} drawn without replacement by weight.",
        "Constraints: C4MIP beta/gamma (structural prior), AR6 GMST, CO2, CH4 and N2O",
        "  histories, CH4 growth 2019-2022, GSAT 2011-2020, CO2 2019, ocean heat uptake, GCB2021",
        "  ocean and land sinks 2011-2020, fair-calibrate aerosol ERF 2005-2014, AR6 ECS and TCR",
        "  (see the script).",
        f"  Central member (the default parameter set): {centre}. Units: esm.params.table().",
    ]
    path = ROOT / "esm" / "params" / "posterior.csv"
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w") as fh:
        fh.write("".join(f"# {h}\n" for h in header))
        post.to_csv(fh, float_format="%.6g")
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e3:.0f} kB)")

    rows = {}
    for k, (_, units, target, kind) in TARGETS.items():
        rows[k] = [
            *percentiles(values.loc[keep, k]),
            *percentiles(post_values[k]),
            *target,
            units,
            f"fitted ({kind})",
        ]
    for k, units in {**LEVELS, **UNFITTED}.items():
        rows[k] = [
            *percentiles(values.loc[keep, k]),
            *percentiles(post_values[k]),
            np.nan,
            np.nan,
            np.nan,
            units,
            "fitted (history likelihood)" if k in LEVELS else "not fitted",
        ]
    cols = pd.MultiIndex.from_product([["prior", "posterior", "target"], ["p05", "p50", "p95"]])
    report = pd.DataFrame({k: v[:9] for k, v in rows.items()}, index=cols).T
    report[("units", "")] = [v[9] for v in rows.values()]
    report[("role", "")] = [v[10] for v in rows.values()]
    share = {
        "co2": float((np.abs(post_values["co2_2019"] - 409.9) <= CO2_2019_TOLERANCE).mean()),
        "ch4": float((np.abs(post_values["ch4_2019"] - 1866.3) <= 40.0).mean()),
        "n2o": float((np.abs(post_values["n2o_2019"] - 332.1) <= 4.0).mean()),
    }
    rmse = {
        k: percentiles(post_values[f"{k}_rmse"]) for k in [*HISTORY_LIKELIHOODS, "co2_ice_core"]
    }
    n_af, af_range = history_consistent_airborne_fraction(values)
    out = ROOT / "validation" / "posterior_constraints.csv"
    with out.open("w") as fh:
        fh.write("# 5/50/95 % of each constraint: prior sample (GMST cut), posterior, target.\n")
        fh.write(f"# Generated by validation/calibrate_posterior.py (git {git_hash()}).\n")
        fh.write(
            "# posterior members within 5 ppm of CO2 2019 (409.9): "
            f"{share['co2']:.3f}; within 40 ppb of CH4 2019 (1866.3): {share['ch4']:.3f}; "
            f"within 4 ppb of N2O 2019 (332.1): {share['n2o']:.3f}\n"
        )
        for k, r in rmse.items():
            fh.write(f"# posterior {k} RMSE 5/50/95 %: {r[0]:.3g} / {r[1]:.3g} / {r[2]:.3g}\n")
        a, b, scale = HISTORY_LIKELIHOODS["co2"]
        fh.write(
            f"# 1pctCO2 airborne fraction at 2xCO2 of the {n_af} prior members (GMST cut) with CO2 "
            f"{a}-{b} RMSE < {scale:g} ppm and CO2 2019 within {CO2_2019_TOLERANCE:g} ppm, "
            f"unweighted, min / 5 / 50 / 95 % / max: {' / '.join(f'{x:.3f}' for x in af_range)}\n"
        )
        report.to_csv(fh, float_format="%.4g")
    pd.set_option("display.width", 200)
    print(report.to_string(float_format=lambda x: f"{x:.4g}"))
    print("shares within tolerance:", share)
    print(
        f"1pctCO2 airborne fraction at 2xCO2 of the {n_af} history-consistent prior members, "
        f"min / 5 / 50 / 95 % / max: {' / '.join(f'{x:.3f}' for x in af_range)}"
    )
    print(
        "central member:",
        centre,
        post_values.iloc[centre][CENTRAL + list(CENTRAL_METRICS)].astype(float).round(3).to_dict(),
    )
    if args.write_defaults:
        write_defaults(
            post.iloc[centre].to_dict(),
            centre,
            [
                f"Written by validation/calibrate_posterior.py --write-defaults, date "
                f"{dt.date.today().isoformat()}, git {git_hash()} (see posterior.csv's header).",
            ],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
