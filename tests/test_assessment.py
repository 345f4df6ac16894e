"""The posterior assessment (esm.validate.assessment): every quantity, ordered percentiles,
ranges from validation/targets.csv, calibration targets marked; the command lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from esm import cli, metrics, validate

#: Quantities the assessment must have (the project issue), and which are calibrated.
SSPS = ("ssp119", "ssp126", "ssp245", "ssp370", "ssp585")
CALIBRATED = (
    "ecs",
    "tcr",
    "gsat_1995_2014",
    "ohc_ocean_1971_2018",
    "gcb_2011_2020_ocean_sink",
    "gcb_2011_2020_land_sink",
    "co2_2019",
    "ch4_2019",
    "n2o_2019",
    "erf_aerosol_ari_2005_2014",
    "erf_aerosol_aci_2005_2014",
)
VALIDATION_ONLY = (
    "tcre",
    "zec50",
    "airborne_fraction_2x",
    *(f"gsat_2081_2100_{s}" for s in SSPS),
    *(f"co2_2100_{s}" for s in SSPS),
)
REQUIRED = (
    *CALIBRATED,
    *VALIDATION_ONLY,
    "beta_land",
    "beta_ocean",
    "gamma_land",
    "gamma_ocean",
    "erf_aerosol_2005_2014",
)

#: AR6 WGI Table SPM.1, GSAT 2081-2100 vs 1850-1900: best estimate and very likely range.
SPM1 = {
    "ssp119": (1.4, 1.0, 1.8),
    "ssp126": (1.8, 1.3, 2.4),
    "ssp245": (2.7, 2.1, 3.5),
    "ssp370": (3.6, 2.8, 4.6),
    "ssp585": (4.4, 3.3, 5.7),
}


@pytest.fixture(scope="module")
def assessed() -> pd.DataFrame:
    return validate.assessment(members=40)


def test_a_row_per_quantity_with_finite_values(assessed):
    assert set(REQUIRED) <= set(assessed.index)
    assert list(assessed.index) == [q.name for q in validate.QUANTITIES]
    assert assessed.attrs["members"] == 40
    pct = assessed[list(metrics.PERCENTILE_COLUMNS)].to_numpy(float)
    assert np.isfinite(pct).all()
    assert (np.diff(pct, axis=1) >= 0).all()
    assert np.isfinite(assessed["value"].to_numpy(float)).all()
    assert (assessed["units"] != "").all() and (assessed["source"] != "").all()


def test_calibration_targets_are_marked(assessed):
    for name in CALIBRATED:
        assert assessed.loc[name, "calibrated"], name
        assert assessed.loc[name, "constraint"], name
    for name in VALIDATION_ONLY:
        assert not assessed.loc[name, "calibrated"], name
        assert assessed.loc[name, "constraint"] == "", name


def test_ranges_come_from_the_targets(assessed, targets):
    for name, r in assessed.iterrows():
        t = targets.loc[r["target"]]
        assert r["value"] == t["value"] and r["kind"] == t["kind"], name
        ranged = np.isfinite(r["low"]) and np.isfinite(r["high"])
        assert ranged == (t["kind"] != "none"), name
        if ranged:
            assert r["low"] <= r["value"] <= r["high"], name
    for ssp, (best, low, high) in SPM1.items():
        r = assessed.loc[f"gsat_2081_2100_{ssp}"]
        assert (r["value"], r["low"], r["high"], r["kind"]) == (best, low, high, "very_likely")
        co2 = assessed.loc[f"co2_2100_{ssp}"]
        assert co2["kind"] == "none" and 390 < co2["value"] < 1140
    assert assessed.loc["ecs", "likely_low"] == 2.5 and assessed.loc["ecs", "likely_high"] == 4


def test_first_members_of_the_posterior_match_the_metrics_table(assessed):
    """The idealised-experiment rows are the percentiles of esm.metrics.table(members=N)."""
    table = metrics.table(members=40)
    for name in ("ecs", "tcr", "tcre", "zec50", "beta_land", "airborne_fraction_2x"):
        for c in metrics.PERCENTILE_COLUMNS:
            assert assessed.loc[name, c] == pytest.approx(table.loc[name, c], rel=1e-12)


def test_history_rows_are_the_ensemble_history(assessed):
    """History quantities from the SSP2-4.5 ensemble equal those of single runs of the same
    members (gsat relative to 1850-1900)."""
    import esm
    from esm.params import posterior

    post = posterior()
    values = []
    for i in range(3):
        ds = esm.run("ssp245", params=post.iloc[i].to_dict(), end=2022)
        values.append(float(ds["gsat"].sel(year=slice(1995, 2014)).mean()))
    three = validate.assessment(members=3)
    assert three.loc["gsat_1995_2014", "p50"] == pytest.approx(np.median(values), rel=1e-9)


def test_format_assessment(assessed):
    text = validate.format_assessment(assessed)
    assert "p17" in text.splitlines()[0] and "ch4_2019" in text
    assert "first 40 members" in text


def test_cli_metrics_members_prints_percentiles(capsys, tmp_path):
    out_csv = tmp_path / "m.csv"
    assert cli.main(["metrics", "--members", "20", "--csv", str(out_csv)]) == 0
    text = capsys.readouterr().out
    header = next(line for line in text.splitlines() if line.startswith("metric"))
    assert header.split()[1:6] == ["p5", "p17", "p50", "p83", "p95"]
    assert "first 20 members" in text and "tcre_change_flat10" in text
    table = pd.read_csv(out_csv, index_col=0)
    assert list(table.columns[:5]) == ["p5", "p17", "p50", "p83", "p95"]


def test_cli_validate_members_prints_the_assessment(capsys):
    assert cli.main(["validate", "--members", "10"]) == 0
    text = capsys.readouterr().out
    assert "posterior assessment, first 10 members" in text
    assert "gsat_2081_2100_ssp585" in text


@pytest.mark.parametrize("argv", [["metrics", "--members", "0"], ["validate", "--members", "-3"]])
def test_cli_rejects_bad_member_counts(capsys, argv):
    assert cli.main(argv) == 2
    assert "--members" in capsys.readouterr().err
