"""View > Verdict Map: a scenario's energy ratio to the baseline over two inputs, off the GUI thread.

The map is computed in chunks of grid points on a worker thread run by the same
latest-wins scheduler as the engine (:class:`app.session.scheduler.LatestWins`):
a new map supersedes a running one, and Cancel or closing stops it at the
engine's next checkpoint (``app.cancellation``); the dialog shows the progress. Under the map, the
break-even value of each of the two inputs (the other inputs drawn across their
ranges): what would have to be true for the verdict to flip.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.cancellation import Cancelled
from app.domain.field_labels import path_label
from app.domain.library import ResolvedComparison
from app.engine.hardware import boundary_level
from app.engine.variants import VARIANT_SAMPLES, BreakEven, InputInfo, break_even, input_info, sweepable_inputs
from app.numbers import number, span
from app.render.plots.verdict_map import VerdictMapPlot
from app.report import metadata
from app.report.verdict_map import MAX_POINTS, VerdictMap, compute_map, impossible_point
from app.session.scheduler import LatestWins

DEFAULT_POINTS = 30
PREFERRED_X = ("market.price_elasticity",)
PREFERRED_Y = ("usage.reasoning_tokens_per_query", "model.reasoning.reasoning_tokens_per_query",
               "usage.efficiency_gain_per_year")


@dataclass(frozen=True, slots=True)
class MapJob:
    comparison: ResolvedComparison
    index: int
    x: tuple[str, float, float, int]
    y: tuple[str, float, float, int]
    samples: int


def run_map(job: MapJob, progress: Callable[[int, int], None]) -> tuple[VerdictMap, list[BreakEven]]:
    """On the scheduler's thread: the map and, for each of its two inputs, where the verdict flips."""
    verdict_map = compute_map(job.comparison, job.index, job.x, job.y, job.samples, metadata.SEED, progress)
    flips = [break_even(job.comparison, job.index, axis[0], job.samples, metadata.SEED) for axis in (job.x, job.y)]
    return verdict_map, flips


class AxisEditor(QWidget):
    """An input and the span it is swept over."""

    def __init__(self, inputs: list[InputInfo], preferred: tuple[str, ...], fallback: int) -> None:
        super().__init__()
        self.inputs = {info.path: info for info in inputs}
        self.path = QComboBox()
        for info in inputs:
            part = info.path.split(".")[0]
            if self.path.count() and part != self.path.itemData(self.path.count() - 1).split(".")[0]:
                self.path.insertSeparator(self.path.count())  # inputs grouped as the editor's tabs group them
            self.path.addItem(f"{path_label(info.path)} ({info.unit})", info.path)
            self.path.setItemData(self.path.count() - 1, info.path, Qt.ItemDataRole.ToolTipRole)
        chosen = next((p for p in preferred if p in self.inputs), inputs[min(fallback, len(inputs) - 1)].path)
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for box in (self.low, self.high):
            box.setDecimals(4)
            box.setRange(-1e12, 1e12)
        self.points = QSpinBox()
        self.points.setRange(2, MAX_POINTS)
        self.points.setValue(DEFAULT_POINTS)
        self.path.currentIndexChanged.connect(self._on_path_changed)
        self.path.setCurrentIndex(self.path.findData(chosen))
        self._on_path_changed()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        for label, box in (("from", self.low), ("to", self.high), ("points", self.points)):
            row.addWidget(QLabel(label))
            row.addWidget(box)

    def _on_path_changed(self, *_args: object) -> None:
        info = self.inputs[self.path.currentData()]
        low, high = (info.low, info.high) if info.has_range else info.search_interval()
        self.low.setValue(low)
        self.high.setValue(high)

    def spec(self) -> tuple[str, float, float, int]:
        return self.path.currentData(), self.low.value(), self.high.value(), self.points.value()


