"""Every figure of esm, drawn in one style.

=============================  ===========================================================
module                         figures
=============================  ===========================================================
:mod:`esm.figures.style`       the shared look: colours, titles, labels, grid, legends,
                               notes, atomic saving (no figures of its own)
:mod:`esm.figures.run`         overview of one run or experiment (``esm run --plot``)
:mod:`esm.figures.ensemble`    plume of an ensemble (``esm ensemble --plot``)
:mod:`esm.figures.budget`      remaining carbon budget and goal path (``esm budget``,
                               ``esm goal``)
:mod:`esm.figures.china`       effect of a China pathway and lever sweeps (``esm china``)
:mod:`esm.figures.compare`     two runs and their difference (``esm compare``)
:mod:`esm.figures.feedbacks`   feedback waterfall (``esm explain feedbacks``)
:mod:`esm.figures.sensitivity` Sobol' / Morris indices (``esm sensitivity``)
:mod:`esm.figures.report`      the validation report's figures (``esm validate --out``)
:mod:`esm.figures.diagram`     the model's boxes and fluxes (documentation site)
=============================  ===========================================================

Figures are drawn on :class:`matplotlib.figure.Figure` without ``pyplot``: the user's backend
is left alone and no figure stays open. Each ``plot_*`` function saves atomically through
:func:`esm.figures.style.save` and returns the path (``plot_compare`` and ``plot_waterfall``
return the Figure). The modules that drew figures before (:mod:`esm.plotting`,
:mod:`esm.china.plot`, :mod:`esm.compare`, :mod:`esm.feedbacks`, :mod:`esm.sensitivities`,
:mod:`esm.report`) still give the same functions under their old names, for compatibility.

Importing this package imports no matplotlib; each module imports it when imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable


def moved(module: str, names: Iterable[str], target: str) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``module`` that finds ``names``, which moved to the module
    ``target``, there on first use (imported then: ``target`` may import ``module``)."""
    names = frozenset(names)

    def __getattr__(name: str):
        if name in names:
            return getattr(importlib.import_module(target), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
