"""The single place where numba compilation options are chosen.

Every kernel in ``esm.kernels`` is compiled through :func:`jit` so that all of them share
the same, safe options:

* ``nopython`` mode (``numba.njit``), ``fastmath=False`` (results must not depend on
  instruction reordering; batch invariance is tested bit for bit);
* ``error_model="numpy"``: division by zero gives inf/nan instead of raising inside the
  time loop; the runner checks the status code the integrator writes;
* ``cache=True`` so that a second process starts in well under a second. Set the
  environment variable ``ESM_NUMBA_CACHE=0`` to disable the on-disk cache.

**One cache per version of the kernel sources.** numba checks a cached function only against
its own source file, so a cached main kernel would keep running with the old code of a process
it calls (or an old index layout) after an edit or an upgrade that left ``integrate.py``
unchanged: a silent wrong result. The kernels are therefore cached in a directory named by a
hash of every kernel source (``esm/kernels/*.py``, ``esm/_stats.py``) and the numba version,
:data:`CACHE_DIR`: ``esm/kernels/__pycache__/numba-<hash>`` where the package directory is
writable, else ``<user cache>/esm/numba-<hash>`` (``$XDG_CACHE_HOME`` or ``~/.cache``), or
``$NUMBA_CACHE_DIR/esm-<hash>`` when that is set. A change to any kernel source starts a new
cache (and one compilation).

``NUMBA_DISABLE_JIT=1`` (a numba environment variable) runs every kernel as plain Python,
for debugging and coverage.

The first run after an install (or after a kernel's source changes) compiles for about a
minute; :func:`announce_compile` says so on stderr, once per process, before that happens.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

import numba

CACHE = os.environ.get("ESM_NUMBA_CACHE", "1") != "0"


def source_hash(files=None) -> str:
    """Hash (16 hex digits) of the kernel sources ``files`` (default: ``esm/kernels/*.py`` and
    ``esm/_stats.py``, by name and content) and the numba version."""
    if files is None:
        here = Path(__file__).resolve().parent
        files = sorted(here.glob("*.py")) + [here.parent / "_stats.py"]
    digest = hashlib.sha256(f"numba {numba.__version__}".encode())
    for f in files:
        f = Path(f)
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    name = source_hash()
    user = os.environ.get("NUMBA_CACHE_DIR")
    if user:
        return Path(user) / f"esm-{name}"
    local = Path(__file__).resolve().parent / "__pycache__"
    if os.access(local if local.is_dir() else local.parent, os.W_OK):
        return local / f"numba-{name}"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "esm" / f"numba-{name}"


#: Directory of the on-disk kernel cache for this version of the kernel sources (None: off).
CACHE_DIR: Path | None = _cache_dir() if CACHE else None


@contextlib.contextmanager
def _caching_in(directory: Path | None):
    """numba's CACHE_DIR set to ``directory`` while a kernel is decorated (numba's cache
    locator takes its path then); restored afterwards, so that other numba code in the process
    keeps its own cache."""
    if directory is None:
        yield
        return
    old = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(directory)
    try:
        yield
    finally:
        numba.config.CACHE_DIR = old


#: The line :func:`announce_compile` prints to stderr before a compilation.
COMPILE_MESSAGE = "esm: compiling kernels (first run only, about a minute)"

#: The same when the on-disk cache is off, so that every process compiles.
NO_CACHE_MESSAGE = "esm: compiling kernels (about a minute; on-disk cache off: ESM_NUMBA_CACHE=0)"

_announced = False


def jit(func=None, *, parallel: bool = False, inline: bool = False, nogil: bool = False):
    """Compile ``func`` with the project's fixed numba options (usable with or without args).

    ``inline=True`` inlines the function into its callers (numba ``inline="always"``): the
    functions called in the integrator's loop over the lanes of a block must be, because a
    call that is not inlined stops the compiler from vectorising the loop. ``nogil=True``
    releases the GIL while the function runs, so that Python threads can run it in parallel.
    """

    def wrap(f):
        with _caching_in(CACHE_DIR):
            return numba.njit(
                cache=CACHE,
                fastmath=False,
                error_model="numpy",
                parallel=parallel,
                nogil=nogil,
                inline="always" if inline else "never",
            )(f)

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
