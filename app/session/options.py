"""Command-line options shared by subcommands and the app launcher (imports nothing heavy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import paths

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


def window_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` -> ``(1280, 720)``; argparse reports anything else."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.strip().isdigit() and height.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x720")
    size = int(width), int(height)
    if not (320 <= size[0] <= 10000 and 240 <= size[1] <= 10000):
        raise argparse.ArgumentTypeError(f"{text!r} is outside 320x240 .. 10000x10000")
    return size


def launcher_parser() -> argparse.ArgumentParser:
    """``jevons [FILE] [--screenshot PATH] [--size WxH]``: the desktop app's own options (``app.gui.launch``),
    which ``jevons --help`` lists too."""
    parser = argparse.ArgumentParser(
        prog="jevons",
        description="Compare the lifecycle energy of AI models. Opens the shipped "
        "'DeepSeek question' comparison when no FILE is given.",
    )
    parser.add_argument(
        "file", nargs="?", metavar="FILE", type=paths.file_or_shipped_comparison,
        help="a comparison (or single preset) file to open, or a shipped comparison's id (e.g. training-race)",
    )
    parser.add_argument(
        "--screenshot", metavar="PATH", help="render the main window to a PNG once the charts are drawn, then exit"
    )
    parser.add_argument(
        "--size", type=window_size, metavar="WxH", help="window size in pixels, e.g. 1280x720 (default: the last one used)"
    )
    parser.add_argument("--samples", type=sample_count, default=1000, help=argparse.SUPPRESS)
    return parser
