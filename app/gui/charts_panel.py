"""The right side of the window: the verdict strip and its details, the About note, the summary table,
the training and per-query charts, and the tabs of adoption-driven totals and What matters most."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.quoting import clipped
from app.gui.accessibility import name_controls
from app.gui.fold_button import FoldButton, FoldRow
from app.render.plots import CHART_CLASSES, ChartView
from app.render.plots.tornado import TornadoPlot
from app.render.summary_table import SummaryTable
from app.render.verdict_strip import VerdictStrip
from app.report.chart_data import DEFAULT_TORNADO_METRIC, TORNADO_METRICS, ChartInputs

MIN_CHART_WIDTH = 380
"""Charts never get narrower than this (nor shorter than their own minimum): the panel scrolls."""
DETAILS_MAX_HEIGHT = 96
"""The details under the headline (rebound, prices, equivalents) scroll beyond this height."""
DEFAULT_SIZES = [130, 420, 400]
"""Heights of the summary table, the top charts and the bottom tabs."""
SIDE_BY_SIDE_WIDTH = 2 * MIN_CHART_WIDTH + 20
"""Below this width the two top charts stack instead of sitting side by side."""


def selectable_text(name: str) -> QLabel:
    """A wrapped label a reader can select and copy, shown as plain text: its lines quote names from files."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ChartsPanel(QWidget):
    """Summary table beside the charts; an engine error shows in a banner above them."""

    tornadoMetricChanged = Signal(str)
    exportRequested = Signal(str)
    """A chart's context menu asked to export it (its ``chart_id``)."""
    sensitivityShown = Signal()
    """What matters most has just come into view: its figures are wanted now."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.banner = selectable_text("engine-error")
        self.banner.setStyleSheet(
            "QLabel { color: white; background: #b22222; padding: 6px; border-radius: 3px; }"
        )
        self.banner.setVisible(False)
        self.charts: list[ChartView] = [cls() for cls in CHART_CLASSES]
        self.training, self.inference, self.adoption = self.charts
        self.summary = SummaryTable()
        self.headline = VerdictStrip()
        self.headline.copyRequested.connect(self.copy_verdict)
        self.verdict = selectable_text("verdict")
        self.verdict.setToolTip("What the verdict rests on: the rebound's assumptions, each scenario's price "
                                "per query, and the totals in everyday terms.")
        self.details = QScrollArea()
        self.details.setObjectName("verdict-details")
        self.details.setWidgetResizable(True)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.setWidget(self.verdict)
        self.details.setMaximumHeight(DETAILS_MAX_HEIGHT)
        self.details.setVisible(False)
        self.details_button = FoldButton("verdict-details-toggle", self.details)
        self.details_button.set_title("Rebound, prices and everyday equivalents")
        # What the comparison asks, in its own words: the file's description, folded under its name.
        self.about = selectable_text("about")
        self.about.setVisible(False)
        self.about_button = FoldButton("about-toggle", self.about)
        for chart in self.charts:
            chart.setMinimumWidth(MIN_CHART_WIDTH)
        self.top = top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(self.training)
        top.addWidget(self.inference)
        # The sensitivity of the scenario being edited shares the bottom row with the totals.
        # Its chart is built on first show (or export), and computed only while shown.
        self._tornado: TornadoPlot | None = None
        self.tornado_metric = QComboBox()
        self.tornado_metric.setObjectName("tornado.metric")
        for key, metric in TORNADO_METRICS.items():
            self.tornado_metric.addItem(metric.phrase, key)
        self.tornado_metric.setCurrentIndex(self.tornado_metric.findData(DEFAULT_TORNADO_METRIC))
        self.tornado_metric.currentIndexChanged.connect(
            lambda _i: self.tornadoMetricChanged.emit(self.tornado_metric.currentData())
        )
        sensitivity = QWidget()
        sensitivity_layout = QVBoxLayout(sensitivity)
        sensitivity_layout.setContentsMargins(0, 2, 0, 0)
        row = QHBoxLayout()
        # The sentence wraps in a narrow panel: a hidden tab's widest row sets the tabs' minimum width.
        sentence = QLabel("Rank the selected scenario's inputs by their effect on")
        sentence.setWordWrap(True)
        row.addWidget(sentence, 1)
        row.addWidget(self.tornado_metric)
        sensitivity_layout.addLayout(row)
        self._sensitivity_layout = sensitivity_layout
        self.bottom = QTabWidget()
        self.bottom.setObjectName("bottom-tabs")
        self.bottom.addTab(self.adoption, "Adoption-driven totals")
        self.bottom.addTab(sensitivity, "What matters most")
        self.bottom.currentChanged.connect(self._on_bottom_current_changed)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.summary)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.bottom)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes(DEFAULT_SIZES)
        self.splitters = {"charts/top": top, "charts/vertical": self.splitter}
        # On a small screen the charts keep a readable size and the panel scrolls.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("charts-scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.splitter)
        # Never narrower than one chart and the vertical scroll bar: a wide inputs panel (say,
        # restored from a larger screen) gives way in the main splitter, not the charts.
        self.scroll.setMinimumWidth(MIN_CHART_WIDTH + self.scroll.verticalScrollBar().sizeHint().width() + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.headline)  # the answer stays in view while the charts scroll
        for button in (self.about_button, self.details_button):
            button.setMinimumWidth(60)  # a narrow window cuts a fold's title at a word, never pushes the charts sideways
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.folds = FoldRow([self.about_button, self.details_button])
        layout.addWidget(self.folds)
        layout.addWidget(self.about)
        layout.addWidget(self.details)
        layout.addWidget(self.scroll, 1)
        self.inputs: ChartInputs | None = None
        for chart in self.charts:
            chart.exportRequested.connect(self.exportRequested)

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        wide = self.width() >= SIDE_BY_SIDE_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.top.orientation() != orientation:
            self.top.setOrientation(orientation)

    def reset_layout(self) -> None:
        """The default split between the table and the charts."""
        self.splitter.setSizes(DEFAULT_SIZES)
        self.top.setSizes([1, 1])

    def reset_views(self) -> None:
        """Every chart back to its own ranges."""
        for chart in (*self.charts, *([self._tornado] if self._tornado is not None else [])):
            chart.reset_view()

    @property
    def tornado(self) -> TornadoPlot:
        """What matters most, built on first use."""
        if self._tornado is None:
            self._tornado = TornadoPlot()
            self._tornado.setMinimumWidth(MIN_CHART_WIDTH)
            self._tornado.exportRequested.connect(self.exportRequested)
            self._sensitivity_layout.addWidget(self._tornado, 1)
            name_controls(self._tornado)
        return self._tornado

    @property
    def sensitivity_shown(self) -> bool:
        """Whether What matters most is the bottom row's current tab (so its figures are wanted)."""
        return self.bottom.currentIndex() == 1

    def _on_bottom_current_changed(self, index: int) -> None:
        if index == 1:
            self.tornado  # noqa: B018 - built as it comes into view
            self.sensitivityShown.emit()

    @property
    def exportable(self) -> list[ChartView]:
        """Every chart a user can export: the three charts and What matters most."""
        return [*self.charts, self.tornado]

    def set_inputs(self, inputs: ChartInputs) -> None:
        """Show an engine result (the one exports and the sensitivity then use)."""
        self.inputs = inputs
        for chart in self.charts:
            chart.set_inputs(inputs)
        if inputs.tornado is not None:  # computed only while shown or exported: otherwise kept as drawn
            self.tornado.set_inputs(inputs)
        self.summary.set_inputs(inputs)
        self.headline.set_rows(inputs.headline)
        self.verdict.setText("\n".join(inputs.verdict[len(inputs.headline):]))  # the headline says the rest
        self.banner.setVisible(False)

    def set_about(self, name: str, description: str) -> None:
        """The open comparison's name on its fold, its description inside (no fold without one)."""
        self.about_button.set_title(f"About: {clipped(name, 60)}")
        self.about_button.setVisible(bool(description))
        self.folds.arrange()
        self.about.setText(description)
        self.about.setVisible(bool(description) and self.about_button.isChecked())

    def verdict_text(self) -> str:
        """The headline and its details as plain text: what Copy Verdict puts on the clipboard."""
        return "\n".join(part for part in (self.headline.text(), self.verdict.text()) if part)

    def copy_verdict(self) -> None:
        QGuiApplication.clipboard().setText(self.verdict_text())

    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(True)

    @property
    def error(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""
