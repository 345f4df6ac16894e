"""Calibrate the ensemble: sample the priors, run the history, constrain, ship a posterior.

Run from the repository root::

    python validation/calibrate_posterior.py [--prior 32768] [--members 1000] [--seed 0]

Method (after the fair-calibrate v1.4 workflow of Smith et al. 2024, GMD 17, 8569):

1. draw ``--prior`` parameter sets from the priors declared next to each parameter
   (``esm.params.sample_prior``: scrambled Sobol' sequence, seed ``--seed``);
2. run each emission-driven over the SSP2-4.5 history 1750-2022 and the concentration-driven
   1pctCO2 experiment (for TCR); ECS is EBM-analytic;
3. discard members whose GSAT does not track the AR6 assessed GMST 1850-2020 (RMSE > 0.17 K),
   and weight each by how well its CO2 tracks the AR6 / NOAA CO2 history 1959-2019,
   exp(-(RMSE / 3 ppm)^2 / 2) (the default model has an RMSE of 2.5 ppm, mostly from the 1960s
   where the GCB2021 budget itself does not close);
4. weight the rest so that the distribution of each constrained quantity matches its
   observed or assessed distribution: weight = prod_k target_k(x) / prior_k(x), where prior_k
   is the density of x_k in the surviving prior sample (histogram, 60 bins) and target_k is:

   ============================  =========================================================
   GSAT 2011-2020 vs 1850-1900   normal 1.09 K, sd 0.076 (AR6 very likely 0.95-1.20)
   CO2 in 2019                   normal 409.9 ppm, sd 2.0 (AR6 409.9; model structure)
   ocean heat uptake 1971-2018   normal 396 ZJ, sd 67 (AR6 Table 7.1, 286-506 5-95 %)
   GCB2021 ocean sink 2011-2020  normal 2.78 GtC/yr, sd 0.4
   GCB2021 land sink 2011-2020   normal 3.06 GtC/yr, sd 0.5
   ERFari 2005-2014              normal -0.3 W m-2, sd 0.18 (fair-calibrate; 90 % +-0.3)
   ERFaci 2005-2014              normal -1.0 W m-2, sd 0.43 (fair-calibrate; 90 % +-0.7)
   ECS                           two-piece log-normal, median 3.0 K, sd(ln) 0.22 below and
                                 0.305 above (AR6 5/17/50/83/95 % = 2/2.5/3/4/5 K)
   TCR                           normal 1.8 K, sd 0.365 (AR6 very likely 1.2-2.4)
   ============================  =========================================================

5. draw ``--members`` sets without replacement with probability proportional to the weights
   (seeded), and write them to ``esm/params/posterior.csv`` with a provenance header;
6. report the 5/50/95 % of each constraint in the prior, the posterior and the target
   (``validation/posterior_constraints.csv``, also printed).
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

from esm import experiments, observations, params, runner  # noqa: E402
from esm.kernels import layout  # noqa: E402
from esm.metrics import window_mean  # noqa: E402

RMSE_CUT = 0.17  # K, GMST 1850-2020
CO2_RMSE_SCALE = 3.0  # ppm, CO2 1959-2019 (the Mauna Loa era): likelihood exp(-(rmse/3)^2/2)
HISTORY_VARS = [
    "gsat",
    "co2",
    "ocean_sink",
    "land_sink",
    "ocean_heat_content",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
]


def two_piece_lognormal_pdf(x, median, s_lo, s_hi):
    """Density of a two-piece log-normal (continuous at the median)."""
    z = np.log(np.maximum(x, 1e-9) / median)
    s = np.where(z < 0, s_lo, s_hi)
    norm = 2.0 / (np.sqrt(2 * np.pi) * (s_lo + s_hi))
    return norm * np.exp(-0.5 * (z / s) ** 2) / np.maximum(x, 1e-9)


TARGETS = {
    "gsat_2011_2020": (lambda x: stats.norm.pdf(x, 1.09, 0.076), "K"),
    "co2_2019": (lambda x: stats.norm.pdf(x, 409.9, 2.0), "ppm"),
    "ohc_1971_2018": (lambda x: stats.norm.pdf(x, 396.0, 67.0), "ZJ"),
    "ocean_sink_2011_2020": (lambda x: stats.norm.pdf(x, 2.78, 0.4), "GtC/yr"),
    "land_sink_2011_2020": (lambda x: stats.norm.pdf(x, 3.06, 0.5), "GtC/yr"),
    "erfari_2005_2014": (lambda x: stats.norm.pdf(x, -0.3, 0.3 / 1.645), "W m-2"),
    "erfaci_2005_2014": (lambda x: stats.norm.pdf(x, -1.0, 0.7 / 1.645), "W m-2"),
    "ecs": (lambda x: two_piece_lognormal_pdf(x, 3.0, 0.22, 0.305), "K"),
    "tcr": (lambda x: stats.norm.pdf(x, 1.8, 0.6 / 1.645), "K"),
}
#: 5/50/95 % of each target distribution, for the report
TARGET_PERCENTILES = {
    "gsat_2011_2020": (0.965, 1.09, 1.215),
    "co2_2019": (406.6, 409.9, 413.2),
    "ohc_1971_2018": (285.7, 396.0, 506.3),
    "ocean_sink_2011_2020": (2.12, 2.78, 3.44),
    "land_sink_2011_2020": (2.24, 3.06, 3.88),
    "erfari_2005_2014": (-0.6, -0.3, 0.0),
    "erfaci_2005_2014": (-1.7, -1.0, -0.3),
    "ecs": (2.0, 3.0, 5.0),
    "tcr": (1.2, 1.8, 2.4),
}


def run_constraints(table: pd.DataFrame, chunk: int = 4096) -> pd.DataFrame:
    """The constrained quantities (and the GMST RMSE) for every parameter set of ``table``."""
    pm = params.matrix(table)
    _, years, emis, natural = runner.prepare("ssp245", end=2022)
    co2_end = np.full(years.size, np.nan)
    gmst = observations.load("gmst")["ar6_gmst"].dropna().loc[1850:2020]
    obs_idx = np.searchsorted(years, gmst.index.values)
    co2_obs = observations.load("ghg_concentrations")["co2"].loc[1959:2019]
    co2_idx = np.searchsorted(years, co2_obs.index.values)
    _, ex_years, ex_emis, ex_nat, ex_co2, _ = experiments.setup("1pctCO2")
    pm_exp = pm.copy()
    pm_exp[:, layout.P_CO2_PI] = experiments.CO2_PICONTROL
    f2x0 = 3.9355222485109036  # ERF of 2 x 278.3 ppm at erf_scale_co2 = 1 (esm.diagnostics.f2x)
    rows = []
    y = {v: np.searchsorted(years, v) for v in (1850, 1900, 1971, 2005, 2011, 2014, 2018, 2019)}
    for a in range(0, len(table), chunk):
        b = min(a + chunk, len(table))
        raw, names, _ = runner.integrate(
            emis, natural, co2_end, pm[a:b], names=HISTORY_VARS, years=years
        )
        d = runner.to_dataset(years, raw, names, HISTORY_VARS, member_dim=True)
        g = d["gsat"].values
        ex, _, _ = runner.integrate(
            ex_emis, ex_nat, ex_co2, pm_exp[a:b], names=["gsat"], years=ex_years
        )
        t = ex[:, :, 0]
        rows.append(
            pd.DataFrame(
                {
                    "gmst_rmse": np.sqrt(np.mean((g[:, obs_idx] - gmst.values) ** 2, axis=1)),
                    "co2_rmse": np.sqrt(
                        np.mean((d["co2"].values[:, co2_idx] - co2_obs.values) ** 2, axis=1)
                    ),
                    "gsat_2011_2020": g[:, y[2011] : y[2011] + 10].mean(axis=1),
                    "co2_2019": d["co2"].values[:, y[2019]],
                    "ohc_1971_2018": d["ocean_heat_content"].values[:, y[2018]]
                    - d["ocean_heat_content"].values[:, y[1971]],
                    "ocean_sink_2011_2020": d["ocean_sink"]
                    .values[:, y[2011] : y[2011] + 10]
                    .mean(axis=1),
                    "land_sink_2011_2020": d["land_sink"]
                    .values[:, y[2011] : y[2011] + 10]
                    .mean(axis=1),
                    "erfari_2005_2014": d["erf_aerosol_ari"]
                    .values[:, y[2005] : y[2014] + 1]
                    .mean(axis=1),
                    "erfaci_2005_2014": d["erf_aerosol_aci"]
                    .values[:, y[2005] : y[2014] + 1]
                    .mean(axis=1),
                    "ecs": -f2x0
                    * pm[a:b, layout.P_ERF_SCALE_CO2]
                    / pm[a:b, layout.P_CLIMATE_FEEDBACK],
                    "tcr": np.array([window_mean(row, 61, 80) for row in t]),
                },
                index=table.index[a:b],
            )
        )
    return pd.concat(rows)


def density_weights(x: np.ndarray, target, bins: int = 60) -> np.ndarray:
    """target(x) / prior density of x (histogram estimate of the sample itself)."""
    lo, hi = np.percentile(x, [0.1, 99.9])
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(x, edges)
    density = counts / (counts.sum() * np.diff(edges))
    idx = np.clip(np.searchsorted(edges, x) - 1, 0, bins - 1)
    prior = np.maximum(density[idx], density[density > 0].min())
    w = target(x) / prior
    w[(x < lo) | (x > hi)] = 0.0  # outside the well-sampled range: no weight
    return w


def summarise(values: pd.DataFrame, weights=None) -> pd.DataFrame:
    out = {}
    for k in TARGETS:
        x = values[k].to_numpy()
        if weights is None:
            out[k] = np.percentile(x, [5, 50, 95])
        else:
            order = np.argsort(x)
            cw = np.cumsum(weights[order]) / weights.sum()
            out[k] = np.interp([0.05, 0.5, 0.95], cw, x[order])
    return pd.DataFrame(out, index=["p05", "p50", "p95"]).T


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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prior", type=int, default=32768, help="prior sample size")
    ap.add_argument("--members", type=int, default=1000, help="posterior size")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    prior = params.sample_prior(args.prior, seed=args.seed, method="sobol")
    values = run_constraints(prior)
    print(f"ran {len(prior)} prior members in {time.perf_counter() - t0:.1f} s")
    keep = values["gmst_rmse"] < RMSE_CUT
    print(f"GMST RMSE < {RMSE_CUT} K: {int(keep.sum())} of {len(keep)} members")
    kept = values[keep]
    w = np.exp(-0.5 * (kept["co2_rmse"].to_numpy() / CO2_RMSE_SCALE) ** 2)
    for k, (target, _) in TARGETS.items():
        w *= density_weights(kept[k].to_numpy(), target)
    w /= w.sum()
    ess = 1.0 / np.sum(w**2)
    print(f"effective sample size after weighting: {ess:.0f}")
    if ess < args.members:
        print(f"warning: effective sample size {ess:.0f} < {args.members} members")
    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(kept), size=args.members, replace=False, p=w)
    chosen = np.sort(chosen)
    post = prior.loc[kept.index[chosen]].reset_index(drop=True)
    post.index.name = "member"

    header = [
        "Calibrated posterior parameter sets of esm (one row per member; parameters not listed",
        "keep their defaults). Generated by validation/calibrate_posterior.py",
        f"  date {dt.date.today().isoformat()}, git {git_hash()}, prior {args.prior} Sobol' sets"
        f" (seed {args.seed}), {int(keep.sum())} with GMST RMSE < {RMSE_CUT} K,",
        f"  effective sample size {ess:.0f}, {args.members} drawn without replacement by weight.",
        "Constraints: AR6 GMST and CO2 histories, GSAT 2011-2020, CO2 2019, ocean heat uptake,",
        "  GCB2021 ocean and land sinks 2011-2020, fair-calibrate aerosol ERF 2005-2014, AR6 ECS",
        "  and TCR (see the script's docstring). Units: esm.params.table().",
    ]
    path = ROOT / "esm" / "params" / "posterior.csv"
    with path.open("w") as fh:
        fh.write("".join(f"# {h}\n" for h in header))
        post.to_csv(fh, float_format="%.6g")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e3:.0f} kB)")

    post_values = values.loc[kept.index[chosen]]
    report = pd.concat(
        {
            "prior": summarise(values),
            "posterior": summarise(post_values),
            "target": pd.DataFrame(TARGET_PERCENTILES, index=["p05", "p50", "p95"]).T,
        },
        axis=1,
    )
    report[("units", "")] = [TARGETS[k][1] for k in report.index]
    share_co2 = float((np.abs(post_values["co2_2019"] - 409.9) <= 5.0).mean())
    rmse = np.percentile(post_values["co2_rmse"], [5, 50, 95])
    print(
        f"posterior CO2 RMSE 1959-2019 [ppm], 5/50/95 %: {rmse.round(2)}; GMST RMSE [K]: "
        f"{np.percentile(post_values['gmst_rmse'], [5, 50, 95]).round(3)}"
    )
    out = ROOT / "validation" / "posterior_constraints.csv"
    with out.open("w") as fh:
        fh.write("# 5/50/95 % of each constraint: prior sample, shipped posterior, target.\n")
        fh.write(
            f"# Generated by validation/calibrate_posterior.py (git {git_hash()}); "
            f"posterior members with |CO2 2019 - 409.9| <= 5 ppm: {share_co2:.3f}\n"
        )
        fh.write(
            f"# posterior CO2 RMSE 1959-2019 5/50/95 %: {rmse[0]:.2f} / {rmse[1]:.2f} / "
            f"{rmse[2]:.2f} ppm\n"
        )
        report.to_csv(fh, float_format="%.4g")
    pd.set_option("display.width", 160)
    print(report.round(3).to_string())
    print(f"posterior members with CO2 2019 within 5 ppm of 409.9: {100 * share_co2:.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
