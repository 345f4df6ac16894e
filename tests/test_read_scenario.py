"""esm.scenarios.read.read_scenario: every scenario source reaches the same Dataset.

Fixtures are built here from the shipped ssp245 scenario (esm.scenarios.load) with the RCMIP
names of esm.scenarios.iamc.SPECIES_VARIABLES and the units of the shipped file, so every
reader must give back exactly the shipped numbers.
"""

from __future__ import annotations

import codecs
import gzip
import io

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import scenarios
from esm.iamc import IAMC_COLUMNS, to_iamc
from esm.kernels.layout import SPECIES_NAMES
from esm.scenarios import ScenarioError
from esm.scenarios.iamc import NATURAL_VARIABLES, SPECIES_VARIABLES, read_iamc
from esm.scenarios.read import SOURCE_FORMATS, read_scenario

END = 2100


@pytest.fixture(scope="module")
def ref() -> xr.Dataset:
    return scenarios.load("ssp245", end=END)


@pytest.fixture(scope="module")
def recent(ref) -> xr.Dataset:
    """1990-2100: the scenario part, short enough for quick xlsx and long tables."""
    return ref.sel(year=slice(1990, None))


def wide_table(ds: xr.Dataset, model="esm", scenario="ssp245", natural=True) -> pd.DataFrame:
    """``ds`` as IAMC wide rows: RCMIP names, the units of ``ds``, int year columns."""
    years = [int(y) for y in ds["year"].values]
    rows = [
        [model, scenario, "World", var, ds[s].attrs["units"], *ds[s].values]
        for s, var in SPECIES_VARIABLES.items()
    ]
    if natural:
        rows += [
            [model, scenario, "World", var, "W/m^2", *ds[n].values]
            for var, n in NATURAL_VARIABLES.items()
        ]
    return pd.DataFrame(rows, columns=[*IAMC_COLUMNS, *years])


def long_table(wide: pd.DataFrame) -> pd.DataFrame:
    """pyam's ``.data`` layout (model, scenario, region, variable, unit, year, value)."""
    long = wide.melt(id_vars=list(IAMC_COLUMNS), var_name="year", value_name="value")
    long.columns = [c.lower() for c in long.columns]
    return long


def native_text(ds: xr.Dataset) -> str:
    """``ds`` in the model's own CSV format (species,unit,<years>)."""
    lines = ["# a test scenario", ",".join(["species", "unit", *map(str, ds["year"].values)])]
    for s in SPECIES_NAMES:
        lines.append(",".join([s, ds[s].attrs["units"], *(repr(float(x)) for x in ds[s].values)]))
    return "\n".join(lines) + "\n"


