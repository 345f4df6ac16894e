"""File formats by suffix: :data:`FORMATS` and :func:`format_of`."""

from __future__ import annotations

import os
from os import PathLike
from pathlib import Path

#: Format name -> suffixes (lower case) that select it.
FORMATS = {"netcdf": (".nc",), "iamc": (".csv", ".csv.gz")}


def format_of(path: str | PathLike) -> str:
    """The format named by the suffix of ``path``: ``"netcdf"`` or ``"iamc"``."""
    name = Path(path).name.lower()
    for fmt, suffixes in FORMATS.items():
        if any(name.endswith(s) and len(name) > len(s) for s in suffixes):
            return fmt
    raise ValueError(
        f"{os.fspath(path)}: unknown file suffix; use .nc (netCDF) or .csv / .csv.gz (IAMC CSV)"
    )
