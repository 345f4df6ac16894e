"""Model parameters: each declared once (default, units, bounds, source, meaning).

Groups: :mod:`esm.params.carbon` (pre-industrial state, ocean, land), :mod:`esm.params.gases`
(CH4, N2O), :mod:`esm.params.forcing` (ERF), :mod:`esm.params.climate` (energy balance and
feedback switches); per-gas properties of the 40 halogenated gases in ``halogens.csv``.

>>> from esm import params
>>> params.defaults()["co2_fertilisation"]  # doctest: +SKIP
>>> params.table()                          # a pandas DataFrame, one row per parameter
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from importlib import resources

import numpy as np

from esm.kernels import layout
from esm.params import carbon, climate, forcing, gases, permafrost
from esm.params._prior import Prior
from esm.params._spec import CENTRAL_PREFIX, Param

__all__ = [
    "Param",
    "Prior",
    "PARAMETERS",
    "defaults",
    "vector",
    "matrix",
    "table",
    "uncertain",
    "sample_prior",
    "posterior",
    "halogen_table",
    "check_name",
]


#: File of the calibrated defaults (the posterior's central member), next to posterior.csv.
CENTRAL_FILE = "central.csv"


def _central_values() -> dict[str, float]:
    """``name -> value`` of :data:`CENTRAL_FILE` (comment lines ``#``, then ``name,value``)."""
    values: dict[str, float] = {}
    text = resources.files("esm.params").joinpath(CENTRAL_FILE).read_text(encoding="utf-8")
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not rows or rows[0].strip() != "name,value":
        raise RuntimeError(f"esm/params/{CENTRAL_FILE}: the first row must be 'name,value'")
    for ln in rows[1:]:
        name, value = ln.split(",")
        if name in values:
            raise RuntimeError(f"esm/params/{CENTRAL_FILE}: {name} is listed twice")
        values[name] = float(value)
    return values


def _apply_central(declared: dict[str, Param]) -> dict[str, Param]:
    """The declarations with the calibrated defaults of :data:`CENTRAL_FILE`: exactly the
    parameters whose source is ``central(...)`` must be listed there."""
    values = _central_values()
    marked = {n for n, p in declared.items() if p.source.startswith(CENTRAL_PREFIX)}
    unknown = sorted(set(values) - set(declared))
    unmarked = sorted(set(values) - marked - set(unknown))
    missing = sorted(marked - set(values))
    if unknown or unmarked or missing:
        raise RuntimeError(
            f"esm/params/{CENTRAL_FILE} and the declarations disagree: "
            + "; ".join(
                text
                for text in (
                    f"not declared: {unknown}" if unknown else "",
                    f"listed but their source is not central(...): {unmarked}" if unmarked else "",
                    f"declared central(...) but not listed: {missing}" if missing else "",
                )
                if text
            )
        )
    return {n: replace(p, default=values[n]) if n in values else p for n, p in declared.items()}


def _collect() -> dict[str, Param]:
    declared: dict[str, Param] = {}
    for module in (carbon, gases, forcing, climate, permafrost):
        for prm in module.PARAMS:
            if prm.name in declared:
                raise RuntimeError(f"parameter {prm.name} declared twice")
            declared[prm.name] = prm
    missing = [n for n in layout.PARAM_NAMES if n not in declared]
    extra = [n for n in declared if n not in layout.PARAM_NAMES]
    if missing or extra:
        raise RuntimeError(f"params/layout mismatch: undeclared {missing}, not in layout {extra}")
    declared = _apply_central(declared)
    return {name: declared[name] for name in layout.PARAM_NAMES}


#: All parameters in kernel (layout) order.
PARAMETERS: dict[str, Param] = _collect()

#: Position of each parameter in the kernel parameter vector.
PARAMETERS_INDEX: dict[str, int] = {name: i for i, name in enumerate(PARAMETERS)}


def defaults() -> dict[str, float]:
    """Default value of every parameter, in kernel order."""
    return {name: prm.default for name, prm in PARAMETERS.items()}


def check_name(name: str) -> None:
    """Raise ``KeyError`` naming close matches if ``name`` is not a parameter."""
    if name not in PARAMETERS:
        close = difflib.get_close_matches(name, PARAMETERS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown parameter {name!r}{hint} (see esm.params.table())")


def check_value(name: str, value: float) -> float:
    """Validate one value against its declaration; return it as float."""
    check_name(name)
    prm = PARAMETERS[name]
    if prm.choices is not None:
        return _check_choice(prm, value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"parameter {name}: value {value!r} is not a number") from None
    if not math.isfinite(v):
        raise ValueError(f"parameter {name}: value {v} is not finite")
    lo, hi = prm.bounds
    if not lo <= v <= hi:
        units = "" if prm.units == "1" else f" {prm.units}"
        raise ValueError(f"parameter {name} = {v}{units} is outside its allowed range [{lo}, {hi}]")
    return v


def _check_choice(prm, value) -> float:
    """The number a choice parameter stands for: a name of ``prm.choices`` or its value."""
    if isinstance(value, str) and value in prm.choices:
        return prm.choices[value]
    if not isinstance(value, str | bool):
        try:
            v = float(value)
        except (TypeError, ValueError):
            v = math.nan
        if v in prm.choices.values():
            return v
    named = ", ".join(f"{k!r} ({v:g})" for k, v in prm.choices.items())
    raise ValueError(f"parameter {prm.name}: {value!r} is not one of {named}")


#: Constraints that join several parameters, each within its own bounds: (names, test on the
#: columns -> True where valid, what goes wrong otherwise, what to do).
JOINT_CONSTRAINTS: tuple[tuple[tuple[str, ...], Callable, str, str], ...] = (
    (
        ("npp_fraction_vegetation", "npp_fraction_detritus"),
        lambda veg, det: veg + det <= 1.0,
        "NPP shares to vegetation and detritus sum to more than 1, so the soil would receive "
        "a negative share of NPP",
        "lower one of them (the soil receives 1 minus their sum)",
    ),
)


def check_joint(pmatrix: np.ndarray, labels=None) -> None:
    """Raise ``ValueError`` if a member of ``pmatrix`` (kernel order) violates
    :data:`JOINT_CONSTRAINTS`; the message names the member, the parameters and their values."""
    pmatrix = np.atleast_2d(pmatrix)
    for names, test, problem, remedy in JOINT_CONSTRAINTS:
        cols = [pmatrix[:, layout.PARAM_NAMES.index(n)] for n in names]
        bad = ~np.asarray(test(*cols), dtype=bool)
        if bad.any():
            i = int(np.argmax(bad))
            who = "" if labels is None else f" of member {labels[i]!r}"
            given = ", ".join(f"{n} = {c[i]:g}" for n, c in zip(names, cols, strict=True))
            raise ValueError(f"parameters{who}: {given}: {problem}; {remedy}")


def vector(overrides: Mapping[str, float] | None = None) -> np.ndarray:
    """Parameter vector for the kernels: defaults updated with validated ``overrides``."""
    values = defaults()
    for name, value in (overrides or {}).items():
        values[name] = check_value(name, value)
    out = np.array([values[n] for n in layout.PARAM_NAMES], dtype=np.float64)
    check_joint(out)
    return out


def table():
    """All declarations as a pandas DataFrame (index: name)."""
    import pandas as pd

    rows = [
        {
            "name": p.name,
            "group": p.group,
            "default": p.default,
            "units": p.units,
            "lower": p.bounds[0],
            "upper": p.bounds[1],
            "description": p.description,
            "source": p.source,
            "prior": p.prior.describe() if p.prior else "",
            "prior_source": p.prior.source if p.prior else "",
        }
        for p in PARAMETERS.values()
    ]
    return pd.DataFrame(rows).set_index("name")


@lru_cache(maxsize=1)
def halogen_table():
    """The halogenated-gas property table (``esm/params/halogens.csv``) as a DataFrame."""
    import pandas as pd

    with resources.files("esm.params").joinpath("halogens.csv").open() as fh:
        df = pd.read_csv(fh, comment="#").set_index("species")
    if tuple(df.index) != layout.HALOGEN_NAMES:
        raise RuntimeError("esm/params/halogens.csv species differ from esm.kernels.layout")
    return df


def halogen_array() -> np.ndarray:
    """Halogen properties as float64[N_HALOGENS, N_HALO] in ``layout.HALO_NAMES`` order."""
    return np.ascontiguousarray(halogen_table()[list(layout.HALO_NAMES)].to_numpy(np.float64))


def uncertain() -> list[str]:
    """Names of the parameters that have a prior (the ones ensembles vary)."""
    return [name for name, p in PARAMETERS.items() if p.prior is not None]


def matrix(values) -> np.ndarray:
    """Kernel parameter matrix float64[n, N_PARAMS] from a table of parameter sets.

    ``values`` is a pandas DataFrame (one row per member, one column per parameter), a mapping
    of name -> sequence, or an xarray Dataset with a ``member`` dimension. Parameters not given
    keep their defaults; every value is checked against its bounds (the error names the
    parameter and the member).
    """
    import pandas as pd

    if hasattr(values, "to_dataframe") and "member" in getattr(values, "dims", {}):
        values = values.to_dataframe()
    df = pd.DataFrame(values)
    for name in df.columns:
        check_name(name)
    out = np.tile(vector(), (len(df), 1))
    for name in df.columns:
        prm = PARAMETERS[name]
        if prm.choices is not None:  # names or values, each checked
            out[:, layout.PARAM_NAMES.index(name)] = [
                _check_choice(prm, v) for v in df[name].to_numpy(dtype=object)
            ]
            continue
        col = df[name].to_numpy(dtype=float)
        bad = ~np.isfinite(col) | (col < prm.bounds[0]) | (col > prm.bounds[1])
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"parameter {name} of member {df.index[i]!r} = {col[i]} is outside its allowed "
                f"range {list(prm.bounds)}"
            )
        out[:, layout.PARAM_NAMES.index(name)] = col
    check_joint(out, labels=df.index)
    return out


def sample_prior(n: int, seed: int = 0, method: str = "sobol", start: int = 0):
    """``n`` parameter sets drawn from the priors (DataFrame, one column per uncertain parameter).

    ``method`` is ``"sobol"`` (scrambled Sobol' sequence, scipy.stats.qmc), ``"lhs"`` (Latin
    hypercube) or ``"random"``; the sample is reproducible for a given ``seed``. ``start``
    (Sobol' only) skips the first ``start`` points: ``sample_prior(n, seed, start=a)`` is rows
    ``a .. a + n - 1`` of a longer sample with the same seed, bit for bit, so a large ensemble
    can draw its members chunk by chunk (the index starts at ``start``).
    """
    import pandas as pd
    from scipy.stats import qmc

    names = uncertain()
    if n < 1:
        raise ValueError(f"n must be positive, not {n}")
    if start and method != "sobol":
        raise ValueError(f"start= needs method='sobol', not {method!r}")
    if method == "sobol":
        engine = qmc.Sobol(len(names), scramble=True, seed=seed)
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():  # a chunk of a longer sequence need not be 2**k long
            if start:
                warnings.filterwarnings("ignore", "The balance properties", UserWarning)
            u = engine.random(n)
    elif method == "lhs":
        u = qmc.LatinHypercube(len(names), seed=seed).random(n)
    elif method == "random":
        u = np.random.default_rng(seed).random((n, len(names)))
    else:
        raise ValueError(f"method must be sobol, lhs or random, not {method!r}")
    u = np.clip(u, 1e-9, 1 - 1e-9)
    data = {
        name: PARAMETERS[name].prior.ppf(u[:, i], PARAMETERS[name].bounds)
        for i, name in enumerate(names)
    }
    return pd.DataFrame(data, index=pd.RangeIndex(start, start + n, name="member"))


@lru_cache(maxsize=1)
def _posterior_table():
    import pandas as pd

    with resources.files("esm.params").joinpath("posterior.csv").open() as fh:
        return pd.read_csv(fh, comment="#", index_col="member")


def posterior():
    """The shipped calibrated posterior (``esm/params/posterior.csv``), one row per member."""
    return _posterior_table().copy()
