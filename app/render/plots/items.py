"""Reusable plot pieces created once and updated in place."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics

from app.domain.scenario_names import marker, short_names
from app.render.plots.panel import Panel
from app.render.plots.theme import Theme
from app.report.chart_data import Series, StackedMetric
from app.report.units import Scale, choose_scale, format_value
from app.report.untrusted_text import markup_escaped

NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest 'round' number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) >= value."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    step = next(s for s in NICE_STEPS if s >= mantissa * (1 - 1e-12))
    return step * 10**exponent


def _same(a, b) -> bool:  # two (low, high) pairs
    return all(abs(u - v) <= 1e-9 * max(1.0, abs(v)) for u, v in zip(a, b, strict=True))


def set_view(plot: Panel, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None,
             force: bool = False) -> None:
    """Make this the panel's own ("home") range and show it, unless the user has zoomed away.

    A zoomed panel keeps the user's view across recomputations; reset (``force``)
    brings it home. The view (and so the axes) is touched only when the range
    changes: ranges are rounded by the callers (``nice_ceiling``), so small edits
    keep the axes still, steadier to read, and the axes' cached pictures are reused.
    """
    current = plot.vb.viewRange()
    old_home = getattr(plot, "_jevons_home", None)
    zoomed = old_home is not None and not (_same(current[0], old_home[0]) and _same(current[1], old_home[1]))
    home = old_home or (tuple(current[0]), tuple(current[1]))
    plot._jevons_home = (tuple(x) if x is not None else home[0], tuple(y) if y is not None else home[1])
    if zoomed and not force:
        return
    changed = False
    if x is not None and not _same(current[0], x):
        plot.setXRange(*x, padding=0)
        changed = True
    if y is not None and not _same(current[1], y):
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

    def __init__(self, plot: Panel):
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


def set_axis_label(plot: Panel, side: str, text: str, color: str) -> None:
    """Set an axis title only when it changes (it is re-rendered as HTML each time)."""
    axis = plot.getAxis(side)
    if getattr(axis, "_jevons_label", None) != (text, color):
        axis._jevons_label = (text, color)
        plot.setLabel(side, text, color=color)


SEGMENT_COLORS = ("#56606b", "#a8782a", "#8e5bb8", "#b3b3b3")
"""Fill of each stacked segment, bottom first: the same in every bar and in the legend.

Hues apart from the scenario palette (Okabe-Ito), so a phase never reads as a
scenario; the bar's outline keeps the scenario's colour.
"""
PHASE_LIGHTENING = (0.0, 0.45, 0.65, 0.8)
"""How far each stacked segment of a scenario-coloured bar is mixed with white, bottom first: the
biggest part (pre-training) in the scenario's own colour, the later phases paler shades of it."""
NEUTRAL = "#808080"
LEGEND_GREY = "#505050"
"""The key of scenario-coloured bars shows each phase's shade of this grey."""


def phase_shade(color: str, index: int) -> QColor:
    """Segment ``index`` of a bar in ``color``: the colour itself, then paler shades of it."""
    base = QColor(color)
    share = PHASE_LIGHTENING[min(index, len(PHASE_LIGHTENING) - 1)]
    return QColor(round(base.red() + (255 - base.red()) * share), round(base.green() + (255 - base.green()) * share),
                  round(base.blue() + (255 - base.blue()) * share))
BAR_LABEL_PADDING = 6
"""Pixels kept free between two bars' axis labels."""


def bar_labels(names: list[str], per_bar_px: float, metrics: QFontMetrics) -> tuple[list[str], bool]:
    """Axis labels for bars ``per_bar_px`` apart: short names when all fit, numbers otherwise.

    Returns the labels and whether they are numbers (the chart then shows a key).
    """
    short = short_names(names)
    if per_bar_px > 0 and all(metrics.horizontalAdvance(n) + BAR_LABEL_PADDING <= per_bar_px for n in short):
        return short, False
    return [marker(i) for i in range(len(names))], True


