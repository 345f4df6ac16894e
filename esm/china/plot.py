"""Kept for compatibility: the figures of a China pathway's effect and of a lever sweep now
live in :mod:`esm.figures.china` (one style with every other figure, :mod:`esm.figures.style`).

Every name below is the object of :mod:`esm.figures.china` itself; new code imports from there.
"""

from __future__ import annotations

from esm.figures.china import (
    COMPONENTS,
    LEVER_COLOURS,
    NEGLIGIBLE_GSAT,
    effect_figure,
    plot_effect,
    plot_sweep,
    sweep_figure,
)

__all__ = [
    "COMPONENTS",
    "LEVER_COLOURS",
    "NEGLIGIBLE_GSAT",
    "effect_figure",
    "plot_effect",
    "plot_sweep",
    "sweep_figure",
]
