"""Emergent climate and carbon-cycle metrics from the standard experiments.

Definitions (years are CMIP experiment years, 1 = the first year of the experiment):

* ``ecs`` [K]: EBM-analytic equilibrium climate sensitivity, -F2x / lambda, with F2x the
  model's ERF of doubled CO2 (``ecs_gregory``: Gregory et al. 2004 regression of the TOA
  imbalance on GSAT over years 1-150 of abrupt-4xCO2, divided by 2, for comparison with CMIP);
* ``tcr`` [K]: mean GSAT of years 61-80 of 1pctCO2;
* ``tcre`` [K per 1000 GtC]: mean GSAT over years 61-80 of 1pctCO2 divided by the mean
  cumulative compatible emissions over the same years;
* ``zec50`` [K]: mean GSAT of years 41-60 after emissions stop in esm-1pct-brch-1000PgC minus
  the 20-yr mean GSAT of 1pctCO2 centred on the year emissions stop (MacDougall et al. 2020);
* ``beta_land``, ``beta_ocean`` [GtC ppm-1] and ``gamma_land``, ``gamma_ocean`` [GtC K-1]:
  Friedlingstein et al. (2006) / Arora et al. (2020) feedback parameters from 1pctCO2 (COU) and
  1pctCO2-bgc (BGC) at the end of year 70 (2xCO2) and 140 (4xCO2): beta = dC_BGC / dCO2,
  gamma = (dC_COU - dC_BGC) / dT_COU (the BGC run has no warming here, so this is exact);
* ``airborne_fraction_2x``/``_4x``: atmospheric CO2 increase over cumulative compatible
  emissions in 1pctCO2 at the end of years 70 / 140;
* ``tcre_spread_1pct``, ``tcre_spread_flat10``: linearity of warming in cumulative
  emissions: (max - min) / mean of GSAT / cumulative emissions over the part of esm-1pctCO2
  (years 20-140) and esm-flat10 (years 20-100) with cumulative emissions above 200 GtC;
* ``tcre_change_flat10``: relative change of GSAT / cumulative emissions along esm-flat10 from
  the year cumulative emissions reach 200 GtC to the year they reach 1000 GtC (ratio at 1000
  GtC / ratio at 200 GtC - 1; emissions summed to the end of each year as for ``tcre``, the
  ratio interpolated linearly on them); positive when warming per unit emission grows.

One implementation serves one parameter set and many: :func:`compute_members` runs every
experiment once for all members (one kernel call per :data:`CHUNK` members, threads over
members; the emission-driven branches get each member's own compatible emissions of 1pctCO2)
and evaluates each metric on arrays with a member axis. :func:`compute` is that with one member, and
``table(members=N)`` summarises the first N members of the shipped posterior by percentiles.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from esm import experiments as X
from esm import params as _params
from esm import runner
from esm.constants import GTC_PER_PPM
from esm.kernels.forcing import co2_sarf_meinshausen2020

#: Units and one-line meaning of each metric.
METRICS = {
    "ecs": ("K", "equilibrium climate sensitivity (EBM-analytic, -F2x / lambda)"),
    "ecs_gregory": ("K", "ECS from a Gregory regression of abrupt-4xCO2 years 1-150, / 2"),
    "tcr": ("K", "transient climate response, 1pctCO2 years 61-80"),
    "tcre": ("K (1000 GtC)-1", "transient climate response to cumulative CO2 emissions"),
    "zec50": ("K", "zero emissions commitment 50 yr after 1000 GtC (esm-1pct-brch-1000PgC)"),
    "beta_land_2x": ("GtC ppm-1", "land carbon-concentration feedback at 2xCO2"),
    "beta_ocean_2x": ("GtC ppm-1", "ocean carbon-concentration feedback at 2xCO2"),
    "gamma_land_2x": ("GtC K-1", "land carbon-climate feedback at 2xCO2"),
    "gamma_ocean_2x": ("GtC K-1", "ocean carbon-climate feedback at 2xCO2"),
    "beta_land": ("GtC ppm-1", "land carbon-concentration feedback at 4xCO2"),
    "beta_ocean": ("GtC ppm-1", "ocean carbon-concentration feedback at 4xCO2"),
    "gamma_land": ("GtC K-1", "land carbon-climate feedback at 4xCO2"),
    "gamma_ocean": ("GtC K-1", "ocean carbon-climate feedback at 4xCO2"),
    "airborne_fraction_2x": ("1", "airborne fraction of cumulative emissions, 1pctCO2 at 2x"),
    "airborne_fraction_4x": ("1", "airborne fraction of cumulative emissions, 1pctCO2 at 4x"),
    "tcre_spread_1pct": ("1", "(max-min)/mean of GSAT per cumulative emission, esm-1pctCO2"),
    "tcre_spread_flat10": ("1", "(max-min)/mean of GSAT per cumulative emission, esm-flat10"),
    "tcre_change_flat10": ("1", "change of GSAT per cumulative emission, 200->1000 GtC, flat10"),
}

#: Targets of validation/targets.csv that each metric is compared with.
TARGETS = {
    "ecs": ("ecs_likely",),
    "tcr": ("tcr_likely",),
    "tcre": ("tcre_likely", "cmip6_tcre"),
    "zec50": ("zec50_project", "zecmip_zec50"),
    "beta_land": ("cmip6_beta_land",),
    "beta_ocean": ("cmip6_beta_ocean",),
    "gamma_land": ("cmip6_gamma_land",),
    "gamma_ocean": ("cmip6_gamma_ocean",),
    "airborne_fraction_2x": ("af_1pct_2x_project",),
}

#: Output variables the metrics need.
VARIABLES = [
    "co2",
    "gsat",
    "ocean_sink",
    "land_sink",
    "emissions_co2_fossil",
    "toa_imbalance",
    "cumulative_emissions_co2",
]

#: Experiments the metrics need, in the order they run (1pctCO2 first: the emission-driven
#: esm-1pctCO2 and its ZEC branch use each member's compatible emissions of 1pctCO2).
EXPERIMENTS = (
    "1pctCO2",
    "1pctCO2-bgc",
    "abrupt-4xCO2",
    "esm-1pct-brch-1000PgC",
    "esm-1pctCO2",
    "esm-flat10",
)

#: Percentiles of ``table(members=N)`` and their column names.
PERCENTILES = (5, 17, 50, 83, 95)
PERCENTILE_COLUMNS = tuple(f"p{p}" for p in PERCENTILES)

#: Members per kernel call (the emission-driven branches carry one emission set per member).
CHUNK = 1000

#: Cumulative emissions [GtC] between which ``tcre_change_flat10`` is measured.
TCRE_CHANGE_RANGE = (200.0, 1000.0)


# ------------------------------------------------------------------------------ definitions
# Every definition works on one member (1-D series, floats out) or many (arrays with the
# member axis first and years last, one value per member out).
def _scalar(x):
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


def window_mean(values: np.ndarray, first: int, last: int):
    """Mean over CMIP experiment years ``first``-``last`` (inclusive) of a series whose
    position 0 is the spin-up year (last axis; a float for one series)."""
    return _scalar(np.mean(np.asarray(values)[..., first : last + 1], axis=-1))


def _window_mean_from(values: np.ndarray, start: np.ndarray, length: int) -> np.ndarray:
    """Mean of ``values[m, start[m] : start[m] + length]`` for every member ``m``."""
    idx = np.asarray(start)[:, None] + np.arange(length)
    return np.ascontiguousarray(np.take_along_axis(values, idx, axis=1)).mean(axis=1)


def tcre(gsat: np.ndarray, emissions: np.ndarray) -> np.ndarray:
    """TCRE [K per 1000 GtC]: mean GSAT of 1pctCO2 experiment years 61-80 (around doubling)
    over the mean cumulative CO2 emissions of the same years, per row (last axis: years)."""
    cum = np.cumsum(emissions, axis=-1)
    return window_mean(gsat, 61, 80) / window_mean(cum, 61, 80) * 1000.0


def gregory(temperature: np.ndarray, imbalance: np.ndarray):
    """Least-squares line N = F + lambda T along the last axis: (F [W m-2], lambda
    [W m-2 K-1]), floats for one series."""
    t = np.asarray(temperature, dtype=float)
    n = np.asarray(imbalance, dtype=float)
    t_mean = t.mean(axis=-1, keepdims=True)
    n_mean = n.mean(axis=-1, keepdims=True)
    dt = t - t_mean
    slope = (dt * (n - n_mean)).sum(axis=-1) / (dt * dt).sum(axis=-1)
    intercept = n_mean[..., 0] - slope * t_mean[..., 0]
    return _scalar(intercept), _scalar(slope)


def feedbacks(cou: xr.Dataset, bgc: xr.Dataset, year: int) -> dict:
    """beta and gamma [GtC ppm-1, GtC K-1] at the end of experiment year ``year`` (floats for
    single runs, one value per member for runs with a member axis)."""
    i = int(year)  # position of experiment year ``year`` (position 0 = spin-up year)
    d_co2 = X.CO2_PICONTROL * (1.01**year - 1.0)  # prescribed end-of-year CO2 change

    def total(ds, var):
        return np.asarray(ds[var].values)[..., : i + 1].sum(axis=-1)

    land_cou, land_bgc = total(cou, "land_sink"), total(bgc, "land_sink")
    ocean_cou, ocean_bgc = total(cou, "ocean_sink"), total(bgc, "ocean_sink")
    d_t = window_mean(cou["gsat"].values, year - 9, year + 10)
    return {
        "beta_land": _scalar(land_bgc / d_co2),
        "beta_ocean": _scalar(ocean_bgc / d_co2),
        "gamma_land": _scalar((land_cou - land_bgc) / d_t),
        "gamma_ocean": _scalar((ocean_cou - ocean_bgc) / d_t),
    }


def _tcre_spread(ds: xr.Dataset, first: int, last: int):
    cum = np.asarray(ds["cumulative_emissions_co2"].values)[..., first : last + 1]
    t = np.asarray(ds["gsat"].values)[..., first : last + 1]
    keep = cum > 200.0
    ratio = np.where(keep, t / np.where(keep, cum, 1.0), np.nan)
    spread = (np.nanmax(ratio, axis=-1) - np.nanmin(ratio, axis=-1)) / np.nanmean(ratio, axis=-1)
    return _scalar(spread)


def _ratio_at(cum: np.ndarray, t: np.ndarray, target: float) -> np.ndarray:
    """GSAT / cumulative emissions at cumulative emissions ``target``, linear in cumulative
    emissions between the two years around it, per member (NaN where never reached)."""
    cum, t = np.atleast_2d(cum), np.atleast_2d(t)
    reached = cum >= target
    j = np.argmax(reached, axis=1)  # first year at or above the target
    ok = reached.any(axis=1) & (j > 0)
    j = np.where(ok, j, 1)
    rows = np.arange(cum.shape[0])
    c0, c1 = cum[rows, j - 1], cum[rows, j]
    r1 = t[rows, j] / c1
    with np.errstate(divide="ignore", invalid="ignore"):
        r0 = np.where(c0 > 0, t[rows, j - 1] / c0, r1)
        w = np.where(c1 > c0, (target - c0) / (c1 - c0), 1.0)
    return np.where(ok, r0 + w * (r1 - r0), np.nan)


def _tcre_change(ds: xr.Dataset, low: float = 200.0, high: float = 1000.0):
    """ratio(high) / ratio(low) - 1 of GSAT / cumulative emissions, with the emissions summed
    to the end of each year (as for ``tcre``; esm-flat10 reaches 200 and 1000 GtC at the end
    of years 20 and 100) and the ratio interpolated linearly on them."""
    cum = np.cumsum(np.asarray(ds["emissions_co2_fossil"].values), axis=-1)
    t = np.asarray(ds["gsat"].values)
    change = _ratio_at(cum, t, high) / _ratio_at(cum, t, low) - 1.0
    return _scalar(change if cum.ndim > 1 else change[0])


def _f2x(pm: np.ndarray) -> np.ndarray:
    """ERF of doubled pre-industrial CO2 [W m-2] of every member (as esm.diagnostics.f2x)."""
    idx = _params.PARAMETERS_INDEX
    c0, n0 = pm[:, idx["co2_pi"]], pm[:, idx["n2o_pi"]]
    pairs, inverse = np.unique(np.stack([c0, n0], axis=1), axis=0, return_inverse=True)
    sarf = np.array(
        [co2_sarf_meinshausen2020(2.0 * c, n) - co2_sarf_meinshausen2020(c, n) for c, n in pairs]
    )
    scale = (1.0 + pm[:, idx["adjustment_co2"]]) * pm[:, idx["erf_scale_co2"]]
    return sarf[inverse.ravel()] * scale


# ------------------------------------------------------------------------------ members
def parameter_table(
    params: Mapping[str, float] | None = None, members: int | None = None
) -> pd.DataFrame:
    """Parameter sets (rows = members) of a metrics run.

    ``members=None``: one member, the defaults updated with ``params``. ``members=N``: the
    first N members of the shipped posterior (``esm.params.posterior()``), each with
    ``params`` applied on top.
    """
    if members is None:
        table = pd.DataFrame([dict(params or {})], index=pd.RangeIndex(1, name="member"))
    else:
        if int(members) < 1:
            raise ValueError(f"members must be a positive integer, not {members}")
        post = _params.posterior()
        if int(members) > len(post):
            raise ValueError(f"the shipped posterior has {len(post)} members, not {members}")
        table = post.iloc[: int(members)].copy()
        for name, value in (params or {}).items():
            table[name] = value
    for name in table.columns:
        _params.check_name(name)
    return table


def _experiment_inputs(name: str, table: pd.DataFrame, pm: np.ndarray, compatible=None):
    """(years, emission sets, natural, CO2 targets per set, member -> set, parameter matrix)
    of experiment ``name`` for every member, as :func:`esm.experiments.setup` builds them for
    one: the experiment's defaults (CMIP piControl CO2, protocol) unless a member sets the
    parameter, its switches always; ``compatible[m]``: member m's compatible emissions of
    1pctCO2 for the emission-driven branches that use them."""
    exp = X.EXPERIMENTS[name]
    forced = {k for k, _ in exp.switches}
    if "co2_pi" in table.columns:  # the CO2 targets depend on the member's pre-industrial CO2
        keys, group = np.unique(table["co2_pi"].to_numpy(float), return_inverse=True)
        values = [{"co2_pi": float(k)} for k in keys]
    else:
        group, values = np.zeros(len(table), dtype=np.int64), [None]
    group = np.asarray(group, dtype=np.int64).ravel()
    names = list(_params.PARAMETERS)  # kernel order
    pm = pm.copy()
    sets_emis, sets_co2 = [], []
    for g, v in enumerate(values):
        _, years, emis, natural, co2_end, pvec = X.setup(name, v)
        changed = np.nonzero(pvec != _params.vector(v))[0]  # set by the experiment
        rows = group == g
        for j in changed:
            if names[j] in forced or names[j] not in table.columns:
                pm[rows, j] = pvec[j]
        sets_emis.append(emis)
        sets_co2.append(co2_end)
    emis_sets, co2_sets = np.stack(sets_emis), np.stack(sets_co2)
    index = group
    if exp.emissions in ("esm-1pct", "zec1000"):  # each member its own emissions
        from esm.kernels import layout

        e = X.branch_emissions(exp.emissions, compatible, years.size)
        emis_sets = emis_sets[group]  # a copy: one emission set per member
        emis_sets[:, :, layout.E_CO2_FOSSIL] = e
        co2_sets = co2_sets[group]
        index = np.arange(len(table))
    return years, emis_sets, natural, co2_sets, index, pm


def run_experiments(
    table: pd.DataFrame | None = None,
    variables=VARIABLES,
    experiments=EXPERIMENTS,
    substeps: int = runner.SUBSTEPS,
) -> dict[str, xr.Dataset]:
    """Run each of ``experiments`` once for every member of ``table`` (default: one member
    with default parameters): Datasets with a ``member`` dimension, ``gsat`` relative to the
    pre-industrial steady state, as :func:`esm.experiments.run` gives for one member."""
    table = parameter_table() if table is None else table
    pm = _params.matrix(table)
    names = list(variables)
    if "emissions_co2_fossil" not in names:
        names.append("emissions_co2_fossil")
    runs: dict[str, xr.Dataset] = {}
    n = len(table)
    for name in experiments:
        compatible = None
        if X.EXPERIMENTS[name].emissions in ("esm-1pct", "zec1000"):
            if "1pctCO2" not in runs:
                runs["1pctCO2"] = run_experiments(table, names, ("1pctCO2",), substeps)["1pctCO2"]
            compatible = runs["1pctCO2"]["emissions_co2_fossil"].values
        parts = []  # one kernel call per CHUNK members (bounds the per-member emission sets)
        for a in range(0, n, CHUNK):
            b = min(a + CHUNK, n)
            years, emis, natural, co2_end, index, pm_exp = _experiment_inputs(
                name, table.iloc[a:b], pm[a:b], None if compatible is None else compatible[a:b]
            )
            raw, needed, _ = runner.integrate(
                emis, natural, co2_end, pm_exp, substeps, names, emis_index=index, years=years
            )
            parts.append(raw)
        raw = parts[0] if len(parts) == 1 else np.concatenate(parts)
        ds = runner.to_dataset(
            years, raw, needed, names, {"experiment": name}, member_dim=True, gsat_reference=None
        )
        runs[name] = ds.assign_coords(
            member=table.index.values, experiment_year=("year", years - X.YEAR1 + 1)
        )
    return {name: runs[name] for name in experiments}


def compute_members(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every metric of :data:`METRICS` for every member of ``table`` (rows = members, columns
    = parameters; default: one member with default parameters). Each experiment runs once for
    all members."""
    table = parameter_table() if table is None else table
    pm = _params.matrix(table)
    runs = run_experiments(table)
    cou, bgc, abrupt = runs["1pctCO2"], runs["1pctCO2-bgc"], runs["abrupt-4xCO2"]
    zec, esm1, flat = runs["esm-1pct-brch-1000PgC"], runs["esm-1pctCO2"], runs["esm-flat10"]
    cou_t = cou["gsat"].values

    out: dict[str, np.ndarray] = {}
    out["ecs"] = -_f2x(pm) / pm[:, _params.PARAMETERS_INDEX["climate_feedback"]]
    f4x, lam = gregory(abrupt["gsat"].values[:, 1:151], abrupt["toa_imbalance"].values[:, 1:151])
    out["ecs_gregory"] = -f4x / lam / 2.0
    out["tcr"] = window_mean(cou_t, 61, 80)
    out["tcre"] = tcre(cou_t, cou["emissions_co2_fossil"].values)
    cum = np.cumsum(cou["emissions_co2_fossil"].values, axis=1)
    # ZEC: emissions stop after the last emitting year of the branch
    e = zec["emissions_co2_fossil"].values
    stop = e.shape[1] - 1 - np.argmax((e > 0)[:, ::-1], axis=1)
    t_cessation = _window_mean_from(cou_t, stop - 9, 20)
    out["zec50"] = _window_mean_from(zec["gsat"].values, stop + 41, 20) - t_cessation
    rows = np.arange(len(table))
    for year, suffix in ((70, "_2x"), (140, "")):
        for k, v in feedbacks(cou, bgc, year).items():
            out[k + suffix] = np.asarray(v)
        d_atm = X.CO2_PICONTROL * (1.01**year - 1.0) * GTC_PER_PPM
        out["airborne_fraction" + (suffix or "_4x")] = d_atm / cum[rows, year]
    out["tcre_spread_1pct"] = np.asarray(_tcre_spread(esm1, 20, 140))
    out["tcre_spread_flat10"] = np.asarray(_tcre_spread(flat, 20, 100))
    out["tcre_change_flat10"] = np.asarray(_tcre_change(flat, *TCRE_CHANGE_RANGE))
    df = pd.DataFrame({k: np.asarray(out[k], dtype=float) for k in METRICS}, index=table.index)
    df.index.name = "member"
    return df


