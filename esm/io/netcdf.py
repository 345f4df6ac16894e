"""CF-1.10 netCDF: :func:`write_netcdf`, :func:`read`, :func:`to_cf` and :func:`from_cf`.

**CF-1.10 netCDF** (:func:`to_cf`). The in-memory ``year`` dimension becomes a real time axis:

* ``time(time)``: ``days since 1750-01-01``, ``calendar: proleptic_gregorian`` (identical to
  CF's ``standard`` calendar after 1582 and exact for any year), ``axis: T``,
  ``standard_name: time``; the value is the middle of the year.
* ``time_bnds(time, bnds)``: 1 January of the year and 1 January of the next year, so the
  annual means and totals state the interval they cover (``cell_methods: time: mean``).
* ``year(time)``: the integer calendar year, an auxiliary coordinate (named in each data
  variable's ``coordinates``) kept for convenience; :func:`read` makes it the dimension again.

Units are UDUNITS strings (:func:`esm.metadata.cf_units`: ``GtC yr-1`` becomes ``Gt yr-1`` with
"mass of carbon" in ``long_name``; the esm unit is kept in ``esm_units``). ``standard_name``
and ``cell_methods`` come from :mod:`esm.metadata`. Ensemble dimensions are described
(``member``: ``standard_name: realization``; ``percentile``: ``units: percent``). Global
attributes are written in every file (Conventions, title, source, model, version, scenario,
parameters, history, references); attributes that netCDF cannot hold (dicts, lists of text,
bools, None) are written as JSON text, and the dict ``levers`` also as one attribute
``lever_<name>`` per lever.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from os import PathLike

import numpy as np
import xarray as xr

from esm import metadata
from esm.io.atomic import _Cancelled, atomic_write
from esm.io.formats import format_of

#: Reference date and calendar of the time axis.
TIME_UNITS = "days since 1750-01-01"
CALENDAR = "proleptic_gregorian"

#: Global attributes of every netCDF file (``references``: where the model is described).
REFERENCES = "esm documentation: README.md and docs/ of the esm package"

#: Suffix of the auxiliary coordinate that holds the text labels of a dimension (``case_name``).
LABEL = "_name"

#: Dict-valued global attributes also written as one attribute per key, with this prefix.
PER_KEY = {"levers": "lever_"}


def write_netcdf(
    ds: xr.Dataset,
    path: str | PathLike,
    *,
    history: str | None = None,
    attrs: Mapping | None = None,
) -> None:
    """Write ``ds`` as CF-1.10 netCDF (:func:`to_cf`) to ``path`` (``.nc``), atomically.

    ``history`` describes how the data were made (default: the command line); ``attrs`` adds
    or replaces global attributes.
    """
    if format_of(path) != "netcdf":
        raise ValueError(f"{os.fspath(path)}: a netCDF file must be named *.nc")
    cf = to_cf(ds, history=history, attrs=attrs)
    atomic_write(path, lambda tmp, cancel: _write_cf(cf, tmp, cancel))


def _write_cf(cf: xr.Dataset, tmp: str, cancel: threading.Event) -> None:
    """Write a :func:`to_cf` Dataset one variable at a time, stopping when ``cancel`` is set."""
    names = list(cf.data_vars)
    # coordinates first, as plain variables (xarray would list unattached coordinates in a
    # global 'coordinates' attribute); the data variables name theirs in 'coordinates'
    coords = cf.drop_vars(names).reset_coords()
    encoding = {k: _encoding(v, fill=False) for k, v in coords.variables.items()}
    coords.to_netcdf(tmp, mode="w", format="NETCDF4", engine="netcdf4", encoding=encoding)
    for name in names:
        if cancel.is_set():
            raise _Cancelled()
        da = cf[name]
        aux = [c for c in da.coords if c not in da.dims]
        var = da.variable.copy(deep=False)
        if aux:
            var.encoding["coordinates"] = " ".join(aux)
        xr.Dataset({name: var}).to_netcdf(
            tmp, mode="a", format="NETCDF4", engine="netcdf4", encoding={name: _encoding(var)}
        )


def _encoding(var: xr.Variable, fill: bool = True) -> dict:
    """Text as classic char arrays (CF 2.2; tools without netCDF-4 strings read them)."""
    if var.dtype.kind in "OUS":
        return {"dtype": "S1"}
    return {} if fill else {"_FillValue": None}


# ------------------------------------------------------------------------------ CF conversion
def time_axis(years) -> tuple[np.ndarray, np.ndarray]:
    """(time, time_bnds) in :data:`TIME_UNITS` for calendar ``years``: mid-year, year bounds."""
    years = np.asarray(years, dtype=np.int64)
    ref = np.datetime64("1750-01-01", "D")
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    end = (years + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    bnds = np.stack([(start - ref).astype(np.int64), (end - ref).astype(np.int64)], axis=1)
    return bnds.mean(axis=1), bnds.astype(np.float64)


def attr_value(value):
    """An attribute value netCDF accepts and a human can read (JSON text for the rest)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        return json.dumps(None if value is None else bool(value))
    if isinstance(value, (str, int, float, np.integer, np.floating)):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value)
        if arr.ndim == 1 and arr.size and arr.dtype.kind in "iuf":
            return arr
        return json.dumps(arr.tolist() if isinstance(value, np.ndarray) else list(value))
    if isinstance(value, Mapping):
        return json.dumps({str(k): _jsonable(v) for k, v in value.items()})
    raise TypeError(f"attribute value {value!r} of type {type(value).__name__} cannot be written")


