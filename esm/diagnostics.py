"""Diagnostics computed from parameters or from model output (no kernel calls).

* :func:`f2x`, :func:`ecs`, :func:`tcr_ebm`: climate-response metrics of the energy-balance
  model from its parameters (analytic, by eigen-decomposition of the three-layer system);
* :func:`carbon_budget`: GCB-style budget terms and shares over a period of a run.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from esm import params as _params
from esm.kernels.ebm import ebm_system
from esm.kernels.forcing import co2_sarf_meinshausen2020

#: CO2 doubling time of the 1 %/yr experiment [yr]: ln 2 / ln 1.01.
DOUBLING_TIME_1PCT = float(np.log(2.0) / np.log(1.01))


def _values(values: Mapping[str, float] | None) -> dict[str, float]:
    v = _params.defaults()
    for k, x in (values or {}).items():
        v[k] = _params.check_value(k, x)
    return v


def f2x(values: Mapping[str, float] | None = None) -> float:
    """ERF of doubled pre-industrial CO2 [W m-2] (Meinshausen et al. 2020, with adjustment)."""
    v = _values(values)
    c0, n0 = v["co2_pi"], v["n2o_pi"]
    sarf = co2_sarf_meinshausen2020(2.0 * c0, n0) - co2_sarf_meinshausen2020(c0, n0)
    return float(sarf * (1.0 + v["adjustment_co2"]) * v["erf_scale_co2"])


def ecs(values: Mapping[str, float] | None = None, forcing_2x: float | None = None) -> float:
    """Equilibrium climate sensitivity [K] = -F2x / lambda (EBM-analytic)."""
    v = _values(values)
    forcing = f2x(v) if forcing_2x is None else forcing_2x
    return float(-forcing / v["climate_feedback"])


def ebm_ramp_response(values: Mapping[str, float] | None, rate: float, times) -> np.ndarray:
    """Surface temperature [K] of the EBM at ``times`` [yr] for forcing ``rate * t`` [W m-2 yr-1].

    Analytic solution x(t) = rate * A^-2 (e^{At} - I - A t) b by eigen-decomposition of the
    system of the energy-balance model the values choose (``ebm_layers``: three or two
    layers), independent of the time-stepping kernel.
    """
    v = _values(values)
    layers = int(v["ebm_layers"])
    a = ebm_system(
        v["climate_feedback"],
        v["heat_capacity_surface"],
        v["heat_capacity_intermediate"],
        v["heat_capacity_deep"],
        v["heat_exchange_surface_intermediate"],
        v["heat_exchange_intermediate_deep"],
        v["deep_ocean_efficacy"],
        float(layers),
    )
    keep = [0, 1, 2] if layers == 3 else [0, 2]  # a two-layer model has no T2
    a = a[np.ix_(keep, keep)]
    b = np.zeros(len(keep))
    b[0] = 1.0 / v["heat_capacity_surface"]
    lam, vec = np.linalg.eig(a)
    coef = np.linalg.solve(vec, b)
    t = np.atleast_1d(np.asarray(times, dtype=float))
    modes = (np.exp(np.outer(t, lam)) - 1.0 - np.outer(t, lam)) / lam**2
    x = (modes * coef) @ vec.T
    return np.real(rate * x[:, 0])


def tcr_ebm(
    values: Mapping[str, float] | None = None,
    forcing_2x: float | None = None,
    window: tuple[float, float] = (60.0, 80.0),
) -> float:
    """Transient climate response [K]: EBM-analytic mean warming over years 61-80 of a linear
    forcing ramp reaching F2x at the doubling time of the 1 %/yr experiment (69.66 yr).

    ``window=None`` gives the warming at the time of doubling instead.
    """
    forcing = f2x(values) if forcing_2x is None else forcing_2x
    rate = forcing / DOUBLING_TIME_1PCT
    if window is None:
        return float(ebm_ramp_response(values, rate, [DOUBLING_TIME_1PCT])[0])
    # annual means of years 61..80 = average of the continuous solution over [60, 80]
    t = np.linspace(window[0], window[1], 2001)
    return float(np.trapezoid(ebm_ramp_response(values, rate, t), t) / (t[-1] - t[0]))


def carbon_budget(ds: xr.Dataset, start: int, end: int) -> dict[str, float]:
    """GCB-style budget over years ``start``-``end`` (inclusive): means [GtC yr-1] and shares.

    Keys: ``emissions`` (fossil + land use), ``atmospheric_growth``, ``ocean_sink``,
    ``land_sink``, ``airborne_fraction``, ``ocean_fraction``, ``land_fraction``.
    """
    sel = ds.sel(year=slice(start, end))
    if sel.sizes["year"] != end - start + 1:
        raise ValueError(f"run does not cover {start}-{end}")
    out = {
        "emissions": float((sel["emissions_co2_fossil"] + sel["emissions_co2_landuse"]).mean()),
        "atmospheric_growth": float(sel["atmospheric_growth"].mean()),
        "ocean_sink": float(sel["ocean_sink"].mean()),
        "land_sink": float(sel["land_sink"].mean()),
    }
    for key, part in (
        ("airborne_fraction", "atmospheric_growth"),
        ("ocean_fraction", "ocean_sink"),
        ("land_fraction", "land_sink"),
    ):
        out[key] = out[part] / out["emissions"]
    return out
