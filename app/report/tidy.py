"""Chart rows as tidy tables: one variable per column. No Qt.

The chart tables name a figure in one ``series`` text ("Energy: Pre-training");
a reader filtering by phase or by metric wants them apart. ``tidy`` splits it
into ``metric`` and ``part``; ``sensitivity_table`` gives the tornado's own
columns (the input's two values and the output at each), instead of reusing
the 5th/95th percentile columns for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.report.chart_data import Row, TornadoData

TIDY_COLUMNS = ("chart", "scenario", "metric", "part", "x", "x_unit", "median", "p5", "p95", "unit")
SENSITIVITY_COLUMNS = (
    "chart", "scenario", "output", "output_unit", "input", "input_unit", "input_low", "input_high",
    "output_all_central", "output_at_input_low", "output_at_input_high", "swing_from",
)

Table = tuple[tuple[str, ...], list[tuple[object, ...]]]


def tidy(rows: Sequence[Row]) -> Table:
    """``(chart, scenario, series, x, x_unit, median, p5, p95, unit)`` rows with ``series`` split at its first ": "."""
    out = []
    for chart, scenario, series, x, x_unit, median, p5, p95, unit in rows:
        metric, _, part = series.partition(": ")
        out.append((chart, scenario, metric, part, x, x_unit, median, p5, p95, unit))
    return TIDY_COLUMNS, out


def sensitivity_table(data: TornadoData | None) -> Table:
    """One row per input of the tornado: its swing and the output at each end."""
    if data is None:
        return SENSITIVITY_COLUMNS, []
    rows = [
        ("sensitivity", data.scenario, data.label, data.unit, bar.label, bar.unit, bar.low, bar.high,
         bar.central, bar.metric_low, bar.metric_high, "input range" if bar.from_range else "±20 % (no ranges given)")
        for bar in data.bars
    ]
    return SENSITIVITY_COLUMNS, rows