def compute(params: Mapping[str, float] | None = None) -> dict[str, float]:
    """All metrics of :data:`METRICS` for the parameter values (defaults when None): the
    one-member case of :func:`compute_members`."""
    row = compute_members(parameter_table(params)).iloc[0]
    return {k: float(row[k]) for k in METRICS}


def percentiles(values: pd.DataFrame, q=PERCENTILES) -> pd.DataFrame:
    """Unweighted percentiles ``q`` of each column over the members (rows: columns of
    ``values``, columns ``p5`` ...)."""
    pct = np.percentile(values.to_numpy(float), q, axis=0)
    return pd.DataFrame(pct.T, index=values.columns, columns=[f"p{p:g}" for p in q])


# ------------------------------------------------------------------------------ tables
def table(params: Mapping[str, float] | None = None, members: int | None = None) -> pd.DataFrame:
    """Metrics as a DataFrame (``esm metrics`` prints it).

    Parameters
    ----------
    params
        Parameter overrides by name (applied to every member).
    members
        ``None``: one member with the default parameters; ``N``: the first N members of the
        shipped posterior, run as one batch per experiment.

    Returns
    -------
    pandas.DataFrame
        One row per metric of :data:`METRICS`. One member: columns value, units, meaning, and
        for metrics with targets (:data:`TARGETS`) the ``range`` of the first target, its
        ``kind`` and ``inside`` (True/False). ``members=N``: columns p5, p17, p50, p83, p95
        (unweighted percentiles over the members), units, meaning, target, low, high, kind.
    """
    from esm import observations

    targets = observations.load("targets")
    if members is not None:
        values = compute_members(parameter_table(params, members))
        pct = percentiles(values)
        rows = []
        for k in METRICS:
            row = {"metric": k, **pct.loc[k].to_dict(), "units": METRICS[k][0]}
            row.update(meaning=METRICS[k][1], target="", low=np.nan, high=np.nan, kind="")
            if k in TARGETS:
                t = targets.loc[TARGETS[k][0]]
                row.update(target=TARGETS[k][0], low=t["low"], high=t["high"], kind=t["kind"])
            rows.append(row)
        df = pd.DataFrame(rows).set_index("metric")
        df.attrs["members"] = len(values)
        return df

    values = compute(params)
    rows = []
    for k in METRICS:
        row = {
            "metric": k,
            "value": values[k],
            "units": METRICS[k][0],
            "meaning": METRICS[k][1],
            "target": "",
            "low": np.nan,
            "high": np.nan,
            "inside": np.nan,
        }
        if k in TARGETS:
            t = targets.loc[TARGETS[k][0]]
            row.update(
                target=TARGETS[k][0],
                low=t["low"],
                high=t["high"],
                inside=bool(t["low"] <= values[k] <= t["high"]),
            )
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


