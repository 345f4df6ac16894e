"""The array layouts, parameter declarations and output table are consistent."""

from __future__ import annotations

import math
import runpy
from collections import Counter
from types import SimpleNamespace

import pytest

from esm import metadata, params
from esm.kernels import layout

#: Index constants whose identifier is not the prefix + the name in upper case.
ALIASES = {
    "E_HALOGEN0": "cfc11",  # start of the halogen block
    "H_ADJUSTMENT": "tropospheric_adjustment",
    "H_BASELINE": "baseline_concentration",
}

FAMILIES = [
    # prefix, names, every name has a constant
    ("P_", layout.PARAM_NAMES, True),
    ("S_", layout.STATE_NAMES, False),
    ("O_", layout.OUTPUT_NAMES, True),
    ("E_", layout.SPECIES_NAMES, False),
    ("H_", layout.HALO_NAMES, False),
    ("A_", layout.ACCUMULATOR_NAMES, True),
    ("C_", layout.CONSTANT_NAMES, True),
]


@pytest.mark.parametrize(("prefix", "names", "complete"), FAMILIES)
def test_index_constants_match_names(prefix, names, complete):
    constants = {k: v for k, v in vars(layout).items() if k.startswith(prefix)}
    assert constants
    for key, value in constants.items():
        # plain ints, so that numba compiles them as constants
        assert type(value) is int, key
        assert names[value] == ALIASES.get(key, key[len(prefix) :].lower()), (key, value)
    # every constant points at a distinct position inside its tuple
    assert len(set(constants.values())) == len(constants)
    if complete:
        assert sorted(constants.values()) == list(range(len(names)))


def test_block_constants():
    n = layout.N_HALOGENS
    assert layout.SPECIES_NAMES[layout.E_HALOGEN0 : layout.E_HALOGEN0 + n] == layout.HALOGEN_NAMES
    assert layout.E_HALOGEN0 + n == layout.N_SPECIES
    boxes = layout.STATE_NAMES[layout.S_OCEAN_BOX0 : layout.S_OCEAN_BOX0 + layout.N_OCEAN_BOXES]
    assert boxes == tuple(f"ocean_box{i}" for i in range(layout.N_OCEAN_BOXES))
    assert type(layout.N_OCEAN_BOXES) is int


def test_status_codes_are_distinct_bits():
    codes = {
        k: v
        for k, v in vars(layout).items()
        if k.startswith("STATUS_") and type(v) is int and k != "STATUS_OK"
    }
    assert layout.STATUS_OK == 0
    assert sorted(codes.values()) == [1 << k for k in range(len(layout.STATUS_NAMES))]
    for k, name in enumerate(layout.STATUS_NAMES):
        assert codes["STATUS_" + name.upper()] == 1 << k


@pytest.mark.parametrize(
    "names",
    [
        layout.PARAM_NAMES,
        layout.STATE_NAMES,
        layout.OUTPUT_NAMES,
        layout.SPECIES_NAMES,
        layout.HALO_NAMES,
        layout.NATURAL_NAMES,
        layout.STATUS_NAMES,
        layout.ACCUMULATOR_NAMES,
        layout.CONSTANT_NAMES,
    ],
)
def test_no_duplicate_names(names):
    assert len(set(names)) == len(names), [n for n, c in Counter(names).items() if c > 1]


@pytest.mark.parametrize(
    ("attr", "names"),
    [
        ("STATE", layout.STATE_NAMES),
        ("PARAMS", layout.PARAM_NAMES),
        ("OUTPUTS", layout.OUTPUT_NAMES),
        ("ACCUMULATORS", layout.ACCUMULATOR_NAMES),
        ("CONSTANTS", layout.CONSTANT_NAMES),
    ],
)
def test_every_declared_name_appears_exactly_once(attr, names):
    declared = []
    for process, module in layout.PROCESSES.items():
        own = getattr(module, attr, ())
        assert isinstance(own, tuple) and all(isinstance(n, str) for n in own), process
        declared.extend(own)
        # each process's names keep their declared order in the layout
        positions = [names.index(n) for n in own]
        assert positions == sorted(positions), process
    assert Counter(declared) == Counter(names)
    assert all(c == 1 for c in Counter(declared).values())


