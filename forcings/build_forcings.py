"""Build the compact scenario input files shipped with ``esm`` from the raw reference data.

Run from anywhere::

    python forcings/build_forcings.py [--shared PATH]

``PATH`` defaults to ``<repo root>/../shared/data``. The package never reads that folder at run
time: everything the model needs is derived here, and re-running this script regenerates the
outputs byte for byte (fixed float formatting, gzip with ``mtime=0``, fixed line order).

Outputs
-------
``forcings/emissions/<scenario>.csv.gz``
    Annual global emissions 1750-2499 for the eight SSPs of fair-calibrate v1.4.1 (ssp119,
    ssp126, ssp245, ssp370, ssp434, ssp460, ssp534-over, ssp585), and
    ``forcings/emissions/historical.csv.gz`` (1750-2020). One row per species, one column per
    year, ``# `` comment lines on top.
``forcings/natural_forcing.csv``
    Annual-mean solar and volcanic ERF (W m-2), 1750-2499.
``esm/params/halogens.csv``
    Property table of the 40 halogenated gases (the model's single source for them).

Method
------
* Base emissions: fair-calibrate v1.4.1 ``ssps_harmonized_1750-2499.nc`` (FaIR 2 units,
  timepoints 1750.5 ... 2499.5 labelled as years 1750 ... 2499). All non-CO2 species are taken
  unchanged (CH4, N2O as Mt N2O, SO2, BC, OC, NH3, NOx as NO2, VOC, CO, 40 halogenated gases);
  their units agree with the RCMIP v5.1.0 file (N2O there is in kt N2O; both are N2O mass).
* CO2 history 1750-2020 is the Global Carbon Budget 2021 historical budget, because the model is
  validated against GCB2021:
  ``co2_fossil = fossil_emissions_excluding_carbonation - cement_carbonation_sink`` (missing
  carbonation = 0) and ``co2_landuse = land-use_change_emissions`` (from 1850). For 1750-1849
  the v1.4.1 ``CO2 AFOLU`` series is scaled by GCB2021(1850) / v1.4.1(1850).
* CO2 from 2021 on is the v1.4.1 SSP series (GtCO2 / 3.664) plus an additive offset
  ``d * (2050 - y) / (2050 - 2020)`` for 2021 <= y <= 2050 (zero afterwards), with
  ``d = GCB2021(2020) - v1.4.1(2020)``, separately for fossil and land use. The offset has
  full weight at 2020 (where the series equals GCB2021), weight 29/30 in 2021, and fades out
  linearly to zero in 2050.
* Aviation NOx (``nox_aviation``, a subset of ``nox``) is the RCMIP v5.1.0
  ``Emissions|NOx|MAGICC Fossil and Industrial|Aircraft`` series, linearly interpolated to annual
  values. RCMIP is annual and scenario-independent to 2015; its 2020 value differs between
  scenarios, so to keep 1750-2020 common to all scenarios the 2020 knot is taken from ssp245
  (the usual historical extension) and each scenario is interpolated from that common 2020 value
  to its own 2030 value. RCMIP reaches 2500, so no extrapolation is needed.
* ``historical`` is years 1750-2020 of the above; the script asserts that all eight SSP files
  agree on every species for those years.
* Natural forcing: the fair-calibrate v1.4.1 solar and volcanic ERF are given on time bounds
  (1 January values); the annual mean of year y is the mean of the bounds y and y+1. The
  volcanic series ramps to a constant background (zero, i.e. the long-term mean) after 2023 and
  is held at that value after its last year. The solar series ends in 2299 (annual means); it is
  extended by repeating its last 11 years (2289-2299) periodically.
* Halogen properties: fair-calibrate v1.4.1 ``species_configs_properties_1.4.1.csv`` (FaIR 2 /
  AR6 Table 7.SM.7, Hodnebrog et al. 2020, WMO 2018), checked against the AR6 2019 halogen ERF.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

REPO = Path(__file__).resolve().parents[1]
OUT_FORCINGS = REPO / "forcings"
OUT_EMISSIONS = OUT_FORCINGS / "emissions"
OUT_HALOGENS = REPO / "esm" / "params" / "halogens.csv"

GTCO2_PER_GTC = 3.664  # 1 Gt C = 3.664 Gt CO2 (as in GCB and FaIR)

SCENARIOS = ["ssp119", "ssp126", "ssp245", "ssp370", "ssp434", "ssp460", "ssp534-over", "ssp585"]
YEAR0, YEAR1 = 1750, 2499  # scenario files cover YEAR0..YEAR1 inclusive
HIST_END = 2020  # last year of the GCB2021 history (and of historical.csv.gz)
HARMONISE_END = 2050  # the 2020 offset fades to zero by this year
AVIATION_REF_SCENARIO = "ssp245"  # source of the common 2016-2020 aviation NOx
YEARS = np.arange(YEAR0, YEAR1 + 1)

# relative paths inside the shared data folder
F_V141 = "emissions/fair_calibrate_v1.4.1/ssps_harmonized_1750-2499.nc"
F_RCMIP = "emissions/rcmip_v5.1.0/rcmip-emissions-annual-means-5-1-0-ssp-only.csv"
F_GCB = "carbon_budget/gcb2021_historical_budget_1750-2020_GtC.csv"
F_SOLAR = "fair_calibration/v1.4.1/forcing/solar_erf_timebounds.csv"
F_VOLC = "fair_calibration/v1.4.1/forcing/volcanic_ERF_1750-2101_timebounds.csv"
F_PROPS = "fair_calibration/v1.4.1/species_configs_properties_1.4.1.csv"
F_PROPS_V10 = "fair_calibration/v1.0/species_configs_properties_fair2.1.0_defaults.csv"
F_CONC = "concentrations/wmghgs_1750-2019.csv"
F_AR6_MINOR = "forcing/ar6_ch7/AR6_ERF_minorGHGs_1750-2019.csv"
F_AR6_ERF = "forcing/ar6_ch7/AR6_ERF_1750-2019.csv"

AVIATION_VARIABLE = "Emissions|NOx|MAGICC Fossil and Industrial|Aircraft"

# (key, FaIR 2 specie name, unit) for the non-halogen species, in file order
BASE_SPECIES = [
    ("co2_fossil", "CO2 FFI", "Gt C/yr"),
    ("co2_landuse", "CO2 AFOLU", "Gt C/yr"),
    ("ch4", "CH4", "Mt CH4/yr"),
    ("n2o", "N2O", "Mt N2O/yr"),
    ("so2", "Sulfur", "Mt SO2/yr"),
    ("bc", "BC", "Mt BC/yr"),
    ("oc", "OC", "Mt OC/yr"),
    ("nh3", "NH3", "Mt NH3/yr"),
    ("nox", "NOx", "Mt NO2/yr"),
    ("nox_aviation", None, "Mt NO2/yr"),  # from RCMIP, not in the v1.4.1 file
    ("nmvoc", "VOC", "Mt VOC/yr"),
    ("co", "CO", "Mt CO/yr"),
]

# groups of the halogenated gases (anything not listed is an HFC, checked below)
MONTREAL = {
    "CFC-11",
    "CFC-12",
    "CFC-113",
    "CFC-114",
    "CFC-115",
    "HCFC-22",
    "HCFC-141b",
    "HCFC-142b",
    "CCl4",
    "CHCl3",
    "CH2Cl2",
    "CH3Cl",
    "CH3CCl3",
    "CH3Br",
    "Halon-1211",
    "Halon-1301",
    "Halon-2402",
}
PFC = {"CF4", "C2F6", "C3F8", "c-C4F8", "C4F10", "C5F12", "C6F14", "C7F16", "C8F18"}
OTHER_FGAS = {"SF6", "NF3", "SO2F2"}

HALOGEN_COLUMNS = [
    "species",
    "name",
    "molecular_weight",
    "lifetime",
    "radiative_efficiency",
    "tropospheric_adjustment",
    "baseline_concentration",
    "cl_atoms",
    "br_atoms",
    "fractional_release",
    "group",
]
# halogens.csv column -> fair-calibrate property column
HALOGEN_SOURCE_COLUMNS = {
    "molecular_weight": "molecular_weight",
    "lifetime": "unperturbed_lifetime0",
    "radiative_efficiency": "greenhouse_gas_radiative_efficiency",
    "tropospheric_adjustment": "tropospheric_adjustment",
    "baseline_concentration": "baseline_concentration",
    "cl_atoms": "cl_atoms",
    "br_atoms": "br_atoms",
    "fractional_release": "fractional_release",
}
# names used for the same gas in the AR6 concentration / minor-GHG ERF files
AR6_CONC_NAME = {"HFC-4310mee": "HFC-43-10mee"}
AR6_ERF_NAME = {
    "HFC-4310mee": "HFC-43-10mee",
    "C4F10": "n-C4F10",
    "C5F12": "n-C5F12",
    "C6F14": "n-C6F14",
}
AR6_HALOGEN_ERF_2019 = 0.408  # W m-2, AR6 Table 7.5 / 7.8 (all 49 minor gases)

SOURCES_EMISSIONS = [
    "fair-calibrate v1.4.1 ssps_harmonized_1750-2499.nc (Smith et al. 2024, GMD 17, 8569; MIT)",
    "Global Carbon Budget 2021 historical budget (Friedlingstein et al. 2022, ESSD 14, 1917;"
    " CC BY 4.0)",
    "RCMIP v5.1.0 emissions, aviation NOx only (Nicholls et al. 2020, GMD 13, 5175)",
    "underlying inventories/scenarios: CEDS (Hoesly et al. 2018), GFED, PRIMAP-hist, WMO,"
    " CMIP6 SSPs (Gidden et al. 2019)",
]


# ------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------
def halogen_key(name: str) -> str:
    """Model key of a halogenated gas: lower case, hyphens removed, c-C4F8 -> c_c4f8."""
    if name == "c-C4F8":
        return "c_c4f8"
    return name.lower().replace("-", "")


def halogen_group(name: str) -> str:
    if name in MONTREAL:
        return "montreal"
    if name in PFC:
        return "pfc"
    if name in OTHER_FGAS:
        return "other_fgas"
    if name.startswith("HFC-"):
        return "hfc"
    raise ValueError(f"no group for halogenated gas {name!r}")


def fmt(x: float, spec: str = ".6g") -> str:
    """Fixed float formatting; turns -0 into 0 so output never shows '-0'."""
    return format(float(x) + 0.0, spec)


def write_text(path: Path, text: str, compress: bool) -> None:
    """Write text with '\\n' line endings; gzip deterministically (mtime=0, no file name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if compress:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
            gz.write(data)
        data = buf.getvalue()
    path.write_bytes(data)


def read_commented_table(path: Path, index_col=0) -> pd.DataFrame:
    """Read back one of our own files (comment lines start with '#')."""
    return pd.read_csv(path, comment="#", index_col=index_col)


# ------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------
def load_v141(shared: Path) -> dict[str, pd.DataFrame]:
    """fair-calibrate v1.4.1 emissions: {scenario: DataFrame(index=year, columns=specie)}."""
    ds = xr.open_dataset(shared / F_V141)
    da = ds["__xarray_dataarray_variable__"].isel(config=0)
    t = da["timepoints"].values
    years = np.round(t - 0.5).astype(int)
    assert np.allclose(t - years, 0.5) and (years == YEARS).all(), "unexpected timepoints"
    out = {}
    for scen in SCENARIOS:
        sub = da.sel(scenario=scen)
        out[scen] = pd.DataFrame(
            sub.values, index=years, columns=[str(s) for s in sub["specie"].values]
        )
    ds.close()
    return out


def load_gcb(shared: Path) -> tuple[pd.Series, pd.Series]:
    """GCB2021 historical budget: (fossil net of carbonation, land-use change), GtC/yr."""
    g = pd.read_csv(shared / F_GCB).set_index("year")
    fossil = g["fossil_emissions_excluding_carbonation_GtC_per_yr"] - g[
        "cement_carbonation_sink_GtC_per_yr"
    ].fillna(0.0)
    luc = g["land-use_change_emissions_GtC_per_yr"]
    assert (fossil.index == np.arange(YEAR0, HIST_END + 1)).all()
    assert fossil.notna().all()
    assert luc.loc[1850:].notna().all() and luc.loc[:1849].isna().all()
    return fossil, luc


def load_aviation_nox(shared: Path) -> dict[str, pd.Series]:
    """RCMIP aviation NOx (Mt NO2/yr), annual 1750-2499, common up to 2020 (see docstring)."""
    r = pd.read_csv(shared / F_RCMIP)
    r = r[r["Variable"] == AVIATION_VARIABLE].set_index("Scenario")
    assert set(r["Unit"]) == {"Mt NOx/yr"}
    ycols = [c for c in r.columns if c.isdigit()]
    knots = {s: r.loc[s, ycols].astype(float).dropna() for s in SCENARIOS}
    for s in SCENARIOS:
        knots[s].index = knots[s].index.astype(int)
    # RCMIP history (to 2015) is identical in all scenarios
    hist = knots[SCENARIOS[0]].loc[:2015]
    for s in SCENARIOS:
        assert np.array_equal(knots[s].loc[:2015].values, hist.values), s
    ref2020 = knots[AVIATION_REF_SCENARIO].loc[2020]
    out = {}
    for s in SCENARIOS:
        k = knots[s].copy()
        k.loc[2020] = ref2020  # common historical extension to 2020
        k = k.sort_index()
        assert k.index.max() >= YEAR1, "RCMIP ends before the last output year"
        out[s] = pd.Series(np.interp(YEARS, k.index.values, k.values), index=YEARS)
    return out


# ------------------------------------------------------------------------------------------
# emissions
# ------------------------------------------------------------------------------------------
def splice_co2(v141: pd.Series, gcb: pd.Series) -> tuple[pd.Series, float]:
    """GCB2021 to 2020, v1.4.1 after, with the linearly decaying 2020 offset; returns (series, d).

    ``v141`` in GtC/yr for YEARS, ``gcb`` in GtC/yr for 1750..2020 (may be NaN before 1850 for
    land use, where the scaled v1.4.1 series is used instead).
    """
    out = v141.copy()
    hist = gcb.copy()
    if hist.isna().any():  # land use before 1850: v1.4.1 scaled to match GCB2021 in 1850
        first = int(hist.first_valid_index())
        ratio = hist.loc[first] / v141.loc[first]
        pre = hist.index < first
        hist.loc[pre] = v141.loc[hist.index[pre]].values * ratio
    out.loc[YEAR0:HIST_END] = hist.values
    d = float(gcb.loc[HIST_END] - v141.loc[HIST_END])
    fut = (YEARS > HIST_END) & (YEARS <= HARMONISE_END)
    w = (HARMONISE_END - YEARS[fut]) / (HARMONISE_END - HIST_END)
    out.loc[YEARS[fut]] = v141.loc[YEARS[fut]].values + d * w
    return out, d


def build_emissions(shared: Path):
    """Return ({scenario: DataFrame(index=species key, columns=YEARS)}, units, halogens, info)."""
    v141 = load_v141(shared)
    gcb_fossil, gcb_luc = load_gcb(shared)
    aviation = load_aviation_nox(shared)

    props = pd.read_csv(shared / F_PROPS, index_col=0)
    halogens = list(props.loc["CFC-11":"HFC-4310mee"].index)
    assert len(halogens) == 40, len(halogens)

    units = {k: u for k, _, u in BASE_SPECIES}
    units.update({halogen_key(h): f"kt {h}/yr" for h in halogens})

    out, info = {}, {}
    for scen in SCENARIOS:
        df = v141[scen]
        rows = {}
        for key, fair_name, _ in BASE_SPECIES:
            if key == "co2_fossil":
                rows[key], info[(scen, "d_fossil")] = splice_co2(
                    df[fair_name] / GTCO2_PER_GTC, gcb_fossil
                )
            elif key == "co2_landuse":
                rows[key], info[(scen, "d_landuse")] = splice_co2(
                    df[fair_name] / GTCO2_PER_GTC, gcb_luc
                )
            elif key == "nox_aviation":
                rows[key] = aviation[scen]
            else:
                rows[key] = df[fair_name]
        for h in halogens:
            rows[halogen_key(h)] = df[h]
        table = pd.DataFrame(rows).T
        table.columns = YEARS
        assert not table.isna().any().any(), f"NaN in {scen}"
        # The model rejects negative emissions of every species except CO2 (a gross source
        # cannot be negative). The source has a few: Halon-1211 inverse estimates dip to
        # -0.008 kt/yr in 1950-1965, and round-off values of order -1e-14 appear after 2250.
        # They are set to zero here, once, and counted in the printed checks.
        non_co2 = [k for k in table.index if not k.startswith("co2_")]
        negative = table.loc[non_co2] < 0
        info[(scen, "negatives")] = {
            k: float(table.loc[k][negative.loc[k]].min()) for k in non_co2 if negative.loc[k].any()
        }
        table.loc[non_co2] = table.loc[non_co2].clip(lower=0.0)
        out[scen] = table
    info["luc_pre1850_ratio"] = float(
        gcb_luc.loc[1850] / (v141["ssp245"]["CO2 AFOLU"].loc[1850] / GTCO2_PER_GTC)
    )
    return out, units, halogens, info


def emissions_text(table: pd.DataFrame, units: dict[str, str], header: list[str]) -> str:
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append("species,unit," + ",".join(str(y) for y in table.columns))
    for key, row in table.iterrows():
        lines.append(f"{key},{units[key]}," + ",".join(fmt(v) for v in row.values))
    return "\n".join(lines) + "\n"


def emissions_header(scen: str, info: dict, last_year: int) -> list[str]:
    if scen == "historical":
        d_f, d_l = info[("ssp245", "d_fossil")], info[("ssp245", "d_landuse")]
        title = (
            f"historical emissions {YEAR0}-{last_year} (identical to years {YEAR0}-{HIST_END}"
            " of every SSP file)"
        )
    else:
        d_f, d_l = info[(scen, "d_fossil")], info[(scen, "d_landuse")]
        title = f"scenario {scen}: annual global emissions {YEAR0}-{last_year}"
    return [
        title,
        "sources:",
        *[f"  {s}" for s in SOURCES_EMISSIONS],
        "method:",
        "  all species except CO2 and nox_aviation: fair-calibrate v1.4.1 unchanged (timepoint"
        " y+0.5 -> year y)",
        f"  co2_fossil {YEAR0}-{HIST_END}: GCB2021 fossil excluding carbonation minus cement"
        " carbonation sink (net E_FOS)",
        "  co2_landuse 1850-2020: GCB2021 land-use change; 1750-1849: v1.4.1 CO2 AFOLU x"
        f" {info['luc_pre1850_ratio']:.6f} (GCB2021/v1.4.1 in 1850)",
        f"  CO2 after {HIST_END}: v1.4.1 (GtCO2/3.664) + d*(2050-y)/30 for 2021<=y<=2050, d ="
        " GCB2021(2020) - v1.4.1(2020):",
        f"    d_fossil = {d_f:+.6f} Gt C/yr, d_landuse = {d_l:+.6f} Gt C/yr",
        "  nox_aviation: RCMIP 'NOx|MAGICC Fossil and Industrial|Aircraft', linear interpolation"
        " to annual;",
        f"    2016-{HIST_END} common to all scenarios (ssp245), then to each scenario's own 2030"
        " value; subset of nox",
        "  negative non-CO2 values in the source (Halon-1211 1950-1965, min -0.008 kt/yr;"
        " round-off after 2250) set to 0",
        "units: CO2 in Gt C/yr (1 Gt C = 3.664 Gt CO2); nox and nox_aviation as NO2; N2O as N2O"
        " mass; halogens kt/yr",
        "generated by forcings/build_forcings.py (do not edit by hand)",
    ]


# ------------------------------------------------------------------------------------------
# natural forcing
# ------------------------------------------------------------------------------------------
def build_natural(shared: Path) -> tuple[pd.DataFrame, dict]:
    solar_b = pd.read_csv(shared / F_SOLAR, index_col=0)["erf"]
    volc_b = pd.read_csv(shared / F_VOLC, index_col=0)["erf"]
    info = {}

    def annual(bounds: pd.Series) -> pd.Series:
        v = bounds.values
        assert (np.diff(bounds.index.values) == 1).all() and bounds.index[0] == YEAR0
        return pd.Series(0.5 * (v[:-1] + v[1:]), index=bounds.index[:-1])

    solar = annual(solar_b)
    volc = annual(volc_b)

    # volcanic: the series ramps down to a constant background after the last observed year;
    # hold that constant value (check that the tail really is constant)
    tail = volc_b.iloc[-30:]
    assert np.ptp(tail.values) == 0.0, "volcanic series does not end on a constant level"
    background = float(tail.iloc[-1])
    info["volcanic_background"] = background
    info["volcanic_constant_from"] = int(volc_b[volc_b != background].index.max() + 1)
    volc = volc.reindex(YEARS).fillna(background)

    # solar: repeat the last 11 years of annual means periodically
    last = int(solar.index[-1])
    period = 11
    cycle = solar.loc[last - period + 1 : last]
    ext = [
        float(cycle.iloc[(y - (last - period + 1)) % period]) for y in range(last + 1, YEAR1 + 1)
    ]
    solar = pd.concat([solar, pd.Series(ext, index=range(last + 1, YEAR1 + 1))])
    info["solar_last_data_year"] = last
    info["solar_cycle_mean"] = float(cycle.mean())
    info["solar_seam"] = (float(solar.loc[last]), float(solar.loc[last + 1]))

    nat = pd.DataFrame(
        {"solar": solar.loc[YEARS].values, "volcanic": volc.loc[YEARS].values},
        index=pd.Index(YEARS, name="year"),
    )
    assert not nat.isna().any().any()
    return nat, info


def natural_text(nat: pd.DataFrame, info: dict) -> str:
    last = info["solar_last_data_year"]
    header = [
        f"natural effective radiative forcing, annual means {YEAR0}-{YEAR1}, W m-2",
        "source: fair-calibrate v1.4.1 forcing files solar_erf_timebounds.csv and"
        " volcanic_ERF_1750-2101_timebounds.csv",
        "  (Smith et al. 2024, GMD 17, 8569; MIT), following the AR6 WGI Chapter 7 method"
        " (Forster et al. 2021)",
        "annual mean of year y = mean of the 1-January time-bound values y and y+1",
        "values are relative to each series' own baseline, as in the source (volcanic: zero"
        " = long-term mean)",
        f"volcanic: after the data the series is held at its constant end level"
        f" {info['volcanic_background']:g} (reached in {info['volcanic_constant_from']})",
        f"solar: after {last} the last 11 annual means ({last - 10}-{last}) are repeated"
        " periodically",
        "generated by forcings/build_forcings.py (do not edit by hand)",
    ]
    lines = [f"# {h}" for h in header]
    lines.append("year,solar,volcanic")
    for y, row in nat.iterrows():
        lines.append(f"{y},{fmt(row['solar'], '.6f')},{fmt(row['volcanic'], '.6f')}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
# halogen property table
# ------------------------------------------------------------------------------------------
def build_halogens(shared: Path, halogens: list[str]) -> pd.DataFrame:
    props = pd.read_csv(shared / F_PROPS, index_col=0).loc[halogens]
    tab = pd.DataFrame({"species": [halogen_key(h) for h in halogens], "name": halogens})
    for col, src in HALOGEN_SOURCE_COLUMNS.items():
        tab[col] = props[src].values.astype(float)
    tab["group"] = [halogen_group(h) for h in halogens]
    assert not tab.isna().any().any()
    return tab[HALOGEN_COLUMNS]


def halogens_text(tab: pd.DataFrame) -> str:
    header = [
        "Properties of the 40 halogenated gases (single source for the model).",
        "source: fair-calibrate v1.4.1 species_configs_properties_1.4.1.csv (Smith et al. 2024,"
        " GMD 17, 8569),",
        "  itself from FaIR 2 / IPCC AR6 WGI Table 7.SM.7 (Smith et al. 2021), Hodnebrog et al."
        " (2020, Rev. Geophys. 58,",
        "  e2019RG000691) and WMO (2018) Scientific Assessment of Ozone Depletion. Values copied"
        " unchanged.",
        "licence: MIT (fair-calibrate, Copyright 2023 Chris Smith)",
        "units: molecular_weight g/mol; lifetime yr (unperturbed); radiative_efficiency W m-2"
        " ppb-1; tropospheric_adjustment",
        "  fraction of the stratospherically adjusted forcing (ERF = RF*(1+adj));"
        " baseline_concentration ppt (pre-industrial);",
        "  cl_atoms, br_atoms count; fractional_release fraction; group montreal|hfc|pfc|"
        "other_fgas",
        "generated by forcings/build_forcings.py (do not edit by hand)",
    ]
    lines = [f"# {h}" for h in header]
    lines.append(",".join(HALOGEN_COLUMNS))
    for _, r in tab.iterrows():
        vals = [r["species"], r["name"]]
        for col in HALOGEN_COLUMNS[2:-1]:
            v = float(r[col])
            vals.append(str(int(v)) if col in ("cl_atoms", "br_atoms") else fmt(v, ".10g"))
        vals.append(r["group"])
        lines.append(",".join(vals))
    return "\n".join(lines) + "\n"


def compare_halogens_v10(shared: Path, halogens: list[str]) -> list[str]:
    """Differences in the tabulated properties between v1.4.1 and the FaIR 2.1.0 defaults."""
    a = pd.read_csv(shared / F_PROPS, index_col=0)
    b = pd.read_csv(shared / F_PROPS_V10, index_col=0)
    diffs = []
    for h in halogens:
        if h not in b.index:
            diffs.append(f"{h}: missing in v1.0")
            continue
        for src in HALOGEN_SOURCE_COLUMNS.values():
            if a.loc[h, src] != b.loc[h, src]:
                diffs.append(f"{h} {src}: v1.4.1 {a.loc[h, src]} vs v1.0 {b.loc[h, src]}")
    return diffs


# ------------------------------------------------------------------------------------------
# checks (computed on the files as written and read back)
# ------------------------------------------------------------------------------------------
class Checks:
    def __init__(self):
        self.rows = []

    def add(self, name, value, target="info", ok=None):
        """ok=None marks an informational row (reported, not asserted)."""
        self.rows.append((name, value, target, ok))

    def print_and_assert(self):
        w = max(len(r[0]) for r in self.rows)
        print(f"\n{'check':<{w}}  {'value':>12}  {'target':<22} status")
        print("-" * (w + 46))
        for name, value, target, ok in self.rows:
            v = f"{value:12.4f}" if isinstance(value, float) else f"{value!s:>12}"
            status = "-" if ok is None else ("ok" if ok else "FAIL")
            print(f"{name:<{w}}  {v}  {target:<22} {status}")
        failed = [r[0] for r in self.rows if r[3] is False]
        assert not failed, f"failed checks: {failed}"


def run_checks(shared, halogens, nat_info, diffs_v10) -> None:
    c = Checks()
    files = {s: read_commented_table(OUT_EMISSIONS / f"{s}.csv.gz") for s in SCENARIOS}
    hist = read_commented_table(OUT_EMISSIONS / "historical.csv.gz")
    units = hist.pop("unit")
    units_ok = all(files[s].pop("unit").equals(units) for s in SCENARIOS)
    for df in [*files.values(), hist]:
        df.columns = [int(x) for x in df.columns]

    e = files["ssp245"]
    ff, lu = e.loc["co2_fossil"], e.loc["co2_landuse"]
    n_negative = sum(
        int((df.drop(["co2_fossil", "co2_landuse"]) < 0).sum().sum())
        for df in [*files.values(), hist]
    )
    c.add("negative non-CO2 emissions in the files", n_negative, "0", n_negative == 0)
    v = ff.loc[2011:2020].mean()
    c.add("co2_fossil mean 2011-2020 (GtC/yr)", v, "9.50 +- 0.01", abs(v - 9.50) <= 0.01)
    v = lu.loc[2011:2020].mean()
    c.add("co2_landuse mean 2011-2020 (GtC/yr)", v, "1.13 +- 0.01", abs(v - 1.13) <= 0.01)
    v = ff.loc[1850:2020].sum()
    c.add("co2_fossil cumulative 1850-2020 (GtC)", v, "456.6 +- 0.5", abs(v - 456.6) <= 0.5)
    v = lu.loc[1850:2020].sum()
    c.add("co2_landuse cumulative 1850-2020 (GtC)", v, "201.8 +- 0.5", abs(v - 201.8) <= 0.5)
    c.add("co2_landuse cumulative 1750-1849 (GtC)", float(lu.loc[:1849].sum()))
    c.add("co2_landuse 1849 -> 1850 step (GtC/yr)", float(lu.loc[1850] - lu.loc[1849]))
    v, t = ff.loc[2100], 14.48 / GTCO2_PER_GTC
    c.add("ssp245 co2_fossil 2100 (GtC/yr)", v, f"{t:.4f} +- 0.005", abs(v - t) <= 0.005)
    for s in SCENARIOS:
        f = files[s].loc["co2_fossil"]
        c.add(f"{s} co2_fossil 2020 -> 2021 step (GtC/yr)", float(f.loc[2021] - f.loc[2020]))
    c.add("co2_landuse 2020 -> 2021 step (GtC/yr, all SSPs)", float(lu.loc[2021] - lu.loc[2020]))

    nan = sum(int(df.isna().sum().sum()) for df in [*files.values(), hist])
    c.add("NaN values in emission files", nan, "0", nan == 0)
    shape_ok = all(
        df.shape == (52, len(YEARS)) and list(df.columns) == list(YEARS) for df in files.values()
    )
    c.add("SSP files: 52 species x 1750-2499", shape_ok, "True", shape_ok)
    c.add(
        "historical: 52 species x 1750-2020",
        hist.shape == (52, HIST_END - YEAR0 + 1),
        "True",
        hist.shape == (52, HIST_END - YEAR0 + 1),
    )
    same = all(files[s].loc[:, YEAR0:HIST_END].equals(hist) for s in SCENARIOS)
    c.add("all SSPs share 1750-2020 (= historical)", same, "True", same)
    c.add("same species/units in all files", units_ok, "True", units_ok)
    sizes = {p.name: p.stat().st_size for p in OUT_EMISSIONS.glob("*.csv.gz")}
    c.add(
        "largest emissions file (kB)",
        max(sizes.values()) / 1000,
        "< 300",
        max(sizes.values()) < 300_000,
    )

    # natural forcing
    nat = read_commented_table(OUT_FORCINGS / "natural_forcing.csv")
    ar6 = pd.read_csv(shared / F_AR6_ERF, index_col=0)
    ok = list(nat.index) == list(YEARS) and not nat.isna().any().any()
    c.add("natural_forcing years 1750-2499, no NaN", ok, "True", ok)
    v = float(nat.loc[2019, "solar"])
    c.add(
        "solar ERF 2019 (W m-2)",
        v,
        f"AR6 {ar6.loc[2019, 'solar']:+.3f} (~-0.02)",
        -0.05 <= v <= 0.0,
    )
    v = float(nat.loc[2019, "volcanic"])
    c.add(
        "volcanic ERF 2019 (W m-2)",
        v,
        f"AR6 {ar6.loc[2019, 'volcanic']:+.3f} (0.1..0.2)",
        0.1 <= v <= 0.2,
    )
    c.add(
        f"volcanic held constant from {nat_info['volcanic_constant_from']} at",
        nat_info["volcanic_background"],
    )
    c.add(
        f"solar mean of repeated cycle (>{nat_info['solar_last_data_year']})",
        nat_info["solar_cycle_mean"],
    )

    # halogens: AR6 2019 ERF from the table just written
    tab = read_commented_table(OUT_HALOGENS, index_col="name")
    conc = pd.read_csv(shared / F_CONC, index_col=0)["2019"]
    ar6_minor = pd.read_csv(shared / F_AR6_MINOR, index_col=0).loc[2019]
    erf = ar6_same = 0.0
    for h in halogens:
        r = tab.loc[h]
        x = conc.loc[AR6_CONC_NAME.get(h, h)]
        erf += (
            r["radiative_efficiency"]
            * (x - r["baseline_concentration"])
            * (1.0 + r["tropospheric_adjustment"])
            / 1000.0
        )
        ar6_same += ar6_minor.loc[AR6_ERF_NAME.get(h, h)]
    c.add(
        "halogen ERF 2019, 40 gases (W m-2)",
        erf,
        f"AR6 {AR6_HALOGEN_ERF_2019} (49 gases)",
        abs(erf - AR6_HALOGEN_ERF_2019) <= 0.005,
    )
    c.add(
        "  AR6 ERF 2019 of the same 40 gases",
        float(ar6_same),
        "|diff| < 0.001",
        abs(erf - ar6_same) < 0.001,
    )
    c.add("halogens.csv rows", len(tab), "40", len(tab) == 40)
    c.add("lifetime/RE/... differences vs FaIR 2.1.0", len(diffs_v10))
    c.print_and_assert()


# ------------------------------------------------------------------------------------------
def shared_data_folder(doc: str, argv, marker: str) -> Path:
    """Parse ``--shared PATH`` (default ``<repo root>/../shared/data``); exit with a usage error
    if ``PATH/marker`` does not exist. Used by every build script of ``forcings/``."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="raw reference data folder (default: <repo root>/../shared/data)",
    )
    shared = ap.parse_args(argv).shared.resolve()
    if not (shared / marker).exists():
        ap.error(f"raw data not found under {shared} (no {marker})")
    return shared


def main(argv=None) -> int:
    shared = shared_data_folder(__doc__, argv, F_V141)

    # emissions
    tables, units, halogens, info = build_emissions(shared)
    for scen, table in tables.items():
        text = emissions_text(table, units, emissions_header(scen, info, YEAR1))
        write_text(OUT_EMISSIONS / f"{scen}.csv.gz", text, compress=True)
    hist = tables[SCENARIOS[0]].loc[:, YEAR0:HIST_END]
    for scen in SCENARIOS:  # identical history in every scenario
        assert tables[scen].loc[:, YEAR0:HIST_END].equals(hist), scen
    write_text(
        OUT_EMISSIONS / "historical.csv.gz",
        emissions_text(hist, units, emissions_header("historical", info, HIST_END)),
        compress=True,
    )

    # natural forcing
    nat, nat_info = build_natural(shared)
    write_text(OUT_FORCINGS / "natural_forcing.csv", natural_text(nat, nat_info), compress=False)

    # halogen property table
    write_text(OUT_HALOGENS, halogens_text(build_halogens(shared, halogens)), compress=False)
    diffs_v10 = compare_halogens_v10(shared, halogens)

    # report
    print(f"raw data: {shared}")
    for p in sorted(
        [*OUT_EMISSIONS.glob("*.csv.gz"), OUT_FORCINGS / "natural_forcing.csv", OUT_HALOGENS]
    ):
        print(f"  wrote {p.relative_to(REPO)} ({p.stat().st_size / 1000:.1f} kB)")
    print(
        f"CO2 harmonisation offsets in 2020: d_fossil = {info[('ssp245', 'd_fossil')]:+.4f},"
        f" d_landuse = {info[('ssp245', 'd_landuse')]:+.4f} GtC/yr;"
        f" pre-1850 land-use scale factor = {info['luc_pre1850_ratio']:.4f}"
    )
    if diffs_v10:
        print("halogen properties differing from FaIR 2.1.0 defaults:")
        for d in diffs_v10:
            print(f"  {d}")
    else:
        print(
            "halogen properties (MW, lifetime, RE, adj, baseline, Cl, Br, frac. release):"
            " identical to FaIR 2.1.0 defaults"
        )
    run_checks(shared, halogens, nat_info, diffs_v10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
