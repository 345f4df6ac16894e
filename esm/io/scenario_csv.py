"""The native scenario CSV of esm: ``# header`` lines, then ``species,unit,<year>,...``.

:func:`read_csv` reads it (also ``.csv.gz``), :func:`write_csv` writes it atomically at full
precision; both are also :func:`esm.scenarios.read_csv` / :func:`esm.scenarios.write_csv`.
Units are checked and converted later, by :func:`esm.scenarios.to_arrays`; other scenario
sources (IAMC tables, xlsx, pyam, scmdata) are read by :func:`esm.scenarios.read_scenario`.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import xarray as xr

from esm import scenarios as _scenarios  # ScenarioError, looked up at call time (import order)
from esm.io.atomic import atomic_write
from esm.kernels import layout

__all__ = ["read_csv", "write_csv"]


def _read_text(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as fh:
        return fh.read()


def read_csv(path: str | Path, name: str | None = None) -> xr.Dataset:
    """Read a scenario CSV: comment lines ``# ...``, then ``species,unit,<year>,<year>,...``.

    Species are the model's species names; units are converted by :func:`esm.scenarios.to_arrays`.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise _scenarios.ScenarioError(f"{path}: no such file (check the path)") from None
    # keyed on modification time and size too: a file rewritten at the same path is re-read
    return _read_scenario_csv(path, name, stat.st_mtime_ns, stat.st_size).copy(deep=True)


def write_csv(ds: xr.Dataset, path: str | Path, header: Iterable[str] = ()) -> Path:
    """Write a scenario Dataset as the CSV that :func:`read_csv` (and ``esm run FILE``) reads:
    ``# header`` lines, then ``species,unit,<year>,...`` with one row per species (and the
    natural forcing ``solar``/``volcanic`` when present), at full precision; atomically.

    Every emission variable needs a ``units`` attribute (a ``ScenarioError`` otherwise).
    """
    years = [str(int(y)) for y in ds["year"].values]
    rows = [",".join(["species", "unit", *years])]
    for name in (*layout.SPECIES_NAMES, *_scenarios.NATURAL_VARIABLES):
        if name not in ds:
            continue
        units = ds[name].attrs.get("units")
        if not units:
            raise _scenarios.ScenarioError(f"write_csv: {name} has no units attribute")
        values = ",".join(repr(float(v)) for v in ds[name].values)
        rows.append(f"{name},{units},{values}")
    lines = [f"# {h}" for h in header] + rows
    text = "\n".join(lines) + "\n"

    def writer(tmp, cancel):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    atomic_write(path, writer)
    return Path(path)


@lru_cache(maxsize=32)
def _read_scenario_csv(path: Path, name: str | None, _mtime: int, _size: int) -> xr.Dataset:
    lines = _read_text(path).splitlines()
    header = [ln[2:] for ln in lines if ln.startswith("#")]
    rows = [ln.split(",") for ln in lines if ln.strip() and not ln.startswith("#")]
    if not rows or rows[0][:2] != ["species", "unit"]:
        raise _scenarios.ScenarioError(f"{path}: the first row must be 'species,unit,<years...>'")
    try:
        years = np.array([int(c) for c in rows[0][2:]])
    except ValueError as err:
        raise _scenarios.ScenarioError(f"{path}: year columns must be integers ({err})") from None
    data = {}
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != years.size + 2:
            raise _scenarios.ScenarioError(
                f"{path}: row {i} ({row[0]}) has {len(row) - 2} values for {years.size} years"
            )
        try:
            values = np.array([float(x) if x.strip() else np.nan for x in row[2:]])
        except ValueError as err:
            raise _scenarios.ScenarioError(f"{path}: row {i} ({row[0]}): {err}") from None
        data[row[0]] = ("year", values, {"units": row[1]})
    ds = xr.Dataset(data, coords={"year": years})
    ds.attrs["scenario"] = name or path.name.split(".")[0]
    ds.attrs["source"] = " | ".join(header) if header else str(path)
    return ds