def test_layout_sizes():
    assert layout.N_PARAMS == len(layout.PARAM_NAMES)
    assert layout.N_STATE == len(layout.STATE_NAMES)
    assert layout.N_OUT == len(layout.OUTPUT_NAMES)
    assert layout.N_ACCUMULATORS == len(layout.ACCUMULATOR_NAMES)
    assert layout.N_CONSTANTS == len(layout.CONSTANT_NAMES)
    assert layout.OUT_NAMES is layout.OUTPUT_NAMES
    assert layout.N_SPECIES == len(layout.SPECIES_NAMES)
    assert layout.NATURAL_NAMES[layout.N_SOLAR] == "solar"
    assert layout.NATURAL_NAMES[layout.N_VOLCANIC] == "volcanic"


def test_workspace_rows_are_its_blocks_in_order_without_gaps():
    """The integrator's workspace rows W_* are generated from the named blocks of
    integrate.WORKSPACE: each block starts where the one before ends, every block has its
    constant, and the blocks that mirror a layout have its size."""
    from esm.kernels import integrate as I

    end = 0
    for name, size, what in I.WORKSPACE:
        assert getattr(I, "W_" + name.upper()) == end, name
        assert type(size) is int and size >= 1 and what, name
        end += size
    assert end == I.N_W
    rows = {k: v for k, v in vars(I).items() if k.startswith("W_") and type(v) is int}
    assert sorted(rows) == sorted("W_" + n.upper() for n, _, _ in I.WORKSPACE)
    size = {n: k for n, k, _ in I.WORKSPACE}
    assert size["state"] == size["backup"] == size["saved"] == layout.N_STATE
    assert size["param"] == layout.N_PARAMS and size["out"] == layout.N_OUT
    assert size["acc"] == size["acc_saved"] == layout.N_ACCUMULATORS
    assert size["const"] == layout.N_CONSTANTS and size["gather"] == len(I.GATHERED)
    assert size["decay"] == size["gain"] == layout.N_OCEAN_BOXES
    gathered = {k: v for k, v in vars(I).items() if k.startswith("_G_") and type(v) is int}
    assert gathered == {"_G_" + n.upper(): i for i, n in enumerate(I.GATHERED)}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: layout.check_prefixed({"W_A": 0, "W_B": 5}, "W_", {"a": 0, "b": 1}, "block"),
            r"W_B must be 1, the block 'b' \(is 5\)",
        ),
        (
            lambda: layout.check_prefixed({"W_A": 0, "W_C": 1}, "W_", {"a": 0}, "block"),
            r"\['W_C'\] name no block",
        ),
        (lambda: layout.block_starts((("a", 2), ("a", 1))), "block 'a' is repeated or has no rows"),
        (
            lambda: layout.block_starts((("a", 2), ("b", 0))),
            r"block 'b' is repeated or has no rows \(0\)",
        ),
    ],
)
def test_integrator_index_checks_raise(call, message):
    with pytest.raises(layout.LayoutError, match=message):
        call()


def test_layout_regenerates_identically():
    fresh = runpy.run_path(layout.__file__)
    for name in ("PARAM_NAMES", "STATE_NAMES", "OUTPUT_NAMES", "SPECIES_NAMES"):
        assert fresh[name] == getattr(layout, name)
    for key, value in vars(layout).items():
        if key[:2] in ("P_", "S_", "O_", "E_", "H_", "A_", "C_") or key.startswith(
            ("N_", "STATUS_")
        ):
            assert fresh[key] == value, key


