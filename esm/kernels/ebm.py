"""Energy-balance models: three layers (the default) or two layers, chosen by name.

The model is selected per member by the parameter ``ebm_layers`` (:data:`MODELS`: ``esm.run(...,
params={"ebm_layers": "two-layer"})``). Both are written as operators on the same three
temperatures, so the integrator and every output are the same for either; a two-layer member
keeps the intermediate temperature T2 = 0.

**Three layers** with deep-ocean efficacy (Cummins et al. 2020, J. Climate 33, 7; Held et al.
2010; FaIR 2 ``energy_balance_model.py``)::

    C1 dT1/dt = F + lambda T1 - k2 (T1 - T2)
    C2 dT2/dt = k2 (T1 - T2) - eps k3 (T2 - T3)
    C3 dT3/dt = k3 (T2 - T3)
    N         = F + lambda T1 + (1 - eps) k3 (T2 - T3)      (top-of-atmosphere imbalance)

**Two layers** with efficacy of the deep-ocean heat uptake (Held et al. 2010, J. Climate 23,
2418; Geoffroy et al. 2013a, J. Climate 26, 1841, and 2013b, 26, 1859), the model of most
teaching texts: a mixed layer with the atmosphere (C = C1) over one deep ocean (C0 = C3),
exchanging gamma = k2 (C2 and k3 unused)::

    C1 dT1/dt = F + lambda T1 - eps k2 (T1 - T3)
    C3 dT3/dt = k2 (T1 - T3)
    N         = F + lambda T1 + (1 - eps) k2 (T1 - T3)

``lambda`` (``climate_feedback``) is negative for a stable climate, so ECS = -F2x / lambda in
both. T1 is the surface-air temperature anomaly (GSAT). The heat content H = C1 T1 + C2 T2 +
C3 T3 obeys dH/dt = N exactly, so the ocean heat content needs no separate integral. The
shipped parameters are calibrated for three layers: a two-layer run needs its own (for example
:data:`GEOFFROY_2013`).

Numerics: exact discretisation for forcing held constant over a step,
``x_{n+1} = Phi x_n + Gamma F`` with ``[[Phi, Gamma], [0, 1]] = expm([[A, b], [0, 0]] dt)``,
unconditionally stable (FaIR 2). The matrix exponential is computed here by scaling and
squaring with a Taylor series (tested against scipy.linalg.expm).
"""

from __future__ import annotations

import numpy as np

from esm.kernels._jit import jit

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
#: State slots owned by the energy balance (the operators of this module; integrate.py applies
#: them to the forcing in each sub-step).
STATE = (
    "temperature_surface",  # K, T1: surface air temperature relative to the first year
    "temperature_intermediate",  # K, T2
    "temperature_deep",  # K, T3
)

#: Parameters read (units, bounds, sources: esm.params).
PARAMS = (
    "climate_feedback",
    "heat_capacity_surface",
    "heat_capacity_intermediate",
    "heat_capacity_deep",
    "heat_exchange_surface_intermediate",
    "heat_exchange_intermediate_deep",
    "deep_ocean_efficacy",
    "ebm_layers",
)

#: The energy-balance models that can be selected: name -> value of the parameter ``ebm_layers``.
MODELS = {"three-layer": 3.0, "two-layer": 2.0}

#: Two-layer parameters of the CMIP5 multi-model mean with efficacy (Geoffroy et al. 2013b,
#: J. Climate 26, 1859, Table 3: lambda 1.13 W m-2 K-1, C 7.3 and C0 106 W yr m-2 K-1, gamma
#: 0.73 W m-2 K-1, epsilon 1.28), as ``esm`` parameters.
GEOFFROY_2013 = {
    "ebm_layers": 2.0,
    "climate_feedback": -1.13,
    "heat_capacity_surface": 7.3,
    "heat_capacity_deep": 106.0,
    "heat_exchange_surface_intermediate": 0.73,
    "deep_ocean_efficacy": 1.28,
}

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS, via KERNEL_RENAME and DERIVED).
OUTPUTS = (
    "temperature",
    "temperature_intermediate",
    "temperature_deep",
    "heat_content",
    "toa_imbalance",
)

