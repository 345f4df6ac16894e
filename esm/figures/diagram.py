"""Diagram of the model: its boxes (compartments and their states) and the fluxes between them.

The docs build draws it (``docs/hooks.py``, ``generated/model-diagram.png``) from its process
table, whose names it checks against :mod:`esm.kernels.layout`:

>>> from esm.figures import diagram, style
>>> fig = diagram.figure(BOXES, FLUXES, SINKS)                 # doctest: +SKIP
>>> png = style.png(fig, 110, bbox_inches="tight")              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from esm.figures import style

#: key -> (label, compartment, states held by the box, (x, y) centre)
Boxes = Mapping[str, tuple[str, str, tuple[str, ...], tuple[float, float]]]


def figure(
    boxes: Boxes,
    fluxes: Sequence[tuple[str, str, str, str, str, float]],
    sinks: Sequence[tuple[str, str, str]],
) -> Figure:
    """The boxes, each in the dashed frame of its compartment (colours:
    :data:`esm.figures.style.COMPARTMENTS`), the fluxes between them as arrows (``(from, to,
    label, code name, kind, curvature)``; colour by kind: :data:`esm.figures.style.ARROWS`) and
    the sinks and sources at the top of a box (``(box, label, code name)``; the label
    "emissions" is an inflow)."""
    w, h = 1.9, 0.95  # box size
    fig = Figure(figsize=(13, 8.2))
    ax = fig.subplots()
    ax.set_xlim(0, 16.2)
    ax.set_ylim(-0.6, 9.6)
    ax.set_aspect("equal")
    ax.axis("off")

    # compartments: a frame around the boxes of each
    frames = {}
    for _, comp, _, (x, y) in boxes.values():
        x0, y0, x1, y1 = frames.get(comp, (x, y, x, y))
        frames[comp] = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
    for comp, (x0, y0, x1, y1) in frames.items():
        if comp in ("human", "forcing"):
            continue
        pad = 0.25
        ax.add_patch(
            Rectangle(
                (x0 - w / 2 - pad, y0 - h / 2 - pad),
                x1 - x0 + w + 2 * pad,
                y1 - y0 + h + 2 * pad,
                fill=False,
                ls=(0, (4, 3)),
                lw=1,
                ec="#64748b",
            )
        )
        top = comp == "atmosphere"  # its arrows leave downwards: name it above the frame
        ax.text(  # compartment name under its frame
            x0 - w / 2 - pad if top else (x0 + x1) / 2,
            y1 + h / 2 + pad + 0.08 if top else y0 - h / 2 - pad - 0.08,
            comp,
            ha="left" if top else "center",
            va="bottom" if top else "top",
            fontsize=11,
            weight="bold",
            color="#334155",
        )

    patches = {}
    for key, (label, comp, _, (x, y)) in boxes.items():
        p = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            fc=style.COMPARTMENTS[comp],
            ec="#1f2937",
            lw=1.2,
            zorder=2,
        )
        ax.add_patch(p)
        patches[key] = p
        ax.text(x, y, label, ha="center", va="center", fontsize=10.5, zorder=3)

    for a, b, label, _, kind, rad in fluxes:
        arrow = FancyArrowPatch(
            patchA=patches[a],
            patchB=patches[b],
            posA=boxes[a][3],
            posB=boxes[b][3],
            arrowstyle="-|>",
            mutation_scale=16,
            lw=1.8 if kind != "coupling" else 1.3,
            ls="-" if kind != "coupling" else (0, (4, 2)),
            color=style.ARROWS[kind],
            connectionstyle=f"arc3,rad={rad}",
            shrinkA=2,
            shrinkB=2,
            zorder=1,
        )
        ax.add_patch(arrow)
        if label:
            (xa, ya), (xb, yb) = boxes[a][3], boxes[b][3]
            xm, ym = (xa + xb) / 2, (ya + yb) / 2
            # midpoint of the arc: offset perpendicular to the chord
            dx, dy = xb - xa, yb - ya
            xm, ym = xm + 0.5 * rad * dy, ym - 0.5 * rad * dx
            ax.text(
                xm,
                ym,
                label,
                ha="center",
                va="center",
                fontsize=9,
                color=style.ARROWS[kind],
                bbox={"fc": "white", "ec": "none", "pad": 1.0, "alpha": 0.9},
                zorder=4,
            )
    seen = set()
    for box, label, _ in sinks:
        x, y = boxes[box][3]
        inflow = label == "emissions"
        if (box, inflow) in seen:
            continue
        seen.add((box, inflow))
        top = y + h / 2
        start, end = (
            ((x + 0.3, top + 0.75), (x + 0.3, top))
            if inflow
            else (
                (x - 0.3, top),
                (x - 0.3, top + 0.75),
            )
        )
        ax.add_patch(
            FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4, color=style.ARROWS["gas"]
            )
        )
        ax.text(
            start[0] + (0.1 if inflow else -0.1),
            top + 0.55,
            label,
            ha="left" if inflow else "right",
            va="center",
            fontsize=8.5,
            color=style.ARROWS["gas"],
        )

    # legend of the arrow kinds and the temperature couplings
    handles = [
        Line2D([], [], color=style.ARROWS["carbon"], lw=1.8, label="carbon flux"),
        Line2D([], [], color=style.ARROWS["gas"], lw=1.8, label="CH₄ / N₂O"),
        Line2D([], [], color=style.ARROWS["heat"], lw=1.8, label="energy"),
        Line2D([], [], color=style.ARROWS["coupling"], lw=1.3, ls="--", label="coupling"),
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, -0.07),
        ncol=4,
        frameon=False,
        fontsize=9.5,
    )
    ax.text(
        8.1,
        -0.45,
        "GSAT feeds back on respiration (Q10), ocean pCO₂, the CH₄ lifetime and permafrost "
        "thaw; CO₂ fertilises NPP",
        ha="center",
        fontsize=9.5,
        color=style.ARROWS["coupling"],
        style="italic",
    )
    return fig
