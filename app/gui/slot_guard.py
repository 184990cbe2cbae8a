"""No exception escapes a slot: what the user asked for fails with a dialog, never a half-done window.

Every menu, toolbar and shortcut action runs through :func:`guarded`; an
exception it raises is logged and shown in a warning whose details hold the
traceback to copy into a report. The launched app also routes any other
exception Qt would print from a slot (:func:`install_excepthook`) to the same
dialog. Tests keep pytest-qt's own hook, so a slot that raises still fails them.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from app.domain.quoting import clipped

log = logging.getLogger("jevons")


class Reporter(Protocol):
    def show_message(self, title: str, text: str, details: str = "") -> object: ...


def report(window: Reporter, what: str, error: BaseException) -> None:
    """Log ``error`` and tell the user, in words first and the traceback under Show Details."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("%s failed\n%s", what, details)
    window.show_message(f"{what} failed", f"{what} failed: {clipped(f'{type(error).__name__}: {error}')}\n\n"
                        "Nothing else was changed. The details below can be copied into a bug report.", details)


def guarded(window: Reporter, what: str, handler: Callable[[], object]) -> Callable[[], None]:
    """``handler`` that reports, instead of raising, whatever goes wrong."""
    def run() -> None:
        try:
            handler()
        except Exception as error:  # any failure is reported, none escapes the slot
            report(window, what, error)

    return run


def install_excepthook(window: Reporter) -> None:
    """Show any exception raised in a slot outside :func:`guarded` in the same dialog (the launched app only)."""
    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if not isinstance(error, Exception):
            sys.__excepthook__(kind, error, trace)
            return
        report(window, "An action", error.with_traceback(trace))

    sys.excepthook = hook
