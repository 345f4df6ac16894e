"""Physical constants and unit conversions, each named once with its units and source."""

from __future__ import annotations

#: Atmospheric CO2 mass per ppm [GtC ppm-1]; the Global Carbon Budget convention
#: (Friedlingstein et al. 2022, ESSD 14, 1917; every GCB2021 growth value is 0.01 ppm x 2.124).
GTC_PER_PPM = 2.124

#: Mass ratio CO2 / C [GtCO2 GtC-1] (GCB: "multiply by 3.664").
GTCO2_PER_GTC = 3.664

#: Mass of the dry atmosphere [kg] (FaIR 2 ``earth_params.py``; Trenberth & Smith 2005).
MASS_ATMOSPHERE = 5.1352e18

#: Mean molar mass of dry air [g mol-1] (FaIR 2 ``earth_params.py``).
MOLAR_MASS_AIR = 28.97

#: Moles of dry air in the atmosphere [mol].
MOLES_AIR = MASS_ATMOSPHERE * 1e3 / MOLAR_MASS_AIR

#: Molar masses [g mol-1] (IUPAC standard atomic weights; FaIR 2 species table for molecules).
MOLAR_MASS_C = 12.011
MOLAR_MASS_N = 14.007
MOLAR_MASS_S = 32.06
MOLAR_MASS_CO2 = 44.009
MOLAR_MASS_CH4 = 16.043
MOLAR_MASS_N2O = 44.013
MOLAR_MASS_NO2 = 46.006
MOLAR_MASS_SO2 = 64.066
MOLAR_MASS_NH3 = 17.031

#: Mean Earth radius [m] (FaIR 2 ``earth_params.py``).
EARTH_RADIUS = 6.371e6

#: Seconds per (tropical) year [s yr-1] (FaIR 2 ``earth_params.py``).
SECONDS_PER_YEAR = 365.24219 * 86400.0

#: Share of the Earth's energy gain stored in the ocean [1]: 91 % (IPCC AR6 WGI SPM A.4.2,
#: Table 7.1; ocean 91 %, land 5 %, ice 3 %, atmosphere 1 %).
OCEAN_HEAT_FRACTION = 0.91

#: Bromine efficiency relative to chlorine for stratospheric ozone depletion (EESC) [1]
#: (WMO 2018; FaIR 2 ``br_cl_ods_potential``).
BR_CL_RATIO = 45.0


def mass_per_mole_fraction(molar_mass: float) -> float:
    """Mass of a gas per unit mole fraction in the whole atmosphere.

    Returns Tg per ppb, which is numerically equal to kt per ppt
    (e.g. 2.844 Tg CH4 ppb-1 for CH4, 24.35 kt ppt-1 for CFC-11).
    """
    return MOLES_AIR * molar_mass * 1e-21


#: Tg CH4 per ppb and Tg N2O per ppb in the whole atmosphere.
TG_PER_PPB_CH4 = mass_per_mole_fraction(MOLAR_MASS_CH4)
TG_PER_PPB_N2O = mass_per_mole_fraction(MOLAR_MASS_N2O)

#: Joules per zettajoule.
JOULES_PER_ZJ = 1e21

#: Surface area of the Earth [m2].
EARTH_AREA = 4.0 * 3.141592653589793 * EARTH_RADIUS**2
