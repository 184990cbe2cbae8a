"""The Qt adapter between the session, the engine runner and the charts.

It asks the engine for what the session's current snapshot implies (with the
sensitivity of the selected scenario while What matters most is shown or an
export waits for it), draws
each fresh result in the charts, and shows a failure in their banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.domain.library import ResolvedComparison
    from app.gui.charts_panel import ChartsPanel
    from app.gui.engine_worker import EngineRunner
    from app.report.chart_data import ChartInputs
    from app.session.controller import Session


class EngineBinding(QObject):
    """Requests computations of the session's comparison and shows their results."""

    plotsUpdated = Signal(int)
    """The charts now show the result of this computation generation."""
    computationFailed = Signal(str)

    def __init__(self, runner: EngineRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.session: Session | None = None
        self.charts: ChartsPanel | None = None
        """Set once built; a result arrives only after the charts are built."""
        self.resolved: ResolvedComparison | None = None
        """The comparison the charts show."""
        self.shown_generation = 0
        self.sensitivity_wanted = False
        """An export waits for What matters most: every request computes it, shown or not."""
        runner.resultReady.connect(self._on_runner_result_ready)
        runner.computationFailed.connect(self._on_runner_computation_failed)

    def request(self, final: bool = False) -> int:
        """Ask the engine for the current snapshot (``final``: with every sample at once); returns the
        generation that will show it."""
        if self.session is None or self.session.document is None:
            return self.runner.generation
        from app.domain.errors import PresetFileError

        wanted = self.charts is not None and (self.sensitivity_wanted or self.charts.sensitivity_shown)
        try:
            request = self.session.request(self.sensitivity_focus()[1] if wanted else None)
        except PresetFileError as error:
            self._on_runner_computation_failed(0, "\n".join(str(p) for p in error.problems))
            return self.runner.generation
        self.runner.focus = request.focus
        return self.runner.request(request.resolved, final)

    def sensitivity_focus(self) -> tuple[int, str]:
        """(scenario, metric) of What matters most: the selected scenario, the chosen metric."""
        assert self.session is not None and self.charts is not None
        return self.session.selected, self.charts.tornado_metric.currentData()

    def _on_runner_result_ready(self, generation: int, resolved: ResolvedComparison, inputs: ChartInputs) -> None:
        try:
            self.charts.set_inputs(inputs)
        except Exception as error:  # a result that cannot be drawn is shown, not fatal
            self._on_runner_computation_failed(generation, f"Cannot draw the result: {type(error).__name__}: {error}")
            return
        self.resolved = resolved
        self.shown_generation = generation
        self.plotsUpdated.emit(generation)

    def _on_runner_computation_failed(self, _generation: int, message: str) -> None:
        if self.charts is not None:
            self.charts.show_error(f"The engine could not compute this comparison:\n{message}")
        self.computationFailed.emit(message)
