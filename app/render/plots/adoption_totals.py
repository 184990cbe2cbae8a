"""Chart 3: cumulative energy as people adopt the model, the rebound it invites, the difference to
the baseline by part, and each year's energy by part."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.render.plots.base import SLOTS, ChartView, Slots
from app.render.plots.items import (
    NEUTRAL,
    BandedCurve,
    nice_ceiling,
    scenario_marks,
    set_axis_label,
    set_view,
    style_proxy,
    value_at,
)
from app.render.plots.lifecycle_parts import AnnualParts, Waterfall
from app.report.chart_data import AdoptionScenario, AdoptionTotalsData, ChartInputs, Row, adoption_totals_rows
from app.report.units import choose_scale, format_value


def crossing_text(scenario: AdoptionScenario) -> str:
    crossing = scenario.crossover
    if not crossing.crosses:
        return "★ never"
    return f"★ month {crossing.median:.0f}"


class AdoptionTotalsPlot(ChartView):
    """Cumulative training and inference energy over time; rebound against its counterfactual."""

    chart_id = "adoption-totals"
    title = "Adoption-driven totals"
    PANEL_MIN_HEIGHT = 200
    """Two rows of panels, each with its title and a labelled axis under it: more than a bare row needs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cumulative = self.add_panel(1, 0, "Cumulative: training vs inference (log scale)")
        # Inference totals outgrow training by orders of magnitude: on a linear axis the
        # training curves and the crossover would sit flat on zero.
        self._cumulative.getAxis("left").setLogMode(False, True)
        self._rebound = self.add_panel(1, 1, "Rebound (Jevons) vs no rebound")
        # Inference below training, the stars above both; without rebound above with.
        self._inference = Slots(lambda: BandedCurve(self._cumulative))
        self._training = Slots(lambda: BandedCurve(self._cumulative, Qt.PenStyle.DashLine, layer=1))
        self._crossings = scenario_marks(self._cumulative, 15, "star", layer=2)
        self._with_rebound = Slots(lambda: BandedCurve(self._rebound, band=False))
        self._without_rebound = Slots(lambda: BandedCurve(self._rebound, Qt.PenStyle.DotLine, band=False, layer=1))
        for plot in (self._cumulative, self._rebound):
            plot.setLabel("bottom", "Months since the comparison starts (each model serves from its launch)")
            plot.getAxis("bottom").setTickSpacing(12, 6)  # years, half-years
        self._waterfall = Waterfall(self.add_panel(2, 0, "Difference to the baseline, by part (means)"))
        self._annual = AnnualParts(self.add_panel(2, 1, "Energy each year (training and R&D dashed)"))
        self._legend = self.add_legend_row(3, columns=3)
        self._proxies = [
            (style_proxy(NEUTRAL), "inference (5–95 % band)"),
            (style_proxy(NEUTRAL, Qt.PenStyle.DashLine), "training: every run, re-spent savings and entrants"),
            (style_proxy(NEUTRAL, symbol="star"), "inference overtakes training"),
            (style_proxy(NEUTRAL, Qt.PenStyle.DotLine), "without rebound"),
        ]
        self._data: AdoptionTotalsData | None = None
        self._marks: list | None = None
        self.apply_theme(self.theme)

    def table(self, inputs: ChartInputs) -> object:
        return inputs.adoption

    def _draw(self, inputs: ChartInputs) -> None:
        data = inputs.adoption
        self._data = data
        theme = self.theme
        count = len(data.names)
        training_first = [float(s.training.median[0]) for s in data.scenarios if s.training.median.size]
        left = choose_scale(training_first, "Wh")
        tops = [float(np.max(s.inference.p95)) for s in data.scenarios] + [float(np.max(s.training.p95)) for s in data.scenarios]
        bottom = math.floor(math.log10(max(min(training_first, default=1.0) / left.factor, 1e-12))) - 1
        top = math.ceil(math.log10(max(max(tops, default=1.0) / left.factor, 10.0**bottom * 10)))
        floor = 10.0**bottom
        right = choose_scale(
            [float(np.max(s.inference.median)) for s in data.scenarios]
            + [float(np.max(s.inference_no_rebound.median)) for s in data.scenarios],
            "Wh",
        )
        spots = []
        for slots in (self._inference, self._training, self._with_rebound, self._without_rebound):
            slots.hide_from(count, lambda curve: curve.set_visible(False))
        for index in range(min(count, SLOTS)):
            s, color = data.scenarios[index], data.colors[index]
            self._inference[index].draw(s.inference, color, theme, y_scale=left.factor, log_floor=floor)
            self._training[index].draw(s.training, color, theme, y_scale=left.factor, band_fade=0.3, log_floor=floor)
            self._with_rebound[index].draw(s.inference, color, theme, y_scale=right.factor)
            self._without_rebound[index].draw(s.inference_no_rebound, color, theme, y_scale=right.factor)
            crossing = s.crossover
            if crossing.crosses and s.crossover_energy_wh is not None:
                y = math.log10(max(s.crossover_energy_wh / left.factor, floor))
                spots.append({"pos": (crossing.median, y), "brush": color, "pen": pg.mkPen(theme.foreground)})
        marks = [(spot["pos"], spot["brush"]) for spot in spots] + [theme]
        if marks != self._marks:  # an edit of another scenario leaves the stars where they are
            self._marks = marks
            self._crossings.setData(spots)
        set_axis_label(self._cumulative, "left", f"Cumulative energy ({left.label})", theme.foreground)
        set_axis_label(self._rebound, "left", f"Cumulative inference energy ({right.label})", theme.foreground)
        months = max((float(s.inference.x[-1]) for s in data.scenarios if s.inference.x.size), default=12.0)
        right_top = max(
            [float(np.max(s.inference.median)) for s in data.scenarios]
            + [float(np.max(s.inference_no_rebound.median)) for s in data.scenarios]
        ) / right.factor
        set_view(self._cumulative, x=(0.0, months), y=(float(bottom), float(top)))
        set_view(self._rebound, x=(0.0, months), y=(0.0, nice_ceiling(right_top * 1.04)))
        self._waterfall.draw(data, theme)
        self._annual.draw(data, theme)
        names = [f"{name} ({crossing_text(s)})" for name, s in zip(data.names, data.scenarios, strict=True)]
        self.show_legend(
            self._legend, (tuple(names), tuple(data.colors)),
            lambda: [(self._inference[i].curve, name) for i, name in enumerate(names)] + self._proxies,
        )

    def readout(self, plot, x: float, y: float) -> str:
        """Each scenario's cumulative energies at the month under the pointer."""
        data = self._data
        if data is None:
            return ""
        if plot is self._waterfall.plot:
            return self._waterfall.readout(x)
        if plot is self._annual.plot:
            return self._annual.readout(x)
        month = round(x)
        lines = [f"Month {month}"]
        for name, s in zip(data.names, data.scenarios, strict=True):
            if plot is self._cumulative:
                pair = (value_at(s.inference, month), value_at(s.training, month))
                words = ("inference", "training")
            else:
                pair = (value_at(s.inference, month), value_at(s.inference_no_rebound, month))
                words = ("with rebound", "without")
            if not math.isnan(pair[0]):
                lines.append(f"  {name}: {words[0]} {format_value(pair[0], 'Wh')}, {words[1]} {format_value(pair[1], 'Wh')}")
        return "\n".join(lines) if len(lines) > 1 else ""

    def csv_rows(self) -> list[Row]:
        return adoption_totals_rows(self._data) if self._data is not None else []
