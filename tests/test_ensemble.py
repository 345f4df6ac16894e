"""Ensembles: drawing members, batch/Dask invariance, streaming percentiles, resume, posterior."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import esm
from esm import ensembles as E
from esm import observations, params

ROOT = Path(__file__).resolve().parents[1]


def test_draw_from_posterior_prior_and_table():
    post = E.draw(50, seed=1)
    assert len(post) == 50 and post["posterior_member"].is_unique
    assert post.equals(E.draw(50, seed=1))  # reproducible
    assert not post.equals(E.draw(50, seed=2))
    with pytest.warns(UserWarning, match="with replacement"):
        E.draw(len(params.posterior()) + 5, seed=0)
    prior = E.draw(16, source="prior")
    assert set(prior.columns) == set(params.uncertain())
    table = pd.DataFrame({"co2_fertilisation": [0.3, 0.6]})
    assert E.draw(2, source=table)["co2_fertilisation"].tolist() == [0.3, 0.6]
    with pytest.raises(ValueError, match="source must be"):
        E.draw(2, source="everything")


def test_members_equal_single_runs():
    """Member m of an ensemble is bit-identical to esm.run with its parameters."""
    ens = esm.ensemble(
        "ssp245", members=6, seed=3, end=2050, variables=["gsat", "co2"], chunk_size=4
    )
    for m in (0, 5):
        values = {k: float(ens[k].values[m]) for k in params.posterior().columns}
        single = esm.run("ssp245", values, end=2050, variables=["gsat", "co2"])
        assert np.array_equal(single.gsat.values, ens.gsat.values[m])
        assert np.array_equal(single.co2.values, ens.co2.values[m])


def test_chunking_does_not_change_results():
    a = esm.ensemble("ssp245", members=30, end=2030, variables=["gsat"], chunk_size=30)
    b = esm.ensemble("ssp245", members=30, end=2030, variables=["gsat"], chunk_size=7)
    assert np.array_equal(a.gsat.values, b.gsat.values)


def test_streaming_percentiles_match_exact_ones():
    full = esm.ensemble("ssp245", members=400, seed=0, variables=["gsat", "co2"])
    pct = esm.ensemble(
        "ssp245",
        members=400,
        seed=0,
        percentiles=[5, 50, 95],
        variables=["gsat", "co2"],
        chunk_size=100,
    )
    assert pct.gsat.dims == ("percentile", "year")
    for var in ("gsat", "co2"):
        exact = np.percentile(full[var].values, [5, 50, 95], axis=0)
        spread = full[var].values.max(axis=0) - full[var].values.min(axis=0)
        # within one histogram bin plus the difference between percentile conventions
        tol = 3 * spread / 4096 + np.abs(np.diff(np.sort(full[var].values, axis=0), axis=0)).max(0)
        assert np.all(np.abs(pct[var].values - exact) <= tol + 1e-12)


def test_store_and_resume(tmp_path):
    calls = []
    first = esm.ensemble(
        "ssp245",
        members=40,
        end=2030,
        variables=["gsat"],
        chunk_size=10,
        store=tmp_path,
        callback=lambda d, t: calls.append(d),
    )
    files = sorted(tmp_path.glob("esm-*-chunk*.nc"))
    assert len(files) == 4 and calls == [1, 2, 3, 4]
    files[2].unlink()  # an interrupted run: one chunk missing
    original = E._run_chunk
    ran = []

    def spy(*args):
        ran.append(args[-2:])
        return original(*args)

    E._run_chunk = spy
    try:
        again = esm.ensemble(
            "ssp245", members=40, end=2030, variables=["gsat"], chunk_size=10, store=tmp_path
        )
    finally:
        E._run_chunk = original
    assert ran == [(20, 30)]  # only the missing chunk was recomputed
    assert np.array_equal(first.gsat.values, again.gsat.values)


def test_bad_ensemble_arguments():
    with pytest.raises(ValueError, match="members must be a positive integer"):
        esm.ensemble("ssp245", members=0)
    with pytest.raises(ValueError, match="chunk_size must be positive"):
        esm.ensemble("ssp245", members=2, chunk_size=0)
    with pytest.raises(KeyError, match="unknown output variable"):
        esm.ensemble("ssp245", members=2, variables=["gsatt"])


def test_posterior_reproduces_the_constraints():
    """Calibration targets of the shipped posterior (validation/calibrate_posterior.py): GSAT
    2011-2020 (likelihood normal 1.09 K, sd 0.076) and the CO2 history. The acceptance
    targets of the ensemble (widths, shares, ECS/TCR/TCRE/ZEC percentiles) are tested in
    tests/test_posterior.py."""
    ens = esm.ensemble("ssp245", members=1000, end=2020, variables=["gsat", "co2"])
    g = ens.gsat.sel(year=slice(2011, 2020)).mean("year").values
    p5, p50, p95 = np.percentile(g, [5, 50, 95])
    # the posterior is the likelihood times a prior that is much wider: its 5-95 % range is
    # inside the observational 5-95 % range widened by the sampling noise of 1000 members
    assert 0.9 <= p5 and p95 <= 1.3 and abs(p50 - 1.09) < 0.05
    co2 = ens.co2.sel(year=slice(1959, 2019)).values
    obs = observations.load("ghg_concentrations")["co2"].loc[1959:2019].values
    rmse = np.sqrt(np.mean((co2 - obs) ** 2, axis=1))
    assert np.median(rmse) < 4.0  # the likelihood scale of the CO2 history


# ------------------------------------------------------------------------------ Dask
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_run_is_identical_to_in_process(dask_client):
    kw = dict(members=60, seed=4, end=2060, variables=["gsat", "co2"], chunk_size=13)
    local = esm.ensemble("ssp245", **kw)
    remote = esm.ensemble("ssp245", client=dask_client, **kw)
    assert np.array_equal(local.gsat.values, remote.gsat.values)
    assert np.array_equal(local.co2.values, remote.co2.values)
    pl = esm.ensemble("ssp245", percentiles=[5, 50, 95], **kw)
    pr = esm.ensemble("ssp245", percentiles=[5, 50, 95], client=dask_client, **kw)
    assert np.array_equal(pl.gsat.values, pr.gsat.values)


def test_losing_a_worker_loses_no_member(dask_client):
    """Kill one worker process after the first chunk finishes: Dask reruns its chunks."""
    killed = []

    def kill(worker):
        try:
            dask_client.run(os._exit, 1, workers=[worker])
        except Exception:  # noqa: BLE001  the worker dies while answering: expected
            pass

    def kill_one(done, total):
        if done == 1 and not killed:
            worker = sorted(dask_client.scheduler_info()["workers"])[0]
            killed.append(worker)
            threading.Thread(target=kill, args=(worker,), daemon=True).start()

    kw = dict(members=400, seed=5, end=2300, variables=["gsat"], chunk_size=10)
    remote = esm.ensemble("ssp245", client=dask_client, callback=kill_one, **kw)
    local = esm.ensemble("ssp245", **kw)
    assert killed
    assert remote.sizes["member"] == 400
    assert np.array_equal(local.gsat.values, remote.gsat.values)
