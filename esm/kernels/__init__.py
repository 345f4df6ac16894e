"""Numba kernels: the physics of esm, one process per module, arrays in and arrays out.

Contract (after the process contract of climlab, Rose 2018, JOSS 3, 659):

* every function here is compiled with :func:`esm.kernels._jit.jit` and takes only float64
  arrays, ints and floats; no xarray, pandas, dataclasses or Python objects;
* outputs go into preallocated arrays passed by the caller (or are returned as scalars);
* array layouts (species, parameters, state, outputs) are defined once in
  :mod:`esm.kernels.layout`, generated from the names each process module declares (``STATE``,
  ``PARAMS``, ``OUTPUTS``); kernels import only ``esm.kernels.*``, ``numpy``, ``math``,
  ``numba`` and the constants in :mod:`esm.constants`;
* kernels never raise on physics: the integrator returns status bit flags and the runner
  decides what to raise or warn;
* each module states its time-stepping scheme (exact exponential, implicit, backward Euler).

Modules: ``ocean`` (Joos 1996 HILDA pulse response + carbonate chemistry), ``land`` (three
pools, CO2 fertilisation, Q10), ``permafrost`` (Gasser et al. 2018 thaw and decomposition of
permafrost carbon), ``gases`` (CH4, N2O, halogens, EESC), ``forcing`` (ERF formulas), ``ebm``
(three-layer energy balance), ``integrate`` (the coupled time loop), ``coupling`` (the layout
declarations of what the time loop computes itself).
"""