@pytest.mark.parametrize(
    ("process", "attr", "extra", "message"),
    [
        (
            "land",
            "PARAMS",
            ("ocean_area",),
            "declared by both esm.kernels.ocean and esm.kernels.land",
        ),
        ("ocean", "OUTPUTS", ("ocean_sink",), "declared twice by esm.kernels.ocean"),
        ("ebm", "STATE", ("temperature_surface",), "declared twice by esm.kernels.ebm"),
        ("gases", "STATE", ("co2_perturbation",), "coupling and esm.kernels.gases"),
        ("permafrost", "OUTPUTS", ("new_output",), r"without an index constant: \['new_output'\]"),
        ("forcing", "PARAMS", ("new_parameter",), "without an index constant"),
    ],
)
def test_bad_declarations_raise_at_import(monkeypatch, process, attr, extra, message):
    module = layout.PROCESSES[process]
    monkeypatch.setattr(module, attr, getattr(module, attr) + extra)
    with pytest.raises(RuntimeError, match=message) as info:
        runpy.run_path(layout.__file__)
    assert type(info.value).__name__ == "LayoutError"


def _fake(**declared):
    return {
        name: SimpleNamespace(STATE=(), PARAMS=tuple(names), OUTPUTS=())
        for name, names in declared.items()
    }


def test_assemble_takes_runs_in_order():
    processes = _fake(a=("a1", "a2", "a3"), b=("b1", "b2"))
    order = layout.assemble("parameter", [("a", 1), "b", "a"], processes)
    assert order == ("a1", "b1", "b2", "a2", "a3")


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        ([("a", 1), "b"], r"esm.kernels.a.PARAMS declares \['a2'\], which the parameter order"),
        ([("a", 3), "b"], "takes 3 more names from esm.kernels.a.PARAMS, which has 2 left"),
        (["a", "b", "a"], "takes 0 more names from esm.kernels.a.PARAMS"),
        (["a", "b", "c"], "unknown process 'c'"),
    ],
)
def test_assemble_refuses_runs_that_do_not_place_every_name(runs, message):
    processes = _fake(a=("a1", "a2"), b=("b1",))
    with pytest.raises(layout.LayoutError, match=message):
        layout.assemble("parameter", runs, processes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"P_CO2_PI": layout.P_CH4_PI}, "P_CO2_PI = 1 is the parameter 'ch4_pi', not 'co2_pi'"),
        ({"S_CH4": layout.S_N2O}, "S_CH4 = .* is the state slot 'n2o', not 'ch4'"),
        ({"O_CO2": 10**6}, "O_CO2 = 1000000 is the output None, not 'co2'"),
        ({"E_NOX": layout.E_NMVOC}, "E_NOX = .* is the species 'nmvoc', not 'nox'"),
        ({"E_HALOGEN0": layout.E_CO}, "E_HALOGEN0 = .* is the species 'co', not 'cfc11'"),
        ({"O_EESC": None}, r"output names without an index constant: \['eesc'\]"),
        ({"P_NPP_PI": None}, r"parameter names without an index constant: \['npp_pi'\]"),
        ({"STATUS_CONC_SOLVER": 32}, "STATUS_CONC_SOLVER must be 16"),
    ],
)
def test_constants_that_do_not_match_their_names_raise(change, message):
    namespace = {**vars(layout), **change}
    namespace = {k: v for k, v in namespace.items() if v is not None}
    with pytest.raises(layout.LayoutError, match=message):
        layout.check_constants(namespace)
    layout.check_constants(vars(layout))  # the real module passes


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
            assert inverse.get(part, part) in layout.OUTPUT_NAMES, (name, part)


def test_every_kernel_output_has_metadata():
    """The processes point at esm.metadata for units: each kernel output is listed there, under
    its own name or its KERNEL_RENAME, or is an input of a DERIVED variable."""
    derived_from = {part for parts in metadata.DERIVED.values() for part in parts}
    for name in layout.OUTPUT_NAMES:
        public = metadata.KERNEL_RENAME.get(name, name)
        assert public in metadata.OUTPUTS or name in derived_from, name
        if public in metadata.OUTPUTS:
            assert metadata.OUTPUTS[public].units, name


def test_process_parameters_are_declared_in_esm_params():
    for process, module in layout.PROCESSES.items():
        for name in module.PARAMS:
            assert name in params.PARAMETERS, (process, name)
