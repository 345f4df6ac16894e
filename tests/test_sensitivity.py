"""Sensitivity indices when a run fails: the whole Morris trajectory or Saltelli block of a
failed run is left out (the estimators need complete groups), stated in a warning and the
attributes; too many failures are an error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from esm import sensitivities

NAMES = ["climate_feedback", "erf_scale_co2", "respiration_q10"]


def _fake(fail_rows):
    """An output linear in the parameters, NaN in the rows ``fail_rows`` (a failed run)."""

    def compute(table: pd.DataFrame, check: bool = True) -> np.ndarray:
        assert check is False
        y = (
            -2.0 * table["climate_feedback"]
            + table["erf_scale_co2"]
            + 0.1 * table["respiration_q10"]
        )
        y = y.to_numpy().copy()
        y[list(fail_rows)] = np.nan
        return y

    return compute


@pytest.mark.parametrize("method, group", [("morris", len(NAMES) + 1), ("sobol", len(NAMES) + 2)])
def test_a_failed_run_leaves_out_its_group(monkeypatch, method, group):
    n = 8
    monkeypatch.setitem(sensitivities.OUTPUTS, "fake", (_fake([group + 1]), "K", "test"))
    kind = "Morris trajectories" if method == "morris" else "Saltelli blocks"
    with pytest.warns(UserWarning) as record:
        df = sensitivities.sensitivity("fake", method=method, n=n, parameters=NAMES)
    messages = [str(w.message) for w in record if "left out" in str(w.message)]
    assert messages == [
        f"sensitivity: 1 of {n} {kind} left out: a run in each left the model's valid domain "
        f"(parameters at the tails of their priors); the indices use the other {n - 1} "
        "(attrs['groups_left_out'])"
    ]
    assert df.attrs["groups_left_out"] == 1
    assert df.attrs["runs"] == (n - 1) * group
    assert sorted(df.index) == sorted(NAMES)
    assert np.all(np.isfinite(df.to_numpy()))


def test_too_many_failed_groups_is_an_error(monkeypatch):
    rows = range(0, 8 * (len(NAMES) + 1), len(NAMES) + 1)  # one run in every trajectory
    monkeypatch.setitem(sensitivities.OUTPUTS, "fake", (_fake(rows), "K", "test"))
    with pytest.raises(ValueError) as err:
        sensitivities.sensitivity("fake", method="morris", n=8, parameters=NAMES)
    assert str(err.value) == (
        "sensitivity: 8 of 8 trajectories contain a failed run; too few are left (give fewer "
        "parameters or another method)"
    )
