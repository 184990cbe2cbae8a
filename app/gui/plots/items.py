"""Reusable plot pieces created once and updated in place."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor

from app.report.chart_data import Series, StackedMetric
from app.gui.plots.theme import Theme, elide
from app.report.units import Scale, choose_scale

NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest 'round' number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) >= value."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    step = next(s for s in NICE_STEPS if s >= mantissa * (1 - 1e-12))
    return step * 10**exponent


def set_view(plot: pg.PlotItem, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None) -> None:
    """Show this range, touching the view (and so redrawing the axes) only when it changes.

    Ranges are rounded by the callers (``nice_ceiling``), so small edits keep the
    axes still: steadier to read, and the axes' cached pictures are reused.
    """
    current = plot.vb.viewRange()
    changed = False
    if x is not None and any(abs(a - b) > 1e-9 * max(1.0, abs(b)) for a, b in zip(current[0], x, strict=True)):
        plot.setXRange(*x, padding=0)
        changed = True
    if y is not None and any(abs(a - b) > 1e-9 * max(1.0, abs(b)) for a, b in zip(current[1], y, strict=True)):
        plot.setYRange(*y, padding=0)
        changed = True
    grid = getattr(plot, "_jevons_grid", None)
    if grid is not None and (changed or grid.xData is None or not len(grid.xData)):
        grid.update_lines()


class GridLines(pg.PlotCurveItem):
    """Horizontal lines at the major ticks of the left axis.

    Drawn as one light curve item rather than by the axis: an axis with a grid
    spans the whole plot, so every data change would repaint its tick labels.
    """

    def __init__(self, plot: pg.PlotItem):
        super().__init__(x=np.zeros(0), y=np.zeros(0), connect="pairs")
        self.plot = plot
        self.setZValue(-100)
        plot.addItem(self, ignoreBounds=True)
        plot._jevons_grid = self

    def set_color(self, color: str, alpha: float) -> None:
        pen_color = QColor(color)
        pen_color.setAlphaF(alpha)
        self.setPen(pg.mkPen(pen_color, width=1))

    def update_lines(self) -> None:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        levels = self.plot.getAxis("left").tickValues(y0, y1, max(self.plot.vb.height(), 100))
        values = [v for v in (levels[0][1] if levels else []) if y0 <= v <= y1]
        if len(levels) > 1:
            values += [v for v in levels[1][1] if y0 <= v <= y1]
        xs = np.repeat([[x0, x1]], len(values), axis=0).ravel()
        ys = np.repeat(np.asarray(values, dtype=float), 2)
        self.setData(xs, ys)


def set_axis_label(plot: pg.PlotItem, side: str, text: str, color: str) -> None:
    """Set an axis title only when it changes (it is re-rendered as HTML each time)."""
    axis = plot.getAxis(side)
    if getattr(axis, "_jevons_label", None) != (text, color):
        axis._jevons_label = (text, color)
        plot.setLabel(side, text, color=color)


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
        self._look: tuple | None = None

    def draw(self, metric: StackedMetric, names: list[str], colors: list[str], theme: Theme) -> None:
        count = len(names)
        x = np.arange(count, dtype=float)
        scale = choose_scale(np.concatenate([metric.total[2], metric.total[1]]), metric.unit)
        self.scale = scale
        bottom = np.zeros(count)
        look = (tuple(colors), theme)
        for index, bar in enumerate(self.bars):
            shade = SEGMENT_SHADES[index % len(SEGMENT_SHADES)]
            height = metric.medians[index] / scale.factor
            colours = {}
            if look != self._look:  # brushes and pens only when colours or theme change
                colours = {
                    "brushes": [pg.mkBrush(theme.shade(c, shade)) for c in colors],
                    "pens": [pg.mkPen(c, width=1) for c in colors],
                }
                self.legend_proxies[index].setOpts(brush=theme.shade(NEUTRAL, shade), pen=pg.mkPen(NEUTRAL, width=1))
            bar.setOpts(x=x, y0=bottom.copy(), height=height, width=0.6, **colours)
            bottom = bottom + height
        self._look = look
        high = np.maximum(metric.total[2] / scale.factor - bottom, 0)
        low = np.maximum(bottom - metric.total[0] / scale.factor, 0)
        self.whiskers.setData(x=x, y=bottom, top=high, bottom=low, beam=0.22, pen=pg.mkPen(theme.foreground, width=1))
        set_axis_label(self.plot, "left", f"{metric.title} ({scale.label})", theme.foreground)
        per_bar = self.plot.vb.width() / max(count, 1)
        chars = max(4, int(per_bar / 8.0)) if per_bar > 0 else 10
        ticks = [[(i, elide(name, chars)) for i, name in enumerate(names)]]
        axis = self.plot.getAxis("bottom")
        if getattr(axis, "_jevons_ticks", None) != ticks:
            axis._jevons_ticks = ticks
            axis.setTicks(ticks)
        top = float(np.max(metric.total[2])) / scale.factor if count else 1.0
        set_view(self.plot, x=(-0.6, count - 0.4), y=(0.0, nice_ceiling(top * 1.04)))


def _finite(values: np.ndarray) -> np.ndarray:
    """``values`` with NaN and infinities replaced (rarely needed, so checked first)."""
    return values if np.isfinite(values).all() else np.nan_to_num(values)


class BandedCurve:
    """A median curve with a shaded 5-95 % band."""

    def __init__(self, plot: pg.PlotItem, style: Qt.PenStyle = Qt.PenStyle.SolidLine, band: bool = True):
        self.style = style
        # Data are made finite before drawing (see ``draw``), so pyqtgraph may skip its own check.
        self.curve = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), skipFiniteCheck=True)
        self.low = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None), skipFiniteCheck=True)
        self.high = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None), skipFiniteCheck=True)
        self.band = pg.FillBetweenItem(self.low, self.high) if band else None
        if self.band is not None:
            plot.addItem(self.low)
            plot.addItem(self.high)
            plot.addItem(self.band)
        plot.addItem(self.curve)
        self._look: tuple | None = None

    def set_visible(self, visible: bool) -> None:
        for item in (self.curve, self.low, self.high, self.band):
            if item is not None and item.isVisible() != visible:
                item.setVisible(visible)

    def draw(self, series: Series, color: str, theme: Theme, x_scale: float = 1.0, y_scale: float = 1.0,
             band_fade: float = 0.0, width: float = 2.0, log_floor: float | None = None) -> None:
        """Draw ``series`` divided by ``y_scale``; with ``log_floor``, as log10 of values clipped at the floor."""
        x = _finite(series.x / x_scale)

        def y(values: np.ndarray) -> np.ndarray:
            scaled = values / y_scale
            return _finite(scaled) if log_floor is None else np.log10(np.maximum(_finite(scaled), log_floor))

        look = (color, theme, band_fade, width)
        if look != self._look:  # pens and brushes only when the colour or theme changes
            self._look = look
            pen = pg.mkPen(color, width=width)
            pen.setStyle(self.style)
            self.curve.setPen(pen)
            if self.band is not None:
                fill = QColor(theme.shade(color, band_fade))
                fill.setAlpha(70 if theme.dark else 55)
                self.band.setBrush(pg.mkBrush(fill))
        self.curve.setData(x, y(series.median))
        if self.band is not None:
            with QSignalBlocker(self.low):  # the band follows the second curve's change only: one path update
                self.low.setData(x, y(series.p5))
            self.high.setData(x, y(series.p95))
        self.set_visible(True)


def style_proxy(color: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine, symbol: str | None = None) -> pg.PlotDataItem:
    """An item that is never drawn, only shown in a legend to explain a line style."""
    pen = pg.mkPen(color, width=2)
    pen.setStyle(style)
    if symbol is not None:
        return pg.PlotDataItem(x=[0], y=[0], pen=None, symbol=symbol, symbolBrush=color, symbolPen=color, symbolSize=11)
    return pg.PlotDataItem(x=[0, 1], y=[0, 0], pen=pen)


def rebuild_legend(legend: pg.LegendItem, entries: list[tuple[object, str]]) -> None:
    """Show ``entries``; when only their names changed, relabel instead of rebuilding."""
    current = [sample.item for sample, _label in legend.items]
    if current == [item for item, _name in entries]:
        for (_sample, label), (_item, name) in zip(legend.items, entries, strict=True):
            if label.text != name:
                label.setText(name)
        return
    legend.clear()
    for item, name in entries:
        legend.addItem(item, name)
