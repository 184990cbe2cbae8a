"""What matters most: which inputs move the median of a figure of the scenario being edited, one at a time
(each pinned at either end of its range, the rest drawn: the question the headline's flip answers)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from app import numbers
from app.render.plots.base import ChartView
from app.render.plots.items import NEUTRAL, nice_ceiling, rebuild_legend, set_axis_label, set_view, style_proxy
from app.render.plots.theme import elide
from app.report.chart_data import TORNADO_BARS, ChartInputs, Row, TornadoData, sampled_median, tornado_rows
from app.report.tidy import Table, sensitivity_table
from app.report.units import choose_scale, format_value
from app.report.untrusted_text import markup_escaped

BASE_UNITS = {"MWh": ("Wh", 1e6), "Wh": ("Wh", 1.0), "gCO2e": ("gCO2e", 1.0), "tCO2e": ("tCO2e", 1.0), "USD": ("USD", 1.0)}
"""Engine metric unit -> (unit ladder of app.report.units, factor to it)."""
TICK_LABEL_MARGIN = 12
"""Pixels either side of an input's label (tick length and spacing)."""
MIN_LABEL_ROOM = 96
"""Fewest pixels an input's label keeps, however narrow the chart."""


def metric_text(value: float, unit: str) -> str:
    """The tornado's metric in words: "2.79 GWh" on its unit ladder, "0.155×" for the verdict's ratio."""
    if unit == "×":
        return numbers.times(value)
    ladder, factor = BASE_UNITS.get(unit, (None, 1.0))
    return format_value(value * factor, ladder) if ladder else f"{numbers.number(value)} {unit}"


PLAIN_UNITS = ("dimensionless", "fraction", "ratio", "")
"""Units not worth a tick label's room: the range's numbers say enough."""


def tick_parts(label: str, low: float, high: float, unit: str) -> tuple[str, str]:
    """An input's tick label in two parts: its whole name, with the trailing "(whose)" that says which scenario's
    input it is, and its range with its unit. :func:`fitted_tick_text` cuts them to the room the axis has."""
    units = "" if unit in PLAIN_UNITS else f" {unit}"
    return label, f"({numbers.span(low, high, 3)}{units})"


NAME_SHARE = 0.6
"""Least share of a cut label's room its input's name keeps: a range that leaves it less is left to the readout."""


def fitted_tick_text(name: str, values: str, metrics: QFontMetrics, room: int) -> str:
    """``name`` and its range ``values`` in ``room`` pixels. Too wide, the name loses its end, which the readout
    over the label gives in full; a range that would leave the name less than :data:`NAME_SHARE` of the room is
    left out (the readout gives it too)."""
    whole = f"{name} {values}"
    if metrics.horizontalAdvance(whole) <= room:
        return whole
    left = room - metrics.horizontalAdvance(f" {values}")
    if left >= NAME_SHARE * room:
        return f"{metrics.elidedText(name, Qt.TextElideMode.ElideRight, left)} {values}"
    return metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)


def method_text(data: TornadoData) -> str:
    """How the bars were found, the title's second line: "medians of 200 samples: each input at either end of
    its range, the rest drawn"; without any range, "each input ±20 %, the rest central"."""
    ranged = all(bar.from_range for bar in data.bars)
    swing = "each input at either end of its range" if ranged else "each input ±20 %"
    if data.samples > 1:
        return f"medians of {data.samples:,} samples: {swing}, the rest drawn"
    return f"{swing}, the rest central"


def centre_text(data: TornadoData) -> str:
    """What the bars' common centre is, for the legend and the readout."""
    if data.samples > 1:
        return f"median over {data.samples:,} samples, no input pinned"
    return "every input at its central value"


