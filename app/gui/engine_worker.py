"""The engine on a worker thread, latest request wins: a thin Qt adapter over
:class:`app.session.scheduler.LatestWins`.

``EngineRunner`` lives on the GUI thread. Each ``request`` gets a generation
number; at most one computation runs and at most one waits (a newer request
replaces the waiting one). A result is delivered only if it is for the newest
generation; older ones are dropped, never drawn.

Each request is first computed with few Monte Carlo samples, so the charts
follow an edit at once. Once no newer request has arrived for
``refine_delay_ms``, it is computed again with the full sample count (same
generation, delivered again). The delay keeps a long refinement from holding
up the next quick result while the user is still typing. The computation is
:func:`app.session.compute.chart_inputs`, which reuses the figures of every
scenario an edit left unchanged. The GUI thread never waits on the engine
except in ``stop`` (on quit), which lets the running computation finish.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.session.scheduler import LatestWins

if TYPE_CHECKING:
    from app.domain.library import ResolvedComparison
    from app.session.results import ScenarioResults


class EngineRunner(QObject):
    """Coalesces requests, tracks the busy state and delivers only fresh results."""

    resultReady = Signal(int, object, object)
    """(generation, resolved inputs, ChartInputs) of the newest request (quick, then refined)."""
    computationFailed = Signal(int, str)
    busyChanged = Signal(bool)
    computed = Signal(int, int)
    """(generation, samples) of every computation that ran, delivered or not (emitted on the worker thread)."""
    _delivered = Signal(object)
    _idle = Signal(int)

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
        self.results: ScenarioResults | None = None
        """Per-scenario engine figures kept between requests (made by the first request: the
        engine's modules load then, not while the window starts)."""
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
        self._busy = False
        self._stopped = False
        self._delivered.connect(self._on_delivered)
        self._idle.connect(self._on_idle)
        self._scheduler = LatestWins(
            lambda _generation, future: self._delivered.emit(future), self._idle.emit
        )

    @property
    def generation(self) -> int:
        """The newest generation requested."""
        return self._generation

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def stopped(self) -> bool:
        """Whether ``stop`` has run and the worker thread has ended."""
        return self._scheduler.stopped

    def request(self, resolved: ResolvedComparison, final: bool = False) -> int:
        """Ask for a computation of ``resolved``; returns its generation. ``final`` computes it with every
        sample at once, with no quick pass first (for an export, which waits for the final figures)."""
        if self.results is None:
            from app.session.results import ScenarioResults

            self.results = ScenarioResults()
        self._generation += 1
        self._refine_timer.stop()
        self._refinable = None
        if not self._stopped:
            self._submit(self._generation, resolved, self.samples if final else self.quick_samples)
        return self._generation

    def _submit(self, generation: int, resolved: ResolvedComparison, samples: int) -> None:
        self._scheduler.submit(self._run, generation, resolved, samples, self.focus)
        if not self._busy:
            self._busy = True
            self.busyChanged.emit(True)

    def _run(self, generation: int, resolved: ResolvedComparison, samples: int, focus: object):
        """On the worker thread: (generation, resolved, samples, ChartInputs or None, failure message)."""
        from app.session.compute import (  # imported here: startup does not pay for the engine
            chart_inputs,
            describe_failure,
        )

        try:
            # The refined pass also finds where each verdict flips, and the sensitivity when it is shown.
            inputs = chart_inputs(resolved, samples, self.results, focus, refined=samples >= self.samples)
            return generation, resolved, samples, inputs, ""
        except Exception as error:  # any engine failure is reported, never fatal (Cancelled is none: it passes)
            return generation, resolved, samples, None, describe_failure(error)
        finally:
            self.computed.emit(generation, samples)

    @Slot(object)
    def _on_delivered(self, future: Future) -> None:
        self._on_idle(future.generation)  # nothing newer submitted: the engine is done for now
        generation, resolved, samples, result, failure = future.result()
        if self._stopped or generation != self._generation:
            return
        if result is None:
            self.computationFailed.emit(generation, failure)
            return
        # Final: computed with every sample, or nothing had a range to sample (one draw).
        complete = samples >= self.samples or result.samples == 1
        self.latest_is_final = complete
        if not complete:
            self._refinable = (generation, resolved)  # refine with every sample once edits pause
            self._refine_timer.start()
        self.resultReady.emit(generation, resolved, result)

    @Slot(int)
    def _on_idle(self, submitted: int) -> None:
        """The job the scheduler numbered ``submitted`` was the last to finish."""
        if submitted == self._scheduler.generation and self._busy:  # nothing was submitted since
            self._busy = False
            self.busyChanged.emit(False)

    def _on_refine_timer_timeout(self) -> None:
        job, self._refinable = self._refinable, None
        if job is None or job[0] != self._generation or self._stopped:
            return
        self._submit(job[0], job[1], self.samples)

    def stop(self) -> None:
        """Drop waiting work, stop the running computation at its next checkpoint, and end the thread."""
        if self._stopped:
            return
        self._stopped = True
        self._refinable = None
        self._refine_timer.stop()
        self._scheduler.shutdown()