class StackedBars:
    """Bars per scenario as tall as the total's median, split into its segments bottom-up
    (``StackedMetric.heights``), a 5-95 % whisker on the total."""

    def __init__(self, plot: Panel, segments: int, by_scenario: bool = False):
        """``by_scenario``: fill each bar with its scenario's colour, the segments in paler shades of it
        (the legend shows the shades in grey); else each segment has its own hue in every bar."""
        self.plot = plot
        self.by_scenario = by_scenario
        # Labels are chosen to fit one bar's width; pyqtgraph would otherwise drop the outer ones.
        plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.bars = [pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.6) for _ in range(segments)]
        for bar in self.bars:
            plot.addItem(bar)
        self.whiskers = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), top=np.zeros(0), bottom=np.zeros(0), beam=0.22)
        plot.addItem(self.whiskers)
        self.legend_proxies = [
            pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=1, pen=None,
                            brush=phase_shade(LEGEND_GREY, i) if by_scenario else SEGMENT_COLORS[i % len(SEGMENT_COLORS)])
            for i in range(segments)
        ]
        self.scale: Scale | None = None
        self.metric: StackedMetric | None = None
        self.names: list[str] = []
        self.numbered = False
        """True when the bars are labelled by number (too narrow for names)."""
        self._look: tuple | None = None

    def draw(self, metric: StackedMetric, names: list[str], colors: list[str], theme: Theme) -> None:
        count = len(names)
        self.names = list(names)
        x = np.arange(count, dtype=float)
        scale = choose_scale(np.concatenate([metric.total[2], metric.total[1]]), metric.unit)
        self.scale = scale
        self.metric = metric
        bottom = np.zeros(count)
        heights = metric.heights
        look = (tuple(colors), theme)
        for index, bar in enumerate(self.bars):
            height = heights[index] / scale.factor
            colours = {}
            if look != self._look and self.by_scenario:  # brushes and pens only when colours or theme change
                colours = {"brushes": [pg.mkBrush(phase_shade(c, index)) for c in colors],
                           "pens": [pg.mkPen(theme.background, width=0.5) for c in colors]}
            elif look != self._look:
                fill = SEGMENT_COLORS[index % len(SEGMENT_COLORS)]
                colours = {"brush": pg.mkBrush(fill), "pens": [pg.mkPen(c, width=1.5) for c in colors]}
            bar.setOpts(x=x, y0=bottom.copy(), height=height, width=0.6, **colours)
            bottom = bottom + height
        self._look = look
        high = np.maximum(metric.total[2] / scale.factor - bottom, 0)
        low = np.maximum(bottom - metric.total[0] / scale.factor, 0)
        self.whiskers.setData(x=x, y=bottom, top=high, bottom=low, beam=0.22, pen=pg.mkPen(theme.foreground, width=1))
        set_axis_label(self.plot, "left", f"{metric.title} ({scale.label})", theme.foreground)
        self.label_bars()
        top = float(np.max(metric.total[2])) / scale.factor if count else 1.0
        set_view(self.plot, x=(-0.6, count - 0.4), y=(0.0, nice_ceiling(top * 1.04)))

    def readout(self, x: float) -> str:
        """The bar under ``x``: its scenario, each segment's median and the total's 5-95 % range."""
        index = round(x)
        metric = self.metric
        if metric is None or not 0 <= index < len(self.names) or abs(x - index) > 0.4:
            return ""
        lines = [f"{self.names[index]} — {metric.title.lower()}"]
        lines += [f"  {segment}: {format_value(metric.medians[k][index], metric.unit)}"
                  for k, segment in enumerate(metric.segments)]
        low, median, high = (metric.total[k][index] for k in range(3))
        lines.append(f"  total: {format_value(median, metric.unit)} "
                     f"(5–95 %: {format_value(low, metric.unit)} – {format_value(high, metric.unit)})")
        return "\n".join(lines)

    def names_fit(self) -> bool:
        """Whether every scenario's short name fits under its bar at the plot's current width."""
        axis = self.plot.getAxis("bottom")
        per_bar = self.plot.vb.width() / max(len(self.names), 1)
        return not bar_labels(self.names, per_bar, QFontMetrics(axis.style["tickFont"] or QFont()))[1]

    def label_bars(self, numbered: bool | None = None) -> bool:
        """Label the bars by short name, or by number when ``numbered`` (or, when None, when names do not fit).

        Returns whether they are numbered. A chart with several panels numbers all
        of them as soon as one is too narrow, so that one key serves them all.
        """
        self.numbered = (not self.names_fit()) if numbered is None else numbered
        labels = [marker(i) for i in range(len(self.names))] if self.numbered else short_names(self.names)
        axis = self.plot.getAxis("bottom")
        ticks = [list(enumerate(labels))]
        if getattr(axis, "_jevons_ticks", None) != ticks:
            axis._jevons_ticks = ticks
            axis.setTicks(ticks)
        return self.numbered


def scenario_key(names: list[str], colors: list[str]) -> list[tuple[object, str]]:
    """Legend entries giving each numbered scenario's short name, with its colour."""
    return [
        (pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=1, brush=color, pen=pg.mkPen(color)),
         f"{marker(i)}  {name}")
        for i, (name, color) in enumerate(zip(short_names(names), colors, strict=True))
    ]


def _finite(values: np.ndarray) -> np.ndarray:
    """``values`` with NaN and infinities replaced (rarely needed, so checked first)."""
    return values if np.isfinite(values).all() else np.nan_to_num(values)


def _changed(drawn: list, slot: int, *arrays: np.ndarray) -> bool:
    """Whether ``arrays`` differ from those last drawn in ``slot`` (then remembered)."""
    last = drawn[slot]
    if last is not None and all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(last, arrays, strict=True)):
        return False
    drawn[slot] = arrays
    return True


BAND_Z = -10
"""Bands lie below every curve of their panel (their layer added), above its grid lines (-100)."""


