"""The validation report (esm.report): runs end to end, is reproducible, lists its limits.

The committed ``validation/report.md`` must equal a freshly generated one byte for byte, so a
change of the model (or of the targets) without ``esm validate --out validation`` fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from esm import report, validate
from esm._data import validation_dir


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return report.write_report(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def checks():
    return validate.history_checks()


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def _linked_figures(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\((figures/[\w\-]+\.png)\)", text)


def test_report_end_to_end(generated, checks):
    assert generated.name == "report.md" and generated.is_file()
    text = generated.read_text(encoding="utf-8")
    for name in checks.index:
        assert f"`{name}`" in text, name
    links = _linked_figures(text)
    assert sorted(links) == sorted(f"figures/{n}.png" for n in report.FIGURES)
    for link in links:
        png = generated.parent / link
        assert png.is_file(), link
        assert 10_000 < png.stat().st_size < 150_000, (link, png.stat().st_size)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_committed_report_is_up_to_date(generated):
    """validation/report.md is what write_report produces now: regenerate it with
    ``esm validate --out validation`` after changing the model or the targets."""
    committed = validation_dir() / "report.md"
    assert committed.is_file(), "validation/report.md missing: run esm validate --out validation"
    fresh = generated.read_text(encoding="utf-8")
    assert committed.read_text(encoding="utf-8") == fresh, (
        "validation/report.md is out of date: run `esm validate --out validation`"
    )
    for link in _linked_figures(fresh):
        assert (committed.parent / link).is_file(), link


def test_report_is_deterministic(generated, tmp_path):
    again = report.markdown(report.collect())
    assert again == generated.read_text(encoding="utf-8")


def test_known_limits_are_exactly_the_outside_targets(generated, checks):
    limits = _section(generated.read_text(encoding="utf-8"), "Known limits")
    listed = re.findall(r"^- `([\w\-]+)`", limits, flags=re.M)
    outside = [n for n, v in checks["inside"].items() if v is False or v is np.False_]
    assert sorted(listed) == sorted(outside)
    for name in outside:
        line = next(x for x in limits.splitlines() if x.startswith(f"- `{name}`"))
        assert report.fmt(checks.loc[name, "model"]) in line


def test_assessment_section(generated):
    """The posterior assessment: every quantity, members and weighting stated, the figure."""
    section = _section(generated.read_text(encoding="utf-8"), "Posterior assessment")
    n = validate.ASSESSMENT_MEMBERS
    assert f"first {n} members of the shipped posterior" in section
    assert "unweighted" in section
    assert "![posterior vs assessed ranges](figures/assessment.png)" in section
    for q in validate.QUANTITIES:
        row = next(x for x in section.splitlines() if x.startswith(f"| `{q.name}` |"))
        assert ("| calibrated: " in row) == bool(q.calibrated), q.name
        assert f"`{q.target}`" in row, q.name


def test_summary_counts(generated, checks):
    text = generated.read_text(encoding="utf-8")
    inside = int(checks["inside"].map(lambda v: v is True or v is np.True_).sum())
    outside = int(checks["inside"].map(lambda v: v is False or v is np.False_).sum())
    assert f"**{inside} of {inside + outside} targets with a range are inside it" in text


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (0.861571, 4, "0.8616"),
        (3.000093, 4, "3.000"),
        (1866.292327, 4, "1866"),
        (-0.2554, 3, "-0.255"),
        (9.99996, 4, "10.00"),
        (0.0, 4, "0"),
        (float("nan"), 4, "–"),
        (123456.7, 3, "123000"),
    ],
)
def test_fmt_significant_digits(x, digits, expected):
    assert report.fmt(x, digits) == expected


def test_fmt_fixed_has_no_negative_zero():
    assert report.fmt_fixed(-1e-14, 0) == "0"
    assert report.fmt_fixed(-0.0004, 3) == "0.000"
    assert report.fmt_fixed(-0.0762, 3) == "-0.076"


SOURCES = [  # (source text of targets.csv, short form)
    ("Friedlingstein, P. et al. (2022), Global Carbon Budget 2021", "Friedlingstein et al. 2022"),
    ("IPCC AR6 WGI Summary for Policymakers (IPCC 2021), doi:10.1017/x", "IPCC 2021"),
    ("AR6 WGI Ch7 section 7.3: Meinshausen et al. (2020) formula", "Meinshausen et al. 2020"),
    ("project target: RMSE below 0.15 K", "project"),
    ("project target (x); MacDougall, A. H. et al. (2020), Is", "project, MacDougall et al. 2020"),
    ("AR6 WGI Ch7 Table 7.1 energy inventory, computed", "AR6 WGI Ch7 Table 7.1 energy inventory"),
]


@pytest.mark.parametrize(("source", "short"), SOURCES)
def test_short_source(source, short):
    assert report.short_source(source) == short