def _bare(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` without its Dataset attributes (variables keep theirs, e.g. units)."""
    out = ds.copy()
    out.attrs = {}
    return out


def assert_same(ds: xr.Dataset, ref: xr.Dataset, natural: bool) -> None:
    np.testing.assert_array_equal(ds["year"].values, ref["year"].values)
    names = [*SPECIES_NAMES, *(("solar", "volcanic") if natural else ())]
    assert sorted(ds.data_vars) == sorted(names)
    for v in names:
        assert ds[v].dims == ("year",), v
        np.testing.assert_array_equal(ds[v].values, ref[v].values, err_msg=v)
        assert ds[v].attrs["units"] == ref[v].attrs["units"], v


# ------------------------------------------------------------------------------------------
# every source kind
# ------------------------------------------------------------------------------------------


def _file(tmp_path, name, data):
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def _xlsx(tmp_path, frame):
    path = tmp_path / "scenario.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["IAMC data on the data sheet"]}).to_excel(writer, sheet_name="meta")
        frame.to_excel(writer, sheet_name="data", index=False)
    return path


def _pyam(ref):
    pyam = pytest.importorskip("pyam")
    return pyam.IamDataFrame(wide_table(ref))


def _lower(frame: pd.DataFrame) -> pd.DataFrame:
    """scmdata wants the IAMC fields in lower case."""
    return frame.rename(columns=lambda c: c.lower() if isinstance(c, str) else c)


def _scmdata(ref):
    scmdata = pytest.importorskip("scmdata")
    return scmdata.ScmRun(_lower(wide_table(ref)))


def _wide_mixed_case(ref):
    wide = wide_table(ref).assign(Mip_Era="CMIP6", Activity_Id="input4MIPs")
    wide.columns = [c.upper() if isinstance(c, str) else c for c in wide.columns]
    return wide


# id -> (build(tmp_path, ref), source_format, layout, natural forcing given)
SOURCES = {
    "esm-csv": (
        lambda p, r: _file(p, "ssp245.csv", native_text(r)),
        "esm-csv",
        "esm-csv",
        False,
    ),
    "esm-csv.gz": (
        lambda p, r: _file(p, "ssp245.csv.gz", native_text(r)),
        "esm-csv",
        "esm-csv",
        False,
    ),
    "wide-csv": (
        lambda p, r: _file(p, "s.csv", wide_table(r).to_csv(index=False)),
        "iamc-wide",
        "iamc-wide",
        True,
    ),
    "wide-csv-meta-columns": (
        lambda p, r: _file(p, "s.csv", _wide_mixed_case(r).to_csv(index=False)),
        "iamc-wide",
        "iamc-wide",
        True,
    ),
    "wide-csv.gz": (
        lambda p, r: _file(p, "s.csv.gz", wide_table(r).to_csv(index=False)),
        "iamc-wide",
        "iamc-wide",
        True,
    ),
    "long-csv": (
        lambda p, r: _file(p, "s.csv", long_table(wide_table(r)).to_csv(index=False)),
        "iamc-long",
        "iamc-long",
        True,
    ),
    "wide-xlsx": (lambda p, r: _xlsx(p, wide_table(r)), "xlsx", "iamc-wide", True),
    "long-xlsx": (lambda p, r: _xlsx(p, long_table(wide_table(r))), "xlsx", "iamc-long", True),
    "wide-frame": (lambda p, r: wide_table(r), "dataframe", "iamc-wide", True),
    "wide-frame-multiindex": (
        lambda p, r: wide_table(r).set_index(list(IAMC_COLUMNS)),
        "dataframe",
        "iamc-wide",
        True,
    ),
    "long-frame": (lambda p, r: long_table(wide_table(r)), "dataframe", "iamc-long", True),
    "long-frame-multiindex": (
        lambda p, r: long_table(wide_table(r)).set_index(["model", "scenario", "variable"]),
        "dataframe",
        "iamc-long",
        True,
    ),
    "pyam": (lambda p, r: _pyam(r), "pyam", "iamc-wide", True),
    "scmdata": (lambda p, r: _scmdata(r), "scmdata", "iamc-wide", True),
    "dataset": (lambda p, r: r, "dataset", "dataset", True),
}


@pytest.mark.parametrize("kind", list(SOURCES))
def test_every_source_gives_the_shipped_scenario(kind, tmp_path, recent):
    ref = recent
    build, source_format, layout, natural = SOURCES[kind]
    source = build(tmp_path, ref)
    ds = read_scenario(source)
    assert_same(ds, ref, natural)
    assert ds.attrs["source_format"] == source_format
    assert ds.attrs["source_format"] in SOURCE_FORMATS
    assert ds.attrs["layout"] == layout
    assert ds.attrs["scenario"] == "ssp245"
    if kind != "dataset":
        assert ds.attrs["interpolated_years"] == []
        assert ds.attrs["ignored_variables"] == []
    if layout.startswith("iamc"):
        assert ds.attrs["model"] == "esm" and ds.attrs["region"] == "World"
        assert ds["co2_fossil"].attrs["iamc_variable"] == SPECIES_VARIABLES["co2_fossil"]
    if kind in ("pyam", "scmdata", "wide-frame"):
        assert (
            ds.attrs["source"]
            == {
                "pyam": "pyam.IamDataFrame",
                "scmdata": "scmdata.ScmRun",
                "wide-frame": "pandas.DataFrame",
            }[kind]
        )
    if isinstance(source, type(tmp_path)):
        assert ds.attrs["source"] == str(source)
        if not kind.endswith("xlsx"):
            assert ds.attrs["encoding"] == "utf-8"
    if kind == "wide-csv-meta-columns":
        assert ds.attrs["ignored_columns"] == ["MIP_ERA", "ACTIVITY_ID"]
    if kind.startswith("esm-csv"):
        assert ds.attrs["comment"] == "a test scenario"
    # the result runs and converts like the shipped scenario
    years, emis, _ = scenarios.to_arrays(ds)
    np.testing.assert_array_equal(emis, scenarios.to_arrays(ref)[1])


def test_long_and_wide_read_the_same(tmp_path, recent):
    ref = recent
    wide = read_scenario(_file(tmp_path, "w.csv", wide_table(ref).to_csv(index=False)))
    long = read_scenario(_file(tmp_path, "l.csv", long_table(wide_table(ref)).to_csv(index=False)))
    xr.testing.assert_identical(_bare(wide), _bare(long))
    assert {
        k: v for k, v in wide.attrs.items() if k not in ("source", "layout", "source_format")
    } == {k: v for k, v in long.attrs.items() if k not in ("source", "layout", "source_format")}


def test_xlsx_round_trip_of_an_interpolated_scenario(tmp_path, ref):
    """A 10-yearly table written to xlsx reads back with the same values and filled years."""
    decadal = wide_table(ref.sel(year=slice(2000, 2100)))[[*IAMC_COLUMNS, *range(2000, 2101, 10)]]
    with pytest.warns(UserWarning, match=r"90 year\(s\) without a value filled by linear"):
        from_frame = read_scenario(decadal)
    with pytest.warns(UserWarning, match=r"90 year\(s\) without a value filled by linear"):
        from_xlsx = read_scenario(_xlsx(tmp_path, decadal))
    xr.testing.assert_identical(_bare(from_frame), _bare(from_xlsx))
    assert from_xlsx.attrs["interpolated_years"] == [y for y in range(2000, 2101) if y % 10 != 0]
    ch4 = ref["ch4"].sel(year=[2010, 2020]).values
    assert from_xlsx["ch4"].sel(year=2013).item() == pytest.approx(ch4[0] + 0.3 * (ch4[1] - ch4[0]))


# ------------------------------------------------------------------------------------------
# pyam and scmdata round trips of esm output
# ------------------------------------------------------------------------------------------

_OUTPUTS = ["emissions_co2_fossil", "emissions_co2_landuse", "erf_solar", "erf_volcanic"]


@pytest.fixture(scope="module")
def run2030():
    return esm.run("ssp245", end=2030, variables=_OUTPUTS)


@pytest.mark.parametrize("tool", ["pyam", "scmdata"])
def test_esm_output_through_pyam_and_scmdata(tool, run2030):
    table = to_iamc(run2030, variables=_OUTPUTS)
    if tool == "pyam":
        obj = pytest.importorskip("pyam").IamDataFrame(table)
    else:
        obj = pytest.importorskip("scmdata").ScmRun(_lower(table))
    ds = read_scenario(obj)
    assert ds.attrs["source_format"] == tool
    assert ds.attrs["model"] == "esm" and ds.attrs["scenario"] == "ssp245"
    assert sorted(ds.data_vars) == ["co2_fossil", "co2_landuse", "solar", "volcanic"]
    assert ds["co2_fossil"].attrs["units"] == "Mt CO2/yr"
    years, emis, natural = scenarios.to_arrays(ds, missing="zero")
    np.testing.assert_array_equal(years, run2030["year"].values)
    for species, output in (("co2_fossil", _OUTPUTS[0]), ("co2_landuse", _OUTPUTS[1])):
        np.testing.assert_allclose(
            emis[:, SPECIES_NAMES.index(species)], run2030[output].values, rtol=1e-14, atol=0
        )
    np.testing.assert_array_equal(natural[:, 0], run2030["erf_solar"].values)
    np.testing.assert_array_equal(natural[:, 1], run2030["erf_volcanic"].values)


def test_scmdata_mid_year_time_points_warn(ref):
    scmdata = pytest.importorskip("scmdata")
    small = wide_table(ref.sel(year=slice(1750, 1760)))
    small.columns = [*IAMC_COLUMNS, *(pd.Timestamp(f"{y}-07-01") for y in range(1750, 1761))]
    with pytest.warns(UserWarning, match=r"time points on 07-01 \(month-day\) taken as the"):
        ds = read_scenario(scmdata.ScmRun(_lower(small)))
    assert ds["year"].values.tolist() == list(range(1750, 1761))
    assert ds.attrs["time_conversion"].startswith("time points on 07-01")
    np.testing.assert_array_equal(ds["ch4"].values, ref["ch4"].sel(year=slice(1750, 1760)).values)


def test_scmdata_sub_annual_time_points_are_rejected(ref):
    scmdata = pytest.importorskip("scmdata")
    small = wide_table(ref.sel(year=slice(2014, 2015)))
    small.columns = [*IAMC_COLUMNS, pd.Timestamp("2015-01-01"), pd.Timestamp("2015-07-01")]
    with pytest.raises(
        ScenarioError,
        match=r"^scmdata.ScmRun: sub-annual time points \(2015-01-01 and 2015-07-01 in 2015\); "
        r"read_scenario needs one value per year: take annual means first",
    ):
        read_scenario(scmdata.ScmRun(_lower(small)))


# ------------------------------------------------------------------------------------------
# RCMIP v5.1.0 layout
# ------------------------------------------------------------------------------------------

# Rows in the layout, names and units of rcmip-emissions-annual-means-v5-1-0.csv: annual to
# 2015, then only every 10 years (empty cells between), extra Mip_Era/Activity_Id columns,
# fossil CO2 in Mt CO2/yr, halogens in kt/yr, natural ERF in W/m^2, an aggregate. Made-up values.
_YEARS = list(range(2014, 2031))
_RCMIP_ROWS = [
    ("Emissions|CO2", "Mt CO2/yr", {2014: 40000, 2015: 41000, 2020: 42000, 2030: 40000}),
    (
        "Emissions|CO2|MAGICC Fossil and Industrial",
        "Mt CO2/yr",
        {2014: 36640, 2015: 36640, 2020: 38000, 2030: 36000},
    ),
    ("Emissions|CO2|MAGICC AFOLU", "Mt CO2/yr", {2014: 3664, 2015: 4000, 2020: 4000, 2030: 0}),
    ("Emissions|Montreal Gases|CFC|CFC11", "kt CFC11/yr", {2014: 60, 2015: 58, 2020: 50, 2030: 30}),
    (
        "Emissions|F-Gases|HFC|HFC134a",
        "kt HFC134a/yr",
        {2014: 200, 2015: 210, 2020: 250, 2030: 150},
    ),
    (
        "Effective Radiative Forcing|Natural|Solar",
        "W/m^2",
        {2014: 0.1, 2015: 0.05, 2020: 0, 2030: 0},
    ),
    (
        "Effective Radiative Forcing|Natural|Volcanic",
        "W/m^2",
        {2014: -0.1, 2015: 0, 2020: 0, 2030: 0},
    ),
]


def rcmip_text(scenarios_=("ssp245",)) -> str:
    header = ["Model", "Scenario", "Region", "Variable", "Unit", "Mip_Era", "Activity_Id"]
    lines = [",".join([*header, *map(str, _YEARS)])]
    for scen in scenarios_:
        for variable, unit, values in _RCMIP_ROWS:
            cells = [str(values.get(y, "")) for y in _YEARS]
            lines.append(",".join(["MESSAGE-GLOBIOM", scen, "World", variable, unit, "CMIP6",
                                   "input4MIPs", *cells]))  # fmt: skip
    return "\n".join(lines) + "\n"


def test_rcmip_layout(tmp_path):
    path = _file(tmp_path, "rcmip-emissions-annual-means-v5-1-0.csv", rcmip_text())
    with pytest.warns(UserWarning, match=r"13 year\(s\) without a value filled by linear"):
        ds = read_scenario(path)
    assert ds["year"].values.tolist() == _YEARS
    assert sorted(ds.data_vars) == sorted(["co2_fossil", "co2_landuse", "cfc11", "hfc134a",
                                           "solar", "volcanic"])  # fmt: skip
    assert ds.attrs["interpolated_years"] == [*range(2016, 2020), *range(2021, 2030)]
    assert ds.attrs["ignored_variables"] == ["Emissions|CO2"]
    assert ds.attrs["ignored_columns"] == ["Mip_Era", "Activity_Id"]
    assert ds.attrs["model"] == "MESSAGE-GLOBIOM" and ds.attrs["region"] == "World"
    assert ds.attrs["source_format"] == "iamc-wide"
    assert ds["co2_fossil"].attrs["units"] == "Mt CO2/yr"
    assert ds["hfc134a"].attrs["units"] == "kt HFC134a/yr"
    assert ds["solar"].attrs["units"] == "W m-2"
    assert ds["co2_fossil"].sel(year=2025).item() == 37000.0
    assert ds["hfc134a"].sel(year=2017).item() == 210 + 2 * (250 - 210) / 5
    years, emis, natural = scenarios.to_arrays(ds, missing="zero")
    assert emis[0, SPECIES_NAMES.index("co2_fossil")] == 10.0  # 36640 Mt CO2 = 10 Gt C
    assert emis[0, SPECIES_NAMES.index("co2_landuse")] == 1.0
    assert emis[0, SPECIES_NAMES.index("cfc11")] == 60.0  # kt, the internal unit
    assert natural[0].tolist() == [0.1, -0.1]


# ------------------------------------------------------------------------------------------
# several scenarios
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two(ref):
    other = scenarios.load("ssp126", end=END)
    return other, pd.concat([wide_table(ref), wide_table(other, model="IMAGE", scenario="ssp126")])


def test_several_scenarios_give_a_scenario_dimension(tmp_path, ref, two):
    other, table = two
    ds = read_scenario(_file(tmp_path, "two.csv", table.to_csv(index=False)))
    assert ds["scenario"].values.tolist() == ["ssp245", "ssp126"]
    assert ds["model"].values.tolist() == ["esm", "IMAGE"]
    assert ds["ch4"].dims == ("scenario", "year")
    for name, expected in (("ssp245", ref), ("ssp126", other)):
        for v in [*SPECIES_NAMES, "solar", "volcanic"]:
            np.testing.assert_array_equal(ds[v].sel(scenario=name).values, expected[v].values)
    assert ds.attrs["scenario"] == "ssp245, ssp126" and ds.attrs["model"] == "esm, IMAGE"
    # one selected: today's single-scenario Dataset
    one = read_scenario(table, scenario="ssp126")
    assert_same(one, other, natural=True)
    assert one.attrs["model"] == "IMAGE"
    assert read_scenario(table, model="esm").attrs["scenario"] == "ssp245"
    # read_iamc keeps asking for one
    with pytest.raises(ScenarioError, match=r"the data hold 2 time-series sets, pick one with"):
        read_iamc(table)
    # a Dataset with the dimension reads back, and selects
    again = read_scenario(ds, scenario="ssp126")
    assert_same(again, other, natural=True)
    assert again.attrs["model"] == "IMAGE"


def test_repeated_scenario_names_are_labelled_with_the_model(ref):
    table = pd.concat([wide_table(ref, model="A"), wide_table(ref, model="B")])
    ds = read_scenario(table)
    assert ds["scenario"].values.tolist() == ["A|ssp245", "B|ssp245"]
    with pytest.raises(ScenarioError, match=r"2 time-series sets.*model='A' scenario='ssp245'"):
        read_scenario(table, scenario="ssp245")
    assert read_scenario(table, scenario="ssp245", model="B").attrs["model"] == "B"


def test_several_scenarios_must_fit_together(ref, two):
    other, _ = two
    short = pd.concat(
        [wide_table(ref), wide_table(other.sel(year=slice(None, 2090)), scenario="ssp126")]
    )
    with pytest.raises(
        ScenarioError,
        match=r"^pandas.DataFrame: model 'esm' scenario 'ssp126' covers 1750-2090 but model "
        r"'esm' scenario 'ssp245' covers 1750-2100; read several scenarios only if",
    ):
        read_scenario(short)
    fewer = wide_table(other, scenario="ssp126")
    fewer = fewer[fewer["Variable"] != SPECIES_VARIABLES["sf6"]]
    with pytest.raises(
        ScenarioError,
        match=r"scenario 'ssp126' does not give the same species as model 'esm' scenario "
        r"'ssp245' \(it lacks sf6\)",
    ):
        read_scenario(pd.concat([wide_table(ref), fewer]))
    units = wide_table(other, scenario="ssp126")
    units.loc[units["Variable"] == SPECIES_VARIABLES["n2o"], "Unit"] = "kt N2O/yr"
    with pytest.raises(ScenarioError, match=r"gives n2o in 'kt N2O/yr' but model 'esm' scenario"):
        read_scenario(pd.concat([wide_table(ref), units]))


# ------------------------------------------------------------------------------------------
# text encodings
# ------------------------------------------------------------------------------------------


def _small_wide(ref, model="esm") -> str:
    return wide_table(ref.sel(year=slice(1750, 1760)), model=model).to_csv(index=False)


@pytest.mark.parametrize(
    ("encoding", "data", "attr"),
    [
        ("utf-8-sig", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        ("utf-16", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf-16-be", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ],
)
def test_unicode_files(tmp_path, ref, encoding, data, attr):
    path = _file(tmp_path, "s.csv", data(_small_wide(ref, model="Modèle")))
    ds = read_scenario(path)
    assert ds.attrs["encoding"] == attr and ds.attrs["model"] == "Modèle"
    np.testing.assert_array_equal(ds["ch4"].values, ref["ch4"].sel(year=slice(1750, 1760)).values)


def test_native_file_with_bom_is_read_as_utf8(tmp_path, ref):
    small = ref.sel(year=slice(1750, 1760))
    ds = read_scenario(_file(tmp_path, "x.csv", codecs.BOM_UTF8 + native_text(small).encode()))
    assert ds.attrs["encoding"] == "utf-8-sig" and ds.attrs["scenario"] == "x"
    assert_same(ds, small, natural=False)


def test_latin1_file_is_read_with_a_warning(tmp_path, ref):
    path = _file(tmp_path, "s.csv", _small_wide(ref, model="Modèle").encode("latin-1"))
    with pytest.warns(UserWarning, match=r"s.csv: is not UTF-8 \(byte 94\); read as cp1252\."):
        ds = read_scenario(path)
    assert ds.attrs["encoding"] == "cp1252" and ds.attrs["model"] == "Modèle"
    # a byte that cp1252 does not define: latin-1
    text = _small_wide(ref, model="M\x81").encode("latin-1")
    with pytest.warns(UserWarning, match=r"read as latin-1\."):
        ds = read_scenario(_file(tmp_path, "t.csv", text))
    assert ds.attrs["encoding"] == "latin-1"


# ------------------------------------------------------------------------------------------
# hostile input: one clear error each
# ------------------------------------------------------------------------------------------


def _small_long(ref) -> pd.DataFrame:
    return long_table(wide_table(ref.sel(year=slice(1750, 1760))))


def _dup_wide(ref):
    wide = wide_table(ref.sel(year=slice(1750, 1760)))
    return pd.concat([wide, wide.iloc[[2]]])


def _dup_long(ref):
    long = _small_long(ref)
    return pd.concat([long, long.iloc[[2]]])


def _text_cell(ref):
    wide = wide_table(ref.sel(year=slice(1750, 1760))).astype({1760: object})
    wide.loc[2, 1760] = "abc"
    return wide


def _text_cell_long(ref):
    long = _small_long(ref).astype({"value": object})
    long.loc[(long["variable"] == "Emissions|CH4") & (long["year"] == 1755), "value"] = "1,5"
    return long


class _Frame:
    """An object with the IAMC fields but no timeseries() (not pyam, not scmdata)."""


# id -> (build(tmp_path, ref) -> source, exact start of the message after the source name)
HOSTILE = {
    "empty": (lambda p, r: _file(p, "e.csv", b""), "e.csv: is empty; nothing to read"),
    "blank lines": (lambda p, r: _file(p, "e.csv", b"\n \n"), "e.csv: is empty; nothing to read"),
    "comments only": (
        lambda p, r: _file(p, "c.csv", "# nothing\n"),
        "c.csv: has no table (only comment lines); nothing to read",
    ),
    "header only": (
        lambda p, r: _file(p, "h.csv", "Model,Scenario,Region,Variable,Unit,2015,2016\n"),
        "h.csv: has a header row but no data rows; nothing to read",
    ),
    "native header only": (
        lambda p, r: _file(p, "h.csv", "species,unit,1750,1751\n"),
        "h.csv: has a header row but no data rows; nothing to read",
    ),
    "binary": (
        lambda p, r: _file(p, "b.csv", bytes(range(256)) * 4),
        "b.csv: is not a text file (it contains NUL bytes); give a CSV table",
    ),
    "binary without NUL": (
        lambda p, r: _file(p, "b.csv", bytes(range(1, 256)) * 4),
        "b.csv: is not a text table (control character '\\x01' at position 0)",
    ),
    "xlsx named csv": (
        lambda p, r: _file(p, "x.csv", _xlsx(p, wide_table(r)).read_bytes()),
        "x.csv: is a zip archive (an Excel workbook?), not CSV text; name it .xlsx",
    ),
    "not an xlsx": (
        lambda p, r: _file(p, "n.xlsx", b"Model,Scenario\n"),
        "n.xlsx: cannot read it as an .xlsx workbook (",
    ),
    "not gzip": (
        lambda p, r: (p / "n.csv.gz").write_text("Model\n") and p / "n.csv.gz",
        "n.csv.gz: is not gzip-compressed; rename it to .csv or compress it",
    ),
    "directory": (lambda p, r: p, ": is a directory; give the path of a .csv, .csv.gz or"),
    "missing file": (lambda p, r: p / "nope.csv", "nope.csv: no such file (check the path)"),
    "other suffix": (
        lambda p, r: _file(p, "s.txt", "x"),
        "s.txt: unsupported file type; read_scenario reads .csv, .csv.gz or .xlsx files",
    ),
    "semicolons": (
        lambda p, r: _file(p, "s.csv", "Model;Scenario;Region;Variable;Unit;2015\nm;s;W;V;U;1\n"),
        "s.csv: columns are separated by ';', not commas; save it as comma-separated CSV",
    ),
    "repeated year column": (
        lambda p, r: _file(
            p,
            "y.csv",
            "Model,Scenario,Region,Variable,Unit,2015,2015\n"
            "m,s,World,Emissions|CH4,Mt CH4/yr,1,2\n",
        ),  # fmt: skip
        "y.csv: column(s) '2015' appear more than once in the header; keep one",
    ),
    "duplicate rows wide": (
        lambda p, r: _file(p, "d.csv", _dup_wide(r).to_csv(index=False)),
        "d.csv, scenario ssp245: variable 'Emissions|CH4' appears in more than one row "
        "(units 'Mt CH4/yr', 'Mt CH4/yr'); keep one row per variable",
    ),
    "duplicate rows long": (
        lambda p, r: _dup_long(r),
        "pandas.DataFrame: 2 rows repeat variable 'Emissions|CH4' in 1750 (model 'esm', "
        "scenario 'ssp245'); keep one value per variable and year",
    ),
    "non-numeric cell": (
        lambda p, r: _file(p, "t.csv", _text_cell(r).to_csv(index=False)),
        "t.csv, scenario ssp245: Emissions|CH4 has a value that is not a number in 1760 "
        "('abc'); correct that cell (leave it empty for a missing value)",
    ),
    "non-numeric cell native": (
        lambda p, r: _file(p, "n.csv", "species,unit,1750,1751\nch4,Mt CH4/yr,1,abc\n"),
        "n.csv: ch4 has a value that is not a number in 1751 ('abc'); correct that cell",
    ),
    "non-numeric cell long": (
        lambda p, r: _text_cell_long(r),
        "pandas.DataFrame, scenario ssp245: Emissions|CH4 has a value that is not a number in "
        "1755 ('1,5')",
    ),
    "no year columns": (
        lambda p, r: wide_table(r)[list(IAMC_COLUMNS)],
        "pandas.DataFrame: no year columns (expected e.g. 1750, 1751, ... or 2015-01-01)",
    ),
    "missing column": (
        lambda p, r: wide_table(r).drop(columns="Unit"),
        "pandas.DataFrame: missing column(s) unit (IAMC layout: Model, Scenario, Region,",
    ),
    "empty frame": (lambda p, r: pd.DataFrame(), "pandas.DataFrame: has no rows; nothing to read"),
    "unknown object": (
        lambda p, r: _Frame(),
        "cannot read a scenario from a tests.test_read_scenario._Frame; give a path (.csv, "
        ".csv.gz or .xlsx), a pandas.DataFrame, a pyam.IamDataFrame, an scmdata.ScmRun or",
    ),
    "dataset without year": (
        lambda p, r: r.rename(year="time"),
        "xarray.Dataset: no 'year' coordinate; a scenario Dataset has one value per year",
    ),
    "dataset unknown variable": (
        lambda p, r: r.assign(gsat=r["ch4"]),
        "xarray.Dataset: unknown variable(s) 'gsat'; a scenario Dataset holds the model's",
    ),
    "unknown scenario": (
        lambda p, r: (wide_table(r), {"scenario": "ssp999"}),
        "pandas.DataFrame: no rows with scenario 'ssp999'; the data have 'ssp245'",
    ),
    "several regions": (
        lambda p, r: (
            pd.concat([wide_table(r), wide_table(r).assign(Region="R5ASIA")]),
            {"region": None},
        ),
        "pandas.DataFrame: the data hold 2 time-series sets, pick one with scenario=..., "
        "model=... or region=...: model='esm' scenario='ssp245' region='R5ASIA'; model='esm' "
        "scenario='ssp245' region='World'",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_input(case, tmp_path, ref):
    build, message = HOSTILE[case]
    source = build(tmp_path, ref)
    kwargs = {}
    if isinstance(source, tuple):
        source, kwargs = source
    with pytest.raises(ScenarioError) as info:
        read_scenario(source, **kwargs)
    text = str(info.value)
    assert "\n" not in text
    where = text.find(message)
    assert where >= 0, text
    assert text[:where] in ("", str(tmp_path), str(tmp_path) + "/"), text


def test_negative_emissions_in_every_layout(tmp_path, ref):
    small = ref.sel(year=slice(1750, 1760)).copy(deep=True)
    small["ch4"][5] = -1.0
    native = _file(tmp_path, "neg.csv", native_text(small))
    with pytest.raises(
        ScenarioError,
        match=r"neg.csv: negative emissions: ch4 down to -1 Mt CH4/yr in year\(s\) 1755; only "
        r"CO2 may be negative \(pass negative='zero' to set them to zero\)$",
    ):
        read_scenario(native)
    for source in (native, wide_table(small), small):
        with pytest.warns(UserWarning, match=r"negative emissions set to zero \(negative='zero'\)"):
            ds = read_scenario(source, negative="zero")
        assert ds["ch4"].sel(year=1755).item() == 0.0
        assert ds["ch4"].sel(year=1756).item() == small["ch4"].sel(year=1756).item()
        assert len(ds.attrs["zeroed_negative"]) == 1
        assert "down to -1 Mt CH4/yr in year(s) 1755" in ds.attrs["zeroed_negative"][0]
    with pytest.raises(ValueError, match="negative must be 'error' or 'zero', not 'clip'"):
        read_scenario(native, negative="clip")


def test_native_scenario_name_and_xlsx_sheet_choice(tmp_path, ref):
    small = ref.sel(year=slice(1750, 1760))
    path = _file(tmp_path, "mine.csv", native_text(small))
    assert read_scenario(path).attrs["scenario"] == "mine"
    assert read_scenario(path, scenario="other").attrs["scenario"] == "other"
    book = tmp_path / "two.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        wide_table(small).to_excel(writer, sheet_name="a", index=False)
        wide_table(small).to_excel(writer, sheet_name="b", index=False)
    with pytest.raises(
        ScenarioError, match=r"two.xlsx: 2 sheets hold a scenario table \(sheets: 'a', 'b'\)"
    ):
        read_scenario(book)


def test_read_iamc_is_the_same_reader(tmp_path, ref):
    path = _file(tmp_path, "w.csv", wide_table(ref).to_csv(index=False))
    xr.testing.assert_identical(read_iamc(path), read_scenario(path))
    xr.testing.assert_identical(read_iamc(wide_table(ref)), read_scenario(wide_table(ref)))


def test_frame_in_io_buffer_is_not_a_path():
    with pytest.raises(ScenarioError, match=r"cannot read a scenario from a _io.StringIO"):
        read_scenario(io.StringIO("Model,Scenario\n"))