class BandedCurve:
    """A median curve with a shaded 5-95 % band."""

    def __init__(self, plot: Panel, style: Qt.PenStyle = Qt.PenStyle.SolidLine, band: bool = True, layer: int = 0):
        """``layer`` stacks curves that share a panel: a higher layer's curve and band lie above a lower's,
        and every band below every curve (see ``base.Slots``)."""
        self.style = style
        # Data are made finite before drawing (see ``draw``), so pyqtgraph may skip its own check.
        self.curve = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), skipFiniteCheck=True)
        self.low = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None), skipFiniteCheck=True)
        self.high = pg.PlotCurveItem(x=np.zeros(0), y=np.zeros(0), pen=pg.mkPen(None), skipFiniteCheck=True)
        self.band = pg.FillBetweenItem(self.low, self.high) if band else None
        for item in (self.low, self.high, self.curve):
            item.setZValue(layer)
        if self.band is not None:
            self.band.setZValue(BAND_Z + layer)
            plot.addItem(self.low)
            plot.addItem(self.high)
            plot.addItem(self.band)
        plot.addItem(self.curve)
        self._look: tuple | None = None
        self._drawn: list[tuple[np.ndarray, ...] | None] = [None, None]
        """The arrays last given to the curve and to the band."""

    def set_visible(self, visible: bool) -> None:
        for item in (self.curve, self.low, self.high, self.band):
            if item is not None and item.isVisible() != visible:
                item.setVisible(visible)

    def draw(self, series: Series, color: str, theme: Theme, x_scale: float = 1.0, y_scale: float = 1.0,
             band_fade: float = 0.0, width: float = 2.0, log_floor: float | None = None,
             style: Qt.PenStyle | None = None) -> None:
        """Draw ``series`` divided by ``y_scale``; with ``log_floor``, as log10 of values clipped at the floor;
        with ``style``, in that line style rather than the curve's own."""
        x = _finite(series.x / x_scale)

        def y(values: np.ndarray) -> np.ndarray:
            scaled = values / y_scale
            return _finite(scaled) if log_floor is None else np.log10(np.maximum(_finite(scaled), log_floor))

        style = self.style if style is None else style
        look = (color, theme, band_fade, width, style)
        if look != self._look:  # pens and brushes only when the colour or theme changes
            self._look = look
            pen = pg.mkPen(color, width=width)
            pen.setStyle(style)
            self.curve.setPen(pen)
            if self.band is not None:
                fill = QColor(theme.shade(color, band_fade))
                fill.setAlpha(70 if theme.dark else 55)
                self.band.setBrush(pg.mkBrush(fill))
        median = y(series.median)
        if _changed(self._drawn, 0, x, median):
            self.curve.setData(x, median)
        if self.band is not None:
            low, high = y(series.p5), y(series.p95)
            # An edit of another scenario leaves this band as it is: its path is not rebuilt.
            if _changed(self._drawn, 1, x, low, high):
                with QSignalBlocker(self.low):  # the band follows the second curve's change only: one path update
                    self.low.setData(x, low)
                self.high.setData(x, high)
        self.set_visible(True)


def value_at(series: Series, x: float) -> float:
    """The series' median at ``x`` (linear between points; NaN outside)."""
    if series.x.size == 0 or not series.x[0] <= x <= series.x[-1]:
        return math.nan
    return float(np.interp(x, series.x, series.median))


def scenario_marks(plot: Panel, size: int, symbol: str, layer: float) -> pg.ScatterPlotItem:
    """An empty scatter in ``plot`` for one mark per scenario (each spot brings its own brush), at
    z-value ``layer`` so it draws above the curves it marks."""
    marks = pg.ScatterPlotItem(size=size, symbol=symbol)
    marks.setZValue(layer)
    plot.addItem(marks)
    return marks


def style_proxy(color: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine, symbol: str | None = None) -> pg.PlotDataItem:
    """An item that is never drawn, only shown in a legend to explain a line style."""
    pen = pg.mkPen(color, width=2)
    pen.setStyle(style)
    if symbol is not None:
        return pg.PlotDataItem(x=[0], y=[0], pen=None, symbol=symbol, symbolBrush=color, symbolPen=color, symbolSize=11)
    return pg.PlotDataItem(x=[0, 1], y=[0, 0], pen=pen)


def rebuild_legend(legend: pg.LegendItem, entries: list[tuple[object, str]]) -> None:
    """Show ``entries``; when only their names changed, relabel instead of rebuilding."""
    entries = [(item, markup_escaped(name)) for item, name in entries]  # names are data, not HTML
    current = [sample.item for sample, _label in legend.items]
    if current == [item for item, _name in entries]:
        for (_sample, label), (_item, name) in zip(legend.items, entries, strict=True):
            if label.text != name:
                label.setText(name)
        return
    legend.clear()
    for item, name in entries:
        legend.addItem(item, name)
