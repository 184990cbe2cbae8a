"""Reading the comparison file a subcommand was given."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.domain.errors import PresetFileError, did_you_mean
from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison
from app.domain.quoting import terminal_safe

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.engine.results import ComparisonResult


def add_comparison_argument(parser: argparse.ArgumentParser) -> None:
    """The ``FILE`` a subcommand computes: what :func:`resolve_or_report` reads."""
    parser.add_argument("file", metavar="FILE", help="a comparison file (.json), or a shipped comparison's id "
                        "(deepseek-question)")


def resolve_or_report(file: str) -> ResolvedComparison | None:
    """The comparison in ``file`` (a path, or a shipped comparison's id) resolved for the engine,
    or None after printing its problems."""
    path = paths.file_or_shipped_comparison(file)
    try:
        return load_comparison(path, PresetLibrary())[1]
    except PresetFileError as error:
        for problem in error.problems:
            print(terminal_safe(str(problem)), file=sys.stderr)
        unknown_id(file, path)
        return None


def unknown_id(file: str, path: str) -> None:
    """After the problems of a missing ``file`` that looks like an id: say which ids are shipped."""
    if path == file and paths.looks_like_id(file) and not Path(file).exists():
        shipped = paths.shipped_comparison_ids()
        guess = did_you_mean(file, shipped)
        print(f"{file}: no shipped comparison has this id either{'; ' + guess if guess else ''} "
              f"(shipped: {', '.join(shipped)})", file=sys.stderr)


def _evaluated_or_report(command: str, file: str, resolved: ResolvedComparison, samples: int) -> ComparisonResult | None:
    """The engine's result for ``resolved`` with the window's seed (:data:`~app.report.metadata.SEED`, which
    the files' metadata states), or None after one line saying why the engine could not compute it."""
    from app.engine.evaluate import evaluate  # the engine loads only once the file is read
    from app.report.metadata import SEED

    try:
        return evaluate(resolved, samples=samples, seed=SEED)
    except Exception as error:  # reported plainly, never as a traceback
        print(f"jevons {command}: the engine could not compute {file}: {type(error).__name__}: {error}", file=sys.stderr)
        return None


def write_files(
    command: str, file: str, samples: int, render: Callable[[ResolvedComparison, ComparisonResult], list[Path]]
) -> int:
    """``jevons COMMAND FILE``'s files: the comparison resolved, computed and given to ``render``, which writes
    them; each path written is printed. The exit code: 0, 2 for a bad file, 1 when computing or writing fails
    (said in one line)."""
    from app.report.formats import ExportError

    resolved = resolve_or_report(file)
    if resolved is None:
        return 2
    result = _evaluated_or_report(command, file, resolved, samples)
    if result is None:
        return 1
    try:
        written = render(resolved, result)
    except ExportError as error:
        print(f"jevons {command}: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
