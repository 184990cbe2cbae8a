"""The window's first result, computed in a child process while the window builds. No Qt.

Before it can draw anything, the window needs pydantic and the preset models,
the comparison resolved and the engine's first (quick) pass: on a 2-core
machine about a third of the time to first results. None of that needs Qt, so
:func:`start` forks at launch, before Qt is imported, and the child computes
the first result of the document the window opens first
(:meth:`Session.first_document` chooses it as the window's
``FileActions.open_at_start`` does, tested) through the same session code
(:meth:`Session.request`, :func:`app.session.compute.chart_inputs`) while the parent imports Qt and
builds the window. The child sends back only the tables the views draw
(:class:`app.report.chart_data.ChartTables`, pickled through a pipe) and exits.

The window draws them if no result of its own is drawn yet, then builds its
own session as before; its own identical first result replaces nothing
(the views skip a table they already show). Anything that goes wrong in the
child (an unreadable file, an engine failure, a killed process) just means no
early result: the window's own path reports the problem as it always did.

Only on Linux with at least two cores, and only from a process with a single
thread and no Qt loaded, where fork is safe; elsewhere :func:`start` returns None.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from pathlib import Path

READ_CHUNK = 1 << 20


def can_fork() -> bool:
    """Whether forking now is safe and pays: Linux, one thread, no Qt (whose threads and locks a
    child would inherit), and a second core for the child (on one core the two processes would
    take turns, and both load numpy)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and "PySide6.QtCore" not in sys.modules
        and len(os.sched_getaffinity(0)) >= 2
    )


def start(path: str | Path | None, samples: int) -> FirstResult | None:
    """Fork a child computing the first result of ``path`` (None: the shipped default) with ``samples``."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(compute(path, samples), protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent computes its own result and reports any problem
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    os.set_blocking(read_end, False)
    return FirstResult(pid, read_end)


def compute(path: str | Path | None, samples: int) -> object:
    """The tables of the first result the window would compute for ``path`` (runs in the child)."""
    from app.domain.library import PresetLibrary
    from app.report.chart_data import ChartTables
    from app.session.compute import chart_inputs
    from app.session.controller import Session
    from app.session.results import ScenarioResults

    session = Session(PresetLibrary())
    session.open(session.first_document(path))
    return ChartTables.of(chart_inputs(session.request().resolved, samples, ScenarioResults()))


class FirstResult:
    """The parent's end: read without blocking as data arrives, then the tables (or None)."""

    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self._fd: int | None = fd
        self._chunks: list[bytes] = []
        self.done = False
        """True once the child has finished sending (or failed, or was given up)."""
        self.tables: object | None = None
        """The child's ``ChartTables`` once ``done``; None if it sent none."""

    def fileno(self) -> int:
        """The pipe to watch for readability (-1 once closed)."""
        return -1 if self._fd is None else self._fd

    def read(self) -> bool:
        """Take what the pipe holds now, never waiting; True once everything has arrived."""
        while self._fd is not None:
            try:
                chunk = os.read(self._fd, READ_CHUNK)
            except BlockingIOError:
                return False
            except OSError:
                chunk = b""
            if not chunk:  # the child closed its end: it is done
                self.tables = self._load(b"".join(self._chunks))
                self.close()
            else:
                self._chunks.append(chunk)
        return True

    @staticmethod
    def _load(data: bytes) -> object | None:
        if not data:
            return None
        try:
            return pickle.loads(data)  # noqa: S301 - written by this very program's forked child
        except Exception:  # noqa: BLE001 - a truncated message means no early result, nothing worse
            return None

    def close(self) -> None:
        """Stop listening; the child, if still running, is stopped and reaped (never left a zombie)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._chunks = []
        self.done = True
        if self.pid:
            pid, self.pid = self.pid, 0
            try:
                if os.waitpid(pid, os.WNOHANG) == (0, 0):  # still running: nobody wants its result now
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            except ChildProcessError:
                pass
