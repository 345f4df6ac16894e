"""China emission pathways and their composition with the rest of the world.

Method (documented in docs/china.md):

* China's history (``forcings/china/historical.csv``): GCB2024 fossil CO2 to 2023, GCB2024
  bookkeeping land use (four-model mean) to 2023, CEDS non-CO2 to 2019.
* China's *share path* in a background scenario G: China's history up to the base year
  (2020 for CO2, 2019 for the CEDS species) and afterwards ``f * G(t)`` with the base-year share
  ``f = China / G`` (land-use CO2, a small net sink of the opposite sign to the global flux, is
  held at its 2020 value instead). Halogens and aviation NOx are not attributed to China (no
  data), except F-gases when the lever ``fgas_share`` is set.
* Rest of the world: ``RoW = G - share path`` for every species (by construction).
* A pathway replaces China's share path after the base year by the lever-defined emissions;
  the composed global scenario is ``RoW + China``. With the reference levers it is exactly G.

Units inside: the model's (GtC/yr for CO2); levers in GtCO2/yr are converted here.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import xarray as xr

from esm import scenarios
from esm._data import forcings_dir
from esm.china.levers import LAST_OBSERVED_CO2, Levers
from esm.constants import GTCO2_PER_GTC
from esm.kernels.layout import HALOGEN_NAMES, SPECIES_NAMES

#: Base year of the share for each species group (last year both China and global are data).
BASE_YEAR_CO2 = 2020
BASE_YEAR_OTHER = 2019

#: Non-CO2 species and the lever that cuts each.
CUTS = {
    "ch4": "ch4_cut",
    "n2o": "n2o_cut",
    "so2": "so2_cut",
    "nox": "pollutant_cut",
    "bc": "pollutant_cut",
    "oc": "pollutant_cut",
    "co": "pollutant_cut",
    "nmvoc": "pollutant_cut",
}

#: F-gases that ``fgas_share`` attributes to China (the Montreal gases stay in the rest of the
#: world: their production and consumption are phased out globally).
FGASES = tuple(
    h
    for h in HALOGEN_NAMES
    if h.startswith(("hfc", "c", "nf3", "sf6", "so2f2")) and not h.startswith(("cfc", "ch", "ccl4"))
)


@cache
def _history() -> xr.Dataset:
    return scenarios.read_csv(forcings_dir() / "china" / "historical.csv", name="china")


def history() -> xr.Dataset:
    """China's historical emissions (model units; NaN after each species' last data year)."""
    return _history().copy(deep=True)


def _base_year(species: str) -> int:
    return BASE_YEAR_CO2 if species.startswith("co2_") else BASE_YEAR_OTHER


def background(name_or_ds) -> xr.Dataset:
    """A background scenario Dataset (name of a shipped scenario or a Dataset), model units."""
    ds = scenarios.load(name_or_ds) if isinstance(name_or_ds, str) else name_or_ds.copy()
    years = ds["year"].values
    if years[0] > 1850 or years[-1] < BASE_YEAR_CO2 + 1:
        raise scenarios.ScenarioError(
            f"background scenario must cover 1850-{BASE_YEAR_CO2 + 1}, not {years[0]}-{years[-1]}"
        )
    return ds


def _internal(ds: xr.Dataset, species: str) -> np.ndarray:
    factor = scenarios.units.conversion_factor(species, ds[species].attrs["units"])
    return ds[species].values * factor


def share_path(bg: xr.Dataset, fgas_share: float = 0.0) -> dict[str, np.ndarray]:
    """China's emissions if it keeps its base-year share of the background, per species."""
    hist = _history()
    years = bg["year"].values
    out = {}
    for sp in SPECIES_NAMES:
        g = _internal(bg, sp)
        if sp in hist:
            base = _base_year(sp)
            h = hist[sp].reindex(year=years).values * scenarios.units.conversion_factor(
                sp, hist[sp].attrs["units"]
            )
            i = int(np.searchsorted(years, base))
            if years[i] != base:
                raise scenarios.ScenarioError(f"background lacks the base year {base}")
            if sp == "co2_landuse":
                # a small net flux of the opposite sign to the global one: a share of it has
                # no meaning, so China's flux is held at its base-year value
                future = np.full(years.size, h[i])
            else:
                future = (h[i] / g[i] if g[i] != 0 else 0.0) * g
            path = np.where(years <= base, h, future)
            path[years < hist["year"].values[0]] = 0.0
            out[sp] = np.nan_to_num(path)
        elif sp in FGASES and fgas_share > 0:
            out[sp] = np.where(years > BASE_YEAR_OTHER, fgas_share * g, 0.0)
        else:
            out[sp] = np.zeros(years.size)
    return out


