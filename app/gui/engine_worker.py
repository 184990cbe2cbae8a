"""The engine on a background thread; latest request wins.

``EngineRunner`` lives on the GUI thread. Each ``request`` gets a generation
number; at most one computation runs and at most one waits (a newer request
replaces the waiting one). A result is delivered only if it is for the newest
generation; older ones are dropped, never drawn.

Each request is first computed with few Monte Carlo samples, so the charts
follow an edit at once. Once no newer request has arrived for
``refine_delay_ms``, it is computed again with the full sample count (same
generation, delivered again). The delay keeps a long refinement from holding
up the next quick result while the user is still typing: a running numpy
computation cannot be interrupted, only not started. The GUI thread never waits on
the engine except in ``stop`` (on quit), which lets the running computation
finish and then ends the thread.
"""

from __future__ import annotations

import traceback

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

if TYPE_CHECKING:
    from app.domain.library import ResolvedComparison


class EngineWorker(QObject):
    """Runs ``app.engine.evaluate`` on its own thread; never touches a widget."""

    finished = Signal(int, object)
    failed = Signal(int, str)

    @Slot(int, object, int, object)
    def compute(self, generation: int, resolved: ResolvedComparison, samples: int, focus: object) -> None:
        try:
            from app.engine import evaluate  # imported here: startup does not pay for the engine
            from app.report.chart_data import ChartInputs, TornadoData, tornado

            # The chart tables (percentiles over the samples) and the sensitivity of the
            # scenario in focus are computed here too, so the GUI thread only draws.
            sensitivity = None
            if focus is not None and focus[0] < len(resolved.scenarios):
                try:
                    sensitivity = tornado(resolved, *focus)
                except Exception as error:  # noqa: BLE001 - shown in that view; the main result still counts
                    name = resolved.scenarios[focus[0]].name
                    sensitivity = TornadoData(name, "#808080", focus[1], focus[1], "", float("nan"), (),
                                              f"{type(error).__name__}: {error}")
            result = ChartInputs(resolved, evaluate(resolved, samples=samples, seed=0), sensitivity).prepare()
        except Exception as error:  # noqa: BLE001 - any engine failure is reported, never fatal
            from app.engine.output_check import ResultOutOfRange

            if isinstance(error, ResultOutOfRange):  # the engine's own check: names the input, not the code
                self.failed.emit(generation, f"scenarios[{error.scenario_index}]: {error.message}")
                return
            last = traceback.extract_tb(error.__traceback__)[-1:] or None
            where = f" (in {last[0].name}, {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
            self.failed.emit(generation, f"{type(error).__name__}: {error}{where}")
            return
        self.finished.emit(generation, result)


class EngineRunner(QObject):
    """Coalesces requests, tracks the busy state and delivers only fresh results."""

    resultReady = Signal(int, object, object)
    """(generation, resolved inputs, ChartInputs) of the newest request (quick, then refined)."""
    computationFailed = Signal(int, str)
    busyChanged = Signal(bool)
    _computeRequested = Signal(int, object, int, object)

    def __init__(
        self,
        samples: int = 1000,
        quick_samples: int = 100,
        refine_delay_ms: int = 300,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.samples = samples
        self.quick_samples = min(quick_samples, samples)
        self._refine_timer = QTimer(self)
        self._refine_timer.setSingleShot(True)
        self._refine_timer.setInterval(refine_delay_ms)
        self._refine_timer.timeout.connect(self._on_refine_timer_timeout)
        self._refinable: tuple[int, ResolvedComparison] | None = None
        self.latest_is_final = False
        """Whether the newest result delivered is final (no refinement will follow)."""
        self.focus: tuple[int, str] | None = None
        """(scenario index, metric) whose sensitivity comes with each result; None for none."""
        self._generation = 0
        self._running: tuple[int, ResolvedComparison, int] | None = None
        self._waiting: tuple[int, ResolvedComparison, int] | None = None
        self._stopped = False
        self._thread = QThread()
        self._thread.setObjectName("jevons-engine")
        self._worker = EngineWorker()
        self._worker.moveToThread(self._thread)
        self._computeRequested.connect(self._worker.compute)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    @property
    def generation(self) -> int:
        """The newest generation requested."""
        return self._generation

    @property
    def busy(self) -> bool:
        return self._running is not None

    def request(self, resolved: ResolvedComparison) -> int:
        """Ask for a computation of ``resolved``; returns its generation."""
        self._generation += 1
        self._refine_timer.stop()
        self._refinable = None
        if self._stopped:
            return self._generation
        job = (self._generation, resolved, self.quick_samples)
        if self._running is None:
            self._start(job)
        else:
            self._waiting = job
        return self._generation

    def _start(self, job: tuple[int, ResolvedComparison, int]) -> None:
        self._running = job
        self._computeRequested.emit(*job, self.focus)
        self.busyChanged.emit(True)

    def _next(self) -> None:
        """Start the waiting job, if any (still busy), or report that work is done."""
        if self._waiting is not None and not self._stopped:
            job, self._waiting = self._waiting, None
            self._running = job
            self._computeRequested.emit(*job, self.focus)
        else:
            self._running = None
            self.busyChanged.emit(False)

    @Slot(int, object)
    def _on_worker_finished(self, generation: int, result: object) -> None:
        finished = self._running
        fresh = generation == self._generation and not self._stopped
        # Final: computed with every sample, or nothing had a range to sample (one draw).
        complete = finished is not None and (finished[2] >= self.samples or result.samples == 1)
        if fresh:
            self.latest_is_final = complete
        if fresh and not complete and self._waiting is None:
            self._refinable = (generation, finished[1])  # refine with every sample once edits pause
            self._refine_timer.start()
        self._next()
        if fresh and finished is not None:
            self.resultReady.emit(generation, finished[1], result)

    def _on_refine_timer_timeout(self) -> None:
        job, self._refinable = self._refinable, None
        if job is None or job[0] != self._generation or self._stopped:
            return
        if self._running is None:
            self._start((job[0], job[1], self.samples))
        else:
            self._waiting = (job[0], job[1], self.samples)

    @Slot(int, str)
    def _on_worker_failed(self, generation: int, message: str) -> None:
        self._next()
        if generation == self._generation and not self._stopped:
            self.computationFailed.emit(generation, message)

    def stop(self) -> None:
        """Drop waiting work, let the running computation end, and stop the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._waiting = None
        self._refinable = None
        self._refine_timer.stop()
        self._thread.quit()
        self._thread.wait()
