"""Build China's historical emissions file shipped with ``esm`` from the raw reference data.

Run from anywhere, after ``forcings/build_forcings.py`` (this script reads the global
``forcings/emissions/historical.csv.gz`` it writes)::

    python forcings/build_china.py [--shared PATH]

``PATH`` defaults to ``<repo root>/../shared/data`` (the China extracts are in its ``china/``
folder, see section 9 of its ``PROVENANCE.md``). The package never reads that folder at run
time. Re-running this script regenerates the output byte for byte (fixed ``%.6g`` formatting,
``\\n`` line endings, fixed row and column order).

Output
------
``forcings/china/historical.csv``
    Annual emissions of mainland China (as defined by each source; Hong Kong, Macao and Taiwan
    are separate entities in all of them), 1750-2023, in the format of
    ``forcings/emissions/historical.csv.gz`` (``# `` comment lines, then
    ``species,unit,1750,...,2023``, one row per species, empty cells where a species has no
    data), plain CSV.
``forcings/china/population.csv``
    Population of China and the World, 1950-2023 (UN World Population Prospects 2024 estimates
    as processed by Our World in Data, column ``population_unwpp2024_owid`` of
    ``china/china_world_population_gdp_owid.csv``, ``PROVENANCE.md`` section 9f), persons,
    written as integers: ``# `` comment lines (source, licence, citation), then
    ``region,unit,1950,...,2023`` and the rows ``China`` and ``World``. Read by
    ``esm.china.share_of_goal`` (equal-per-capita rule).

Method
------
* ``co2_fossil`` (Gt C/yr): Global Carbon Budget 2024 national territorial fossil CO2 for China
  (fossil fuels, cement, flaring, other; GCB national convention: the cement-carbonation sink
  is *not* subtracted), MtC -> GtC, 1899-2023. The source is blank before 1899 (and in 1900
  and 1901, between zeros in 1899 and 1902-1906): those years are 0.
* ``co2_landuse`` (Gt C/yr): mean of the four GCB2024 bookkeeping models (BLUE, H&C2023,
  OSCAR, LUCE) for China, 1850-2023 (the GCB convention for E_LUC is the model mean; the models
  disagree on the sign of China's recent net flux). 1750-1849: China(1850) times the shape of
  the global ``co2_landuse`` row of ``forcings/emissions/historical.csv.gz``,
  ``China(t) = China(1850) * global(t) / global(1850)``.
* ``ch4``, ``n2o``: CEDS v_2021_02_05 China 1970-2019 (kt -> Mt). 1750-1969 (CEDS country
  files start in 1970 for these two): ``China(1970) * global(t) / global(1970)`` with the
  global row of ``forcings/emissions/historical.csv.gz`` (China's 1970 share held back in time).
* ``so2``, ``bc``, ``oc``, ``nh3``, ``nox`` (as NO2), ``co``, ``nmvoc``: CEDS v_2021_02_05
  China 1750-2019 (kt -> Mt). CEDS is anthropogenic only (no open biomass burning).
* Not included: ``nox_aviation`` (CEDS v_2021_02_05 reports all aviation, international and
  domestic, only in its "global" bunkers row, not in any country) and the 40 halogenated gases
  (no China data).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_forcings as _build_forcings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT_CHINA = REPO / "forcings" / "china" / "historical.csv"
OUT_POP = REPO / "forcings" / "china" / "population.csv"
GLOBAL_HIST = REPO / "forcings" / "emissions" / "historical.csv.gz"

GTCO2_PER_GTC = 3.664  # 1 Gt C = 3.664 Gt CO2 (as in GCB and FaIR)
YEAR0, YEAR1 = 1750, 2023  # output columns YEAR0..YEAR1 inclusive
YEARS = np.arange(YEAR0, YEAR1 + 1)
CEDS_END = 2019  # last year of CEDS v_2021_02_05
CEDS_GHG_START = 1970  # first year of the CEDS country files for CH4 and N2O
LUC_START = 1850  # first year of the GCB national land-use files

# relative paths inside the shared data folder
F_FOSSIL = "china/gcb2024_national_fossil_co2_China_World_MtC.csv"
F_FOSSIL_2023 = "china/gcb2023_national_fossil_co2_China_World_MtC.csv"
F_FOSSIL_2022 = "carbon_budget/gcb2022v27_national_fossil_co2_MtCO2_China_Global.csv"
F_LUC = "china/gcb2024_national_luc_China_Global_MtC.csv"
F_CEDS = "china/ceds_v2021_02_05_China_World_by_species_kt.csv"
F_PRIMAP = "china/primaphist21_HISTCR_China_CH4_N2O_excl_LULUCF.csv"
F_POP = "china/china_world_population_gdp_owid.csv"
POP_COLUMN = "population_unwpp2024_owid"
POP_REGIONS = ("China", "World")
POP_YEAR0, POP_YEAR1 = 1950, 2023
# PROVENANCE.md 9f checks (millions of persons)
POP_EXPECTED = {("China", 1950): 544.0, ("China", 2022): 1425.2, ("World", 2022): 8021.4}

POP_HEADER = [
    f"population of China and the World {POP_YEAR0}-{POP_YEAR1}, persons (UN World Population"
    " Prospects 2024 estimates, processed by Our World in Data)",
    "source: UN DESA Population Division (2024), World Population Prospects 2024; processed by"
    " Our World in Data,",
    "  grapher download population-and-demography.csv (downloaded about Oct 2024),",
    f"  extract {F_POP} of the raw reference data (see forcings/README.md)",
    f"  column {POP_COLUMN} (PROVENANCE.md section 9f); values unchanged",
    "licence: CC BY 4.0 (Our World in Data processed data)",
    "cite: United Nations, Department of Economic and Social Affairs, Population Division (2024)."
    " World Population Prospects 2024;",
    "  Our World in Data (2024), Population, https://ourworldindata.org/population-growth",
    '"China" is mainland China as defined by UN WPP (Hong Kong, Macao and Taiwan are separate)',
    "used by esm.china.share_of_goal (rule equal-per-capita: China's share of the World"
    " population in one year)",
    "generated by forcings/build_china.py (do not edit by hand)",
]

LUC_MODELS = ["BLUE", "H&C2023", "OSCAR", "LUCE"]

# (key, unit, CEDS species, CEDS unit, first year of data, last year of data), in file order
SPECIES = [
    ("co2_fossil", "Gt C/yr", None, None, YEAR0, YEAR1),
    ("co2_landuse", "Gt C/yr", None, None, YEAR0, YEAR1),
    ("ch4", "Mt CH4/yr", "CH4", "ktCH4", YEAR0, CEDS_END),
    ("n2o", "Mt N2O/yr", "N2O", "ktN2O", YEAR0, CEDS_END),
    ("so2", "Mt SO2/yr", "SO2", "ktSO2", YEAR0, CEDS_END),
    ("bc", "Mt BC/yr", "BC", "ktC", YEAR0, CEDS_END),
    ("oc", "Mt OC/yr", "OC", "ktC", YEAR0, CEDS_END),
    ("nh3", "Mt NH3/yr", "NH3", "ktNH3", YEAR0, CEDS_END),
    ("nox", "Mt NO2/yr", "NOx", "ktNO2", YEAR0, CEDS_END),
    ("nmvoc", "Mt VOC/yr", "NMVOC", "ktNMVOC", YEAR0, CEDS_END),
    ("co", "Mt CO/yr", "CO", "ktCO", YEAR0, CEDS_END),
]
CEDS_GHG = {"ch4", "n2o"}  # extended back from 1970 with the global shape

# China 2019 fossil CO2 (GtCO2) in earlier GCB editions, from ../shared/data/PROVENANCE.md 5b
# (GCB2020 is the figure often quoted; GCB2021 national file via openclimatedata)
CHINA_2019_OLDER_EDITIONS = {"GCB2020": 10.17, "GCB2021": 10.49, "GCB2022": 10.74}

# CEDS v_2021_02_05 China 2019 values (Mt) expected from PROVENANCE.md 9d
CEDS_2019_EXPECTED = {
    "ch4": 54.0,
    "n2o": 2.01,
    "so2": 12.1,
    "bc": 1.21,
    "oc": 1.93,
    "nox": 22.6,
    "nh3": 12.3,
    "co": 148.0,
    "nmvoc": 29.4,
}

SOURCES = [
    "Global Carbon Budget 2024, national fossil CO2 (National_Fossil_Carbon_Emissions_2024v1.0) and"
    " national land-use change (National_LandUseChange_Carbon_Emissions_2024v1.0);",
    "  Friedlingstein et al. 2025, ESSD 17, 965; Andrew & Peters 2024 (GCP fossil CO2 dataset);"
    " data doi:10.18160/gcp-2024; CC BY 4.0",
    "  bookkeeping models: BLUE (Hansis et al. 2015, GBC 29, 1230), H&C2023 (Houghton & Castanho"
    " 2023, ESSD 15, 2025),",
    "  OSCAR (Gasser et al. 2020, BG 17, 4075), LUCE (Qin et al. 2024, One Earth 7, 835)",
    "CEDS v_2021_02_05 emissions by country (O'Rourke et al. 2021, Zenodo"
    " doi:10.5281/zenodo.4509372; Hoesly et al. 2018, GMD 11, 369; CC BY 4.0)",
    "global shapes for the back-extensions: forcings/emissions/historical.csv.gz"
    " (forcings/build_forcings.py: GCB2021 land use, fair-calibrate v1.4.1 CH4/N2O)",
]


def fmt(x: float, spec: str = ".6g") -> str:
    """Fixed float formatting; empty for NaN; turns -0 into 0 so output never shows '-0'."""
    return _build_forcings.fmt(x, spec) if np.isfinite(x) else ""


def read_commented_table(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Read one of our own emission files; returns (table with int year columns, units)."""
    t = _build_forcings.read_commented_table(path)
    units = t.pop("unit")
    t.columns = [int(c) for c in t.columns]
    return t, units


