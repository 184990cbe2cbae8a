"""``jevons report FILE --out DIR``: the report bundle, headless (report.html and report.pdf)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.commands.comparison_file import add_comparison_argument, evaluated_or_report, resolve_or_report
from app.report.formats import ExportError
from app.session.options import add_samples_option


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
    resolved = resolve_or_report(args.file)
    if resolved is None:
        return 2
    result = evaluated_or_report("report", args.file, resolved, args.samples)
    if result is None:
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # rendering never needs a screen
    from app.render.offscreen import report_comparison

    try:
        written = report_comparison(resolved, result, Path(args.out))
    except ExportError as error:
        print(f"jevons report: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
