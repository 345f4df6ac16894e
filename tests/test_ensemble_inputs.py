"""Ensemble inputs are checked before anything runs, full-output runs that cannot fit into
memory are refused up front, 0/100 percentiles are the exact member extremes, the chunk store
never reuses a wrong chunk, and plume figures draw whatever percentiles an ensemble has."""

from __future__ import annotations

import re
import shutil
import warnings

import numpy as np
import pytest
import xarray as xr
from matplotlib.collections import PolyCollection

import esm
from esm import ensembles as E
from esm import params, plotting, runner
from esm._stats import Histogram

SMALL = dict(members=40, end=2030, variables=["gsat"], chunk_size=10)  # 4 chunks of 10


# ------------------------------------------------------------------------------ percentiles
HINT = "give numbers in 0-100 such as [5, 50, 95]"
CLI_HINT = "give numbers in 0-100 such as 5,50,95"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([-5, 50, 150], f"percentiles: -5 lies outside 0-100; {HINT}"),
        ([5, 50, 150], f"percentiles: 150 lies outside 0-100; {HINT}"),
        ([5, float("nan")], f"percentiles: nan is not a number; {HINT}"),
        ([], f"percentiles is empty; {HINT}"),
        ([5, 50, 50.0], "percentiles: 50 is given twice; give each percentile once"),
        ([5, "50"], f"percentiles: '50' is not a number; {HINT}"),
        ([True, 50], f"percentiles: True is not a number; {HINT}"),
        ([5, None], f"percentiles: None is not a number; {HINT}"),
        (50, f"percentiles must be a list of numbers in 0-100, not 50; {HINT}"),
        ("5,x", f"percentiles: 'x' is not a number; {CLI_HINT}"),
        ("5,,95", f"percentiles: '' is not a number; {CLI_HINT}"),
    ],
)
def test_bad_percentiles_are_refused_before_running(values, message, monkeypatch):
    monkeypatch.setattr(E, "_run_chunk", _must_not_run)
    with pytest.raises(ValueError) as err:
        esm.ensemble("ssp245", members=10, percentiles=values)
    assert str(err.value) == message
    with pytest.raises(ValueError) as err:
        E.check_percentiles(values)
    assert str(err.value) == message


def test_check_percentiles_accepts_numbers_and_cli_text():
    assert E.check_percentiles([95, 5, np.int64(50)]).tolist() == [95.0, 5.0, 50.0]  # order kept
    assert E.check_percentiles(np.array([0.0, 100.0])).tolist() == [0.0, 100.0]
    assert E.check_percentiles(" 5, 50 ,95").tolist() == [5.0, 50.0, 95.0]
    with pytest.raises(ValueError) as err:
        E.check_percentiles("5,500", name="--percentiles")
    assert str(err.value) == (
        "--percentiles: 500 lies outside 0-100; give numbers in 0-100 such as 5,50,95"
    )


def test_histogram_refuses_percentiles_outside_0_100():
    h = Histogram(np.zeros((1, 1)), np.ones((1, 1)), 4)
    h.add(np.array([[[0.5]], [[2.5]]]))  # [member, year, variable]
    values, outside = h.percentiles([0, 100])
    assert values.ravel().tolist() == [0.5, 2.5] and outside == 0
    with pytest.raises(ValueError) as err:
        h.percentiles([50, 150])
    assert str(err.value) == "percentiles must be numbers in 0-100, not [50.0, 150.0]"


