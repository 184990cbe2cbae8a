"""Latest-wins computation on a worker thread (``concurrent.futures``), without Qt.

At most one job runs and at most one waits: a newer submission replaces the
waiting one, since a result nobody will look at is not worth computing, and
tells the running one to stop: the engine checks at its checkpoints
(``app.cancellation``) and stops at the next one (shutdown does the same). Every
submission gets a generation number; ``deliver(generation, future)`` is called
(on the worker thread) for a finished job only when it is still the newest.
The window turns that call into a Qt signal; the command line simply waits on
the future :meth:`submit` returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.cancellation import cancellable

Deliver = Callable[[int, Future], None]


@dataclass(slots=True)
class _Job:
    generation: int
    function: Callable[..., Any]
    args: tuple
    future: Future
    cancel: threading.Event = field(default_factory=threading.Event)
    """Set when the job is superseded or the scheduler shuts down."""


class LatestWins:
    """Runs the newest of the submitted jobs, one at a time, on one worker thread."""

    def __init__(
        self, deliver: Deliver | None = None, idle: Callable[[int], None] | None = None, name: str = "jevons-engine"
    ):
        """``idle(generation)`` is called (on the worker thread) whenever the last job has finished.

        ``generation`` is that job's: a listener compares it with the newest it
        submitted, since a newer job may be submitted between the job's end and
        the call (reading the generation at call time would report idle while
        that newer job runs).
        """
        self._deliver = deliver
        self._idle = idle
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._generation = 0
        self._running: _Job | None = None
        self._waiting: _Job | None = None
        self._closed = False

    @property
    def generation(self) -> int:
        """The newest generation submitted."""
        return self._generation

    @property
    def busy(self) -> bool:
        """Whether a job runs (or waits to)."""
        with self._lock:
            return self._running is not None

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        """Queue ``function(*args)`` as the newest job; its future carries the generation.

        A job it replaces before it started is cancelled (its future says so).
        """
        future: Future = Future()
        with self._lock:
            self._generation += 1
            future.generation = self._generation  # type: ignore[attr-defined]
            if self._closed:
                future.cancel()
                return future
            job = _Job(self._generation, function, args, future)
            if self._running is None:
                self._running = job
                self._executor.submit(self._run, job)
            else:
                self._running.cancel.set()  # superseded: its result would never be delivered
                if self._waiting is not None:
                    self._waiting.future.cancel()
                self._waiting = job
        return future

    def _run(self, job: _Job) -> None:
        if job.future.set_running_or_notify_cancel():
            try:
                with cancellable(job.cancel):
                    job.future.set_result(job.function(*job.args))
            except BaseException as error:  # handed to whoever waits on the future
                job.future.set_exception(error)
        with self._lock:
            fresh = job.generation == self._generation and not self._closed
            following, self._waiting = self._waiting, None
            self._running = following
            if following is not None:
                self._executor.submit(self._run, following)
        if fresh and self._deliver is not None and not job.future.cancelled():
            self._deliver(job.generation, job.future)
        if following is None and self._idle is not None:
            self._idle(job.generation)

    def cancel(self) -> None:
        """Stop the running job at its next checkpoint and drop the waiting one; the scheduler stays open.

        The running job's future then holds :class:`app.cancellation.Cancelled` and, being the newest,
        is delivered as any other result.
        """
        with self._lock:
            self._cancel_locked()

    def shutdown(self) -> None:
        """Drop waiting work, let the running job end, and stop the worker thread. Idempotent."""
        with self._lock:
            self._closed = True
            self._cancel_locked()
        self._executor.shutdown(wait=True)

    def _cancel_locked(self) -> None:
        """:meth:`cancel`'s work, with the lock held."""
        if self._running is not None:
            self._running.cancel.set()
        if self._waiting is not None:
            self._waiting.future.cancel()
            self._waiting = None

    @property
    def stopped(self) -> bool:
        """Whether :meth:`shutdown` has run and no job is left."""
        with self._lock:
            return self._closed and self._running is None