def _jsonable(v):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _as_dict(value):
    """A dict, or the repr of one (``"{'a': 1}"``, as some esm outputs store it), else None."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _var_attrs(name: str, attrs: Mapping, dims: tuple) -> dict:
    a = dict(attrs)
    units = a.get("units")
    var = metadata.OUTPUTS.get(name)
    known = var is not None and units == var.units
    if isinstance(units, str):
        cf_unit, substance = metadata.cf_units(units)
        if cf_unit != units:
            a["units"] = cf_unit
            a["esm_units"] = units
            if substance and "long_name" in a:
                a["long_name"] = f"{a['long_name']} (mass of {substance})"
    if "year" in dims:
        a.pop("cell_methods", None)
        if known:
            methods = metadata.cell_methods(name, a.get("units"))
            if methods:
                a["cell_methods"] = methods
        elif "cell_methods" in attrs:
            a["cell_methods"] = attrs["cell_methods"].replace("year:", "time:")
    if known and var.standard_name:
        a["standard_name"] = var.standard_name
    elif not known and "standard_name" in a and name in metadata.OUTPUTS:
        del a["standard_name"]  # converted to other units: the name may no longer apply
    return {k: attr_value(v) for k, v in a.items()}


_DIMS = {
    "member": {
        "standard_name": "realization",
        "units": "1",
        "long_name": "ensemble member (row of the parameter table)",
    },
    "percentile": {
        "units": "percent",
        "long_name": "percentile over the ensemble members (per year)",
    },
    "case": {"long_name": "case (pathway or lever group) compared with the reference"},
    "scenario": {"long_name": "scenario"},
}

#: Attributes of esm variables that lack them in memory (written if absent).
_AUX = {
    "experiment_year": {
        "long_name": "year of the experiment (CMIP counting: 1 is the first experiment year, "
        "0 the spin-up year)",
        "units": "1",
    },
    "posterior_member": {
        "long_name": "row of the shipped posterior parameter table drawn for the member",
        "units": "1",
    },
}


def _cf_variables(ds: xr.Dataset) -> xr.Dataset:
    """Every variable of ``ds`` with CF attributes, dimension ``year`` renamed ``time``."""
    out = xr.Dataset()
    for name, var in ds.variables.items():
        if name == "year":
            continue
        dims = tuple("time" if d == "year" else d for d in var.dims)
        if name in ds.dims:  # dimension coordinates: member, percentile, case, ...
            a = {**_DIMS.get(name, {}), **var.attrs}
            a = {k: attr_value(v) for k, v in a.items()}
            if var.dtype.kind in "OUS":  # CF: coordinate variables are numeric; text labels
                out = out.assign_coords({f"{name}{LABEL}": xr.Variable(dims, var.values, a)})
                continue  # are auxiliary coordinates <dim>_name (CF 6.1)
        else:
            a = _var_attrs(name, {**_AUX.get(name, {}), **var.attrs}, var.dims)
        values = var.values
        if values.dtype.kind == "b":  # netCDF has no bool type
            values = values.astype(np.int8)
            a.setdefault("flag_values", np.array([0, 1], dtype=np.int8))
            a.setdefault("flag_meanings", "false true")
        new = xr.Variable(dims, values, a)
        if name in ds.coords:
            out = out.assign_coords({name: new})
        else:
            out[name] = new
    return out


def to_cf(ds: xr.Dataset, history: str | None = None, attrs: Mapping | None = None) -> xr.Dataset:
    """The CF-1.10 form of an esm output Dataset (see the module docstring); ``ds`` is unchanged.

    A ``year`` dimension (annual values) needs an integer ``year`` coordinate and becomes the
    CF time axis; a Dataset without one (a table of results, such as ``esm.budget``'s) is
    written without a time axis.
    """
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"to_cf needs an xarray.Dataset, not {type(ds).__name__}")
    if "year" not in ds.dims:
        if "year" in ds.variables:
            raise ValueError("the Dataset has a 'year' variable but no 'year' dimension")
        out = _cf_variables(ds)
        out.attrs = _global_attrs(ds.attrs, history, attrs)
        return out
    if "year" not in ds.coords:
        raise ValueError("the Dataset's 'year' dimension has no 'year' coordinate")
    years = ds["year"].values
    if years.dtype.kind not in "iu":
        if not np.all(np.mod(years, 1) == 0):
            raise ValueError("the 'year' coordinate must hold whole calendar years")
        years = years.astype(np.int64)
    if np.any(np.diff(years) <= 0):
        raise ValueError("the 'year' coordinate must increase")
    time, bnds = time_axis(years)
    out = _cf_variables(ds)
    out = out.assign_coords(
        time=(
            "time",
            time,
            {
                "standard_name": "time",
                "long_name": "time (middle of the year)",
                "units": TIME_UNITS,
                "calendar": CALENDAR,
                "axis": "T",
                "bounds": "time_bnds",
            },
        ),
        year=(
            "time",
            years.astype(np.int32),
            {
                "long_name": f"calendar year ({CALENDAR} calendar) of the annual values",
                "units": "1",
            },
        ),
    )
    out["time_bnds"] = (("time", "bnds"), bnds)
    out = out.set_coords("time_bnds")
    out.attrs = _global_attrs(ds.attrs, history, attrs)
    return out


def _global_attrs(src: Mapping, history: str | None, extra: Mapping | None) -> dict:
    from esm.runner import _esm_version

    version = str(src.get("esm_version") or _esm_version())
    g = {
        "Conventions": "CF-1.10",
        "title": src.get("title") or "esm reduced-complexity Earth-system model output",
        "institution": src.get("institution") or "not recorded (written by esm)",
        "source": f"esm {version}",
        "model": "esm",
        "version": version,
        "scenario": str(src.get("scenario", "not recorded")),
        "parameters": str(src.get("parameters_changed", src.get("parameters", "not recorded"))),
    }
    for k, v in src.items():
        if k in ("Conventions", "esm_version", "parameters_changed", "history") or k in g:
            continue
        as_dict = _as_dict(v)
        if as_dict is not None:
            g[k] = attr_value(as_dict)
            prefix = PER_KEY.get(k)
            if prefix:
                for key, value in as_dict.items():
                    g[f"{prefix}{key}"] = attr_value(value)
        else:
            g[k] = attr_value(v)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    how = history or f"command: {' '.join(sys.argv) or 'python'}"
    previous = src.get("history")
    g["history"] = f"{when} written by esm {version} (esm.io.write_netcdf); {how}" + (
        f"\n{previous}" if previous else ""
    )
    g["references"] = str(src.get("references") or REFERENCES)
    for k, v in (extra or {}).items():
        g[k] = attr_value(v)
    return g


# ------------------------------------------------------------------------------ reading
def from_cf(cf: xr.Dataset) -> xr.Dataset:
    """Back to the in-memory layout: ``year`` dimension, esm units (``esm_units``)."""
    if "time" not in cf.dims or "year" not in cf.coords:
        raise ValueError("not an esm CF file: no 'time' dimension with a 'year' coordinate")
    ds = cf.swap_dims(time="year").drop_vars(
        [v for v in ("time", "time_bnds") if v in cf.variables]
    )
    if "bnds" in ds.dims:
        ds = ds.drop_dims("bnds")
    for name in list(ds.coords):
        dim = name.removesuffix(LABEL)
        if name.endswith(LABEL) and dim in ds.dims and dim not in ds.coords:
            ds = ds.assign_coords({dim: (dim, ds[name].values, ds[name].attrs)}).drop_vars(name)
    for var in ds.variables.values():
        if "esm_units" in var.attrs:
            var.attrs["units"] = var.attrs.pop("esm_units")
    return ds.assign_coords(year=ds["year"].values.astype(np.int64))


def read(path: str | PathLike) -> xr.Dataset:
    """Read a netCDF file written by :func:`write` into the in-memory layout (loaded)."""
    with xr.open_dataset(path, decode_times=False) as cf:
        return from_cf(cf.load())
