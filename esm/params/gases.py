"""Parameters of the CH4 and N2O cycles (halogen properties: esm/params/halogens.csv)."""

from __future__ import annotations

from functools import partial

from esm.params._prior import Prior
from esm.params._spec import Param, central  # noqa: F401 (written by calibrate_posterior)

_THORNHILL = (
    "Thornhill et al. (2021) ACP 21, 853, doi:10.5194/acp-21-853-2021; values of the "
    "AR6 FaIR 2.1.0 species file (species_configs_properties.csv)"
)
_CALIB = "calibrated to AR6 2019 concentrations by validation/calibrate_defaults.py"

gas = partial(Param, group="gases")

PARAMS = (
    gas(
        "ch4_lifetime_pi",
        11.2703,
        "yr",
        (5.0, 15.0),
        central(_CALIB),
        "total atmospheric CH4 lifetime in the first-year (pre-industrial) state",
        prior=Prior(
            "lognormal", 11.2703, 0.1, "AR6 / Prather et al. (2012): CH4 lifetime +-10 % (1 sigma)"
        ),
    ),
    gas(
        "ch4_lifetime_ch4_sensitivity",
        0.000254099,
        "ppb-1",
        (0.0, 0.001),
        central(_THORNHILL),
        "s_CH4 in ln(tau/tau_pi) = sum ln(1 + s_i dx_i) (CH4 self-feedback on OH)",
        prior=Prior(
            "normal",
            0.000254099,
            7.623e-05,
            "assumed +-30 % on the AerChemMIP multi-model mean (Thornhill et al. 2021)",
        ),
    ),
    gas(
        "ch4_lifetime_n2o_sensitivity",
        -0.000722665,
        "ppb-1",
        (-0.005, 0.0),
        central(_THORNHILL),
        "s_N2O of the CH4 lifetime",
        prior=Prior(
            "normal",
            -0.000722665,
            0.0002168,
            "assumed +-30 % on the AerChemMIP multi-model mean (Thornhill et al. 2021)",
        ),
    ),
    gas(
        "ch4_lifetime_nox_sensitivity",
        -0.00256486,
        "(Mt NO2 yr-1)-1",
        (-0.01, 0.0),
        central(_THORNHILL),
        "s_NOx of the CH4 lifetime (NOx raises OH, shortening the lifetime)",
        prior=Prior(
            "normal",
            -0.002564856,
            0.0007695,
            "assumed +-30 % on the AerChemMIP multi-model mean (Thornhill et al. 2021)",
        ),
    ),
    gas(
        "ch4_lifetime_nmvoc_sensitivity",
        0.00161926,
        "(Mt yr-1)-1",
        (0.0, 0.005),
        central(_THORNHILL),
        "s_NMVOC of the CH4 lifetime",
        prior=Prior(
            "normal",
            0.001619264,
            0.0004858,
            "assumed +-30 % on the AerChemMIP multi-model mean (Thornhill et al. 2021)",
        ),
    ),
    gas(
        "ch4_lifetime_eesc_sensitivity",
        -5.33e-06,
        "ppt-1",
        (-0.0001, 0.0001),
        _THORNHILL,
        "s_EESC of the CH4 lifetime",
    ),
    gas(
        "ch4_lifetime_temperature_sensitivity",
        -0.0408,
        "K-1",
        (-0.1, 0.0),
        central(_THORNHILL),
        "s_T of the CH4 lifetime (warming shortens it)",
        prior=Prior(
            "normal",
            -0.0408,
            0.01224,
            "assumed +-30 % on the AerChemMIP multi-model mean (Thornhill et al. 2021)",
        ),
    ),
    gas(
        "n2o_lifetime_pi",
        117.61,
        "yr",
        (80.0, 160.0),
        central(_CALIB),
        "total atmospheric N2O lifetime in the first-year state",
        prior=Prior("lognormal", 117.61, 0.078, "AR6 WGI Ch.6: N2O lifetime 116 +- 9 yr"),
    ),
    gas(
        "n2o_lifetime_n2o_exponent",
        -0.05,
        "1",
        (-0.2, 0.0),
        "Ward & Mahowald (2014) ACP 14, 12701, eq. B8; Hector n2o_component.cpp",
        "k in tau = tau_pi (N2O / N2O_pi)^k",
    ),
)
