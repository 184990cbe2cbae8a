"""Chart 2: what one query costs, and how chain-of-thought length drives it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain.scenario_names import marker
from app.render.plots.base import SLOTS, ChartView, Slots
from app.render.plots.items import (
    NEUTRAL,
    BandedCurve,
    StackedBars,
    nice_ceiling,
    scenario_marks,
    set_axis_label,
    set_view,
    style_proxy,
    value_at,
)
from app.report.chart_data import INFERENCE_PARTS, ChartInputs, Row, inference_cost_rows
from app.report.units import choose_scale, format_value

WHAT_IF_Z = 0.5
"""A dashed what-if curve's layer: above the solid curves (0), below the own-reasoning marks (1)."""


class InferenceCostPlot(ChartView):
    """Wh per query split into prefill / answer / reasoning; Wh against reasoning length."""

    chart_id = "inference-cost"
    title = "Inference cost per query"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._bars = StackedBars(self.add_panel(1, 0, "Per query, by part"), len(INFERENCE_PARTS))
        self._curve_plot = self.add_panel(1, 1, "By reasoning length")
        self._curves = Slots(lambda: BandedCurve(self._curve_plot))
        self._own = scenario_marks(self._curve_plot, 11, "o", layer=1)
        self.ci.layout.setColumnStretchFactor(0, 2)
        self.ci.layout.setColumnStretchFactor(1, 3)
        self._legend = self.add_legend_row(2, columns=2)
        self._own_proxy = style_proxy(NEUTRAL, symbol="o")
        self._what_if_proxy = style_proxy(NEUTRAL, Qt.PenStyle.DashLine)
        self._data = None
        self.apply_theme(self.theme)

    def table(self, inputs: ChartInputs) -> object:
        return inputs.inference

    def _draw(self, inputs: ChartInputs) -> None:
        data = inputs.inference
        self._data = data
        theme = self.theme
        self._bars.draw(data.breakdown, data.names, data.colors, theme)
        # The curves of models that reason set the range; a what-if curve (dashed) is drawn within it.
        setting = data.sets_the_range()
        ranged = [curve for curve, sets in zip(data.vs_reasoning, setting, strict=True) if sets]
        owns = [own for own in data.own_reasoning if own is not None]
        x_values = [float(np.max(c.x)) for c in ranged if c.x.size] + [own[0] for own in owns]
        y_tops = [float(np.max(c.p95)) for c in ranged if c.p95.size] + [own[1] for own in owns]
        x_scale, y_scale = choose_scale(x_values, "tokens"), choose_scale(y_tops, "Wh")
        self._curves.hide_from(len(data.names), lambda curve: curve.set_visible(False))
        for index, sets in enumerate(setting[:SLOTS]):
            look = {} if sets else {"style": Qt.PenStyle.DashLine, "band_fade": 0.6, "width": 1.5}
            curve = self._curves[index]
            curve.draw(data.vs_reasoning[index], data.colors[index], theme, x_scale.factor, y_scale.factor, **look)
            # A what-if curve lies on the solid one of a model like it (DeepSeek-V3's on R1's): its dashes go on top.
            curve.curve.setZValue(0.0 if sets else WHAT_IF_Z)
        spots = [
            {"pos": (own[0] / x_scale.factor, own[1] / y_scale.factor), "brush": color, "pen": pg.mkPen(theme.foreground)}
            for own, color in zip(data.own_reasoning, data.colors, strict=True)
            if own is not None
        ]
        self._own.setData(spots)
        self._scales = (x_scale, y_scale)
        plot = self._curve_plot
        set_axis_label(plot, "bottom", f"Reasoning ({x_scale.label})", theme.foreground)
        set_axis_label(plot, "left", f"Energy per query ({y_scale.label})", theme.foreground)
        x_max = max(x_values, default=1.0) / x_scale.factor
        y_max = max(y_tops, default=1.0) / y_scale.factor
        set_view(plot, x=(0.0, x_max), y=(0.0, nice_ceiling(y_max * 1.04)))
        self.relabel()

    def relabel(self) -> None:
        """Bar labels for the current width; numbered bars number the scenarios in the legend."""
        data = self._data
        if data is None:
            return
        numbered = self._bars.label_bars()

        def entries() -> list[tuple[object, str]]:
            names = [f"{marker(i)}  {name}" if numbered else name for i, name in enumerate(data.names)]
            return [
                *((self._curves[i].curve, name) for i, name in enumerate(names)),
                *zip(self._bars.legend_proxies, data.breakdown.segments, strict=True),
                (self._own_proxy, "own reasoning length"),
                *([(self._what_if_proxy, "dashed: if the model reasoned (it does not)")] if what_if else []),
            ]

        what_if = not all(data.sets_the_range())
        self.show_legend(self._legend, (tuple(data.names), tuple(data.colors), numbered, what_if), entries)

    def readout(self, plot, x: float, y: float) -> str:
        data = self._data
        if plot is self._bars.plot:
            return self._bars.readout(x)
        if data is None or plot is not self._curve_plot:
            return ""
        x_scale, _y_scale = self._scales
        tokens = x * x_scale.factor
        values = [(name, value_at(curve, tokens), own is None)
                  for name, curve, own in zip(data.names, data.vs_reasoning, data.own_reasoning, strict=True)]
        if all(math.isnan(v) for _n, v, _what_if in values):
            return ""
        lines = [f"{tokens:,.0f} reasoning tokens per query"]
        lines += [f"  {name}: {format_value(v, 'Wh')} per query" + (" if it reasoned (it does not)" if what_if else "")
                  for name, v, what_if in values if not math.isnan(v)]
        return "\n".join(lines)

    def csv_rows(self) -> list[Row]:
        return inference_cost_rows(self._data) if self._data is not None else []
