"""Waterfall chart of the feedback decomposition (:func:`esm.feedbacks.decompose`): from all
feedbacks off, each feedback's contribution, the interaction term, to the reference.

>>> import esm.feedbacks as fb
>>> from esm.figures import feedbacks as feedback_figure
>>> feedback_figure.plot_waterfall(fb.decompose("ssp245"), "feedbacks.png")   # doctest: +SKIP
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from esm.figures import style

#: Readable axis labels of the waterfall panels.
_AXIS = {
    "co2": ("Atmospheric CO$_2$", "ppm"),
    "gsat": ("Global surface air temperature change", "K"),
    "ch4": ("Atmospheric CH$_4$", "ppb"),
}


def _mathtext(label: str) -> str:
    """A plain-text label with chemical subscripts for matplotlib."""
    for plain, math in (("CO2", "CO$_2$"), ("CH4", "CH$_4$"), ("Q10", "Q$_{10}$")):
        label = label.replace(plain, math)
    return label


def _wrap(text: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _waterfall(ax, ds: xr.Dataset, v: str, show_labels: bool) -> bool:
    """One horizontal waterfall of ``v`` in ``ds.attrs['year']``; True if it has an
    interaction bar."""
    year = ds.attrs["year"]
    name, units = _AXIS.get(v, (v, ds[v].attrs.get("units", "")))
    start = float(ds[f"{v}_all_off_at_year"])
    end = float(ds[f"{v}_reference_at_year"])
    contrib = ds[f"{v}_contribution_at_year"].values
    interaction = float(ds[f"{v}_interaction_at_year"])
    baseline = ds.attrs["co2_pi"] if v == "co2" else 0.0
    labels = ["All feedbacks off"] + [_mathtext(str(x)) for x in ds["label"].values]
    steps = list(contrib)
    scale = max(abs(end - baseline), abs(start - baseline), 1e-12)
    has_interaction = abs(interaction) > 1e-4 * scale
    if has_interaction:
        labels.append("Interaction (feedbacks acting together)")
        steps.append(interaction)
    labels.append("All feedbacks on (reference)")

    lefts, widths, colours, hatches = [baseline], [start - baseline], [style.ALL_OFF], [""]
    level = start
    for k, dx in enumerate(steps):
        lefts.append(level if dx >= 0 else level + dx)
        widths.append(abs(dx))
        colours.append(style.RAISES if dx >= 0 else style.LOWERS)
        hatches.append("//" if has_interaction and k == len(steps) - 1 else "")
        level += dx
    lefts.append(baseline)
    widths.append(end - baseline)
    colours.append(style.ALL_ON)
    hatches.append("")
    pos = np.arange(len(labels))
    bars = ax.barh(pos, widths, left=lefts, color=colours, height=0.65, zorder=3)
    for bar, hatch in zip(bars, hatches, strict=True):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor("white")
    # connectors between consecutive levels
    level = start
    for k, dx in enumerate([*steps, 0.0]):
        ax.plot([level, level], [k - 0.33, k + 1 + 0.33], color="0.4", lw=0.6, zorder=2)
        level += dx
    # values
    span = max(abs(level - baseline), max(abs(s) for s in [start - baseline, *steps]))
    fmt = "{:+.1f}" if v in ("co2", "ch4") else "{:+.2f}"
    absfmt = "{:.0f}" if v in ("co2", "ch4") else "{:.2f}"
    texts = [absfmt.format(start)] + [fmt.format(s) for s in steps] + [absfmt.format(end)]
    for k, (left, width, text) in enumerate(zip(lefts, widths, texts, strict=True)):
        ax.text(
            max(left + width, left) + 0.015 * span,
            k,
            f"{text} {units}",
            va="center",
            ha="left",
            fontsize=8,
            zorder=4,
        )
    ax.set_yticks(pos)
    if show_labels:
        ax.set_yticklabels([_wrap(x) for x in labels], fontsize=9)
    else:
        ax.tick_params(labelleft=False)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    lo = min(baseline, *(lefts))
    hi = max(left + width for left, width in zip(lefts, widths, strict=True))
    ax.set_xlim(lo, hi + 0.22 * (hi - lo))
    style.axes(ax, f"{name} in {year}", "")
    ax.set_xlabel(
        f"{name} [{units}]"
        + (f"; axis starts at pre-industrial ({baseline:.0f} {units})" if v == "co2" else "")
        + ("; relative to 1850-1900" if v == "gsat" else ""),
        fontsize=9,
    )
    ax.grid(False, axis="y")
    ax.xaxis.get_major_locator().set_params(integer=False)
    return has_interaction


def figure(ds: xr.Dataset, variables: str | Iterable[str] = ("co2", "gsat")) -> Figure:
    """Waterfall charts of :func:`esm.feedbacks.decompose` output (one panel per variable)."""
    variables = [variables] if isinstance(variables, str) else list(variables)
    n = len(variables)
    fig = Figure(figsize=(5.6 * n + 2.2, 6.6 + 0.4 * (n == 1)), layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)[0]
    interaction = False
    for k, (ax, v) in enumerate(zip(axes, variables, strict=True)):
        interaction |= _waterfall(ax, ds, v, show_labels=k == 0)
        style.title(ax, f"({chr(97 + k)}) " + ax.get_title(loc="left"))
    handles = [
        Patch(color=style.ALL_OFF, label="all feedbacks off"),
        Patch(color=style.RAISES, label="feedback raises it"),
        Patch(color=style.LOWERS, label="feedback lowers it"),
    ]
    if interaction:
        handles.append(Patch(facecolor="0.6", hatch="//", edgecolor="white", label="interaction"))
    handles.append(Patch(color=style.ALL_ON, label="all feedbacks on (reference)"))
    ncol = len(handles) if n > 1 else 3
    note = None
    fig.suptitle(
        f"What each feedback adds: {ds.attrs.get('scenario', 'scenario')}, {ds.attrs['year']}"
        + ("\n" if n == 1 else " ")
        + "(contribution = run with all feedbacks on minus run with only this one off)",
        fontsize=11,
    )
    if interaction:
        notes = []
        for v in variables:
            units = _AXIS.get(v, (v, ds[v].attrs.get("units", "")))[1]
            notes.append(
                f"{'GSAT' if v == 'gsat' else v.upper()}: sum of the contributions "
                f"{float(ds[f'{v}_sum_at_year']):+.3g} {units}, all switched off at once "
                f"{float(ds[f'{v}_total_at_year']):+.3g} {units}"
            )
        note = (
            "The contributions do not add up to the total ("
            + "; ".join(notes)
            + "): the feedbacks act on each other. The hatched bar is the difference."
        )
        note = _wrap(note, 40 * n + 60)
    # below the panels, the note on the interaction term as its title (one artist, which the
    # constrained layout keeps clear of the axes)
    legend = fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=ncol,
        fontsize=8,
        frameon=False,
        title=note,
        title_fontsize=8,
    )
    if note:
        legend.get_title().set_multialignment("center")
    return fig


def plot_waterfall(
    ds: xr.Dataset,
    path: str | Path | None = None,
    variables: str | Iterable[str] = ("co2", "gsat"),
    dpi: int = 120,
) -> Figure:
    """Waterfall chart of :func:`esm.feedbacks.decompose` output: from all feedbacks off, each
    feedback's contribution (red raises, blue lowers), the interaction term (hatched, when the
    contributions do not add up) to the reference. Panels: ``variables`` (default CO2 and
    GSAT). Saved to ``path`` when given (atomically, format from the suffix); returns the
    Figure."""
    fig = figure(ds, variables)
    if path is not None:
        style.save(fig, path, dpi)
    return fig
