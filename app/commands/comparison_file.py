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
    or None after printing its problems (a deployment that cannot hold its model among them,
    :mod:`app.engine.memory_fit`)."""
    path = paths.file_or_shipped_comparison(file)
    try:
        resolved = load_comparison(path, PresetLibrary())[1]
        from app.engine import memory_fit  # the engine loads only once the file is read

        memory_fit.check(resolved, path)  # a replica that cannot hold its model is a problem of the file
        return resolved
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


def engine_failure(command: str, file: str, error: Exception) -> int:
    """Say in one line why the engine could not compute ``file``; the exit code: 2 when the file's inputs
    made a figure impossible (:class:`~app.engine.output_check.ResultOutOfRange`, a problem of the file,
    named as ``validate`` names one), 1 for any other failure. Every command reports it alike."""
    from app.engine.output_check import ResultOutOfRange

    if isinstance(error, ResultOutOfRange):
        print(terminal_safe(f"{file}: scenarios[{error.scenario_index}]: {error.message}"), file=sys.stderr)
        return 2
    print(f"jevons {command}: the engine could not compute {file}: {type(error).__name__}: {error}", file=sys.stderr)
    return 1


def write_files(
    command: str, file: str, samples: int, render: Callable[[ResolvedComparison, ComparisonResult], list[Path]]
) -> int:
    """``jevons COMMAND FILE``'s files: the comparison resolved, computed and given to ``render``, which writes
    them; each path written is printed. The exit code: 0, 2 for a bad file (or one whose inputs make a figure
    impossible), 1 when computing or writing fails otherwise (said in one line)."""
    from app.report.formats import ExportError

    resolved = resolve_or_report(file)
    if resolved is None:
        return 2
    from app.engine.evaluate import evaluate  # the engine loads only once the file is read
    from app.report.metadata import SEED

    try:
        result = evaluate(resolved, samples=samples, seed=SEED)  # the window's seed, which the files state
    except Exception as error:  # reported plainly, never as a traceback
        return engine_failure(command, file, error)
    try:
        written = render(resolved, result)
    except ExportError as error:
        print(f"jevons {command}: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
