"""Command-line options shared by subcommands and the app launcher (imports nothing heavy)."""

from __future__ import annotations

import argparse


def sample_count(text: str) -> int:
    """argparse type of ``--samples``: a whole number of at least 1."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {count}")
    return count


def add_samples_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--samples", type=sample_count, default=1000, metavar="N",
        help="Monte Carlo samples for inputs with ranges (default 1000)",
    )
