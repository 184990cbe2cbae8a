"""Load any preset file and check that what it refers to exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.errors import PresetFileError, Problem
from app.domain.files import load_preset
from app.domain.library import PresetLibrary, ResolvedComparison, resolve_comparison
from app.domain.scenario import Comparison


def load_any(path: str | Path, library: PresetLibrary) -> Any:
    """Load a preset or comparison; a comparison must also resolve against ``library``."""
    preset = load_preset(path)
    if isinstance(preset, Comparison):
        resolve_comparison(preset, library, str(path))
    return preset


def load_comparison(path: str | Path, library: PresetLibrary) -> tuple[Comparison, ResolvedComparison]:
    """Load a comparison file and resolve it for the engine.

    A file that holds a single preset is not a comparison and is reported so.
    """
    preset = load_preset(path)
    if not isinstance(preset, Comparison):
        raise PresetFileError(
            [Problem(str(path), "kind", f"holds a {preset.kind} preset; a comparison file is needed here")]
        )
    return preset, resolve_comparison(preset, library, str(path))
