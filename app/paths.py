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


def looks_like_id(file: str) -> bool:
    """True for a bare name such as ``deepseek-question``: no folder separator, no ``.json``."""
    return not ("/" in file or "\\" in file or file.endswith(".json"))


def shipped_comparison_ids() -> list[str]:
    """Ids of the shipped comparisons (their file names without ``.json``), sorted."""
    return sorted(p.stem for p in (presets_dir() / "comparisons").glob("*.json"))


def file_or_shipped_comparison(file: str) -> str:
    """``file`` itself, or the shipped comparison of that id when no such file exists.

    One rule for every entry point (``jevons ID``, ``validate``, ``evaluate``,
    ``export``, ``report``, ``sweep``): a file of that name in the working folder
    wins, so an id never hides a user's own file.
    """
    if Path(file).exists() or not looks_like_id(file):
        return file
    shipped = presets_dir() / "comparisons" / f"{file}.json"
    return str(shipped) if shipped.is_file() else file
