"""Compare a historical run of the model with the targets in validation/targets.csv.

:func:`history_checks` runs (or takes) an emission-driven SSP2-4.5 history 1750-2022 and returns
one row per target: the model value, the observed/assessed value, its range and whether the
model lies inside. ``esm validate`` prints this table; the README quotes it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from esm import diagnostics, observations
from esm.constants import OCEAN_HEAT_FRACTION


def _mean(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=slice(a, b)).mean())


def _total(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=slice(a, b)).sum())


def _at(var: str, year: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=year))


def _change(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=b) - ds[var].sel(year=a))


def _gmst_rmse(ds: xr.Dataset) -> float:
    obs = observations.load("gmst")["ar6_gmst"].dropna().loc[1850:2020]
    model = ds["gsat"].sel(year=obs.index.values).values
    return float(np.sqrt(np.mean((model - obs.values) ** 2)))


def _heating_rate(a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds["toa_imbalance"].sel(year=slice(a, b)).mean())


def _earth_energy(a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: _change("ocean_heat_content", a, b)(ds) / OCEAN_HEAT_FRACTION


_ERF = {
    "co2": "erf_co2",
    "ch4": "erf_ch4",
    "n2o": "erf_n2o",
    "halogens": "erf_halogens",
    "ozone": "erf_ozone",
    "h2o_stratospheric": "erf_h2o_stratospheric",
    "contrails": "erf_contrails",
    "aerosol_ari": "erf_aerosol_ari",
    "aerosol_aci": "erf_aerosol_aci",
    "aerosol": "erf_aerosol",
    "bc_on_snow": "erf_bc_on_snow",
    "land_use": "erf_land_use",
    "volcanic": "erf_volcanic",
    "solar": "erf_solar",
    "total_anthropogenic": "erf_anthropogenic",
    "total": "erf",
}

#: target name -> how to compute it from a historical run (Dataset -> float)
CHECKS: dict[str, Callable[[xr.Dataset], float]] = {
    "gcb_2011_2020_airborne_fraction": lambda ds: diagnostics.carbon_budget(ds, 2011, 2020)[
        "airborne_fraction"
    ],
    "gcb_2011_2020_ocean_sink": _mean("ocean_sink", 2011, 2020),
    "gcb_2011_2020_land_sink": _mean("land_sink", 2011, 2020),
    "gcb_2011_2020_atmospheric_growth": _mean("atmospheric_growth", 2011, 2020),
    "gcb_1850_2020_ocean_sink": _total("ocean_sink", 1850, 2020),
    "gcb_1850_2020_land_sink": _total("land_sink", 1850, 2020),
    "gcb_1850_2020_atmospheric_growth": _total("atmospheric_growth", 1850, 2020),
    "co2_2019": _at("co2", 2019),
    "ch4_2019": _at("ch4", 2019),
    "n2o_2019": _at("n2o", 2019),
    **{f"erf_2019_{k}": _at(v, 2019) for k, v in _ERF.items()},
    "erf_2xco2": lambda ds: diagnostics.f2x(),
    "erf_aerosol_ari_2005_2014": _mean("erf_aerosol_ari", 2005, 2014),
    "erf_aerosol_aci_2005_2014": _mean("erf_aerosol_aci", 2005, 2014),
    "erf_aerosol_2005_2014": _mean("erf_aerosol", 2005, 2014),
    "gsat_2011_2020": _mean("gsat", 2011, 2020),
    "gsat_2001_2020": _mean("gsat", 2001, 2020),
    "gsat_1995_2014": _mean("gsat", 1995, 2014),
    "gsat_2003_2022_fair_constraint": _mean("gsat", 2003, 2022),
    "gmst_rmse_1850_2020": _gmst_rmse,
    "ohc_ocean_1971_2018": _change("ocean_heat_content", 1971, 2018),
    "ohc_ocean_2006_2018": _change("ocean_heat_content", 2006, 2018),
    "earth_energy_gain_1971_2018": _earth_energy(1971, 2018),
    "earth_heating_rate_1971_2006": _heating_rate(1971, 2006),
    "earth_heating_rate_2006_2018": _heating_rate(2006, 2018),
}


def _metric_checks() -> dict[str, str]:
    """target name -> metric of :mod:`esm.metrics` (standard experiments)."""
    from esm.metrics import TARGETS

    return {t: m for m, names in TARGETS.items() for t in names}


#: target name -> metric of :mod:`esm.metrics` (standard experiments, default parameters)
METRIC_CHECKS = _metric_checks()


def history_run(**kwargs) -> xr.Dataset:
    """The emission-driven SSP2-4.5 history 1750-2022 with default (or given) parameters."""
    from esm.runner import run

    return run("ssp245", end=2022, **kwargs)


def history_checks(ds: xr.Dataset | None = None) -> pd.DataFrame:
    """Model value vs target for every entry of :data:`CHECKS` and :data:`METRIC_CHECKS`.


    Columns: ``model``, ``target``, ``low``, ``high``, ``kind`` (what the range means),
    ``units``, ``inside`` (True/False; NaN where the target has no range).
    """
    from esm import metrics

    ds = history_run() if ds is None else ds
    values = metrics.compute()
    targets = observations.load("targets")
    rows = []
    checks = {**CHECKS, **{k: (lambda ds, m=m: values[m]) for k, m in METRIC_CHECKS.items()}}
    for name, compute in checks.items():
        t = targets.loc[name]
        model = compute(ds)
        has_range = np.isfinite(t["low"]) and np.isfinite(t["high"])
        inside = bool(t["low"] <= model <= t["high"]) if has_range else np.nan
        rows.append(
            {
                "name": name,
                "model": model,
                "target": t["value"],
                "low": t["low"],
                "high": t["high"],
                "kind": t["kind"],
                "units": t["units"],
                "inside": inside,
            }
        )
    return pd.DataFrame(rows).set_index("name")


def format_checks(table: pd.DataFrame) -> str:
    """A plain-text table of :func:`history_checks` (``esm validate`` prints it)."""
    lines = [
        f"{'target':34s} {'model':>9s} {'target':>9s} {'range':>21s} {'kind':11s} "
        f"{'units':15s} status"
    ]
    for name, r in table.iterrows():
        rng = f"[{r.low:.3g}, {r.high:.3g}]" if np.isfinite(r.low) else ""
        status = {True: "inside", False: "OUTSIDE"}.get(r.inside, "-")
        lines.append(
            f"{name:34s} {r.model:9.4g} {r.target:9.4g} {rng:>21s} {r.kind:11s} "
            f"{r.units:15s} {status}"
        )
    n_in = int((table["inside"] == True).sum())  # noqa: E712
    n_out = int((table["inside"] == False).sum())  # noqa: E712
    lines.append(f"{n_in} inside, {n_out} outside, {len(table) - n_in - n_out} without a range")
    return "\n".join(lines)
