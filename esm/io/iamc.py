"""Model output as an IAMC / RCMIP table (the wide CSV layout that pyam and scmdata read).

Names, units and factors come from :data:`esm.io.names.IAMC_VARIABLES`, the one RCMIP name
table of esm (the choices made there are explained in :mod:`esm.io.names`); outputs without an
RCMIP name are listed, with the reason, in :data:`esm.io.names.NOT_IN_IAMC`.

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

import numpy as np
import pandas as pd
import xarray as xr

from esm import metadata
from esm.io.formats import format_of
from esm.io.names import IAMC_VARIABLES, MT_CO2_PER_GTC, NOT_IN_IAMC, IamcName
from esm.io.table import write_table

__all__ = [
    "IAMC_COLUMNS",
    "ENSEMBLE_COLUMNS",
    "ENSEMBLE_DIMS",
    "IAMC_VARIABLES",
    "NOT_IN_IAMC",
    "IamcName",
    "MT_CO2_PER_GTC",
    "to_iamc",
    "write_iamc",
]

#: IAMC index columns of a single run, in the order pyam writes them.
IAMC_COLUMNS = ("Model", "Scenario", "Region", "Variable", "Unit")

#: Metadata columns of an ensemble (openscm-runner / scmdata); then ``run_id`` or ``quantile``.
ENSEMBLE_COLUMNS = ("climate_model", "model", "scenario", "region", "variable", "unit")

#: Ensemble dimension -> its column.
ENSEMBLE_DIMS = {"member": "run_id", "percentile": "quantile"}


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
    if format_of(path) != "iamc":
        raise ValueError(f"{os.fspath(path)}: an IAMC table must be named *.csv or *.csv.gz")
    df = to_iamc(ds, **kwargs)
    write_table(df, path)
    return df
