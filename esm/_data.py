"""Locations of the data shipped with esm (``forcings/`` and ``validation/``).

In a source checkout the folders sit next to the ``esm`` package; an installed wheel carries
them as the sub-packages ``esm._forcings`` and ``esm._validation`` (see pyproject.toml). The
model never reads anything outside these folders and never downloads.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


def _locate(package: str, folder: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    path = Path(__file__).resolve().parent.parent / folder
    if not path.is_dir():
        raise FileNotFoundError(
            f"esm data folder {folder!r} not found (looked for package {package} and {path}); "
            "reinstall esm"
        )
    return path


@cache
def forcings_dir() -> Path:
    """Folder with scenario emissions and natural forcing."""
    return _locate("esm._forcings", "forcings")


@cache
def validation_dir() -> Path:
    """Folder with observational validation data."""
    return _locate("esm._validation", "validation")
