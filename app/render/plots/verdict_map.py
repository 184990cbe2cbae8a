"""The verdict map: cells coloured by a scenario's median energy ratio to the baseline.

Blue where it uses less energy, red where it uses more (a log scale centred
on 1), a solid contour where the median ratio crosses 1 and dashed contours
where the probability of using more energy is 5 %, 50 % and 95 %.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QWidget

from app.numbers import percent
from app.render.plots.base import ChartView
from app.render.plots.items import NEUTRAL, set_axis_label, style_proxy
from app.render.plots.theme import Theme
from app.report.verdict_map import VerdictMap

RATIO_SPAN = 10.0
"""Colours saturate at 1/10x and 10x the baseline's energy."""
PROBABILITY_LEVELS = (0.05, 0.5, 0.95)
COLOR_BAR_TICKS = ((0.1, "0.1×"), (0.3, "0.3×"), (1.0, "1×"), (3.0, "3×"), (10.0, "10×"))


def _colormap() -> pg.ColorMap:
    return pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)])


class VerdictMapPlot(ChartView):
    """A scenario's paired energy ratio to the baseline over two inputs."""

    chart_id = "verdict-map"
    title = "Verdict map"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._plot = self.add_panel(1, 0)
        self._legend = self.add_legend_row(2, 3)
        # A labelled diverging colour bar: the median ratio, 1/10x (blue, less energy) to 10x (red, more).
        self.color_bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=_colormap(), interactive=False, width=14,
                                         label="median energy ratio to the baseline")
        self.color_bar.axis.setTicks([[(0.5 + 0.5 * np.log10(r) / np.log10(RATIO_SPAN), label)
                                       for r, label in COLOR_BAR_TICKS]])
        self.ci.addItem(self.color_bar, row=1, col=1)
        self.contour_labels: list[str] = []
        """The labels written on the probability contours (for tests and the text alternative)."""

    def apply_theme(self, theme: Theme) -> None:
        """The chart's theme, and the colour bar's ticks and label (on its other side) in its text colour too."""
        super().apply_theme(theme)
        for axis in (self.color_bar.axis, self.color_bar.getAxis("left")):
            axis.setTextPen(pg.mkPen(theme.foreground))
            axis.setPen(pg.mkPen(theme.foreground))
            axis.setLabel(axis.labelText, color=theme.foreground)

    def show_map(self, verdict_map: VerdictMap) -> None:
        plot = self._plot
        plot.clear()
        self._legend.clear()
        x, y = verdict_map.x.values, verdict_map.y.values
        with np.errstate(divide="ignore", invalid="ignore"):
            level = np.log(verdict_map.median) / np.log(RATIO_SPAN)
        level = np.clip(np.nan_to_num(level, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0) * 0.5 + 0.5
        image = pg.ImageItem(level.T)  # ImageItem is indexed [x, y]
        image.setLookupTable(_colormap().getLookupTable(0.0, 1.0, 256))
        image.setLevels((0.0, 1.0))
        dx = (x[-1] - x[0]) / max(len(x) - 1, 1)
        dy = (y[-1] - y[0]) / max(len(y) - 1, 1)
        image.setRect(QRectF(x[0] - dx / 2, y[0] - dy / 2, dx * len(x), dy * len(y)))
        plot.addItem(image)
        self.contour_labels = []
        self._contour(verdict_map.median, 1.0, pg.mkPen(NEUTRAL, width=2.5), x, y)
        self._legend.addItem(style_proxy(NEUTRAL), "median ratio = 1 (break-even)")
        for probability in PROBABILITY_LEVELS:
            pen = pg.mkPen("#444444", width=1.2, style=Qt.PenStyle.DashLine)
            self._contour(verdict_map.probability_more_energy, probability, pen, x, y, percent(probability))
        self._legend.addItem(style_proxy("#444444", Qt.PenStyle.DashLine), "more energy in 5 %, 50 %, 95 % of cases")
        self._legend.addItem(pg.BarGraphItem(x=[0], height=[1], width=1, brush="#b2182b"), "uses more energy")
        self._legend.addItem(pg.BarGraphItem(x=[0], height=[1], width=1, brush="#2166ac"), "uses less")
        set_axis_label(plot, "bottom", f"{verdict_map.x.label} ({verdict_map.x.unit})", self.theme.foreground)
        set_axis_label(plot, "left", f"{verdict_map.y.label} ({verdict_map.y.unit})", self.theme.foreground)
        plot.setTitle(f"{verdict_map.scenario} against {verdict_map.baseline}: median ratio of energy",
                      color=self.theme.foreground)
        plot.getAxis("left").setWidth(90)  # room for five-digit ticks beside the label
        # The view is the requested range: the edge cells, centred on its ends, show their inner half, and no
        # cell reads a value past an input's bound (an elasticity above 0).
        plot.setXRange(x[0], x[-1], padding=0)
        plot.setYRange(y[0], y[-1], padding=0)

    def _contour(self, grid: np.ndarray, level: float, pen, x: np.ndarray, y: np.ndarray,
                 label: str = "") -> None:
        """Draw where ``grid`` (indexed [y, x]) crosses ``level``, in the axes' units, with ``label`` at the
        middle of its longest line."""
        values = np.nan_to_num(np.asarray(grid, dtype=float), nan=0.0, posinf=1e300)
        lines = pg.functions.isocurve(values.T, level, connected=True)  # points in index units [i_x, i_y]
        for line in lines:
            points = np.asarray(line, dtype=float)
            if len(points) < 2:
                continue
            px = np.interp(points[:, 0], np.arange(len(x)), x)
            py = np.interp(points[:, 1], np.arange(len(y)), y)
            self._plot.plot(px, py, pen=pen)
        longest = max((np.asarray(line, dtype=float) for line in lines), key=len, default=None)
        if label and longest is not None and len(longest) >= 2:
            middle = longest[len(longest) // 2]
            text = pg.TextItem(f"{label} more", color="#222222", anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 180))
            text.setPos(float(np.interp(middle[0], np.arange(len(x)), x)), float(np.interp(middle[1], np.arange(len(y)), y)))
            self._plot.addItem(text)
            self.contour_labels.append(label)
