"""Command line of Jevons.

``jevons`` alone launches the desktop app, ``jevons FILE`` opens a file in it,
and subcommands give headless access (``jevons validate FILE...`` ...).

Only the chosen subcommand's module is imported (``jevons evaluate`` does not
pay for the calibration fitter or the exporters); ``jevons --help`` imports
them all to list them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

SUBCOMMANDS = {
    "validate": "app.commands.validate",
    "evaluate": "app.commands.evaluate",
    "export": "app.commands.export",
    "report": "app.commands.report",
    "sweep": "app.commands.sweep",
    "calibrate": "app.commands.calibrate",
}
"""Each headless subcommand's name and the module that registers it (``register(subparsers)``)."""


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for (``app.__version__``)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from app import __version__

        print(f"jevons {__version__}")
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: with every subcommand, or with ``only`` that one."""
    from app.session.options import launcher_parser

    parser = argparse.ArgumentParser(
        prog="jevons",
        description="Compare the lifecycle energy of AI models. Without a command, launch the desktop app.",
        epilog="Without a command, the desktop app starts:\n\n" + launcher_parser().format_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        if only is None or name == only:
            _import(module).register(subparsers)
    return parser


def misspelt_command(word: str) -> str:
    """Why ``jevons WORD`` should not start the app ("" when it should): WORD names no file and no shipped
    comparison but is close to a command ('evalute'), which the app would try to open as a file."""
    from app import paths

    if word.startswith("-") or Path(word).exists() or not paths.looks_like_id(word) or word in paths.shipped_comparison_ids():
        return ""
    from app.domain.errors import did_you_mean  # only on this path: the app's start does not pay for it

    guess = did_you_mean(word, SUBCOMMANDS)
    if not guess:
        return ""
    return f"{word!r} is not a command, a file or a shipped comparison; {guess} (commands: {', '.join(SUBCOMMANDS)})"


def _import(module: str) -> object:
    """Import with the cyclic garbage collector paused: building the presets' pydantic models
    and the engine's dataclasses allocates thousands of long-lived objects, and collecting
    during that frees nothing (about 10 % of ``jevons evaluate``'s imports)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return import_module(module)
    finally:
        if was_enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help", "--version")):
        args = build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)
        try:
            return args.handler(args)
        except BrokenPipeError:  # the reader went away (``jevons evaluate ... | head``): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's own final flush cannot fail either
            return 1
    if argv and (problem := misspelt_command(argv[0])):
        print(f"jevons: {problem}", file=sys.stderr)
        return 2
    from app.gui.launch import launch  # imported late: headless commands never load Qt

    return launch(argv)
