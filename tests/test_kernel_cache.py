"""The on-disk kernel cache is keyed to every kernel source: numba checks a cached function
only against its own file, so an edit (or an upgrade) of a process module that integrate.py
calls would otherwise leave a stale compiled kernel running."""

from __future__ import annotations

import os

import pytest

from esm.kernels import _jit

NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"


def test_source_hash_follows_the_content_of_every_file(tmp_path):
    a, b = tmp_path / "ocean.py", tmp_path / "integrate.py"
    a.write_text("X = 1\n")
    b.write_text("def f():\n    return X\n")
    first = _jit.source_hash([a, b])
    assert _jit.source_hash([a, b]) == first
    a.write_text("X = 2\n")  # a callee changes, the caller does not
    assert _jit.source_hash([a, b]) != first


@pytest.mark.skipif(NO_JIT or not _jit.CACHE, reason="no JIT or no on-disk cache")
def test_every_kernel_is_cached_under_the_directory_of_this_source_version():
    from esm import _stats
    from esm.kernels import integrate, ocean

    assert _jit.CACHE_DIR.name.endswith(_jit.source_hash())
    # by the source's path inside the package, not its absolute path: a cache compiled in a
    # wheel's build directory is found where the wheel is installed
    for dispatcher, inside in (
        (integrate.integrate_members, ("esm", "kernels")),
        (ocean.implicit_air_sea_flux, ("esm", "kernels")),
        (_stats._accumulate, ("esm",)),
    ):
        assert dispatcher._cache._cache_path == str(_jit.CACHE_DIR.joinpath(*inside))


@pytest.mark.skipif(NO_JIT or not _jit.CACHE, reason="no JIT or no on-disk cache")
def test_a_copied_package_finds_its_compiled_kernels(tmp_path):
    """The package with its kernel cache, copied elsewhere (as a wheel built by setup.py is
    unpacked into site-packages), loads the kernels instead of compiling them."""
    import shutil
    import subprocess
    import sys

    from esm import _compile

    _compile.compile_kernels()  # this session's cache holds every kernel
    here = _jit.cache_dir()
    package = _jit.PACKAGE
    if here.parent != package / "kernels" / "__pycache__":
        pytest.skip("the kernel cache is not inside the package (NUMBA_CACHE_DIR or read-only)")

    def skip(directory, names):  # other versions' caches, Python byte code
        return [n for n in names if n.startswith("numba-") and n != here.name or n.endswith(".pyc")]

    shutil.copytree(package, tmp_path / "esm", ignore=skip)
    code = (
        "import esm; from esm.kernels import _jit, integrate; "
        "print(esm.__file__); print(_jit.will_compile(integrate.integrate_members)); "
        "print(integrate.integrate_members._cache._cache_path)"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    lines = done.stdout.split()
    assert lines[0] == str(tmp_path / "esm" / "__init__.py"), done.stderr
    assert lines[1] == "False"  # loaded from the copied cache
    assert lines[2] == str(tmp_path / "esm" / "kernels" / "__pycache__" / here.name / "esm/kernels")


@pytest.mark.skipif(NO_JIT or not _jit.CACHE, reason="no JIT or no on-disk cache")
def test_a_read_only_package_copies_its_kernels_to_the_user_cache(tmp_path, monkeypatch):
    shipped = _jit.PACKAGE / "kernels" / "__pycache__" / f"numba-{_jit.source_hash()}"
    if not shipped.is_dir():
        pytest.skip("no kernel cache inside the package")
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(_jit.os, "access", lambda path, mode: False)
    target = _jit._cache_dir()
    assert target == tmp_path / "esm" / shipped.name
    copied = sorted(p.relative_to(target) for p in target.rglob("*.nbi"))
    assert copied and copied == sorted(p.relative_to(shipped) for p in shipped.rglob("*.nbi"))


#: Runs in a new process: compile_kernels(), then the public paths; prints the kernels (and
#: argument types) that the public paths added, i.e. that a wheel built by setup.py would lack.
PATHS = """
import json, sys, warnings
warnings.simplefilter("ignore")
import esm
from esm import _compile, metrics
from esm.kernels import _jit

def signatures():
    numba = _jit.load()
    out = {}
    for name, module in list(sys.modules.items()):
        if name == "esm" or name.startswith("esm."):
            for v in vars(module).values():
                if isinstance(v, numba.core.registry.CPUDispatcher) and v.signatures:
                    out[v.py_func.__module__ + "." + v.py_func.__qualname__] = sorted(
                        map(str, v.signatures)
                    )
    return out

_compile.compile_kernels()
before = signatures()
esm.run("ssp245")
esm.run("ssp245", params={"ebm_layers": "two-layer"})
esm.run("ssp245", co2=esm.run("ssp245", end=2000).co2.sel(year=slice(1850, 2000)))
esm.run_many(["ssp126", "ssp245"], members=3)
esm.ensemble("ssp245", members=20, percentiles=[5, 50, 95])
esm.ensemble("ssp245", members=5)
metrics.compute()
ds, state = esm.run("ssp245", end=2020, return_state=True)
esm.run("ssp245", start_state=state)
after = signatures()
print(json.dumps({k: v for k, v in after.items() if before.get(k) != v}))
"""


@pytest.mark.slow
@pytest.mark.skipif(NO_JIT or not _jit.CACHE, reason="no JIT or no on-disk cache")
def test_compile_kernels_reaches_every_kernel_the_public_functions_use(tmp_path):
    """``python -m esm._compile`` (run by the wheel build) compiles each kernel with every
    argument-type combination the public functions pass: after it, runs, ensembles (full and
    percentile), prescribed CO2, the two-layer EBM, metrics and restarts compile nothing."""
    import json
    import subprocess
    import sys

    script = tmp_path / "paths.py"
    script.write_text(PATHS)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {}


@pytest.mark.skipif(NO_JIT, reason="NUMBA_DISABLE_JIT: the kernels are Python functions")
def test_import_esm_leaves_numba_for_the_first_kernel_call():
    """``import esm`` does not import numba (nor the scipy numba imports); a kernel's Python
    function is there before; the first kernel call loads numba and puts each kernel's
    dispatcher in place of its stand-in, also in modules that imported it by name."""
    import subprocess
    import sys

    code = (
        "import sys, esm\n"
        "from esm.kernels import integrate, ocean\n"
        "from esm.kernels.ocean import response_term\n"
        "print('numba' in sys.modules, 'scipy' in sys.modules)\n"
        "print(callable(integrate.integrate_members.py_func), 'numba' in sys.modules)\n"
        "esm.run('ssp245', end=1760)\n"
        "from esm import runner\n"
        "print(type(runner.integrate_members).__name__, type(ocean.response_term).__name__)\n"
        "print(sys.modules['__main__'].response_term is ocean.response_term)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split("\n")[:4] == [
        "False False",
        "True False",
        "CPUDispatcher CPUDispatcher",
        "True",
    ], done.stderr[-2000:]
