"""Array layouts shared by the kernels and the Python layers above them.

This module is the single source of truth for the order of

* emitted species (columns of the emissions array ``emis[year, species]``),
* parameters (entries of the per-member parameter vector ``p``),
* halogen-property columns (``halo[gas, property]``),
* integrator state (``state``) and per-year outputs (``out[year, variable]``),
* status codes written by the integrator.

Every index is a plain module-level ``int`` so that numba treats it as a compile-time
constant. ``tests/test_layout.py`` checks that each constant equals the position of its name
in the corresponding ``*_NAMES`` tuple and that ``esm.params`` declares exactly
``PARAM_NAMES``.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------
# Emitted species: columns of emis[year, species], internal units (see esm.scenarios.units)
# --------------------------------------------------------------------------------------
HALOGEN_NAMES = (
    "cfc11",
    "cfc12",
    "cfc113",
    "cfc114",
    "cfc115",
    "hcfc22",
    "hcfc141b",
    "hcfc142b",
    "ccl4",
    "chcl3",
    "ch2cl2",
    "ch3cl",
    "ch3ccl3",
    "ch3br",
    "halon1211",
    "halon1301",
    "halon2402",
    "cf4",
    "c2f6",
    "c3f8",
    "c_c4f8",
    "c4f10",
    "c5f12",
    "c6f14",
    "c7f16",
    "c8f18",
    "nf3",
    "sf6",
    "so2f2",
    "hfc125",
    "hfc134a",
    "hfc143a",
    "hfc152a",
    "hfc227ea",
    "hfc23",
    "hfc236fa",
    "hfc245fa",
    "hfc32",
    "hfc365mfc",
    "hfc4310mee",
)

SPECIES_NAMES = (
    "co2_fossil",
    "co2_landuse",
    "ch4",
    "n2o",
    "so2",
    "bc",
    "oc",
    "nh3",
    "nox",
    "nox_aviation",
    "nmvoc",
    "co",
) + HALOGEN_NAMES

E_CO2_FOSSIL = 0
E_CO2_LANDUSE = 1
E_CH4 = 2
E_N2O = 3
E_SO2 = 4
E_BC = 5
E_OC = 6
E_NH3 = 7
E_NOX = 8
E_NOX_AVIATION = 9
E_NMVOC = 10
E_CO = 11
E_HALOGEN0 = 12
N_HALOGENS = len(HALOGEN_NAMES)
N_SPECIES = len(SPECIES_NAMES)

# Natural forcing columns of natural[year, k] (W m-2)
NATURAL_NAMES = ("solar", "volcanic")
N_SOLAR = 0
N_VOLCANIC = 1

# --------------------------------------------------------------------------------------
# Halogen property columns of halo[gas, k] (from esm/params/halogens.csv)
# --------------------------------------------------------------------------------------
HALO_NAMES = (
    "molecular_weight",
    "lifetime",
    "radiative_efficiency",
    "tropospheric_adjustment",
    "baseline_concentration",
    "cl_atoms",
    "br_atoms",
    "fractional_release",
)
H_MOLECULAR_WEIGHT = 0
H_LIFETIME = 1
H_RADIATIVE_EFFICIENCY = 2
H_ADJUSTMENT = 3
H_BASELINE = 4
H_CL_ATOMS = 5
H_BR_ATOMS = 6
H_FRACTIONAL_RELEASE = 7
N_HALO = len(HALO_NAMES)

# --------------------------------------------------------------------------------------
# Parameters: entries of p[k]. Units, defaults, bounds and sources: esm/params/.
# --------------------------------------------------------------------------------------
PARAM_NAMES = (
    # pre-industrial (first-year) state
    "co2_pi",
    "ch4_pi",
    "n2o_pi",
    # ocean carbon (Joos et al. 1996 HILDA mixed-layer pulse response)
    "ocean_gas_exchange_time",
    "ocean_mixing_time_scale",
    "ocean_mixed_layer_depth",
    "ocean_area",
    "ocean_chemistry_temperature",
    "ocean_pco2_temperature_sensitivity",
    "ocean_surface_warming_ratio",
    # land carbon (vegetation / detritus / soil pools)
    "npp_pi",
    "co2_fertilisation",
    "co2_fertilisation_saturation",
    "respiration_q10",
    "npp_fraction_vegetation",
    "npp_fraction_detritus",
    "litterfall_fraction_detritus",
    "vegetation_turnover_rate",
    "detritus_respiration_rate",
    "detritus_to_soil_rate",
    "soil_respiration_rate",
    # CH4 and N2O cycles
    "ch4_lifetime_pi",
    "ch4_lifetime_ch4_sensitivity",
    "ch4_lifetime_n2o_sensitivity",
    "ch4_lifetime_nox_sensitivity",
    "ch4_lifetime_nmvoc_sensitivity",
    "ch4_lifetime_eesc_sensitivity",
    "ch4_lifetime_temperature_sensitivity",
    "n2o_lifetime_pi",
    "n2o_lifetime_n2o_exponent",
    # greenhouse-gas forcing
    "erf_scale_co2",
    "erf_scale_ch4",
    "erf_scale_n2o",
    "erf_scale_halogens",
    "adjustment_co2",
    "adjustment_ch4",
    "adjustment_n2o",
    # aerosol-radiation interactions
    "ari_so2",
    "ari_bc",
    "ari_oc",
    "ari_nh3",
    "ari_nox",
    "ari_nmvoc",
    "ari_ch4",
    "ari_n2o",
    "ari_eesc",
    "erf_scale_ari",
    # aerosol-cloud interactions
    "aci_beta",
    "aci_so2",
    "aci_bc",
    "aci_oc",
    # ozone
    "ozone_ch4",
    "ozone_n2o",
    "ozone_eesc",
    "ozone_co",
    "ozone_nmvoc",
    "ozone_nox",
    "ozone_temperature_feedback",
    "erf_scale_ozone",
    # other anthropogenic and natural forcing
    "h2o_stratospheric_ch4",
    "contrails_nox_aviation",
    "bc_on_snow_bc",
    "land_use_albedo",
    "erf_scale_solar",
    "erf_scale_volcanic",
    # three-layer energy-balance model
    "climate_feedback",
    "heat_capacity_surface",
    "heat_capacity_intermediate",
    "heat_capacity_deep",
    "heat_exchange_surface_intermediate",
    "heat_exchange_intermediate_deep",
    "deep_ocean_efficacy",
    # feedback switches (1 = on, 0 = off)
    "switch_co2_fertilisation",
    "switch_respiration_temperature",
    "switch_carbonate_chemistry",
    "switch_ocean_solubility_temperature",
    "switch_ch4_lifetime",
    "switch_carbon_cycle_sees_warming",
    "switch_carbon_cycle_sees_co2",
    "switch_co2_radiative",
    # permafrost carbon (Gasser et al. 2018 reduced form) and its switch
    "permafrost_carbon_pi",
    "permafrost_warming_amplification",
    "permafrost_thaw_sensitivity",
    "permafrost_thaw_min_fraction",
    "permafrost_thaw_shape",
    "permafrost_thaw_rate",
    "permafrost_refreeze_rate",
    "permafrost_fast_fraction",
    "permafrost_fast_turnover_time",
    "permafrost_slow_turnover_time",
    "permafrost_respiration_sensitivity",
    "permafrost_ch4_fraction",
    "switch_permafrost",
)

P_CO2_PI = 0
P_CH4_PI = 1
P_N2O_PI = 2
P_OCEAN_GAS_EXCHANGE_TIME = 3
P_OCEAN_MIXING_TIME_SCALE = 4
P_OCEAN_MIXED_LAYER_DEPTH = 5
P_OCEAN_AREA = 6
P_OCEAN_CHEMISTRY_TEMPERATURE = 7
P_OCEAN_PCO2_TEMPERATURE_SENSITIVITY = 8
P_OCEAN_SURFACE_WARMING_RATIO = 9
P_NPP_PI = 10
P_CO2_FERTILISATION = 11
P_CO2_FERTILISATION_SATURATION = 12
P_RESPIRATION_Q10 = 13
P_NPP_FRACTION_VEGETATION = 14
P_NPP_FRACTION_DETRITUS = 15
P_LITTERFALL_FRACTION_DETRITUS = 16
P_VEGETATION_TURNOVER_RATE = 17
P_DETRITUS_RESPIRATION_RATE = 18
P_DETRITUS_TO_SOIL_RATE = 19
P_SOIL_RESPIRATION_RATE = 20
P_CH4_LIFETIME_PI = 21
P_CH4_LIFETIME_CH4_SENSITIVITY = 22
P_CH4_LIFETIME_N2O_SENSITIVITY = 23
P_CH4_LIFETIME_NOX_SENSITIVITY = 24
P_CH4_LIFETIME_NMVOC_SENSITIVITY = 25
P_CH4_LIFETIME_EESC_SENSITIVITY = 26
P_CH4_LIFETIME_TEMPERATURE_SENSITIVITY = 27
P_N2O_LIFETIME_PI = 28
P_N2O_LIFETIME_N2O_EXPONENT = 29
P_ERF_SCALE_CO2 = 30
P_ERF_SCALE_CH4 = 31
P_ERF_SCALE_N2O = 32
P_ERF_SCALE_HALOGENS = 33
P_ADJUSTMENT_CO2 = 34
P_ADJUSTMENT_CH4 = 35
P_ADJUSTMENT_N2O = 36
P_ARI_SO2 = 37
P_ARI_BC = 38
P_ARI_OC = 39
P_ARI_NH3 = 40
P_ARI_NOX = 41
P_ARI_NMVOC = 42
P_ARI_CH4 = 43
P_ARI_N2O = 44
P_ARI_EESC = 45
P_ERF_SCALE_ARI = 46
P_ACI_BETA = 47
P_ACI_SO2 = 48
P_ACI_BC = 49
P_ACI_OC = 50
P_OZONE_CH4 = 51
P_OZONE_N2O = 52
P_OZONE_EESC = 53
P_OZONE_CO = 54
P_OZONE_NMVOC = 55
P_OZONE_NOX = 56
P_OZONE_TEMPERATURE_FEEDBACK = 57
P_ERF_SCALE_OZONE = 58
P_H2O_STRATOSPHERIC_CH4 = 59
P_CONTRAILS_NOX_AVIATION = 60
P_BC_ON_SNOW_BC = 61
P_LAND_USE_ALBEDO = 62
P_ERF_SCALE_SOLAR = 63
P_ERF_SCALE_VOLCANIC = 64
P_CLIMATE_FEEDBACK = 65
P_HEAT_CAPACITY_SURFACE = 66
P_HEAT_CAPACITY_INTERMEDIATE = 67
P_HEAT_CAPACITY_DEEP = 68
P_HEAT_EXCHANGE_SURFACE_INTERMEDIATE = 69
P_HEAT_EXCHANGE_INTERMEDIATE_DEEP = 70
P_DEEP_OCEAN_EFFICACY = 71
P_SWITCH_CO2_FERTILISATION = 72
P_SWITCH_RESPIRATION_TEMPERATURE = 73
P_SWITCH_CARBONATE_CHEMISTRY = 74
P_SWITCH_OCEAN_SOLUBILITY_TEMPERATURE = 75
P_SWITCH_CH4_LIFETIME = 76
P_SWITCH_CARBON_CYCLE_SEES_WARMING = 77
P_SWITCH_CARBON_CYCLE_SEES_CO2 = 78
P_SWITCH_CO2_RADIATIVE = 79
P_PERMAFROST_CARBON_PI = 80
P_PERMAFROST_WARMING_AMPLIFICATION = 81
P_PERMAFROST_THAW_SENSITIVITY = 82
P_PERMAFROST_THAW_MIN_FRACTION = 83
P_PERMAFROST_THAW_SHAPE = 84
P_PERMAFROST_THAW_RATE = 85
P_PERMAFROST_REFREEZE_RATE = 86
P_PERMAFROST_FAST_FRACTION = 87
P_PERMAFROST_FAST_TURNOVER_TIME = 88
P_PERMAFROST_SLOW_TURNOVER_TIME = 89
P_PERMAFROST_RESPIRATION_SENSITIVITY = 90
P_PERMAFROST_CH4_FRACTION = 91
P_SWITCH_PERMAFROST = 92
N_PARAMS = len(PARAM_NAMES)

# --------------------------------------------------------------------------------------
# Integrator state (one member). Carbon perturbations relative to the first year.
# --------------------------------------------------------------------------------------
N_OCEAN_BOXES = 6  # exponential terms of the HILDA mixed-layer response (BernSCM refit)

STATE_NAMES = (
    "co2_perturbation",
    "ocean_box0",
    "ocean_box1",
    "ocean_box2",
    "ocean_box3",
    "ocean_box4",
    "ocean_box5",
    "ocean_uptake",
    "carbon_vegetation",
    "carbon_detritus",
    "carbon_soil",
    "cumulative_landuse",
    "temperature_surface",
    "temperature_intermediate",
    "temperature_deep",
    "ch4",
    "n2o",
    "cumulative_emissions",
    "cumulative_ocean_sink",
    "cumulative_land_sink",
    "permafrost_frozen",
    "permafrost_thawed_fast",
    "permafrost_thawed_slow",
    "permafrost_thawed_fraction",
    "cumulative_permafrost_ch4",
)
S_DCO2 = 0  # ppm above co2_pi
S_OCEAN0 = 1  # first of N_OCEAN_BOXES recursive convolution integrals (ppm yr)
S_OCEAN_UPTAKE = 7  # cumulative air-to-sea flux (ppm of atmospheric CO2 equivalent)
S_VEG = 8  # GtC
S_DET = 9  # GtC
S_SOIL = 10  # GtC
S_CUM_LUC = 11  # GtC, cumulative land-use emissions
S_T1 = 12  # K
S_T2 = 13  # K
S_T3 = 14  # K
S_CH4 = 15  # ppb
S_N2O = 16  # ppb
S_CUM_EMIS = 17  # GtC, cumulative fossil + land-use CO2 emissions
S_CUM_OCEAN = 18  # GtC, cumulative ocean sink
S_CUM_LAND = 19  # GtC, cumulative natural land sink
S_PF_FROZEN = 20  # GtC, frozen permafrost carbon (permafrost_carbon_pi in the first year)
S_PF_FAST = 21  # GtC, thawed permafrost carbon, fast pool
S_PF_SLOW = 22  # GtC, thawed permafrost carbon, slow pool
S_PF_FRACTION = 23  # 1, thawed fraction of the first-year frozen area
S_PF_CUM_CH4 = 24  # GtC, cumulative permafrost carbon emitted as CH4 (leaves the CO2 system)
N_STATE = len(STATE_NAMES)

# --------------------------------------------------------------------------------------
# Per-year kernel outputs out[year, k]: annual means of states, annual totals of fluxes.
# Names, units and long names of the public variables: esm/metadata.py.
# --------------------------------------------------------------------------------------
OUT_NAMES = (
    "co2",
    "ch4",
    "n2o",
    "temperature",
    "temperature_intermediate",
    "temperature_deep",
    "erf",
    "erf_co2",
    "erf_ch4",
    "erf_n2o",
    "erf_halogens",
    "erf_ozone",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
    "erf_h2o_stratospheric",
    "erf_land_use",
    "erf_bc_on_snow",
    "erf_contrails",
    "erf_solar",
    "erf_volcanic",
    "emissions_co2_fossil",
    "emissions_co2_landuse",
    "atmospheric_growth",
    "ocean_sink",
    "land_sink",
    "npp",
    "heterotrophic_respiration",
    "carbon_vegetation",
    "carbon_detritus",
    "carbon_soil",
    "ocean_carbon",
    "cumulative_emissions_co2",
    "ocean_dic",
    "ocean_pco2",
    "heat_content",
    "toa_imbalance",
    "ch4_lifetime",
    "eesc",
    "carbon_residual",
    "co2_end",
    "permafrost_emissions_co2",
    "permafrost_emissions_ch4",
    "carbon_permafrost_frozen",
    "carbon_permafrost_thawed",
    "permafrost_thawed_fraction",
)
O_CO2 = 0
O_CH4 = 1
O_N2O = 2
O_TEMPERATURE = 3
O_TEMPERATURE_INTERMEDIATE = 4
O_TEMPERATURE_DEEP = 5
O_ERF = 6
O_ERF_CO2 = 7
O_ERF_CH4 = 8
O_ERF_N2O = 9
O_ERF_HALOGENS = 10
O_ERF_OZONE = 11
O_ERF_ARI = 12
O_ERF_ACI = 13
O_ERF_H2O_STRAT = 14
O_ERF_LAND_USE = 15
O_ERF_BC_ON_SNOW = 16
O_ERF_CONTRAILS = 17
O_ERF_SOLAR = 18
O_ERF_VOLCANIC = 19
O_EMIS_CO2_FOSSIL = 20
O_EMIS_CO2_LANDUSE = 21
O_ATMOSPHERIC_GROWTH = 22
O_OCEAN_SINK = 23
O_LAND_SINK = 24
O_NPP = 25
O_RH = 26
O_C_VEG = 27
O_C_DET = 28
O_C_SOIL = 29
O_OCEAN_CARBON = 30
O_CUM_EMIS = 31
O_OCEAN_DIC = 32
O_OCEAN_PCO2 = 33
O_HEAT_CONTENT = 34
O_TOA = 35
O_CH4_LIFETIME = 36
O_EESC = 37
O_CARBON_RESIDUAL = 38
O_CO2_END = 39
O_PF_EMIS_CO2 = 40
O_PF_EMIS_CH4 = 41
O_C_PF_FROZEN = 42
O_C_PF_THAWED = 43
O_PF_THAWED_FRACTION = 44
N_OUT = len(OUT_NAMES)

# --------------------------------------------------------------------------------------
# Status codes (bit flags) written per member by the integrator; the runner raises/warns.
# --------------------------------------------------------------------------------------
STATUS_OK = 0
STATUS_NONFINITE = 1  # a state became NaN or infinite
STATUS_NEGATIVE_POOL = 2  # a land carbon pool or a concentration went negative
STATUS_CHEMISTRY_RANGE = 4  # ocean pCO2 perturbation beyond the Joos polynomial's range
STATUS_LIFETIME_RANGE = 8  # a CH4 lifetime factor (1 + s*dx) became non-positive
STATUS_CONC_SOLVER = 16  # concentration-driven emissions solver did not converge
