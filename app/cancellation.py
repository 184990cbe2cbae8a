"""Cooperative cancellation: the engine stops at its next checkpoint once its request is superseded.

A computation with 20,000 samples takes seconds; when a newer edit or closing
the window makes it pointless, the scheduler sets the job's event, and the
engine, which calls :func:`checkpoint` between its pieces of work (each
scenario's phases, slices of the sample axis, every percentile table), raises
:class:`Cancelled` at the next one. Outside a :func:`cancellable` block a
checkpoint costs one attribute lookup and never raises.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class Cancelled(BaseException):
    """The computation was superseded (a newer request, or closing) and stopped.

    Not an error, so not an ``Exception`` (as ``asyncio.CancelledError``): the ``except Exception``
    that keeps a failed side figure (a tornado, a flip) from spoiling the main result must not
    swallow it and compute on."""


@contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """Run the block so that checkpoints on this thread raise Cancelled once ``event`` is set."""
    previous = getattr(_local, "event", None)
    _local.event = event
    try:
        yield
    finally:
        _local.event = previous


def checkpoint() -> None:
    """Raise Cancelled if this thread's computation has been superseded."""
    event = getattr(_local, "event", None)
    if event is not None and event.is_set():
        raise Cancelled
