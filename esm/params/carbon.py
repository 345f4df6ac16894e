"""Parameters of the carbon cycle: pre-industrial state, ocean and land."""

from __future__ import annotations

from functools import partial

from esm.params._prior import Prior
from esm.params._spec import Param, central  # noqa: F401 (written by calibrate_posterior)

_AR6_T75 = "IPCC AR6 WGI Table 7.5 / Annex III (1750); data file validation/ghg_concentrations.csv"
_JOOS = "Joos et al. (1996) Tellus 48B, 397, doi:10.3402/tellusb.v48i3.15921; BernSCM (Strassmann & Joos 2018, GMD 11, 1887) parOceanHILDA.inc"  # noqa: E501
_HECTOR = "Hector v3.5 simpleNbox defaults (Dorheim et al. 2024, GMD 17, 4855; inst/input/hector_ssp245.ini)"  # noqa: E501
_CALIB = "calibrated to GCB2021 land sink and cumulative budget by validation/calibrate_defaults.py"

baseline = partial(Param, group="baseline")
ocean = partial(Param, group="ocean")
land = partial(Param, group="land")

PARAMS = (
    baseline(
        "co2_pi",
        278.3,
        "ppm",
        (180.0, 400.0),
        _AR6_T75,
        "atmospheric CO2 in the first (pre-industrial) year",
    ),
    baseline(
        "ch4_pi", 729.2, "ppb", (300.0, 1200.0), _AR6_T75, "atmospheric CH4 in the first year"
    ),
    baseline("n2o_pi", 270.1, "ppb", (180.0, 340.0), _AR6_T75, "atmospheric N2O in the first year"),
    # ---------------------------------------------------------------- ocean
    ocean(
        "ocean_gas_exchange_time",
        9.06,
        "yr",
        (3.0, 30.0),
        central(_JOOS),
        "1 / k_g: air-sea gas-exchange time-scale of the HILDA mixed layer",
        prior=Prior(
            "lognormal",
            9.06,
            0.15,
            "spread of the gas-exchange times of the Joos (1996) parent models, 7.5-9.1 yr "
            "(BernSCM parOcean*.inc)",
        ),
    ),
    ocean(
        "ocean_mixing_time_scale",
        1.5,
        "1",
        (0.3, 3.0),
        central("1 = HILDA response as published (Joos et al. 1996); ensemble perturbation"),
        "factor on the time-scales of the mixed-layer response r_s (>1: slower mixing)",
        prior=Prior(
            "lognormal",
            1.5,
            0.35,
            "assumed, wide: covers the HILDA, Bern2.5D and Princeton-3D mixed-layer responses "
            "(Joos et al. 1996) and slower overturning; the CMIP6 ocean beta/gamma spread "
            "(Arora et al. 2020) then weights it (validation/calibrate_posterior.py)",
        ),
    ),
    ocean(
        "ocean_mixed_layer_depth",
        75.0,
        "m",
        (20.0, 200.0),
        _JOOS,
        "mixed-layer depth h of the HILDA response",
    ),
    ocean("ocean_area", 3.62e14, "m2", (3.0e14, 3.8e14), _JOOS, "ocean surface area A_oc"),
    ocean(
        "ocean_chemistry_temperature",
        18.1716,
        "degC",
        (17.7, 18.3),
        _JOOS,
        "temperature of the Joos (1996) carbonate-chemistry polynomial (its valid range)",
    ),
    ocean(
        "ocean_pco2_temperature_sensitivity",
        0.0423,
        "K-1",
        (0.0, 0.08),
        "Takahashi et al. (1993) GBC 7, 843; BernSCM parOchem.inc bufferT",
        "d ln pCO2 / dT of surface water (Takahashi factor exp(alpha dT_ocean))",
    ),
    ocean(
        "ocean_surface_warming_ratio",
        0.81,
        "1",
        (0.5, 1.2),
        central("IPCC AR6 WGI SPM A.1.2: 2011-2020 warming over the ocean 0.88 K of global 1.09 K"),
        "ratio of sea-surface to global surface-air warming that drives ocean pCO2",
        prior=Prior(
            "normal",
            0.81,
            0.12,
            "assumed: stands in for the spread of the ocean carbon-climate feedback (CMIP6 "
            "gamma_ocean -17.2 +- 5.0 GtC/K, Arora et al. 2020), which also reflects "
            "circulation changes the pulse-response ocean lacks",
        ),
    ),
    # ---------------------------------------------------------------- land
    land(
        "npp_pi",
        56.2,
        "GtC yr-1",
        (30.0, 100.0),
        _HECTOR + " (Ito 2011)",
        "pre-industrial global net primary production",
    ),
    land(
        "co2_fertilisation",
        0.6,
        "1",
        (0.0, 2.5),
        central(_CALIB),
        "beta: NPP = NPP_pi (1 + beta x / (1 + s x)), x = ln(CO2 / CO2_pi); s: saturation",
        prior=Prior(
            "lognormal",
            0.6,
            0.5,
            "wide: 0.26-1.4 (5-95 %), the range of beta in reduced-form land models calibrated "
            "to CMIP models (Hector 0.36-0.65, MAGICC, OSCAR); the CMIP6 land "
            "carbon-concentration feedback 0.97 +- 0.40 GtC/ppm (Arora et al. 2020) then "
            "weights it",
        ),
    ),
    land(
        "co2_fertilisation_saturation",
        0.0,
        "1",
        (0.0, 5.0),
        central(
            "assumed; 0 = logarithmic (Hector, MAGICC); see esm.kernels.land.fertilisation_factor"
        ),
        "s: saturation of CO2 fertilisation, NPP factor 1 + beta x / (1 + s x), x = ln(CO2/CO2_pi)",
        prior=Prior(
            "uniform",
            0.0,
            2.0,
            "assumed, uninformative: from no saturation to a response at 4xCO2 a quarter of the "
            "logarithmic one; history barely constrains it, the CMIP6 land carbon-concentration "
            "feedback at 4xCO2 (Arora et al. 2020) weights it",
        ),
    ),
    land(
        "respiration_q10",
        1.45,
        "1",
        (1.0, 4.0),
        central(_CALIB),
        "Q10 of heterotrophic (detritus and soil) respiration; factor Q10^(GSAT / 10 K)",
        prior=Prior(
            "lognormal",
            1.45,
            0.3,
            "soil-respiration Q10 of 1.5-2.5 per 10 K of local temperature (Davidson & "
            "Janssens 2006, Nature 440, 165), land warming about 1.4x GSAT; truncated at 1; "
            "the CMIP6 land carbon-climate feedback (Arora et al. 2020) then weights it",
        ),
    ),
    land(
        "npp_fraction_vegetation",
        0.35,
        "1",
        (0.05, 0.9),
        _HECTOR,
        "share of NPP allocated to vegetation",
    ),
    land(
        "npp_fraction_detritus",
        0.60,
        "1",
        (0.05, 0.9),
        _HECTOR,
        "share of NPP allocated to detritus (litter); the rest goes to soil",
    ),
    land(
        "litterfall_fraction_detritus",
        0.98,
        "1",
        (0.0, 1.0),
        _HECTOR,
        "share of vegetation turnover entering detritus; the rest enters soil",
    ),
    land(
        "vegetation_turnover_rate",
        0.05,
        "yr-1",
        (0.005, 0.5),
        central(_HECTOR),
        "k_v: vegetation carbon turnover (litterfall) rate",
        prior=Prior(
            "lognormal",
            0.05,
            0.4,
            "vegetation residence times of 10-40 yr across CMIP land models (Koven et al. "
            "2015, BG 12, 5211); Hector 0.035",
        ),
    ),
    land(
        "detritus_respiration_rate",
        0.25,
        "yr-1",
        (0.01, 2.0),
        _HECTOR,
        "k_dr: detritus heterotrophic respiration rate at pre-industrial temperature",
    ),
    land(
        "detritus_to_soil_rate",
        0.6,
        "yr-1",
        (0.01, 2.0),
        _HECTOR,
        "k_ds: detritus-to-soil transfer rate",
    ),
    land(
        "soil_respiration_rate",
        0.035,
        "yr-1",
        (0.002, 0.2),
        central(_HECTOR),
        "k_s: soil heterotrophic respiration rate at pre-industrial temperature",
        prior=Prior(
            "lognormal",
            0.035,
            0.5,
            "soil turnover times of 15-65 yr (5-95 %) spanning CMIP5 models (Todd-Brown et al. "
            "2013, BG 10, 1717) and the observed ecosystem turnover, 23 [19-30] yr "
            "(Carvalhais et al. 2014, Nature 514, 213); Hector 0.02",
        ),
    ),
)
