"""Ensembles: many parameter sets in one numba-parallel call, in-process or on Dask.

>>> ens = esm.ensemble("ssp245", members=1000, seed=0)                      # doctest: +SKIP
>>> pct = esm.ensemble("ssp245", members=100_000, percentiles=[5, 50, 95],  # doctest: +SKIP
...                    source="prior", variables=["gsat"])

Members are drawn from the shipped posterior (``esm.params.posterior()``), the priors, or a
user table. They run in chunks: each chunk is one call of the numba kernel with threads over
members (no Python per time step). Chunks run in this process or, with ``client=`` (a
``dask.distributed.Client``), on Dask workers; a chunk lost with a worker is recomputed by Dask
(``retries``). Each member's result depends only on its parameters, so results are identical
for any chunking and for in-process and Dask runs. With ``percentiles=`` only mergeable
histograms are kept (:mod:`esm._stats`), so memory does not grow with the number of members;
with ``store=DIR`` every finished chunk is written to ``DIR`` (netCDF) and a rerun with the
same arguments resumes from it.
"""

from __future__ import annotations

import hashlib
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm import metadata, runner
from esm import params as _params
from esm._stats import Histogram

#: Default members per chunk (one kernel call each).
CHUNK = 2000

#: Minimum size of the first chunk of a percentile run, whose range sets the histogram edges.
PILOT = 1000

#: Default output variables: the output contract (full output) or a small set (percentiles).
DEFAULT_PERCENTILE_VARIABLES = ("gsat", "co2", "erf")


def draw(members: int, seed: int = 0, source="posterior") -> pd.DataFrame:
    """A parameter table (rows = members) of ``members`` sets.

    ``source`` is ``"posterior"`` (the shipped calibrated posterior: drawn without
    replacement, or with replacement and a warning when more members are asked for than it
    holds), ``"prior"`` (a Sobol' sample of the priors) or a DataFrame (used as given, the
    first ``members`` rows).
    """
    if int(members) < 1:
        raise ValueError(f"members must be a positive integer, not {members}")
    members = int(members)
    if isinstance(source, pd.DataFrame):
        if len(source) < members:
            raise ValueError(f"the parameter table has {len(source)} rows, fewer than {members}")
        table = source.iloc[:members].copy()
    elif source == "prior":
        table = _params.sample_prior(members, seed=seed)
    elif source == "posterior":
        post = _params.posterior()
        rng = np.random.default_rng(seed)
        replace = members > len(post)
        if replace:
            warnings.warn(
                f"the shipped posterior has {len(post)} members; drawing {members} with "
                "replacement (use source='prior' for more distinct sets)",
                UserWarning,
                stacklevel=3,
            )
        rows = rng.choice(len(post), size=members, replace=replace)
        table = post.iloc[rows].reset_index(drop=True)
        table.index = pd.Index(post.index.values[rows], name="posterior_member")
        table = table.reset_index()
        table.index.name = "member"
        return table
    else:
        raise ValueError(f"source must be 'posterior', 'prior' or a DataFrame, not {source!r}")
    table.index = pd.RangeIndex(len(table), name="member")
    return table


def _run_chunk(emis, natural, co2_end, pmatrix, substeps, names, years, a, b):
    """Public variables values[name, member, year] of members a..b (module-level so that Dask
    can pickle it)."""
    raw, needed, _ = runner.integrate(emis, natural, co2_end, pmatrix[a:b], substeps, names)
    values, _ = runner.derive(years, raw, needed, names)
    return values


def _hist_chunk(emis, natural, co2_end, pmatrix, substeps, names, years, a, b, lo, width, n_bins):
    values = _run_chunk(emis, natural, co2_end, pmatrix, substeps, names, years, a, b)
    h = Histogram(lo, width, n_bins)
    h.add(np.moveaxis(values, 0, 2))
    return h


def _token(*parts) -> str:
    digest = hashlib.sha1()
    for p in parts:
        digest.update(
            np.ascontiguousarray(p).tobytes() if isinstance(p, np.ndarray) else repr(p).encode()
        )
    return digest.hexdigest()[:12]


