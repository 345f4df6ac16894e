"""The weighted draw of the posterior members (validation/calibrate_posterior.py: draw)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from validation.calibrate_posterior import draw


def test_one_member_is_drawn_with_probability_proportional_to_its_weight():
    """For n = 1 the largest key log(u_i) / w_i falls on member i with probability
    w_i / sum(w) (Efraimidis & Spirakis 2006): frequencies of 20 000 seeded draws within
    four binomial standard deviations."""
    w = np.array([1.0, 2.0, 3.0, 4.0, 0.0, 10.0])
    trials = 20000
    counts = np.bincount([draw(w, 1, seed)[0] for seed in range(trials)], minlength=w.size)
    p = w / w.sum()
    sd = np.sqrt(trials * p * (1 - p))
    assert counts[4] == 0
    assert np.all(np.abs(counts - trials * p) <= 4 * sd + 1e-9), counts


def test_draw_is_without_replacement_and_never_takes_a_zero_weight():
    w = np.zeros(1000)
    w[::3] = np.random.default_rng(1).random(334)
    chosen = draw(w, 300, seed=0)
    assert chosen.size == 300 and np.unique(chosen).size == 300
    assert np.all(np.diff(chosen) > 0) and np.all(w[chosen] > 0)
    with pytest.raises(ValueError, match="^334 members have a weight, fewer than 335$"):
        draw(w, 335, seed=0)


def test_a_member_that_loses_its_weight_changes_only_its_own_place():
    """A member whose weight drops to zero (a run that crosses the hard GMST cut after a
    change of the model) leaves every other member's place in the draw as it was; with the
    draw by cumulative weights (numpy's choice) 606 and 152 of the 1000 picks move."""
    rng = np.random.default_rng(2)
    w = rng.random(100000) ** 4
    w /= w.sum()
    before = draw(w, 1000, 0)
    for gone in (int(before[0]), 10):  # a drawn member and one that was not drawn
        moved = w.copy()
        moved[gone] = 0.0
        after = draw(moved / moved.sum(), 1000, 0)
        assert set(before) - {gone} <= set(after)
        assert len(set(after) - set(before)) == (gone in before)
        by_cumulative = [
            set(np.random.default_rng(0).choice(w.size, 1000, replace=False, p=x / x.sum()))
            for x in (w, moved)
        ]
        assert len(by_cumulative[0] - by_cumulative[1]) > 100  # 606 and 152 here


def test_the_sample_does_not_depend_on_the_calibrated_defaults(monkeypatch):
    """The first stage of the calibration runs every uncertain parameter at a value fixed in
    the script or the declarations (gas-cycle parameters drawn, the others at REFERENCE or
    their declared literature default), so no run of it reads esm/params/central.csv, which
    the calibration itself writes: a rerun after --write-defaults draws the same members. The
    runs are replaced by a stub that records the table it is given."""
    from esm import params
    from esm.params import CENTRAL_PREFIX
    from validation import calibrate_posterior as cp

    seen = []

    def stub(table, experiments_too=True):
        seen.append(table)
        n = len(table)
        return pd.DataFrame(
            {"ok": np.ones(n, bool), "ch4_rmse": np.zeros(n), "n2o_rmse": np.zeros(n),
             "ch4_2019": np.full(n, 1866.3), "n2o_2019": np.full(n, 332.1),
             "ch4_growth": np.full(n, 45.5)},
            index=table.index,
        )  # fmt: skip

    monkeypatch.setattr(cp, "run_constraints", stub)
    monkeypatch.setattr(cp, "GAS_STAGE", 64)
    prior, _ = cp.sample(16, seed=0)
    (stage,) = seen
    assert sorted(stage.columns) == sorted(params.uncertain())  # nothing left to the defaults
    gas = set(cp.gas_parameters())
    for name in set(params.uncertain()) - gas:
        value = stage[name].to_numpy()
        p = params.PARAMETERS[name]
        if name in cp.REFERENCE:
            assert (value == cp.REFERENCE[name]).all()
        else:  # a declared literature value, not a calibrated one
            assert not p.source.startswith(CENTRAL_PREFIX), name
            assert (value == p.default).all()
        assert p.bounds[0] <= value[0] <= p.bounds[1]
    assert list(prior.columns) == params.uncertain()
    # a calibrated default without a REFERENCE value is refused, not read from central.csv
    monkeypatch.delitem(cp.REFERENCE, "climate_feedback")
    with pytest.raises(RuntimeError, match="^climate_feedback: its default is calibrated"):
        cp.reference_values()
