"""The README's two command lines, its output table and .ci/run agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

from esm import metadata

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
RUN_LINE = "pip install . && esm run ssp245 --out ssp245.nc --plot ssp245.png"
TEST_LINE = 'pip install ".[test]" && python -m pytest -q'


def code_blocks(text: str) -> list[str]:
    """The contents of the fenced code blocks of a Markdown text, fence by fence (the prose
    between a closing and the next opening fence is not a block)."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_code_blocks_are_read_fence_by_fence():
    text = "```\na\n```\nprose: pip install x\n```python\nb = 1\n```\n"
    assert code_blocks(text) == ["a\n", "b = 1\n"]


def test_readme_has_exactly_the_two_command_lines():
    blocks = code_blocks(README)
    one_line = [b.strip() for b in blocks if "\n" not in b.strip()]
    assert RUN_LINE in one_line and TEST_LINE in one_line
    assert sum("pip install" in b for b in blocks) == 2


def test_ci_runs_the_readme_test_line_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert TEST_LINE in ci.splitlines()


def test_output_table_matches_metadata():
    """Every output variable appears in the README table with its units."""
    rows = [r for r in README.splitlines() if r.startswith("| `")]
    documented = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        units = cells[1].replace("µmol", "umol")
        names = re.findall(r"`([a-z0-9_]+)`", cells[0])
        unit_list = [u.strip() for u in units.split(",")]
        for i, name in enumerate(names):
            documented[name] = unit_list[min(i, len(unit_list) - 1)]
    for name, var in metadata.OUTPUTS.items():
        assert name in documented, f"{name} missing from the README output table"
        assert documented[name] == var.units, (name, documented[name], var.units)
    for name in metadata.PUBLIC:
        assert re.search(rf"`{name}` ★", README), f"{name} should be marked as contract"
