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

The first run after an install (or after a kernel's source changes) compiles for about a
minute; :func:`announce_compile` says so on stderr, once per process, before that happens.
"""

from __future__ import annotations

import os
import sys

import numba

CACHE = os.environ.get("ESM_NUMBA_CACHE", "1") != "0"

#: The line :func:`announce_compile` prints to stderr before a compilation.
COMPILE_MESSAGE = "esm: compiling kernels (first run only, about a minute)"

#: The same when the on-disk cache is off, so that every process compiles.
NO_CACHE_MESSAGE = "esm: compiling kernels (about a minute; on-disk cache off: ESM_NUMBA_CACHE=0)"

_announced = False


def jit(func=None, *, parallel: bool = False):
    """Compile ``func`` with the project's fixed numba options (usable with or without args)."""

    def wrap(f):
        return numba.njit(cache=CACHE, fastmath=False, error_model="numpy", parallel=parallel)(f)

    if func is None:
        return wrap
    return wrap(func)


def will_compile(dispatcher) -> bool:
    """Whether the next call of the jitted ``dispatcher`` compiles it, i.e. it has no
    compiled version in this process and no usable one in numba's on-disk cache.

    The cache test asks numba's own cache object of the dispatcher for its index (the
    ``*.nbi`` file, wherever numba keeps it: ``__pycache__`` next to the source,
    ``NUMBA_CACHE_DIR`` or the user-wide cache) and counts it only if numba would accept it:
    written by this numba version for the current source file (numba's own stamp check).
    Reading that small index costs well under a millisecond. If numba's internals ever differ
    from what this expects, the answer is False (stay quiet rather than mislead).
    """
    if not isinstance(dispatcher, numba.core.dispatcher.Dispatcher):
        return False  # NUMBA_DISABLE_JIT=1: plain Python, nothing to compile
    if dispatcher.overloads:
        return False  # compiled or loaded from the cache already in this process
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    if cache_file is None:
        return True  # no on-disk cache (ESM_NUMBA_CACHE=0): every process compiles
    try:
        return not cache_file._load_index()
    except Exception:  # noqa: BLE001  numba internals changed: say nothing
        return False


def announce_compile(dispatcher, stream=None) -> bool:
    """Print :data:`COMPILE_MESSAGE` to ``stream`` (stderr) if calling ``dispatcher`` will
    compile (:func:`will_compile`); at most once per process. Returns whether it printed."""
    global _announced
    if _announced or not will_compile(dispatcher):
        return False
    _announced = True
    message = COMPILE_MESSAGE if CACHE else NO_CACHE_MESSAGE
    print(message, file=sys.stderr if stream is None else stream, flush=True)
    return True
