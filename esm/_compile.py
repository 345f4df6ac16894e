"""Compile every kernel once, with the argument types the model uses, into the on-disk cache.

``python -m esm._compile`` runs the calls below, which between them reach every compiled kernel
(:func:`esm.kernels._jit.jit`) with every argument-type combination that the model's public
functions pass (``tests/test_kernel_cache.py`` checks that nothing else compiles afterwards).
The wheel build runs it (``setup.py``), so that the first run after ``pip install .`` loads the
kernels instead of compiling them for about half a minute. It is harmless to run again: a
kernel already in the cache is loaded, not compiled.
"""

from __future__ import annotations

import sys
import time

import numpy as np


def compile_kernels(report=None) -> float:
    """Compile (or load from the cache) every kernel; returns the seconds it took.
    ``report(text)`` receives one line per step."""
    import esm
    from esm import _stats
    from esm.kernels import _jit, forcing

    say = report or (lambda text: None)
    start = time.perf_counter()
    _jit.load()
    esm.run("ssp245", end=1760)  # the integrator and the halogen series
    say(f"integrator: {time.perf_counter() - start:.1f} s")
    t = time.perf_counter()
    values = np.zeros((1, 2, 3))  # [variable, member, year]
    h = _stats.Histogram(np.zeros((3, 1)), np.ones((3, 1)), 4)
    h.add_variables(values)
    say(f"percentile histograms: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    forcing.co2_sarf_meinshausen2020(556.0, 270.0)  # called from Python by the metrics
    say(f"CO2 forcing: {time.perf_counter() - t:.1f} s")
    return time.perf_counter() - start


def main() -> int:
    from esm.kernels import _jit

    if not _jit.CACHE:
        print("esm: the on-disk kernel cache is off (ESM_NUMBA_CACHE=0): nothing to keep")
        return 0
    seconds = compile_kernels(lambda text: print(f"esm: {text}", flush=True))
    print(f"esm: kernels compiled into {_jit.cache_dir()} in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
