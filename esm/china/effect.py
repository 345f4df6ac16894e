"""The climate effect of a China pathway, lever by lever, with ensemble uncertainty; and
China's contribution to historical warming.

Every case is a complete global scenario (rest of the world + China); all cases and members
run in one kernel call, member m using the same parameters in every case, so differences are
paired (the spread is that of the effect, not of the climate).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from esm import metadata, runner, scenarios
from esm.china import emissions as P
from esm.china import levers as L
from esm.constants import GTCO2_PER_GTC
from esm.kernels.layout import SPECIES_NAMES
from esm.scenarios import ScenarioError

VARIABLES = ["co2", "erf", "gsat", "cumulative_emissions_co2"]
CHINA_VARIABLES = ("gross_fossil", "ccus", "ecosystem_sink", "conservation")


def _levers(x, **overrides) -> L.Levers:
    if isinstance(x, L.Levers):
        return x.replace(**overrides) if overrides else x
    return L.preset(x, **overrides)


def _members(members: int, seed: int) -> pd.DataFrame:
    """Parameter table (rows = members): one row of defaults for ``members=1``, else members
    drawn from the shipped posterior."""
    from esm._checks import check_count

    members = check_count("members", members)
    seed = check_count("seed", seed, minimum=0)
    if members == 1:
        return pd.DataFrame(index=pd.RangeIndex(1, name="member"))  # the defaults
    from esm.ensembles import draw

    return draw(int(members), seed).drop(columns=["posterior_member"], errors="ignore")


def _run_cases(cases: dict[str, xr.Dataset], table: pd.DataFrame, end: int):
    """Run every scenario in ``cases`` (cut at ``end``) for every member of ``table``:
    (years, values[case, member, year, variable], gsat reference text)."""
    cut = {name: ds.sel(year=slice(None, end)) for name, ds in cases.items()}
    ds = runner.run_many(cut, table, variables=VARIABLES)
    values = np.stack([ds[v].values for v in VARIABLES], axis=-1)
    return ds["year"].values, values, ds.attrs["gsat_reference"]


def _summary(x: np.ndarray, percentiles) -> np.ndarray:
    """x[case, member, year] -> [case, percentile, year] (or [case, 1, year] for one member)."""
    if x.shape[1] == 1:
        return x
    return np.moveaxis(np.percentile(x, percentiles, axis=1), 0, 1)


def effect(
    pathway="neutral-2060",
    reference="reference",
    background="ssp245",
    members: int = 1,
    seed: int = 0,
    end: int = 2100,
    breakdown: bool = True,
    percentiles=(5, 50, 95),
    **levers,
) -> xr.Dataset:
    """Effect of China pathway ``pathway`` against ``reference`` in a ``background`` world.

    Parameters
    ----------
    pathway, reference
        Preset names (``esm.china.PRESETS``: reference, current-policies, neutral-2060, 1.5C) or
        :class:`esm.china.Levers`.
    background
        Shipped scenario for the rest of the world.
    members, seed
        ``1``: default parameters; more: members drawn from the shipped posterior, every
        difference given as ``percentiles`` over them.
    end
        Last year (after the pathways' start year, at most the background's last year).
    breakdown
        Also run each lever group (emission reduction, sink increase, carbon conservation,
        carbon sequestration, non-CO2) alone on top of the reference.
    percentiles
        Percentiles of the differences when ``members > 1``.
    **levers
        Override levers of ``pathway`` (``esm china --list`` names them with units and ranges).

    Returns
    -------
    xarray.Dataset
        Per ``case`` (``pathway`` and the lever groups) and year: ``delta_co2`` [ppm],
        ``delta_erf`` [W m-2], ``delta_gsat`` [K] (case minus reference; ``percentile``
        dimension when members > 1), ``cumulative_co2_avoided`` [GtCO2] (China's net CO2,
        reference minus case, since the start), ``delta_gsat_tcre`` [K] (the TCRE arithmetic
        -TCRE x avoided, with the model's default TCRE), ``china_co2_net`` [GtCO2/yr] and the
        lever components; and the global ``gsat`` [K] of the reference and the pathway.
    """
    lv_path = _levers(pathway, **levers)
    lv_ref = _levers(reference)
    bg = P.background(background)
    cases = {"reference": lv_ref, "pathway": lv_path}
    if breakdown:
        path_values = lv_path.as_dict()
        ref_values = lv_ref.as_dict()
        for group, names in L.GROUPS.items():
            changes = {k: path_values[k] for k in names if path_values[k] != ref_values[k]}
            # the year of a ramp that is zero in the pathway changes nothing
            for year, amounts in L.RAMPS.items():
                if year in changes and not any(path_values[a] for a in amounts):
                    del changes[year]
            if changes:
                with warnings.catch_warnings():
                    # a group alone on the reference may be out of step with the reference's
                    # own decline (e.g. sinks to 2060 on a reference that ends in 2050): that
                    # is the breakdown, not the user's levers
                    warnings.simplefilter("ignore")
                    cases[group] = lv_ref.replace(**changes)
    from esm._checks import check_count

    end = check_count("end", end, minimum=None)
    diverge = min(lv.start_year for lv in cases.values())
    last = int(bg["year"].values[-1])
    if not diverge < end <= last:
        raise ScenarioError(
            f"china: end {end} must lie after the pathways' start year {diverge:g} (they are "
            f"identical before it) and at most the background's last year {last}"
        )
    composed, china = {}, {}
    for name, lv in cases.items():
        composed[name], china[name] = P.compose(bg, lv)
    table = _members(members, seed)
    years, values, gsat_ref = _run_cases(composed, table, end)
    keep = np.isin(bg["year"].values, years)
    iv = {v: i for i, v in enumerate(VARIABLES)}
    delta = values[1:] - values[:1]
    names = list(cases)[1:]
    pct = np.asarray(percentiles, dtype=float)
    dims = ("case", "percentile", "year") if len(table) > 1 else ("case", "year")

    def summary(x):
        s = _summary(x, pct)
        return s if len(table) > 1 else s[:, 0]

    net = {
        n: (china[n]["co2_fossil"] + china[n]["co2_landuse"])[keep] * GTCO2_PER_GTC for n in cases
    }
    avoided = np.stack([np.cumsum(net["reference"] - net[n]) for n in names])
    from esm import metrics

    tcre = metrics.compute()["tcre"]  # K per 1000 GtC, default parameters
    ds = xr.Dataset(
        {
            "delta_co2": (
                dims,
                summary(delta[..., iv["co2"]]),
                {"units": "ppm", "long_name": "CO2 change caused by the case"},
            ),
            "delta_erf": (
                dims,
                summary(delta[..., iv["erf"]]),
                {"units": "W m-2", "long_name": "ERF change caused by the case"},
            ),
            "delta_gsat": (
                dims,
                summary(delta[..., iv["gsat"]]),
                {
                    "units": "K",
                    "long_name": "GSAT change caused by the case",
                    "units_metadata": "temperature: difference",
                },
            ),
            "cumulative_co2_avoided": (
                ("case", "year"),
                avoided,
                {
                    "units": "GtCO2",
                    "long_name": "cumulative net CO2 of China avoided (reference minus case)",
                },
            ),
            "delta_gsat_tcre": (
                ("case", "year"),
                -tcre * avoided / GTCO2_PER_GTC / 1000.0,
                {
                    "units": "K",
                    "long_name": "TCRE estimate of the GSAT change "
                    f"(-{tcre:.3f} K per 1000 GtC x avoided CO2)",
                },
            ),
            "china_co2_net": (
                ("scenario", "year"),
                np.stack([net[n] for n in cases]),
                {
                    "units": "GtCO2 yr-1",
                    "long_name": "China net CO2 emissions "
                    "(fossil after CCUS + land use after sinks)",
                },
            ),
            "gsat": (
                ("scenario", "percentile", "year") if len(table) > 1 else ("scenario", "year"),
                summary(values[..., iv["gsat"]]),
                {
                    "units": "K",
                    "long_name": f"global surface air temperature vs {gsat_ref}",
                    "units_metadata": "temperature: difference",
                },
            ),
        },
        coords={"year": years, "case": names, "scenario": list(cases)},
    )
    for comp in CHINA_VARIABLES:
        ds[f"china_{comp}"] = (
            ("scenario", "year"),
            np.stack([china[n][f"lever_{comp}"][keep] for n in cases]),
            {"units": "GtCO2 yr-1", "long_name": f"China {comp.replace('_', ' ')}"},
        )
    if len(table) > 1:
        ds = ds.assign_coords(percentile=pct)
    ds.attrs.update(
        {
            "pathway": str(pathway if isinstance(pathway, str) else "custom"),
            "reference": str(reference if isinstance(reference, str) else "custom"),
            "background": background if isinstance(background, str) else "user",
            "members": len(table),
            "tcre": tcre,
            "levers": lv_path.as_dict(),
            "scenario": f"China {pathway if isinstance(pathway, str) else 'custom'} vs "
            f"{reference if isinstance(reference, str) else 'custom'}, background "
            f"{background if isinstance(background, str) else 'user'}",
            "esm_version": runner._esm_version(),
        }
    )
    return ds


#: Variables of :func:`effect` in an IAMC table: name -> (IAMC variable, unit, factor, region).
#: Differences (``delta_*``) are rows of the scenario "<case> minus <reference>".
IAMC_EFFECT = {
    "gsat": ("Surface Air Temperature Change", "K", 1.0, "World"),
    "china_co2_net": ("Emissions|CO2", "Mt CO2/yr", 1000.0, "China"),
    "china_gross_fossil": (
        "Emissions|CO2|Fossil and Industrial|Gross",
        "Mt CO2/yr",
        1000.0,
        "China",
    ),
    "china_ccus": ("Carbon Sequestration|CCS", "Mt CO2/yr", 1000.0, "China"),
    "china_ecosystem_sink": ("Carbon Sequestration|Land Use", "Mt CO2/yr", 1000.0, "China"),
    "china_conservation": ("Emissions|CO2|Avoided by Conservation", "Mt CO2/yr", 1000.0, "China"),
    "delta_co2": ("Atmospheric Concentrations|CO2", "ppm", 1.0, "World"),
    "delta_erf": ("Effective Radiative Forcing", "W/m^2", 1.0, "World"),
    "delta_gsat": ("Surface Air Temperature Change", "K", 1.0, "World"),
    "cumulative_co2_avoided": ("Cumulative Emissions|CO2|Avoided", "Mt CO2", 1000.0, "China"),
}


def to_iamc(eff: xr.Dataset):
    """The result of :func:`effect` as an IAMC table in the openscm-runner layout.

    Columns ``climate_model, model, scenario, region, variable, unit, quantile`` (fractions;
    empty for single-member values), then the years. The China cases (``reference``,
    ``pathway`` and the lever groups) are scenarios; the changes they cause are the scenarios
    ``"<case> minus <reference>"``. Units follow :data:`IAMC_EFFECT` (Mt CO2/yr for China's
    CO2, with region China; global quantities with region World).
    """
    import pandas as pd

    years = [int(y) for y in eff["year"].values]
    model = f"esm china, background {eff.attrs['background']}"
    climate_model = f"esm {eff.attrs.get('esm_version', runner._esm_version())}"
    reference = eff.attrs["reference"]
    rows = []
    for name, (variable, unit, factor, region) in IAMC_EFFECT.items():
        if name not in eff:
            continue
        da = eff[name]
        dim = "case" if "case" in da.dims else "scenario"
        for label in da[dim].values:
            one = da.sel({dim: label})
            scenario = f"{label} minus {reference}" if dim == "case" else str(label)
            if "percentile" in one.dims:
                for q in one["percentile"].values:
                    values = one.sel(percentile=q).values * factor
                    meta = [climate_model, model, scenario, region, variable, unit, q / 100.0]
                    rows.append([*meta, *values.tolist()])
            else:
                meta = [climate_model, model, scenario, region, variable, unit, np.nan]
                rows.append([*meta, *(one.values * factor).tolist()])
    columns = ["climate_model", "model", "scenario", "region", "variable", "unit", "quantile"]
    return pd.DataFrame(rows, columns=[*columns, *years])


#: Species groups removed one at a time by :func:`contribution`.
CONTRIBUTION_GROUPS = {
    "all": SPECIES_NAMES,
    "CO2": ("co2_fossil", "co2_landuse"),
    "CH4 and N2O": ("ch4", "n2o"),
    "aerosols and ozone precursors": ("so2", "bc", "oc", "nh3", "nox", "co", "nmvoc"),
}


def contribution(
    end: int = 2020, members: int = 1, seed: int = 0, background="ssp245", percentiles=(5, 50, 95)
) -> xr.Dataset:
    """China's contribution to warming: the world minus China's emissions (1750 -> ``end``).

    Cases remove all of China's emissions or one group (CO2, CH4 and N2O, aerosols and ozone
    precursors). Returns ``delta_gsat``, ``delta_co2``, ``delta_erf`` (world minus world
    without China, i.e. China's contribution) per case and year.
    """
    bg = P.background(background).sel(year=slice(None, end))
    china = P.share_path(bg)
    cases = {"world": bg}
    for group, species in CONTRIBUTION_GROUPS.items():
        ds = bg.copy(deep=True)
        for sp in species:
            factor = scenarios.units.conversion_factor(sp, ds[sp].attrs["units"])
            ds[sp] = ("year", ds[sp].values - china[sp] / factor, ds[sp].attrs)
        cases[f"without China: {group}"] = ds
    table = _members(members, seed)
    years, values, _ = _run_cases(cases, table, end)
    contrib = values[:1] - values[1:]  # world minus world-without
    pct = np.asarray(percentiles, dtype=float)
    dims = ("case", "percentile", "year") if len(table) > 1 else ("case", "year")

    def summary(x):
        s = _summary(x, pct)
        return s if len(table) > 1 else s[:, 0]

    iv = {v: i for i, v in enumerate(VARIABLES)}
    ds = xr.Dataset(
        {
            name: (
                dims,
                summary(contrib[..., iv[v]]),
                {"units": metadata.OUTPUTS[v].units, "long_name": f"China's contribution to {v}"},
            )
            for name, v in (("delta_gsat", "gsat"), ("delta_co2", "co2"), ("delta_erf", "erf"))
        },
        coords={"year": years, "case": list(CONTRIBUTION_GROUPS)},
    )
    if len(table) > 1:
        ds = ds.assign_coords(percentile=pct)
    ds.attrs.update(
        {
            "members": len(table),
            "background": str(background),
            "scenario": f"China's contribution 1750-{end}, background {background}",
            "esm_version": runner._esm_version(),
        }
    )
    return ds