def test_percentiles_0_and_100_are_the_member_extremes_without_warning():
    """1100 members make two chunks (the pilot of 1000 and 100 more) that are merged."""
    table = params.sample_prior(2048, seed=2)
    kw = dict(members=1100, source=table, end=2040, variables=["gsat", "co2"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        full = esm.ensemble("ssp245", **kw)
        pct = esm.ensemble("ssp245", percentiles=[0, 50, 100], chunk_size=500, **kw)
    assert [str(w.message) for w in caught] == []
    assert pct["percentile"].values.tolist() == [0.0, 50.0, 100.0]
    for var in ("gsat", "co2"):
        assert np.array_equal(pct[var].sel(percentile=0).values, full[var].min("member").values)
        assert np.array_equal(pct[var].sel(percentile=100).values, full[var].max("member").values)
        # every other percentile lies between the extremes
        assert np.all(pct[var].sel(percentile=50) >= full[var].min("member"))
        assert np.all(pct[var].sel(percentile=50) <= full[var].max("member"))


# ------------------------------------------------------------------------------ counts
MEMBERS = "members must be a positive integer, not {}; give e.g. members=100"
CHUNK = "chunk_size must be positive: a whole number of members per kernel call, not {}; give e.g. chunk_size=2000"  # noqa: E501
SEED = "seed must be a non-negative integer, not {}; give e.g. seed=0"
SUBSTEPS = "substeps must be a positive integer, not {}; give e.g. substeps=6"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": 2.7}, MEMBERS.format("2.7")),
        ({"members": 0}, MEMBERS.format("0")),
        ({"members": -3}, MEMBERS.format("-3")),
        ({"members": True}, MEMBERS.format("True")),
        ({"members": "5"}, MEMBERS.format("'5'")),
        ({"members": float("nan")}, MEMBERS.format("nan")),
        ({"members": np.float64(2.5)}, MEMBERS.format("2.5")),
        ({"members": None}, MEMBERS.format("None")),
        ({"chunk_size": 2.5}, CHUNK.format("2.5")),
        ({"chunk_size": 0}, CHUNK.format("0")),
        ({"seed": 1.5}, SEED.format("1.5")),
        ({"seed": -1}, SEED.format("-1")),
        ({"seed": False}, SEED.format("False")),
        ({"substeps": 0}, SUBSTEPS.format("0")),
        ({"substeps": 6.5}, SUBSTEPS.format("6.5")),
    ],
)
def test_bad_counts_are_refused_before_running(kwargs, message, monkeypatch):
    monkeypatch.setattr(E, "_run_chunk", _must_not_run)
    with pytest.raises(ValueError) as err:
        esm.ensemble("ssp245", **{"members": 10, **kwargs})
    assert str(err.value) == message


def test_variables_must_be_a_list_of_names(monkeypatch):
    monkeypatch.setattr(E, "_run_chunk", _must_not_run)
    with pytest.raises(ValueError) as err:
        esm.ensemble("ssp245", members=2, variables="gsat")
    assert str(err.value) == (
        "variables must be a list of names, not the string 'gsat'; give e.g. variables=['gsat']"
    )
    with pytest.raises(ValueError) as err:
        esm.ensemble("ssp245", members=2, variables=[])
    assert str(err.value) == "variables is empty; give e.g. variables=['gsat', 'co2']"


def test_check_count_accepts_whole_numbers():
    assert E.check_count("members", np.int32(7)) == 7
    assert E.check_count("members", 3.0) == 3
    assert E.check_count("seed", 0, minimum=0) == 0
    with pytest.raises(ValueError) as err:
        E.check_count("draws", 0)
    assert str(err.value) == "draws must be a positive integer, not 0; give e.g. draws=1"
    with pytest.raises(ValueError) as err:
        E.draw(2.7)
    assert str(err.value) == MEMBERS.format("2.7")


def test_integral_numpy_and_float_counts_give_the_same_ensemble():
    a = esm.ensemble("ssp245", members=np.int64(6), seed=np.int64(1), end=2030, variables=["gsat"])
    b = esm.ensemble("ssp245", members=6.0, seed=1, end=2030, variables=["gsat"])
    assert a.sizes["member"] == 6 and a.attrs["members"] == 6 and a.attrs["seed"] == 1
    assert np.array_equal(a.gsat.values, b.gsat.values)


# ------------------------------------------------------------------------------ memory
def test_full_output_that_cannot_fit_is_refused_before_running(monkeypatch):
    """2000 members x 281 years (1750-2030) x 2 variables x 8 bytes x 1.3 = 11.69 MB."""
    monkeypatch.setattr(E, "available_memory", lambda: 10_000_000)
    monkeypatch.setattr(E, "_run_chunk", _must_not_run)
    monkeypatch.setattr(E, "draw", _must_not_run)  # refused before the members are drawn
    kw = dict(members=2000, end=2030, variables=["gsat", "co2"])
    with pytest.raises(E.EnsembleMemoryError) as err:
        esm.ensemble("ssp245", **kw)
    assert str(err.value) == (
        "a full-output ensemble of 2000 members x 281 years x 2 variables needs about 0.0117 GB "
        "of memory but 0.01 GB are available; ask for percentiles=[5, 50, 95] (memory "
        "independent of members), fewer variables=[...], fewer members or a shorter period "
        "(end=)"
    )
    assert isinstance(err.value, MemoryError) and isinstance(err.value, ValueError)
    assert E.check_memory(1000, 281, 2) == pytest.approx(1.3 * 8 * 1000 * 281 * 2)


