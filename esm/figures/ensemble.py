"""Plume figure of an ensemble: GSAT and CO2 with the members' ranges and observations.

>>> import esm
>>> from esm.figures import ensemble as ensemble_figure
>>> ds = esm.ensemble("ssp245", members=100)                  # doctest: +SKIP
>>> ensemble_figure.plot_ensemble(ds, "plume.png")            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from esm import observations as _obs
from esm.figures import style
from esm.figures.run import gsat_vs_preindustrial, within

#: Colour of each variable's plume.
_COLOURS = {"gsat": style.MODEL, "co2": "tab:blue"}


def ensemble_percentiles(ds: xr.Dataset, var: str, q=None) -> dict[float, np.ndarray]:
    """Percentiles of ``var`` per year from an ensemble Dataset (``member`` or ``percentile``).

    ``q`` defaults to 5, 17, 50, 83 and 95 for a ``member`` Dataset and to every stored
    percentile for a ``percentile`` Dataset; from a ``percentile`` Dataset only the stored ones
    of ``q`` are returned.
    """
    da = ds[var]
    if "percentile" in da.dims:
        have = [float(p) for p in da["percentile"].values]
        wanted = sorted(have) if q is None else [float(p) for p in q if float(p) in have]
        return {p: da.sel(percentile=p).values for p in wanted}
    q = (5, 17, 50, 83, 95) if q is None else q
    return {p: np.percentile(da.values, p, axis=0) for p in q}


def _plume(ax, years, pct: dict, colour: str, label: str) -> None:
    """Bands between the outermost pair of percentiles (and the next pair inside it, if any)
    and the median if present; a lone percentile other than the median is drawn as a line."""
    if not pct:
        raise ValueError(f"plot_ensemble: {label} has no percentiles to draw")
    qs = sorted(pct)
    alphas = (0.18, 0.32)
    for j in range(min(len(qs) // 2, len(alphas))):
        lo, hi = qs[j], qs[-1 - j]
        band = f"{label} {lo:g}-{hi:g} %"
        ax.fill_between(years, pct[lo], pct[hi], color=colour, alpha=alphas[j], lw=0, label=band)
    if 50 in pct:
        ax.plot(years, pct[50], color=colour, lw=1.8, label=f"{label} median")
    elif len(qs) % 2 == 1:  # the middle one of an odd set is not covered by a band
        mid = qs[len(qs) // 2]
        ax.plot(years, pct[mid], color=colour, lw=1.2, ls="--", label=f"{label} {mid:g} %")


def ensemble_figure(ds: xr.Dataset) -> Figure:
    """Plume figure of an ensemble (``member`` or ``percentile`` Dataset): GSAT and CO2 with
    shaded ranges between the outermost percentiles, the median where present, and
    observations. Raises before drawing when there is nothing to draw."""
    fig = Figure(figsize=(11, 4.4), layout="constrained")
    years = ds["year"].values
    panels = [v for v in ("gsat", "co2") if v in ds]
    if not panels:
        raise KeyError("plot_ensemble: the ensemble has neither gsat nor co2")
    for dim in ("percentile", "member"):
        if dim in ds.dims and ds.sizes[dim] == 0:
            raise ValueError(f"plot_ensemble: the ensemble has no {dim}s (size 0); nothing to draw")
    if "percentile" not in ds.dims and "member" not in ds.dims:
        raise ValueError(
            "plot_ensemble: the Dataset has neither a 'member' nor a 'percentile' dimension; "
            "pass the result of esm.ensemble (esm.plotting.plot_run draws a single run)"
        )
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, var in zip(axes, panels, strict=True):
        _plume(ax, years, ensemble_percentiles(ds, var), _COLOURS[var], "model")
        if var == "gsat" and gsat_vs_preindustrial(ds):
            obs = within(_obs.load("gmst"), ds)
            ax.plot(obs.index, obs["ar6_gmst"], color=style.OBSERVED, lw=0.8,
                    label="observed GMST (AR6)")  # fmt: skip
            style.axes(ax, "Global surface air temperature", "GSAT [K vs 1850-1900]")
        elif var == "co2":
            obs = within(_obs.load("ghg_concentrations"), ds)
            ax.plot(obs.index, obs["co2"], ".", ms=2, color=style.OBSERVED,
                    label="observed (AR6 / IGCC)")  # fmt: skip
            style.axes(ax, "Atmospheric CO$_2$", "CO$_2$ [ppm]")
        else:
            style.axes(ax, "Global surface air temperature", "GSAT [K]")
        ax.set_xlabel("year")
        style.legend(ax)
    n = ds.attrs.get("members", ds.sizes.get("member", "?"))
    fig.suptitle(
        f"esm ensemble: {ds.attrs.get('scenario', '')}, {n} members "
        f"({ds.attrs.get('parameter_source', '')})"
    )
    return fig


def plot_ensemble(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`ensemble_figure` of ``ds`` to ``path``; return the path."""
    return style.save(ensemble_figure(ds), path, dpi)
