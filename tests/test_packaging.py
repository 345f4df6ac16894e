"""What ``pip install .`` ships: every subpackage and every data file the package reads.

An installed package must run offline without the source tree (README's first command line),
so a subpackage or data file missing from pyproject.toml breaks users but not the tests run
from the checkout. These tests read pyproject.toml and compare it with the tree.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

REPO = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def _source_dir(package: str) -> Path:
    """The folder setuptools installs as ``package`` (honouring package-dir)."""
    mapping = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for k in range(len(parts), 0, -1):
        head = ".".join(parts[:k])
        if head in mapping:
            return REPO / mapping[head] / Path(*parts[k:])
    return REPO / Path(*parts)


def test_every_subpackage_is_installed():
    listed = set(SETUPTOOLS["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "esm").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(found - listed)
    assert not missing, f"not in pyproject.toml [tool.setuptools] packages: {missing}"
    for package in listed:
        assert _source_dir(package).is_dir(), f"{package}: {_source_dir(package)} does not exist"


@pytest.mark.parametrize("package", ["esm.params", "esm._forcings", "esm._validation"])
def test_every_data_file_is_installed(package):
    folder = _source_dir(package)
    patterns = SETUPTOOLS["package-data"].get(package, [])
    data = [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data, f"{folder} holds no data files"
    missing = [f for f in data if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not missing, f"{package}: files not matched by package-data {patterns}: {missing}"
