"""Shared look and plumbing of the charts: theme, legends, scenario slots."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
import pyqtgraph as pg
import PySide6  # noqa: F401 - PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy, QWidget

from app.domain.limits import MAX_SCENARIOS
from app.render.plots import interaction
from app.render.plots.items import GridLines, rebuild_legend
from app.render.plots.panel import Panel
from app.render.plots.theme import Theme, current_theme
from app.report.chart_data import ChartInputs, Row
from app.report.tidy import Table, text_alternative, tidy

T = TypeVar("T")

SLOTS = MAX_SCENARIOS
"""A chart holds items for at most this many scenarios (see :class:`Slots`)."""


class Slots(Generic[T]):
    """A chart's items for each scenario, made the first time a scenario needs them and kept (hidden when
    unused) after: a comparison of three scenarios never builds the other slots' items (start-up builds
    only what it shows; about 8 ms of the three charts' 50 here). Slots are made in order, so items of
    one kind stack by scenario as if made at once; kinds that share a panel keep their stacking by
    z-value (``BandedCurve``'s ``layer``), not by when they were made."""

    def __init__(self, make: Callable[[], T]):
        self._make = make
        self.made: list[T] = []
        """The slots made so far, in scenario order."""

    def __getitem__(self, index: int) -> T:
        if not 0 <= index < SLOTS:
            raise IndexError(f"slot {index} of {SLOTS}")
        while len(self.made) <= index:
            self.made.append(self._make())
        return self.made[index]

    def hide_from(self, count: int, hide: Callable[[T], None]) -> None:
        """``hide`` every slot made beyond the first ``count`` (a scenario removed leaves its slot unused)."""
        for slot in self.made[count:]:
            hide(slot)


def fingerprint(value: object) -> object:
    """A comparable summary of a chart table: its arrays as bytes, the rest as is."""
    if isinstance(value, np.ndarray):
        return (value.shape, value.tobytes())
    if dataclasses.is_dataclass(value):
        return tuple(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(v) for v in value)
    return value


def shrinkable(label: pg.LabelItem, minimum: float = 40) -> None:
    """Let a title be narrower than its text, so it never forces the chart wider than its view.

    pyqtgraph sets a label's minimum width to its text width on every ``setText``;
    this keeps the height and lowers the width after each such update.
    """
    measure = label.updateMin

    def update_min() -> None:
        measure()
        label.setMinimumWidth(minimum)
        label._sizeHint[Qt.SizeHint.MinimumSize] = (minimum, label._sizeHint[Qt.SizeHint.MinimumSize][1])
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


def recolor(label: pg.LabelItem, color: str) -> None:
    """Give ``label`` the text colour ``color``; its text is laid out again only if the colour changes."""
    if label.opts.get("color") != color:
        label.setText(label.text, color=color)


def legend_columns(widths: list[float], available: float, most: int) -> int:
    """The most legend columns (up to ``most``) whose widest entries, side by side, fit in ``available`` pixels.

    Entries fill the legend row by row, so column ``j`` holds entries ``j, j + n, ...``.
    """
    for count in range(max(1, most), 1, -1):
        columns = [max(widths[j::count], default=0.0) for j in range(count)]
        if sum(columns) <= available:
            return count
    return 1


class ChartView(pg.GraphicsLayoutWidget):
    """One exportable chart: a few plot panels drawn from one result's tables (``ChartInputs``).

    Subclasses create their items once in ``__init__`` (one slot per possible
    scenario) and update them with ``setData``/``setOpts`` in ``_draw``, and
    say what lies under the pointer in ``readout``.
    """

    chart_id = "chart"
    title = "Chart"
    exportRequested = Signal(str)
    """The user asked to export this chart (its ``chart_id``) from its context menu."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(self.chart_id)
        self.setAccessibleName(self.title)
        self.setMinimumSize(260, self.MIN_HEIGHT)
        self.ci.setContentsMargins(6, 6, 6, 6)
        self.theme = current_theme(self)
        """The theme the chart's parts are made in (their titles in its colour from the start)."""
        self._title_label = self.addLabel(self.title, row=0, col=0, colspan=2, size="11pt", bold=True,
                                          color=self.theme.foreground)
        shrinkable(self._title_label)
        self._plots: list[Panel] = []
        self._legends: list[pg.LegendItem] = []
        self.inputs: ChartInputs | None = None
        self._drawn_key: tuple | None = None
        self._themed: Theme | None = None
        """The theme last applied; a chart that never applied one is themed when first shown."""
        interaction.install(self)

    def add_panel(self, row: int, col: int, title: str = "") -> Panel:
        plot = Panel(title, self.theme.foreground)
        self.ci.addItem(plot, row=row, col=col)
        shrinkable(plot.titleLabel)
        plot.disableAutoRange()  # each chart sets rounded ranges itself (see items.set_view)
        GridLines(plot)
        for side in ("left", "bottom"):
            plot.getAxis(side).setStyle(maxTickLevel=1)  # major and minor ticks: a readable grid that paints fast
        self._plots.append(plot)
        interaction.watch_panel(self, plot)
        return plot

    def add_legend_row(self, row: int, columns: int) -> pg.LegendItem:
        """A legend on its own row under the panels, so it never hides data."""
        legend = pg.LegendItem(colCount=columns, labelTextSize="8pt")
        # Let the panels, not the legend's text, decide how narrow the chart may get;
        # in a narrow chart the legend's last column is cut rather than the plots.
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        legend.setMinimumWidth(50)
        # pyqtgraph's legends ignore transformations (they float over a zoomable plot); this one sits in
        # the layout, so it must scale with the chart when a painter shrinks it (the printed report).
        legend.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
        legend._jevons_columns = columns
        self.ci.addItem(legend, row=row, col=0, colspan=2)
        self._legends.append(legend)
        return legend

    def show_legend(self, legend: pg.LegendItem, key: tuple, entries: Callable[[], list[tuple[object, str]]]) -> None:
        """Fill ``legend`` with ``entries()`` and fit the legends to the chart, unless ``key`` (what the entries
        depend on besides the theme) and the theme are as when it was last filled: then it is left untouched,
        so a redraw that changes no name neither rebuilds nor relays the legend."""
        key = (self.theme, key)
        if key != getattr(legend, "_jevons_key", None):
            rebuild_legend(legend, entries())
            legend._jevons_key = key
            self.fit_legends()

    LEGEND_SAMPLE_WIDTH = 40
    """Pixels of a legend entry besides its text: the sample and the gaps around it."""

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        if getattr(self, "closed", False):  # pyqtgraph's close() clears the scene, then resizes
            return
        if getattr(self, "_legends", None) is not None:  # resize events start before __init__ ends
            self.relabel()
        self.fit_legends()
        interaction.update_reset_button(self)

    def relabel(self) -> None:
        """Choose labels for the chart's new size (bars too narrow for names get numbers)."""

    def sampling(self, inputs: ChartInputs) -> str | None:
        """What the chart's figures are over, for its caption, when not the comparison's own samples."""
        return None

    # ------------------------------------------------------------ interaction

    def readout(self, plot: Panel, x: float, y: float) -> str:
        """The series and values at data point (x, y) of ``plot`` ("" when nothing is there)."""
        return ""

    def axis_readout(self, plot: Panel, y: float) -> str:
        """What the label of ``plot``'s left axis at data height ``y`` says in full, for a chart that elides
        its labels ("" for none)."""
        return ""

    def reset_view(self) -> None:
        interaction.reset_view(self)

    @property
    def zoomed(self) -> bool:
        return interaction.is_zoomed(self)

    def mouseDoubleClickEvent(self, event) -> None:  # Qt override
        self.reset_view()
        event.accept()

    def contextMenuEvent(self, event) -> None:  # Qt override
        interaction.context_menu(self).popup(event.globalPos())
        event.accept()

    def fit_legends(self) -> None:
        """As many legend columns as the chart's width holds (at most each legend's own); then the minimum height."""
        for legend in getattr(self, "_legends", ()):  # resize events start before __init__ ends
            widths = [label.item.boundingRect().width() + self.LEGEND_SAMPLE_WIDTH for _sample, label in legend.items]
            wanted = legend_columns(widths, self.width() - 24, getattr(legend, "_jevons_columns", 1))
            if legend.columnCount != wanted:
                legend.setColumnCount(wanted)
        self.update_minimum_height()

    MIN_HEIGHT = 340
    PANEL_MIN_HEIGHT = 150
    """Plot panels never get shorter than this: the window scrolls instead of squashing them."""
    TITLE_HEIGHT = 36

    def update_minimum_height(self) -> None:
        """Room for the title, every row of panels at its minimum and the legends as laid out."""
        rows = len({self.ci.items[plot][0][0] for plot in getattr(self, "_plots", ()) if plot in self.ci.items})
        legends = sum(legend.layout.preferredHeight() + 12 for legend in getattr(self, "_legends", ()))
        height = max(self.MIN_HEIGHT, round(self.TITLE_HEIGHT + rows * self.PANEL_MIN_HEIGHT + legends))
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)

    def set_inputs(self, inputs: ChartInputs) -> None:
        """Draw ``inputs``; skipped when this chart's table is what is already drawn.

        An edit of usage leaves training unchanged (the engine is deterministic for
        a seed), so that chart is neither redrawn nor repainted.
        """
        self.inputs = inputs
        key = (self.theme, fingerprint(self.table(inputs)))
        if key != self._drawn_key:
            self._draw(inputs)
            self._drawn_key = key
            self.setAccessibleDescription(text_alternative(self.title, self.csv_rows()))

    def table(self, inputs: ChartInputs) -> object:
        """The chart_data table this chart draws."""
        raise NotImplementedError

    def _draw(self, inputs: ChartInputs) -> None:
        raise NotImplementedError

    def csv_rows(self) -> list[Row]:
        """The data behind the chart (empty before the first result)."""
        raise NotImplementedError

    def csv_table(self) -> Table:
        """The data behind the chart as a tidy table (columns, rows)."""
        return tidy(self.csv_rows())

    # ------------------------------------------------------------ theme

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        ready = getattr(self, "_title_label", None) is not None
        if ready and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_theme(current_theme(self))
        super().changeEvent(event)

    def apply_theme(self, theme: Theme) -> None:
        """Colour background, axes, titles and legends for a light or dark palette."""
        self.theme = self._themed = theme
        self.setBackground(theme.background)
        foreground = QColor(theme.foreground)
        recolor(self._title_label, theme.foreground)
        for plot in self._plots:
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                with axis.held():
                    axis.setPen(pg.mkPen(foreground))
                    axis.setTextPen(pg.mkPen(foreground))
                    axis.setLabel(axis.labelText, color=theme.foreground)
                axis._jevons_label = (axis.labelText, theme.foreground)
            recolor(plot.titleLabel, theme.foreground)
            plot._jevons_grid.set_color(theme.foreground, theme.grid_alpha)
        for legend in self._legends:
            legend.setLabelTextColor(foreground)
            legend.setBrush(pg.mkBrush(QColor(theme.background).lighter(100)))
            legend.setPen(pg.mkPen(QColor(theme.foreground), width=0.5))
        if self.inputs is not None and self._drawn_key is not None and self._drawn_key[0] != theme:
            self._draw(self.inputs)  # the marks take the new theme's colours
            self._drawn_key = (theme, self._drawn_key[1])

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        theme = current_theme(self)
        if theme != self._themed:  # the palette changed while hidden, or the chart was never themed
            self.apply_theme(theme)
