"""Parameters of effective radiative forcing (ERF).

Coefficients per emission are W m-2 per (Mt yr-1) of the species (SO2 as SO2, NOx as NO2,
BC and OC as C) above the first-year emissions; per concentration they are W m-2 per ppb of
CH4/N2O or per ppt of EESC above the first-year state.
"""

from __future__ import annotations

from functools import partial

from esm.params._prior import Prior
from esm.params._spec import Param, central  # noqa: F401 (written by calibrate_posterior)

_PRIOR_AR6 = (
    "AR6 WGI Table 7.8 5-95 % range of the 2019 ERF, as a relative normal width "
    "(validation/ar6_erf_2019.csv; Smith et al. 2021)"
)

_FAIR_AR6 = (
    "AR6 WGI Ch.7 emulator defaults: FaIR 2.1.0 species_configs_properties.csv "
    "(Smith et al. 2021; Leach et al. 2021, GMD 14, 3007)"
)
_MEIN = "Meinshausen et al. (2020) GMD 13, 3571; AR6 WGI Ch.7 Table 7.3 adjustments"
_CALIB = "calibrated to AR6 2019 ERF best estimates by validation/calibrate_defaults.py"

f = partial(Param, group="forcing")
E = "W m-2 (Mt yr-1)-1"

PARAMS = (
    f(
        "erf_scale_co2",
        1.0,
        "1",
        (0.5, 1.5),
        central("1 = Meinshausen et al. (2020) as in AR6"),
        "scale factor on CO2 ERF",
        prior=Prior(
            "normal",
            1.0,
            0.0727,
            _PRIOR_AR6,
        ),
    ),
    f(
        "erf_scale_ch4",
        1.0,
        "1",
        (0.5, 1.5),
        "1 = Meinshausen et al. (2020) as in AR6",
        "scale factor on CH4 ERF",
        prior=Prior(
            "normal",
            1.0,
            0.122,
            _PRIOR_AR6,
        ),
    ),
    f(
        "erf_scale_n2o",
        1.0,
        "1",
        (0.5, 1.5),
        "1 = Meinshausen et al. (2020) as in AR6",
        "scale factor on N2O ERF",
        prior=Prior(
            "normal",
            1.0,
            0.0869,
            _PRIOR_AR6,
        ),
    ),
    f(
        "erf_scale_halogens",
        1.0,
        "1",
        (0.5, 1.5),
        "1 = radiative efficiencies of AR6 Table 7.SM.7 (esm/params/halogens.csv)",
        "scale factor on the ERF of all halogenated gases",
        prior=Prior(
            "normal",
            1.0,
            0.116,
            _PRIOR_AR6,
        ),
    ),
    f(
        "adjustment_co2",
        0.05,
        "1",
        (-0.5, 0.5),
        _MEIN,
        "tropospheric adjustment of CO2 (ERF/SARF - 1)",
    ),
    f("adjustment_ch4", -0.14, "1", (-0.5, 0.5), _MEIN, "tropospheric adjustment of CH4"),
    f("adjustment_n2o", 0.07, "1", (-0.5, 0.5), _MEIN, "tropospheric adjustment of N2O"),
    # aerosol-radiation interactions (linear in emissions)
    f("ari_so2", -0.00286, E, (-0.02, 0.0), _FAIR_AR6, "ERFari per SO2 emission"),
    f("ari_bc", 0.021, E, (0.0, 0.1), _FAIR_AR6, "ERFari per black-carbon emission"),
    f("ari_oc", -0.00396, E, (-0.03, 0.0), _FAIR_AR6, "ERFari per organic-carbon emission"),
    f("ari_nh3", -0.000565, E, (-0.005, 0.0), _FAIR_AR6, "ERFari per NH3 emission (nitrate)"),
    f("ari_nox", -6.7e-05, E, (-0.001, 0.0), _FAIR_AR6, "ERFari per NOx emission (nitrate)"),
    f("ari_nmvoc", -1.6e-05, E, (-0.001, 0.0), _FAIR_AR6, "ERFari per NMVOC emission (SOA)"),
    f("ari_ch4", -2.27e-06, "W m-2 ppb-1", (-0.0001, 0.0), _FAIR_AR6, "ERFari per ppb CH4"),
    f("ari_n2o", -3.64e-05, "W m-2 ppb-1", (-0.001, 0.0), _FAIR_AR6, "ERFari per ppb N2O"),
    f("ari_eesc", -7.17e-06, "W m-2 ppt-1", (-0.0001, 0.0), _FAIR_AR6, "ERFari per ppt EESC"),
    f(
        "erf_scale_ari",
        1.0437,
        "1",
        (0.0, 3.0),
        central(_CALIB),
        "scale factor on ERFari",
        prior=Prior("normal", 1.0437, 0.7515, _PRIOR_AR6),
    ),
    # aerosol-cloud interactions (logarithmic in emissions)
    f(
        "aci_beta",
        -1.041,
        "W m-2",
        (-5.0, 0.0),
        central(_CALIB + " (AR6 default -1.03057237)"),
        "beta in ERFaci = beta ln(1 + s_SO2 E_SO2 + s_BC E_BC + s_OC E_OC) - baseline",
        prior=Prior(
            "normal",
            -1.041,
            0.4476,
            _PRIOR_AR6,
        ),
    ),
    f("aci_so2", 0.0169, "(Mt yr-1)-1", (0.0, 1.0), _FAIR_AR6, "s_SO2 of ERFaci"),
    f("aci_bc", 1.04e-15, "(Mt yr-1)-1", (0.0, 1.0), _FAIR_AR6, "s_BC of ERFaci"),
    f("aci_oc", 0.0309, "(Mt yr-1)-1", (0.0, 1.0), _FAIR_AR6, "s_OC of ERFaci"),
    # ozone (Thornhill et al. 2021; Skeie et al. 2020)
    f("ozone_ch4", 0.000175, "W m-2 ppb-1", (0.0, 0.001), _FAIR_AR6, "ozone ERF per ppb CH4"),
    f("ozone_n2o", 0.00071, "W m-2 ppb-1", (0.0, 0.005), _FAIR_AR6, "ozone ERF per ppb N2O"),
    f(
        "ozone_eesc",
        -0.000125,
        "W m-2 ppt-1",
        (-0.001, 0.0),
        _FAIR_AR6,
        "ozone ERF per ppt EESC (stratospheric depletion)",
    ),
    f("ozone_co", 0.000155, E, (0.0, 0.001), _FAIR_AR6, "ozone ERF per CO emission"),
    f("ozone_nmvoc", 0.000329, E, (0.0, 0.002), _FAIR_AR6, "ozone ERF per NMVOC emission"),
    f("ozone_nox", 0.0018, E, (0.0, 0.01), _FAIR_AR6, "ozone ERF per NOx (as NO2) emission"),
    f(
        "ozone_temperature_feedback",
        -0.037,
        "W m-2 K-1",
        (-0.2, 0.0),
        _FAIR_AR6,
        "change of ozone ERF per K of GSAT (previous year)",
    ),
    f(
        "erf_scale_ozone",
        1.107,
        "1",
        (0.0, 3.0),
        _CALIB,
        "scale factor on ozone ERF (non-T part)",
        prior=Prior("normal", 1.1067, 0.3353, _PRIOR_AR6),
    ),
    # other anthropogenic
    f(
        "h2o_stratospheric_ch4",
        4.397e-05,
        "W m-2 ppb-1",
        (0.0, 0.0003),
        "fair-calibrate v1.4.1 species file (AR6: 0.05 W m-2 in 2019)",
        "stratospheric water-vapour ERF per ppb CH4 above pre-industrial",
        prior=Prior(
            "normal",
            4.39704431e-05,
            2.682e-05,
            _PRIOR_AR6,
        ),
    ),
    f(
        "contrails_nox_aviation",
        0.01466,
        "W m-2 (Mt NO2 yr-1)-1",
        (0.0, 0.1),
        _FAIR_AR6,
        "contrail and contrail-cirrus ERF per aviation NOx emission",
        prior=Prior(
            "normal",
            0.014664524,
            0.006012,
            _PRIOR_AR6,
        ),
    ),
    f(
        "bc_on_snow_bc",
        0.01159,
        E,
        (0.0, 0.1),
        _FAIR_AR6,
        "ERF of light-absorbing particles on snow and ice per BC emission",
        prior=Prior(
            "normal",
            0.011585926,
            0.007878,
            _PRIOR_AR6,
        ),
    ),
    f(
        "land_use_albedo",
        -0.0008727,
        "W m-2 GtC-1",
        (-0.005, 0.0),
        _CALIB + " (AR6 emulator: -0.00028729 per GtCO2)",
        "land-use albedo (and irrigation) ERF per GtC of cumulative land-use CO2 emissions",
        prior=Prior(
            "normal",
            -0.0008727,
            0.0002653,
            _PRIOR_AR6,
        ),
    ),
    f(
        "erf_scale_solar",
        1.0,
        "1",
        (0.0, 3.0),
        "1 = AR6 solar ERF (forcings/natural_forcing.csv)",
        "scale factor on solar ERF",
        prior=Prior(
            "normal",
            1.0,
            0.30,
            "fair-calibrate v1.4.1 prior for the solar forcing scale (+-50 % 5-95 %)",
        ),
    ),
    f(
        "erf_scale_volcanic",
        1.0,
        "1",
        (0.0, 3.0),
        "1 = AR6 volcanic ERF (forcings/natural_forcing.csv)",
        "scale factor on volcanic ERF",
        prior=Prior("normal", 1.0, 0.152, "AR6 WGI Ch.7: volcanic ERF +-25 % (5-95 %)"),
    ),
)
