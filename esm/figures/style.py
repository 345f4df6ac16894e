"""The look every esm figure shares: colours, panel titles, labels, grid, legends, notes, saving.

Every figure module of :mod:`esm.figures` draws with these helpers and colours, so a change of
style is made here once. Figures are drawn on :class:`matplotlib.figure.Figure` without
``pyplot`` (the user's backend is left alone, no figure stays open) and saved by :func:`save`,
which writes atomically: an interrupted or failed save leaves an existing file untouched.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

# ------------------------------------------------------------------------------ colours
#: The model where it is drawn against observations, and warming (GSAT) in an ensemble plume.
MODEL = "tab:red"

#: Observations drawn against the model.
OBSERVED = "k"

#: Small grey notes inside the axes.
NOTE = "0.35"

#: The greenhouse gases in every panel that shows them (concentration and forcing).
GASES = {"co2": "tab:red", "ch4": "tab:orange", "n2o": "tab:olive"}

#: Where emitted CO2 goes: one colour per flow in the run overview and the validation report.
FLOWS = {"atmospheric_growth": "tab:orange", "ocean_sink": "tab:blue", "land_sink": "tab:green"}

#: The two runs of ``esm compare``.
RUNS = {"A": "tab:blue", "B": "tab:red"}

#: A China pathway and the reference it is compared with.
SCENARIOS = {"reference": "tab:red", "pathway": "tab:blue"}

#: One colour per China lever group (the keys of :data:`esm.china.levers.GROUPS`), in every
#: panel; red and blue are kept for the reference and the pathway.
LEVERS: dict[str, str] = {
    "emission reduction": "tab:orange",
    "sink increase": "tab:green",
    "carbon conservation": "tab:olive",
    "carbon sequestration": "tab:purple",
    "non-CO2": "tab:brown",
}

#: The likelihoods of ``esm budget`` (share of members that stay below the limit).
LIKELIHOODS = {0.17: "#e08214", 0.33: "#a6761d", 0.5: "#1a9850", 0.67: "#2166ac", 0.83: "#542788"}

#: Bars of the feedback waterfall: a feedback that raises or lowers the variable, the start
#: (all feedbacks off) and the end (all on).
RAISES, LOWERS, ALL_OFF, ALL_ON = "tab:red", "tab:blue", "0.55", "0.25"

#: The calibrated posterior and the assessed ranges of the validation report.
POSTERIOR = "tab:blue"
POSTERIOR_FILL = "#a6c8e6"  # opaque (smaller PNG than a transparent fill)
ASSESSED = "0.15"

#: The compartments and the kinds of arrow of the model diagram (:mod:`esm.figures.diagram`).
COMPARTMENTS = {
    "human": "#eeeeee",
    "atmosphere": "#dbeafe",
    "forcing": "#fde68a",
    "land": "#dcfce7",
    "ocean": "#bfdbfe",
    "permafrost": "#e9d5ff",
    "energy balance": "#fecaca",
}
ARROWS = {"carbon": "#1f2937", "gas": "#7c3aed", "heat": "#b91c1c", "coupling": "#6b7280"}

# ------------------------------------------------------------------------------ axes
#: Legend of a panel: on a translucent white box without an edge, so it stays readable over
#: the data. :func:`legend` starts from these and takes any change as a keyword.
LEGEND = {"fontsize": 8, "loc": "upper left", "framealpha": 0.8, "edgecolor": "none"}

#: A text box over the data (values, shares, notes that need a background).
BOX = {"boxstyle": "round", "fc": "white", "ec": "0.6"}


def title(ax, text: str, fontsize: float = 10) -> None:
    """A panel title: bold, on the left (room for a second title or a legend on the right)."""
    ax.set_title(text, loc="left", fontsize=fontsize, fontweight="bold")


def grid(ax, axis: str = "both") -> None:
    """The light grid of every panel (``axis``: "both", "x" or "y")."""
    ax.grid(True, axis=axis, lw=0.4, alpha=0.5)


def axes(
    ax,
    text: str,
    ylabel: str,
    xlabel: str | None = None,
    *,
    ticks: float = 8,
    integer_x: bool = True,
) -> None:
    """Title (:func:`title`), axis labels, grid (:func:`grid`) and tick labels of size
    ``ticks``; ``integer_x``: x ticks on whole numbers (years) in steps of 1, 2, 5 or 10."""
    title(ax, text)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    grid(ax)
    ax.tick_params(labelsize=ticks)
    if integer_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def legend(ax, handles=None, **kwargs):
    """The legend of ``ax`` (of ``handles`` if given) in the style of :data:`LEGEND`, with any
    of its settings changed by ``kwargs``; returns it."""
    args = () if handles is None else (handles, [h.get_label() for h in handles])
    return ax.legend(*args, **{**LEGEND, **kwargs})


def text_entry(label: str) -> Line2D:
    """A legend entry without a symbol (a note that the legend's placement accounts for)."""
    return Line2D([], [], ls="none", label=label)


def note(ax, text: str, x=0.02, y=0.02, ha="left", va="bottom", fontsize=7.5) -> None:
    """A small grey note at (``x``, ``y``) in axes coordinates."""
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=fontsize, color=NOTE)


# ------------------------------------------------------------------------------ saving
def png(fig: Figure, dpi: float, **kwargs) -> bytes:
    """``fig`` as PNG bytes (``kwargs``: further options of ``savefig``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, **kwargs)
    return buf.getvalue()


def save(
    fig: Figure,
    path: str | Path,
    dpi: float = 120,
    *,
    metadata: dict | None = None,
    palette: bool = False,
) -> Path:
    """Save ``fig`` to ``path`` atomically (format from the suffix, PNG without one); return
    the path. ``metadata``: as for ``savefig`` (``{"Software": None}`` drops the matplotlib
    version, for files that must not change with it); ``palette``: a PNG of 256 colours (a
    third of the size for figures of flat colours, lines and text)."""
    from esm import io as esm_io

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"

    def write(tmp: str, cancel) -> None:
        if not palette:
            fig.savefig(tmp, dpi=dpi, format=fmt, metadata=metadata)
            return
        from PIL import Image

        with Image.open(io.BytesIO(png(fig, dpi, metadata=metadata))) as im:
            rgb = im.convert("RGB")
        rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            tmp, format="png", optimize=True
        )

    esm_io.atomic_write(path, write)
    return path
