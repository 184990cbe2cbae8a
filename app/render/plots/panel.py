"""One plot panel: a view box, its left and bottom axes and a title.

pyqtgraph's ``PlotItem`` builds, for every plot, a "Plot Options" menu of some
thirty widgets (log axes, FFT, averaging, downsampling, alpha) and the state
that goes with them. The charts never show it (their context menu is their
own, ``interaction``), yet the window's eight panels paid about 25 ms for it
on every start, before the first result could be drawn. :class:`Panel` lays out
the same parts as ``PlotItem`` does, with the part of its interface the charts
use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyqtgraph as pg
import PySide6  # noqa: F401 - PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtWidgets import QGraphicsGridLayout, QGraphicsItem, QSizePolicy

TITLE_HEIGHT = 30
"""The title's row, as pyqtgraph's PlotItem gives it."""


class Axis(pg.AxisItem):
    """pyqtgraph's axis, its title laid out once per change rather than at each setter.

    pyqtgraph lays the title out again (its HTML as rich text) and re-measures the axis at every setter:
    seven times while an axis is built, three more when a theme sets its pens and colour. The charts'
    20 axes did it some 230 times before the first result was painted. This one lays its title out
    once when built, and once for each :meth:`held` group of setters.
    """

    def __init__(self, orientation: str, parent: QGraphicsItem | None = None):
        self._held = 1  # pyqtgraph's own setters while it builds the axis
        super().__init__(orientation=orientation, parent=parent)
        self._held = 0
        self._updateLabel()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Within: the setters change the axis; its title is laid out once, on leaving."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            self._updateLabel()

    def _updateLabel(self) -> None:  # pyqtgraph's name
        if not self._held:
            super()._updateLabel()


class Panel(pg.GraphicsWidget):
    """A view box with left and bottom axes linked to it and a title row above (hidden when empty)."""

    def __init__(self, title: str = "", color: str | None = None):
        """``color``: the title's (pyqtgraph's foreground when not given)."""
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.layout = QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        self.setLayout(self.layout)
        self.vb = pg.ViewBox(parent=self, enableMenu=False)
        self.layout.addItem(self.vb, 2, 1)
        self.axes: dict[str, Axis] = {}
        for side, cell in (("bottom", (3, 1)), ("left", (2, 0))):
            axis = Axis(side, parent=self)
            # Before linking: an axis with SI prefixes on re-renders its title at every range change.
            axis.enableAutoSIPrefix(False)
            axis.linkToView(self.vb)
            axis.setZValue(0.5)  # above images at z=0, as in PlotItem
            axis.setFlag(QGraphicsItem.GraphicsItemFlag.ItemNegativeZStacksBehindParent)
            self.layout.addItem(axis, *cell)
            self.axes[side] = axis
        self.titleLabel = pg.LabelItem(title, size="11pt", color=color, parent=self)
        self.layout.addItem(self.titleLabel, 0, 1)
        for row in range(4):
            self.layout.setRowPreferredHeight(row, 0)
            self.layout.setRowMinimumHeight(row, 0)
            self.layout.setRowSpacing(row, 0)
            self.layout.setRowStretchFactor(row, 1)
        for column in range(3):
            self.layout.setColumnPreferredWidth(column, 0)
            self.layout.setColumnMinimumWidth(column, 0)
            self.layout.setColumnSpacing(column, 0)
            self.layout.setColumnStretchFactor(column, 1)
        self.layout.setRowStretchFactor(2, 100)
        self.layout.setColumnStretchFactor(1, 100)
        self.items: list[pg.GraphicsObject] = []
        self._show_title(bool(title))

    def addItem(self, item: pg.GraphicsObject, ignoreBounds: bool = False) -> None:  # pyqtgraph's names
        self.items.append(item)
        self.vb.addItem(item, ignoreBounds=ignoreBounds)

    def plot(self, *args, **kwargs) -> pg.PlotDataItem:  # PlotDataItem's own arguments
        item = pg.PlotDataItem(*args, **kwargs)
        self.addItem(item)
        return item

    def clear(self) -> None:
        for item in self.items:
            self.vb.removeItem(item)
        self.items = []

    def getAxis(self, name: str) -> pg.AxisItem:  # pyqtgraph's name
        return self.axes[name]

    def setLabel(self, axis: str, *args, **kwargs) -> None:  # AxisItem.setLabel's arguments
        self.axes[axis].setLabel(*args, **kwargs)

    def setTitle(self, title: str | None = None, **args) -> None:  # LabelItem.setText's arguments
        self._show_title(title is not None)
        if title is not None:
            self.titleLabel.setText(title, **args)

    def _show_title(self, shown: bool) -> None:
        self.titleLabel.setVisible(shown)
        self.titleLabel.setMaximumHeight(TITLE_HEIGHT if shown else 0)
        self.layout.setRowFixedHeight(0, TITLE_HEIGHT if shown else 0)

    def setXRange(self, *args, **kwargs) -> None:  # ViewBox.setXRange's arguments
        self.vb.setXRange(*args, **kwargs)

    def setYRange(self, *args, **kwargs) -> None:  # ViewBox.setYRange's arguments
        self.vb.setYRange(*args, **kwargs)

    def disableAutoRange(self) -> None:  # pyqtgraph's name
        self.vb.disableAutoRange()
