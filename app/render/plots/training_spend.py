"""Chart 1: what training costs, per scenario and phase."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton, QWidget

from app.engine.results import TRAINING_PHASES
from app.render.plots.base import ChartView
from app.render.plots.items import StackedBars, scenario_key
from app.report.chart_data import ChartInputs, Row, shares, training_spend_rows


class TrainingSpendPlot(ChartView):
    """Energy, CO2e, water and money of training, stacked by phase."""

    chart_id = "training-spend"
    title = "Training spend by phase"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._panels: list[StackedBars] = []
        for index in range(4):
            plot = self.add_panel(1 + index // 2, index % 2)
            self._panels.append(StackedBars(plot, len(TRAINING_PHASES), by_scenario=True))
        self._legend = self.add_legend_row(3, columns=len(TRAINING_PHASES))
        self._data = None
        self.shares_button = QToolButton(self)
        self.shares_button.setObjectName("training-spend.shares")
        self.shares_button.setText("Shares %")
        self.shares_button.setCheckable(True)
        self.shares_button.setToolTip("Show each scenario's phases as shares of its total, so small phases show")
        self.shares_button.setAccessibleName("Show training phases as shares of each total")
        self.shares_button.move(6, 6)
        self.shares_button.toggled.connect(self._on_shares_toggled)
        self.apply_theme(self.theme)

    @property
    def show_shares(self) -> bool:
        return self.shares_button.isChecked()

    def _on_shares_toggled(self, _on: bool) -> None:
        if self.inputs is not None:
            self.set_inputs(self.inputs)

    def table(self, inputs: ChartInputs) -> object:
        return inputs.training, self.show_shares

    def _draw(self, inputs: ChartInputs) -> None:
        data = inputs.training
        self._data = data
        for panel, metric in zip(self._panels, data.metrics, strict=True):
            panel.draw(shares(metric) if self.show_shares else metric, data.names, data.colors, self.theme)
        self.relabel()

    def relabel(self) -> None:
        """Bar labels for the current width; the legend names numbered scenarios in full."""
        if self._data is None:
            return
        data = self._data
        numbered = not all(panel.names_fit() for panel in self._panels)
        for panel in self._panels:
            panel.label_bars(numbered)
        phases = data.metrics[0].segments
        self.show_legend(
            self._legend, (phases, numbered, tuple(data.names), tuple(data.colors)),
            lambda: [*zip(self._panels[0].legend_proxies, phases, strict=True),
                     *(scenario_key(data.names, data.colors) if numbered else [])],
        )

    def readout(self, plot, x: float, y: float) -> str:
        panel = next((p for p in self._panels if p.plot is plot), None)
        return panel.readout(x) if panel is not None else ""

    def csv_rows(self) -> list[Row]:
        return training_spend_rows(self._data) if self._data is not None else []
