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
same arguments resumes from it. Every stored chunk records a key of everything it depends on
(inputs, its own parameter rows, its bounds, the model version and the kernel build) and a
sha256 checksum of its data; a chunk whose key or checksum does not match, or that cannot be
read, is recomputed with a warning, never reused.

Inputs are checked before anything runs (:func:`check_count`, :func:`check_percentiles`), and a
full-output ensemble that would not fit into the available memory is refused up front
(:func:`check_memory`).
"""

from __future__ import annotations

import functools
import hashlib
import sys
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm import metadata, runner
from esm import params as _params
from esm._checks import check_count, check_percentiles
from esm._stats import Histogram
from esm.kernels import layout

#: Default members per chunk (one kernel call each) of a full-output ensemble.
CHUNK = 2000

#: Default members per chunk of a percentile ensemble: larger, because each chunk also draws
#: its members' parameters (one call of each prior's inverse CDF per chunk) and fills a
#: histogram, while its memory (values of the requested variables only) stays small.
PERCENTILE_CHUNK = 20000

#: Minimum size of the first chunk of a percentile run, whose range sets the histogram edges.
PILOT = 1000

#: With ``progress=None`` a terminal shows the progress bar from this many chunks on.
PROGRESS_MIN_CHUNKS = 2

#: Default output variables: the output contract (full output) or a small set (percentiles).
DEFAULT_PERCENTILE_VARIABLES = ("gsat", "co2", "erf")

#: Peak memory of a full-output ensemble divided by the size of its output (members x years x
#: variables x 8 bytes): the output array itself plus the chunk being computed (raw kernel
#: columns, their transposed copy and the derived values) and the parameter table. Measured with
#: tracemalloc for ssp245 1750-2100, all 19 output variables, chunk_size 2000: 1.30 at 8000 and
#: at 32000 members (1.30 with chunk_size 500).
PEAK_FACTOR = 1.3


class EnsembleMemoryError(MemoryError, ValueError):
    """A full-output ensemble would not fit into the available memory (raised before it runs)."""


def available_memory() -> int | None:
    """Bytes of memory available to new allocations (``psutil``), or None when unknown."""
    try:
        import psutil
    except ImportError:  # psutil comes with dask.distributed; without it, no check
        return None
    return int(psutil.virtual_memory().available)


def check_memory(members: int, n_years: int, n_variables: int) -> float:
    """Estimated peak bytes of a full-output ensemble (:data:`PEAK_FACTOR` times the output);
    raises :class:`EnsembleMemoryError` when it exceeds :func:`available_memory`."""
    need = PEAK_FACTOR * 8.0 * members * n_years * n_variables
    have = available_memory()
    if have is not None and need > have:
        raise EnsembleMemoryError(
            f"a full-output ensemble of {members} members x {n_years} years x {n_variables} "
            f"variables needs about {need / 1e9:.3g} GB of memory but {have / 1e9:.3g} GB are "
            "available; ask for percentiles=[5, 50, 95] (memory independent of members), fewer "
            "variables=[...], fewer members or a shorter period (end=)"
        )
    return need


def _posterior_rows(available: int, members: int, seed: int) -> np.ndarray:
    """Rows of the shipped posterior (``available`` members) that ``members`` draws take:
    without replacement, or with replacement and a warning when more are asked for."""
    replace = members > available
    if replace:
        warnings.warn(
            f"the shipped posterior has {available} members; drawing {members} with "
            "replacement (use source='prior' for more distinct sets)",
            UserWarning,
            stacklevel=4,  # the caller of esm.ensemble or draw
        )
    return np.random.default_rng(seed).choice(available, size=members, replace=replace)


def draw(members: int, seed: int = 0, source="posterior") -> pd.DataFrame:
    """A parameter table (rows = members) of ``members`` sets.

    ``source`` is ``"posterior"`` (the shipped calibrated posterior: drawn without
    replacement, or with replacement and a warning when more members are asked for than it
    holds), ``"prior"`` (a Sobol' sample of the priors) or a DataFrame (used as given, the
    first ``members`` rows).
    """
    members = check_count("members", members)
    seed = check_count("seed", seed, minimum=0)
    if isinstance(source, pd.DataFrame):
        if len(source) < members:
            raise ValueError(f"the parameter table has {len(source)} rows, fewer than {members}")
        table = source.iloc[:members].copy()
    elif source == "prior":
        table = _params.sample_prior(members, seed=seed)
    elif source == "posterior":
        post = _params.posterior()
        rows = _posterior_rows(len(post), members, seed)
        table = post.iloc[rows].reset_index(drop=True)
        table.index = pd.Index(post.index.values[rows], name="posterior_member")
        table = table.reset_index()
        table.index.name = "member"
        return table
    else:
        raise ValueError(f"source must be 'posterior', 'prior' or a DataFrame, not {source!r}")
    table.index = pd.RangeIndex(len(table), name="member")
    return table


class _Rows:
    """The parameter rows of an ensemble, held in memory (a full-output ensemble keeps its
    member table anyway)."""

    def __init__(self, pmatrix: np.ndarray):
        self.pmatrix = pmatrix

    def __len__(self) -> int:
        return len(self.pmatrix)

    def rows(self, a: int, b: int) -> np.ndarray:
        return self.pmatrix[a:b]

    def identity(self):
        """What the rows depend on (part of the stored chunks' key)."""
        return self.pmatrix


class _DrawnRows:
    """The parameter rows of drawn members, made chunk by chunk when they are needed, so that a
    percentile ensemble of millions of members never holds its parameter table (memory
    independent of ``members``). Rows ``a .. b - 1`` are bit for bit those of :func:`draw` with
    the same arguments, followed by the ``overrides``. Small and picklable (Dask workers make
    their own rows)."""

    def __init__(self, members: int, seed: int, source, overrides: Mapping[str, float]):
        self.members, self.seed, self.overrides = members, seed, dict(overrides)
        self.kind = "table" if isinstance(source, pd.DataFrame) else source
        self.table = self.index = self._matrix = None
        if isinstance(source, pd.DataFrame):
            self.table = draw(members, seed, source)  # checks the size
        elif source == "posterior":
            self.table = _params.posterior()
            self.index = _posterior_rows(len(self.table), members, seed)
        elif source != "prior":
            raise ValueError(f"source must be 'posterior', 'prior' or a DataFrame, not {source!r}")
        elif members & (members - 1):  # as draw() warns, through scipy's Sobol' sampler
            warnings.warn(
                f"The balance properties of Sobol' points require n to be a power of 2 "
                f"({members} members drawn from the priors)",
                UserWarning,
                stacklevel=3,
            )

    def __len__(self) -> int:
        return self.members

    def rows(self, a: int, b: int) -> np.ndarray:
        if self.kind == "prior":
            with warnings.catch_warnings():  # said once for the whole sample, in __init__
                warnings.filterwarnings("ignore", "The balance properties", UserWarning)
                table = _params.sample_prior(b - a, seed=self.seed, start=a)
        elif self.kind == "posterior":  # the posterior's rows, made and checked once
            if self._matrix is None:
                self._matrix = self._rows_of(self.table)
            return self._matrix[self.index[a:b]]
        else:
            table = self.table.iloc[a:b]
        return self._rows_of(table)

    def _rows_of(self, table: pd.DataFrame) -> np.ndarray:
        """Kernel parameter rows of ``table`` with the overrides (checked by params.matrix)."""
        table = table.drop(columns=["posterior_member"], errors="ignore")
        for name, value in self.overrides.items():
            table[name] = value
        return np.ascontiguousarray(_params.matrix(table))

    def __getstate__(self):  # Dask workers make their own rows: no matrix in the pickle
        return {**self.__dict__, "_matrix": None}

    def identity(self):
        """What the rows depend on (part of the stored chunks' key; each stored chunk also
        records a hash of its own rows)."""
        table = None if self.table is None else _params.matrix(self.table)
        return (
            self.kind,
            self.members,
            self.seed,
            sorted(self.overrides.items()),
            table,
            self.index,
        )


#: What ``failed=`` accepts (:func:`ensemble`).
FAILED_CHOICES = ("error", "drop")


_SCRATCH = threading.local()


def _scratch(name: str, shape: tuple) -> np.ndarray:
    """This thread's reusable float64 array ``name`` of ``shape``: percentile chunks are
    reduced before the next one runs, so their outputs need not be new memory each time
    (which the system hands out, zeroed, page by page)."""
    a = getattr(_SCRATCH, name, None)
    if a is None or a.shape != shape:
        a = np.empty(shape)
        setattr(_SCRATCH, name, a)
    return a


def _run_chunk(emis, natural, co2_end, members, substeps, names, years, failed, a, b, reuse=False):
    """Public variables values[name, member, year] of members a..b (module-level so that Dask
    can pickle it). With ``failed="drop"`` a member whose run fails (a state left its
    physical range: :class:`esm.ModelError` otherwise) gets NaN in every value. ``reuse``:
    in this thread's scratch arrays (valid until its next call with ``reuse``)."""
    pm = members.rows(a, b)
    out = values_out = None
    if reuse:
        _, needed = runner.kernel_columns(names)
        out = _scratch("raw", (b - a, len(years), len(needed)))
        values_out = _scratch("values", (len(names), b - a, len(years)))
    raw, needed, status = runner.integrate(
        emis,
        natural,
        co2_end,
        pm,
        substeps,
        names,
        years=years,
        check=failed == "error",
        member_label=lambda m: f"member {a + m} of {len(members)}",
        out=out,
    )
    bad = (status & ~layout.STATUS_CHEMISTRY_RANGE) != 0
    if bad.any():  # only with failed="drop"
        raw[bad] = np.nan
        # the members kept still warn about the carbonate chemistry's range
        runner._check_status(np.where(bad, 0, status), raw, needed, years)
    values, _ = runner.derive(years, raw, needed, names, out=values_out)
    return values


def _hist_chunk(
    emis, natural, co2_end, members, substeps, names, years, failed, lo, width, n_bins, a, b
):
    """Histogram of members a..b (members that failed with ``failed="drop"`` left out)."""
    values = _run_chunk(
        emis, natural, co2_end, members, substeps, names, years, failed, a, b, reuse=True
    )
    h = Histogram(lo, width, n_bins)
    h.add_variables(_finite_members(values))
    return h


def _finite_members(values: np.ndarray) -> np.ndarray:
    """values[variable, member, year] without the members that failed (NaN everywhere)."""
    ok = ~np.all(np.isnan(values), axis=(0, 2))
    return values if ok.all() else values[:, ok]


def _token(*parts) -> str:
    """Short name part of the stored chunk files of one ensemble (:func:`_sha256`)."""
    return _sha256(*parts)[:12]


def _sha256(*parts) -> str:
    """sha256 of arrays (dtype, shape and little-endian bytes) and other values (repr)."""
    digest = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            a = np.ascontiguousarray(p, dtype=p.dtype.newbyteorder("<"))
            digest.update(f"{a.dtype.str}{a.shape}".encode())
            digest.update(a.tobytes())
        else:
            digest.update(repr(p).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def kernel_build() -> str:
    """Hash of the code that computes a chunk: the numba kernels (``esm/kernels/*.py``), the
    histogram kernel (``esm/_stats.py``), the derivation of public variables
    (``esm/runner.py``) and the numba version."""
    import numba

    root = Path(__file__).resolve().parent
    files = sorted((root / "kernels").glob("*.py")) + [root / "_stats.py", root / "runner.py"]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    digest.update(f"numba {numba.__version__}".encode())
    return digest.hexdigest()[:16]


class _Store:
    """Finished chunks on disk (netCDF), so an interrupted ensemble resumes.

    Each file records ``esm_chunk_key`` (sha256 of the run's inputs, the chunk's parameter rows
    and bounds, the histogram edges for percentile chunks after the first, the model version and
    the kernel build) and ``esm_data_sha256`` (sha256 of its data). :meth:`load` reuses a file
    only when both match; otherwise it warns once (file and reason) and returns None, so the
    chunk is recomputed and the file replaced.
    """

    def __init__(self, path, token: str, context: str = "", rows=None):
        self.path = Path(path) if path is not None else None
        self.token = token
        self.context = context  # sha256 of the inputs shared by every chunk
        self.rows = rows  # _Rows or _DrawnRows
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)

    def _file(self, i: int) -> Path:
        return self.path / f"esm-{self.token}-chunk{i:05d}.nc"

    def _key(self, a: int, b: int, edges) -> dict:
        version, build = runner._esm_version(), kernel_build()
        rows = self.rows.rows(a, b) if self.rows is not None else None
        return {
            "esm_chunk_key": _sha256(self.context, rows, a, b, *(edges or ()), version, build),
            "esm_chunk_members": f"{a}-{b}",
            "esm_version": version,
            "esm_kernel_build": build,
        }

    def load(self, i: int, bounds: tuple[int, int], edges=None):
        """The stored result of chunk ``i`` (members ``bounds``) if valid, else None."""
        if self.path is None or not self._file(i).exists():
            return None
        result, reason = self._read(self._file(i), self._key(*bounds, edges))
        if reason is not None:
            warnings.warn(
                f"ensemble store: not reusing {self._file(i)}: {reason}; recomputing the chunk",
                RuntimeWarning,
                stacklevel=4,  # the caller of esm.ensemble
            )
        return result

    @staticmethod
    def _read(file: Path, key: dict):
        """(result, None) for a valid chunk file, (None, reason) otherwise."""
        try:
            with xr.open_dataset(file, engine="netcdf4") as ds:
                ds = ds.load()
        except Exception as err:  # noqa: BLE001  any unreadable file is recomputed
            text = " ".join(str(err).split())[:200] or "no detail"
            return None, f"it cannot be read ({type(err).__name__}: {text})"
        attrs = ds.attrs
        if "esm_chunk_key" not in attrs or "esm_data_sha256" not in attrs:
            return None, "it has no integrity key (written by an older esm)"
        if attrs.get("esm_version") != key["esm_version"]:
            return None, (
                f"it was written by esm {attrs.get('esm_version')}, this is esm "
                f"{key['esm_version']}"
            )
        if attrs.get("esm_kernel_build") != key["esm_kernel_build"]:
            return None, (
                f"it was written by kernel build {attrs.get('esm_kernel_build')}, this is "
                f"{key['esm_kernel_build']} (kernel sources or numba changed)"
            )
        if attrs.get("esm_chunk_members") != key["esm_chunk_members"]:
            return None, (
                f"it holds members {attrs.get('esm_chunk_members')}, not "
                f"{key['esm_chunk_members']} (a chunk file copied over another?)"
            )
        if attrs["esm_chunk_key"] != key["esm_chunk_key"]:
            return None, "its inputs or parameters differ from this run's"
        try:
            if "counts" in ds:
                arrays = [ds[v].values for v in ("counts", "lo", "width", "vmin", "vmax")]
                h = Histogram(arrays[1], arrays[2], ds.sizes["bin"] - 2)
                h.counts[...] = arrays[0]
                h.vmin[...] = arrays[3]
                h.vmax[...] = arrays[4]
                result = h
            else:
                arrays = [ds["values"].values]
                result = np.ascontiguousarray(arrays[0], dtype=np.float64)
        except (KeyError, ValueError) as err:
            return None, f"its data are incomplete ({type(err).__name__}: {err})"
        if _sha256(*arrays) != attrs["esm_data_sha256"]:
            return None, "its data do not match their sha256 checksum (altered or corrupted)"
        return result, None

    def save(self, i: int, bounds: tuple[int, int], result, edges=None) -> None:
        if self.path is None:
            return
        if isinstance(result, Histogram):
            arrays = [result.counts, result.lo, result.width, result.vmin, result.vmax]
            ds = xr.Dataset(
                {
                    "counts": (("year", "variable", "bin"), arrays[0]),
                    "lo": (("year", "variable"), arrays[1]),
                    "width": (("year", "variable"), arrays[2]),
                    "vmin": (("year", "variable"), arrays[3]),
                    "vmax": (("year", "variable"), arrays[4]),
                }
            )
        else:
            arrays = [np.ascontiguousarray(result, dtype=np.float64)]
            ds = xr.Dataset({"values": (("variable", "member", "year"), arrays[0])})
        ds.attrs.update(self._key(*bounds, edges))
        ds.attrs["esm_data_sha256"] = _sha256(*arrays)
        from esm import io

        # atomic and interruptible: a Ctrl-C leaves the chunk absent, never truncated
        io.atomic_write(self._file(i), lambda tmp, cancel: ds.to_netcdf(tmp, engine="netcdf4"))


def _in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (an IPython ZMQ shell)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # noqa: BLE001  an IPython without a running shell
        return False
    return type(shell).__name__ == "ZMQInteractiveShell"


class _Progress:
    """A progress bar counting members (``tqdm.auto``: a widget in Jupyter, text on a
    terminal) plus an optional ``callback(done_chunks, total_chunks)``.

    ``enabled=None`` shows it in a notebook, or on a terminal when there are at least
    :data:`PROGRESS_MIN_CHUNKS` chunks (a single chunk would jump from 0 to 100 %).
    """

    def __init__(self, members: int, chunks: int, enabled, callback):
        from tqdm.auto import tqdm

        if enabled is None:
            enabled = _in_notebook() or (sys.stderr.isatty() and chunks >= PROGRESS_MIN_CHUNKS)
        self.bar = tqdm(total=members, desc="esm ensemble", unit="member", disable=not enabled)
        self.total, self.done, self.callback = chunks, 0, callback

    def update(self, members: int) -> None:
        """One chunk of ``members`` members has finished."""
        self.done += 1
        self.bar.update(members)
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
    extend: str | None = None,
    history: str | xr.Dataset | None = "ssp245",
    harmonise: str | Mapping[str, str] = "auto",
    converge: int = 2050,
    background: str = "ssp245",
    failed: str = "error",
) -> xr.Dataset:
    """Run an ensemble and return a Dataset with a ``member`` (or ``percentile``) dimension.

    Parameters
    ----------
    scenario, start, end, co2, substeps, missing, extend, history, harmonise, converge, background
        As for :func:`esm.run` (a scenario Dataset that starts after 1750 is spliced onto the
        history). A Dataset with a ``scenario`` dimension runs the same members for every
        scenario; the outputs get a leading ``scenario`` dimension.
    members, seed, source
        Ensemble size and how the parameter sets are drawn (:func:`draw`); whole numbers
        (:func:`check_count`).
    params
        Overrides applied to every member (e.g. a feedback switch).
    variables
        Output variables (default: the output contract; with percentiles: gsat, co2, erf).
    percentiles
        If given (0-100, each once; :func:`check_percentiles`), return only these percentiles
        per year, computed from streaming histograms (memory independent of ``members``: the
        members' parameter sets are drawn chunk by chunk too, bit for bit those of :func:`draw`;
        accurate to 1/4096 of the spread; 0 and 100 are the exact member minimum and maximum).
        Without it the full output is kept in memory, and a run whose estimated peak
        (:func:`check_memory`) exceeds the available memory raises
        :class:`EnsembleMemoryError` before anything runs.
    client
        A ``dask.distributed.Client``: chunks run on its workers (retried if a worker dies).
    chunk_size
        Members per kernel call (default :data:`CHUNK`, 2000; with percentiles
        :data:`PERCENTILE_CHUNK`, 20000).
    store
        Directory for finished chunks; a rerun with the same arguments resumes from it. A stored
        chunk is reused only if its key and checksum match; otherwise it is recomputed with a
        ``RuntimeWarning`` that names the file and the reason.
    progress
        Show a progress bar of finished members (``tqdm.auto``; default: in Jupyter, or when
        stderr is a terminal and there are at least two chunks).
    callback
        Called as ``callback(done, total)`` after each finished chunk (monitoring, tests).
    failed
        What a member whose run fails does (a state leaves its physical range, e.g. a CH4
        lifetime that collapses in an extreme corner of the priors): ``"error"`` (default)
        raises :class:`esm.ModelError` naming the member, year, state and likely cause;
        ``"drop"`` leaves the member out: of the percentiles, or with NaN in every full-output
        value. The number of members left out (and, for full output, which) is stated in a
        ``RuntimeWarning`` and in the attributes ``failed_members`` and
        ``failed_member_ids``; ``members`` stays the number drawn.
    """
    if isinstance(scenario, xr.Dataset) and "scenario" in scenario.dims:
        return _per_scenario(scenario, locals())
    members = check_count("members", members)
    seed = check_count("seed", seed, minimum=0)
    substeps = check_count("substeps", substeps)
    pct = None if percentiles is None else check_percentiles(percentiles)
    if failed not in FAILED_CHOICES:
        raise ValueError(f"failed must be one of {', '.join(FAILED_CHOICES)}, not {failed!r}")
    default_size = CHUNK if pct is None else PERCENTILE_CHUNK
    size = default_size if chunk_size is None else check_count("chunk_size", chunk_size)
    completion = {
        "history": history,
        "harmonise": harmonise,
        "converge": converge,
        "background": background,
    }
    ds_in, years, emis, natural = runner.prepare(scenario, start, end, missing, extend, completion)
    if variables is None:
        variables = DEFAULT_PERCENTILE_VARIABLES if pct is not None else metadata.PUBLIC
    names = runner.check_variables(variables)
    if pct is None:  # the full output is held in memory: refuse a run that cannot fit
        check_memory(members, years.size, len(names))
    if pct is None:  # the member table is part of the output
        table = draw(members, seed, source)
        member_params = table.drop(columns=["posterior_member"], errors="ignore")
        for name, value in (params or {}).items():
            member_params[name] = value
        rows = _Rows(np.ascontiguousarray(_params.matrix(member_params)))
    else:  # drawn chunk by chunk
        rows = _DrawnRows(members, seed, source, params or {})
    co2_end = runner.co2_targets(co2, years, rows.rows(0, 1)[0])
    n = len(rows)
    # with percentiles the first chunk sets the histogram range: give it at least PILOT members
    first = max(size, min(n, PILOT)) if pct is not None else size
    chunks = [(0, min(first, n))] + [(a, min(a + size, n)) for a in range(first, n, size)]
    token = _token(
        emis,
        natural,
        co2_end,
        rows.identity(),
        substeps,
        names,
        size,
        () if pct is None else tuple(pct),
        failed,
    )
    kind = "percentiles" if pct is not None else "full"
    context = _sha256(kind, emis, natural, co2_end, np.asarray(years), substeps, names, failed)
    st = _Store(store, token, context, rows)
    shared = (emis, natural, co2_end, rows, substeps, names, years, failed)

    bar = _Progress(n, len(chunks), progress, callback)
    if pct is not None:
        hist = _percentile_run(shared, chunks, st, client, bar)
        values, outside = hist.percentiles(pct)  # [percentile, year, name]
        values = np.moveaxis(values, 2, 0)
        if outside:
            warnings.warn(
                f"{outside} percentile values lie outside the histogram range of "
                "the first chunk (interpolated towards the member minimum or maximum)",
                RuntimeWarning,
                stacklevel=2,
            )
        out = runner.wrap(
            years,
            values,
            names,
            ("percentile", "year"),
            coords={"percentile": pct},
            gsat_reference_text=runner.gsat_reference_text(years),
        )
        out.attrs["percentile_method"] = (
            f"streaming histograms of {hist.counts.shape[-1] - 2} bins per year and variable"
        )
        dropped = n - hist.n
        dropped_ids = None
    else:
        values = np.empty((len(names), n, years.size))
        for (a, b), result in _full_run(shared, chunks, st, client, bar):
            values[:, a:b] = result
        out = runner.wrap(
            years,
            values,
            names,
            ("member", "year"),
            coords={"member": member_params.index.values},
            gsat_reference_text=runner.gsat_reference_text(years),
        )
        posterior = table["posterior_member"] if "posterior_member" in table else None
        extra = runner.parameter_variables(member_params, posterior)
        out = out.assign(extra)  # one merge instead of one per parameter
        lost = np.all(np.isnan(values), axis=(0, 2))
        dropped = int(lost.sum())
        dropped_ids = member_params.index.values[lost]
    bar.close()
    if dropped:
        _report_dropped(out, dropped, n, dropped_ids)
    out.attrs.update(
        {
            "scenario": ds_in.attrs.get("scenario", "user"),
            "members": n,
            "seed": seed,
            "parameter_source": source if isinstance(source, str) else "user table",
            "substeps": substeps,
            **{k: ds_in.attrs[k] for k in runner.INPUT_ATTRS if k in ds_in.attrs},
        }
    )
    return out


