"""All file input and output of esm, one module per format; output files that never lie.

>>> esm.io.write(ds, "run.nc")       # CF-1.10 netCDF                    # doctest: +SKIP
>>> esm.io.write(ds, "run.csv")      # IAMC table (esm.io.iamc.to_iamc)  # doctest: +SKIP
>>> ds = esm.io.read("run.nc")       # back to the in-memory layout      # doctest: +SKIP

The format is named by the suffix (:func:`format_of`) and every file is written atomically
(:func:`atomic_write`). The modules:

* :mod:`esm.io.atomic`: :func:`atomic_write`, the atomic, Ctrl-C-safe write under every writer.
* :mod:`esm.io.formats`: suffix -> format (:data:`FORMATS`, :func:`format_of`).
* :mod:`esm.io.netcdf`: CF-1.10 netCDF (:func:`write_netcdf`, :func:`read`, :func:`to_cf`,
  :func:`from_cf`).
* :mod:`esm.io.iamc`: model output as an IAMC / RCMIP table (``to_iamc``, ``write_iamc``).
* :mod:`esm.io.table`: plain CSV tables (:func:`write_table`).
* :mod:`esm.io.names`: the one RCMIP name table, for scenario input (read by
  :mod:`esm.scenarios.iamc`) and model output (written by :mod:`esm.io.iamc`).
* :mod:`esm.io.scenario_csv`: the native scenario CSV ``species,unit,<years>``
  (``read_csv``, ``write_csv``; also ``esm.scenarios.read_csv`` / ``write_csv``).

Scenario *readers* with their checks (IAMC, xlsx, pyam, scmdata) are
:func:`esm.scenarios.read_scenario` and :func:`esm.scenarios.read_iamc`.
"""

from __future__ import annotations

import os
from os import PathLike

import xarray as xr

from esm.io import iamc, names
from esm.io.atomic import CANCEL_WAIT, atomic_write
from esm.io.formats import FORMATS, format_of
from esm.io.iamc import write_iamc as _write_iamc
from esm.io.netcdf import (
    CALENDAR,
    LABEL,
    PER_KEY,
    REFERENCES,
    TIME_UNITS,
    attr_value,
    from_cf,
    read,
    time_axis,
    to_cf,
    write_netcdf,
)
from esm.io.table import write_table

__all__ = [
    "write",
    "read",
    "write_netcdf",
    "write_iamc",
    "write_table",
    "format_of",
    "atomic_write",
    "to_cf",
    "from_cf",
    "time_axis",
    "attr_value",
    "FORMATS",
    "CANCEL_WAIT",
    "TIME_UNITS",
    "CALENDAR",
    "REFERENCES",
    "LABEL",
    "PER_KEY",
    "iamc",
    "names",
]


def write(ds: xr.Dataset, path: str | PathLike, format: str | None = None, **kwargs):
    """Write ``ds`` to ``path`` in the format its suffix names, atomically.

    ``.nc``: CF-1.10 netCDF (:func:`write_netcdf`); ``.csv`` / ``.csv.gz``: IAMC table
    (:func:`write_iamc`, ``kwargs`` go to :func:`esm.io.iamc.to_iamc`). ``format``
    (``"netcdf"`` or ``"iamc"``) must agree with the suffix; an unknown suffix or a
    contradiction raises ``ValueError``. Returns what the writer returns (the IAMC table, or
    None).
    """
    fmt = format_of(path)
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; use 'netcdf' or 'iamc'")
        if format != fmt:
            suffixes = " or ".join(FORMATS[format])
            raise ValueError(
                f"{os.fspath(path)}: the suffix names {fmt}, not {format}; name the file *"
                f"{suffixes.replace(' or ', ' or *')} for {format}"
            )
    if fmt == "netcdf":
        return write_netcdf(ds, path, **kwargs)
    return write_iamc(ds, path, **kwargs)


def write_iamc(ds: xr.Dataset, path: str | PathLike, **kwargs):
    """:func:`esm.io.iamc.write_iamc` (atomic; ``.csv`` or ``.csv.gz``); returns the table."""
    return _write_iamc(ds, path, **kwargs)
