"""Figures that teach: experiment years, signs of carbon flows, readable parameter names,
one colour per China lever, a TCRE legend off the data; progress a user can see."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

import esm
from esm import ensembles as E
from esm import experiments as X
from esm import sensitivities
from esm.china import levers as china_levers
from esm.figures import china as china_plot
from esm.figures import report as report_figures
from esm.figures import run as run_figure
from esm.figures import sensitivity as sensitivity_figure
from esm.figures import style
from esm.kernels import _jit


def _axes(fig, title: str):
    """The axes of ``fig`` whose (left) title starts with ``title``."""
    (ax,) = [a for a in fig.axes if a.get_title(loc="left").startswith(title)]
    return ax


def _line(ax, label: str) -> Line2D:
    (line,) = [x for x in ax.get_lines() if x.get_label() == label]
    return line


# ------------------------------------------------------------------------------ experiments
@pytest.fixture(scope="module")
def cdr():
    return X.run("esm-flat10-cdr")


def test_experiment_figure_uses_experiment_years(cdr):
    fig = run_figure.figure(cdr, observations=False)
    length = X.EXPERIMENTS["esm-flat10-cdr"].length
    for title in ("(a)", "(b)", "(c)", "(d)"):
        ax = _axes(fig, title)
        x = ax.get_lines()[0].get_xdata()
        assert (x[0], x[-1], len(x)) == (0, length, length + 1), title
    assert _axes(fig, "(d)").get_xlabel() == "experiment year"
    assert _axes(fig, "(c)").get_ylabel() == "GSAT [K vs pre-industrial]"
    assert fig.get_suptitle().startswith(
        f"esm experiment: esm-flat10-cdr, experiment years 0-{length}"
    )
    # the calendar 2011-2020 budget shares would be nonsense for an experiment
    assert not [t for t in _axes(fig, "(d)").texts if "share of emissions" in t.get_text()]


def test_scenario_figure_keeps_calendar_years(history):
    fig = run_figure.figure(history)
    x = _line(_axes(fig, "(c)"), "model GSAT").get_xdata()
    assert (x[0], x[-1]) == (1750, 2020)
    assert _axes(fig, "(d)").get_xlabel() == "year"
    assert [t for t in _axes(fig, "(d)").texts if "share of emissions" in t.get_text()]


def test_budget_flows_are_lines_not_stacked_areas(cdr):
    """esm-flat10-cdr removes CO2: atmospheric growth and both sinks become negative."""
    ax = _axes(run_figure.figure(cdr, observations=False), "(d)")
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    for var, label, _ in run_figure._BUDGET:
        y = _line(ax, label).get_ydata()
        np.testing.assert_array_equal(y, cdr[var].values)
    growth = _line(ax, run_figure._BUDGET[0][1]).get_ydata()
    assert growth.min() < -2.0  # the negative growth is drawn with its sign
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "emissions (fossil + land use)",
        "atmospheric growth (< 0: CO$_2$ falls)",
        "ocean sink (< 0: source)",
        "land sink (< 0: source)",
    ]


def test_negligible_forcing_agents_are_named_not_drawn(cdr):
    ax = _axes(run_figure.figure(cdr, observations=False), "(b)")
    drawn = [x.get_label() for x in ax.get_lines() if not x.get_label().startswith("_")]
    assert drawn == ["CO$_2$", "total"]  # (the zero line is unlabelled)
    note = ax.get_legend().get_texts()[-1].get_text()
    assert note.startswith("not drawn (|ERF| < 0.001 W m$^{-2}$):\nCH$_4$, N$_2$O, halogens")


# ------------------------------------------------------------------------------ sensitivity
def _sobol(override: dict | None = None) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "S1": [0.60, 0.20, 0.05],
            "S1_conf": [0.05, 0.03, 0.004],
            "ST": [0.70, 0.25, 0.06],
            "ST_conf": [0.06, 0.03, 0.01],
        },
        index=pd.Index(["climate_feedback", "erf_scale_co2", "respiration_q10"], name="parameter"),
    )
    for (name, col), value in (override or {}).items():
        df.loc[name, col] = value
    df.attrs.update(output="tcr", method="sobol", runs=1280)
    return df


def test_sobol_chart_uses_readable_names(tmp_path):
    df = _sobol()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converged: no warning
        sensitivity_figure.plot_indices(df, tmp_path / "s.png")
    ax = sensitivity_figure.indices_figure(df).axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == [
        "Q10 of soil respiration\n",
        "CO2 forcing scale\n",
        "climate feedback parameter\n",
    ]
    assert [t.get_text() for t in ax.texts] == [
        "respiration_q10",
        "erf_scale_co2",
        "climate_feedback",
    ]
    assert all(t.get_fontsize() < 7 for t in ax.texts)  # the identifier in small type


def test_every_uncertain_parameter_has_a_short_label():
    for name in esm.params.uncertain():  # a new uncertain parameter needs a label in LABELS
        assert name in sensitivities.LABELS, name
    assert set(sensitivities.LABELS) <= set(esm.params.PARAMETERS)  # no stale labels
    for name in esm.params.PARAMETERS:
        assert 0 < len(sensitivities.label(name)) <= 39, name
    assert sensitivities.label("npp_pi") == "pre-industrial global net primary…"


def test_unconverged_sobol_indices_warn_and_are_noted(tmp_path):
    df = _sobol({("erf_scale_co2", "S1_conf"): 0.25, ("respiration_q10", "ST"): 0.01})
    assert sensitivities.unconverged(df) == ["erf_scale_co2", "respiration_q10"]
    with pytest.warns(
        UserWarning, match=r"of 2 parameter\(s\) .*: erf_scale_co2, respiration_q10;"
    ):
        sensitivity_figure.plot_indices(df, tmp_path / "s.png")
    fig = sensitivity_figure.indices_figure(df)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == [
        "Q10 of soil respiration*\n",
        "CO2 forcing scale*\n",
        "climate feedback parameter\n",
    ]
    assert fig.get_supxlabel().startswith(
        "* not converged (S1_conf > |S1| or ST < S1 - S1_conf): 2 of"
    )


def test_small_uncertain_index_is_not_flagged():
    """S1 = 0.001 +- 0.004 is converged for any purpose of the chart (below the tolerance)."""
    df = _sobol({("respiration_q10", "S1"): 0.001})
    assert sensitivities.unconverged(df) == []


# ------------------------------------------------------------------------------ China
@pytest.fixture(scope="module")
def china_figure():
    eff = esm.china.effect("neutral-2060", members=1)
    return eff, china_plot.effect_figure(eff)


def _colour(artist):
    if isinstance(artist, Line2D):
        return to_rgba(artist.get_color())
    return tuple(artist.get_facecolor()[0][:3])


def test_china_levers_have_one_colour_across_panels(china_figure):
    eff, fig = china_figure
    ax_a, _, ax_c = fig.axes
    assert set(china_plot.LEVER_COLOURS) == set(china_levers.GROUPS)
    checked = 0
    for lever, colour in china_plot.LEVER_COLOURS.items():
        areas = [c for c in ax_a.collections if c.get_label().startswith(f"{lever}:")]
        lines = [x for x in ax_c.get_lines() if x.get_label() == f"{lever} alone"]
        for a in areas:
            assert _colour(a) == to_rgba(colour)[:3], lever
        for x in lines:
            assert _colour(x) == to_rgba(colour), lever
        checked += bool(areas) and bool(lines)
    assert checked == 3  # emission reduction, sink increase, carbon sequestration in both


def test_china_legend_leaves_out_zero_levers(china_figure):
    eff, fig = china_figure
    assert not np.any(eff["china_conservation"].sel(scenario="pathway").values)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [
        "gross fossil CO$_2$ (pathway)",
        "emission reduction: avoided gross fossil",
        "carbon sequestration: CCUS (stored)",
        "sink increase: extra ecosystem sink",
        "net CO$_2$ (pathway)",
        "net CO$_2$ (reference)",
        "no change: carbon conservation",
    ]
    assert not [c for c in fig.axes[0].collections if "conservation" in c.get_label()]


# ------------------------------------------------------------------------------ TCRE (report)
@pytest.fixture(scope="module")
def tcre_figure(history):
    variables = ["gsat", "cumulative_emissions_co2", "emissions_co2_fossil"]
    runs = {
        name: X.run(name, variables=variables)
        for name in ("esm-1pctCO2", "esm-flat10", "esm-flat10-zec", "esm-flat10-cdr")
    }
    fig = report_figures.figure_tcre(history, runs, 1.4)
    FigureCanvasAgg(fig).draw()  # constrained layout and the renderer's extents
    return fig


def test_tcre_legend_hides_no_shaded_range(tcre_figure):
    fig = tcre_figure
    renderer = fig.canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    for ax in fig.axes:
        if not ax.get_title(loc="left"):
            continue  # the secondary (GtCO2) axes
        assert ax.get_legend() is None
        (band,) = [c for c in ax.collections if c.get_label().startswith("AR6 likely TCRE")]
        shown = Bbox.intersection(band.get_window_extent(renderer), ax.get_window_extent(renderer))
        assert shown is not None and shown.width > 0
        assert not box.overlaps(shown), ax.get_title(loc="left")
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0] == "AR6 likely TCRE 1.0-2.3 K per 1000 GtC" and len(labels) == 7


def test_tcre_titles_fit_in_the_figure(tcre_figure):
    fig = tcre_figure
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    titles = [ax._left_title for ax in fig.axes if ax.get_title(loc="left")]
    assert len(titles) == 2
    for title in titles:
        b = title.get_window_extent(renderer)
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and b.y1 <= frame.y1, title.get_text()


# ------------------------------------------------------------------------------ one package
#: (old module, the module of esm.figures the names moved to, the names kept at the old path).
MOVED = [
    ("esm.plotting", "esm.figures.run", "RECENT GCB_YEARS NEGLIGIBLE_ERF covers is_experiment "
     "figure plot_run"),
    ("esm.plotting", "esm.figures.ensemble", "ensemble_percentiles ensemble_figure plot_ensemble"),
    ("esm.plotting", "esm.figures.budget", "budget_figure plot_budget goal_figure plot_goal"),
    ("esm.china.plot", "esm.figures.china", "LEVER_COLOURS COMPONENTS NEGLIGIBLE_GSAT "
     "effect_figure plot_effect sweep_figure plot_sweep"),
    ("esm.compare", "esm.figures.compare", "PLOT_START figure plot_compare"),
    ("esm.feedbacks", "esm.figures.feedbacks", "figure plot_waterfall"),
    ("esm.sensitivities", "esm.figures.sensitivity", "indices_figure plot_indices"),
    ("esm.report", "esm.figures.report", "figure_gsat figure_concentrations figure_erf_2019 "
     "figure_carbon_budget figure_tcre figure_assessment ASSESSMENT_PANELS FLAT10_YEARS"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "names"), MOVED)
def test_old_figure_paths_are_the_new_objects(old, new, names):
    import importlib

    old_module, new_module = importlib.import_module(old), importlib.import_module(new)
    for name in names.split():
        assert getattr(old_module, name) is getattr(new_module, name), (old, name)


def test_import_esm_imports_no_matplotlib():
    """The figures stay out of ``import esm`` (esm.sensitivities finds its chart on first use)."""
    code = "import sys, esm; print('matplotlib' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr[-2000:]


def test_save_is_atomic_and_keeps_the_format(tmp_path):
    """A failed save leaves the old file; the format follows the suffix."""
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().plot([0, 1])
    png = style.save(fig, tmp_path / "a.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = style.save(fig, tmp_path / "a.svg")
    assert b"<svg" in svg.read_bytes()[:500]
    before = png.read_bytes()
    with pytest.raises(ValueError, match="Format 'xyz' is not supported"):
        style.save(fig, tmp_path / "a.xyz")
    fig.text(0.5, 0.5, "$\\nocommand$")  # fails while drawing, after the file was opened
    with pytest.raises(ValueError):
        style.save(fig, png)
    assert png.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "a.svg"]


# ------------------------------------------------------------------------------ progress
def test_progress_counts_members():
    calls = []
    bar = E._Progress(4500, 3, True, lambda d, t: calls.append((d, t)))
    for size in (2000, 2000, 500):
        bar.update(size)
    assert (bar.bar.total, bar.bar.n, bar.bar.unit) == (4500, 4500, "member")
    assert calls == [(1, 3), (2, 3), (3, 3)]
    bar.close()


def test_progress_shown_in_a_notebook_or_for_several_chunks(monkeypatch):
    assert E._in_notebook() is False
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert E._Progress(1000, 1, None, None).bar.disable is True  # one chunk on a terminal
    assert E._Progress(3000, 2, None, None).bar.disable is False
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert E._Progress(3000, 2, None, None).bar.disable is True  # a log file
    monkeypatch.setattr(E, "_in_notebook", lambda: True)
    assert E._Progress(1000, 1, None, None).bar.disable is False


def test_ensemble_progress_totals_members(monkeypatch):
    made = []

    class Spy(E._Progress):
        def __init__(self, *args):
            super().__init__(*args)
            self.sizes = []
            made.append(self)

        def update(self, members):
            self.sizes.append(members)
            super().update(members)

    monkeypatch.setattr(E, "_Progress", Spy)
    esm.ensemble("ssp245", members=25, end=2030, variables=["gsat"], chunk_size=10)
    (bar,) = made
    assert bar.sizes == [10, 10, 5] and bar.bar.total == 25 and bar.total == 3


# ------------------------------------------------------------------------------ compile note
NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")


@pytest.mark.skipif(NO_JIT, reason="NUMBA_DISABLE_JIT: nothing is compiled")
def test_compile_message_once_and_only_when_compiling(monkeypatch, history):
    from esm.kernels.integrate import integrate_members

    monkeypatch.setattr(_jit, "_announced", False)
    assert _jit.will_compile(integrate_members) is False  # used by the history fixture
    assert _jit.will_compile(len) is False  # not a numba dispatcher (e.g. NUMBA_DISABLE_JIT)
    fresh = _jit.load().njit(cache=False)(lambda x: x + 1)
    assert _jit.will_compile(fresh) is True
    out = io.StringIO()
    assert _jit.announce_compile(fresh, out) is True
    assert _jit.announce_compile(fresh, out) is False  # once per process
    assert out.getvalue() == _jit.COMPILE_MESSAGE + "\n"
    fresh(1)
    assert _jit.will_compile(fresh) is False


@pytest.mark.skipif(NO_JIT or not _jit.CACHE, reason="no JIT or no on-disk cache")
def test_compile_detection_reads_the_on_disk_cache(history, tmp_path):
    """A new process sees the cache this session wrote; with an empty cache it would compile."""
    code = (
        "from esm.kernels import _jit, integrate; "
        "print(_jit.will_compile(integrate.integrate_members))"
    )
    for cache_dir, expected in ((None, "False"), (tmp_path, "True")):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        if cache_dir is not None:
            env["NUMBA_CACHE_DIR"] = str(cache_dir)
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert run.stdout.strip() == expected, (cache_dir, run.stderr[-2000:])
