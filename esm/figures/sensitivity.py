"""Bar chart of the Sobol' or Morris indices of :func:`esm.sensitivity`.

>>> import esm
>>> from esm.figures import sensitivity as sensitivity_figure
>>> df = esm.sensitivity("gsat_2100", method="morris", n=16)   # doctest: +SKIP
>>> sensitivity_figure.plot_indices(df, "indices.png")          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from esm import sensitivities
from esm.figures import style


def plot_indices(df: pd.DataFrame, path: str | Path, top: int = 15, warn: bool = True) -> Path:
    """Save :func:`indices_figure` of ``df`` to ``path``; return the path.

    For a Sobol' table, unconverged indices (:func:`esm.sensitivities.unconverged`) are warned
    about (a ``UserWarning`` naming the parameters, unless ``warn`` is false) and noted on the
    figure.
    """
    if warn:
        sensitivities._warn_unconverged(sensitivities.unconverged(df), df)
    return style.save(indices_figure(df, top), path, 120)


def indices_figure(df: pd.DataFrame, top: int = 15) -> Figure:
    """Horizontal bar chart of the ``top`` most important parameters, labelled with readable
    names (:func:`esm.sensitivities.label`) and the identifier in small type; unconverged
    Sobol' indices are starred and counted in a note."""
    d = df.head(top).iloc[::-1]
    bad = sensitivities.unconverged(df)
    fig = Figure(figsize=(8.0, 0.42 * len(d) + 2.0), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(d))
    if "ST" in d:
        ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], color="tab:red", label="total (ST)")
        ax.barh(
            y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], color="tab:blue", label="first order (S1)"
        )
        ax.set_xlabel("Sobol' index")
    else:
        ax.barh(y, d["mu_star"], xerr=d["mu_star_conf"], color="tab:blue", label="mu*")
        ax.set_xlabel(f"Morris mu* [{df.attrs.get('units', '')}]")
    marks = ["*" if n in bad else "" for n in d.index]
    labels = [f"{sensitivities.label(n)}{m}\n" for n, m in zip(d.index, marks, strict=True)]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", labelsize=9)
    for yi, name in zip(y, d.index, strict=True):
        # the identifier in small type under the readable label (the label's empty 2nd line)
        ax.annotate(name, xy=(0, yi), xycoords=("axes fraction", "data"),
                    xytext=(-7, -7), textcoords="offset points", ha="right", va="center",
                    fontsize=6.5, color="0.4", family="monospace")  # fmt: skip
    ax.legend(loc="lower right", fontsize=8)
    style.grid(ax, "x")
    out = df.attrs.get("output", "")
    ax.set_title(
        f"Sensitivity of {out} ({df.attrs.get('method', '')}, {df.attrs.get('runs', '?')} runs)",
        fontsize=10,
    )
    if bad:
        shown = sum(1 for n in d.index if n in bad)
        fig.supxlabel(f"* not converged (S1_conf > |S1| or ST < S1 - S1_conf): {shown} of the "
                      f"{len(d)} shown, {len(bad)} of all {len(df)}; increase n", x=0.01,
                      ha="left", fontsize=8, color="firebrick")  # fmt: skip
    return fig
