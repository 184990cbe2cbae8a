"""Charts drawn offscreen for the commands: ``jevons export``, ``jevons report``, ``jevons sweep --png`` and
``jevons calibrate check --chart``.

Each lays out the same chart classes the window shows, fills them with the
comparison as the window first shows it, and writes them through the same
writers (``app.render.export``, ``app.render.report_bundle``), so a file
looks the same whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np
import PySide6  # noqa: F401 - before pyqtgraph
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from app.render import qt_messages
from app.render.export import DEFAULT_SCALE, export_charts, render_image
from app.render.plots import CHART_CLASSES
from app.render.plots.base import ChartView
from app.render.plots.calibration_residuals import CalibrationResiduals
from app.render.plots.tornado import TornadoPlot
from app.render.plots.verdict_map import VerdictMapPlot
from app.render.report_bundle import write_report
from app.render.summary_table import SummaryTable
from app.report.chart_data import DEFAULT_TORNADO_METRIC, ChartInputs, tornado
from app.report.headline import elasticity_flips


def chart_size_hint() -> QSize:
    """Size at which headless exports lay out a chart (in logical pixels)."""
    return QSize(1000, 620)


@contextmanager
def offscreen_charts(resolved, result) -> Iterator[tuple[list, SummaryTable]]:
    """The window's charts and summary laid out offscreen and filled, as the window first shows them."""
    app = QApplication.instance() or QApplication(["jevons-export"])
    qt_messages.install()
    charts = [cls() for cls in (*CHART_CLASSES, TornadoPlot)]
    summary = SummaryTable()
    try:
        for chart in charts:
            chart.resize(chart_size_hint())
            chart.show()
        app.processEvents()
        # What matters most, as the window first shows it: the first verdict (the baseline selected).
        sensitivity = tornado(resolved, resolved.baseline_index, DEFAULT_TORNADO_METRIC)
        # The headline names where each verdict flips, as the window's refined pass does.
        inputs = ChartInputs(resolved, result, sensitivity, elasticity_flips(resolved))
        for chart in charts:
            chart.set_inputs(inputs)
        summary.set_inputs(inputs)
        app.processEvents()
        yield charts, summary
    finally:
        for widget in (*charts, summary):
            widget.close()
            widget.deleteLater()
        app.processEvents()


def export_comparison(resolved, result, out: Path, formats: Sequence[str], scale: float = DEFAULT_SCALE) -> list[Path]:
    """Lay the window's charts and summary out offscreen, fill them and write them (``jevons export``)."""
    with offscreen_charts(resolved, result) as (charts, summary):
        return export_charts(charts, out, formats, scale, {"summary": summary.csv_rows})


def report_comparison(resolved, result, out: Path) -> list[Path]:
    """The report bundle of a comparison, drawn offscreen (``jevons report``)."""
    with offscreen_charts(resolved, result) as (charts, summary):
        return write_report(charts, summary, out)


View = TypeVar("View", bound=ChartView)


def _render_one(make_view: Callable[[], View], size: QSize, fill: Callable[[View], None], path: Path,
                scale: float = DEFAULT_SCALE) -> None:
    """Lay one chart out offscreen at ``size``, ``fill`` it, and write it to ``path`` (PNG, SVG or PDF)."""
    app = QApplication.instance() or QApplication(["jevons"])
    qt_messages.install()
    view = make_view()
    try:
        view.resize(size)
        view.show()
        app.processEvents()
        fill(view)
        app.processEvents()
        render_image(view, path, scale)
    finally:
        view.close()
        view.deleteLater()


def render_verdict_map_png(verdict_map, path: Path, scale: float = DEFAULT_SCALE) -> None:
    """Draw a verdict map (``app.report.verdict_map``) offscreen and write it as a PNG (``jevons sweep --png``)."""
    _render_one(VerdictMapPlot, QSize(900, 700), lambda view: view.show_map(verdict_map), path, scale)


def render_calibration_chart(check: dict, path: Path) -> None:
    """Measured against predicted energy per output token of a ``jevons calibrate check`` document, one
    colour per accelerator family, its median error in the title (``calibrate check --chart``)."""
    rows = check["rows"]
    measured, predicted = (np.array([r[key] for r in rows], dtype=float)
                           for key in ("measured_j_per_token", "predicted_j_per_token"))
    families = np.array([r["gpu_model"] for r in rows])
    note = f"{len(rows)} rows, median energy error ±{10 ** check['summary']['median_abs_log10_error'] - 1:.0%}"
    _render_one(CalibrationResiduals, QSize(760, 560),
                lambda view: view.show_points(measured, predicted, families, note), path)