def _report_dropped(out: xr.Dataset, dropped: int, n: int, ids) -> None:
    """State in a warning and in ``out.attrs`` the members left out by ``failed="drop"``."""
    where = "the percentiles" if ids is None else "the output (NaN in every value)"
    shown = ""
    if ids is not None:
        listed = ", ".join(str(i) for i in ids[:10])
        shown = f" (members {listed}{' and more' if len(ids) > 10 else ''})"
        out.attrs["failed_member_ids"] = np.asarray(ids, dtype=np.int64)
    if dropped == n:
        raise runner.ModelError(f"every one of the {n} members failed (failed='drop')")
    out.attrs["failed_members"] = dropped
    warnings.warn(
        f"{dropped} of {n} members ({100.0 * dropped / n:.2g} %) failed and are left out of "
        f"{where}{shown} (failed='drop'): a state left its physical range; run one of them "
        "with esm.run(..., params=...) to see the year, state and likely cause",
        RuntimeWarning,
        stacklevel=3,
    )


def _per_scenario(ds: xr.Dataset, arguments: dict) -> xr.Dataset:
    """:func:`ensemble` of every scenario of a Dataset with a ``scenario`` dimension, with the
    same members for each: outputs get a leading ``scenario`` dimension; the member parameters
    (the same for every scenario) are kept once."""
    labels = [str(v) for v in ds["scenario"].values] if "scenario" in ds.coords else None
    kwargs = {k: v for k, v in arguments.items() if k != "scenario"}
    results = []
    for i in range(ds.sizes["scenario"]):
        one = ds.isel(scenario=i, drop=True)
        one.attrs["scenario"] = labels[i] if labels else str(i)
        results.append(ensemble(one, **kwargs))
    first = results[0]
    outputs = [v for v in first.data_vars if "year" in first[v].dims]
    stacked = xr.concat([r[outputs] for r in results], dim="scenario", combine_attrs="override")
    out = first.drop_vars(outputs).assign({v: stacked[v] for v in outputs})
    out = out.assign_coords(scenario=labels or list(range(len(results))))
    out.attrs["scenario"] = ", ".join(r.attrs["scenario"] for r in results)
    return out.transpose("scenario", ...)


