"""China pathways and the climate effect of carbon-neutrality measures.

>>> from esm import china
>>> china.pathway("neutral-2060")                        # China's emissions, by lever
>>> china.scenario("neutral-2060", background="ssp245")  # the global scenario to run
>>> china.effect("neutral-2060", reference="reference", members=100)   # doctest: +SKIP
>>> china.contribution(end=2020)                         # China's share of past warming
>>> china.sweep("neutral-2060", "ccus", [0, 1, 2])       # doctest: +SKIP
>>> china.share_of_goal(esm.goal(1.7), "equal-per-capita")  # doctest: +SKIP

Method, assumptions and caveats: docs/china.md.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from esm.china import allocation, levers
from esm.china.allocation import share_of_goal
from esm.china.effect import contribution, effect, to_iamc
from esm.china.emissions import background as _background
from esm.china.emissions import compose, history
from esm.china.levers import LEVERS, PRESETS, Levers, preset
from esm.china.sweep import sweep

__all__ = [
    "LEVERS",
    "PRESETS",
    "Levers",
    "preset",
    "pathway",
    "scenario",
    "effect",
    "contribution",
    "sweep",
    "to_iamc",
    "history",
    "levers",
    "share_of_goal",
    "allocation",
]


def _resolve(name_or_levers, **overrides) -> Levers:
    if isinstance(name_or_levers, Levers):
        return name_or_levers.replace(**overrides) if overrides else name_or_levers
    return preset(name_or_levers, **overrides)


def pathway(name="neutral-2060", background="ssp245", **overrides) -> xr.Dataset:
    """China's emissions for a preset (or :class:`Levers`) in a background scenario.

    Returns a Dataset (year) with China's emissions of every species in model units
    (``co2_fossil`` net of CCUS, ``co2_landuse`` after sinks and conservation, ...), the lever
    components in GtCO2/yr (``gross_fossil``, ``ccus``, ``ecosystem_sink``, ``conservation``)
    and ``net_co2`` [GtCO2/yr].
    """
    lv = _resolve(name, **overrides)
    bg = _background(background)
    _, china = compose(bg, lv)
    from esm import scenarios
    from esm.constants import GTCO2_PER_GTC

    ds = xr.Dataset(coords={"year": bg["year"].values})
    for key, values in china.items():
        if key.startswith("lever_"):
            ds[key.removeprefix("lever_")] = ("year", values, {"units": "GtCO2 yr-1"})
        elif np.any(values != 0):
            ds[key] = ("year", values, {"units": scenarios.internal_unit(key)})
    ds["net_co2"] = (
        "year",
        (china["co2_fossil"] + china["co2_landuse"]) * GTCO2_PER_GTC,
        {"units": "GtCO2 yr-1", "long_name": "China net CO2 emissions"},
    )
    description = PRESETS[name][0] if isinstance(name, str) else "custom levers"
    ds.attrs.update(
        {
            "pathway": name if isinstance(name, str) else "custom",
            "description": description,
            "background": str(background),
            "levers": repr(lv.as_dict()),
        }
    )
    return ds


def scenario(name="neutral-2060", background="ssp245", **overrides) -> xr.Dataset:
    """The global scenario (rest of the world + China pathway), ready for ``esm.run``."""
    ds, _ = compose(_background(background), _resolve(name, **overrides))
    ds.attrs["scenario"] = f"{background} with China {name if isinstance(name, str) else 'custom'}"
    return ds
