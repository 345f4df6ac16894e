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
    for dispatcher in (
        integrate.integrate_members,
        ocean.implicit_air_sea_flux,
        _stats._accumulate,
    ):
        assert dispatcher._cache._cache_path.startswith(str(_jit.CACHE_DIR)), dispatcher


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
