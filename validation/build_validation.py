"""Build the compact observational validation files of ``esm`` from the raw reference data.

Run from anywhere::

    python validation/build_validation.py [--shared PATH]

``PATH`` defaults to ``<repository root>/../shared/data``. The script reads only that folder and
writes only the CSV files listed below, next to this script. Every float is written with a fixed
format, so a rerun on the same inputs gives byte-identical files. Tests and the model read these
files; they never read the raw data.

Sources (full provenance in ``shared/data/PROVENANCE.md``; citations in ``validation/README.md``):

- ``carbon_budget/gcb2021_*``: Global Carbon Budget 2021, "Historical Budget" and "Global Carbon
  Budget" sheets of ``Global_Carbon_Budget_2021v1.0.xlsx`` (Friedlingstein et al. 2022, ESSD 14,
  1917-2005, doi:10.5194/essd-14-1917-2022; CC BY 4.0) -> ``gcb2021_budget.csv``.
- ``concentrations/``: IPCC AR6 WGI Annex III long-lived GHG history (v9, and the same series
  interpolated to every year, ``wmghgs_1750-2019.csv``) and the IGCC 2024 update
  (Forster et al. 2025) -> ``ghg_concentrations.csv``.
- ``forcing/ar6_ch7/``: AR6 WGI Chapter 7 ERF time series with 5th/95th percentiles
  -> ``ar6_erf.csv`` and ``ar6_erf_2019.csv``.
- ``temperature/``: AR6 assessed GMST (4-dataset mean), HadCRUT5.0.2.0 and IGCC 2024 GMST, all
  relative to 1850-1900 -> ``gmst.csv``.
- ``cmip6_metrics/``: Schlund et al. (2020) ECS/TCR and the AR6 Ch7 two-layer fits per CMIP6
  model -> ``cmip6_models.csv``.
- ``concentrations/rcmip-concentrations-annual-means-5-1-0-ssp-only.csv``: RCMIP v5.1.0 (the
  CMIP6 SSP concentrations of Meinshausen et al. 2020): CO2 in 2100 per SSP, read here only for
  its ``targets.csv`` rows (no file of its own).
- Scalar targets (assessed ranges quoted from the primary sources named in each row's
  ``source``: IPCC AR6 WGI SPM and chapters, GCB2021, fair-calibrate, Arora et al. 2020,
  MacDougall et al. 2020; values computed from the files above where possible)
  -> ``targets.csv``.

The script prints the checks against the published numbers and exits with status 1 if any
check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent / "shared" / "data"

# Citations reused in file headers and in targets.csv (ASCII only, no '#', so that
# ``pd.read_csv(..., comment="#")`` reads every data row intact).
CIT_GCB = (
    "Friedlingstein, P. et al. (2022), Global Carbon Budget 2021, ESSD 14, 1917-2005, "
    "doi:10.5194/essd-14-1917-2022; data doi:10.18160/gcp-2021"
)
CIT_SPM = "IPCC AR6 WGI Summary for Policymakers (IPCC 2021), doi:10.1017/9781009157896.001"
CIT_CH7_PAPER = "Forster, P. et al. (2021), AR6 WGI Chapter 7, doi:10.1017/9781009157896.009"
CIT_CH7 = f"{CIT_CH7_PAPER}; data: chrisroadmap/ar6 data_output (C. Smith)"
CIT_FAIRCAL = (
    "fair-calibrate constraining scripts (chrisroadmap/fair-calibrate); Smith, C. et al. (2024), "
    "GMD 17, 8569-8592, doi:10.5194/gmd-17-8569-2024"
)


# --------------------------------------------------------------------------------------------
# Formatting and writing helpers
# --------------------------------------------------------------------------------------------


def fmt(x: object, spec: str) -> str:
    """Format a number with a fixed spec; missing values become an empty field.

    spec "short" = 6 decimals with trailing zeros removed (2390, 0.476199, -0.000044).
    """
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    xf = float(x)
    if math.isnan(xf):
        return ""
    s = format(xf, ".6f" if spec == "short" else spec)
    if spec == "short":
        s = s.rstrip("0").rstrip(".")
    # Avoid "-0.000000" so that the sign of rounded zeros never depends on float noise.
    if s.startswith("-") and float(s) == 0.0:
        s = s[1:]
    assert "e" not in s.lower() and s, s
    return s


def para(*parts: str, width: int = 94) -> list[str]:
    """Join text pieces into one paragraph and wrap it into header lines."""
    return textwrap.wrap(" ".join(parts), width=width, break_on_hyphens=False)


def write_csv(path: Path, header: list[str], columns: list[str], rows: list[list[str]]) -> None:
    """Write comment lines ('# ...'), a column header and pre-formatted rows with '\\n' endings."""
    buf = io.StringIO()
    for line in header:
        assert "\n" not in line
        buf.write(f"# {line}\n" if line else "#\n")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(columns)
    for r in rows:
        assert len(r) == len(columns)
        for field in r:
            assert "#" not in field, field  # would be cut off by comment="#"
        w.writerow(r)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_frame(path: Path, header: list[str], df: pd.DataFrame, spec: str | dict) -> None:
    """Write a DataFrame (index = year or model name) with fixed float formats."""
    cols = list(df.columns)
    specs = spec if isinstance(spec, dict) else {c: spec for c in cols}
    rows = []
    for key, rec in df.iterrows():
        label = key if isinstance(key, str) else str(int(key))
        rows.append([label] + [fmt(rec[c], specs.get(c, "")) for c in cols])
    write_csv(path, header, [df.index.name or "year"] + cols, rows)


class Checks:
    """Collect and print comparisons with published numbers."""

    def __init__(self) -> None:
        self.n = 0
        self.failed: list[str] = []

    def section(self, title: str) -> None:
        print(f"\n== {title}")

    def info(self, text: str) -> None:
        print(f"   {text}")

    def compare(self, label: str, value: float, expected: float, tol: float) -> None:
        self.n += 1
        ok = abs(value - expected) <= tol
        flag = "ok" if ok else "MISMATCH"
        print(f"   {label:<46s} {value:10.4f}  expected {expected:10.4f} +-{tol:<7g} {flag}")
        if not ok:
            self.failed.append(label)


# --------------------------------------------------------------------------------------------
# 1. Global Carbon Budget 2021
# --------------------------------------------------------------------------------------------

GCB_RENAME = {
    "fossil_emissions_excluding_carbonation_GtC_per_yr": "fossil_gross",
    "cement_carbonation_sink_GtC_per_yr": "cement_carbonation",
    "land-use_change_emissions_GtC_per_yr": "landuse",
    "atmospheric_growth_GtC_per_yr": "atmospheric_growth",
    "ocean_sink_GtC_per_yr": "ocean_sink",
    "land_sink_GtC_per_yr": "land_sink",
    "budget_imbalance_GtC_per_yr": "budget_imbalance",
}
GCB_COLUMNS = [
    "fossil_gross",
    "cement_carbonation",
    "fossil",
    "landuse",
    "atmospheric_growth",
    "ocean_sink",
    "land_sink",
    "budget_imbalance",
]


def read_gcb(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, index_col="year").rename(columns=GCB_RENAME)
    df.index = df.index.astype(int)
    # "fossil emissions excluding carbonation" in the sheet is the gross fossil source (the
    # cement-carbonation sink is not subtracted). GCB2021's headline E_FOS is net of that sink.
    # The sheet has no carbonation value before 1931: treat as 0 there (the sink was negligible).
    df["fossil"] = df["fossil_gross"] - df["cement_carbonation"].fillna(0.0)
    return df[GCB_COLUMNS]


def build_gcb(shared: Path, out: Path, chk: Checks) -> pd.DataFrame:
    hist = read_gcb(shared / "carbon_budget" / "gcb2021_historical_budget_1750-2020_GtC.csv")
    glob = read_gcb(shared / "carbon_budget" / "gcb2021_global_carbon_budget_1959-2020_GtC.csv")
    assert list(hist.index) == list(range(1750, 2021))

    chk.section("GCB2021 budget (GtC/yr)")
    # Cross-check: the historical sheet repeats the global sheet for 1959-2020.
    diff = (hist.loc[1959:2020] - glob).abs()
    for col in GCB_COLUMNS:
        d = diff[col].max()
        chk.info(f"historical vs global sheet 1959-2020, max |diff| {col:<20s} {d:.2e}")
    chk.compare("max |hist - global| 1959-2020, all columns", float(diff.max().max()), 0.0, 1e-6)
    # Budget identity where every term exists (1850-2020): B_IM = E_FOS + E_LUC - G - S_O - S_L.
    b = hist.loc[1850:2020]
    resid = (
        b.fossil + b.landuse - b.atmospheric_growth - b.ocean_sink - b.land_sink
    ) - b.budget_imbalance
    chk.compare("budget identity residual 1850-2020 (max |.|)", float(resid.abs().max()), 0.0, 1e-6)
    for col in GCB_COLUMNS:
        first = hist[col].first_valid_index()
        nmiss = int(hist[col].isna().sum())
        chk.info(f"{col:<20s} first year {first}, empty years 1750-2020: {nmiss}")

    m = hist.loc[2011:2020].mean()
    chk.info("2011-2020 means (GCB2021):")
    for col, exp in [
        ("fossil", 9.50),
        ("landuse", 1.13),
        ("atmospheric_growth", 5.06),
        ("ocean_sink", 2.78),
        ("land_sink", 3.06),
        ("budget_imbalance", -0.28),
    ]:
        chk.compare(f"mean 2011-2020 {col}", m[col], exp, 0.005)
    chk.compare("mean 2011-2020 fossil_gross", m.fossil_gross, 9.70, 0.005)
    chk.compare("mean 2011-2020 cement_carbonation", m.cement_carbonation, 0.197, 0.0005)
    af = m.atmospheric_growth / (m.fossil + m.landuse)
    chk.compare("airborne fraction 2011-2020 G/(E_FOS+E_LUC)", af, 0.476, 0.0005)

    s = hist.loc[1850:2020].sum()
    chk.info("1850-2020 sums (PgC, GCB2021):")
    for col, exp in [
        ("ocean_sink", 168.4),
        ("land_sink", 195.4),
        ("atmospheric_growth", 268.2),
        ("fossil", 456.6),
        ("landuse", 201.8),
        ("fossil_gross", 461.8),
        ("cement_carbonation", 5.2),
        ("budget_imbalance", 26.3),
    ]:
        chk.compare(f"sum 1850-2020 {col}", s[col], exp, 0.05)
    chk.compare("sum 1850-2020 total emissions", s.fossil + s.landuse, 658.4, 0.05)
    cum19 = hist.loc[1850:2019, ["fossil", "landuse"]].sum().sum() * 3.664
    chk.info(f"cumulative CO2 1850-2019 = {cum19:.0f} GtCO2 (AR6 SPM D.1.2: 2390 +- 240, likely)")

    chk.info("decadal means (GtC/yr):")
    cols = GCB_COLUMNS[2:]
    short = ["fossil", "landuse", "growth", "ocean", "land", "imbal"]
    chk.info("decade      " + " ".join(f"{c:>8s}" for c in short))
    periods = [(y, y + 9) for y in range(1960, 2020, 10)] + [(2011, 2020)]
    for y0, y1 in periods:
        d = hist.loc[y0:y1, cols].mean()
        chk.info(f"{y0}-{y1}   " + " ".join(f"{d[c]:8.3f}" for c in cols))

    header = para(
        "Global Carbon Budget 2021 (GCB2021), global annual budget terms, 1750-2020.",
        f"Source: {CIT_GCB}. Licence: CC BY 4.0 (GCB data); cite the paper when using these",
        "numbers. Sheet: 'Historical Budget' of Global_Carbon_Budget_2021v1.0.xlsx; its 1959-2020",
        "rows are identical to the 'Global Carbon Budget' sheet.",
        "Units: GtC/yr (= PgC/yr); 1 GtC = 3.664 GtCO2.",
    )
    header += para(
        "fossil_gross = sheet column 'fossil emissions excluding carbonation' (the carbonation",
        "sink not subtracted); cement_carbonation = cement carbonation sink (positive, from 1931);",
        "fossil = fossil_gross - cement_carbonation, missing carbonation counted as 0 (= GCB",
        "E_FOS); landuse = E_LUC (from 1850); atmospheric_growth = G_ATM; ocean_sink = S_OCEAN",
        "(from 1781); land_sink = S_LAND; budget_imbalance = B_IM (from 1850).",
        "Empty field = no value in the sheet (not filled).",
        "Built by validation/build_validation.py.",
    )
    write_frame(out / "gcb2021_budget.csv", header, hist, ".6f")
    return hist


# --------------------------------------------------------------------------------------------
# 2. GHG concentrations
# --------------------------------------------------------------------------------------------


def read_annex3_archive(path: Path) -> pd.DataFrame:
    """AR6 Annex III LLGHG v9 CSV: '#' header block, a UNITS row, a YYYY row, then data rows."""
    keep = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if line.startswith("YYYY") or line[:4].isdigit():
                keep.append(line)
    df = pd.read_csv(io.StringIO("".join(keep)), index_col=0)
    df = df.loc[:, ~df.columns.str.startswith("Unnamed")]
    df.index = df.index.astype(int)
    return df.astype(float)


def build_concentrations(shared: Path, out: Path, chk: Checks) -> pd.DataFrame:
    cdir = shared / "concentrations"
    wm = pd.read_csv(cdir / "wmghgs_1750-2019.csv", index_col=0).T
    wm.index = wm.index.astype(int)
    ar6 = wm[["CO2", "CH4", "N2O"]]
    assert list(ar6.index) == list(range(1750, 2020))
    arch = read_annex3_archive(cdir / "LLGHG_history_AR6_v9_for_archive.csv")
    igcc = pd.read_csv(cdir / "ghg_concentrations_1750-2024.csv", index_col=0)
    igcc.index = igcc.index.astype(int)

    chk.section("GHG concentrations (ppm / ppb / ppb)")
    yrs = arch.index
    chk.info(f"Annex III archive rows: {len(arch)} ({yrs[0]}, {yrs[1]}-{yrs[-1]})")
    for gas in ["CO2", "CH4", "N2O"]:
        d = (ar6.loc[arch.index, gas] - arch[gas]).abs().max()
        chk.compare(f"wmghgs vs Annex III archive, max |diff| {gas}", float(d), 0.0, 1e-9)
    for gas in ["CO2", "CH4", "N2O"]:
        yrs = [y for y in arch.index if y in igcc.index]
        d = igcc.loc[yrs, gas] - arch.loc[yrs, gas]
        y_max = int(d.abs().idxmax())
        chk.info(
            f"IGCC 2024 minus Annex III {gas}: max |diff| {d.abs().max():.3f} in {y_max}; "
            f"2019: {d.loc[2019]:+.3f}"
        )
    for gas in ["CO2", "CH4", "N2O"]:
        step_join = igcc.loc[2020, gas] - ar6.loc[2019, gas]
        step_igcc = igcc.loc[2020, gas] - igcc.loc[2019, gas]
        chk.info(
            f"{gas} 2019->2020 step at the seam {step_join:+.3f} (within IGCC: {step_igcc:+.3f})"
        )

    new = igcc.loc[2020:2024, ["CO2", "CH4", "N2O"]]
    df = pd.concat([ar6, new])
    df.columns = ["co2", "ch4", "n2o"]
    df.index.name = "year"
    df["source"] = ["AR6 Annex III"] * len(ar6) + ["IGCC 2024"] * len(new)
    assert list(df.index) == list(range(1750, 2025))

    for gas, y, exp in [
        ("co2", 1750, 278.3),
        ("ch4", 1750, 729.2),
        ("n2o", 1750, 270.1),
        ("co2", 2019, 409.9),
        ("ch4", 2019, 1866.3),
        ("n2o", 2019, 332.1),
    ]:
        chk.compare(f"{gas} {y}", df.loc[y, gas], exp, 0.005)
    chk.info("AR6 Table 7.5 gives CO2 2019 = 409.85 ppm (the Annex III series rounds to 409.9).")

    seam = df.loc[2020, "co2"] - df.loc[2019, "co2"]
    header = para(
        "Global annual-mean surface concentrations: co2 (ppm), ch4 (ppb), n2o (ppb), 1750-2024.",
    )
    header += para(
        "1750-2019: IPCC AR6 WGI Annex III long-lived GHG history v9 (18 Jan 2021; NOAA, AGAGE,",
        "Meinshausen et al. 2017, ice-core updates by J. Ahn), interpolated to every year as in",
        "wmghgs_1750-2019.csv (C. Smith, AR6 Ch7): identical to the Annex III table in 1750 and",
        "1850-2019, interpolated in 1751-1849. IPCC AR6 data; carrying repository MIT.",
    )
    header += para(
        "2020-2024: Indicators of Global Climate Change 2024 (Forster, P. M. et al. 2025, ESSD),",
        "file ghg_concentrations_1750-2024.csv of chrisroadmap/fair-calibrate (MIT). The IGCC",
        "series is about 0.2 ppm higher in CO2 than Annex III in 2015-2019, so co2 steps by",
        f"{seam:+.2f} ppm from 2019 to 2020 here. source = the series each row comes from.",
        "Built by validation/build_validation.py.",
    )
    write_frame(
        out / "ghg_concentrations.csv",
        header,
        df,
        {"co2": ".4f", "ch4": ".4f", "n2o": ".4f", "source": ""},
    )
    return df


# --------------------------------------------------------------------------------------------
# 3. AR6 ERF
# --------------------------------------------------------------------------------------------

# AR6 Ch7 column -> model name, in the output column order.
ERF_RENAME = {
    "co2": "co2",
    "ch4": "ch4",
    "n2o": "n2o",
    "other_wmghg": "halogens",
    "o3": "ozone",
    "h2o_stratospheric": "h2o_stratospheric",
    "contrails": "contrails",
    "aerosol-radiation_interactions": "aerosol_ari",
    "aerosol-cloud_interactions": "aerosol_aci",
    "aerosol": "aerosol",
    "bc_on_snow": "bc_on_snow",
    "land_use": "land_use",
    "volcanic": "volcanic",
    "solar": "solar",
    "total_anthropogenic": "total_anthropogenic",
    "total_natural": "total_natural",
    "total": "total",
}
ANTHRO_PARTS = [
    "co2",
    "ch4",
    "n2o",
    "halogens",
    "ozone",
    "h2o_stratospheric",
    "contrails",
    "aerosol_ari",
    "aerosol_aci",
    "bc_on_snow",
    "land_use",
]


def read_erf(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, index_col="year")
    df.index = df.index.astype(int)
    return df[list(ERF_RENAME)].rename(columns=ERF_RENAME)


def build_erf(shared: Path, out: Path, chk: Checks) -> tuple[pd.DataFrame, pd.DataFrame]:
    fdir = shared / "forcing" / "ar6_ch7"
    best = read_erf(fdir / "AR6_ERF_1750-2019.csv")
    p05 = read_erf(fdir / "AR6_ERF_1750-2019_pc05.csv")
    p95 = read_erf(fdir / "AR6_ERF_1750-2019_pc95.csv")
    assert list(best.index) == list(range(1750, 2020))

    chk.section("AR6 ERF (W m-2 relative to 1750)")
    sums = best[ANTHRO_PARTS].sum(axis=1)
    identities = {
        "max |sum of parts - total_anthropogenic|": sums - best.total_anthropogenic,
        "max |ari + aci - aerosol|": best.aerosol_ari + best.aerosol_aci - best.aerosol,
        "max |anthro + natural - total|": (
            best.total_anthropogenic + best.total_natural - best.total
        ),
    }
    for label, resid in identities.items():
        chk.compare(label, float(resid.abs().max()), 0.0, 1e-9)
    tab = pd.DataFrame({"best": best.loc[2019], "p05": p05.loc[2019], "p95": p95.loc[2019]})
    tab.index.name = "component"
    for comp, b, lo, hi in [  # AR6 WGI Ch7 ERF 2019, 5-95 %
        ("co2", 2.156, 1.898, 2.414),
        ("ch4", 0.544, 0.435, 0.653),
        ("n2o", 0.208, 0.179, 0.238),
        ("halogens", 0.408, 0.331, 0.485),
        ("ozone", 0.474, 0.238, 0.711),
        ("aerosol_ari", -0.216, -0.472, 0.040),
        ("aerosol_aci", -0.843, -1.446, -0.252),
        ("aerosol", -1.058, -1.712, -0.414),
        ("total_anthropogenic", 2.720, 1.957, 3.482),
        ("total", 2.838, 2.080, 3.616),
    ]:
        r = tab.loc[comp]
        chk.compare(f"2019 {comp} best", r.best, b, 0.0005)
        chk.compare(f"2019 {comp} p05", r.p05, lo, 0.0005)
        chk.compare(f"2019 {comp} p95", r.p95, hi, 0.0005)
    m = best.loc[2005:2014, ["aerosol_ari", "aerosol_aci", "aerosol"]].mean()
    chk.compare("aerosol_ari mean 2005-2014", m.aerosol_ari, -0.3, 0.005)
    chk.compare("aerosol_aci mean 2005-2014", m.aerosol_aci, -1.0, 0.005)
    chk.compare("aerosol mean 2005-2014", m.aerosol, -1.3, 0.005)

    header = para(
        "IPCC AR6 WGI Chapter 7 effective radiative forcing (ERF) by component, 1750-2019,",
        "W m-2 relative to 1750 (best estimate). volcanic and solar are not zero in 1750 (volcanic",
        "is relative to the long-term mean volcanic forcing).",
        f"Source: {CIT_CH7}, file AR6_ERF_1750-2019.csv. Licence: IPCC AR6 WGI data (archived",
        "on CEDA, CC BY 4.0, not re-checked); repository MIT.",
    )
    header += para(
        "Renamed: other_wmghg -> halogens, o3 -> ozone, aerosol-radiation_interactions ->",
        "aerosol_ari, aerosol-cloud_interactions -> aerosol_aci. Dropped: nonco2_wmghg",
        "(= ch4 + n2o + halogens) and chapter2_other_anthro (= contrails + land_use + bc_on_snow",
        "+ h2o_stratospheric). aerosol = aerosol_ari + aerosol_aci; total_anthropogenic = sum of",
        "co2 ... land_use except aerosol; total_natural = volcanic + solar.",
        "Built by validation/build_validation.py.",
    )
    write_frame(out / "ar6_erf.csv", header, best, ".6f")
    header19 = para(
        "IPCC AR6 WGI Chapter 7 ERF in 2019 relative to 1750 (W m-2): best estimate and",
        "5th/95th percentiles of the AR6 ensemble (AR6_ERF_1750-2019.csv, _pc05, _pc95, row",
        "2019). Percentiles of totals are percentiles of the summed ensemble, not sums of",
        "percentiles. Component names as in ar6_erf.csv.",
        f"Source: {CIT_CH7}. Licence as ar6_erf.csv. Built by validation/build_validation.py.",
    )
    rows = [
        [c, fmt(r.best, ".6f"), fmt(r.p05, ".6f"), fmt(r.p95, ".6f")] for c, r in tab.iterrows()
    ]
    write_csv(out / "ar6_erf_2019.csv", header19, ["component", "best", "p05", "p95"], rows)
    return best, tab


# --------------------------------------------------------------------------------------------
# 4. GMST
# --------------------------------------------------------------------------------------------


def read_gmst(path: Path) -> pd.Series:
    df = pd.read_csv(path, encoding="utf-8-sig")
    years = df["year"].to_numpy(dtype=float)
    # IGCC labels years by their mid-point (1850.5 ...): label by the calendar year.
    frac = years - np.floor(years)
    assert np.all(frac == frac[0]) and frac[0] in (0.0, 0.5), path
    return pd.Series(df["gmst"].to_numpy(dtype=float), index=np.floor(years).astype(int))


def build_gmst(shared: Path, out: Path, chk: Checks) -> pd.DataFrame:
    tdir = shared / "temperature"
    ar6 = read_gmst(tdir / "AR6_GMST.csv")
    had = read_gmst(
        tdir / "HadCRUT.5.0.2.0.analysis.summary_series.global.annual.rebased_1850-1900_2024.csv"
    )
    igcc = read_gmst(tdir / "IGCC_GMST_1850-2024.csv")
    df = pd.DataFrame({"ar6_gmst": ar6, "hadcrut5": had, "igcc_gmst": igcc})
    df = df.reindex(range(1850, 2025))
    df.index.name = "year"

    chk.section("GMST (K relative to 1850-1900)")
    for col in df.columns:
        s = df[col].dropna()
        base = s.loc[1850:1900].mean()
        chk.info(f"{col:<9s} {s.index[0]}-{s.index[-1]}, 1850-1900 mean {base:+.4f}")
    chk.compare("AR6 GMST mean 2011-2020", df.ar6_gmst.loc[2011:2020].mean(), 1.09, 0.005)
    chk.compare("AR6 GMST mean 2001-2020", df.ar6_gmst.loc[2001:2020].mean(), 0.99, 0.005)
    chk.compare("AR6 GMST mean 1995-2014", df.ar6_gmst.loc[1995:2014].mean(), 0.85, 0.02)
    chk.compare("HadCRUT5 mean 2011-2020", df.hadcrut5.loc[2011:2020].mean(), 1.116, 0.0005)
    chk.compare("IGCC GMST mean 2015-2024", df.igcc_gmst.loc[2015:2024].mean(), 1.24, 0.005)
    for a, b in [("hadcrut5", "ar6_gmst"), ("igcc_gmst", "ar6_gmst")]:
        d = (df[a] - df[b]).loc[1850:2020]
        rmse = float(np.sqrt((d**2).mean()))
        chk.info(f"RMSE {a} vs {b} 1850-2020: {rmse:.4f} K (observational spread, cf. 0.15 K)")

    header = para(
        "Global mean surface temperature (GMST) anomalies, K (= degC) relative to 1850-1900.",
    )
    header += para(
        "ar6_gmst: IPCC AR6 WGI assessed GMST, mean of HadCRUT5, NOAAGlobalTemp, Berkeley Earth",
        "and Kadow et al., 1850-2020 (Gulev et al. 2021, AR6 WGI Chapter 2; AR6_GMST.csv of",
        "chrisroadmap/fair-calibrate). IPCC AR6 data; repository MIT.",
    )
    header += para(
        "hadcrut5: HadCRUT5.0.2.0 analysis global annual mean rebased to 1850-1900, 1850-2024",
        "(Morice, C. P. et al. 2021, JGR 126, e2019JD032361, doi:10.1029/2019JD032361; Met",
        "Office, UK Open Government Licence, not re-checked).",
    )
    header += para(
        "igcc_gmst: Indicators of Global Climate Change 2024 GMST (Forster, P. M. et al. 2025,",
        "ESSD), 1850-2024; source years 1850.5 ... 2024.5 labelled here 1850 ... 2024.",
        "Repository chrisroadmap/fair-calibrate, MIT.",
        "Empty = no value. Built by validation/build_validation.py.",
    )
    write_frame(out / "gmst.csv", header, df, ".6f")
    return df


# --------------------------------------------------------------------------------------------
# 5. CMIP6 per-model metrics
# --------------------------------------------------------------------------------------------


def build_cmip6(shared: Path, out: Path, chk: Checks) -> pd.DataFrame:
    mdir = shared / "cmip6_metrics"
    ecs = pd.read_csv(mdir / "schlund2020_ecs_cmip5_cmip6.csv")
    ecs = ecs[ecs.project == "CMIP6"].set_index("model")["ECS_K"].rename("ecs")
    tcr = pd.read_csv(mdir / "schlund2020_tcr_cmip6.csv")
    assert (tcr.project == "CMIP6").all()
    tcr = tcr.set_index("model")["TCR_K"].rename("tcr")
    two = pd.read_csv(mdir / "ar6_ch7_cmip6_twolayer_tuning_params.csv", index_col=0)
    summary_rows = [m for m in ("Mean", "StDev") if m in two.index]
    two = two.drop(index=summary_rows)
    two = two[["q4x", "lamg", "cmix", "cdeep", "gamma_2l", "eff"]]
    for s in (ecs, tcr, two):
        assert not s.index.duplicated().any()

    models = sorted(set(ecs.index) | set(tcr.index) | set(two.index))
    df = pd.concat([ecs, tcr, two], axis=1).reindex(models)
    df.index.name = "model"

    chk.section("CMIP6 per-model metrics")
    chk.info(
        f"Schlund ECS {len(ecs)} CMIP6 models (CMIP5 rows dropped), TCR {len(tcr)}, two-layer "
        f"{len(two)} (dropped summary rows {summary_rows}); union {len(df)} models"
    )
    chk.info(f"models with all of ecs, tcr, two-layer: {int(df.notna().all(axis=1).sum())}")
    chk.info(f"ECS only in Schlund: {sorted(set(ecs.index) - set(two.index))}")
    chk.info(f"two-layer only: {sorted(set(two.index) - set(ecs.index))}")
    chk.info(f"TCR without ECS: {sorted(set(tcr.index) - set(ecs.index))}")
    chk.compare("CMIP6 ECS mean", float(ecs.mean()), 3.78, 0.005)
    chk.compare("CMIP6 TCR mean", float(tcr.mean()), 2.01, 0.005)
    ecs2l = two.q4x / (2.0 * two.lamg.abs())
    chk.info(
        f"two-layer equilibrium ECS q4x/(2|lamg|): median {ecs2l.median():.2f} K over "
        f"{len(two)} models (PROVENANCE 7 says 3.66, which is what the 'Mean' row implies)"
    )

    header = para(
        "CMIP6 per-model climate-response metrics, for comparison plots (not test targets).",
    )
    header += para(
        "ecs, tcr (K): Schlund, M. et al. (2020), ESD 11, 1233-1258,",
        "doi:10.5194/esd-11-1233-2020 (ESMValTool; ECS by Gregory regression of abrupt-4xCO2,",
        "TCR from 1pctCO2), as used for AR6 FAQ 7.3 (ecs_for_faq.xlsx, tcr_for_faq.xlsx in",
        "chrisroadmap/ar6). CMIP6 models only.",
    )
    header += para(
        "q4x (W m-2, 4xCO2 ERF), lamg (W m-2 K-1, feedback parameter, negative), cmix and cdeep",
        "(W yr m-2 K-1, upper and deep layer heat capacities), gamma_2l (W m-2 K-1, heat",
        "exchange coefficient), eff (1, deep-ocean efficacy): two-layer EBM fits per model from",
        "AR6 WGI Chapter 7 (Forster et al. 2021; chrisroadmap/ar6",
        "data_output/cmip6_twolayer_tuning_params.csv, MIT); its Mean/StDev rows dropped.",
        "The fit's equilibrium ECS is q4x/(2|lamg|): larger than the Gregory ECS where eff > 1,",
        "smaller where eff < 1. Empty = model absent from that source.",
        "Built by validation/build_validation.py.",
    )
    write_frame(out / "cmip6_models.csv", header, df, ".6f")
    return df


# --------------------------------------------------------------------------------------------
# 5b. CMIP6 SSP concentrations (RCMIP v5.1.0): CO2 in 2100, for targets.csv only
# --------------------------------------------------------------------------------------------

#: The five SSPs of AR6 WGI Table SPM.1, as named in RCMIP and in esm.
SSPS = ("ssp119", "ssp126", "ssp245", "ssp370", "ssp585")

CIT_SSP_CONC = (
    "Meinshausen, M. et al. (2020), The shared socio-economic pathway (SSP) greenhouse gas "
    "concentrations and their extensions to 2500, GMD 13, 3571-3605, "
    "doi:10.5194/gmd-13-3571-2020; via RCMIP v5.1.0 (Nicholls, Z. R. J. et al. 2020, GMD 13, "
    "5175-5190), rcmip-concentrations-annual-means-5-1-0-ssp-only.csv"
)


def read_ssp_co2_2100(shared: Path, chk: Checks) -> dict[str, float]:
    """Annual-mean CO2 [ppm] in 2100 of the CMIP6 concentration-driven SSPs (World)."""
    path = shared / "concentrations" / "rcmip-concentrations-annual-means-5-1-0-ssp-only.csv"
    df = pd.read_csv(path)
    co2 = df[(df["Variable"] == "Atmospheric Concentrations|CO2") & (df["Region"] == "World")]
    co2 = co2.set_index("Scenario")
    assert set(co2["Unit"]) == {"ppm"}, set(co2["Unit"])
    out = {ssp: float(co2.loc[ssp, "2100"]) for ssp in SSPS}
    chk.section("CMIP6 SSP CO2 in 2100 (RCMIP v5.1.0, ppm)")
    for ssp in SSPS:
        chk.info(f"{ssp}: {out[ssp]:.3f} ppm")
    # Meinshausen et al. (2020), abstract: CO2 in 2100 from 393 (SSP1-1.9) to 1135 ppm (SSP5-8.5)
    chk.compare("CO2 2100 ssp119", out["ssp119"], 393.0, 0.6)
    chk.compare("CO2 2100 ssp585", out["ssp585"], 1135.0, 0.6)
    return out


# --------------------------------------------------------------------------------------------
# 6. Scalar targets
# --------------------------------------------------------------------------------------------

TARGET_COLUMNS = ["name", "value", "low", "high", "units", "kind", "source"]
KINDS = {
    "likely",
    "very_likely",
    "5-95",
    "1sigma",
    "range",
    "tolerance",
    "at_least",
    "at_most",
    "none",
}


def build_targets(
    out: Path,
    gcb: pd.DataFrame,
    conc: pd.DataFrame,
    erf19: pd.DataFrame,
    chk: Checks,
    ssp_co2: dict[str, float],
) -> list[list[str]]:
    rows: list[tuple] = []

    def add(name, value, low, high, units, kind, source):
        assert kind in KINDS, kind
        if kind == "at_least":  # one-sided: value is the bound, low = value
            assert low == value and high is None, name
        elif kind == "at_most":
            assert high == value and low is None, name
        else:
            assert (low is None) == (high is None) == (kind == "none"), name
        rows.append((name, value, low, high, units, kind, source))

    # --- GCB2021 decadal means 2011-2020 (computed from gcb2021_budget.csv)
    m = gcb.loc[2011:2020].mean()
    e_tot = m.fossil + m.landuse
    gcb_src = f"{CIT_GCB}; mean 2011-2020 of gcb2021_budget.csv"
    sig_src = "1-sigma from the header of the GCB2021 data file"
    af = m.atmospheric_growth / e_tot
    add(
        "gcb_2011_2020_airborne_fraction",
        af,
        af - 0.05,
        af + 0.05,
        "fraction",
        "tolerance",
        f"{gcb_src}; G_ATM/(E_FOS+E_LUC); tolerance +-0.05 chosen by the project",
    )
    add(
        "gcb_2011_2020_ocean_sink",
        m.ocean_sink,
        m.ocean_sink - 0.4,
        m.ocean_sink + 0.4,
        "GtC/yr",
        "1sigma",
        f"{gcb_src}; {sig_src} (ocean +-0.4 GtC/yr)",
    )
    add(
        "gcb_2011_2020_land_sink",
        m.land_sink,
        m.land_sink - 0.5,
        m.land_sink + 0.5,
        "GtC/yr",
        "1sigma",
        f"{gcb_src}; {sig_src} (land +-0.5 GtC/yr)",
    )
    add(
        "gcb_2011_2020_fossil",
        m.fossil,
        0.95 * m.fossil,
        1.05 * m.fossil,
        "GtC/yr",
        "1sigma",
        f"{gcb_src}; E_FOS net of cement carbonation; {sig_src} (fossil +-5 %)",
    )
    add(
        "gcb_2011_2020_landuse",
        m.landuse,
        m.landuse - 0.7,
        m.landuse + 0.7,
        "GtC/yr",
        "1sigma",
        f"{gcb_src}; E_LUC; {sig_src} (LUC +-0.7 GtC/yr)",
    )
    sig_e = math.hypot(0.05 * m.fossil, 0.7)
    add(
        "gcb_2011_2020_total_emissions",
        e_tot,
        e_tot - sig_e,
        e_tot + sig_e,
        "GtC/yr",
        "1sigma",
        f"{gcb_src}; E_FOS+E_LUC; 1-sigma derived here as the quadrature sum of the "
        "fossil (5 %) and LUC (0.7 GtC/yr) 1-sigma values",
    )
    add(
        "gcb_2011_2020_atmospheric_growth",
        m.atmospheric_growth,
        None,
        None,
        "GtC/yr",
        "none",
        f"{gcb_src}; G_ATM (2.38 ppm/yr at 2.124 PgC/ppm)",
    )
    add(
        "gcb_2011_2020_budget_imbalance",
        m.budget_imbalance,
        None,
        None,
        "GtC/yr",
        "none",
        f"{gcb_src}; B_IM, do not try to close it",
    )

    # --- GCB2021 cumulative 1850-2020
    s = gcb.loc[1850:2020].sum()
    cum_src = f"{CIT_GCB}; sum 1850-2020 of gcb2021_budget.csv"
    for key, name in [("ocean_sink", "ocean_sink"), ("land_sink", "land_sink")]:
        add(
            f"gcb_1850_2020_{name}",
            s[key],
            0.8 * s[key],
            1.2 * s[key],
            "PgC",
            "tolerance",
            f"{cum_src}; tolerance +-20 % chosen by the project",
        )
    add(
        "gcb_1850_2020_atmospheric_growth", s.atmospheric_growth, None, None, "PgC", "none", cum_src
    )
    add(
        "gcb_1850_2020_total_emissions",
        s.fossil + s.landuse,
        None,
        None,
        "PgC",
        "none",
        f"{cum_src}; E_FOS (net of carbonation) + E_LUC",
    )
    add(
        "gcb_1850_2020_fossil",
        s.fossil,
        None,
        None,
        "PgC",
        "none",
        f"{cum_src}; net of cement carbonation",
    )
    add("gcb_1850_2020_landuse", s.landuse, None, None, "PgC", "none", cum_src)
    add("gcb_1850_2020_budget_imbalance", s.budget_imbalance, None, None, "PgC", "none", cum_src)
    add(
        "ar6_cumulative_co2_1850_2019",
        2390.0,
        2150.0,
        2630.0,
        "GtCO2",
        "likely",
        f"{CIT_SPM}, SPM D.1.2: 2390 +- 240 GtCO2",
    )

    # --- concentrations 2019 (from ghg_concentrations.csv, AR6 Annex III)
    csrc = "IPCC AR6 WGI Annex III (ghg_concentrations.csv, row 2019); tolerance per"
    c19 = conc.loc[2019]
    add(
        "co2_2019",
        c19.co2,
        c19.co2 - 4.0,
        c19.co2 + 4.0,
        "ppm",
        "tolerance",
        f"{csrc} the project issue (+-4 ppm); AR6 Table 7.5: 409.85 ppm, SPM A.1.1: 410 ppm",
    )
    add(
        "ch4_2019",
        c19.ch4,
        c19.ch4 - 50.0,
        c19.ch4 + 50.0,
        "ppb",
        "tolerance",
        f"{csrc} the project issue (+-50 ppb); AR6 Table 7.5 and SPM A.1.1: 1866 ppb",
    )
    add(
        "n2o_2019",
        c19.n2o,
        c19.n2o - 5.0,
        c19.n2o + 5.0,
        "ppb",
        "tolerance",
        f"{csrc} the project issue (+-5 ppb); AR6 Table 7.5 and SPM A.1.1: 332 ppb",
    )
    add(
        "co2_2022_fair_constraint",
        417.0,
        416.5,
        417.5,
        "ppm",
        "1sigma",
        f"{CIT_FAIRCAL}: CO2 concentration 2022, normal 417.0 ppm, sigma 0.5 (v1.4)",
    )

    # --- ERF 2019 by component (from ar6_erf_2019.csv)
    for comp, r in erf19.iterrows():
        add(
            f"erf_2019_{comp}",
            r.best,
            r.p05,
            r.p95,
            "W m-2",
            "5-95",
            f"{CIT_CH7}; ar6_erf_2019.csv",
        )
    add(
        "erf_2xco2",
        3.93,
        3.92,
        3.94,
        "W m-2",
        "tolerance",
        "Meinshausen et al. (2020) formula plus 5 % adjustment for 2 x 278.3 ppm gives "
        "3.936; AR6 3.93; tolerance 0.01 chosen by the project",
    )

    # --- aerosol ERF 2005-2014 mean vs 1750 (fair-calibrate constraints = AR6 assessment)
    aer_src = (
        f"{CIT_FAIRCAL}: 04_reweight-rmse-posterior-multiple-constraints.py, normal "
        "distribution with 90 % half-width; equals the AR6 ERF "
        "series mean 2005-2014"
    )
    add("erf_aerosol_ari_2005_2014", -0.3, -0.6, 0.0, "W m-2", "5-95", aer_src)
    add("erf_aerosol_aci_2005_2014", -1.0, -1.7, -0.3, "W m-2", "5-95", aer_src)
    hw = math.hypot(0.7, 0.3)
    add(
        "erf_aerosol_2005_2014",
        -1.3,
        -1.3 - hw,
        -1.3 + hw,
        "W m-2",
        "5-95",
        f"{aer_src}; half-width sqrt(0.7^2+0.3^2) = 0.76",
    )

    # --- surface temperature
    spm_vl = "square-bracket range, read here as very likely (5-95 %)"
    add(
        "gsat_2011_2020",
        1.09,
        0.95,
        1.20,
        "K",
        "very_likely",
        f"{CIT_SPM}, SPM A.1.2 (global surface temperature vs 1850-1900); {spm_vl}",
    )
    add(
        "gsat_2001_2020",
        0.99,
        0.84,
        1.10,
        "K",
        "very_likely",
        f"{CIT_SPM}, SPM A.1.2 (vs 1850-1900); {spm_vl}",
    )
    add(
        "gsat_1995_2014",
        0.85,
        None,
        None,
        "K",
        "none",
        f"{CIT_SPM}, Fig. SPM.8 caption (vs 1850-1900); range 0.67-0.98 "
        "not checked against the primary text, not used",
    )
    add(
        "gsat_2003_2022_fair_constraint",
        1.03,
        0.87,
        1.13,
        "K",
        "5-95",
        f"{CIT_FAIRCAL}: skew-normal 5/50/95 % = 0.87/1.03/1.13 K vs 1850-1900 (v1.4)",
    )
    add(
        "human_induced_warming_2010_2019",
        1.07,
        0.8,
        1.3,
        "K",
        "likely",
        f"{CIT_SPM}, SPM A.1.3 (vs 1850-1900)",
    )
    add(
        "gmst_rmse_1850_2020",
        0.15,
        0.0,
        0.15,
        "K",
        "tolerance",
        "project target: RMSE of modelled GMST against ar6_gmst in gmst.csv over 1850-2020 "
        "must be below 0.15 K",
    )

    # --- climate response
    a1 = f"{CIT_SPM}"
    nb = "IPCC-WG1/Chapter-7 notebooks/160_WG3_constrain_fair_samples.ipynb targets"
    ecs_nb = f"{CIT_CH7_PAPER}; {nb} 5/17/50/83/95 % = 2.0/2.5/3.0/4.0/5.0"
    tcr_nb = f"{CIT_CH7_PAPER}; {nb} 5/17/50/83/95 % = 1.2/1.4/1.8/2.2/2.4"
    add("ecs_likely", 3.0, 2.5, 4.0, "K", "likely", f"{a1}, SPM A.4.4; {ecs_nb}")
    add("ecs_very_likely", 3.0, 2.0, 5.0, "K", "very_likely", ecs_nb)
    add("tcr_likely", 1.8, 1.4, 2.2, "K", "likely", tcr_nb)
    add("tcr_very_likely", 1.8, 1.2, 2.4, "K", "very_likely", tcr_nb)
    add(
        "tcre_likely",
        1.65,
        1.0,
        2.3,
        "K per 1000 PgC",
        "likely",
        f"{a1}, SPM D.1.1 0.45 [0.27-0.63] K per 1000 GtCO2 times 3.664 (gives 0.99-2.31; "
        "AR6 Ch5 wording 1.0-2.3 not checked against the chapter text)",
    )
    add("tcre_gtco2_likely", 0.45, 0.27, 0.63, "K per 1000 GtCO2", "likely", f"{a1}, SPM D.1.1")

    # --- CMIP6 C4MIP carbon-cycle feedbacks (1pctCO2 COU and BGC, 4xCO2 at year 140)
    arora = (
        "Arora, V. K. et al. (2020), Carbon-concentration and carbon-climate feedbacks in "
        "CMIP6 models and their comparison to CMIP5 models, Biogeosciences 17, 4173-4222, "
        "doi:10.5194/bg-17-4173-2020 (abstract): mean +- standard deviation of 11 CMIP6 ESMs"
    )
    macdougall = (
        "MacDougall, A. H. et al. (2020), Is there warming in the pipeline? A multi-model "
        "analysis of the Zero Emissions Commitment from CO2, Biogeosciences 17, 2987-3016, "
        "doi:10.5194/bg-17-2987-2020 (abstract): inter-model range of ZEC50 for the 1000 PgC "
        "experiment (18 models), ensemble mean -0.07 K"
    )
    add("zecmip_zec50", -0.07, -0.36, 0.29, "K", "range", macdougall)
    add(
        "zec50_project",
        0.0,
        -0.3,
        0.3,
        "K",
        "tolerance",
        "project target (issue: ZEC50 within -0.3...+0.3 K); " + macdougall,
    )
    add(
        "af_1pct_2x_project",
        0.525,
        0.45,
        0.60,
        "fraction",
        "tolerance",
        "project target (issue: airborne fraction of 1pctCO2 at 2x between 0.45 and 0.60); "
        "value = middle of the band",
    )
    for name, value, sd, units in (
        ("cmip6_beta_land", 0.97, 0.40, "GtC/ppm"),
        ("cmip6_beta_ocean", 0.79, 0.07, "GtC/ppm"),
        ("cmip6_gamma_land", -45.1, 50.6, "GtC/K"),
        ("cmip6_gamma_ocean", -17.2, 5.0, "GtC/K"),
        ("cmip6_tcre", 1.77, 0.37, "K per 1000 PgC"),
    ):
        add(name, value, value - sd, value + sd, units, "1sigma", arora)

    # --- heat uptake
    a4 = (
        "AR6 WGI Ch7 Table 7.1 energy inventory, computed from the Ch7 "
        "AR6_energy_GMSL_timeseries_FGD_1971to2018_corrigendum data, ranges 1.645 sigma"
    )
    add("ohc_ocean_1971_2018", 396.0, 285.7, 506.3, "ZJ", "5-95", f"{a4}; full-depth ocean")
    add(
        "ohc_ocean_2006_2018",
        138.8,
        74.4,
        203.2,
        "ZJ",
        "5-95",
        f"{a4}; full-depth ocean; end-point range is conservative (wider than AR6)",
    )
    add(
        "earth_energy_gain_1971_2018",
        434.9,
        324.5,
        545.3,
        "ZJ",
        "5-95",
        f"{a4}; ocean+land+cryosphere+atmosphere",
    )
    add(
        "ohc_ocean_1971_2020_fair_constraint",
        465.3,
        465.3 - 108.5,
        465.3 + 108.5,
        "ZJ",
        "5-95",
        f"{CIT_FAIRCAL}: OHC change 1971-2020 normal 465.3 ZJ, 90 % half-width 108.5",
    )
    add(
        "earth_heating_rate_1971_2006",
        0.50,
        0.32,
        0.69,
        "W m-2",
        "very_likely",
        f"{CIT_SPM}, SPM A.4.2; {spm_vl}",
    )
    add(
        "earth_heating_rate_2006_2018",
        0.79,
        0.52,
        1.06,
        "W m-2",
        "very_likely",
        f"{CIT_SPM}, SPM A.4.2; {spm_vl}",
    )

    # --- projections 2081-2100 and 2100 per SSP
    spm1 = (
        f"{CIT_SPM}, Table SPM.1: GSAT 2081-2100 vs 1850-1900, best estimate and very likely "
        "range (assessed from CMIP6, observational constraints and the assessed ECS/TCR)"
    )
    for ssp, best, low, high in (
        ("ssp119", 1.4, 1.0, 1.8),
        ("ssp126", 1.8, 1.3, 2.4),
        ("ssp245", 2.7, 2.1, 3.5),
        ("ssp370", 3.6, 2.8, 4.6),
        ("ssp585", 4.4, 3.3, 5.7),
    ):
        add(f"ar6_gsat_2081_2100_{ssp}", best, low, high, "K", "very_likely", spm1)
    for ssp in SSPS:
        add(
            f"cmip6_co2_2100_{ssp}",
            ssp_co2[ssp],
            None,
            None,
            "ppm",
            "none",
            f"{CIT_SSP_CONC}: World, annual mean 2100 of the SSP in the target name; the CO2 "
            "prescribed in the CMIP6 concentration-driven ScenarioMIP runs (for comparison with "
            "emission-driven runs)",
        )

    # --- permafrost carbon feedback (AR6 WGI Ch5)
    add(
        "ar6_permafrost_co2_per_k",
        18.0,
        3.1,
        41.0,
        "PgC/K",
        "range",
        "Canadell, J. G. et al. (2021), Global Carbon and other Biogeochemical Cycles and "
        "Feedbacks, IPCC AR6 WGI Ch5, doi:10.1017/9781009157896.007, Section 5.4.9 / Table "
        "5.7: permafrost CO2 release by 2100 per degree C of global warming, 18 (3.1-41) "
        "PgC/K (model-based range; quoted from secondary copies, the primary table was not "
        "re-checked)",
    )

    # --- acceptance targets of the calibrated ensemble (project issue "An honest ensemble")
    issue = (
        "project target for the shipped posterior (issue: an honest ensemble), emission-driven "
        "runs of the first 1000 members"
    )
    for name, value, low, high, units, kind, what in (
        (
            "posterior_co2_2100_ssp585_width",
            200.0,
            200.0,
            None,
            "ppm",
            "at_least",
            "5-95 % width of SSP5-8.5 CO2 in 2100",
        ),
        (
            "posterior_co2_2100_ssp370_width",
            120.0,
            120.0,
            None,
            "ppm",
            "at_least",
            "5-95 % width of SSP3-7.0 CO2 in 2100",
        ),
        (
            "posterior_co2_2019_share",
            0.9,
            0.9,
            None,
            "fraction",
            "at_least",
            "share of members with CO2 2019 within 5 ppm of 409.9",
        ),
        (
            "posterior_ch4_2019_share",
            0.9,
            0.9,
            None,
            "fraction",
            "at_least",
            "share of members with CH4 2019 within 40 ppb of 1866.3",
        ),
        (
            "posterior_n2o_2019_share",
            0.9,
            0.9,
            None,
            "fraction",
            "at_least",
            "share of members with N2O 2019 within 4 ppb of 332.1",
        ),
        (
            "posterior_tcre_p17",
            1.25,
            None,
            1.25,
            "K per 1000 PgC",
            "at_most",
            "17th percentile of TCRE",
        ),
        (
            "posterior_tcre_p83",
            1.95,
            1.95,
            None,
            "K per 1000 PgC",
            "at_least",
            "83rd percentile of TCRE",
        ),
        ("posterior_tcre_p50", 1.65, 1.5, 1.8, "K per 1000 PgC", "tolerance", "median TCRE"),
        ("posterior_ecs_p05", 2.1, 1.9, 2.3, "K", "tolerance", "5th percentile of ECS"),
        ("posterior_ecs_p50", 3.0, 2.8, 3.2, "K", "tolerance", "median ECS"),
        ("posterior_ecs_p95", 5.0, 4.6, 5.4, "K", "tolerance", "95th percentile of ECS"),
        ("posterior_tcr_p05", 1.3, None, 1.3, "K", "at_most", "5th percentile of TCR"),
        ("posterior_tcr_p95", 2.2, 2.2, None, "K", "at_least", "95th percentile of TCR"),
        ("posterior_zec50_p50", -0.025, -0.15, 0.10, "K", "tolerance", "median ZEC50"),
        ("posterior_zec50_width", 0.3, 0.3, None, "K", "at_least", "5-95 % width of ZEC50"),
        (
            "default_zec50",
            -0.025,
            -0.15,
            0.10,
            "K",
            "tolerance",
            "ZEC50 of the default parameter set",
        ),
        (
            "default_tcre_change_flat10",
            0.15,
            None,
            0.15,
            "1",
            "at_most",
            "|change| of GSAT per cumulative emission along esm-flat10, 200 -> 1000 GtC, default "
            "parameter set",
        ),
    ):
        add(name, value, low, high, units, kind, f"{issue}: {what}")
    for ssp, low, high in (
        ("ssp119", 1.0, 1.8),
        ("ssp126", 1.3, 2.4),
        ("ssp245", 2.1, 3.5),
        ("ssp370", 2.8, 4.6),
        ("ssp585", 3.3, 5.7),
    ):
        width = round(high - low - 0.2, 6)
        add(
            f"posterior_gsat_2081_2100_{ssp}_width",
            width,
            width,
            None,
            "K",
            "at_least",
            f"{issue}: 5-95 % width of GSAT 2081-2100 at least the AR6 very likely width "
            f"({low}-{high} K, Table SPM.1) minus 0.2 K",
        )

    # --- write
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)), "duplicate target names"
    out_rows = []
    for name, value, low, high, units, kind, source in rows:
        assert (
            low is None or high is None or low <= value <= high or name.startswith("gmst_rmse")
        ), name
        out_rows.append(
            [name, fmt(value, "short"), fmt(low, "short"), fmt(high, "short"), units, kind, source]
        )
    header = para(
        "Scalar validation targets for esm, one row per target.",
        "value = best estimate (computed from the CSV files in this folder where the source",
        "says so, otherwise quoted). low/high = the range described by kind:",
    )
    header += [
        "  likely = IPCC likely (66 %) range; very_likely = IPCC very likely (5-95 %) range;",
        "  5-95 = 5th-95th percentile of a stated distribution (or normal +- 90 % half-width);",
        "  1sigma = value +- one standard deviation; range = min-max of a model ensemble;",
        "  tolerance = acceptance band chosen by the project (not an uncertainty);",
        "  at_least / at_most = one-sided acceptance bound chosen by the project (low or high);",
        "  none = no range, low/high empty.",
    ]
    header += para(
        "Units: GtC/yr = PgC/yr; W m-2 relative to 1750; K relative to 1850-1900.",
        "Full citations and licences: validation/README.md.",
        "Built by validation/build_validation.py.",
    )
    write_csv(out / "targets.csv", header, TARGET_COLUMNS, out_rows)
    chk.section("targets.csv")
    chk.info(f"{len(out_rows)} targets written")
    return out_rows


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="raw reference data folder (default: <repo root>/../shared/data)",
    )
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    if not shared.is_dir():
        print(f"error: {shared} is not a directory", file=sys.stderr)
        return 2
    out = HERE
    chk = Checks()
    print(f"reading {shared}")

    gcb = build_gcb(shared, out, chk)
    conc = build_concentrations(shared, out, chk)
    _, erf19 = build_erf(shared, out, chk)
    build_gmst(shared, out, chk)
    build_cmip6(shared, out, chk)
    ssp_co2 = read_ssp_co2_2100(shared, chk)
    build_targets(out, gcb, conc, erf19, chk, ssp_co2)

    chk.section("files")
    total = 0
    for p in sorted(out.glob("*.csv")):
        size = p.stat().st_size
        total += size
        print(f"   {p.name:<28s} {size:8d} bytes")
    print(f"   {'total (csv)':<28s} {total:8d} bytes")
    print(f"\n{chk.n} checks, {len(chk.failed)} failed" + (f": {chk.failed}" if chk.failed else ""))
    return 1 if chk.failed else 0


if __name__ == "__main__":
    sys.exit(main())