class _Store:
    """Finished chunks on disk (netCDF), so an interrupted ensemble resumes."""

    def __init__(self, path, token: str):
        self.path = Path(path) if path is not None else None
        self.token = token
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)

    def _file(self, i: int) -> Path:
        return self.path / f"esm-{self.token}-chunk{i:05d}.nc"

    def load(self, i: int):
        if self.path is None or not self._file(i).exists():
            return None
        with xr.open_dataset(self._file(i)) as ds:
            ds = ds.load()
        if "counts" in ds:
            h = Histogram(ds["lo"].values, ds["width"].values, ds.sizes["bin"] - 2)
            h.counts[...] = ds["counts"].values
            h.vmin[...] = ds["vmin"].values
            h.vmax[...] = ds["vmax"].values
            return h
        return ds["raw"].values

    def save(self, i: int, result) -> None:
        if self.path is None:
            return
        if isinstance(result, Histogram):
            ds = xr.Dataset(
                {
                    "counts": (("year", "variable", "bin"), result.counts),
                    "lo": (("year", "variable"), result.lo),
                    "width": (("year", "variable"), result.width),
                    "vmin": (("year", "variable"), result.vmin),
                    "vmax": (("year", "variable"), result.vmax),
                }
            )
        else:
            ds = xr.Dataset({"raw": (("member", "year", "column"), result)})
        tmp = self._file(i).with_suffix(".tmp")
        ds.to_netcdf(tmp)
        tmp.replace(self._file(i))


class _Progress:
    """A tqdm bar (shown only on a terminal by default) plus an optional callback."""

    def __init__(self, total: int, enabled, callback):
        from tqdm import tqdm

        if enabled is None:
            enabled = sys.stderr.isatty() and total > 1
        self.bar = tqdm(total=total, desc="esm ensemble", unit="chunk", disable=not enabled)
        self.total, self.done, self.callback = total, 0, callback

    def update(self) -> None:
        self.done += 1
        self.bar.update()
        if self.callback is not None:
            self.callback(self.done, self.total)

    def close(self) -> None:
        self.bar.close()


def ensemble(
    scenario: str | xr.Dataset = "ssp245",
    members: int = 100,
    seed: int = 0,
    *,
    source="posterior",
    params: Mapping[str, float] | None = None,
    variables: Iterable[str] | None = None,
    percentiles: Sequence[float] | None = None,
    start: int | None = None,
    end: int | None = None,
    co2: xr.DataArray | None = None,
    substeps: int = runner.SUBSTEPS,
    client=None,
    chunk_size: int | None = None,
    store=None,
    progress: bool | None = None,
    callback=None,
    missing: str = "error",
) -> xr.Dataset:
    """Run an ensemble and return a Dataset with a ``member`` (or ``percentile``) dimension.

    Parameters
    ----------
    scenario, start, end, co2, substeps, missing
        As for :func:`esm.run`.
    members, seed, source
        Ensemble size and how the parameter sets are drawn (:func:`draw`).
    params
        Overrides applied to every member (e.g. a feedback switch).
    variables
        Output variables (default: the output contract; with percentiles: gsat, co2, erf).
    percentiles
        If given (0-100), return only these percentiles per year, computed from streaming
        histograms (memory independent of ``members``; accurate to 1/4096 of the spread).
    client
        A ``dask.distributed.Client``: chunks run on its workers (retried if a worker dies).
    chunk_size
        Members per kernel call (default 2000).
    store
        Directory for finished chunks; a rerun with the same arguments resumes from it.
    progress
        Show a progress bar (default: when stderr is a terminal and there are several chunks).
    callback
        Called as ``callback(done, total)`` after each finished chunk (monitoring, tests).
    """
    table = draw(members, seed, source)
    member_params = table.drop(columns=["posterior_member"], errors="ignore")
    for name, value in (params or {}).items():
        member_params[name] = value
    pmatrix = np.ascontiguousarray(_params.matrix(member_params))
    ds_in, years, emis, natural = runner.prepare(scenario, start, end, missing)
    co2_end = runner.co2_targets(co2, years, pmatrix[0])
    if variables is None:
        variables = DEFAULT_PERCENTILE_VARIABLES if percentiles is not None else metadata.PUBLIC
    names = list(variables)
    runner.kernel_columns(names)  # validates the names
    size = CHUNK if chunk_size is None else int(chunk_size)
    if size < 1:
        raise ValueError(f"chunk_size must be positive, not {chunk_size}")
    n = len(pmatrix)
    # with percentiles the first chunk sets the histogram range: give it at least PILOT members
    first = max(size, min(n, PILOT)) if percentiles is not None else size
    chunks = [(0, min(first, n))] + [(a, min(a + size, n)) for a in range(first, n, size)]
    token = _token(emis, natural, co2_end, pmatrix, substeps, names, size, tuple(percentiles or ()))
    st = _Store(store, token)
    shared = (emis, natural, co2_end, pmatrix, int(substeps), names, years)

    bar = _Progress(len(chunks), progress, callback)
    if percentiles is not None:
        hist = _percentile_run(shared, chunks, st, client, bar)
        values, outside = hist.percentiles(percentiles)  # [percentile, year, name]
        values = np.moveaxis(values, 2, 0)
        if outside:
            warnings.warn(
                f"{outside} percentile values lie outside the histogram range of "
                "the first chunk (interpolated to the extremes)",
                RuntimeWarning,
                stacklevel=2,
            )
        out = runner.wrap(
            years,
            values,
            names,
            ("percentile", "year"),
            coords={"percentile": np.asarray(percentiles, dtype=float)},
            gsat_reference_text=_gsat_reference(years),
        )
        out.attrs["percentile_method"] = (
            f"streaming histograms of {hist.counts.shape[-1] - 2} bins per year and variable"
        )
    else:
        values = np.empty((len(names), len(pmatrix), years.size))
        for (a, b), result in _full_run(shared, chunks, st, client, bar):
            values[:, a:b] = result
        out = runner.wrap(
            years,
            values,
            names,
            ("member", "year"),
            coords={"member": member_params.index.values},
            gsat_reference_text=_gsat_reference(years),
        )
        extra = {
            name: (
                "member",
                member_params[name].to_numpy(float),
                {
                    "units": _params.PARAMETERS[name].units,
                    "long_name": f"parameter: {_params.PARAMETERS[name].description}",
                },
            )
            for name in member_params.columns
        }
        if "posterior_member" in table:
            extra["posterior_member"] = ("member", table["posterior_member"].to_numpy())
        out = out.assign(extra)  # one merge instead of one per parameter
    bar.close()
    out.attrs.update(
        {
            "scenario": ds_in.attrs.get("scenario", "user"),
            "members": len(pmatrix),
            "seed": seed,
            "parameter_source": source if isinstance(source, str) else "user table",
            "substeps": int(substeps),
        }
    )
    return out


