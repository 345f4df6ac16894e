"""The single place where numba compilation options are chosen.

Every kernel in ``esm.kernels`` is compiled through :func:`jit` so that all of them share
the same, safe options:

* ``nopython`` mode (``numba.njit``), ``fastmath=False`` (results must not depend on
  instruction reordering; batch invariance is tested bit for bit);
* ``error_model="numpy"``: division by zero gives inf/nan instead of raising inside the
  time loop; the runner checks the status code the integrator writes;
* ``cache=True`` so that a second process starts in well under a second. Set the
  environment variable ``ESM_NUMBA_CACHE=0`` to disable the on-disk cache.

``NUMBA_DISABLE_JIT=1`` (a numba environment variable) runs every kernel as plain Python,
for debugging and coverage.
"""

from __future__ import annotations

import os

import numba

CACHE = os.environ.get("ESM_NUMBA_CACHE", "1") != "0"


def jit(func=None, *, parallel: bool = False):
    """Compile ``func`` with the project's fixed numba options (usable with or without args)."""

    def wrap(f):
        return numba.njit(cache=CACHE, fastmath=False, error_model="numpy", parallel=parallel)(f)

    if func is None:
        return wrap
    return wrap(func)
