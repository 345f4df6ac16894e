"""Run the model: scenario and parameters in, ``xarray.Dataset`` out.

This layer converts between the user's world (scenario Datasets, parameter names, variable
names with units) and the kernels' arrays, checks the kernels' status codes and attaches the
metadata of :mod:`esm.metadata`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import NamedTuple

import numpy as np
import xarray as xr

from esm import metadata, params, scenarios
from esm._checks import check_count
from esm.kernels import layout
from esm.kernels._jit import announce_compile
from esm.kernels.integrate import LANES, N_HS, N_RESTART, halogen_sets, integrate_members

#: Carbon-cycle and energy-balance sub-steps per year (two-monthly). SSP5-8.5 CO2 in 2100 changes
#: by less than 0.1 % with 4x finer steps (tests/test_numerics.py).
SUBSTEPS = 6

#: Reference period of ``gsat`` (IPCC AR6 pre-industrial proxy).
GSAT_REFERENCE = (1850, 1900)


class ModelError(RuntimeError):
    """The integration left the physically valid domain (message names member and year)."""


@functools.cache
def _esm_version() -> str:
    """The installed package version (pyproject.toml is the one place it is written); read
    once per process (parsing the package metadata took 2 ms of every run)."""
    try:
        return version("esm")
    except PackageNotFoundError:  # running from a source tree without installation
        return "unknown+source"


def check_variables(variables) -> list[str]:
    """``variables`` as a list of output names, after checking it is a non-empty list (not a
    string) of known names (:func:`kernel_columns` names an unknown one)."""
    if isinstance(variables, str):
        raise ValueError(
            f"variables must be a list of names, not the string {variables!r}; "
            f"give e.g. variables=[{variables!r}]"
        )
    names = list(variables)
    if not names:
        raise ValueError("variables is empty; give e.g. variables=['gsat', 'co2']")
    kernel_columns(names)
    return names


def kernel_columns(names: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Kernel outputs needed for the public ``names``: (out_cols, kernel names in column order)."""
    inverse = {v: k for k, v in metadata.KERNEL_RENAME.items()}
    needed: list[str] = []
    for name in names:
        if name not in metadata.OUTPUTS:
            known = ", ".join(metadata.OUTPUTS)
            raise KeyError(f"unknown output variable {name!r}; known: {known}")
        for k in metadata.DERIVED.get(name, (inverse.get(name, name),)):
            k = inverse.get(k, k)
            if k not in needed:
                needed.append(k)
    cols = np.full(layout.N_OUT, -1, dtype=np.int64)
    for j, k in enumerate(needed):
        cols[layout.OUT_NAMES.index(k)] = j
    return cols, needed


def co2_end_targets(co2_mean: np.ndarray) -> np.ndarray:
    """End-of-year CO2 targets [ppm] from annual means (NaN = emission-driven year).

    The end of year y is the mean of the annual means of y and y+1 (linear in time); the last
    prescribed year extrapolates linearly.
    """
    c = np.asarray(co2_mean, dtype=np.float64)
    end = np.full_like(c, np.nan)
    for y in range(c.size):
        if not np.isfinite(c[y]):
            continue
        if y + 1 < c.size and np.isfinite(c[y + 1]):
            end[y] = 0.5 * (c[y] + c[y + 1])
        elif y > 0 and np.isfinite(c[y - 1]):
            end[y] = c[y] + 0.5 * (c[y] - c[y - 1])
        else:
            end[y] = c[y]
    return end


class Restart(NamedTuple):
    """Where a kernel call starts: pre-industrial emissions ``emis0[set, species]``, halogen
    concentrations ``halogens[set, gas]`` [ppt] and restart vectors ``vector[member, k]``
    (``esm.kernels.integrate.N_RESTART``); NaN in a first element: the pre-industrial steady
    state."""

    emis0: np.ndarray
    halogens: np.ndarray
    vector: np.ndarray


def _steady_start(emis: np.ndarray, n_members: int) -> Restart:
    return Restart(
        np.ascontiguousarray(emis[:, 0, :]),
        np.full((emis.shape[0], layout.N_HALOGENS), np.nan),
        np.full((n_members, N_RESTART), np.nan),
    )


def _arg(a, dtype=np.float64) -> np.ndarray:
    """A kernel argument as a C-contiguous, aligned, writable array of ``dtype``.

    numba compiles one specialisation per combination of argument types, and a read-only
    array (e.g. a ``np.broadcast_to`` view) is a different type from a writable one; passing
    every array through here keeps a single compiled version of the kernel per process."""
    return np.require(a, dtype=dtype, requirements=("C", "A", "W"))


@functools.lru_cache(maxsize=1)
def _halogens() -> np.ndarray:
    """:func:`esm.params.halogen_array` as a kernel argument, built once per process (the
    kernel only reads it)."""
    return _arg(params.halogen_array())


#: Block ranges per thread of one kernel call: a batch is cut into this many ranges per
#: thread, so that threads finishing early (e.g. on emission-driven members while others
#: iterate concentration-driven ones) take more.
RANGES_PER_THREAD = 4

_POOL = None


def _pool(threads: int):
    """The process-wide thread pool of the kernel calls (created when first needed)."""
    global _POOL
    if _POOL is None or _POOL._max_workers != threads:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="esm-kernel")
    return _POOL


def kernel_threads() -> int:
    """Threads of one kernel call: ``NUMBA_NUM_THREADS`` (the environment variable; numba's
    default is the number of CPUs)."""
    import numba

    return max(1, int(numba.config.NUMBA_NUM_THREADS))


