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
cache (and one compilation). Inside it, each kernel's files lie by its source's path inside
the package (``esm/kernels``, ``esm``), not by its absolute path, so the kernels that a wheel
build compiles (``setup.py``, ``python -m esm._compile``) are found where the wheel is installed;
from a package directory the user cannot write they are copied to the user cache once.

``NUMBA_DISABLE_JIT=1`` (a numba environment variable) runs every kernel as plain Python,
for debugging and coverage.

A first run that finds no compiled kernels (an editable install; a numba, Python or CPU other
than the wheel build's; a changed kernel source) compiles them for about half a minute;
:func:`announce_compile` says so on stderr, once per process, before that happens.

**numba is imported when a kernel is first needed, not by ``import esm``** (numba and the
scipy it imports take longer to import than esm itself). :func:`jit` returns a :class:`Lazy`
stand-in; the first call of any kernel (or :func:`load`) imports numba, makes every kernel's
dispatcher in the order they were defined and puts the dispatchers in place of the stand-ins
in every module that holds one, so that compiled code sees numba objects only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import threading
from pathlib import Path

CACHE = os.environ.get("ESM_NUMBA_CACHE", "1") != "0"


class Lazy:
    """Stand-in for a numba object (a kernel's dispatcher, an intrinsic, ``numba.prange``)
    that is made by ``make()`` when numba is loaded (:func:`load`). Calling it or reading an
    attribute loads numba; ``py_func`` (the Python function of a kernel) does not."""

    def __init__(self, make, py_func=None):
        self._make = make
        self._obj = None
        if py_func is not None:
            self.py_func = py_func
            self.__wrapped__ = py_func
            for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
                setattr(self, attr, getattr(py_func, attr, None))
        _PENDING.append(self)

    def resolve(self):
        """The numba object (importing numba and making every pending one first)."""
        if self._obj is None:
            load()
        return self._obj

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, name):
        if name.startswith("__") or name in ("_make", "_obj"):
            raise AttributeError(name)
        return getattr(self.resolve(), name)

    def __repr__(self) -> str:
        what = getattr(self, "__qualname__", None) or "numba object"
        state = "loaded" if self._obj is not None else "not loaded yet"
        return f"<esm kernel {what} ({state})>"


#: Stand-ins made before numba was loaded, in the order of definition.
_PENDING: list[Lazy] = []
_LOAD_LOCK = threading.RLock()
_numba = None


def load():
    """Import numba (once per process), make every pending kernel and replace the stand-ins
    in all loaded modules by the numba objects; returns the numba module."""
    global _numba
    if _numba is not None:
        return _numba
    with _LOAD_LOCK:
        if _numba is not None:
            return _numba
        import numba

        if CACHE:
            _register_locator(numba)
        made = {}
        while _PENDING:  # making one may define more (none today): take them all
            lazy = _PENDING.pop(0)
            lazy._obj = lazy._make()
            made[id(lazy)] = lazy._obj
        for module in list(sys.modules.values()):
            names = getattr(module, "__dict__", None)
            if not isinstance(names, dict):
                continue
            for key, value in list(names.items()):
                if type(value) is Lazy and id(value) in made:
                    names[key] = made[id(value)]
        _numba = numba
        return numba


def numba_object(name: str) -> Lazy:
    """Stand-in for ``numba.<name>`` (e.g. ``prange``) in a kernel module."""

    def make():
        import numba

        return getattr(numba, name)

    return Lazy(make)


def resolve(obj):
    """``obj``, or the numba object of a :class:`Lazy` stand-in."""
    return obj.resolve() if type(obj) is Lazy else obj


def source_hash(files=None) -> str:
    """Hash (16 hex digits) of the kernel sources ``files`` (default: ``esm/kernels/*.py`` and
    ``esm/_stats.py``, by name and content) and the numba version."""
    import numba

    if files is None:
        here = Path(__file__).resolve().parent
        files = sorted(here.glob("*.py")) + [here.parent / "_stats.py"]
    digest = hashlib.sha256(f"numba {numba.__version__}".encode())
    for f in files:
        f = Path(f)
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


#: The ``esm`` package directory: cache files are placed by their source's path inside it.
PACKAGE = Path(__file__).resolve().parents[1]


