"""Reading the comparison file a subcommand was given."""

from __future__ import annotations

import sys
from pathlib import Path

from app import paths
from app.domain.errors import PresetFileError
from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison


def _looks_like_id(file: str) -> bool:
    return not ("/" in file or "\\" in file or file.endswith(".json"))


def comparison_path(file: str) -> str:
    """``file`` itself, or the shipped comparison of that id when no such file exists ("deepseek-question")."""
    if Path(file).exists() or not _looks_like_id(file):
        return file
    shipped = paths.presets_dir() / "comparisons" / f"{file}.json"
    return str(shipped) if shipped.is_file() else file


def shipped_comparison_ids() -> list[str]:
    return sorted(p.stem for p in (paths.presets_dir() / "comparisons").glob("*.json"))


def resolve_or_report(file: str) -> ResolvedComparison | None:
    """The comparison in ``file`` (a path, or a shipped comparison's id) resolved for the engine,
    or None after printing its problems."""
    path = comparison_path(file)
    try:
        return load_comparison(path, PresetLibrary())[1]
    except PresetFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        if path == file and _looks_like_id(file) and not Path(file).exists():
            print(f"{file}: no shipped comparison has this id either (shipped: {', '.join(shipped_comparison_ids())})",
                  file=sys.stderr)
        return None
