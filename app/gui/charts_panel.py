"""The right side of the window: the summary table and the three charts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.gui.chart_data import ChartInputs
from app.gui.plots import CHART_CLASSES, ChartView
from app.gui.summary_table import SummaryTable


class ChartsPanel(QWidget):
    """Summary table beside the charts; an engine error shows in a banner above them."""

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setObjectName("engine-error")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { color: white; background: #b22222; padding: 6px; border-radius: 3px; }"
        )
        self.banner.setVisible(False)
        self.charts: list[ChartView] = [cls() for cls in CHART_CLASSES]
        self.training, self.inference, self.adoption = self.charts
        self.summary = SummaryTable()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.training)
        top.addWidget(self.inference)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.summary)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.adoption)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([130, 420, 400])
        self.splitters = {"charts/top": top, "charts/vertical": self.splitter}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.inputs: ChartInputs | None = None

    def set_inputs(self, inputs: ChartInputs) -> None:
        self.inputs = inputs
        for chart in self.charts:
            chart.set_inputs(inputs)
        self.summary.set_inputs(inputs)
        self.banner.setVisible(False)
        self.drawn.emit()

    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(True)

    @property
    def error(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""
