"""``jevons report FILE --out DIR``: the report bundle, headless (report.html and report.pdf)."""

from __future__ import annotations

import argparse
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.comparison_file import add_comparison_argument, write_files
from app.session.options import add_samples_option

if TYPE_CHECKING:
    from app.domain.library import ResolvedComparison
    from app.engine.results import ComparisonResult


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML report (verdict, summary, every chart, every input with its source) and a PDF",
        description="Compute a comparison and write report.html (one self-contained file) and report.pdf into DIR.",
    )
    add_comparison_argument(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    add_samples_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return write_files("report", args.file, args.samples, partial(_render, out=Path(args.out)))


def _render(resolved: ResolvedComparison, result: ComparisonResult, out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # rendering never needs a screen
    from app.render.offscreen import report_comparison

    return report_comparison(resolved, result, out)