class VerdictMapDialog(QDialog):
    """Choose a scenario and two inputs, compute the map with progress, cancel at will."""

    progressed = Signal(int, int)
    """(points done, points in all) of the running map (emitted on the scheduler's thread)."""
    _delivered = Signal(object)

    def __init__(self, comparison: ResolvedComparison, selected: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verdict map")
        self.setObjectName("verdict-map-dialog")
        self.comparison = comparison
        self.scenario = QComboBox()
        for index, scenario in enumerate(comparison.scenarios):
            if index != comparison.baseline_index:
                self.scenario.addItem(scenario.name, index)
        self.scenario.setCurrentIndex(max(self.scenario.findData(selected), 0))
        inputs = sweepable_inputs(comparison.scenarios[self.scenario.currentData()])
        self.x = AxisEditor(inputs, PREFERRED_X, 0)
        self.y = AxisEditor(inputs, PREFERRED_Y, 1)
        self.samples = QSpinBox()
        self.samples.setRange(10, 5000)
        self.samples.setValue(VARIANT_SAMPLES)
        form = QFormLayout()
        form.addRow("Scenario (against the baseline)", self.scenario)
        form.addRow("Across", self.x)
        form.addRow("Up", self.y)
        form.addRow("Samples per point", self.samples)
        self.compute_button = QPushButton("Compute")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m points")
        self.status = QLabel("Choose two inputs and compute: each point is the whole comparison, sampled.")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        self.plot = VerdictMapPlot()
        self.plot.setMinimumSize(520, 380)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._on_progressed)
        self._delivered.connect(self._on_delivered)
        self._scheduler = LatestWins(lambda _generation, future: self._delivered.emit(future), name="jevons-verdict-map")
        self.busy = False

    def compute(self) -> None:
        x, y = self.x.spec(), self.y.spec()
        problems = [f"{name}: 'from' must be below 'to'" for name, axis in (("Across", x), ("Up", y)) if axis[1] >= axis[2]]
        if x[0] == y[0]:
            problems.append("choose two different inputs")
        scenario = self.comparison.scenarios[self.scenario.currentData()]
        level = boundary_level(self.comparison.boundary)
        problems += [f"{name}: {problem}" for name, axis in (("Across", x), ("Up", y))
                     if axis[1] < axis[2]
                     and (problem := impossible_point(scenario, *axis, level, named=path_label(axis[0])))]
        if problems:
            self.status.setText("; ".join(problems))
            return
        self.busy = True
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, input_info(scenario, x[0]).grid(*x[1:]).size * input_info(scenario, y[0]).grid(*y[1:]).size)
        self.progress.setValue(0)
        self.status.setText("Computing…")
        job = MapJob(self.comparison, self.scenario.currentData(), x, y, self.samples.value())
        self._scheduler.submit(run_map, job, self.progressed.emit)

    def cancel(self) -> None:
        """Stop the running map at its next checkpoint (its result then says it was cancelled)."""
        self._scheduler.cancel()

    def _idle(self, message: str) -> None:
        self.busy = False
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.status.setText(message)

    def _on_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_delivered(self, future: Future) -> None:
        """The newest map's outcome, on the GUI thread: drawn, cancelled or failed (never a crash)."""
        error = future.exception()
        if isinstance(error, Cancelled):
            self._idle("Cancelled.")
        elif error is not None:
            self._idle(f"The map could not be computed: {type(error).__name__}: {error}")
        else:
            self._on_finished(*future.result())

    def _on_finished(self, verdict_map: VerdictMap, flips: list[BreakEven]) -> None:
        self.plot.show_map(verdict_map)
        parts = []
        for flip in flips:
            if flip.value is None:
                parts.append(f"no value of {flip.label} from {span(*flip.searched, 3)} flips the median verdict")
            else:
                where = "within" if flip.within_range else "outside"
                parts.append(f"{flip.label} = {number(flip.value)} flips it ({where} its range)")
        notes = "".join(f" {note}." for axis in (verdict_map.x, verdict_map.y) if (note := axis.fewer_note()))
        self._idle("Other inputs drawn across their ranges: " + "; ".join(parts) + "." + notes)

    def done(self, result: int) -> None:  # stop the worker with the dialog
        self.shutdown()
        super().done(result)

    def shutdown(self) -> None:
        """Stop a running map at its next checkpoint and end the worker thread. Idempotent."""
        self._scheduler.shutdown()