class TornadoPlot(ChartView):
    """Bars from the metric's median with each input at its low value to it at its high value."""

    chart_id = "sensitivity"
    title = "What matters most"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._plot = self.add_panel(1, 0)
        self._low = pg.BarGraphItem(x0=np.zeros(0), y=np.zeros(0), width=np.zeros(0), height=0.6)
        self._high = pg.BarGraphItem(x0=np.zeros(0), y=np.zeros(0), width=np.zeros(0), height=0.6)
        self._plot.addItem(self._low)
        self._plot.addItem(self._high)
        self._central = pg.InfiniteLine(angle=90, movable=False)
        self._plot.addItem(self._central)
        # The summary's median, when it is over another number of samples than the bars' centre (the window's
        # 1,000 against the flip's 200): both are drawn, and the legend says which is which.
        self._median = pg.InfiniteLine(angle=90, movable=False)
        self._plot.addItem(self._median)
        self._central_proxy = style_proxy(NEUTRAL)
        self._median_proxy = style_proxy(NEUTRAL, Qt.PenStyle.DashLine)
        self._plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        self._legend = self.add_legend_row(2, columns=2)
        self._low_proxy = pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=1, pen=None)
        self._high_proxy = pg.BarGraphItem(x=np.zeros(1), height=np.zeros(1), width=1, pen=None)
        self._data: TornadoData | None = None
        self.apply_theme(self.theme)

    def sampling(self, inputs: ChartInputs) -> str | None:
        """The bars' own samples (a review's finding: the caption claimed the comparison's 1,000 and bands)."""
        data = inputs.tornado
        return None if data is None else method_text(data)

    def table(self, inputs: ChartInputs) -> object:
        return inputs.tornado, sampled_median(inputs)

    def _draw(self, inputs: ChartInputs) -> None:
        data = inputs.tornado
        self._data = data
        theme = self.theme
        if data is None or not data.bars:
            for item in (self._low, self._high):
                item.setOpts(x0=np.zeros(0), y=np.zeros(0), width=np.zeros(0))
            self._median.setVisible(False)
            reason = f"could not be computed: {data.error}" if data is not None and data.error else "no input to vary"
            self._title_label.setText(f"What matters most ({markup_escaped(elide(reason, 90))})", color=theme.foreground,
                                      size="11pt", bold=True)
            return
        unit, factor = BASE_UNITS.get(data.unit, (None, 1.0))
        lows = np.array([bar.metric_low for bar in data.bars]) * factor
        highs = np.array([bar.metric_high for bar in data.bars]) * factor
        central = data.central * factor
        median = sampled_median(inputs)
        known = median is not None and math.isfinite(median)
        shown = known and inputs.samples != data.samples
        extra = [median * factor] if shown else []
        scale = choose_scale([*lows, *highs, central, *extra], unit) if unit else None
        divide = scale.factor if scale else 1.0
        count = len(data.bars)
        y = np.arange(count, dtype=float)[::-1]  # the largest swing on top
        for item, ends, shade in ((self._low, lows, 0.55), (self._high, highs, 0.0)):
            left = np.minimum(ends, central) / divide
            width = np.abs(ends - central) / divide
            item.setOpts(x0=left, y=y, width=width, height=0.6, brush=theme.shade(data.color, shade),
                         pen=pg.mkPen(data.color, width=1))
        self._low_proxy.setOpts(brush=theme.shade(NEUTRAL, 0.55), pen=pg.mkPen(NEUTRAL))
        self._high_proxy.setOpts(brush=theme.shade(NEUTRAL, 0.0), pen=pg.mkPen(NEUTRAL))
        self._central.setPos(central / divide)
        self._central.setPen(pg.mkPen(theme.foreground, width=1))
        self._median.setVisible(shown)
        if shown:
            dashed = pg.mkPen(theme.foreground, width=1)
            dashed.setStyle(Qt.PenStyle.DashLine)
            self._median.setPen(dashed)
            self._median.setPos(median * factor / divide)
        self._ticks = [(y[i], *tick_parts(bar.label, bar.low, bar.high, bar.unit)) for i, bar in enumerate(data.bars)]
        self._fit_labels()
        label = f"{data.label} ({scale.label})" if scale else f"{data.label} ({data.unit})"
        set_axis_label(self._plot, "bottom", label, theme.foreground)
        span = [*(lows / divide), *(highs / divide), central / divide, *(v / divide for v in extra)]
        low_end, high_end = min(span), max(span)
        pad = (high_end - low_end) * 0.05 or abs(high_end) * 0.05 or 1.0
        x0 = 0.0 if low_end >= 0 and low_end - pad < 0 else low_end - pad
        set_view(self._plot, x=(x0, nice_ceiling(high_end + pad) if high_end > 0 else high_end + pad),
                 y=(-0.6, max(count, TORNADO_BARS * 0.6) - 0.4))
        what = ("to the verdict on" if data.unit == "×" else f"{data.label.lower()} of")
        self._title_label.setText(f"What matters most {what} {markup_escaped(elide(data.scenario, 40))}"
                                  f"<br><span style='font-size: 9pt; font-weight: normal'>{method_text(data)}</span>",
                                  color=theme.foreground, size="11pt", bold=True)
        self._wrap_title()
        entries = [(self._low_proxy, "input at its low value"), (self._high_proxy, "input at its high value")]
        if shown:
            entries += [(self._central_proxy, f"{centre_text(data)}: {metric_text(data.central, data.unit)}"),
                        (self._median_proxy, f"median over {inputs.samples:,} samples (as in the table): "
                                             f"{metric_text(median, data.unit)}")]
        else:  # over the table's own samples, the centre is the table's figure
            table = " (as in the table)" if known else ""
            entries.append((self._central_proxy, f"{centre_text(data)}{table}: {metric_text(data.central, data.unit)}"))
        rebuild_legend(self._legend, entries)
        self.fit_legends()

    TITLE_MARGIN = 24
    """Pixels of the chart's width the title leaves free (the layout's margins)."""

    def _wrap_title(self) -> None:
        """Wrap the title's lines at the chart's width when they are wider (a scenario's long name beside a
        narrow chart: 380 px in an 800 px window), instead of letting the chart cut both ends off."""
        item = self._title_label.item
        item.setTextWidth(-1)
        available = self.width() - self.TITLE_MARGIN
        if item.boundingRect().width() > available > 0:
            item.setTextWidth(available)
        self._title_label.updateMin()

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        if getattr(self, "_data", None) is not None and not getattr(self, "closed", False):  # resizes start in __init__
            self._wrap_title()

    LABEL_SHARE = 0.55
    """Most of the chart's width the inputs' labels take, so the bars keep the rest: a 380-px chart (in an
    800-px window) elides its labels; a 818-px one (in a 1280-px window) shows them whole."""

    def relabel(self) -> None:
        """The inputs' labels for the chart's new width."""
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Size the label axis to the widest label, at most :attr:`LABEL_SHARE` of the chart, and elide the
        labels wider than that (their full text is in the readout over them): pyqtgraph silently drops a tick
        label wider than its axis, and an axis wider than the chart cuts the labels and hides the bars."""
        ticks = getattr(self, "_ticks", None)
        if not ticks:
            return
        axis = self._plot.getAxis("left")
        metrics = QFontMetrics(axis.style["tickFont"] or QFont())
        widest = max(metrics.horizontalAdvance(f"{name} {values}") for _, name, values in ticks)
        room = max(MIN_LABEL_ROOM, int(self.width() * self.LABEL_SHARE) - 2 * TICK_LABEL_MARGIN)
        axis.setTicks([[(y, fitted_tick_text(name, values, metrics, room)) for y, name, values in ticks]])
        axis.setWidth(max(120, min(widest, room) + 2 * TICK_LABEL_MARGIN))

    def axis_readout(self, plot, y: float) -> str:
        """Over an input's label: its full name and values, as over its bar."""
        return self.readout(plot, 0.0, y)

    def readout(self, plot, x: float, y: float) -> str:
        """The input under the pointer: its two values and the metric at each."""
        data = self._data
        if data is None or not data.bars:
            return ""
        count = len(data.bars)
        index = count - 1 - round(y)  # the largest swing is drawn on top
        if not 0 <= index < count or abs(y - round(y)) > 0.4:
            return ""
        bar = data.bars[index]
        return (f"{bar.label}\n  at {numbers.number(bar.low)}: {metric_text(bar.metric_low, data.unit)}"
                f"\n  at {numbers.number(bar.high)}: {metric_text(bar.metric_high, data.unit)}"
                f"\n  {centre_text(data)}: {metric_text(bar.central, data.unit)}")

    def csv_table(self) -> Table:
        return sensitivity_table(self._data)

    def csv_rows(self) -> list[Row]:
        return tornado_rows(self._data) if self._data is not None else []
