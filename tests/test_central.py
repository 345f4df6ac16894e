"""The calibrated defaults live in a data file (esm/params/central.csv) with provenance: they
are the posterior's central member, and the declarations and the file must agree."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from esm import params
from esm.params import _apply_central, _central_values
from esm.params._spec import CENTRAL_PREFIX


def _central_member() -> int:
    text = resources.files("esm.params").joinpath("central.csv").read_text()
    return int(re.search(r"member (\d+) of esm/params/posterior\.csv", text).group(1))


def test_defaults_are_the_central_member_of_the_shipped_posterior():
    row = params.posterior().loc[_central_member()]
    values = _central_values()
    assert len(values) == 25
    for name, value in values.items():
        assert value == float(f"{row[name]:.4g}"), name
        assert params.PARAMETERS[name].default == value


def test_every_listed_default_is_marked_central_and_every_other_keeps_its_declaration():
    values = _central_values()
    for name, prm in params.PARAMETERS.items():
        assert prm.source.startswith(CENTRAL_PREFIX) == (name in values), name


def test_a_declaration_the_file_does_not_list_is_an_error(monkeypatch):
    values = _central_values()
    del values["climate_feedback"]
    monkeypatch.setattr(params, "_central_values", lambda: values)
    declared = {n: p for n, p in params.PARAMETERS.items()}
    with pytest.raises(RuntimeError) as err:
        _apply_central(declared)
    assert str(err.value) == (
        "esm/params/central.csv and the declarations disagree: declared central(...) but not "
        "listed: ['climate_feedback']"
    )
