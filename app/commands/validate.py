"""``jevons validate FILE...``: check preset files without opening the app."""

from __future__ import annotations

import argparse
import sys

from app import paths
from app.commands.comparison_file import unknown_id
from app.domain.errors import PresetFileError
from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.loading import load_any
from app.domain.quoting import terminal_safe
from app.domain.scenario import Comparison


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check preset files and report every problem",
        description="Check preset and comparison files. Exit 0 when all are valid, 2 otherwise.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a preset or comparison file, or a shipped comparison's id")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    library = PresetLibrary()
    problems = []
    total = 0
    for file in args.files:
        path = paths.file_or_shipped_comparison(file)
        try:
            if isinstance(preset := load_any(path, library), Comparison):
                from app.engine import memory_fit  # numpy and the engine, for comparisons only

                memory_fit.check(resolve_comparison(preset, library, str(path)), str(path))
        except PresetFileError as error:
            for problem in error.problems:
                print(terminal_safe(str(problem)), file=sys.stderr)
            unknown_id(file, path)
            problems.extend(error.problems)
            total += error.total
    if problems:
        bad = len({p.file for p in problems})
        print(f"{bad} of {len(args.files)} file(s) invalid, {total} problem(s)", file=sys.stderr)
        return 2
    print(f"{len(args.files)} file(s) valid")
    return 0