def format_table(df: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`table` (either form)."""
    if "value" not in df.columns:
        return _format_percentiles(df)
    lines = [f"{'metric':22s} {'value':>9s}  {'units':15s} {'range (target)':34s} status"]
    for name, r in df.iterrows():
        rng = ""
        status = ""
        if r["target"]:
            rng = f"[{r['low']:.3g}, {r['high']:.3g}] ({r['target']})"
            status = "inside" if r["inside"] else "OUTSIDE"
        lines.append(f"{name:22s} {r['value']:9.4g}  {r['units']:15s} {rng:34s} {status}")
    return "\n".join(lines)


def _format_percentiles(df: pd.DataFrame) -> str:
    cols = [c for c in df.columns if c.startswith("p") and c[1:].replace(".", "").isdigit()]
    head = " ".join(f"{c:>9s}" for c in cols)
    lines = [f"{'metric':22s} {head}  {'units':15s} range (target)"]
    for name, r in df.iterrows():
        rng = ""
        if r["target"]:
            rng = f"[{r['low']:.3g}, {r['high']:.3g}] {r['kind']} ({r['target']})"
        values = " ".join(f"{r[c]:9.4g}" for c in cols)
        lines.append(f"{name:22s} {values}  {r['units']:15s} {rng}")
    return "\n".join(lines)
