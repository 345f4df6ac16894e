"""The documentation site builds offline in strict mode and shows what the code declares.

One ``mkdocs build --strict`` into a temporary folder (about 20 s): strict mode turns every
warning (a broken link, a missing page, a docstring griffe cannot parse, a model state the
diagram does not place) into a failure. The generated pages (docs/hooks.py) live only in the
built site; the test checks that the build leaves the repository untouched.
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

#: minutes, not seconds: deselect with -m "not slow" while developing (CI runs them)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "zh")


def _load_hooks():
    spec = importlib.util.spec_from_file_location("esm_docs_hooks", ROOT / "docs" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(path: Path) -> str:
    """Visible text of an HTML page, whitespace collapsed."""
    raw = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(raw).split())


def _docs_files() -> set[str]:
    return {
        str(p.relative_to(ROOT))
        for p in (ROOT / "docs").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install '.[docs]')")
    pytest.importorskip("mkdocstrings", reason="mkdocstrings is not installed")
    pytest.importorskip("material", reason="mkdocs-material is not installed")
    out = tmp_path_factory.mktemp("site")
    before = _docs_files()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    assert _docs_files() == before, "the build wrote into docs/"
    assert not (ROOT / "docs" / "generated").exists()
    return out


def test_api_reference_shows_the_docstring_of_run(site):
    import esm

    doc = inspect.getdoc(esm.run)
    first = doc.split("\n\n")[0].replace("``", "")
    page = _text(site / "api" / "run" / "index.html")
    squeeze = re.compile(r"\s+")  # tags around code leave spaces; compare without any
    assert squeeze.sub("", first) in squeeze.sub("", page)
    for name in inspect.signature(esm.run).parameters:
        assert name in page, f"parameter {name} of esm.run is missing from the API page"
    assert ":func:" not in page and ":mod:" not in page  # Sphinx roles are shown as code


def test_parameter_page_lists_every_parameter(site):
    import esm

    table = esm.params.table()
    page = (site / "generated" / "parameters" / "index.html").read_text(encoding="utf-8")
    missing = [n for n in table.index if f'id="{n}"' not in page]
    assert not missing, f"parameters missing from the generated page: {missing}"


def test_output_page_lists_every_output(site):
    from esm import metadata

    page = _text(site / "generated" / "outputs" / "index.html")
    missing = [n for n in metadata.OUTPUTS if n not in page]
    assert not missing


def test_generated_figures_and_validation_report(site):
    gen = site / "generated"
    for png in ("model-diagram.png", "first-run.png"):
        assert (gen / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = _text(gen / "validation" / "index.html")
    assert "esm validation report" in report
    for fig in (ROOT / "validation" / "figures").glob("*.png"):
        assert (gen / "figures" / fig.name).is_file()


def test_command_pages_show_the_help_of_every_command(site):
    from esm import cli

    for name in cli.COMMANDS:
        for prefix in ("", "zh/"):
            page = site / prefix / "guide" / name / "index.html"
            if not page.is_file():
                page = site / "generated" / prefix / "guide" / name / "index.html"
            assert f"usage: esm {name}" in _text(page), f"{prefix}guide/{name}"


def test_lesson_pages_exist_for_every_lesson(site):
    for lang in LANGS:
        assert (site / "generated" / "lessons" / lang / "index.html").is_file()
        for script in sorted((ROOT / "lessons" / lang).glob("*.py")):
            page = site / "generated" / "lessons" / lang / script.stem / "index.html"
            assert page.is_file(), f"no page for lessons/{lang}/{script.name}"


def test_chinese_pages_are_built(site):
    text = _text(site / "zh" / "getting-started" / "index.html")
    assert "入门" in text and "esm run ssp245" in text


# ------------------------------------------------------------------ the hook's own logic
def test_lesson_conversion():
    hooks = _load_hooks()
    source = (
        "# ---\n# jupyter:\n#   jupytext: {}\n# ---\n\n"
        "# %% [markdown]\n# # Title\n#\n# Text with a [link](02_next.py).\n\n"
        "# %%\nimport esm\nprint(1)\n\n"
        '# %% [markdown]\n"""\nDocstring cell.\n"""\n'
    )
    md = hooks.convert_lesson(source)
    assert md.startswith("# Title\n\nText with a [link](02_next.md).")
    assert "```python\nimport esm\nprint(1)\n```" in md
    assert "Docstring cell." in md and "jupytext" not in md


def test_model_diagram_names_exist_in_the_kernel_layout():
    hooks = _load_hooks()
    assert hooks.check_processes() == []
