"""Three-layer energy-balance model with deep-ocean efficacy (Cummins et al. 2020, J. Climate
33, 7; Held et al. 2010; FaIR 2 ``energy_balance_model.py``)::

    C1 dT1/dt = F + lambda T1 - k2 (T1 - T2)
    C2 dT2/dt = k2 (T1 - T2) - eps k3 (T2 - T3)
    C3 dT3/dt = k3 (T2 - T3)
    N         = F + lambda T1 + (1 - eps) k3 (T2 - T3)      (top-of-atmosphere imbalance)

``lambda`` (``climate_feedback``) is negative for a stable climate, so ECS = -F2x / lambda.
T1 is the surface-air temperature anomaly (GSAT). The heat content H = C1 T1 + C2 T2 + C3 T3
obeys dH/dt = N exactly, so the ocean heat content needs no separate integral.

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
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS, via KERNEL_RENAME and DERIVED).
OUTPUTS = (
    "temperature",
    "temperature_intermediate",
    "temperature_deep",
    "heat_content",
    "toa_imbalance",
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
def ebm_operators(feedback, c1, c2, c3, k2, k3, eps, dt):
    """Exact step operators (Phi [3x3], Gamma [3]) for a step of ``dt`` years."""
    aug = np.zeros((4, 4))
    aug[:3, :3] = ebm_matrix(feedback, c1, c2, c3, k2, k3, eps) * dt
    aug[0, 3] = dt / c1
    e = expm_small(aug)
    return e[:3, :3].copy(), e[:3, 3].copy()


@jit
def toa_imbalance(forcing, t1, t2, t3, feedback, k3, eps):
    """Top-of-atmosphere energy imbalance N [W m-2]."""
    return forcing + feedback * t1 + (1.0 - eps) * k3 * (t2 - t3)
