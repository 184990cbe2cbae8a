"""Locate the shipped ``presets/``, ``resources/`` and ``docs/`` folders.

In a source checkout they sit beside the ``app`` package; in an installed wheel
they are packaged as ``app/_data/``. Nothing is ever looked up relative to the
working directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Jevons cannot find its '{name}' folder: looked in {_PACKAGE / '_data' / name} "
        f"and {_PACKAGE.parent / name}. The installation is incomplete."
    )


def presets_dir() -> Path:
    """The folder of shipped preset files."""
    return _data_dir("presets")


def resources_dir() -> Path:
    """The folder of icons, styles and the preset JSON Schema."""
    return _data_dir("resources")


def docs_dir() -> Path:
    """The folder of the documentation shown in the app (the methodology)."""
    return _data_dir("docs")
