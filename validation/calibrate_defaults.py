"""Calibrate the default parameter set of esm against observations and assessments.

Run from the repository root::

    python validation/calibrate_defaults.py          # print the calibration and the targets

The values it finds are where the priors of these parameters were centred (esm 0.1 defaults,
quoted as the literature values in their ``source``). The shipped defaults are no longer these:
they are the central member of the calibrated posterior, written by
``python validation/calibrate_posterior.py --write-defaults``; this script does not write.

Method (emission-driven SSP2-4.5 history 1750-2020, the shipped data only):

1. gas lifetimes: ``ch4_lifetime_pi`` and ``n2o_lifetime_pi`` are solved (Brent) so that the
   2019 concentrations equal AR6 (1866.3 ppb, 332.1 ppb; validation/ghg_concentrations.csv);
2. forcing scalings: ``erf_scale_ozone`` and ``land_use_albedo`` are scaled so that their
   2019 ERF equals the AR6 best estimate; ``erf_scale_ari`` and ``aci_beta`` are fitted by
   least squares to the AR6 ERFari/ERFaci time series 1950-2019 (validation/ar6_erf.csv);
3. climate: ``climate_feedback = -F2x / 3.0 K`` so that ECS is the AR6 best estimate 3.0 K
   with the model's own 2xCO2 ERF (Meinshausen et al. 2020 + 5 % adjustment);
   ``deep_ocean_efficacy`` is solved so that TCR (1pctCO2, years 61-80) is the AR6 best
   estimate 1.8 K; heat capacities and exchange coefficients stay at the fair-calibrate v1.4.1
   medians (the efficacy moves from its median 1.29 to about 0.97);
4. carbon cycle: ``co2_fertilisation``, ``respiration_q10`` and ``ocean_mixing_time_scale`` are
   fitted by weighted least squares (residuals divided by sigma) to
   - the Global Carbon Budget 2021: land and ocean sinks, 2011-2020 means (sigma 0.5 and
     0.4 GtC/yr) and 1850-2020 sums (sigma 20 GtC);
   - AR6 CO2 in 2019 (409.9 ppm, sigma 2 ppm);
   - the CMIP6 carbon-cycle feedbacks at 4xCO2 of 1pctCO2 / 1pctCO2-bgc (Arora et al. 2020:
     beta_land 0.97 +- 0.40, beta_ocean 0.79 +- 0.07 GtC/ppm, gamma_land -45.1 +- 50.6,
     gamma_ocean -17.2 +- 5.0 GtC/K; model spread as sigma), so that the carbon cycle is
     right in idealised experiments as well as in the historical period.
   The air-sea gas-exchange time stays at the HILDA value (9.06 yr).

Steps 1-4 are repeated until the values change by less than 0.1 %, because they interact
(through temperature and CO2). Other parameters are literature values (see their sources).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq, least_squares

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esm import experiments, metrics, params, runner  # noqa: E402
from esm.kernels.forcing import co2_sarf_meinshausen2020  # noqa: E402

VAL = ROOT / "validation"
ECS_TARGET = 3.0  # K, IPCC AR6 best estimate
TCR_TARGET = 1.8  # K, IPCC AR6 best estimate
NAMES = [
    "co2",
    "ch4",
    "n2o",
    "land_sink",
    "ocean_sink",
    "erf_ozone",
    "erf_land_use",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
    "gsat",
    "atmospheric_growth",
    "emissions_co2_fossil",
    "emissions_co2_landuse",
]


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(VAL / name, comment="#")


class History:
    """Fast repeated emission-driven runs of the SSP2-4.5 history 1750-2020."""

    def __init__(self):
        _, self.years, self.emis, self.natural = runner.prepare("ssp245", end=2020)
        self.co2_end = np.full(self.years.size, np.nan)

    def run(self, values: dict) -> pd.DataFrame:
        raw, needed, _ = runner.integrate(
            self.emis, self.natural, self.co2_end, params.vector(values), names=NAMES
        )
        ds = runner.to_dataset(self.years, raw, needed, NAMES)
        return ds.to_dataframe()

    @staticmethod
    def mean(df, var, a, b):
        return float(df.loc[a:b, var].mean())

    @staticmethod
    def total(df, var, a, b):
        return float(df.loc[a:b, var].sum())


def f2x(values: dict) -> float:
    """ERF of doubled CO2 [W m-2] for the parameter values (Meinshausen et al. 2020)."""
    c0, n0 = values["co2_pi"], values["n2o_pi"]
    sarf = co2_sarf_meinshausen2020(2.0 * c0, n0) - co2_sarf_meinshausen2020(c0, n0)
    return sarf * (1.0 + values["adjustment_co2"]) * values["erf_scale_co2"]


def calibrate(max_passes: int = 6) -> dict:
    h = History()
    v = params.defaults()
    conc = read("ghg_concentrations.csv").set_index("year")
    erf = read("ar6_erf.csv").set_index("year")
    gcb = read("gcb2021_budget.csv").set_index("year")
    cmip6 = read("targets.csv").set_index("name")
    t = {
        "ch4": conc.loc[2019, "ch4"],
        "n2o": conc.loc[2019, "n2o"],
        "co2": conc.loc[2019, "co2"],
        "ozone": erf.loc[2019, "ozone"],
        "land_use": erf.loc[2019, "land_use"],
        "land": gcb.loc[2011:2020, "land_sink"].mean(),
        "ocean": gcb.loc[2011:2020, "ocean_sink"].mean(),  # noqa: E501
        "land_cum": gcb.loc[1850:2020, "land_sink"].sum(),
        "ocean_cum": gcb.loc[1850:2020, "ocean_sink"].sum(),
    }
    fitted = [
        "ch4_lifetime_pi",
        "n2o_lifetime_pi",
        "erf_scale_ozone",
        "land_use_albedo",
        "erf_scale_ari",
        "aci_beta",
        "climate_feedback",
        "deep_ocean_efficacy",
        "co2_fertilisation",
        "respiration_q10",
        "ocean_mixing_time_scale",
    ]
    for n_pass in range(max_passes):
        before = np.array([v[k] for k in fitted])
        # 1. gas lifetimes
        v["ch4_lifetime_pi"] = brentq(
            lambda x: h.run({**v, "ch4_lifetime_pi": x}).loc[2019, "ch4"] - t["ch4"],
            6.0,
            14.0,
            xtol=1e-6,
        )
        v["n2o_lifetime_pi"] = brentq(
            lambda x: h.run({**v, "n2o_lifetime_pi": x}).loc[2019, "n2o"] - t["n2o"],
            90.0,
            150.0,
            xtol=1e-5,
        )
        # 2. forcing scalings
        df = h.run(v)
        v["erf_scale_ozone"] *= (
            t["ozone"] - v["ozone_temperature_feedback"] * df.loc[2018, "gsat"]
        ) / (df.loc[2019, "erf_ozone"] - v["ozone_temperature_feedback"] * df.loc[2018, "gsat"])
        v["land_use_albedo"] *= t["land_use"] / df.loc[2019, "erf_land_use"]

        def aerosol_residual(x, obs=erf.loc[1950:2019]):
            d = h.run({**v, "erf_scale_ari": x[0], "aci_beta": x[1]}).loc[1950:2019]
            return np.concatenate(
                [
                    d["erf_aerosol_ari"] - obs["aerosol_ari"],
                    d["erf_aerosol_aci"] - obs["aerosol_aci"],
                ]
            )

        sol = least_squares(
            aerosol_residual, [v["erf_scale_ari"], v["aci_beta"]], x_scale=[0.3, 0.3]
        )
        v["erf_scale_ari"], v["aci_beta"] = float(sol.x[0]), float(sol.x[1])
        # 3. climate feedback for ECS = 3 K; ocean heat uptake for TCR = 1.8 K and GMST
        v["climate_feedback"] = -f2x(v) / ECS_TARGET

        def tcr_error(eps):
            changed = {"deep_ocean_efficacy": eps, "climate_feedback": v["climate_feedback"]}
            cou = experiments.run("1pctCO2", changed, variables=["gsat"])
            return metrics.window_mean(cou["gsat"].values, 61, 80) - TCR_TARGET

        v["deep_ocean_efficacy"] = brentq(tcr_error, 0.6, 2.4, xtol=1e-5)

        # 4. carbon cycle
        def carbon_residual(x):
            trial = {
                **v,
                "co2_fertilisation": x[0],
                "respiration_q10": x[1],
                "ocean_mixing_time_scale": x[2],
            }
            d = h.run(trial)
            changed = {k: val for k, val in trial.items() if val != params.defaults()[k]}
            cou = experiments.run("1pctCO2", changed, variables=metrics.VARIABLES)
            bgc = experiments.run("1pctCO2-bgc", changed, variables=metrics.VARIABLES)
            fb = metrics.feedbacks(cou, bgc, 140)
            return np.array(
                [
                    (h.mean(d, "land_sink", 2011, 2020) - t["land"]) / 0.5,
                    (h.total(d, "land_sink", 1850, 2020) - t["land_cum"]) / 20.0,
                    (h.mean(d, "ocean_sink", 2011, 2020) - t["ocean"]) / 0.4,
                    (h.total(d, "ocean_sink", 1850, 2020) - t["ocean_cum"]) / 20.0,
                    (d.loc[2019, "co2"] - t["co2"]) / 2.0,
                    *[
                        (fb[k] - cmip6.loc[f"cmip6_{k}", "value"])
                        / (cmip6.loc[f"cmip6_{k}", "high"] - cmip6.loc[f"cmip6_{k}", "value"])
                        for k in ("beta_land", "beta_ocean", "gamma_land", "gamma_ocean")
                    ],
                ]
            )

        x0 = [v["co2_fertilisation"], v["respiration_q10"], v["ocean_mixing_time_scale"]]
        sol = least_squares(
            carbon_residual, x0, bounds=([0.05, 1.0, 0.3], [1.5, 4.0, 3.0]), x_scale=[0.1, 0.3, 0.3]
        )
        v["co2_fertilisation"], v["respiration_q10"], v["ocean_mixing_time_scale"] = map(
            float, sol.x
        )
        after = np.array([v[k] for k in fitted])
        change = np.max(np.abs(after - before) / np.maximum(np.abs(before), 1e-12))
        print(f"pass {n_pass + 1}: largest relative change {change:.2e}")
        if change < 1e-3:
            break
    return {k: v[k] for k in fitted}


ROUND = {
    "ch4_lifetime_pi": 4,
    "n2o_lifetime_pi": 2,
    "erf_scale_ozone": 4,
    "land_use_albedo": 7,
    "erf_scale_ari": 4,
    "aci_beta": 4,
    "climate_feedback": 4,
    "deep_ocean_efficacy": 4,
    "co2_fertilisation": 4,
    "respiration_q10": 4,
    "ocean_mixing_time_scale": 4,
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    values = calibrate()
    current = params.defaults()
    print(f"\n{'parameter':32s} {'calibrated':>12s} {'declared':>12s}")
    for k, x in values.items():
        print(f"{k:32s} {round(x, ROUND[k]):12.6g} {current[k]:12.6g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
