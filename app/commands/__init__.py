"""Headless subcommands of ``jevons``: each module exposes ``register(subparsers)``.

A subcommand's handler receives the parsed arguments and returns the exit
code: 0 on success, 2 when the user's input is at fault, 1 otherwise.
"""
