"""The adoption chart's second row: the lifecycle difference to the baseline as a waterfall, and each
year's energy by part (training and R&D against inference) as stacked areas.

Both draw ``app.report.chart_data.AdoptionTotalsData``; the waterfall's steps are the decomposition
of ``app.engine.decomposition``, whose means add up to the mean difference.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.render.plots.base import SLOTS, Slots
from app.render.plots.items import nice_ceiling, set_axis_label, set_view
from app.render.plots.panel import Panel
from app.render.plots.theme import Theme
from app.report.chart_data import DECOMPOSITION_STEPS, AdoptionTotalsData
from app.report.units import choose_scale, format_value

BAR_SPAN = 0.8
"""Share of a step's width the scenarios' bars fill together."""


def _show(items: tuple[pg.GraphicsObject, ...], visible: bool) -> None:
    for item in items:
        item.setVisible(visible)


def _faded(color: str, alpha: int) -> QColor:
    faded = QColor(color)
    faded.setAlpha(alpha)
    return faded


class Waterfall:
    """Per step (training efficiency, inference efficiency, training re-spent, usage rebound, difference),
    one floating bar per scenario against the baseline from the running sum of the parts before it; the
    last step, the difference itself, stands on zero."""

    def __init__(self, plot: Panel):
        self.plot = plot
        self.bars = pg.BarGraphItem(x=np.zeros(0), y0=np.zeros(0), height=np.zeros(0), width=0.1)
        self.zero = pg.InfiniteLine(pos=0.0, angle=0, pen=pg.mkPen("#808080", width=1))
        plot.addItem(self.bars)
        plot.addItem(self.zero)
        plot.getAxis("bottom").setTicks([[(i, short) for i, (_key, _label, short) in enumerate(DECOMPOSITION_STEPS)]])
        plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.data: AdoptionTotalsData | None = None
        self.shown: list[int] = []

    def draw(self, data: AdoptionTotalsData, theme: Theme) -> None:
        self.data = data
        shown = [i for i in range(len(data.names)) if i != data.baseline_index][:SLOTS]
        self.shown = shown
        steps = data.decomposition or []
        means = np.array([[part.mean for part in steps[i]] for i in shown]).reshape(len(shown), len(DECOMPOSITION_STEPS))
        parts = means[:, :-1]
        starts = np.concatenate([np.zeros((len(shown), 1)), np.cumsum(parts, axis=1)], axis=1)[:, :-1]
        reach = np.concatenate([starts.ravel(), (starts + parts).ravel(), means[:, -1]]) if shown else np.zeros(1)
        scale = choose_scale(reach, "Wh")
        width = BAR_SPAN / max(len(shown), 1)
        x, y0, height, brushes = [], [], [], []
        for k, index in enumerate(shown):
            offset = (k - (len(shown) - 1) / 2) * width
            color = data.colors[index]
            for step in range(len(DECOMPOSITION_STEPS)):
                last = step == len(DECOMPOSITION_STEPS) - 1
                x.append(step + offset)
                y0.append(0.0 if last else starts[k, step] / scale.factor)
                height.append(means[k, step] / scale.factor)
                brushes.append(pg.mkBrush(color if last else _faded(color, 150)))
        self.bars.setVisible(bool(x))  # a comparison of the baseline alone has no difference to draw
        if x:  # pyqtgraph cannot paint empty lists of brushes and pens
            self.bars.setOpts(x=np.array(x), y0=np.array(y0), height=np.array(height), width=width * 0.9,
                              brushes=brushes, pens=[pg.mkPen(theme.foreground, width=0.5)] * len(x))
        self.zero.setPen(pg.mkPen(theme.foreground, width=1))
        low, high = (float(reach.min()) / scale.factor, float(reach.max()) / scale.factor) if shown else (0.0, 1.0)
        pad = 0.04 * max(high - low, 1e-12)
        top = nice_ceiling(high + pad) if high > 0 else 0.0
        bottom = -nice_ceiling(-(low - pad)) if low < 0 else 0.0
        set_view(self.plot, x=(-0.6, len(DECOMPOSITION_STEPS) - 0.4), y=(bottom, top if top > bottom else bottom + 1.0))
        set_axis_label(self.plot, "left", f"Minus the baseline's ({scale.label})", theme.foreground)

    def readout(self, x: float) -> str:
        """Each scenario's part at the step under ``x``: its mean over the draws, with its 5-95 % band."""
        step = round(x)
        if self.data is None or not 0 <= step < len(DECOMPOSITION_STEPS) or not self.data.decomposition:
            return ""
        lines = [f"{DECOMPOSITION_STEPS[step][1]} over the horizon, against the baseline (mean over the draws)"]
        for index in self.shown:
            part = self.data.decomposition[index][step]
            lines.append(f"  {self.data.names[index]}: {format_value(part.mean, 'Wh')} "
                         f"(band {format_value(part.p5, 'Wh')} to {format_value(part.p95, 'Wh')})")
        return "\n".join(lines)


