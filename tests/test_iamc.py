"""IAMC / RCMIP input and output: esm.iamc (writer) and esm.scenarios.iamc (reader)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import metadata, scenarios
from esm.constants import GTCO2_PER_GTC
from esm.iamc import IAMC_COLUMNS, IAMC_VARIABLES, NOT_IN_IAMC, to_iamc, write_iamc
from esm.kernels.layout import HALOGEN_NAMES, SPECIES_NAMES
from esm.scenarios import ScenarioError
from esm.scenarios.iamc import (
    AGGREGATES,
    NATURAL_VARIABLES,
    SPECIES_VARIABLES,
    classify_variable,
    read_iamc,
)

# A few rows in the layout and with the names and units of RCMIP v5.1.0
# (rcmip-emissions-annual-means-5-1-0-ssp-only.csv): annual to 2015, then 10-yearly, with
# empty cells in between (2016), extra columns, aggregates, a sub-sector and a gas the model
# does not have. Values are made up.
FIXTURE = (
    "Model,Scenario,Region,Variable,Unit,Mip_Era,Activity_Id,2014,2015,2016,2020,2030\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|CO2,Mt CO2/yr,CMIP6,AR6,40000,41000,,42000,40000\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|CO2|MAGICC Fossil and Industrial,"
    "Mt CO2/yr,CMIP6,AR6,36640,37000,,38000,36000\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|CO2|MAGICC AFOLU,"
    "Mt CO2/yr,CMIP6,AR6,3360,4000,,4000,4000\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|CH4,Mt CH4/yr,CMIP6,AR6,380,385,,390,380\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|CH4|MAGICC Fossil and Industrial,"
    "Mt CH4/yr,CMIP6,AR6,300,305,,310,300\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|N2O,kt N2O/yr,CMIP6,AR6,11000,11100,,11200,11500\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|Sulfur,Mt SO2/yr,CMIP6,AR6,100,98,,90,70\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|NOx,Mt NOx/yr,CMIP6,AR6,140,141,,140,130\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|NOx|MAGICC Fossil and Industrial|Aircraft,"
    "Mt NOx/yr,CMIP6,AR6,3,3.1,,3.4,4\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|Montreal Gases|CFC|CFC11,"
    "kt CFC11/yr,CMIP6,AR6,60,58,,50,30\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|Montreal Gases|Halon1202,"
    "kt Halon1202/yr,CMIP6,AR6,0.1,0.1,,0,0\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|F-Gases|HFC|HFC4310mee,"
    "kt HFC4310mee/yr,CMIP6,AR6,7,7.2,,8,9\n"
    "MESSAGE-GLOBIOM,ssp245,World,Emissions|F-Gases|PFC|cC4F8,kt cC4F8/yr,CMIP6,AR6,1,1,,1,1\n"
    "IMAGE,ssp119,World,Emissions|CO2|MAGICC Fossil and Industrial,"
    "Mt CO2/yr,CMIP6,AR6,36640,37000,,30000,10000\n"
    "IMAGE,ssp119,World,Emissions|CH4,Mt CH4/yr,CMIP6,AR6,380,385,,300,200\n"
)


def fixture_frame() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(FIXTURE))


@pytest.fixture(scope="module")
def run2030():
    return esm.run("ssp245", end=2030)


# ------------------------------------------------------------------------------------------
# Output: esm.iamc
# ------------------------------------------------------------------------------------------

#: IAMC unit -> (esm unit it is converted from, factor)
_UNIT_FACTORS = {
    "ppm": ("ppm", 1.0),
    "ppb": ("ppb", 1.0),
    "K": ("K", 1.0),
    "ZJ": ("ZJ", 1.0),
    "W/m^2": ("W m-2", 1.0),
    "Mt CO2/yr": ("GtC yr-1", 1000.0 * GTCO2_PER_GTC),
    "Mt CO2": ("GtC", 1000.0 * GTCO2_PER_GTC),
}

#: RCMIP v5.1.0 variable names (radiative-forcing and emissions files) that esm writes.
_RCMIP_NAMES = {
    "Effective Radiative Forcing",
    "Effective Radiative Forcing|Anthropogenic",
    "Effective Radiative Forcing|Anthropogenic|Aerosols",
    "Effective Radiative Forcing|Anthropogenic|Aerosols|Aerosols-cloud Interactions",
    "Effective Radiative Forcing|Anthropogenic|Aerosols|Aerosols-radiation Interactions",
    "Effective Radiative Forcing|Anthropogenic|Albedo Change",
    "Effective Radiative Forcing|Anthropogenic|CH4",
    "Effective Radiative Forcing|Anthropogenic|CO2",
    "Effective Radiative Forcing|Anthropogenic|N2O",
    "Effective Radiative Forcing|Anthropogenic|Other|BC on Snow",
    "Effective Radiative Forcing|Anthropogenic|Other|CH4 Oxidation Stratospheric H2O",
    "Effective Radiative Forcing|Anthropogenic|Other|Contrails and Contrail-induced Cirrus",
    "Effective Radiative Forcing|Anthropogenic|Other|Other WMGHGs",
    "Effective Radiative Forcing|Natural|Solar",
    "Effective Radiative Forcing|Natural|Volcanic",
    "Emissions|CO2|MAGICC AFOLU",
    "Emissions|CO2|MAGICC Fossil and Industrial",
}


def test_mapping_table_is_consistent():
    names = [iv.variable for iv in IAMC_VARIABLES.values()]
    assert len(set(names)) == len(names)
    for name, iv in IAMC_VARIABLES.items():
        assert name in metadata.OUTPUTS, name
        esm_unit, factor = _UNIT_FACTORS[iv.unit]
        assert metadata.OUTPUTS[name].units == esm_unit, name
        assert iv.factor == pytest.approx(factor, rel=1e-15), name
    assert _RCMIP_NAMES <= set(names)
    assert not set(NOT_IN_IAMC) & set(IAMC_VARIABLES)
    for name in ("co2", "ch4", "n2o", "gsat", "erf", "erf_halogens", "ocean_sink", "land_sink"):
        assert name in IAMC_VARIABLES
    # the factor is the GCB one: 1 GtC = 3.664 GtCO2
    assert IAMC_VARIABLES["emissions_co2_fossil"].factor == pytest.approx(3664.0)


def test_to_iamc_layout_and_units(run2030):
    ds = run2030
    df = to_iamc(ds)
    years = [int(y) for y in ds["year"].values]
    assert list(df.columns) == [*IAMC_COLUMNS, *years]
    assert all(type(c) is int for c in df.columns[5:])
    expected = [v for v in IAMC_VARIABLES if v in ds.data_vars]
    assert len(df) == len(expected)
    assert df["Variable"].tolist() == [IAMC_VARIABLES[v].variable for v in expected]
    assert set(df["Model"]) == {"esm"} and set(df["Region"]) == {"World"}
    assert set(df["Scenario"]) == {"ssp245"}
    rows = df.set_index("Variable")
    fossil = rows.loc["Emissions|CO2|MAGICC Fossil and Industrial"]
    assert fossil["Unit"] == "Mt CO2/yr"
    np.testing.assert_allclose(
        fossil[years].to_numpy(float), 3664.0 * ds["emissions_co2_fossil"].values, rtol=1e-12
    )
    ocean = rows.loc["Net Atmosphere to Ocean Flux|CO2"][years].to_numpy(float)
    np.testing.assert_allclose(ocean, 3664.0 * ds["ocean_sink"].values, rtol=1e-12)
    np.testing.assert_array_equal(
        rows.loc["Atmospheric Concentrations|CO2"][years].to_numpy(float), ds["co2"].values
    )
    assert rows.loc["Surface Air Temperature Change", "Unit"] == "K"
    assert rows.loc["Effective Radiative Forcing", "Unit"] == "W/m^2"


def test_to_iamc_options_and_errors(run2030):
    df = to_iamc(run2030, model="esm 0.1", scenario="mine", region="CHN", variables=["gsat"])
    assert df[["Model", "Scenario", "Region", "Variable", "Unit"]].values.tolist() == [
        ["esm 0.1", "mine", "CHN", "Surface Air Temperature Change", "K"]
    ]
    with pytest.raises(KeyError, match="'npp_total'"):
        to_iamc(run2030, variables=["npp_total"])
    with pytest.raises(KeyError, match="erf_other.*includes the halogenated gases"):
        to_iamc(run2030, variables=["erf_other"])
    with pytest.raises(KeyError, match="not in the Dataset"):
        to_iamc(run2030[["co2"]], variables=["gsat"])
    no_name = run2030[["co2"]].copy()
    no_name.attrs = {}
    with pytest.raises(ValueError, match="scenario="):
        to_iamc(no_name)
    converted = run2030[["ocean_sink"]].copy()
    converted["ocean_sink"].attrs["units"] = "Mt CO2 yr-1"
    with pytest.raises(ValueError, match="ocean_sink is in 'Mt CO2 yr-1'"):
        to_iamc(converted)


def test_to_iamc_members():
    runs = [
        esm.run("ssp245", {"climate_feedback": f}, end=1760, variables=["co2", "gsat"])
        for f in (-1.0, -1.5)
    ]
    ens = xr.concat(runs, dim="member").assign_coords(member=[10, 11])
    ens.attrs["scenario"] = "ssp245"
    df = to_iamc(ens)
    assert len(df) == 4
    # openscm-runner layout: the member is a run_id column, not part of the scenario name
    assert list(df.columns[:7]) == [
        "climate_model",
        "model",
        "scenario",
        "region",
        "variable",
        "unit",
        "run_id",
    ]
    assert df["scenario"].tolist() == ["ssp245"] * 4
    assert df["run_id"].tolist() == [10, 11, 10, 11]
    gsat = df[df["variable"] == "Surface Air Temperature Change"].iloc[1]
    np.testing.assert_array_equal(gsat[list(range(1750, 1761))].to_numpy(float), runs[1]["gsat"])
    with pytest.raises(ValueError, match="dimensions"):
        to_iamc(ens.expand_dims(case=["a"]))


def test_write_iamc_reads_back(tmp_path, run2030):
    path = tmp_path / "run.csv"
    df = write_iamc(run2030, path, scenario="ssp245-test")
    # pandas' default float parser is not exact to the last bit; round_trip is
    back = pd.read_csv(path, float_precision="round_trip")
    assert list(back.columns[:5]) == list(IAMC_COLUMNS)
    back.columns = [*back.columns[:5], *(int(c) for c in back.columns[5:])]
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert set(back["Scenario"]) == {"ssp245-test"}


# ------------------------------------------------------------------------------------------
# Input: esm.scenarios.iamc
# ------------------------------------------------------------------------------------------


def test_species_table_covers_the_model():
    assert set(SPECIES_VARIABLES) == set(SPECIES_NAMES)
    assert len(set(SPECIES_VARIABLES.values())) == len(SPECIES_VARIABLES)
    for species, variable in SPECIES_VARIABLES.items():
        assert classify_variable(variable) == ("species", species)
        assert variable not in AGGREGATES
    for variable, name in NATURAL_VARIABLES.items():
        assert classify_variable(variable) == ("species", name)


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ("Emissions|Montreal Gases|CFC|CFC11", ("species", "cfc11")),
        ("emissions | montreal gases | cfc | cfc11", ("species", "cfc11")),
        ("Emissions|HFC|HFC-134a", ("species", "hfc134a")),
        ("Emissions|F-Gases|HFC|HFC43-10mee", ("species", "hfc4310mee")),
        ("Emissions|F-Gases|PFC|cC4F8", ("species", "c_c4f8")),
        ("Emissions|SF6", ("species", "sf6")),
        ("Emissions|CO2|Energy and Industrial Processes", ("species", "co2_fossil")),
        ("Emissions|CO2|AFOLU", ("species", "co2_landuse")),
        ("Emissions|CO2", ("ignored", "aggregate")),
        ("Emissions|F-Gases|HFC", ("ignored", "aggregate")),
        ("Emissions|Kyoto Gases", ("ignored", "aggregate")),
        ("Emissions|CH4|MAGICC Fossil and Industrial", ("ignored", "breakdown of Emissions|CH4")),
        ("Emissions|Sulfur|Energy|Supply", ("ignored", "breakdown of Emissions|Sulfur")),
        ("Emissions|CO2|Energy", ("ignored", "breakdown of Emissions|CO2")),
        ("Emissions|Montreal Gases|Halon1202", ("ignored", "not modelled")),
        ("Emissions|Foo", ("unknown", "")),
        ("Emissions|F-Gases|HFC|HFC999", ("unknown", "")),
        ("Effective Radiative Forcing|Anthropogenic|CO2", ("unknown", "")),
    ],
)
def test_classify_variable(variable, expected):
    kind, detail = classify_variable(variable)
    assert kind == expected[0]
    assert detail.startswith(expected[1])


def test_read_iamc_fixture():
    ds = read_iamc(fixture_frame(), scenario="ssp245")
    assert set(ds.data_vars) == {
        "co2_fossil",
        "co2_landuse",
        "ch4",
        "n2o",
        "so2",
        "nox",
        "nox_aviation",
        "cfc11",
        "hfc4310mee",
        "c_c4f8",
    }
    assert ds["year"].values.tolist() == list(range(2014, 2031))
    # units preserved (esm.scenarios.to_arrays converts them)
    assert ds["co2_fossil"].attrs["units"] == "Mt CO2/yr"
    assert ds["n2o"].attrs["units"] == "kt N2O/yr"
    assert ds["nox_aviation"].attrs["units"] == "Mt NOx/yr"
    assert ds["hfc4310mee"].attrs["units"] == "kt HFC4310mee/yr"
    assert ds["c_c4f8"].attrs["iamc_variable"] == "Emissions|F-Gases|PFC|cC4F8"
    # interpolation recorded: 2016 (empty cell) and the years without a column
    assert ds.attrs["interpolated_years"] == [*range(2016, 2020), *range(2021, 2030)]
    assert "linear" in ds.attrs["interpolation"]
    np.testing.assert_allclose(
        ds["co2_fossil"].sel(year=[2015, 2016, 2020, 2025]), [37000, 37200, 38000, 37000]
    )
    assert ds.attrs["ignored_variables"] == [
        "Emissions|CO2",
        "Emissions|CH4|MAGICC Fossil and Industrial",
        "Emissions|Montreal Gases|Halon1202",
    ]
    assert len(ds.attrs["ignored_reasons"]) == 3
    assert ds.attrs["scenario"] == "ssp245" and ds.attrs["model"] == "MESSAGE-GLOBIOM"
    assert ds.attrs["region"] == "World"
    # a scenario read from IAMC runs (species it lacks as zero)
    years, emis, _ = scenarios.to_arrays(ds, missing="zero")
    assert emis[0, SPECIES_NAMES.index("co2_fossil")] == pytest.approx(10.0)
    assert emis[0, SPECIES_NAMES.index("n2o")] == pytest.approx(11.0)
    out = esm.run(ds, missing="zero", variables=["co2", "gsat"])
    assert np.isfinite(out["gsat"].values).all()


def test_read_iamc_file_and_column_case(tmp_path):
    df = fixture_frame()
    df.columns = [c.upper() if isinstance(c, str) and not c.isdigit() else c for c in df.columns]
    path = tmp_path / "scen.csv"
    df.to_csv(path, index=False)
    ds = read_iamc(path, model="IMAGE")
    assert set(ds.data_vars) == {"co2_fossil", "ch4"}
    assert ds.attrs["scenario"] == "ssp119" and ds.attrs["ignored_variables"] == []


def test_read_iamc_ambiguous_and_absent_selection():
    with pytest.raises(ScenarioError, match="2 time-series sets.*'ssp119'.*'ssp245'"):
        read_iamc(fixture_frame())
    with pytest.raises(ScenarioError, match="no rows with scenario 'ssp999'.*'ssp119', 'ssp245'"):
        read_iamc(fixture_frame(), scenario="ssp999")
    with pytest.raises(ScenarioError, match="no rows with region 'World'.*'R5ASIA'"):
        read_iamc(fixture_frame().assign(Region="R5ASIA"), scenario="ssp245")
    assert read_iamc(fixture_frame().assign(Region="R5ASIA"), "ssp245", region=None).sizes


def test_read_iamc_unknown_variable_is_named():
    df = fixture_frame()
    extra = df.iloc[[3]].assign(Variable="Emissions|Unobtainium", Unit="Mt U/yr")
    with pytest.raises(ScenarioError, match=r"unknown variable\(s\) 'Emissions\|Unobtainium'"):
        read_iamc(pd.concat([df, extra]), scenario="ssp245")


def test_read_iamc_errors():
    df = fixture_frame()
    ssp245 = df[df["Scenario"] == "ssp245"]
    late = ssp245.copy()
    late.loc[late["Variable"] == "Emissions|CH4", ["2014", "2015"]] = np.nan
    with pytest.raises(ScenarioError, match=r"Emissions\|CH4 has no value before 2020.*2014"):
        read_iamc(late)
    early = ssp245.copy()
    early.loc[early["Variable"] == "Emissions|Sulfur", "2030"] = np.nan
    with pytest.raises(ScenarioError, match=r"Emissions\|Sulfur has no value after 2020"):
        read_iamc(early)
    bad_unit = ssp245.copy()
    bad_unit.loc[bad_unit["Variable"] == "Emissions|N2O", "Unit"] = "kt CH4/yr"
    with pytest.raises(ScenarioError, match=r"Emissions\|N2O.*'kt CH4/yr'"):
        read_iamc(bad_unit)
    twice = pd.concat(
        [ssp245, ssp245.iloc[[1]].assign(Variable="Emissions|CO2|Energy and Industrial Processes")]
    )
    with pytest.raises(ScenarioError, match="both give co2_fossil"):
        read_iamc(twice)
    total_only = ssp245[~ssp245["Variable"].str.startswith("Emissions|CO2|")]
    with pytest.raises(ScenarioError, match=r"only total Emissions\|CO2"):
        read_iamc(total_only)
    with pytest.raises(ScenarioError, match="missing column.*unit"):
        read_iamc(ssp245.drop(columns="Unit"))
    text = ssp245.astype({"2020": object})
    text.loc[text.index[3], "2020"] = "n/a"
    with pytest.raises(ScenarioError, match=r"Emissions\|CH4 has a value that is not a number"):
        read_iamc(text)


def test_read_iamc_negative_emissions():
    df = fixture_frame()
    ssp245 = df[df["Scenario"] == "ssp245"].copy()
    row = ssp245["Variable"] == "Emissions|F-Gases|HFC|HFC4310mee"
    ssp245.loc[row, ["2014", "2015"]] = [-0.2, 0.0]
    ssp245.loc[ssp245["Variable"] == "Emissions|CO2|MAGICC AFOLU", "2030"] = -1000.0
    with pytest.raises(ScenarioError, match=r"HFC4310mee down to -0.2 .* 2014; only CO2"):
        read_iamc(ssp245)
    ds = read_iamc(ssp245, negative="zero")
    assert ds["hfc4310mee"].sel(year=2014) == 0.0
    assert ds["co2_landuse"].sel(year=2030) == -1000.0  # removals stay
    assert ds.attrs["zeroed_negative"] == [
        "Emissions|F-Gases|HFC|HFC4310mee down to -0.2 kt HFC4310mee/yr in year(s) 2014"
    ]
    with pytest.raises(ValueError, match="negative must be"):
        read_iamc(ssp245, negative="clip")


def _shipped_as_iamc(name: str, end: int) -> pd.DataFrame:
    """A shipped scenario as RCMIP-style IAMC rows (RCMIP names and units)."""
    ds = scenarios.load(name, end=end)
    years = ds["year"].values.tolist()
    rows = []
    for species, variable in SPECIES_VARIABLES.items():
        da = ds[species]
        unit, values = da.attrs["units"], da.values
        if species.startswith("co2_"):
            assert unit == "Gt C/yr"
            unit, values = "Mt CO2/yr", values * 1000.0 * GTCO2_PER_GTC
        elif species == "n2o":
            assert unit == "Mt N2O/yr"
            unit, values = "kt N2O/yr", values * 1000.0
        elif species == "nox" or species == "nox_aviation":
            unit = "Mt NOx/yr"
        elif species in HALOGEN_NAMES:
            unit = f"kt {variable.split('|')[-1]}/yr"
        rows.append(["esm", name, "World", variable, unit, *values])
    total = ds["co2_fossil"].values + ds["co2_landuse"].values
    rows.append(["esm", name, "World", "Emissions|CO2", "Mt CO2/yr", *(total * 3664.0)])
    for variable, nat in NATURAL_VARIABLES.items():
        rows.append(["esm", name, "World", variable, "W/m^2", *ds[nat].values])
    return pd.DataFrame(rows, columns=[*IAMC_COLUMNS, *years])


def test_round_trip_shipped_scenario(tmp_path):
    table = _shipped_as_iamc("ssp245", end=2100)
    path = tmp_path / "ssp245_iamc.csv"
    table.to_csv(path, index=False)
    ds = read_iamc(path)
    assert set(ds.data_vars) == set(SPECIES_NAMES) | {"solar", "volcanic"}
    assert ds.attrs["ignored_variables"] == ["Emissions|CO2"]
    assert ds.attrs["interpolated_years"] == []
    variables = ["co2", "gsat", "ch4", "erf"]
    got = esm.run(ds, variables=variables)
    ref = esm.run("ssp245", variables=variables)
    np.testing.assert_array_equal(got["year"], ref["year"])
    for v in variables:
        np.testing.assert_allclose(got[v].values, ref[v].values, rtol=1e-9, atol=1e-12)


def test_written_emissions_read_back_as_the_same_species(tmp_path, run2030):
    """One RCMIP name table for both directions: the CO2 emissions esm writes are read by the
    scenario reader as co2_fossil and co2_landuse, with the same values (GtC/yr)."""
    from esm.scenarios.iamc import read_iamc

    path = tmp_path / "run.csv"
    write_iamc(run2030, path)
    table = pd.read_csv(path, float_precision="round_trip")
    ds = read_iamc(table[table["Variable"].str.startswith("Emissions|CO2")])
    for species, output in (
        ("co2_fossil", "emissions_co2_fossil"),
        ("co2_landuse", "emissions_co2_landuse"),
    ):
        assert ds[species].attrs["units"] == "Mt CO2/yr"
        got = ds[species].sel(year=run2030["year"]).values / 1000.0 / GTCO2_PER_GTC
        np.testing.assert_allclose(got, run2030[output].values, rtol=1e-12)
