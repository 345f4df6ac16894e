"""Checks of user inputs shared by runs, ensembles and the command line: one clear message
each, before anything is computed."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import numpy as np

#: What each count must be, and an example, for the messages of :func:`check_count`.
_COUNTS = {
    "members": ("a positive integer", "members=100"),
    "chunk_size": ("positive: a whole number of members per kernel call", "chunk_size=2000"),
    "seed": ("a non-negative integer", "seed=0"),
    "substeps": ("a positive integer", "substeps=6"),
    "start": ("a whole number (a year)", "start=1850"),
    "end": ("a whole number (a year)", "end=2100"),
}


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def check_count(name: str, value, minimum: int | None = 1) -> int:
    """``value`` as an ``int`` if it is a whole number >= ``minimum`` (None: any), else a
    ``ValueError``.

    Accepted: Python and numpy integers and floats without a fraction (``2.0``, ``1e6``).
    Rejected: bools, fractions (``2.7``), NaN/infinity, strings and anything else.
    """
    rule, example = _COUNTS.get(
        name,
        (
            "a whole number"
            if minimum is None
            else "a positive integer"
            if minimum == 1
            else f"an integer >= {minimum}",
            f"{name}={minimum or 2000}",
        ),
    )
    number = None
    if isinstance(value, (bool, np.bool_)):
        number = None
    elif isinstance(value, numbers.Integral):
        number = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer():
        number = int(value)
    if number is None or (minimum is not None and number < minimum):
        raise ValueError(f"{name} must be {rule}, not {_show(value)}; give e.g. {example}")
    return number


def check_percentiles(values, name: str = "percentiles") -> np.ndarray:
    """Percentiles as a float array, in the order given, after checking every value.

    ``values`` is a sequence of numbers in 0-100 (or a string of comma-separated numbers such as
    ``"5,50,95"``, as the command line gives them); ``name`` is used in the messages. Empty
    input, non-numbers (bools included), NaN, values outside 0-100 and duplicates raise a
    ``ValueError``.
    """
    hint = "give numbers in 0-100 such as " + (
        "5,50,95" if isinstance(values, str) else "[5, 50, 95]"
    )
    if isinstance(values, str):
        items = []
        for text in values.split(","):
            try:
                items.append(float(text))
            except ValueError:
                raise ValueError(f"{name}: {text.strip()!r} is not a number; {hint}") from None
    else:
        if isinstance(values, np.ndarray):
            values = values.tolist()
        if isinstance(values, (Mapping, set, frozenset, bytes)) or not isinstance(values, Iterable):
            raise ValueError(f"{name} must be a list of numbers in 0-100, not {values!r}; {hint}")
        items = list(values)
    if not items:
        raise ValueError(f"{name} is empty; {hint}")
    out = []
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise ValueError(f"{name}: {v!r} is not a number; {hint}")
        x = float(v)
        if math.isnan(x):
            raise ValueError(f"{name}: nan is not a number; {hint}")
        if not 0.0 <= x <= 100.0:
            raise ValueError(f"{name}: {x:g} lies outside 0-100; {hint}")
        if x in out:
            raise ValueError(f"{name}: {x:g} is given twice; give each percentile once")
        out.append(x)
    return np.array(out, dtype=float)
