"""Parameters of the three-layer energy-balance model and the feedback switches."""

from __future__ import annotations

from functools import partial

from esm.params._prior import Prior
from esm.params._spec import Param, central  # noqa: F401 (written by calibrate_posterior)

_PRIOR_FAIR = (
    "log-width of the fair-calibrate v1.4.1 posterior (Smith et al. 2024, GMD 17, 8569), "
    "centred on the default"
)

_FAIR141 = (
    "median of the fair-calibrate v1.4.1 constrained ensemble (Smith et al. 2024, "
    "GMD 17, 8569; Cummins et al. 2020 three-layer fits)"
)
_CALIB = "calibrated by validation/calibrate_defaults.py (ECS 3.0 K with the model's F2x)"
_CALIB_TCR = (
    "calibrated by validation/calibrate_defaults.py (TCR 1.8 K in 1pctCO2; fair-calibrate v1.4.1 "
    "median 1.286)"
)

climate = partial(Param, group="climate")
switch = partial(Param, group="switches", units="1", bounds=(0.0, 1.0))

PARAMS = (
    climate(
        "climate_feedback",
        -1.3118,
        "W m-2 K-1",
        (-4.0, -0.2),
        central(_CALIB),
        "lambda: net climate feedback (negative = stabilising); ECS = -F2x / lambda",
        prior=Prior(
            "lognormal",
            -1.3118,
            0.35,
            "log-width 0.289 of the fair-calibrate v1.4.1 posterior (Smith et al. 2024, GMD 17, "
            "8569) widened to 0.35 so that the AR6 very likely ECS range 2-5 K is well sampled",
        ),
    ),
    climate(
        "heat_capacity_surface",
        4.13,
        "W yr m-2 K-1",
        (1.0, 20.0),
        central(_FAIR141),
        "C1: heat capacity of the surface layer (atmosphere, land, mixed layer)",
        prior=Prior(
            "lognormal",
            4.13,
            0.258,
            _PRIOR_FAIR,
        ),
    ),
    climate(
        "heat_capacity_intermediate",
        17.21,
        "W yr m-2 K-1",
        (3.0, 60.0),
        central(_FAIR141),
        "C2: heat capacity of the intermediate ocean layer",
        prior=Prior(
            "lognormal",
            17.21,
            0.506,
            _PRIOR_FAIR,
        ),
    ),
    climate(
        "heat_capacity_deep",
        85.4,
        "W yr m-2 K-1",
        (20.0, 400.0),
        central(_FAIR141),
        "C3: heat capacity of the deep ocean layer",
        prior=Prior(
            "lognormal",
            85.4,
            0.537,
            _PRIOR_FAIR,
        ),
    ),
    climate(
        "heat_exchange_surface_intermediate",
        2.447,
        "W m-2 K-1",
        (0.3, 6.0),
        central(_FAIR141),
        "kappa2: heat exchange between surface and intermediate layers",
        prior=Prior(
            "lognormal",
            2.447,
            0.445,
            _PRIOR_FAIR,
        ),
    ),
    climate(
        "heat_exchange_intermediate_deep",
        1.156,
        "W m-2 K-1",
        (0.1, 4.0),
        central(_FAIR141),
        "kappa3: heat exchange between intermediate and deep layers",
        prior=Prior(
            "lognormal",
            1.156,
            0.658,
            _PRIOR_FAIR,
        ),
    ),
    climate(
        "deep_ocean_efficacy",
        0.9584,
        "1",
        (0.5, 2.5),
        central(_CALIB_TCR),
        "epsilon: efficacy of deep-ocean heat uptake (Held et al. 2010)",
        prior=Prior(
            "lognormal",
            0.9584,
            0.311,
            _PRIOR_FAIR,
        ),
    ),
    Param(
        "ebm_layers",
        3.0,
        "1",
        (2.0, 3.0),
        "model choice (esm.kernels.ebm.MODELS)",
        "energy-balance model: 3 or 'three-layer' (Cummins et al. 2020, the calibrated "
        "default), 2 or 'two-layer' (Held et al. 2010; Geoffroy et al. 2013: heat capacities "
        "C = heat_capacity_surface and C0 = heat_capacity_deep, exchange gamma = "
        "heat_exchange_surface_intermediate, efficacy deep_ocean_efficacy)",
        group="climate",
        choices={"three-layer": 3.0, "two-layer": 2.0},
    ),
    # feedback switches: documented once here, used by the experiments and for teaching
    switch(
        "switch_co2_fertilisation",
        1.0,
        source="model switch",
        description="1: NPP responds to CO2 (beta); 0: no CO2 fertilisation",
    ),
    switch(
        "switch_respiration_temperature",
        1.0,
        source="model switch",
        description="1: heterotrophic respiration follows Q10^(T/10); 0: Q10 = 1",
    ),
    switch(
        "switch_carbonate_chemistry",
        1.0,
        source="model switch",
        description="1: non-linear carbonate chemistry (Revelle factor grows with DIC); "
        "0: fixed buffer factor (initial slope of the Joos polynomial)",
    ),
    switch(
        "switch_ocean_solubility_temperature",
        1.0,
        source="model switch",
        description="1: surface pCO2 rises with warming (Takahashi); 0: no solubility feedback",
    ),
    switch(
        "switch_ch4_lifetime",
        1.0,
        source="model switch",
        description="1: state- and temperature-dependent CH4 lifetime; 0: constant lifetime",
    ),
    switch(
        "switch_carbon_cycle_sees_warming",
        1.0,
        source="C4MIP (Arora et al. 2020)",
        description="1: land, ocean and permafrost carbon respond to warming; 0: they see T = 0, "
        "so respiration, solubility and permafrost thaw stay pre-industrial (the C4MIP 'bgc' "
        "configuration together with switch_co2_radiative = 0)",
    ),
    switch(
        "switch_carbon_cycle_sees_co2",
        1.0,
        source="C4MIP (Arora et al. 2020)",
        description="1: land and ocean carbon respond to atmospheric CO2; 0: they see CO2_pi "
        "(the C4MIP 'rad' configuration, concentration-driven)",
    ),
    switch(
        "switch_co2_radiative",
        1.0,
        source="C4MIP (Arora et al. 2020)",
        description="1: CO2 changes radiative forcing; 0: CO2 is radiatively inert "
        "(radiative coupling of the carbon cycle off)",
    ),
)
