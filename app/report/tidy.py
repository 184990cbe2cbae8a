"""Chart rows as tidy tables: one variable per column. No Qt.

The chart tables name a figure in one ``series`` text ("Energy: Pre-training");
a reader filtering by phase or by metric wants them apart. ``tidy`` splits it
into ``metric`` and ``part``; ``sensitivity_table`` gives the tornado's own
columns (the input's two values and the output at each), instead of reusing
the 5th/95th percentile columns for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.numbers import number
from app.report.chart_data import Row, TornadoData
from app.report.units import LADDERS, Scale, choose_scale, format_in

TIDY_COLUMNS = ("chart", "scenario", "metric", "part", "x", "x_unit", "median", "p5", "p95", "unit")
SENSITIVITY_COLUMNS = (
    "chart", "scenario", "output", "output_unit", "input", "input_unit", "input_low", "input_high",
    "output_median", "output_at_input_low", "output_at_input_high", "samples", "swing_from",
)
"""``output_median``: the output's median with no input pinned (the bars' centre); ``output_at_input_low`` and
``_high``: its median with the input pinned there and the rest drawn; ``samples``: the draws behind each median
(the break-even's, not necessarily the ``# samples`` of the summary; 1 when nothing has a range)."""

Table = tuple[tuple[str, ...], list[tuple[object, ...]]]


def tidy(rows: Sequence[Row]) -> Table:
    """``(chart, scenario, series, x, x_unit, median, p5, p95, unit)`` rows with ``series`` split at its first ": "."""
    out: list[tuple[object, ...]] = []
    for chart, scenario, series, x, x_unit, median, p5, p95, unit in rows:
        metric, _, part = series.partition(": ")
        out.append((chart, scenario, metric, part, x, x_unit, median, p5, p95, unit))
    return TIDY_COLUMNS, out


def sensitivity_table(data: TornadoData | None) -> Table:
    """One row per input of the tornado: its swing and the output's median at each end."""
    if data is None:
        return SENSITIVITY_COLUMNS, []
    rows: list[tuple[object, ...]] = [
        ("sensitivity", data.scenario, data.label, data.unit, bar.label, bar.unit, bar.low, bar.high,
         bar.central, bar.metric_low, bar.metric_high, bar.samples,
         "input range" if bar.from_range else "±20 % (no ranges given)")
        for bar in data.bars
    ]
    return SENSITIVITY_COLUMNS, rows


MAX_ALTERNATIVE_LINES = 60
"""A chart's text alternative lists at most this many figures (a screen reader reads them all)."""


def text_alternative(title: str, rows: Sequence[Row]) -> str:
    """What a chart shows, in words, for a screen reader: each figure with its unit and band, in one unit per
    quantity for the whole chart (as its panels share an axis unit); of a series over months or tokens, its
    last point only."""
    last: dict[tuple[str, str], Row] = {}
    said = []
    for row in rows:
        _chart, scenario, label, x, _x_unit, *_ = row
        if x:
            last[(scenario, label)] = row
        else:
            said.append(row)
    said += list(last.values())
    scales = {unit: choose_scale([row[7] for row in said if row[8] == unit], unit)
              for unit in {row[8] for row in said} if unit in LADDERS}
    lines = [_said(row, scales) for row in said]
    shown = lines[:MAX_ALTERNATIVE_LINES]
    more = f"; and {len(lines) - len(shown)} more figures (export the chart's CSV for all)" if len(lines) > len(shown) else ""
    return f"{title}: " + "; ".join(shown) + more if shown else f"{title}: no result yet"


def _said(row: Row, scales: dict[str, Scale]) -> str:
    _chart, scenario, label, x, x_unit, median, p5, p95, unit = row
    at = f" at {x} {x_unit}".rstrip() if x else ""
    scale = scales.get(unit)
    if scale is not None:  # 44 GWh, not 44,000,000,000 Wh; one unit for a value and its band
        value, band = format_in(median, scale), f" ({number(p5 / scale.factor)} to {format_in(p95, scale)})"
    else:
        value, band = f"{number(median)} {unit}".strip(), f" ({number(p5)} to {number(p95)})"
    return f"{scenario}, {label}{at}: {value}{band if p95 > p5 else ''}"
