"""Command-line options shared by subcommands and the app launcher (imports nothing heavy)."""

from __future__ import annotations

import argparse

MAX_SAMPLES = 20_000
"""Memory grows by about 25 kB per sample for a 4-scenario, 5-year comparison
(benchmarks/bench_engine.py); 20,000 samples stay near 0.5 GB."""


QUICK_SAMPLES = 100
"""The window first computes each request with this many samples (at most ``--samples``), so the charts
follow an edit at once, then again with every sample once edits pause (``app.gui.engine_worker``)."""


def sample_count(text: str) -> int:
    """argparse type of ``--samples``: a whole number from 1 to MAX_SAMPLES."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= count <= MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_SAMPLES:,}, not {count}")
    return count


def add_samples_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--samples", type=sample_count, default=1000, metavar="N",
        help="Monte Carlo samples for inputs with ranges (default 1000)",
    )