def test_memory_check_passes_percentile_runs_and_fitting_runs(monkeypatch):
    monkeypatch.setattr(E, "available_memory", lambda: 10_000_000)
    pct = esm.ensemble("ssp245", members=1000, end=2030, variables=["gsat"], percentiles=[50])
    assert pct.gsat.dims == ("percentile", "year")
    fits = esm.ensemble("ssp245", members=100, end=2030, variables=["gsat", "co2"])  # 0.58 MB
    assert fits.sizes["member"] == 100
    kw = dict(members=1000, end=2030, variables=["gsat", "co2"])  # 5.84 MB
    monkeypatch.setattr(E, "available_memory", lambda: 1_000_000)
    with pytest.raises(E.EnsembleMemoryError):
        esm.ensemble("ssp245", **kw)
    monkeypatch.setattr(E, "available_memory", lambda: None)  # unknown: no check
    assert esm.ensemble("ssp245", **kw).sizes["member"] == 1000


# ------------------------------------------------------------------------------ store
def _must_not_run(*args, **kwargs):
    raise AssertionError("must not run")


class _Spy:
    """Records the member bounds of every chunk that is computed."""

    def __init__(self, monkeypatch):
        self.ran = []
        original = E._run_chunk

        def spy(*args, **kwargs):
            self.ran.append(tuple(args[-2:]))
            return original(*args, **kwargs)

        monkeypatch.setattr(E, "_run_chunk", spy)


def _rerun(tmp_path, monkeypatch, **kw):
    """(result, chunks computed, store warnings) of a rerun with the store."""
    spy = _Spy(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = esm.ensemble("ssp245", store=tmp_path, **{**SMALL, **kw})
    store = [str(w.message) for w in caught if "ensemble store" in str(w.message)]
    assert all(w.category is RuntimeWarning for w in caught if "ensemble store" in str(w.message))
    return ds, spy.ran, store


def _files(tmp_path):
    files = sorted(tmp_path.glob("esm-*-chunk*.nc"))
    assert len(files) == 4
    return files


def _warning(file, reason):
    return f"ensemble store: not reusing {file}: {reason}; recomputing the chunk"


@pytest.fixture(scope="module")
def fresh():
    return esm.ensemble("ssp245", **SMALL)


def test_resume_reuses_valid_chunks(tmp_path, monkeypatch, fresh):
    esm.ensemble("ssp245", store=tmp_path, **SMALL)
    _files(tmp_path)[3].unlink()  # an interrupted run
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(30, 40)] and store == []
    assert np.array_equal(again.gsat.values, fresh.gsat.values)
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [] and store == []
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


def test_chunk_copied_over_another_is_recomputed(tmp_path, monkeypatch, fresh):
    esm.ensemble("ssp245", store=tmp_path, **SMALL)
    files = _files(tmp_path)
    shutil.copyfile(files[1], files[2])
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(20, 30)]
    assert store == [
        _warning(files[2], "it holds members 10-20, not 20-30 (a chunk file copied over another?)")
    ]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)
    again, ran, store = _rerun(tmp_path, monkeypatch)  # the file was replaced by a valid one
    assert ran == [] and store == []


def test_chunk_of_other_parameters_is_recomputed(tmp_path, monkeypatch, fresh):
    other = tmp_path / "other"
    esm.ensemble("ssp245", store=other, **{**SMALL, "seed": 9})
    esm.ensemble("ssp245", store=tmp_path, **SMALL)
    files = _files(tmp_path)
    shutil.copyfile(_files(other)[0], files[0])  # same bounds, other members
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(0, 10)]
    assert store == [_warning(files[0], "its inputs or parameters differ from this run's")]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


def test_chunks_of_another_model_version_or_kernel_build_are_recomputed(
    tmp_path, monkeypatch, fresh
):
    version, build = runner._esm_version(), E.kernel_build()
    with monkeypatch.context() as m:
        m.setattr(runner, "_esm_version", lambda: "0.0.1")
        esm.ensemble("ssp245", store=tmp_path, **SMALL)
    files = _files(tmp_path)
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(0, 10), (10, 20), (20, 30), (30, 40)]
    assert store == [
        _warning(f, f"it was written by esm 0.0.1, this is esm {version}") for f in files
    ]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)

    other = tmp_path / "other_build"
    with monkeypatch.context() as m:
        m.setattr(E, "kernel_build", lambda: "0123456789abcdef")
        esm.ensemble("ssp245", store=other, **SMALL)
    again, ran, store = _rerun(other, monkeypatch)
    assert ran == [(0, 10), (10, 20), (20, 30), (30, 40)]
    reason = (
        f"it was written by kernel build 0123456789abcdef, this is {build} "
        "(kernel sources or numba changed)"
    )
    assert store == [_warning(f, reason) for f in _files(other)]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


