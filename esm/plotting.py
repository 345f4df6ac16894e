"""Kept for compatibility: the figures of a run, an ensemble, a carbon budget and a goal now
live in :mod:`esm.figures` (:mod:`esm.figures.run`, :mod:`esm.figures.ensemble`,
:mod:`esm.figures.budget`), which share one style (:mod:`esm.figures.style`).

>>> import esm, esm.plotting
>>> ds = esm.run("ssp245")                           # doctest: +SKIP
>>> esm.plotting.plot_run(ds, "ssp245.png")          # doctest: +SKIP

Every name below is the object of :mod:`esm.figures` itself (``esm.plotting.plot_run is
esm.figures.run.plot_run``); new code imports from :mod:`esm.figures`.
"""

from __future__ import annotations

from esm.figures.budget import budget_figure, goal_figure, plot_budget, plot_goal
from esm.figures.ensemble import ensemble_figure, ensemble_percentiles, plot_ensemble
from esm.figures.run import (
    GCB_YEARS,
    NEGLIGIBLE_ERF,
    RECENT,
    covers,
    figure,
    is_experiment,
    plot_run,
)

__all__ = [
    "GCB_YEARS",
    "NEGLIGIBLE_ERF",
    "RECENT",
    "budget_figure",
    "covers",
    "ensemble_figure",
    "ensemble_percentiles",
    "figure",
    "goal_figure",
    "is_experiment",
    "plot_budget",
    "plot_ensemble",
    "plot_goal",
    "plot_run",
]
