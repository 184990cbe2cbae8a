"""Reusable plot pieces created once and updated in place."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.gui.chart_data import Series, StackedMetric
from app.gui.plots.base import Theme, elide
from app.gui.units import Scale, choose_scale

SEGMENT_SHADES = (0.0, 0.38, 0.62, 0.8)
"""How far each stacked segment fades toward the background, bottom first."""
NEUTRAL = "#808080"


class StackedBars:
    """Bars per scenario, segments stacked bottom-up, a 5-95 % whisker on the total."""

    def __init__(self, plot: pg.PlotItem, segments: int):
        self.plot = plot
        # Names are elided to fit one bar's width; pyqtgraph would otherwise drop the outer ones.
        plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.bars = [pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.6) for _ in range(segments)]
        for bar in self.bars:
            plot.addItem(bar)
        self.whiskers = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), top=np.zeros(0), bottom=np.zeros(0), beam=0.22)
        plot.addItem(self.whiskers)
        self.legend_proxies = [
            pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=1, pen=None) for _ in range(segments)
        ]
        self.scale: Scale | None = None

    def draw(self, metric: StackedMetric, names: list[str], colors: list[str], theme: Theme) -> None:
        count = len(names)
        x = np.arange(count, dtype=float)
        scale = choose_scale(np.concatenate([metric.total[2], metric.total[1]]), metric.unit)
        self.scale = scale
        bottom = np.zeros(count)
        for index, bar in enumerate(self.bars):
            shade = SEGMENT_SHADES[index % len(SEGMENT_SHADES)]
            height = metric.medians[index] / scale.factor
            bar.setOpts(
                x=x,
                y0=bottom.copy(),
                height=height,
                width=0.6,
                brushes=[theme.shade(c, shade) for c in colors],
                pens=[pg.mkPen(c, width=1) for c in colors],
            )
            bottom = bottom + height
            self.legend_proxies[index].setOpts(brush=theme.shade(NEUTRAL, shade), pen=pg.mkPen(NEUTRAL, width=1))
        high = np.maximum(metric.total[2] / scale.factor - bottom, 0)
        low = np.maximum(bottom - metric.total[0] / scale.factor, 0)
        self.whiskers.setData(x=x, y=bottom, top=high, bottom=low, beam=0.22, pen=pg.mkPen(theme.foreground, width=1))
        self.plot.setLabel("left", f"{metric.title} ({scale.label})", color=theme.foreground)
        per_bar = self.plot.vb.width() / max(count, 1)
        chars = max(5, int(per_bar / 7.0)) if per_bar > 0 else 10
        self.plot.getAxis("bottom").setTicks([[(i, elide(name, chars)) for i, name in enumerate(names)]])
        self.plot.setXRange(-0.6, count - 0.4, padding=0)


class BandedCurve:
    """A median curve with a shaded 5-95 % band."""

    def __init__(self, plot: pg.PlotItem, style: Qt.PenStyle = Qt.PenStyle.SolidLine, band: bool = True):
        self.style = style
        self.curve = pg.PlotDataItem(x=np.zeros(0), y=np.zeros(0))
        self.low = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None))
        self.high = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None))
        self.band = pg.FillBetweenItem(self.low, self.high) if band else None
        if self.band is not None:
            plot.addItem(self.low)
            plot.addItem(self.high)
            plot.addItem(self.band)
        plot.addItem(self.curve)

    def set_visible(self, visible: bool) -> None:
        for item in (self.curve, self.low, self.high, self.band):
            if item is not None:
                item.setVisible(visible)

    def draw(self, series: Series, color: str, theme: Theme, x_scale: float = 1.0, y_scale: float = 1.0,
             band_fade: float = 0.0, width: float = 2.0) -> None:
        x = series.x / x_scale
        pen = pg.mkPen(color, width=width)
        pen.setStyle(self.style)
        self.curve.setData(x, series.median / y_scale, pen=pen)
        if self.band is not None:
            self.low.setData(x, series.p5 / y_scale)
            self.high.setData(x, series.p95 / y_scale)
            fill = QColor(theme.shade(color, band_fade))
            fill.setAlpha(70 if theme.dark else 55)
            self.band.setBrush(pg.mkBrush(fill))
        self.set_visible(True)


def style_proxy(color: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine, symbol: str | None = None) -> pg.PlotDataItem:
    """An item that is never drawn, only shown in a legend to explain a line style."""
    pen = pg.mkPen(color, width=2)
    pen.setStyle(style)
    if symbol is not None:
        return pg.PlotDataItem(x=[0], y=[0], pen=None, symbol=symbol, symbolBrush=color, symbolPen=color, symbolSize=11)
    return pg.PlotDataItem(x=[0, 1], y=[0, 0], pen=pen)


def rebuild_legend(legend: pg.LegendItem, entries: list[tuple[object, str]]) -> None:
    legend.clear()
    for item, name in entries:
        legend.addItem(item, name)