def test_kernel_build_hashes_the_kernel_sources():
    assert re.fullmatch("[0-9a-f]{16}", E.kernel_build())


def test_truncated_or_foreign_chunk_files_are_recomputed(tmp_path, monkeypatch, fresh):
    esm.ensemble("ssp245", store=tmp_path, **SMALL)
    files = _files(tmp_path)
    data = files[1].read_bytes()
    files[1].write_bytes(data[: len(data) // 2])  # truncated
    xr.Dataset({"raw": (("a", "b"), np.zeros((2, 2)))}).to_netcdf(files[3])  # no key
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(10, 20), (30, 40)]
    assert len(store) == 2
    assert store[0].startswith(f"ensemble store: not reusing {files[1]}: it cannot be read (")
    assert store[0].endswith("); recomputing the chunk")
    assert store[1] == _warning(files[3], "it has no integrity key (written by an older esm)")
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


def test_altered_chunk_data_fail_the_checksum(tmp_path, monkeypatch, fresh):
    esm.ensemble("ssp245", store=tmp_path, **SMALL)
    files = _files(tmp_path)
    with xr.open_dataset(files[2]) as ds:
        ds = ds.load()
    ds["values"][0, 3, 100] += 1e-9  # attributes (key and checksum) kept
    ds.to_netcdf(files[2])
    again, ran, store = _rerun(tmp_path, monkeypatch)
    assert ran == [(20, 30)]
    assert store == [
        _warning(files[2], "its data do not match their sha256 checksum (altered or corrupted)")
    ]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


def test_percentile_store_recomputes_bad_histogram_chunks(tmp_path, monkeypatch):
    table = params.sample_prior(2048, seed=0)
    kw = dict(members=1030, source=table, end=2030, variables=["gsat"], chunk_size=10)
    kw["percentiles"] = [5, 50, 95]
    fresh = esm.ensemble("ssp245", **kw)
    esm.ensemble("ssp245", store=tmp_path, **kw)
    files = sorted(tmp_path.glob("esm-*-chunk*.nc"))
    assert len(files) == 4  # the pilot chunk of 1000 members, then 3 of 10
    with xr.open_dataset(files[0]) as ds:
        ds = ds.load()
    ds["counts"][5, 0, 2000] += 1
    ds.to_netcdf(files[0])
    shutil.copyfile(files[1], files[3])
    spy = _Spy(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = esm.ensemble("ssp245", store=tmp_path, **kw)
    assert spy.ran == [(0, 1000), (1020, 1030)]
    assert [str(w.message) for w in caught] == [
        _warning(files[0], "its data do not match their sha256 checksum (altered or corrupted)"),
        _warning(
            files[3],
            "it holds members 1000-1010, not 1020-1030 (a chunk file copied over another?)",
        ),
    ]
    assert np.array_equal(again.gsat.values, fresh.gsat.values)


# ------------------------------------------------------------------------------ plume figure
@pytest.fixture(scope="module")
def pct_10_90():
    return esm.ensemble(
        "ssp245", members=30, end=2030, variables=["gsat", "co2"], percentiles=[10, 90]
    )


def _labels(ax):
    return sorted(ax.get_legend_handles_labels()[1])


def test_plot_of_percentiles_without_median_draws_the_band(pct_10_90, tmp_path):
    fig = plotting.ensemble_figure(pct_10_90)
    axes = fig.axes
    assert len(axes) == 2
    for ax in axes:
        fills = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert [c.get_label() for c in fills] == ["model 10-90 %"]
    assert _labels(axes[0]) == ["model 10-90 %", "observed GMST (AR6)"]
    assert _labels(axes[1]) == ["model 10-90 %", "observed (AR6 / IGCC)"]
    path = plotting.plot_ensemble(pct_10_90, tmp_path / "plume.png")
    assert path.stat().st_size > 0


def test_plot_draws_every_stored_percentile(pct_10_90):
    ds = esm.ensemble("ssp245", members=30, end=2030, variables=["gsat"], percentiles=[90, 30, 10])
    ax = plotting.ensemble_figure(ds).axes[0]
    assert _labels(ax) == ["model 10-90 %", "model 30 %", "observed GMST (AR6)"]
    ds = esm.ensemble("ssp245", members=30, end=2030, variables=["gsat"], percentiles=[50])
    assert _labels(plotting.ensemble_figure(ds).axes[0]) == ["model median", "observed GMST (AR6)"]
    full = esm.ensemble("ssp245", members=30, end=2030, variables=["gsat"])
    assert _labels(plotting.ensemble_figure(full).axes[0]) == [
        "model 17-83 %",
        "model 5-95 %",
        "model median",
        "observed GMST (AR6)",
    ]


def test_plot_of_nothing_is_an_error(pct_10_90, tmp_path):
    with pytest.raises(ValueError) as err:
        plotting.plot_ensemble(pct_10_90.isel(percentile=[]), tmp_path / "empty.png")
    assert (
        str(err.value) == "plot_ensemble: the ensemble has no percentiles (size 0); nothing to draw"
    )
    with pytest.raises(ValueError) as err:
        plotting.plot_ensemble(pct_10_90.isel(percentile=0), tmp_path / "empty.png")
    assert str(err.value) == (
        "plot_ensemble: the Dataset has neither a 'member' nor a 'percentile' dimension; "
        "pass the result of esm.ensemble (esm.plotting.plot_run draws a single run)"
    )
    assert not (tmp_path / "empty.png").exists()


# ------------------------------------------------------------------------------ failed members
def _table_with_a_failing_member():
    """Four posterior members; member 1 gets a climate feedback of -0.2 W m-2 K-1 (ECS about
    20 K, at the bound of its range), whose SSP5-8.5 run leaves the physical range by 2300."""
    table = params.posterior().iloc[:4].reset_index(drop=True)
    table.index.name = "member"
    table.loc[1, "climate_feedback"] = -0.2
    return table


FAILING = dict(scenario="ssp585", members=4, end=2300, variables=["gsat", "co2"], chunk_size=2)


def test_a_failed_member_stops_the_ensemble_by_default():
    with pytest.raises(runner.ModelError, match=r"^member 1 of 4: in year 2\d{3} "):
        esm.ensemble(source=_table_with_a_failing_member(), **FAILING)


def test_failed_drop_leaves_the_member_out_of_the_full_output():
    table = _table_with_a_failing_member()
    with pytest.warns(RuntimeWarning, match=r"^1 of 4 members \(25 %\) failed and are left out"):
        ens = esm.ensemble(source=table, failed="drop", **FAILING)
    assert ens.attrs["failed_members"] == 1 and list(ens.attrs["failed_member_ids"]) == [1]
    assert bool(ens.gsat.sel(member=1).isnull().all())
    good = esm.ensemble(source=table.drop(index=1), **{**FAILING, "members": 3})
    for var in ("gsat", "co2"):  # the other members are untouched, bit for bit
        np.testing.assert_array_equal(ens[var].sel(member=[0, 2, 3]).values, good[var].values)


def test_failed_drop_leaves_the_member_out_of_the_percentiles():
    table = _table_with_a_failing_member()
    pct = dict(FAILING, percentiles=[0, 50, 100])
    with pytest.warns(RuntimeWarning, match="left out of the percentiles"):
        ens = esm.ensemble(source=table, failed="drop", **pct)
    assert ens.attrs["failed_members"] == 1 and "failed_member_ids" not in ens.attrs
    full = esm.ensemble(source=table.drop(index=1), **{**FAILING, "members": 3})
    for var in ("gsat", "co2"):  # 0 and 100 are the exact extremes of the members kept
        np.testing.assert_array_equal(ens[var].sel(percentile=0), full[var].min("member"))
        np.testing.assert_array_equal(ens[var].sel(percentile=100), full[var].max("member"))


def test_failed_must_be_a_known_choice():
    with pytest.raises(ValueError, match=r"^failed must be one of error, drop, not 'skip'$"):
        esm.ensemble(members=2, end=2030, failed="skip")


@pytest.mark.parametrize("source", ["prior", "posterior", "table"])
def test_percentile_members_are_drawn_chunk_by_chunk_as_draw_gives_them(source):
    """The rows a percentile ensemble makes per chunk are bit for bit those of draw()."""
    src = params.posterior().iloc[:30] if source == "table" else source
    whole = E.draw(30, seed=3, source=src).drop(columns=["posterior_member"], errors="ignore")
    whole["aci_beta"] = -1.0
    expected = params.matrix(whole)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol' balance of a sample that is not 2**k long
        rows = E._DrawnRows(30, 3, src, {"aci_beta": -1.0})
        got = np.concatenate([rows.rows(a, min(a + 7, 30)) for a in range(0, 30, 7)])
    np.testing.assert_array_equal(got, expected)
