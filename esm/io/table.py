"""Plain CSV tables (any columns), written atomically at full precision: :func:`write_table`."""

from __future__ import annotations

import os
from os import PathLike

from esm.io.atomic import atomic_write
from esm.io.formats import format_of


def write_table(df, path: str | PathLike) -> None:
    """Write a pandas table as CSV (``.csv``, or gzip ``.csv.gz``; no index column) atomically,
    at full precision (``float_precision="round_trip"`` reads the same numbers back)."""
    if format_of(path) != "iamc":
        raise ValueError(f"{os.fspath(path)}: a CSV table must be named *.csv or *.csv.gz")
    compression = "gzip" if os.fspath(path).lower().endswith(".gz") else None
    atomic_write(path, lambda tmp, cancel: df.to_csv(tmp, index=False, compression=compression))