#: Sums over the sub-steps of a year (annual means; layout.ACCUMULATOR_NAMES).
ACCUMULATORS = (
    "temperature_surface",  # K
    "temperature_intermediate",  # K
    "temperature_deep",  # K
    "toa_imbalance",  # W m-2
    "heat_content",  # W yr m-2, from the layer heat capacities
)


@jit
def expm_small(m):
    """Matrix exponential of a small dense matrix (scaling and squaring, Taylor degree 18)."""
    n = m.shape[0]
    norm = 0.0
    for i in range(n):
        row = 0.0
        for j in range(n):
            row += abs(m[i, j])
        norm = max(norm, row)
    squarings = 0
    while norm > 0.5:
        norm *= 0.5
        squarings += 1
    a = m / (2.0**squarings)
    result = np.eye(n)
    term = np.eye(n)
    for k in range(1, 19):
        term = term @ a / k
        result += term
    for _ in range(squarings):
        result = result @ result
    return result


@jit
def ebm_matrix(feedback, c1, c2, c3, k2, k3, eps):
    """System matrix A [yr-1] of the three-layer model (C in W yr m-2 K-1, k in W m-2 K-1)."""
    a = np.zeros((3, 3))
    a[0, 0] = (feedback - k2) / c1
    a[0, 1] = k2 / c1
    a[1, 0] = k2 / c2
    a[1, 1] = -(k2 + eps * k3) / c2
    a[1, 2] = eps * k3 / c2
    a[2, 1] = k3 / c3
    a[2, 2] = -k3 / c3
    return a


@jit
def ebm_matrix_two_layer(feedback, c1, c3, k2, eps):
    """System matrix A [yr-1] of the two-layer model on (T1, T2, T3): surface T1 and deep
    ocean T3; the row and column of T2 are zero (T2 stays as it is, 0)."""
    a = np.zeros((3, 3))
    a[0, 0] = (feedback - eps * k2) / c1
    a[0, 2] = eps * k2 / c1
    a[2, 0] = k2 / c3
    a[2, 2] = -k2 / c3
    return a


@jit
def ebm_system(feedback, c1, c2, c3, k2, k3, eps, layers):
    """System matrix of the model chosen by ``layers`` (2 or 3; :data:`MODELS`)."""
    if layers < 2.5:
        return ebm_matrix_two_layer(feedback, c1, c3, k2, eps)
    return ebm_matrix(feedback, c1, c2, c3, k2, k3, eps)


@jit
def ebm_operators(feedback, c1, c2, c3, k2, k3, eps, dt, layers=3.0):
    """Exact step operators (Phi [3x3], Gamma [3]) for a step of ``dt`` years of the model
    chosen by ``layers`` (2 or 3)."""
    aug = np.zeros((4, 4))
    aug[:3, :3] = ebm_system(feedback, c1, c2, c3, k2, k3, eps, layers) * dt
    aug[0, 3] = dt / c1
    e = expm_small(aug)
    return e[:3, :3].copy(), e[:3, 3].copy()


@jit
def toa_imbalance(forcing, t1, t2, t3, feedback, k3, eps):
    """Top-of-atmosphere energy imbalance N [W m-2]."""
    return forcing + feedback * t1 + (1.0 - eps) * k3 * (t2 - t3)


@jit
def toa_imbalance_two_layer(forcing, t1, t3, feedback, k2, eps):
    """Top-of-atmosphere energy imbalance N [W m-2] of the two-layer model."""
    return forcing + feedback * t1 + (1.0 - eps) * k2 * (t1 - t3)


@jit(inline=True)
def step(t1, t2, t3, forcing, phi, gamma):
    """One sub-step of the energy balance with the exact operators of :func:`ebm_operators`:
    ``(T1, T2, T3) <- phi (T1, T2, T3) + gamma F`` for ``forcing`` F [W m-2] held over the
    step; ``phi`` (row-major 3 x 3) and ``gamma`` (3) are sequences of the operators'
    entries. Returns the new temperatures [K]."""
    n1 = phi[0] * t1 + phi[1] * t2 + phi[2] * t3 + gamma[0] * forcing
    n2 = phi[3] * t1 + phi[4] * t2 + phi[5] * t3 + gamma[1] * forcing
    n3 = phi[6] * t1 + phi[7] * t2 + phi[8] * t3 + gamma[2] * forcing
    return n1, n2, n3