def _full_run(shared, chunks, st, client, bar):
    """Yield ((a, b), raw) for every chunk, from the store, this process or Dask."""
    todo = []
    for i, (a, b) in enumerate(chunks):
        cached = st.load(i, (a, b))
        if cached is not None:
            bar.update(b - a)
            yield (a, b), cached
        else:
            todo.append(i)
    if client is None:
        for i in todo:
            a, b = chunks[i]
            raw = _run_chunk(*shared, a, b)
            st.save(i, (a, b), raw)
            bar.update(b - a)
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
        st.save(i, chunks[i], raw)
        bar.update(chunks[i][1] - chunks[i][0])
        yield chunks[i], raw


def _percentile_run(shared, chunks, st, client, bar) -> Histogram:
    """Merged histogram of every chunk; the first chunk fixes the bin edges."""
    first = st.load(0, chunks[0])
    if first is None:
        values0 = _finite_members(_run_chunk(*shared, *chunks[0]))  # [name, member, year]
        if values0.shape[1] == 0:
            raise runner.ModelError(
                f"every member of the first chunk ({chunks[0][1]} members) failed "
                "(failed='drop'); the percentile range cannot be set"
            )
        first = Histogram.from_sample(np.moveaxis(values0, 0, 2))
        first.add_variables(values0)
        st.save(0, chunks[0], first)
    bar.update(chunks[0][1] - chunks[0][0])
    total = Histogram(first.lo, first.width, first.counts.shape[-1] - 2)
    total.merge(first)
    edges = (first.lo, first.width, first.counts.shape[-1] - 2)
    todo = []
    for i in range(1, len(chunks)):
        cached = st.load(i, chunks[i], edges)
        if cached is not None:
            total.merge(cached)
            bar.update(chunks[i][1] - chunks[i][0])
        else:
            todo.append(i)
    if client is None:
        try:
            for i in todo:
                h = _hist_chunk(*shared, *edges, *chunks[i])
                st.save(i, chunks[i], h, edges)
                total.merge(h)
                bar.update(chunks[i][1] - chunks[i][0])
        finally:
            vars(_SCRATCH).clear()  # the chunk buffers are not kept after the run
        return total
    from dask.distributed import as_completed

    scattered = client.scatter(list(shared) + list(edges[:2]), broadcast=True)
    args = scattered[: len(shared)]
    lo, width = scattered[len(shared) :]
    futures = {
        client.submit(_hist_chunk, *args, lo, width, edges[2], *chunks[i], pure=False, retries=3): i
        for i in todo
    }
    for fut in as_completed(futures):
        h = fut.result()
        st.save(futures[fut], chunks[futures[fut]], h, edges)
        total.merge(h)
        bar.update(chunks[futures[fut]][1] - chunks[futures[fut]][0])
    return total
