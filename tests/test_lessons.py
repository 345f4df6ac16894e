"""The lessons in ``lessons/`` (English and Chinese) run, make their figures and agree.

Every lesson script runs as a learner would run it (``python lessons/en/01_....py``) in a
subprocess with ``ESM_LESSON_OUT`` pointing at a temporary folder and the Agg backend, two
lessons at a time. The Chinese scripts must have exactly the English code: only comments and
markdown differ.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

#: minutes, not seconds: deselect with -m "not slow" while developing (CI runs them)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LESSONS_DIR = ROOT / "lessons"
LANGUAGES = ("en", "zh")

#: Lesson -> the figures it must write into ESM_LESSON_OUT.
LESSONS = {
    "01_carbon_budget": (
        "01_annual_budget.png",
        "01_airborne_fraction.png",
        "01_cumulative_pools.png",
    ),
    "02_tcre": ("02_warming_vs_emissions.png", "02_tcre_factors.png", "02_zec.png"),
    "03_carbonate_chemistry": ("03_carbonate_chemistry.png", "03_ssp585_ocean_share.png"),
    "04_feedbacks": ("04_feedback_runs.png", "04_feedback_contributions.png"),
    "05_non_co2": ("05_erf_components.png", "05_so2_vs_co2_stop.png"),
    "06_china_levers": ("06_china_pathway.png", "06_china_levers.png"),
}

#: Per language: the learning-goal marker, the exercise heading of each exercise and the hint.
MARKERS = {
    "en": ("**Learning goal:**", r"^# \*\*Exercise \d+\.\*\*", "*Hint:*"),
    "zh": ("**学习目标：**", r"^# \*\*练习 \d+\.\*\*", "*提示：*"),
}

#: A lesson must run in under 60 s on two cores; the assertion is a generous ceiling so that
#: a loaded test machine does not fail the suite (the measured time is in the message).
TIME_CEILING = 120.0
MIN_FIGURE_BYTES = 10_000


def _path(lang: str, lesson: str) -> Path:
    return LESSONS_DIR / lang / f"{lesson}.py"


def cells(path: Path) -> list[tuple[str, str]]:
    """The (kind, text) cells of a percent-format script; kind is "code" or "markdown"."""
    out: list[tuple[str, str]] = []
    kind, lines = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            if kind is not None:
                out.append((kind, "\n".join(lines)))
            kind = "markdown" if "[markdown]" in line else "code"
            lines = []
        else:
            lines.append(line)
    if kind is not None:
        out.append((kind, "\n".join(lines)))
    return out


def code_cells(path: Path) -> list[str]:
    """Each code cell as an AST dump: comments and formatting do not count, code does."""
    return [ast.dump(ast.parse(text)) for kind, text in cells(path) if kind == "code"]


def markdown(path: Path) -> str:
    return "\n".join(text for kind, text in cells(path) if kind == "markdown")


@dataclass
class Run:
    script: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def _run(lang: str, lesson: str, out: Path) -> Run:
    """Run one lesson as a learner would, figures into ``out``, and time it."""
    script = _path(lang, lesson)
    env = {**os.environ, "ESM_LESSON_OUT": str(out), "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    seconds = time.perf_counter() - start
    return Run(script, out, proc.returncode, proc.stdout, proc.stderr, seconds)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """Every lesson in both languages, two at a time (the lessons are single-threaded)."""
    base = tmp_path_factory.mktemp("lessons")
    jobs = [(lang, lesson) for lesson in LESSONS for lang in LANGUAGES]
    for lang, lesson in jobs:
        (base / f"{lang}-{lesson}").mkdir()
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda j: _run(*j, base / f"{j[0]}-{j[1]}" / "figures"), jobs)
        return dict(zip(jobs, done, strict=True))


@pytest.mark.parametrize("lesson", list(LESSONS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_lesson_runs_and_writes_figures(lang, lesson, runs):
    r = runs[(lang, lesson)]
    name = r.script.relative_to(ROOT)
    assert r.returncode == 0, (
        f"{name} failed (rc {r.returncode}, {r.seconds:.1f} s):\n"
        f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    )
    assert r.seconds < TIME_CEILING, f"{name} took {r.seconds:.1f} s (budget 60 s on two cores)"
    for fig_name in LESSONS[lesson]:
        fig = r.out / fig_name
        assert fig.exists(), f"{name} did not write {fig_name}"
        assert fig.stat().st_size > MIN_FIGURE_BYTES, f"{fig_name} is only {fig.stat().st_size} B"
    written = sorted(p.name for p in r.out.iterdir())
    assert written == sorted(LESSONS[lesson]), f"unexpected figures: {written}"
    assert not re.search(r"\bnan\b", r.stdout, re.IGNORECASE), r.stdout
    assert "Warning" not in r.stderr, r.stderr
    print(f"{name}: {r.seconds:.1f} s")


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_chinese_code_is_the_english_code(lesson):
    en, zh = (code_cells(_path(lang, lesson)) for lang in LANGUAGES)
    assert len(en) == len(zh), f"{lesson}: {len(en)} English and {len(zh)} Chinese code cells"
    for i, (a, b) in enumerate(zip(en, zh, strict=True)):
        assert a == b, f"{lesson}: code cell {i + 1} differs between en and zh"
    n_md = [sum(k == "markdown" for k, _ in cells(_path(lang, lesson))) for lang in LANGUAGES]
    assert n_md[0] == n_md[1], f"{lesson}: markdown cells en/zh {n_md}"


@pytest.mark.parametrize("lesson", list(LESSONS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_lesson_has_goal_and_exercises(lang, lesson):
    goal, exercise, hint = MARKERS[lang]
    text = markdown(_path(lang, lesson))
    assert goal in text, f"{lang}/{lesson}: no learning goal ({goal})"
    source = _path(lang, lesson).read_text(encoding="utf-8")
    n_ex = len(re.findall(exercise, source, re.MULTILINE))
    assert n_ex >= 2, f"{lang}/{lesson}: {n_ex} exercise(s), at least 2 wanted"
    assert text.count(hint) >= n_ex, f"{lang}/{lesson}: every exercise needs a hint"
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", text), f"zh/{lesson}: markdown is not in Chinese"


def test_every_lesson_is_listed_in_the_readmes():
    for readme, lang in (("README.md", "en"), ("README.zh.md", "zh")):
        text = (LESSONS_DIR / readme).read_text(encoding="utf-8")
        for lesson in LESSONS:
            assert f"{lang}/{lesson}.py" in text, f"lessons/{readme} does not list {lesson}"
    scripts = {p.stem for lang in LANGUAGES for p in (LESSONS_DIR / lang).glob("*.py")}
    assert scripts == set(LESSONS), f"lesson scripts without a test entry: {scripts - set(LESSONS)}"
