"""Qt's own log messages: one known-harmless platform note is dropped, everything else goes on.

The offscreen platform (screenshots, headless exports) cannot pass a
top-level window's size hints to a window manager and says so on stderr for
every window it shows: "This plugin does not support propagateSizeHints()".
It is a note about the plugin, not about Jevons, and a user who reads stderr
should not mistake it for a problem. Every other message keeps Qt's own
format and destination (or the handler installed before this one).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler

HARMLESS = frozenset({"This plugin does not support propagateSizeHints()"})
"""Messages of a platform plugin that say nothing about the app."""

Handler = Callable[[QtMsgType, QMessageLogContext, str], None]


def install() -> None:
    """Drop the harmless platform notes from now on and pass every other message on as before."""
    previous: Handler | None = None

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in HARMLESS:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")

    handle._jevons = True  # type: ignore[attr-defined]
    previous = qInstallMessageHandler(handle)
    if getattr(previous, "_jevons", False):  # already ours: keep that one rather than chain two
        qInstallMessageHandler(previous)
