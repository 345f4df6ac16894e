"""Model output as an IAMC / RCMIP table (the wide CSV layout that pyam and scmdata read).

:data:`IAMC_VARIABLES` is the one table that names esm output variables in the IAMC world:
esm variable -> (RCMIP variable name, IAMC unit string, factor from the esm unit). The names are
those of the RCMIP v5.1.0 input files and of the RCMIP / openscm-runner output variables, so
that results plug into RCMIP-style tooling. Choices worth knowing:

* **Carbon fluxes.** RCMIP has no ``Carbon Flux|...`` hierarchy; it reports the carbon budget
  as ``Net Atmosphere to Ocean Flux|CO2`` and ``Net Atmosphere to Land Flux|CO2`` (positive:
  uptake from the atmosphere), in Mt CO2/yr like its emissions. ``ocean_sink`` maps to the
  former. ``land_sink`` (the natural land sink, GCB S_LAND) maps to the latter, as in the
  emission-driven simple climate models that report it (land-use emissions are an input
  emission there and here): the budget then closes in IAMC names as
  ``Emissions|CO2|MAGICC Fossil and Industrial`` + ``Emissions|CO2|MAGICC AFOLU`` +
  ``permafrost_emissions_co2`` = atmospheric growth + ``Net Atmosphere to Ocean Flux|CO2`` +
  ``Net Atmosphere to Land Flux|CO2``. The land-atmosphere exchange *including* land use is
  that land flux minus ``Emissions|CO2|MAGICC AFOLU``. ``atmospheric_growth`` and the
  permafrost outputs have no RCMIP names and are not written.
* **Halogenated gases.** RCMIP v5.1.0 reports the ERF of all halogenated gases together as
  ``Effective Radiative Forcing|Anthropogenic|Other|Other WMGHGs`` (every well-mixed GHG
  except CO2, CH4, N2O); ``erf_halogens`` maps there.
* **Ozone.** RCMIP splits ``...|Tropospheric Ozone`` and ``...|Stratospheric Ozone``; esm
  computes their sum, written as ``Effective Radiative Forcing|Anthropogenic|Ozone``.
* **Land use.** ``erf_land_use`` (albedo) is RCMIP's ``...|Anthropogenic|Albedo Change``.
* ``erf_other`` is **not** written: RCMIP's ``...|Anthropogenic|Other`` holds BC on snow,
  stratospheric H2O, contrails *and the halogenated gases*, but not land-use albedo, so the two
  sums differ. Its four components are written under their RCMIP names instead.
* ``toa_imbalance`` is RCMIP's ``Heat Uptake`` (W/m^2, whole Earth); ``ocean_heat_content``
  is ``Heat Content|Ocean`` in ZJ; ``gsat`` is ``Surface Air Temperature Change`` (relative to
  1850-1900 when the run covers it, see the ``reference_period`` attribute of ``gsat``).

Ensembles are written in the layout of openscm-runner / scmdata (lower-case metadata columns):
``climate_model`` (``"esm <version>"``), ``model``, ``scenario``, ``region``, ``variable``,
``unit`` and ``run_id`` (the value of the ``member`` coordinate, or its position when there is
none), then the years; a percentile ensemble has a ``quantile`` column (percentile / 100, as
scmdata's quantiles) instead of ``run_id``. A single run keeps the plain IAMC layout
``Model, Scenario, Region, Variable, Unit, <years>`` that IAMC databases and pyam expect.
Both layouts are read by ``pyam.IamDataFrame`` and ``scmdata.ScmRun``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from os import PathLike
from typing import NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

from esm import metadata
from esm.constants import GTCO2_PER_GTC
from esm.scenarios.iamc import NATURAL_VARIABLES, SPECIES_VARIABLES

#: Natural-forcing input variable -> its RCMIP name (the reader's table, inverted).
_NATURAL_NAMES = {v: k for k, v in NATURAL_VARIABLES.items()}

#: IAMC index columns of a single run, in the order pyam writes them.
IAMC_COLUMNS = ("Model", "Scenario", "Region", "Variable", "Unit")

#: Metadata columns of an ensemble (openscm-runner / scmdata); then ``run_id`` or ``quantile``.
ENSEMBLE_COLUMNS = ("climate_model", "model", "scenario", "region", "variable", "unit")

#: Ensemble dimension -> its column.
ENSEMBLE_DIMS = {"member": "run_id", "percentile": "quantile"}

#: Mt CO2 per Gt C.
MT_CO2_PER_GTC = 1000.0 * GTCO2_PER_GTC

_ERF = "Effective Radiative Forcing"
_ANT = f"{_ERF}|Anthropogenic"
_WM2 = "W/m^2"


class IamcName(NamedTuple):
    """IAMC name of an esm output: variable, unit, and factor (IAMC value = factor x esm)."""

    variable: str
    unit: str
    factor: float


#: esm output variable -> (RCMIP/IAMC variable, IAMC unit, factor from the esm unit of
#: :data:`esm.metadata.OUTPUTS`). Rows are written in this order.
IAMC_VARIABLES: dict[str, IamcName] = {
    # concentrations
    "co2": IamcName("Atmospheric Concentrations|CO2", "ppm", 1.0),
    "ch4": IamcName("Atmospheric Concentrations|CH4", "ppb", 1.0),
    "n2o": IamcName("Atmospheric Concentrations|N2O", "ppb", 1.0),
    # temperature and heat
    "gsat": IamcName("Surface Air Temperature Change", "K", 1.0),
    "ocean_heat_content": IamcName("Heat Content|Ocean", "ZJ", 1.0),
    "toa_imbalance": IamcName("Heat Uptake", _WM2, 1.0),
    # effective radiative forcing
    "erf": IamcName(_ERF, _WM2, 1.0),
    "erf_anthropogenic": IamcName(_ANT, _WM2, 1.0),
    "erf_co2": IamcName(f"{_ANT}|CO2", _WM2, 1.0),
    "erf_ch4": IamcName(f"{_ANT}|CH4", _WM2, 1.0),
    "erf_n2o": IamcName(f"{_ANT}|N2O", _WM2, 1.0),
    "erf_halogens": IamcName(f"{_ANT}|Other|Other WMGHGs", _WM2, 1.0),
    "erf_ozone": IamcName(f"{_ANT}|Ozone", _WM2, 1.0),
    "erf_aerosol": IamcName(f"{_ANT}|Aerosols", _WM2, 1.0),
    "erf_aerosol_ari": IamcName(f"{_ANT}|Aerosols|Aerosols-radiation Interactions", _WM2, 1.0),
    "erf_aerosol_aci": IamcName(f"{_ANT}|Aerosols|Aerosols-cloud Interactions", _WM2, 1.0),
    "erf_land_use": IamcName(f"{_ANT}|Albedo Change", _WM2, 1.0),
    "erf_bc_on_snow": IamcName(f"{_ANT}|Other|BC on Snow", _WM2, 1.0),
    "erf_h2o_stratospheric": IamcName(f"{_ANT}|Other|CH4 Oxidation Stratospheric H2O", _WM2, 1.0),
    "erf_contrails": IamcName(f"{_ANT}|Other|Contrails and Contrail-induced Cirrus", _WM2, 1.0),
    "erf_solar": IamcName(_NATURAL_NAMES["solar"], _WM2, 1.0),
    "erf_volcanic": IamcName(_NATURAL_NAMES["volcanic"], _WM2, 1.0),
    # carbon budget (GtC/yr -> Mt CO2/yr)
    # the names the scenario reader takes as inputs (one RCMIP name table for both directions)
    "emissions_co2_fossil": IamcName(SPECIES_VARIABLES["co2_fossil"], "Mt CO2/yr", MT_CO2_PER_GTC),
    "emissions_co2_landuse": IamcName(
        SPECIES_VARIABLES["co2_landuse"], "Mt CO2/yr", MT_CO2_PER_GTC
    ),
    "ocean_sink": IamcName("Net Atmosphere to Ocean Flux|CO2", "Mt CO2/yr", MT_CO2_PER_GTC),
    "land_sink": IamcName("Net Atmosphere to Land Flux|CO2", "Mt CO2/yr", MT_CO2_PER_GTC),
    "cumulative_emissions_co2": IamcName("Cumulative Emissions|CO2", "Mt CO2", MT_CO2_PER_GTC),
}

#: esm outputs deliberately left out of the IAMC table, with the reason (shown in errors).
NOT_IN_IAMC = {
    "erf_other": "RCMIP's 'Effective Radiative Forcing|Anthropogenic|Other' includes the "
    "halogenated gases and excludes land-use albedo; write its components erf_land_use, "
    "erf_bc_on_snow, erf_h2o_stratospheric and erf_contrails instead",
    "atmospheric_growth": "RCMIP has no variable for it; it equals emissions (fossil, land use "
    "and permafrost) minus the ocean and land fluxes",
    "permafrost_emissions_co2": "RCMIP has no variable for natural permafrost emissions",
    "permafrost_emissions_ch4": "RCMIP has no variable for natural permafrost emissions",
}


def _check_variables(ds: xr.Dataset, variables: Iterable[str] | None) -> list[str]:
    if variables is None:
        return [v for v in IAMC_VARIABLES if v in ds.data_vars]
    if isinstance(variables, str):
        variables = [variables]
    names = list(variables)
    for name in names:
        if name not in IAMC_VARIABLES:
            why = NOT_IN_IAMC.get(name)
            if why is None:
                why = f"it has no IAMC name; IAMC names exist for {', '.join(IAMC_VARIABLES)}"
            raise KeyError(f"output variable {name!r} cannot be written as IAMC: {why}")
        if name not in ds.data_vars:
            raise KeyError(f"output variable {name!r} is not in the Dataset")
    return names


def _check_units(ds: xr.Dataset, name: str) -> None:
    expected = metadata.OUTPUTS[name].units
    unit = ds[name].attrs.get("units", expected)
    if unit != expected:
        raise ValueError(
            f"{name} is in {unit!r}, but the IAMC conversion expects esm's unit {expected!r}"
        )


def _ensemble_dim(ds: xr.Dataset, names: list[str]) -> str | None:
    dims = {d for name in names for d in ds[name].dims if d in ENSEMBLE_DIMS}
    if len(dims) > 1:
        raise ValueError(
            f"the variables have both {' and '.join(sorted(dims))} dimensions; write one "
            "ensemble layout at a time"
        )
    return dims.pop() if dims else None


def _rows(ds: xr.Dataset, name: str, ens: str | None) -> np.ndarray:
    """values[row, year]: one row (single run) or one per member / percentile."""
    da = ds[name]
    allowed = ("year",) if ens is None else (ens, "year")
    if set(da.dims) != set(allowed):
        want = " or ".join(
            f"{d!r}" for d in (("year",), ("member", "year"), ("percentile", "year"))
        )
        raise ValueError(
            f"{name} has dimensions {da.dims}; IAMC output needs {want}, the same for every "
            "variable (select or reduce the others first)"
        )
    return da.transpose(*allowed).values.reshape(-1, da.sizes["year"])


def _labels(ds: xr.Dataset, ens: str) -> list:
    if ens not in ds.coords:
        return list(range(ds.sizes[ens]))
    values = ds[ens].values
    if ens == "percentile":
        return [float(p) / 100.0 for p in values]
    return [v.item() if hasattr(v, "item") else v for v in values]


def _climate_model(ds: xr.Dataset) -> str:
    version = ds.attrs.get("esm_version") or ds.attrs.get("version")
    if not version:
        from esm.runner import _esm_version

        version = _esm_version()
    return f"esm {version}"


def to_iamc(
    ds: xr.Dataset,
    model: str = "esm",
    scenario: str | None = None,
    region: str = "World",
    variables: Iterable[str] | None = None,
) -> pd.DataFrame:
    """An esm run as a wide IAMC table: ``Model, Scenario, Region, Variable, Unit, <years>``.

    Parameters
    ----------
    ds
        Output of :func:`esm.run`, or of :func:`esm.ensemble` (``member`` or ``percentile``
        dimension: the ensemble layout of the module docstring, one row per member or
        percentile and variable).
    model, region
        Values of the Model and Region columns.
    scenario
        Value of the Scenario column; default ``ds.attrs["scenario"]``.
    variables
        esm output names (keys of :data:`IAMC_VARIABLES`); default: every variable of ``ds``
        that has an IAMC name. A name without one, or absent from ``ds``, raises ``KeyError``.

    Returns
    -------
    pandas.DataFrame
        One row per variable (and member or percentile), year columns as ``int`` labels,
        values converted to the IAMC units of :data:`IAMC_VARIABLES`.
    """
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"to_iamc needs an xarray.Dataset from esm.run, not {type(ds)}")
    if "year" not in ds.coords:
        raise ValueError("the Dataset has no 'year' coordinate")
    if "scenario" in ds.dims:  # several scenarios of one esm.run: one block of rows each
        labels = ds["scenario"].values if "scenario" in ds.coords else range(ds.sizes["scenario"])
        return pd.concat(
            [
                to_iamc(ds.isel(scenario=i, drop=True), model, str(label), region, variables)
                for i, label in enumerate(labels)
            ],
            ignore_index=True,
        )
    if scenario is None:
        scenario = ds.attrs.get("scenario")
        if scenario is None:
            raise ValueError("the Dataset has no 'scenario' attribute; pass scenario=...")
    names = _check_variables(ds, variables)
    years = [int(y) for y in ds["year"].values]
    ens = _ensemble_dim(ds, names)
    labels = None if ens is None else _labels(ds, ens)
    climate_model = None if ens is None else _climate_model(ds)
    rows = []
    for name in names:
        _check_units(ds, name)
        iv = IAMC_VARIABLES[name]
        values = _rows(ds, name, ens) * iv.factor
        for k, row in enumerate(values):
            if ens is None:
                meta = [model, str(scenario), region, iv.variable, iv.unit]
            else:
                meta = [climate_model, model, str(scenario), region, iv.variable, iv.unit]
                meta.append(labels[k])
            rows.append([*meta, *row.tolist()])
    if ens is None:
        columns = [*IAMC_COLUMNS, *years]
    else:
        columns = [*ENSEMBLE_COLUMNS, ENSEMBLE_DIMS[ens], *years]
    return pd.DataFrame(rows, columns=columns)


def write_iamc(ds: xr.Dataset, path: str | PathLike, **kwargs) -> pd.DataFrame:
    """Write :func:`to_iamc` ``(ds, **kwargs)`` as CSV (``.csv``, or gzip ``.csv.gz``; no index
    column) and return the table.

    The file is written atomically (:func:`esm.io.atomic_write`): a failure or Ctrl-C leaves
    an existing file untouched. Values are written at full precision, so reading the file back
    gives the same numbers. Another suffix raises ``ValueError``.
    """
    from esm import io

    if io.format_of(path) != "iamc":
        raise ValueError(f"{os.fspath(path)}: an IAMC table must be named *.csv or *.csv.gz")
    df = to_iamc(ds, **kwargs)
    io.write_table(df, path)
    return df