def ramp(years: np.ndarray, start: float, full: float, value: float) -> np.ndarray:
    """0 until ``start``, linear to ``value`` in ``full``, constant after."""
    frac = np.clip((years - start) / (full - start), 0.0, 1.0)
    return value * frac


def fossil_trajectory(years: np.ndarray, lv: Levers) -> np.ndarray:
    """Gross fossil CO2 [GtCO2/yr] after the last observation, from the CO2 levers."""
    hist = _history()["co2_fossil"]
    obs = float(hist.sel(year=LAST_OBSERVED_CO2)) * GTCO2_PER_GTC
    y0, peak_year = LAST_OBSERVED_CO2, lv.co2_peak_year
    decline_start = peak_year + lv.co2_plateau
    target = lv.co2_target_year
    e = np.full(years.size, lv.co2_residual, dtype=float)
    rise = years <= peak_year
    e[rise] = obs + (lv.co2_peak - obs) * (years[rise] - y0) / max(peak_year - y0, 1)
    e[(years > peak_year) & (years <= decline_start)] = lv.co2_peak
    dec = (years > decline_start) & (years < target)
    x = (years[dec] - decline_start) / (target - decline_start)  # 0 -> 1
    if lv.co2_decline == "linear":
        e[dec] = lv.co2_peak + (lv.co2_residual - lv.co2_peak) * x
    elif lv.co2_decline == "exponential":
        e[dec] = lv.co2_peak * (lv.co2_residual / lv.co2_peak) ** x
    else:  # cosine: slow start, fastest in the middle, slow approach to the residual
        e[dec] = lv.co2_residual + (lv.co2_peak - lv.co2_residual) * 0.5 * (1 + np.cos(np.pi * x))
    return e


def china_emissions(bg: xr.Dataset, lv: Levers) -> dict[str, np.ndarray]:
    """China's emissions per species [model units] for levers ``lv`` in background ``bg``,
    plus the lever components (GtCO2/yr) under keys starting with ``lever_``."""
    years = bg["year"].values
    out = share_path(bg, lv.fgas_share)
    gross = out["co2_fossil"] * GTCO2_PER_GTC  # GtCO2/yr
    if not lv.follows_share:
        after = years > LAST_OBSERVED_CO2
        hist = _history()["co2_fossil"].reindex(year=years).values * GTCO2_PER_GTC
        observed = (years > BASE_YEAR_CO2) & ~after
        gross = np.where(observed, hist, gross)
        gross = np.where(after, fossil_trajectory(years, lv), gross)
    ccus = ramp(years, lv.start_year, lv.ccus_year, lv.ccus)
    sink = ramp(years, lv.start_year, lv.ecosystem_sink_year, lv.ecosystem_sink)
    conservation = ramp(years, lv.start_year, lv.conservation_year, lv.conservation)
    out["co2_fossil"] = (gross - ccus) / GTCO2_PER_GTC
    out["co2_landuse"] = out["co2_landuse"] - (sink + conservation) / GTCO2_PER_GTC
    for sp, lever in CUTS.items():
        out[sp] = out[sp] * (1.0 - ramp(years, lv.start_year, lv.nonco2_year, getattr(lv, lever)))
    if lv.fgas_share > 0:
        cut = 1.0 - ramp(years, lv.start_year, lv.nonco2_year, lv.fgas_cut)
        for sp in FGASES:
            out[sp] = out[sp] * cut
    out["lever_gross_fossil"] = gross
    out["lever_ccus"] = ccus
    out["lever_ecosystem_sink"] = sink
    out["lever_conservation"] = conservation
    return out


def compose(bg: xr.Dataset, lv: Levers) -> tuple[xr.Dataset, dict[str, np.ndarray]]:
    """Global scenario = rest of the world (background minus China's share path) + China.

    Returns the scenario Dataset (model units, ready for ``esm.run``) and China's emissions.
    """
    years = bg["year"].values
    base = share_path(bg, lv.fgas_share)
    china = china_emissions(bg, lv)
    ds = xr.Dataset(coords={"year": years})
    for sp in SPECIES_NAMES:
        g = _internal(bg, sp)
        value = g - base[sp] + china[sp]
        if not sp.startswith("co2_"):
            # a cut can only lower China's part; tiny negatives are round-off of g - base
            value = np.where(np.abs(value) < 1e-12 * np.maximum(np.abs(g), 1.0), 0.0, value)
        ds[sp] = ("year", value, {"units": scenarios.internal_unit(sp)})
    for v in scenarios.NATURAL_VARIABLES:
        if v in bg:
            ds[v] = bg[v]
    ds.attrs["scenario"] = f"{bg.attrs.get('scenario', 'background')} with China pathway"
    return ds, china
