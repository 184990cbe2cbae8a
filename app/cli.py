"""Command line of Jevons.

``jevons`` alone launches the desktop app, ``jevons FILE`` opens a file in it,
and subcommands give headless access (``jevons validate FILE...`` ...).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.commands import calibrate, evaluate, export, report, sweep, validate

SUBCOMMANDS = (validate, evaluate, export, report, sweep, calibrate)
"""Modules that each register one headless subcommand."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jevons",
        description="Compare the lifecycle energy of AI models. Without a command, launch the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"jevons {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def subcommand_names() -> set[str]:
    """Names of the headless subcommands (anything else launches the app)."""
    subparsers = argparse.ArgumentParser().add_subparsers()
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return set(subparsers.choices)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and (argv[0] in subcommand_names() or argv[0] in ("-h", "--help", "--version")):
        args = parser.parse_args(argv)
        return args.handler(args)
    from app.gui.launch import launch  # imported late: headless commands never load Qt

    return launch(argv)