def _cache_dir() -> Path:
    name = source_hash()
    user = os.environ.get("NUMBA_CACHE_DIR")
    if user:
        return Path(user) / f"esm-{name}"
    local = Path(__file__).resolve().parent / "__pycache__"
    shipped = local / f"numba-{name}"
    if os.access(local if local.is_dir() else local.parent, os.W_OK):
        return shipped
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    target = base / "esm" / f"numba-{name}"
    if shipped.is_dir() and not target.exists():
        # the kernels compiled when the package was built, in a package directory this user
        # cannot write: copied once to the user's cache, which takes what is compiled later
        with contextlib.suppress(OSError):
            shutil.copytree(shipped, target, dirs_exist_ok=True)
    return target


def _register_locator(numba) -> bool:
    """Put esm's kernels in the cache by their source's path inside the package.

    numba's own locator names a cache subdirectory by a hash of the source file's absolute
    path, so kernels compiled when a wheel is built (``setup.py``) would not be found where
    the package is installed. This locator, asked first and only for files inside
    :data:`PACKAGE`, uses ``<cache_dir()>/esm/kernels`` (and ``<cache_dir()>/esm``) instead, and
    checks a cached kernel against its source's content (``cache_dir()`` is itself named by a
    hash of every kernel source and the numba version). Returns False, leaving numba's
    locators alone, if numba's internals differ from what this expects."""
    try:
        from numba.core import caching

        base = (
            getattr(caching, "UserProvidedCacheLocator", None)
            or caching._UserProvidedCacheLocator  # numba < 0.61
        )
        classes = caching.CacheImpl._locator_classes
    except (ImportError, AttributeError):
        return False

    class PackageCacheLocator(base):
        def __init__(self, py_func, py_file):
            super().__init__(py_func, py_file)
            inside = Path(py_file).resolve().parent.relative_to(PACKAGE.parent)
            self._cache_path = os.path.join(numba.config.CACHE_DIR, *inside.parts)

        def get_source_stamp(self):
            return _content_digest(self._py_file)

        @classmethod
        def from_function(cls, py_func, py_file):
            try:
                Path(py_file).resolve().relative_to(PACKAGE)
            except ValueError:
                return None
            return super().from_function(py_func, py_file)

    if not any(c.__name__ == "PackageCacheLocator" for c in classes):
        classes.insert(0, PackageCacheLocator)
    return True


@functools.cache
def _content_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.cache
def cache_dir() -> Path | None:
    """Directory of the on-disk kernel cache for this version of the kernel sources (None:
    off); also available as ``CACHE_DIR``."""
    return _cache_dir() if CACHE else None


def __getattr__(name):
    if name == "CACHE_DIR":  # computed when first asked for: it needs numba's version
        return cache_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@contextlib.contextmanager
def _caching_in(directory: Path | None):
    """numba's CACHE_DIR set to ``directory`` while a kernel is decorated (numba's cache
    locator takes its path then); restored afterwards, so that other numba code in the process
    keeps its own cache."""
    import numba

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
COMPILE_MESSAGE = "esm: compiling kernels (first run only, about half a minute)"

#: The same when the on-disk cache is off, so that every process compiles.
NO_CACHE_MESSAGE = (
    "esm: compiling kernels (about half a minute; on-disk cache off: ESM_NUMBA_CACHE=0)"
)

_announced = False


def jit(func=None, *, parallel: bool = False, inline: bool = False, nogil: bool = False):
    """Compile ``func`` with the project's fixed numba options (usable with or without args).

    ``inline=True`` inlines the function into its callers (numba ``inline="always"``): the
    functions called in the integrator's loop over the lanes of a block must be, because a
    call that is not inlined stops the compiler from vectorising the loop. ``nogil=True``
    releases the GIL while the function runs, so that Python threads can run it in parallel.
    """

    def make(f):
        import numba

        with _caching_in(cache_dir()):
            return numba.njit(
                cache=CACHE,
                fastmath=False,
                error_model="numpy",
                parallel=parallel,
                nogil=nogil,
                inline="always" if inline else "never",
            )(f)

    def wrap(f):
        if _numba is not None:  # numba is loaded: the dispatcher itself
            return make(f)
        return Lazy(lambda: make(f), py_func=f)

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
    dispatcher = resolve(dispatcher)
    numba = load()
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