def _gsat_reference(years) -> str:
    lo, hi = runner.GSAT_REFERENCE
    if years[0] <= lo and years[-1] >= hi:
        return f"{lo}-{hi} mean"
    return f"first year of the run ({int(years[0])}), which lacks {lo}-{hi}"


def _full_run(shared, chunks, st, client, bar):
    """Yield ((a, b), raw) for every chunk, from the store, this process or Dask."""
    todo = []
    for i, (a, b) in enumerate(chunks):
        cached = st.load(i)
        if cached is not None:
            bar.update()
            yield (a, b), cached
        else:
            todo.append(i)
    if client is None:
        for i in todo:
            a, b = chunks[i]
            raw = _run_chunk(*shared, a, b)
            st.save(i, raw)
            bar.update()
            yield (a, b), raw
        return
    from dask.distributed import as_completed

    scattered = client.scatter(list(shared), broadcast=True)
    futures = {
        client.submit(_run_chunk, *scattered, *chunks[i], pure=False, retries=3): i for i in todo
    }
    for fut in as_completed(futures):
        i = futures[fut]
        raw = fut.result()
        st.save(i, raw)
        bar.update()
        yield chunks[i], raw


def _percentile_run(shared, chunks, st, client, bar) -> Histogram:
    """Merged histogram of every chunk; the first chunk fixes the bin edges."""
    first = st.load(0)
    if first is None:
        values0 = np.moveaxis(_run_chunk(*shared, *chunks[0]), 0, 2)  # [member, year, name]
        first = Histogram.from_sample(values0)
        first.add(values0)
        st.save(0, first)
    bar.update()
    total = Histogram(first.lo, first.width, first.counts.shape[-1] - 2)
    total.merge(first)
    todo = []
    for i in range(1, len(chunks)):
        cached = st.load(i)
        if cached is not None:
            total.merge(cached)
            bar.update()
        else:
            todo.append(i)
    edges = (first.lo, first.width, first.counts.shape[-1] - 2)
    if client is None:
        for i in todo:
            h = _hist_chunk(*shared, *chunks[i], *edges)
            st.save(i, h)
            total.merge(h)
            bar.update()
        return total
    from dask.distributed import as_completed

    scattered = client.scatter(list(shared) + list(edges[:2]), broadcast=True)
    args = scattered[: len(shared)]
    lo, width = scattered[len(shared) :]
    futures = {
        client.submit(_hist_chunk, *args, *chunks[i], lo, width, edges[2], pure=False, retries=3): i
        for i in todo
    }
    for fut in as_completed(futures):
        h = fut.result()
        st.save(futures[fut], h)
        total.merge(h)
        bar.update()
    return total
