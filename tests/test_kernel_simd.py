"""The integrator's loops over the members of a block compile to SIMD code.

Speed is measured in ``benchmarks/``; this checks the property the speed rests on, in the
generated LLVM code: every floating-point multiply in the per-year and per-sub-step work is a
vector instruction (``fmul <N x double>``), none is scalar. A branch that differs between
members, a call that is not inlined, a row index chosen at run time or a C-library ``exp``
in these loops would make the compiler fall back to scalar code, and this test fail.
"""

from __future__ import annotations

import re

import numba
import numpy as np
import pytest

from esm.kernels import integrate as I
from esm.kernels import layout as L

pytestmark = pytest.mark.slow


def _llvm(kernel, *args) -> str:
    """LLVM IR of a fresh (uncached) compilation of ``kernel`` with the project's options."""
    fresh = numba.njit(error_model="numpy", fastmath=False)(kernel.py_func)
    fresh(*args)
    return fresh.inspect_llvm(fresh.signatures[0])


def _multiplies(ir: str) -> tuple[int, int]:
    vector = len(re.findall(r"= fmul (?:\w+ )*<\d+ x double>", ir))
    scalar = len(re.findall(r"= fmul (?:\w+ )*double ", ir))
    return vector, scalar


def _workspace():
    w = np.ones(I.N_W * I.LANES)
    w[I.W_PARAM * I.LANES : (I.W_PARAM + L.N_PARAMS) * I.LANES] = 0.5
    return w


def test_sub_steps_are_vectorised():
    vector, scalar = _multiplies(_llvm(I._carbon_climate_block, _workspace(), 6))
    assert vector > 100 and scalar == 0


def test_gas_cycles_and_forcing_are_vectorised():
    n_years = 3
    emis = np.ones((1, n_years, L.N_SPECIES))
    hseries = np.ones((1, n_years, I.N_HS))
    args = (_workspace(), 1, emis, np.zeros(I.LANES, np.int64), np.ones((n_years, 2)), hseries)
    emis0 = np.ones((1, L.N_SPECIES))
    vector, scalar = _multiplies(_llvm(I._gases_and_forcing, *args, emis0, 6))
    assert vector > 50 and scalar == 0


def test_outputs_are_vectorised():
    vector, scalar = _multiplies(_llvm(I._outputs, _workspace()))
    assert vector > 0 and scalar == 0