def _kernel(emis, emis_index, natural, co2_end, pmatrix, substeps, out, cols, status, start):
    """One call of the compiled kernel; returns the Restart after the last year.

    The members run in blocks of ``LANES``; the blocks are split into ranges that run on
    :func:`kernel_threads` threads (the kernel releases the GIL). A single block runs in this
    thread. Results do not depend on the split (each member's arithmetic is its own)."""
    end = Restart(
        start.emis0,
        np.empty((emis.shape[0], layout.N_HALOGENS)),
        np.empty((pmatrix.shape[0], N_RESTART)),
    )
    emis, natural, co2_end = _arg(emis), _arg(natural), _arg(co2_end)
    emis0 = _arg(start.emis0)
    hseries = np.empty((emis.shape[0], emis.shape[1], N_HS))
    halogen_sets(emis, _halogens(), hseries, emis0, _arg(start.halogens), end.halogens)
    args = (
        emis,
        _arg(emis_index, np.int64),
        natural,
        co2_end,
        _arg(pmatrix),
        hseries,
        int(substeps),
        out,
        _arg(cols, np.int64),
        status,
        emis0,
        _arg(start.vector),
        end.vector,
    )
    n_blocks = -(-pmatrix.shape[0] // LANES)
    threads = min(kernel_threads(), n_blocks)
    if threads <= 1:
        integrate_members(*args, 0, n_blocks)
        return end
    n_ranges = min(n_blocks, threads * RANGES_PER_THREAD)
    edges = np.linspace(0, n_blocks, n_ranges + 1).round().astype(np.int64)
    futures = [
        _pool(threads).submit(integrate_members, *args, int(lo), int(hi))
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        if hi > lo
    ]
    for fut in futures:
        fut.result()  # re-raises an exception of a thread
    return end


def integrate(
    emis,
    natural,
    co2_end,
    pmatrix,
    substeps=SUBSTEPS,
    names=metadata.PUBLIC,
    emis_index=None,
    years=None,
    check=True,
    start=None,
    end_state=None,
    member_label=None,
    out=None,
):
    """Run the kernel for members ``pmatrix[m]`` and return raw kernel outputs.

    Returns (out[m, year, column], kernel names of the columns, status[m]). ``emis`` may be
    2-D (one scenario) or 3-D (scenario sets, chosen per member by ``emis_index``). With
    ``check=False`` a member's failure is only reported in ``status`` (the calibration gives
    such prior members zero weight) instead of raising :class:`ModelError`. ``start``
    (:class:`Restart`) continues from a saved state instead of the pre-industrial steady
    state; a list passed as ``end_state`` receives the :class:`Restart` after the last year.
    ``member_label(m)`` names member ``m`` in a :class:`ModelError` (default "member m of n");
    ``years`` gives the calendar years it names. ``out``: an array of the outputs' shape to
    write them into (e.g. reused between chunks; a failed member's values there are
    undefined), instead of a new one.
    Most callers want :func:`run_many`, which returns a Dataset.
    """
    emis = np.asarray(emis, dtype=np.float64)
    if emis.ndim == 2:
        emis = emis[None]
    emis = _arg(emis)
    co2_end = np.asarray(co2_end, dtype=np.float64)
    if co2_end.ndim == 1:
        co2_end = np.broadcast_to(co2_end, emis.shape[:2])
    co2_end = _arg(co2_end)  # a copy: a broadcast view is read-only (a second numba type)
    pmatrix = _arg(np.atleast_2d(pmatrix))
    n_members = pmatrix.shape[0]
    if emis_index is None:
        emis_index = np.zeros(n_members, dtype=np.int64)
    emis_index = np.asarray(emis_index, dtype=np.int64)
    start = _steady_start(emis, n_members) if start is None else start
    cols, needed = kernel_columns(names)
    shape = (n_members, emis.shape[1], len(needed))
    if out is None:
        out = np.empty(shape)  # the kernel writes every value (a failed member's too)
    elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous float64 array of shape {shape}")
    status = np.zeros(n_members, dtype=np.int64)
    announce_compile(integrate_members)  # one line on stderr if this call compiles (cold cache)
    end = _kernel(emis, emis_index, natural, co2_end, pmatrix, substeps, out, cols, status, start)
    if end_state is not None:
        end_state.append(end)
    if check:
        inputs = (emis, emis_index, natural, co2_end, pmatrix, substeps, start)
        _check_status(status, out, needed, years, inputs, member_label)
    return out, needed, status


_FATAL = {
    layout.STATUS_NONFINITE: "a state became NaN or infinite",
    layout.STATUS_NEGATIVE_POOL: "a carbon pool, NPP or a concentration became negative",
    layout.STATUS_LIFETIME_RANGE: "a CH4 lifetime factor (1 + s dx) became non-positive",
    layout.STATUS_CONC_SOLVER: "the concentration-driven emissions solver did not converge",
}

#: States checked when a member fails, in the order the kernel computes them within a year
#: (gas cycles, then land, the CO2 box and the energy balance; esm.kernels.integrate): kernel
#: output, lowest and highest physically valid value, units, what it is. The first state to
#: leave its range (earliest year, then this order) is named in the ModelError. The CH4
#: lifetime comes last: a collapsed lifetime is named as the cause of the CH4 it empties.
_STATE_RANGES = (
    ("ch4", 100.0, 1.0e6, "ppb", "atmospheric CH4"),  # glacial minimum about 350 ppb
    ("n2o", 10.0, 1.0e5, "ppb", "atmospheric N2O"),
    ("npp", 0.0, np.inf, "GtC yr-1", "net primary production"),
    ("carbon_vegetation", 0.0, np.inf, "GtC", "vegetation carbon"),
    ("carbon_detritus", 0.0, np.inf, "GtC", "detritus carbon"),
    ("carbon_soil", 0.0, np.inf, "GtC", "soil carbon"),
    ("co2", 1.0, 1.0e5, "ppm", "atmospheric CO2"),
    ("temperature", -15.0, 15.0, "K", "surface temperature change"),
    ("ch4_lifetime", 0.0, np.inf, "yr", "CH4 lifetime"),
)


def _low_lifetime_factors(pvec, raw, emis, y) -> dict[str, tuple[float, float]]:
    """The factors 1 + s dx of the CH4 lifetime in year ``y`` (states of the year before) that
    are below 0.5: name of the change -> (dx, factor)."""
    col = {k: j for j, k in enumerate(layout.OUT_NAMES)}
    prev = raw[max(y - 1, 0)]
    terms = {
        "CH4": (layout.P_CH4_LIFETIME_CH4_SENSITIVITY, prev[col["ch4"]] - pvec[layout.P_CH4_PI]),
        "N2O": (layout.P_CH4_LIFETIME_N2O_SENSITIVITY, prev[col["n2o"]] - pvec[layout.P_N2O_PI]),
        "NOx emissions": (
            layout.P_CH4_LIFETIME_NOX_SENSITIVITY,
            emis[y, layout.E_NOX] - emis[0, layout.E_NOX],
        ),
        "NMVOC emissions": (
            layout.P_CH4_LIFETIME_NMVOC_SENSITIVITY,
            emis[y, layout.E_NMVOC] - emis[0, layout.E_NMVOC],
        ),
        "temperature": (layout.P_CH4_LIFETIME_TEMPERATURE_SENSITIVITY, prev[col["temperature"]]),
    }
    factors = {name: (dx, 1 + pvec[k] * dx) for name, (k, dx) in terms.items()}
    return {name: f for name, f in factors.items() if not f[1] > 0.5}


def _lifetime_terms(pvec, raw, emis, y) -> list[str]:
    """The low factors of :func:`_low_lifetime_factors` as text, the first with the lifetime."""
    lifetime = raw[y, layout.OUT_NAMES.index("ch4_lifetime")]
    shown = [
        f"{name} change {dx:.3g} (1 + s dx = {factor:.3g})"
        for name, (dx, factor) in _low_lifetime_factors(pvec, raw, emis, y).items()
    ]
    if shown:
        life = f"lifetime {lifetime:.3g} yr" if np.isfinite(lifetime) else "no positive lifetime"
        shown[0] = f"{life} from {shown[0]}"
    return shown


def _runaway(pvec) -> str:
    lam = pvec[params.PARAMETERS_INDEX["climate_feedback"]]
    return (
        f"runaway warming or cooling: the net climate feedback climate_feedback = {lam:g} "
        "W m-2 K-1 is weak for this forcing (check it and the carbon-cycle feedbacks, "
        "e.g. respiration_q10, with --set)"
    )


def _likely_cause(state: str, pvec, raw, emis, y) -> str:
    if state == "temperature":
        return _runaway(pvec)
    if state in ("carbon_vegetation", "carbon_detritus", "carbon_soil", "npp"):
        return (
            "land carbon parameters (NPP shares, turnover and respiration rates) or land-use "
            "emissions that remove more carbon than the land holds"
        )
    if state == "co2":
        return "net negative CO2 emissions that remove more carbon than the atmosphere holds"
    terms = _lifetime_terms(pvec, raw, emis, y)
    if state == "ch4" and terms:
        cause = f"the CH4 lifetime collapsed: {', '.join(terms)}"
        if "temperature" in _low_lifetime_factors(pvec, raw, emis, y):  # the root cause
            cause += f"; the warming: {_runaway(pvec)}"
        return cause
    if state in ("ch4", "n2o"):
        k = layout.SPECIES_NAMES.index(state)
        if emis[y, k] < emis[0, k]:
            return (
                f"{state.upper()} emissions ({emis[y, k]:.4g} {scenarios.internal_unit(state)}) "
                f"fell far below those of the first year ({emis[0, k]:.4g}), which the model "
                "takes as the pre-industrial steady state: start the scenario in 1750 or let it "
                "be spliced onto the history"
            )
        return f"{state.upper()} emissions far outside the scenarios' range"
    if terms:
        return f"a CH4 lifetime factor left its valid range: {', '.join(terms)}"
    return "a CH4 lifetime factor left its valid range"


@functools.cache
def _shipped_range() -> np.ndarray:
    """Largest magnitude of each species over every shipped scenario and year [kernel units]."""
    peak = np.zeros(layout.N_SPECIES)
    for name in scenarios.available():
        _, emis, _ = scenarios.to_arrays(scenarios.load(name))
        peak = np.maximum(peak, np.abs(emis).max(axis=0))
    return peak


def _emission_jumps(emis, y) -> list[str]:
    """Species whose emission in year ``y`` is more than 10x the largest magnitude of that
    species in any shipped scenario (kernel units)."""
    out = []
    for k in np.nonzero(np.abs(emis[y]) > 10.0 * np.maximum(_shipped_range(), 1e-9))[0]:
        name = layout.SPECIES_NAMES[k]
        out.append(
            f"{name} {emis[y, k]:.4g} {scenarios.internal_unit(name)} (was {emis[y - 1, k]:.4g}; "
            f"the shipped scenarios reach at most {_shipped_range()[k]:.4g})"
        )
    return out


def _diagnose(m, status, emis, natural, co2_end, pvec, substeps, years, start) -> str:
    """Rerun failed member ``m`` with every state and name the first one out of range."""
    raw = np.zeros((1, emis.shape[0], layout.N_OUT))
    st = np.zeros(1, dtype=np.int64)
    _kernel(
        np.ascontiguousarray(emis[None]),
        np.zeros(1, dtype=np.int64),
        natural,
        np.ascontiguousarray(co2_end[None]),
        np.ascontiguousarray(pvec[None]),
        substeps,
        raw,
        np.arange(layout.N_OUT, dtype=np.int64),
        st,
        start,
    )
    raw = raw[0]
    col = {k: j for j, k in enumerate(layout.OUT_NAMES)}
    first = None
    for order, (name, lo, hi, units, what) in enumerate(_STATE_RANGES):
        v = raw[:, col[name]]
        bad = ~np.isfinite(v) | (v < lo) | (v > hi)
        if bad.any():
            y = int(np.argmax(bad))
            # earliest year first; within a year a finite value out of range (a cause) before
            # NaN (a consequence)
            key = (y, not np.isfinite(v[y]), order)
            if first is None or key < first[0]:
                first = (key, name, units, what)
    reasons = "; ".join(msg for flag, msg in _FATAL.items() if status & flag)
    if first is None:
        return reasons
    (y, nonfinite, _), name, units, what = first
    value = raw[y, col[name]]
    year = int(years[y]) if years is not None else y
    if nonfinite and y > 0:
        jumps = _emission_jumps(emis, y)
        if jumps:
            return (
                f"in year {year} the states became NaN or infinite ({reasons}); likely cause: "
                f"emissions far outside the range of the shipped scenarios: {', '.join(jumps)}"
            )
    cause = _likely_cause(name, pvec, raw, emis, y)
    return f"in year {year} {what} reached {value:.4g} {units} ({reasons}); likely cause: {cause}"


def _check_status(status, out, needed, years, inputs=None, member_label=None) -> None:
    """Raise ModelError for the first failed member (naming year, state and likely cause when
    ``inputs`` = (emis, emis_index, natural, co2_end, pmatrix, substeps) allows a rerun;
    ``member_label(m)`` names the member, default ``"member m of n"``)."""
    bad = np.nonzero(status & ~layout.STATUS_CHEMISTRY_RANGE)[0]
    if bad.size:
        m = int(bad[0])
        if inputs is not None:
            emis, emis_index, natural, co2_end, pmatrix, substeps, start = inputs
            k = emis_index[m]
            one = Restart(
                start.emis0[k : k + 1], start.halogens[k : k + 1], start.vector[m : m + 1]
            )
            text = _diagnose(
                m,
                status[m],
                emis[k],
                natural,
                co2_end[k],
                pmatrix[m],
                substeps,
                years,
                one,
            )
        else:
            text = "; ".join(msg for flag, msg in _FATAL.items() if status[m] & flag)
        who = member_label(m) if member_label is not None else f"member {m} of {status.size}"
        raise ModelError(f"{who}: {text}")
    if np.any(status & layout.STATUS_CHEMISTRY_RANGE):
        n = int(np.count_nonzero(status & layout.STATUS_CHEMISTRY_RANGE))
        warnings.warn(
            f"{n} member(s): surface-ocean pCO2 perturbation exceeded 1320 ppm, the range of the "
            "Joos et al. (1996) carbonate polynomial; ocean uptake is extrapolated",
            RuntimeWarning,
            stacklevel=3,
        )


def gsat_offset(years, temperature, gsat_reference=GSAT_REFERENCE):
    """(offset[m, 1], text): what ``gsat`` subtracts from the kernel temperature [K] of each
    member: the mean over ``gsat_reference`` (years, inclusive) when the run covers it, else
    zero (the steady state at the start of the run)."""
    years = np.asarray(years)
    zero = np.zeros((temperature.shape[0], 1))
    text = gsat_reference_text(years, gsat_reference)
    if gsat_reference is None:
        return zero, text
    lo, hi = gsat_reference
    ref = np.nonzero((years >= lo) & (years <= hi))[0]
    if ref.size == hi - lo + 1:
        # the reference years as a slice where they are adjacent columns (a copy of a slice is
        # several times faster than one through a mask); a contiguous copy makes the mean's
        # summation order independent of how many members are stacked (batch invariance)
        cols = slice(ref[0], ref[-1] + 1) if ref[-1] - ref[0] + 1 == ref.size else ref
        return np.ascontiguousarray(temperature[:, cols]).mean(axis=1, keepdims=True), text
    return zero, text


def gsat_reference_text(years, gsat_reference=GSAT_REFERENCE) -> str:
    """What ``gsat`` is relative to in a run over ``years`` (see :func:`gsat_offset`)."""
    years = np.asarray(years)
    if gsat_reference is None:
        return "pre-industrial steady state at the start of the run"
    lo, hi = gsat_reference
    if ((years >= lo) & (years <= hi)).sum() == hi - lo + 1:
        return f"{lo}-{hi} mean"
    return f"first year of the run ({int(years[0])}), which lacks {lo}-{hi}"


def derive(years, raw, needed, names, gsat_reference=GSAT_REFERENCE, offset=None, out=None):
    """Public variables from kernel outputs raw[m, year, col].

    Returns (values[len(names), m, year], gsat reference text): one contiguous block per
    variable (written into ``out`` when given). ``gsat`` is the kernel temperature minus
    :func:`gsat_offset` (or minus ``offset`` = (offset[m, 1], text) when given: a run
    continued from a saved state keeps the reference of the run that made it). Sums
    (``erf_aerosol``, ``erf_other``, ``erf_anthropogenic``) follow
    :data:`esm.metadata.DERIVED`.
    """
    years = np.asarray(years)
    idx = {k: j for j, k in enumerate(needed)}
    inverse = {v: k for k, v in metadata.KERNEL_RENAME.items()}
    cols = np.ascontiguousarray(np.moveaxis(raw, 2, 0))  # [column, member, year]
    if out is None:
        out = np.empty((len(names),) + raw.shape[:2])
    reference = ""
    for j, name in enumerate(names):
        if name == "gsat":
            t = cols[idx["temperature"]]
            shift, reference = (
                offset if offset is not None else gsat_offset(years, t, gsat_reference)
            )
            np.subtract(t, shift, out=out[j])
        elif name in metadata.DERIVED:
            parts = metadata.DERIVED[name]
            sign = -1.0 if name == "erf_anthropogenic" else 1.0
            out[j] = cols[idx[parts[0]]]
            for part in parts[1:]:
                out[j] += sign * cols[idx[part]]
        else:
            out[j] = cols[idx[inverse.get(name, name)]]
    return out, reference


def wrap(years, values, names, dims=("year",), coords=None, attrs=None, gsat_reference_text=""):
    """Dataset of public variables from values[name, ..., year] with metadata attributes.

    The coordinates go through xarray's public constructor (checks and indexes); the data
    variables, whose shapes are checked here against those coordinates, are added without
    xarray's merge of every variable (about 0.5 ms of a single run's 49 variables)."""
    values = np.asarray(values)
    base = xr.Dataset(coords={"year": np.asarray(years), **(coords or {})})
    shape = tuple(base.sizes.get(d, n) for d, n in zip(dims, values.shape[1:], strict=False))
    if values.shape[1:] != shape or values.shape[0] != len(names) or len(dims) != len(shape):
        sizes = {d: base.sizes.get(d, "?") for d in dims}
        raise ValueError(
            f"values of shape {values.shape} do not match {len(names)} variables on {sizes}"
        )
    data = {}
    for j, name in enumerate(names):
        a = metadata.attrs(name)
        if name == "gsat":
            a["reference_period"] = gsat_reference_text
            if gsat_reference_text and not gsat_reference_text.startswith("1850-1900"):
                a["long_name"] = (
                    f"global surface air temperature anomaly relative to the {gsat_reference_text}"
                )
        data[name] = xr.Variable(dims, values[j], a)
    ds = _dataset(data, base)
    ds["year"].attrs = {"long_name": "calendar year (annual means and totals)", "units": "1"}
    ds.attrs.update(
        {
            "Conventions": "CF-1.10",
            "title": "esm reduced-complexity Earth-system model",
            "esm_version": _esm_version(),
            **(attrs or {}),
        }
    )
    return ds


def _dataset(data: dict, base: xr.Dataset) -> xr.Dataset:
    """``base`` (coordinates only) with the data variables ``data`` (name -> xr.Variable of
    checked dimensions): the result equals ``xr.Dataset(data, coords=base.coords)``
    (tests/test_run_many.py), built directly where this xarray offers the constructor."""
    construct = getattr(xr.Dataset, "_construct_direct", None)
    if construct is None or len(base.data_vars):
        return xr.Dataset(data, coords=base.coords)
    variables = {**data, **base.variables}
    return construct(variables, set(base.coords), None, None, dict(base.xindexes))


def to_dataset(
    years, raw, needed, names, attrs=None, member_dim=False, gsat_reference=GSAT_REFERENCE
) -> xr.Dataset:
    """Wrap kernel outputs raw[m, year, col] as a Dataset of the public ``names``
    (see :func:`derive`); ``member_dim`` keeps the member axis."""
    values, reference = derive(years, raw, needed, names, gsat_reference)
    if member_dim:
        return wrap(
            years, values, names, ("member", "year"), attrs=attrs, gsat_reference_text=reference
        )
    return wrap(years, values[:, 0], names, attrs=attrs, gsat_reference_text=reference)


#: How ``extend`` continues a scenario past its last year.
EXTEND = {
    "constant": "emissions held at their values of the last year",
    "zero": "emissions set to zero (CO2, every gas and aerosol precursor)",
}


def _extend(ds: xr.Dataset, end: int, how: str) -> xr.Dataset:
    """``ds`` continued from its last year to ``end`` (:data:`EXTEND`); attrs state it."""
    last = int(ds["year"].values[-1])
    new_years = np.arange(last + 1, end + 1)
    tail = ds.isel(year=[-1] * new_years.size).assign_coords(year=new_years)
    for v in tail.data_vars:
        if v in scenarios.NATURAL_VARIABLES:
            # natural forcing: the mean of the last 11 years (one solar cycle)
            tail[v] = tail[v] * 0 + float(ds[v].isel(year=slice(-11, None)).mean())
        elif how == "zero":
            tail[v] = tail[v] * 0.0
    out = xr.concat([ds, tail], dim="year", combine_attrs="override")
    out.attrs["extended"] = f"{last + 1}-{end}: {EXTEND[how]}" + (
        "; solar and volcanic ERF at their last-11-year means" if "solar" in ds else ""
    )
    return out


def _scenario_arrays(ds: xr.Dataset, missing: str):
    """(years, emis[scenario, year, species], natural) of a Dataset with a ``scenario``
    dimension; natural forcing must be the same for every scenario."""
    labels = [str(v) for v in ds["scenario"].values] if "scenario" in ds.coords else None
    emis, natural, years = [], None, None
    for i in range(ds.sizes["scenario"]):
        one = ds.isel(scenario=i, drop=True)
        label = labels[i] if labels else str(i)
        one.attrs["scenario"] = label
        y, e, n = scenarios.to_arrays(one, missing=missing)
        if natural is not None and not np.array_equal(n, natural):
            raise scenarios.ScenarioError(
                f"scenario {label}: solar/volcanic forcing differs from the first scenario's; "
                "run scenarios with different natural forcing separately"
            )
        years, natural = y, n
        emis.append(e)
    return years, np.stack(emis), natural


#: Keyword arguments of :func:`esm.scenarios.complete.complete` that runs pass through.
COMPLETION_DEFAULTS = {
    "history": "ssp245",
    "harmonise": "auto",
    "converge": 2050,
    "background": "ssp245",
}

#: Dataset attributes set by completion and extension that runs copy into their output.
INPUT_ATTRS = (
    "extended",
    "history_splice",
    "harmonisation",
    "harmonisation_year",
    "harmonisation_converge",
    "infilled",
    "completed_by",
)


def _complete(ds: xr.Dataset, missing: str, completion) -> xr.Dataset:
    """Splice a Dataset that starts after 1750 onto history (and fill missing species) with
    :func:`esm.scenarios.complete.complete`, unless ``completion["history"]`` is None."""
    from esm.scenarios.complete import HISTORY_FIRST_YEAR, MISSING, complete

    options = {**COMPLETION_DEFAULTS, **(completion or {})}
    unknown = set(options) - set(COMPLETION_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown completion option(s) {', '.join(sorted(unknown))}")
    if missing not in MISSING:
        raise ValueError(f"missing must be one of {', '.join(MISSING)}, not {missing!r}")
    late = int(ds["year"].values[0]) > HISTORY_FIRST_YEAR
    if options["history"] is None:  # explicit: the first year is the pre-industrial state
        if missing in ("background", "quantile"):
            raise ValueError(f"missing={missing!r} needs history (history=None given)")
        return ds
    if not late and missing in ("error", "zero"):
        return ds
    return complete(ds, missing=missing, **options)


def _require_years(ds: xr.Dataset) -> str:
    """The scenario's name, after checking that it has a ``year`` coordinate of >= 2 years."""
    name = ds.attrs.get("scenario", "scenario")
    if "year" not in ds.coords:
        raise scenarios.ScenarioError(f"{name}: no 'year' coordinate")
    if ds.sizes.get("year", 0) < 2:
        raise scenarios.ScenarioError(
            f"{name}: {ds.sizes.get('year', 0)} year(s) of data; a scenario needs at least 2"
        )
    return name


def prepare(
    scenario="ssp245",
    start=None,
    end=None,
    missing="error",
    extend=None,
    completion=None,
    copy=True,
):
    """Resolve a scenario name or Dataset into (Dataset, years, emis, natural): see
    :func:`_prepare`. A shipped scenario run from its first year without ``extend`` (the common
    case, which warns about nothing) is prepared once per process and copied on each call
    (``copy=False``: the cached objects themselves, for callers that only read them)."""
    if isinstance(scenario, str) and start is None and extend is None:
        if end is not None:
            end = check_count("end", end, minimum=None)
        ds, years, emis, natural = _prepare_shipped(scenario, end, missing)
        if not copy:
            return ds, years, emis, natural
        return ds.copy(deep=False), years.copy(), emis.copy(), natural.copy()
    return _prepare(scenario, start, end, missing, extend, completion)


@functools.lru_cache(maxsize=16)
def _prepare_shipped(name: str, end, missing: str):
    return _prepare(name, None, end, missing, None, None)


def _prepare(
    scenario="ssp245", start=None, end=None, missing="error", extend=None, completion=None
):
    """Resolve a scenario name or Dataset into (Dataset, years, emis, natural).

    ``start``/``end`` must lie within the scenario's years; ``extend`` (:data:`EXTEND`) runs a
    scenario past its last year, stated in the Dataset's ``extended`` attribute and a warning.
    A scenario Dataset that starts after 1750 is spliced onto the shipped history and
    harmonised (:func:`esm.scenarios.complete.complete`, options ``completion``:
    :data:`COMPLETION_DEFAULTS`; ``{"history": None}`` runs it with its first year as the
    pre-industrial steady state instead); ``missing`` is ``"error"``, ``"zero"``,
    ``"background"`` or ``"quantile"`` (see there).
    """
    if start is not None:
        start = check_count("start", start, minimum=None)
    if end is not None:
        end = check_count("end", end, minimum=None)
    if extend is not None and extend not in EXTEND:
        raise ValueError(f"extend must be one of {', '.join(EXTEND)} or None, not {extend!r}")
    if isinstance(scenario, str):
        full = scenarios.load(scenario)
        if end is None:
            end = 2100
    elif isinstance(scenario, xr.Dataset):
        _require_years(scenario)
        full = _complete(scenario, missing, completion)
    else:
        raise TypeError(f"scenario must be a name or an xarray.Dataset, not {type(scenario)}")
    name = _require_years(full)
    first, last = int(full["year"].values[0]), int(full["year"].values[-1])
    if start is not None and start < first:
        raise scenarios.ScenarioError(
            f"{name}: start {start} is before the scenario's first year {first}; the "
            f"emissions begin there (start={first} or later)"
        )
    if start is not None and end is not None and end <= start:
        raise scenarios.ScenarioError(f"{name}: end {end} must be after start {start}")
    if end is not None and end > last:
        if extend is None:
            raise scenarios.ScenarioError(
                f"{name}: end {end} is after the scenario's last year {last}; pass "
                f"extend='constant' (emissions held at their {last} values) or extend='zero' "
                "to run on (stated in the output attributes), or end <= "
                f"{last}"
            )
        full = _extend(full, end, extend)
        warnings.warn(f"{name}: extended {full.attrs['extended']}", UserWarning, stacklevel=3)
    if end is not None and end <= first:
        raise scenarios.ScenarioError(
            f"{name}: end {end} leaves no year after the first year {first}"
        )
    ds = full.sel(year=slice(start, end)) if (start is not None or end is not None) else full
    missing = "error" if missing in ("background", "quantile") else missing  # done above
    if "scenario" in ds.dims:
        years, emis, natural = _scenario_arrays(ds, missing)
    else:
        years, emis, natural = scenarios.to_arrays(ds, missing=missing)
    if start is not None and start > first:
        warnings.warn(
            f"the run starts in {years[0]}, after the scenario's first year {first}: the model "
            f"takes {years[0]} as a pre-industrial steady state (CO2 = co2_pi, no warming)",
            UserWarning,
            stacklevel=3,
        )
    return ds, years, emis, natural


def run(
    scenario: str | xr.Dataset = "ssp245",
    params: Mapping[str, float] | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
    co2: xr.DataArray | None = None,
    variables: Iterable[str] | None = None,
    substeps: int = SUBSTEPS,
    missing: str = "error",
    extend: str | None = None,
    history: str | xr.Dataset | None = "ssp245",
    harmonise: str | Mapping[str, str] = "auto",
    converge: int = 2050,
    background: str = "ssp245",
    return_state: bool = False,
    start_state=None,
):
    """Run one member and return annual results as an ``xarray.Dataset``.

    Parameters
    ----------
    scenario
        Name of a shipped scenario (``esm.scenarios.available()``; runs 1750-2100 unless
        ``start``/``end`` say otherwise) or a scenario Dataset (see :mod:`esm.scenarios`).
    params
        Parameter overrides by name (``esm.params.table()`` lists them with units and bounds).
    start, end
        First and last year (within the scenario's years; ``extend`` runs past its end). A
        ``start`` after the scenario's first year takes that year as the pre-industrial steady
        state (with a warning).
    co2
        Optional prescribed CO2 [ppm, annual means] on a ``year`` coordinate: those years are
        concentration-driven and ``emissions_co2_fossil`` returns the compatible emissions.
        The CO2 at the end of each year is set to the mean of adjacent annual means, so the
        model's annual mean differs from the prescribed one by a quarter of the local second
        difference (at most 0.45 ppm for observed CO2, < 0.01 ppm for 1 %/yr growth).
    variables
        Output variables (default: every variable of ``esm.metadata.OUTPUTS``).
    substeps
        Carbon-cycle / energy-balance sub-steps per year.
    missing
        Species absent from a scenario Dataset: ``"error"`` (default), ``"zero"`` (zero
        emissions), ``"background"`` (from the shipped scenario ``background``) or
        ``"quantile"`` (quantile infilling from the shipped SSPs; see
        :func:`esm.scenarios.complete.complete`). Filled species are listed in the ``infilled``
        attribute and a warning.
    extend
        ``"constant"`` or ``"zero"``: run past the scenario's last year (otherwise ``end``
        beyond it is an error); stated in the ``extended`` attribute.
    return_state
        Also return the :class:`esm.State` after the last year: ``ds, state = esm.run(...,
        return_state=True)``.
    start_state
        Continue from an :class:`esm.State` (``state.year + 1`` to ``end``) instead of the
        pre-industrial steady state: the result equals the uninterrupted run bit for bit. The
        scenario must have the year after the state's; its earlier years are not used, nothing
        is spliced, and ``params`` (default: the state's) must equal the state's.
    history, harmonise, converge, background
        A scenario Dataset that starts after 1750 (e.g. an IAM scenario from 2015) is spliced
        onto the shipped history ``history`` and harmonised to it in its first year
        (``harmonise``: ``"auto"``, ``"ratio"``, ``"offset"``, ``"none"`` or a dict by species,
        converging by ``converge``), stated in one warning and the attributes
        ``history_splice`` and ``harmonisation``. ``history=None`` instead takes the first
        year as a pre-industrial steady state (only when asked for: the climate is then that
        of a world without earlier emissions).

    Returns
    -------
    xarray.Dataset
        Annual outputs on a ``year`` coordinate (names and units: :data:`esm.metadata.OUTPUTS`;
        a ``scenario`` dimension for a Dataset of several scenarios); with ``return_state``,
        ``(Dataset, esm.State)``.

    Raises
    ------
    esm.ScenarioError
        Invalid scenario input (names the variable, the year and the problem).
    ValueError, KeyError
        Unknown or out-of-bounds parameters, non-integer counts, inconsistent options.
    esm.ModelError
        The integration left the physically valid domain (names member, year, state and the
        likely cause).
    """
    substeps = check_count("substeps", substeps)
    names = list(variables) if variables is not None else list(metadata.OUTPUTS)
    if start_state is not None:
        return _continue(
            scenario, params, start_state, end, co2, names, substeps, missing, return_state
        )
    pvec = _params_vector(params)
    completion = {
        "history": history,
        "harmonise": harmonise,
        "converge": converge,
        "background": background,
    }
    # read only below (the kernel does not write its inputs): no copy of a cached scenario
    ds, years, emis, natural = prepare(
        scenario, start, end, missing, extend, completion, copy=False
    )
    co2_end = co2_targets(co2, years, pvec)
    many = emis.ndim == 3
    if return_state:
        if many:
            raise ValueError("return_state needs one scenario, not a 'scenario' dimension")
        return _run_with_state(ds, years, emis, natural, co2_end, pvec, names, substeps, params)
    n = emis.shape[0] if many else 1
    raw, needed, _ = integrate(
        emis,
        natural,
        co2_end,
        np.tile(pvec, (n, 1)),
        substeps,
        names,
        emis_index=np.arange(n),
        years=years,
    )
    attrs = {
        "scenario": ds.attrs.get("scenario", "user"),
        "substeps": int(substeps),
        "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        or "none (defaults)",
    }
    for key in INPUT_ATTRS:
        if key in ds.attrs:
            attrs[key] = ds.attrs[key]
    if co2 is not None:
        attrs["co2_mode"] = "concentration-driven where co2 is given"
    if not many:
        return to_dataset(years, raw, needed, names, attrs)
    attrs["scenario"] = ", ".join(map(str, ds["scenario"].values))
    out = to_dataset(years, raw, needed, names, attrs, member_dim=True).rename(member="scenario")
    coords = {c: ds[c] for c in ds.coords if c != "year" and ds[c].dims == ("scenario",)}
    coords.setdefault("scenario", ("scenario", np.arange(n)))
    return out.assign_coords(coords)


#: Bits of the ``status`` variable of :func:`run_many` (the kernel's status codes) and their
#: CF flag meanings. Every bit but ``STATUS_CHEMISTRY_RANGE`` (a warning) marks a failed run.
STATUS_FLAGS = {
    layout.STATUS_NONFINITE: "state_not_finite",
    layout.STATUS_NEGATIVE_POOL: "negative_carbon_pool_or_concentration",
    layout.STATUS_CHEMISTRY_RANGE: "ocean_carbonate_chemistry_extrapolated",
    layout.STATUS_LIFETIME_RANGE: "ch4_lifetime_factor_out_of_range",
    layout.STATUS_CONC_SOLVER: "co2_emissions_solver_not_converged",
}


def _scenario_items(given) -> tuple[list, bool]:
    """[(label or None, scenario name or Dataset)] of ``run_many``'s ``scenarios`` and
    whether it is a single scenario (a name or a Dataset without a ``scenario`` dimension)."""
    if isinstance(given, str | xr.Dataset):
        return [(None, given)], not (isinstance(given, xr.Dataset) and "scenario" in given.dims)
    if isinstance(given, Mapping):
        items = [(str(k), v) for k, v in given.items()]
    elif isinstance(given, Iterable) and not isinstance(given, bytes):
        items = [(None, v) for v in given]
    else:
        raise TypeError(
            "scenarios must be a scenario name, an xarray.Dataset, or a list or dict of them, "
            f"not {type(given).__name__}"
        )
    if not items:
        raise ValueError(
            "scenarios is empty; give a scenario name, a Dataset or a list of them, "
            "e.g. ['ssp126', 'ssp245']"
        )
    known = scenarios.available()
    for i, (label, v) in enumerate(items):
        if not isinstance(v, str | xr.Dataset):
            which = repr(label) if label is not None else i
            raise TypeError(
                f"scenarios[{which}] is a {type(v).__name__}, not a scenario name or an "
                "xarray.Dataset"
            )
        if isinstance(v, str) and v not in known:
            scenarios.load(v)  # raises ScenarioError naming the available scenarios
    return items, False


def _prepare_many(items, start, end, missing, extend, completion):
    """Prepare every scenario of ``items`` (as :func:`prepare`); returns (labels, years,
    emis[scenario, year, species], natural, scenario coordinates, attributes by scenario)."""
    labels, emis, parts = [], [], []
    years = natural = None
    first_label = None
    for i, (label, sc) in enumerate(items):
        ds, y, e, nat = prepare(sc, start, end, missing, extend, completion)
        if e.ndim == 2:
            if label is None:
                label = sc if isinstance(sc, str) else str(sc.attrs.get("scenario", i))
            names = [label]
            e = e[None]
        elif "scenario" in ds.coords:
            names = [str(v) for v in ds["scenario"].values]
        else:
            names = [str(j) for j in range(e.shape[0])]
        if years is None:
            years, natural, first_label = y, nat, names[0]
        elif not np.array_equal(y, years):
            raise scenarios.ScenarioError(
                f"scenarios cover different years: {first_label!r} {years[0]}-{years[-1]}, "
                f"{names[0]!r} {y[0]}-{y[-1]}; pass start= and end= that every scenario covers"
            )
        elif not np.array_equal(nat, natural):
            raise scenarios.ScenarioError(
                f"scenario {names[0]!r}: solar/volcanic forcing differs from that of "
                f"{first_label!r}; run scenarios with different natural forcing separately"
            )
        labels += names
        emis.append(e)
        parts.append((names, ds))
    seen = set()
    for label in labels:
        if label in seen:
            raise ValueError(
                f"scenarios: {label!r} is given twice; give each scenario once, or name them "
                "with a dict of label -> scenario"
            )
        seen.add(label)
    coords = {"scenario": ("scenario", labels)}
    if len(parts) == 1 and "scenario" in parts[0][1].dims:  # as esm.run labels it
        ds = parts[0][1]
        coords = {c: ds[c] for c in ds.coords if c != "year" and ds[c].dims == ("scenario",)}
        coords.setdefault("scenario", ("scenario", np.arange(len(labels))))
    return labels, years, np.concatenate(emis), natural, coords, parts


def _input_attrs(parts) -> dict:
    """:data:`INPUT_ATTRS` of the prepared scenarios: one value when every scenario that has
    the attribute agrees, else ``"label: value; ..."``."""
    out = {}
    for key in INPUT_ATTRS:
        found = [(", ".join(names), ds.attrs[key]) for names, ds in parts if key in ds.attrs]
        if not found:
            continue
        values = [v for _, v in found]
        if len(found) == len(parts) and all(str(v) == str(values[0]) for v in values):
            out[key] = values[0]
        else:
            out[key] = "; ".join(f"{label}: {v}" for label, v in found)
    return out


def _member_table(values, members, seed, source):
    """(pmatrix[member, parameter], table of the given parameters (rows = members), posterior
    rows drawn or None, attributes, whether one parameter set was given)."""
    import pandas as pd

    if members is not None:
        if isinstance(values, pd.DataFrame):
            raise ValueError(
                "give members= (drawn from source) or a parameter table as params, not both"
            )
        if values is not None and not isinstance(values, Mapping):
            raise TypeError(
                "with members=, params must be a mapping of overrides applied to every member, "
                f"not {type(values).__name__}"
            )
        from esm.ensembles import draw

        table = draw(members, seed, source)
        source_text = source if isinstance(source, str) else "user table"
        attrs = {"parameter_source": source_text, "seed": seed}
    elif values is None or isinstance(values, Mapping):
        given = dict(values or {})
        pvec = _params_vector(given)  # the messages of esm.run
        table = pd.DataFrame([given] if given else {}, index=pd.RangeIndex(1, name="member"))
        attrs = {"parameter_source": "defaults" + (" and params" if given else "")}
        changed = ", ".join(f"{k}={v}" for k, v in given.items()) or "none (defaults)"
        return pvec[None], table, None, {**attrs, "parameters_changed": changed}, True
    elif isinstance(values, pd.DataFrame):
        if len(values) == 0:
            raise ValueError("params: the parameter table has no rows (one row per member)")
        table = values.copy()
        attrs = {"parameter_source": "user table"}
    else:
        raise TypeError(
            "params must be None, a mapping of parameter name to value or a pandas DataFrame "
            f"(rows = members), not {type(values).__name__}"
        )
    posterior = table.pop("posterior_member") if "posterior_member" in table.columns else None
    if members is not None:
        for name, value in (values or {}).items():
            table[name] = value
        changed = ", ".join(f"{k}={v}" for k, v in (values or {}).items())
        attrs["parameters_changed"] = f"{changed} (every member)" if changed else "none"
    return np.ascontiguousarray(params.matrix(table)), table, posterior, attrs, False


def parameter_variables(table, posterior=None) -> dict:
    """Data variables (dimension ``member``) of the parameter columns of ``table`` with units
    and long names, and ``posterior_member`` (the rows of the shipped posterior drawn). A
    choice parameter given by name (``ebm_layers="two-layer"``) is stored as its number."""

    def column(name):
        if params.PARAMETERS[name].choices is None:
            return table[name].to_numpy(float)
        return np.array([params.check_value(name, v) for v in table[name]], dtype=float)

    out = {
        name: (
            "member",
            column(name),
            {
                "units": params.PARAMETERS[name].units,
                "long_name": f"parameter: {params.PARAMETERS[name].description}",
            },
        )
        for name in table.columns
    }
    if posterior is not None:
        out["posterior_member"] = (
            "member",
            np.asarray(posterior),
            {"long_name": "row of the shipped posterior (esm.params.posterior()) drawn"},
        )
    return out


def _co2_sets(co2, co2_end, labels, years, pmatrix) -> np.ndarray:
    """End-of-year CO2 targets [scenario, year] (NaN: emission-driven) from ``co2`` (annual
    means) or ``co2_end`` (end-of-year values), each on ``year`` and optionally ``scenario``."""
    if co2 is not None and co2_end is not None:
        raise ValueError("give co2 (annual means) or co2_end (end-of-year values), not both")
    if co2 is None and co2_end is None:
        return np.full((len(labels), years.size), np.nan)
    name, given = ("co2", co2) if co2 is not None else ("co2_end", co2_end)
    if not isinstance(given, xr.DataArray) or "year" not in given.dims:
        raise scenarios.ScenarioError(f"{name} must be an xarray.DataArray with a 'year' dimension")
    other = [d for d in given.dims if d not in ("year", "scenario")]
    if other:
        raise scenarios.ScenarioError(
            f"{name}: dimension(s) {', '.join(map(str, other))} besides 'year' and 'scenario'"
        )
    rows = []
    for label in labels:
        one = given
        if "scenario" in given.dims:
            have = [str(v) for v in given["scenario"].values] if "scenario" in given.coords else []
            if label not in have:
                raise scenarios.ScenarioError(
                    f"{name} has no scenario {label!r} (it has {', '.join(have) or 'no labels'})"
                )
            one = given.isel(scenario=have.index(label), drop=True)
        if co2 is not None:
            # the first year is the steady state of each member: check every co2_pi
            co2_pi = pmatrix[:, layout.P_CO2_PI]
            for m in np.unique(co2_pi, return_index=True)[1]:
                targets = co2_targets(one, years, pmatrix[m])
            rows.append(targets)
        else:
            c = one.reindex(year=years).values.astype(np.float64)
            if np.any(c[np.isfinite(c)] <= 0):
                raise scenarios.ScenarioError("co2_end: concentrations must be positive")
            rows.append(c)
    return np.stack(rows)


def _check_run_memory(n_runs: int, n_years: int, n_columns: int, n_names: int) -> None:
    """Refuse a :func:`run_many` call whose arrays (kernel output, its transposed copy and the
    derived values) would not fit into the available memory."""
    from esm.ensembles import EnsembleMemoryError, available_memory

    need = 8.0 * n_runs * n_years * (2 * n_columns + n_names)
    have = available_memory()
    if have is not None and need > have:
        raise EnsembleMemoryError(
            f"run_many: {n_runs} runs x {n_years} years x {n_names} variables need about "
            f"{need / 1e9:.3g} GB of memory but {have / 1e9:.3g} GB are available; use "
            "esm.ensemble (chunked, percentiles=[...]) or fewer members, variables or years"
        )


def run_many(
    scenarios: str | xr.Dataset | Iterable | Mapping = "ssp245",
    params=None,
    *,
    members: int | None = None,
    seed: int = 0,
    source="posterior",
    variables: Iterable[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    co2: xr.DataArray | None = None,
    co2_end: xr.DataArray | None = None,
    substeps: int = SUBSTEPS,
    check: bool = True,
    missing: str = "error",
    extend: str | None = None,
    history: str | xr.Dataset | None = "ssp245",
    harmonise: str | Mapping[str, str] = "auto",
    converge: int = 2050,
    background: str = "ssp245",
    gsat_reference: tuple[int, int] | None = GSAT_REFERENCE,
    squeeze: bool = False,
) -> xr.Dataset:
    """Run every scenario for every parameter set in one kernel call; return one Dataset.

    The batch API behind :func:`esm.run`-like work on many runs: each scenario is resolved and
    completed as :func:`esm.run` does it, and all scenario x member runs go to the compiled
    kernel at once (numba threads over runs). Each run depends only on its scenario and
    parameters, so scenario ``i``, member ``j`` equals ``esm.run(scenario_i, params_j)`` bit
    for bit, and ``run_many(s, members=N)`` equals the full output of
    ``esm.ensemble(s, members=N)``.

    Parameters
    ----------
    scenarios
        A shipped scenario name (``esm.scenarios.available()``), a scenario Dataset, a
        Dataset with a ``scenario`` dimension, or a list (or dict of label -> scenario) of
        names and Datasets. The ``scenario`` coordinate holds the dict keys, else the names,
        else each Dataset's ``scenario`` attribute (its position in the list when it has
        none); labels must be unique. Every scenario must cover the same years (after
        ``start``/``end``/``extend``) with the same solar and volcanic forcing.
    params
        ``None`` (default parameters, one member), a mapping of parameter name to value (one
        member), or a pandas DataFrame with one row per member and one column per parameter
        (e.g. :func:`esm.ensembles.draw`; parameters not given keep their defaults; a
        ``posterior_member`` column is kept as a variable). With ``members``, a mapping of
        overrides applied to every drawn member.
    members, seed, source
        Draw ``members`` parameter sets from ``source`` (``"posterior"``, ``"prior"`` or a
        DataFrame) with ``seed``, as :func:`esm.ensemble` does (:func:`esm.ensembles.draw`).
    variables
        Output variables (default: the output contract ``esm.metadata.PUBLIC``, as
        :func:`esm.ensemble`; ``list(esm.metadata.OUTPUTS)`` gives all of them).
    start, end, missing, extend, history, harmonise, converge, background, substeps
        As for :func:`esm.run` (a shipped scenario runs to 2100 unless ``end`` says otherwise).
    co2
        Prescribed CO2 [ppm, annual means] on ``year`` (and optionally ``scenario``, by label),
        as for :func:`esm.run`: those years are concentration-driven.
    co2_end
        Prescribed CO2 at the end of each year [ppm] on ``year`` (and optionally
        ``scenario``), used as given (NaN or absent years: emission-driven); this is how the
        idealised experiments prescribe CO2 (:func:`esm.experiments.scenario`). Give ``co2``
        or ``co2_end``, not both.
    check
        ``True``: a run that leaves the physical domain raises :class:`esm.ModelError`
        (naming scenario, member, year, state and likely cause). ``False``: it does not
        raise; its values are NaN and the ``status`` variable is non-zero (the calibration
        gives such members zero weight).
    gsat_reference
        Years (first, last) whose mean ``gsat`` is relative to (default 1850-1900), or
        ``None``: relative to the pre-industrial steady state at the start of the run.
    squeeze
        Drop the ``scenario`` dimension when ``scenarios`` is a single scenario (a name or a
        Dataset without a ``scenario`` dimension), and the ``member`` dimension when
        ``params`` is one parameter set (``None`` or a mapping, without ``members``). The rule
        depends on the kind of input, never on a length: a list of one scenario or a table of
        one row keeps its dimension.

    Returns
    -------
    xarray.Dataset
        The ``variables`` on dimensions (``scenario``, ``member``, ``year``) with the units and
        long names of :data:`esm.metadata.OUTPUTS`; ``status`` (``scenario``, ``member``):
        the kernel's status flags (0: ok; CF ``flag_masks``/``flag_meanings``, see
        :data:`STATUS_FLAGS`); the parameters given (the table's columns, the mapping's
        names or the drawn posterior) as variables on ``member`` with units, as in
        :func:`esm.ensemble`; coordinates ``scenario`` (labels) and ``member`` (the table's
        index, else 0..n-1). Attributes: ``scenario`` (the labels), ``members``,
        ``parameter_source``, ``parameters_changed``, ``seed`` (when drawn), ``substeps``,
        ``gsat_reference`` and those of scenario completion (``history_splice``, ...).

    Raises
    ------
    esm.ScenarioError
        Unknown scenario, invalid scenario input, scenarios with different years or natural
        forcing, invalid ``co2``/``co2_end``.
    ValueError, KeyError, TypeError
        Empty ``scenarios``, a label given twice, unknown or out-of-bounds parameters (a table
        column that is not a parameter raises ``KeyError``), unknown ``variables``,
        ``members`` with a parameter table, both ``co2`` and ``co2_end``.
    esm.ensembles.EnsembleMemoryError
        The runs' arrays would not fit into the available memory (before anything runs).
    esm.ModelError
        With ``check=True``: a run left the physically valid domain.

    Examples
    --------
    >>> ds = esm.run_many(["ssp126", "ssp585"], members=100)           # doctest: +SKIP
    >>> ds["gsat"].sel(year=2100).quantile([0.05, 0.5, 0.95], "member")  # doctest: +SKIP
    """
    substeps = check_count("substeps", substeps)
    names = check_variables(metadata.PUBLIC if variables is None else variables)
    _, needed = kernel_columns(names)
    if gsat_reference is not None:
        lo, hi = (check_count("gsat_reference", y, minimum=None) for y in gsat_reference)
        if hi < lo:
            raise ValueError(f"gsat_reference: last year {hi} is before first year {lo}")
        gsat_reference = (lo, hi)
    if extend is not None and extend not in EXTEND:
        raise ValueError(f"extend must be one of {', '.join(EXTEND)} or None, not {extend!r}")
    items, one_scenario = _scenario_items(scenarios)
    pmatrix, table, posterior, param_attrs, one_member = _member_table(
        params, members, seed, source
    )
    completion = {
        "history": history,
        "harmonise": harmonise,
        "converge": converge,
        "background": background,
    }
    labels, years, emis, natural, coords, parts = _prepare_many(
        items, start, end, missing, extend, completion
    )
    targets = _co2_sets(co2, co2_end, labels, years, pmatrix)
    n_s, n_m = len(labels), len(pmatrix)
    _check_run_memory(n_s * n_m, years.size, len(needed), len(names))

    member_ids = table.index.values
    named = not np.array_equal(member_ids, np.arange(n_m))

    def member_label(k: int) -> str:
        i, j = divmod(int(k), n_m)
        who = f"member {j} of {n_m}" + (f" ({member_ids[j]!r})" if named else "")
        return who if n_s == 1 else f"scenario {labels[i]!r}, {who}"

    pm, index = np.tile(pmatrix, (n_s, 1)), np.repeat(np.arange(n_s), n_m)
    raw, needed, status = integrate(
        emis, natural, targets, pm, substeps, names, emis_index=index, check=False
    )
    if check:  # raises ModelError for a failed run; warns (to the caller) about the chemistry
        inputs = (emis, index, natural, targets, pm, substeps, _steady_start(emis, len(pm)))
        _check_status(status, raw, needed, years, inputs, member_label)
    failed = (status & ~layout.STATUS_CHEMISTRY_RANGE) != 0
    if failed.any():  # only with check=False
        raw[failed] = np.nan
    values, reference = derive(years, raw, needed, names, gsat_reference)
    reference = reference or gsat_reference_text(years, gsat_reference)
    attrs = {
        "scenario": ", ".join(labels),
        "members": n_m,
        **param_attrs,
        "substeps": int(substeps),
        "gsat_reference": reference,
        **_input_attrs(parts),
    }
    if co2 is not None:
        attrs["co2_mode"] = "concentration-driven where co2 is given"
    if co2_end is not None:
        attrs["co2_mode"] = "concentration-driven where co2_end (end-of-year CO2) is given"
    out = wrap(
        years,
        values.reshape(len(names), n_s, n_m, years.size),
        names,
        ("scenario", "member", "year"),
        coords={**coords, "member": member_ids},
        attrs=attrs,
        gsat_reference_text=reference,
    )
    flags = np.array(list(STATUS_FLAGS), dtype=np.int64)
    extra = parameter_variables(table, posterior)
    extra["status"] = (
        ("scenario", "member"),
        status.reshape(n_s, n_m),
        {
            "long_name": "kernel status flags of the run (0: ok; non-zero other than "
            f"{layout.STATUS_CHEMISTRY_RANGE}: failed, values NaN)",
            "flag_masks": flags,
            "flag_meanings": " ".join(STATUS_FLAGS.values()),
        },
    )
    out = out.assign(extra)
    if squeeze and one_scenario:
        out = out.isel(scenario=0, drop=True)
    if squeeze and one_member:
        out = out.isel(member=0, drop=True)
    return out


def _attrs(scenario_name, substeps, params) -> dict:
    return {
        "scenario": scenario_name,
        "substeps": int(substeps),
        "parameters_changed": ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        or "none (defaults)",
    }


def _make_state(year, pvec, start: Restart, end: Restart, offset, reference, substeps, name):
    from esm.state import State

    return State(
        year=int(year),
        params=pvec.copy(),
        emis0=np.array(start.emis0[0]),
        halogens=np.array(end.halogens[0]),
        vector=np.array(end.vector[0]),
        gsat_offset=float(offset[0, 0]),
        gsat_reference=reference,
        substeps=int(substeps),
        scenario=name,
        esm_version=_esm_version(),
    )


def _run_with_state(ds, years, emis, natural, co2_end, pvec, names, substeps, params):
    """:func:`run` from the steady state, returning (Dataset, State)."""
    kernel_names = names if "gsat" in names else [*names, "gsat"]
    ends: list[Restart] = []
    start = _steady_start(emis[None], 1)
    raw, needed, _ = integrate(
        emis, natural, co2_end, pvec, substeps, kernel_names, years=years, start=start,
        end_state=ends,
    )  # fmt: skip
    t = raw[:, :, needed.index("temperature")]
    offset, reference = gsat_offset(years, t)
    name = ds.attrs.get("scenario", "user")
    attrs = _attrs(name, substeps, params)
    for key in INPUT_ATTRS:
        if key in ds.attrs:
            attrs[key] = ds.attrs[key]
    values, _ = derive(years, raw, needed, names, offset=(offset, reference))
    out = wrap(years, values[:, 0], names, attrs=attrs, gsat_reference_text=reference)
    state = _make_state(years[-1], pvec, start, ends[0], offset, reference, substeps, name)
    return out, state


def _continue(scenario, params, state, end, co2, names, substeps, missing, return_state):
    """:func:`run` from ``state`` (``start_state``)."""
    from esm.state import State

    if not isinstance(state, State):
        raise TypeError(f"start_state must be an esm.State, not {type(state)}")
    pvec = state.params if params is None else _params_vector(params)
    if not np.array_equal(pvec, state.params):
        differ = [n for n, a, b in zip(layout.PARAM_NAMES, pvec, state.params, strict=True)
                  if a != b]  # fmt: skip
        raise ValueError(
            f"start_state was made with other parameters ({', '.join(differ[:5])} differ); "
            "continue with the state's parameters (params=None)"
        )
    if substeps != state.substeps:
        raise ValueError(f"start_state was made with substeps={state.substeps}, not {substeps}")
    if isinstance(scenario, str):
        full = scenarios.load(scenario)
        end = 2100 if end is None else end
    elif isinstance(scenario, xr.Dataset):
        full = scenario
    else:
        raise TypeError(f"scenario must be a name or an xarray.Dataset, not {type(scenario)}")
    name = full.attrs.get("scenario", "user")
    first = state.year + 1
    if end is not None:
        end = check_count("end", end, minimum=None)
        if end < first:
            raise scenarios.ScenarioError(
                f"{name}: end {end} is before the first year after the state ({first})"
            )
    if "scenario" in full.dims:
        raise ValueError("start_state continues one scenario, not a 'scenario' dimension")
    ds = full.sel(year=slice(first, end))
    if ds.sizes.get("year", 0) == 0 or int(ds["year"].values[0]) != first:
        raise scenarios.ScenarioError(
            f"{name}: no emissions for {first}, the year after the state's ({state.year}); "
            "give a scenario that covers it"
        )
    years, emis, natural = scenarios.to_arrays(ds, missing=missing, min_years=1)
    co2_end = co2_targets(co2, years, pvec, steady_first=False)
    kernel_names = names if "gsat" in names else [*names, "gsat"]
    start = Restart(state.emis0[None], state.halogens[None], state.vector[None])
    ends: list[Restart] = []
    raw, needed, _ = integrate(
        emis, natural, co2_end, pvec, substeps, kernel_names, years=years, start=start,
        end_state=ends,
    )  # fmt: skip
    offset = np.full((1, 1), state.gsat_offset)
    values, _ = derive(years, raw, needed, names, offset=(offset, state.gsat_reference))
    attrs = _attrs(name, substeps, None)
    attrs["parameters_changed"] = "those of the state"
    attrs["continued_from"] = f"state at the end of {state.year} ({state.scenario})"
    out = wrap(years, values[:, 0], names, attrs=attrs, gsat_reference_text=state.gsat_reference)
    if not return_state:
        return out
    return out, _make_state(
        years[-1], pvec, start, ends[0], offset, state.gsat_reference, substeps, name
    )


def _params_vector(values) -> np.ndarray:
    if values is None:
        return params.vector()
    if not isinstance(values, Mapping):
        raise TypeError(f"params must be a mapping of parameter name to value, not {type(values)}")
    return params.vector(values)


def co2_targets(co2, years, pvec, steady_first=True) -> np.ndarray:
    """End-of-year CO2 targets from a user ``co2`` DataArray (NaN where not prescribed);
    ``steady_first``: the first year is the steady state, so a prescribed value there must be
    ``co2_pi``."""
    if co2 is None:
        return np.full(years.size, np.nan)
    if not isinstance(co2, xr.DataArray) or "year" not in co2.dims:
        raise scenarios.ScenarioError("co2 must be an xarray.DataArray with a 'year' dimension")
    c = co2.reindex(year=years).values.astype(np.float64)
    if np.any(c[np.isfinite(c)] <= 0):
        raise scenarios.ScenarioError("co2: concentrations must be positive")
    if steady_first and np.isfinite(c[0]) and abs(c[0] - pvec[layout.P_CO2_PI]) > 0.01:
        raise scenarios.ScenarioError(
            f"co2: prescribed {c[0]:.2f} ppm in the first year {years[0]} but co2_pi = "
            f"{pvec[layout.P_CO2_PI]:.2f}; the first year is the steady state, so pass "
            f"params={{'co2_pi': {c[0]:.2f}}}"
        )
    return co2_end_targets(c)