# ------------------------------------------------------------------------------------------
# inputs
# ------------------------------------------------------------------------------------------
def load_fossil(shared: Path) -> tuple[pd.Series, list[int]]:
    """GCB2024 China territorial fossil CO2 (GtC/yr, YEAR0..YEAR1) and the years set to 0."""
    f = pd.read_csv(shared / F_FOSSIL, index_col="year")["China_territorial"]
    assert f.index.min() == LUC_START and f.index.max() == YEAR1, "unexpected GCB2024 years"
    first = int(f.first_valid_index())
    assert first == 1899, f"GCB2024 China starts in {first}, expected 1899"
    gaps = [int(y) for y in f.loc[first:].index[f.loc[first:].isna()]]
    # the source is blank in 1900-1901 between zeros (1899, 1902-1906): fill with 0
    assert gaps == [1900, 1901] and f.loc[1899] == 0 and f.loc[1902] == 0, gaps
    out = (f.reindex(YEARS).fillna(0.0) / 1000.0).rename("co2_fossil")
    return out, gaps


def load_luc(shared: Path) -> pd.DataFrame:
    """GCB2024 China net land-use change flux of each bookkeeping model (MtC/yr)."""
    t = pd.read_csv(shared / F_LUC, index_col="year")
    china = t[[f"China_{m}" for m in LUC_MODELS]]
    china.columns = LUC_MODELS
    assert china.index.min() == LUC_START and china.index.max() == YEAR1
    assert china.notna().all().all(), "gap in GCB2024 China land-use data"
    return china


