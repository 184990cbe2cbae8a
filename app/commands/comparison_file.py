"""Reading the comparison file a subcommand was given."""

from __future__ import annotations

import sys

from app.domain.errors import PresetFileError
from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison


def resolve_or_report(file: str) -> ResolvedComparison | None:
    """The comparison in ``file`` resolved for the engine, or None after printing its problems."""
    try:
        return load_comparison(file, PresetLibrary())[1]
    except PresetFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None