class AnnualParts:
    """Each scenario's energy per year by part: training and R&D (its median) filled from zero, the
    total (its own median, the figure ``evaluate`` reports) as a solid line, and inference as the paler
    area between them."""

    def __init__(self, plot: Panel):
        self.plot = plot
        self.slots: Slots[tuple[pg.PlotDataItem, pg.FillBetweenItem, pg.PlotDataItem]] = Slots(self._make_slot)
        """Per scenario: its training and R&D curve, the inference area above it, its total curve."""
        plot.setLabel("bottom", "Year")
        self.data: AdoptionTotalsData | None = None
        self._drawn: list[tuple | None] = [None] * SLOTS
        """What each slot last drew (its arrays, colour and theme): an edit of another scenario leaves it as it is."""
        self._years: int | None = None
        self.scale = choose_scale([1.0], "Wh")
        """The scale the curves were last drawn in."""

    def _make_slot(self) -> tuple[pg.PlotDataItem, pg.FillBetweenItem, pg.PlotDataItem]:
        training, total = pg.PlotDataItem(fillLevel=0.0), pg.PlotDataItem()
        fill = pg.FillBetweenItem(training, total)
        for item in (training, fill, total):
            self.plot.addItem(item)
        return training, fill, total

    def draw(self, data: AdoptionTotalsData, theme: Theme) -> None:
        self.data = data
        count = min(len(data.names), SLOTS)
        tops = [float(np.max(s.annual_total.median, initial=0.0)) for s in data.scenarios[:count]]
        scale = self.scale = choose_scale(tops, "Wh")
        years = 1.0
        self.slots.hide_from(count, lambda items: _show(items, False))
        for index in range(count):
            curve, fill, line = self.slots[index]
            _show((curve, fill, line), True)
            s, color = data.scenarios[index], data.colors[index]
            x = s.annual_training.x
            years = max(years, float(x[-1]) if x.size else 1.0)
            training = s.annual_training.median / scale.factor
            total = s.annual_total.median / scale.factor
            last = self._drawn[index]
            if (last is not None and last[3:] == (color, theme)
                    and all(np.array_equal(a, b) for a, b in zip(last[:3], (x, training, total), strict=True))):
                continue
            self._drawn[index] = (x, training, total, color, theme)
            curve.setData(x, training, pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine),
                          fillLevel=0.0, brush=pg.mkBrush(_faded(color, 90)))
            line.setData(x, total, pen=pg.mkPen(color, width=2))
            fill.setBrush(pg.mkBrush(_faded(color, 35)))
        top = max(tops, default=1.0) / scale.factor
        set_view(self.plot, x=(0.8, years + 0.2), y=(0.0, nice_ceiling(top * 1.04) if top > 0 else 1.0))
        if int(years) != self._years:
            self._years = int(years)
            self.plot.getAxis("bottom").setTicks([[(float(y), f"{y}") for y in range(1, int(years) + 1)]])
        set_axis_label(self.plot, "left", f"Energy per year ({scale.label})", theme.foreground)

    def readout(self, x: float) -> str:
        """Each scenario's total, training and inference energy (medians) in the year under ``x``."""
        data = self.data
        year = round(x)
        if data is None or year < 1:
            return ""
        lines = [f"Year {year}"]
        for name, s in zip(data.names, data.scenarios, strict=True):
            if year <= s.annual_training.x.size:
                parts = (s.annual_total.median[year - 1], s.annual_training.median[year - 1],
                         s.annual_inference.median[year - 1])
                if all(math.isfinite(v) for v in parts):
                    total, training, inference = (format_value(v, "Wh") for v in parts)
                    lines.append(f"  {name}: {total} (training and R&D {training}, inference {inference})")
        return "\n".join(lines) if len(lines) > 1 else ""
