"""Command-line options shared by subcommands and the app launcher (imports nothing heavy)."""

from __future__ import annotations

import argparse
from pathlib import Path

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


SEED_LIMIT = 2**32
"""Seeds run from 0 to 2**32 - 1: the sampler keys its streams with 32 bits of the seed
(``app.engine.sampling``), so a larger seed would silently repeat a smaller one's draws."""


def seed_value(text: str) -> int:
    """argparse type of ``--seed``: a whole number from 0 to SEED_LIMIT - 1."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 0 <= seed < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 0 to {SEED_LIMIT - 1:,}, not {seed}")
    return seed


def add_seed_option(parser: argparse.ArgumentParser) -> None:
    from app.report.metadata import SEED  # here: the window's launcher imports this module before its frame

    parser.add_argument("--seed", type=seed_value, default=SEED, metavar="S",
                        help=f"random seed, 0 to {SEED_LIMIT - 1:,} (default {SEED}, the window's)")


def image_path(text: str) -> Path:
    """argparse type of an image file option: a path whose suffix names a format the charts are written
    in (checked before anything is computed, so a typo does not cost a whole run)."""
    from app.report.formats import ExportError, image_format

    path = Path(text)
    try:
        image_format(path)
    except ExportError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return path
