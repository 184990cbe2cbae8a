"""Measured against predicted energy per output token of a calibration set (docs and reviews).

Log-log scatter, one colour per accelerator family, with the identity line and
the +/-50 % lines, so how far to trust a per-query figure is seen at a glance.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.render.plots.base import ChartView
from app.render.plots.items import NEUTRAL, set_axis_label, set_view, style_proxy
from app.report.palette import scenario_colors


class CalibrationResiduals(ChartView):
    """Predicted against measured J per output token, log-log."""

    chart_id = "calibration-residuals"
    title = "Serving model against measurements"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._plot = self.add_panel(1, 0)
        self._legend = self.add_legend_row(2, 4)
        set_axis_label(self._plot, "bottom", "Measured energy per output token (J)", self.theme.foreground)
        set_axis_label(self._plot, "left", "Predicted energy per output token (J)", self.theme.foreground)

    def show_points(self, measured: np.ndarray, predicted: np.ndarray, groups: np.ndarray, note: str = "") -> None:
        """Draw one scatter per group (e.g. accelerator family); ``note`` goes in the title.

        Values are drawn as their logarithms on linear axes, with ticks at 1, 2 and 5
        per decade labelled in joules (pyqtgraph's log mode labels every minor tick).
        """
        self._plot.clear()
        self._legend.clear()
        low = float(np.min([measured.min(), predicted.min()])) / 1.5
        high = float(np.max([measured.max(), predicted.max()])) * 1.5
        line = np.log10([low, high])
        for factor, style in ((1.0, Qt.PenStyle.SolidLine), (1.5, Qt.PenStyle.DashLine), (0.5, Qt.PenStyle.DashLine)):
            self._plot.plot(line, line + np.log10(factor), pen=pg.mkPen(NEUTRAL, width=1, style=style))
        self._legend.addItem(style_proxy(NEUTRAL), "predicted = measured")
        self._legend.addItem(style_proxy(NEUTRAL, Qt.PenStyle.DashLine), "±50 %")
        names = sorted(set(groups.tolist()))
        for color, group in zip(scenario_colors([None] * len(names)), names, strict=True):
            chosen = groups == group
            points = self._plot.plot(
                np.log10(measured[chosen]), np.log10(predicted[chosen]), pen=None,
                symbol="o", symbolSize=6, symbolPen=None, symbolBrush=pg.mkBrush(color),
            )
            self._legend.addItem(points, f"{group} ({int(chosen.sum())} rows)")
        ticks = [
            (np.log10(m * 10.0**e), f"{m * 10.0**e:g}")
            for e in range(int(np.floor(line[0])), int(np.ceil(line[1])) + 1)
            for m in (1, 2, 5)
            if line[0] <= np.log10(m * 10.0**e) <= line[1]
        ]
        for side in ("bottom", "left"):
            self._plot.getAxis(side).setTicks([ticks, []])
        set_view(self._plot, (line[0], line[1]), (line[0], line[1]), force=True)
        if note:
            self._title_label.setText(f"{self.title}: {note}")
