"""The array layouts, parameter declarations and output table are consistent."""

from __future__ import annotations

import math

import pytest

from esm import metadata, params
from esm.kernels import layout


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        ("P_", layout.PARAM_NAMES),
        ("O_", layout.OUT_NAMES),
        ("H_", layout.HALO_NAMES),
        ("S_", layout.STATE_NAMES),
        ("E_", layout.SPECIES_NAMES),
    ],
)
def test_index_constants_match_names(prefix, names):
    constants = {
        k: v for k, v in vars(layout).items() if k.startswith(prefix) and isinstance(v, int)
    }
    # every constant points at a distinct position inside its tuple
    assert len(set(constants.values())) == len(constants)
    assert all(0 <= v < len(names) for v in constants.values())
    if prefix == "P_":
        for name, i in constants.items():
            assert names[i].upper() == name[2:], (name, names[i])
        assert len(constants) == len(names)


def test_every_parameter_declared_with_units_bounds_and_source():
    assert tuple(params.PARAMETERS) == layout.PARAM_NAMES
    for p in params.PARAMETERS.values():
        assert p.units and p.source and p.description, p.name
        lo, hi = p.bounds
        assert lo < hi and lo <= p.default <= hi, p.name
        assert math.isfinite(p.default)


def test_parameter_table_has_every_parameter():
    t = params.table()
    assert list(t.index) == list(layout.PARAM_NAMES)
    assert {"default", "units", "lower", "upper", "source", "description"} <= set(t.columns)


def test_halogen_table_matches_layout():
    t = params.halogen_table()
    assert tuple(t.index) == layout.HALOGEN_NAMES
    a = params.halogen_array()
    assert a.shape == (layout.N_HALOGENS, layout.N_HALO)
    assert (a[:, layout.H_LIFETIME] > 0).all() and (a[:, layout.H_MOLECULAR_WEIGHT] > 0).all()


def test_every_public_output_has_metadata():
    for name in (
        "co2",
        "ch4",
        "n2o",
        "gsat",
        "erf",
        "erf_co2",
        "erf_ch4",
        "erf_n2o",
        "erf_halogens",
        "erf_ozone",
        "erf_aerosol_ari",
        "erf_aerosol_aci",
        "erf_other",
        "emissions_co2_fossil",
        "emissions_co2_landuse",
        "atmospheric_growth",
        "ocean_sink",
        "land_sink",
        "ocean_heat_content",
    ):
        assert name in metadata.PUBLIC
        a = metadata.attrs(name)
        assert a["units"] and a["long_name"]


def test_output_names_resolve_to_kernel_outputs():
    inverse = {v: k for k, v in metadata.KERNEL_RENAME.items()}
    for name in metadata.OUTPUTS:
        parts = metadata.DERIVED.get(name, (inverse.get(name, name),))
        for part in parts:
            assert inverse.get(part, part) in layout.OUT_NAMES, (name, part)
