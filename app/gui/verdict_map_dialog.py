"""View > Verdict Map: a scenario's energy ratio to the baseline over two inputs, off the GUI thread.

The map is computed on a worker thread in chunks of grid points; the dialog
shows the progress and can cancel between chunks. Under the map, the
break-even value of each of the two inputs (the other inputs at their
central values): what would have to be true for the verdict to flip.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
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

from app.domain.field_labels import path_label
from app.domain.library import ResolvedComparison
from app.engine.variants import Cancelled, InputInfo, break_even, sweepable_inputs
from app.numbers import number
from app.render.plots.verdict_map import VerdictMapPlot
from app.report.verdict_map import MAX_POINTS, compute_map

DEFAULT_POINTS = 30
DEFAULT_SAMPLES = 200
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


class MapWorker(QObject):
    """Runs one map at a time on its thread; ``cancel`` stops it between chunks."""

    progressed = Signal(int, int)
    finished = Signal(object, object)
    """(VerdictMap, list of BreakEven for x and y)."""
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.stop = threading.Event()

    @Slot(object)
    def run(self, job: MapJob) -> None:
        try:
            verdict_map = compute_map(
                job.comparison, job.index, job.x, job.y, job.samples,
                progress=self.progressed.emit, cancelled=self.stop.is_set,
            )
            flips = [break_even(job.comparison, job.index, axis[0], job.samples) for axis in (job.x, job.y)]
        except Cancelled:
            self.cancelled.emit()
            return
        except Exception as error:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(f"{type(error).__name__}: {error}")
            return
        self.finished.emit(verdict_map, flips)


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

    requested = Signal(object)

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
        self.samples.setValue(DEFAULT_SAMPLES)
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
        self.worker = MapWorker()
        self.thread_ = QThread(self)
        self.worker.moveToThread(self.thread_)
        self.requested.connect(self.worker.run)
        self.worker.progressed.connect(self._on_progressed)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.thread_.start()
        self.busy = False

    def compute(self) -> None:
        x, y = self.x.spec(), self.y.spec()
        problems = [f"{name}: 'from' must be below 'to'" for name, axis in (("Across", x), ("Up", y)) if axis[1] >= axis[2]]
        if x[0] == y[0]:
            problems.append("choose two different inputs")
        if problems:
            self.status.setText("; ".join(problems))
            return
        self.worker.stop.clear()
        self.busy = True
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, x[3] * y[3])
        self.progress.setValue(0)
        self.status.setText("Computing…")
        self.requested.emit(MapJob(self.comparison, self.scenario.currentData(), x, y, self.samples.value()))

    def cancel(self) -> None:
        self.worker.stop.set()

    def _idle(self, message: str) -> None:
        self.busy = False
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.status.setText(message)

    def _on_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_finished(self, verdict_map, flips) -> None:  # noqa: ANN001
        self.plot.show_map(verdict_map)
        parts = []
        for flip in flips:
            if flip.value is None:
                parts.append(f"no value of {path_label(flip.path)} flips the median verdict")
            else:
                where = "within" if flip.within_range else "outside"
                parts.append(f"{path_label(flip.path)} = {number(flip.value)} flips it ({where} its range)")
        self._idle("Other inputs at their central values: " + "; ".join(parts) + ".")

    def _on_failed(self, message: str) -> None:
        self._idle(f"The map could not be computed: {message}")

    def _on_cancelled(self) -> None:
        self._idle("Cancelled.")

    def done(self, result: int) -> None:  # noqa: D102 - stop the worker with the dialog
        self.shutdown()
        super().done(result)

    def shutdown(self) -> None:
        """Stop a running map and the worker thread (waits for the current chunk)."""
        self.worker.stop.set()
        self.thread_.quit()
        self.thread_.wait()