def load_ceds(shared: Path) -> pd.DataFrame:
    """CEDS v_2021_02_05 long table: species, unit, year, China_chn, ... (kt)."""
    c = pd.read_csv(shared / F_CEDS)
    for key, _unit, sp, ceds_unit, _y0, _y1 in SPECIES:
        if sp is None:
            continue
        sub = c[c["species"] == sp]
        assert set(sub["unit"]) == {ceds_unit}, f"CEDS {sp} unit {set(sub['unit'])}"
        start = CEDS_GHG_START if key in CEDS_GHG else YEAR0
        years = np.arange(start, CEDS_END + 1)
        assert (sub["year"].to_numpy() == years).all(), f"CEDS {sp} years"
        assert sub["China_chn"].notna().all(), f"CEDS {sp} has gaps"
    return c


def ceds_series(ceds: pd.DataFrame, sp: str, col: str = "China_chn") -> pd.Series:
    """One CEDS column of one species, kt -> Mt, indexed by year."""
    sub = ceds[ceds["species"] == sp].set_index("year")
    return sub[col] / 1000.0


# ------------------------------------------------------------------------------------------
# build
# ------------------------------------------------------------------------------------------
def build(shared: Path, glob: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Return (table: index species, columns YEARS, NaN = no data; info for header/checks)."""
    info: dict = {}
    rows = {}

    fossil, gaps = load_fossil(shared)
    rows["co2_fossil"] = fossil
    info["fossil_zero_gaps"] = gaps

    luc = load_luc(shared)
    info["luc"] = luc
    mean = luc.mean(axis=1) / 1000.0  # GtC/yr, 1850-2023
    g = glob.loc["co2_landuse"]
    pre = mean.loc[LUC_START] * g.loc[YEAR0 : LUC_START - 1] / g.loc[LUC_START]
    rows["co2_landuse"] = pd.concat([pre, mean]).reindex(YEARS)
    info["luc_global_1849_over_1850"] = float(g.loc[LUC_START - 1] / g.loc[LUC_START])

    ceds = load_ceds(shared)
    info["ceds"] = ceds
    for key, _unit, sp, _cu, _y0, _y1 in SPECIES:
        if sp is None:
            continue
        s = ceds_series(ceds, sp)
        if key in CEDS_GHG:
            gk = glob.loc[key]
            share = s.loc[CEDS_GHG_START] / gk.loc[CEDS_GHG_START]
            back = share * gk.loc[YEAR0 : CEDS_GHG_START - 1]
            s = pd.concat([back, s])
            info[f"share1970_{key}"] = float(share)
        rows[key] = s.reindex(YEARS)

    table = pd.DataFrame({k: rows[k] for k, *_ in SPECIES}).T
    table.columns = YEARS
    return table, info


def header(info: dict) -> list[str]:
    luc = info["luc"]
    m = luc.loc[2013:2022].mean()
    per_model = ", ".join(f"{k} {m[k]:+.1f}" for k in LUC_MODELS)
    older = ", ".join(f"{k}: {v:.2f}" for k, v in CHINA_2019_OLDER_EDITIONS.items())
    c2019 = info["fossil_2019_gtco2"]
    return [
        f"historical emissions of China {YEAR0}-{YEAR1} (mainland China as defined by each"
        " source; Hong Kong, Macao and Taiwan are separate)",
        "sources:",
        *[f"  {s}" for s in SOURCES],
        "method:",
        "  co2_fossil 1899-2023: GCB2024 national territorial fossil CO2, China (MtC/1000):"
        " fossil fuels, cement, flaring, other;",
        "    GCB national convention: the cement-carbonation sink is NOT subtracted (unlike"
        " co2_fossil of the global files, GCB2021 net E_FOS)",
        f"    China 2019 = {c2019:.2f} GtCO2 in GCB2024 ({older} GtCO2): editions differ,"
        " compare with the same edition",
        "    1750-1898 = 0 (the source is blank before 1899); 1900-1901 are blank in the source"
        " between zeros (1899, 1902-1906) and are 0",
        "  co2_landuse 1850-2023: mean of the four GCB2024 bookkeeping models for China (GCB's"
        " convention for E_LUC is the model mean);",
        "    the sign differs between models and editions: 2013-2022 China mean (MtC/yr)"
        f" {per_model}",
        "    1750-1849: China(1850) x global(t)/global(1850), global = co2_landuse of"
        " forcings/emissions/historical.csv.gz",
        "  ch4, n2o 1970-2019: CEDS v_2021_02_05 China (kt/1000); 1750-1969 (CEDS country files"
        " start in 1970): China(1970) x global(t)/global(1970),",
        "    global = forcings/emissions/historical.csv.gz (China's 1970 share of global emissions"
        f" held back in time: ch4 {info['share1970_ch4']:.4f}, n2o {info['share1970_n2o']:.4f})",
        "  so2, bc, oc, nh3, nox, nmvoc, co 1750-2019: CEDS v_2021_02_05 China (kt/1000)",
        "  CEDS is anthropogenic only: no open biomass burning (forest, grassland, peat and"
        " agricultural-waste fires stay in the rest of the world)",
        "  2020-2023 empty for the CEDS species (CEDS v_2021_02_05 ends in 2019)",
        "  not included: nox_aviation (CEDS v_2021_02_05 reports all aviation, international and"
        " domestic, and international shipping",
        "    only in its 'global' (bunkers) row, not in any country; JGCRI/CEDS issue #47) and the"
        " halogenated gases (no China data: F-gases not available)",
        "units: CO2 in Gt C/yr (1 Gt C = 3.664 Gt CO2; positive = emission); nox as NO2;"
        " N2O as N2O mass; BC and OC as carbon mass",
        "generated by forcings/build_china.py (do not edit by hand)",
    ]


def table_text(table: pd.DataFrame, head: list[str]) -> str:
    units = {k: u for k, u, *_ in SPECIES}
    lines = [f"# {h}" if h else "#" for h in head]
    lines.append("species,unit," + ",".join(str(y) for y in table.columns))
    for key, row in table.iterrows():
        lines.append(f"{key},{units[key]}," + ",".join(fmt(v) for v in row.values))
    return "\n".join(lines) + "\n"


def build_population(shared: Path) -> pd.DataFrame:
    """UN WPP 2024 (OWID) population of China and the World, persons, POP_YEAR0..POP_YEAR1."""
    t = pd.read_csv(shared / F_POP)
    years = np.arange(POP_YEAR0, POP_YEAR1 + 1)
    rows = {}
    for region in POP_REGIONS:
        s = t[t["region"] == region].set_index("year")[POP_COLUMN].dropna()
        assert list(s.index) == list(years), (
            f"{region} population years {s.index.min()}-{s.index.max()}, "
            f"not {POP_YEAR0}-{POP_YEAR1}"
        )
        assert (s % 1 == 0).all() and (s > 0).all(), f"{region} population not whole persons"
        rows[region] = s
    table = pd.DataFrame(rows).T
    table.columns = years
    return table


def population_text(table: pd.DataFrame) -> str:
    lines = [f"# {h}" for h in POP_HEADER]
    lines.append("region,unit," + ",".join(str(y) for y in table.columns))
    for region, row in table.iterrows():
        lines.append(f"{region},persons," + ",".join(fmt(v, ".0f") for v in row.values))
    return "\n".join(lines) + "\n"


def population_checks(c, deterministic: bool, same_as_before) -> None:
    t, units = read_commented_table(OUT_POP)
    c.add(
        "population rows, unit, years",
        f"{len(t)} x {t.columns[0]}-{t.columns[-1]}",
        f"China, World x {POP_YEAR0}-{POP_YEAR1}",
        list(t.index) == list(POP_REGIONS)
        and set(units) == {"persons"}
        and list(t.columns) == list(range(POP_YEAR0, POP_YEAR1 + 1))
        and bool(t.notna().all().all()),
    )
    for (region, year), want in POP_EXPECTED.items():
        v = float(t.loc[region, year]) / 1e6
        c.add(
            f"population {region} {year} (millions)",
            v,
            f"{want:g} +- 0.1 (PROV.)",
            abs(v - want) <= 0.1,
        )
    share = float(t.loc["China", 2020] / t.loc["World", 2020])
    c.add("population China / World 2020", share, "0.18 +- 0.005", abs(share - 0.18) <= 0.005)
    c.add("population deterministic (built twice)", deterministic, "True", deterministic)
    c.add("population unchanged against the file on disk", same_as_before)
    c.add("population file size (bytes)", OUT_POP.stat().st_size)


# ------------------------------------------------------------------------------------------
# checks (computed on the file as written and read back)
# ------------------------------------------------------------------------------------------
# the same table of checks as the global build script (run from this folder, it imports)
Checks = _build_forcings.Checks


def run_checks(
    shared: Path, info: dict, glob: pd.DataFrame, deterministic: bool, same_as_before, c=None
) -> None:
    c = Checks() if c is None else c
    t, units = read_commented_table(OUT_CHINA)
    want_units = {k: u for k, u, *_ in SPECIES}
    c.add(
        "rows and units",
        len(t),
        f"{len(SPECIES)} as specified",
        list(t.index) == list(want_units) and units.to_dict() == want_units,
    )
    c.add(
        "year columns",
        f"{t.columns[0]}-{t.columns[-1]}",
        f"{YEAR0}-{YEAR1}",
        list(t.columns) == list(YEARS),
    )

    # fossil CO2
    ff = t.loc["co2_fossil"] * GTCO2_PER_GTC  # GtCO2/yr
    v19, v23 = float(ff.loc[2019]), float(ff.loc[2023])
    cum = float(ff.loc[1850:2022].sum())
    c.add("co2_fossil 2019 (GtCO2)", v19, "10.71 +- 0.02", abs(v19 - 10.71) <= 0.02)
    c.add("co2_fossil 2023 (GtCO2)", v23, "11.95 +- 0.02", abs(v23 - 11.95) <= 0.02)
    c.add("co2_fossil cum. 1850-2022 (GtCO2)", cum, "261 +- 2", abs(cum - 261.0) <= 2.0)
    c.add(
        "co2_fossil 1750-1898 all 0",
        bool((t.loc["co2_fossil", :1898] == 0).all()),
        "True",
        bool((t.loc["co2_fossil", :1898] == 0).all()),
    )
    g23 = pd.read_csv(shared / F_FOSSIL_2023, index_col="year")["China_territorial"]
    c.add("  GCB2023 China 2019 (GtCO2)", float(g23.loc[2019] * GTCO2_PER_GTC / 1000), "10.72")
    g22 = pd.read_csv(shared / F_FOSSIL_2022)
    g22 = g22[g22["Country"] == "China"].set_index("Year")["Total"]
    c.add("  GCB2022v27 China 2019 (GtCO2)", float(g22.loc[2019] / 1000), "10.74")
    for k, v in CHINA_2019_OLDER_EDITIONS.items():
        if k != "GCB2022":
            c.add(f"  {k} China 2019 (GtCO2, PROVENANCE)", v, "quoted")

    # land use
    luc = info["luc"]
    for m in LUC_MODELS:
        c.add(f"co2_landuse {m} 2013-2022 (MtC/yr)", float(luc[m].loc[2013:2022].mean()))
    for m in LUC_MODELS:
        c.add(f"co2_landuse {m} cum. 1850-2023 (GtC)", float(luc[m].loc[1850:2023].sum() / 1000))
    lu = t.loc["co2_landuse"]
    c.add("co2_landuse 4-model mean 2013-2022 (MtC/yr)", float(lu.loc[2013:2022].mean() * 1000))
    c.add("co2_landuse 4-model mean cum. 1850-2023 (GtC)", float(lu.loc[1850:2023].sum()))
    c.add("co2_landuse cum. 1750-1849 (GtC)", float(lu.loc[:1849].sum()))
    c.add("co2_landuse 1849/1850 (global shape)", info["luc_global_1849_over_1850"])
    c.add("co2_landuse 1850 (MtC/yr)", float(lu.loc[1850] * 1000))

    # CEDS species
    ceds = info["ceds"]
    for key, _u, sp, *_ in SPECIES:
        if sp is None:
            continue
        v = float(t.loc[key, 2019])
        c.add(f"{key} 2019 China (Mt)", v, f"{CEDS_2019_EXPECTED[key]:g} (PROVENANCE)")
    for key, _u, sp, *_ in SPECIES:
        if sp is None:
            continue
        share = float(t.loc[key, 2019] / glob.loc[key, 2019])
        c.add(f"{key} 2019 share of global file", share)
    # anthropogenic-only evidence: the global file includes open burning, CEDS does not
    for key, sp in [("bc", "BC"), ("oc", "OC"), ("co", "CO")]:
        r = float(ceds_series(ceds, sp, "World_sum_all_rows").loc[2019] / glob.loc[key, 2019])
        c.add(f"{key} CEDS world / global file 2019", r, "< 1 (no open burning)", r < 1.0)
    for key in sorted(CEDS_GHG):
        c.add(f"{key} China 1970 share (held back)", info[f"share1970_{key}"])
        c.add(f"{key} 1750 China (Mt)", float(t.loc[key, YEAR0]))

    # PRIMAP-hist cross-check
    p = pd.read_csv(shared / F_PRIMAP, index_col="year")
    for key, col in [("ch4", "CH4_Mt_CH4"), ("n2o", "N2O_Mt_N2O")]:
        for y in (1990, 2010, 2017):
            pv, cv = float(p.loc[y, col]), float(t.loc[key, y])
            c.add(f"{key} {y} PRIMAP-hist / CEDS", pv / cv, f"{pv:.3g} / {cv:.3g} Mt")

    # value checks
    nonco2 = t.drop(index="co2_landuse")
    c.add(
        "negative values (except co2_landuse)",
        int((nonco2 < 0).sum().sum()),
        "0",
        int((nonco2 < 0).sum().sum()) == 0,
    )
    nan_in, filled_out = 0, 0
    for key, _u, _sp, _cu, y0, y1 in SPECIES:
        r = t.loc[key]
        nan_in += int(r.loc[y0:y1].isna().sum())
        filled_out += int(r.drop(index=range(y0, y1 + 1)).notna().sum())
    c.add("NaN inside stated ranges", nan_in, "0", nan_in == 0)
    c.add("values outside stated ranges", filled_out, "0", filled_out == 0)
    c.add("deterministic (built twice, same bytes)", deterministic, "True", deterministic)
    c.add("unchanged against the file found on disk", same_as_before)
    c.add("file size (bytes)", OUT_CHINA.stat().st_size)
    c.print_and_assert()


# ------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    shared = _build_forcings.shared_data_folder(__doc__, argv, F_FOSSIL)
    if not GLOBAL_HIST.exists():
        sys.exit(f"error: {GLOBAL_HIST} missing: run forcings/build_forcings.py first")

    glob, _ = read_commented_table(GLOBAL_HIST)
    texts = []
    for _ in range(2):  # build twice from scratch to check that the output is deterministic
        table, info = build(shared, glob)
        info["fossil_2019_gtco2"] = float(table.loc["co2_fossil", 2019] * GTCO2_PER_GTC)
        texts.append(table_text(table, header(info)))
    old = OUT_CHINA.read_bytes() if OUT_CHINA.exists() else None
    _build_forcings.write_text(OUT_CHINA, texts[0], compress=False)
    same = "new file" if old is None else old == OUT_CHINA.read_bytes()

    pop_texts = [population_text(build_population(shared)) for _ in range(2)]
    old_pop = OUT_POP.read_bytes() if OUT_POP.exists() else None
    _build_forcings.write_text(OUT_POP, pop_texts[0], compress=False)
    same_pop = "new file" if old_pop is None else old_pop == OUT_POP.read_bytes()

    print(f"raw data: {shared}")
    for out in (OUT_CHINA, OUT_POP):
        print(f"  wrote {out.relative_to(REPO)} ({out.stat().st_size / 1000:.1f} kB)")
    c = Checks()
    population_checks(c, pop_texts[0] == pop_texts[1], same_pop)
    run_checks(shared, info, glob, texts[0] == texts[1], same, c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
