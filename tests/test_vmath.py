"""esm.kernels.vmath: the vectorisable exponential and logarithm against the C library.

fdlibm's algorithms are accurate to less than one unit in the last place (ulp); the tests
check that bound over the whole double range and every special value numpy defines.
"""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from esm.kernels import vmath


@njit(error_model="numpy")
def _apply(x, which):
    out = np.empty_like(x)
    for i in range(x.size):
        if which == 0:
            out[i] = vmath.exp(x[i])
        elif which == 1:
            out[i] = vmath.log(x[i])
        else:
            out[i] = vmath.power(x[i], 0.7)
    return out


def _ulp_error(value, reference):
    finite = np.isfinite(reference) & (reference != 0)
    return np.abs(value[finite] - reference[finite]) / np.spacing(np.abs(reference[finite]))


@pytest.mark.parametrize(
    "lo, hi",
    [(-745.1, -708.0), (-50.0, 50.0), (-1e-9, 1e-9), (-0.35, 0.35), (700.0, 709.78)],
)
def test_exp_is_within_one_ulp(lo, hi):
    """exp, including the subnormal results below -708 and the largest finite ones."""
    x = np.random.default_rng(0).uniform(lo, hi, 200_000)
    assert _ulp_error(_apply(x, 0), np.exp(x)).max() <= 1.0


@pytest.mark.parametrize("lo, hi", [(-744.0, 709.0), (-1.0, 1.0), (-1e-7, 1e-7)])
def test_log_is_within_one_ulp(lo, hi):
    """log over the normal numbers, near 1 (where cancellation is worst) and at both ends."""
    x = np.exp(np.random.default_rng(1).uniform(lo, hi, 200_000))
    assert _ulp_error(_apply(x, 1), np.log(x)).max() <= 1.0


def test_log_of_subnormal_numbers():
    x = np.random.default_rng(2).uniform(5e-324, 2.2e-308, 10_000)
    assert _ulp_error(_apply(x, 1), np.log(x)).max() <= 1.0


def test_special_values_are_those_of_numpy():
    """NaN, infinities, zeros, overflow, underflow, the smallest subnormal, negative numbers
    (the finite values in between are within 1 ulp, tested above)."""
    with np.errstate(all="ignore"):  # numpy's own overflow and log(0) warnings
        x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 709.79, -745.14, 5e-324, -5e-324])
        np.testing.assert_array_equal(_apply(x, 0), np.exp(x))
        x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 5e-324, 1.797e308])
        np.testing.assert_array_equal(_apply(x, 1), np.log(x))


def test_exact_values():
    """exp(0) = 1 and log(1) = 0 exactly; log(2^k) = k ln 2 to the last bit of the product."""
    assert _apply(np.array([0.0]), 0)[0] == 1.0
    assert _apply(np.array([1.0]), 1)[0] == 0.0
    k = np.arange(-1000, 1001, 7, dtype=float)
    np.testing.assert_array_equal(_apply(2.0**k, 1), np.log(2.0**k))


def test_power_for_the_model_exponents():
    """x**0.7 as exp(0.7 ln x): within 2 ulp for x in (0.1, 10), the range of the model's
    concentration ratios."""
    x = np.random.default_rng(3).uniform(0.1, 10.0, 100_000)
    assert _ulp_error(_apply(x, 2), x**0.7).max() <= 2.0
