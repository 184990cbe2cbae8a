"""``jevons export FILE --out DIR``: the window's charts as files, without a screen.

The charts are the same widgets the window shows, laid out offscreen and
rendered by the same code (``app.render``), so the files match the app.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.comparison_file import add_comparison_argument, write_files
from app.report.formats import DEFAULT_SCALE, FORMATS, ExportError, check_scale, parse_formats
from app.session.options import add_samples_option

if TYPE_CHECKING:
    from app.domain.library import ResolvedComparison
    from app.engine.results import ComparisonResult


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="render a comparison's charts to PNG/SVG/PDF and their data to CSV",
        description="Compute a comparison and write one file per chart and format into DIR "
        "(training-spend, inference-cost, adoption-totals, sensitivity; summary.csv with CSV). "
        "Exit 0 on success, 2 for a bad file or option, 1 when computing or writing fails.",
    )
    add_comparison_argument(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    parser.add_argument(
        "--format", default=",".join(FORMATS), metavar="LIST", help=f"comma-separated, of {', '.join(FORMATS)} (default: all)"
    )
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE, metavar="N", help="PNG scale (default 2)")
    add_samples_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        formats = parse_formats(args.format)
        scale = check_scale(args.scale)
    except ExportError as error:
        print(f"jevons export: {error}", file=sys.stderr)
        return 2
    return write_files("export", args.file, args.samples, partial(_render, out=Path(args.out), formats=formats,
                                                                    scale=scale))


def _render(resolved: ResolvedComparison, result: ComparisonResult, out: Path, formats: list[str],
            scale: float) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # rendering never needs a screen
    from app.render.offscreen import export_comparison

    return export_comparison(resolved, result, out, formats, scale)
