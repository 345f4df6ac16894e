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
