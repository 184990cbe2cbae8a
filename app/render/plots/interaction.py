"""What a user can do with a chart on screen: zoom and get back, copy, export, read values.

A chart chooses its own ranges (its "home" view, recorded by ``items.set_view``);
the mouse wheel and drag zoom and pan away from it. The view comes home with
the "Reset view" button (shown only while zoomed), a double-click, the context
menu or View > Reset Chart Views, and every export is drawn at home whatever
the screen shows (``home_view``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QToolButton

from app.render.plots.items import set_view
from app.report.untrusted_text import plain_tooltip

if TYPE_CHECKING:
    from app.render.plots.base import ChartView
    from app.render.plots.panel import Panel


def home_range(plot: Panel) -> tuple[tuple[float, float], tuple[float, float]] | None:
    return getattr(plot, "_jevons_home", None)


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(u - v) <= 1e-6 * max(1.0, abs(v)) for u, v in zip(a, b, strict=True))


def is_zoomed(chart: ChartView) -> bool:
    """True when any panel shows another range than the chart chose."""
    for plot in chart._plots:
        home = home_range(plot)
        if home is not None:
            (x, y) = plot.vb.viewRange()
            if not (_close(tuple(x), home[0]) and _close(tuple(y), home[1])):
                return True
    return False


def reset_view(chart: ChartView) -> None:
    """Show every panel at the range the chart chose."""
    for plot in chart._plots:
        home = home_range(plot)
        if home is not None:
            set_view(plot, *home, force=True)
    update_reset_button(chart)


@contextmanager
def home_view(chart: ChartView) -> Iterator[None]:
    """Draw at the chart's own ranges for the duration (an export), then give back the user's zoom."""
    if not is_zoomed(chart):
        yield
        return
    kept = [tuple(tuple(r) for r in plot.vb.viewRange()) for plot in chart._plots]
    reset_view(chart)
    try:
        yield
    finally:
        for plot, (x, y) in zip(chart._plots, kept, strict=True):
            plot.setXRange(*x, padding=0)
            plot.setYRange(*y, padding=0)
        update_reset_button(chart)


def install(chart: ChartView) -> None:
    """The reset button (hidden until the user zooms) and the hover readout."""
    button = QToolButton(chart)
    button.setObjectName(f"{chart.chart_id}.reset")
    button.setText("Reset view")
    button.setToolTip("Back to the chart's own ranges (also: double-click the chart)")
    button.setAccessibleName(f"Reset the view of {chart.title}")
    button.setVisible(False)
    button.clicked.connect(lambda: reset_view(chart))
    chart._reset_button = button
    chart.scene().sigMouseMoved.connect(lambda pos: _on_mouse_moved(chart, pos))


def watch_panel(chart: ChartView, plot: Panel) -> None:
    """Show the reset button and redraw the grid when the user zooms or pans this panel."""

    def changed() -> None:
        grid = getattr(plot, "_jevons_grid", None)
        if grid is not None:
            grid.update_lines()
        update_reset_button(chart)

    plot.vb.sigRangeChangedManually.connect(lambda *_: changed())


def update_reset_button(chart: ChartView) -> None:
    button = getattr(chart, "_reset_button", None)
    if button is None:
        return
    zoomed = is_zoomed(chart)
    if zoomed:
        hint = button.sizeHint()
        button.resize(hint)
        button.move(chart.width() - hint.width() - 6, 6)
        button.raise_()
    if button.isVisible() != zoomed:
        button.setVisible(zoomed)


def readout_at(chart: ChartView, scene_pos: QPointF) -> str:
    """The series and values under a point of the chart's scene, or the full text of the axis label there
    ("" over no panel)."""
    for plot in chart._plots:
        if plot.vb.sceneBoundingRect().contains(scene_pos):
            point = plot.vb.mapSceneToView(scene_pos)
            return chart.readout(plot, point.x(), point.y())
        if plot.getAxis("left").sceneBoundingRect().contains(scene_pos):
            return chart.axis_readout(plot, plot.vb.mapSceneToView(scene_pos).y())
    return ""


def _on_mouse_moved(chart: ChartView, scene_pos: QPointF) -> None:
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QToolTip

    text = readout_at(chart, scene_pos)
    if text:
        QToolTip.showText(QCursor.pos(), plain_tooltip(text), chart)
    else:
        QToolTip.hideText()


def copy_image(chart: ChartView) -> None:
    """Put the chart, at its own ranges and twice its screen size, on the clipboard."""
    from app.render.chart_picture import chart_image  # with the export metadata: loaded when first copied, not at start

    with home_view(chart):
        QGuiApplication.clipboard().setImage(chart_image(chart))


def context_menu(chart: ChartView) -> QMenu:
    """Reset view, copy the chart as an image, export this chart."""
    menu = QMenu(chart)
    reset = QAction("Reset view", menu)
    reset.setEnabled(is_zoomed(chart))
    reset.triggered.connect(lambda: reset_view(chart))
    copy = QAction("Copy image", menu)
    copy.triggered.connect(lambda: copy_image(chart))
    export = QAction("Export this chart…", menu)
    export.triggered.connect(lambda: chart.exportRequested.emit(chart.chart_id))
    for action in (reset, copy, export):
        menu.addAction(action)
    return menu
