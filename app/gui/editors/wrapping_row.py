"""A row of widgets that wraps onto further lines when the width runs out.

A quantity's value, range and unit sit on one line where they fit. In a narrow
inputs panel a row of long numbers (the market's peak queries: three
eleven-digit numbers and "queries/day") used to push the whole form wider
than the panel, so the form scrolled sideways and hid the units of every
other row too. With this layout the range and unit move under the value
instead: the layout's minimum width is its widest widget, never the sum.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class WrappingRow(QLayout):
    """Widgets left to right, each line as full as fits at their least widths.

    A line's spare width is shared in proportion to the widgets' stretch, none
    growing past its preferred width but the first (which takes what is left).
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 3):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def add(self, widget: QWidget, stretch: int = 1) -> None:
        """Add ``widget``; ``stretch`` weighs its share of a line's spare width."""
        self.addWidget(widget)
        self._stretch[len(self._items) - 1] = stretch

    # ------------------------------------------------------------ QLayout's interface

    def addItem(self, item: QLayoutItem) -> None:  # Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # Qt override
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # Qt override
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:  # Qt override
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:  # Qt override
        """Everything on one line."""
        widths = [self._width(i, item) for i, item in enumerate(self._shown())]
        height = max((item.sizeHint().height() for item in self._shown()), default=0)
        return self._with_margins(QSize(sum(widths) + self.spacing() * max(len(widths) - 1, 0), height))

    def minimumSize(self) -> QSize:  # Qt override
        """As narrow as the widest widget: the rest wraps."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return self._with_margins(size)

    # ------------------------------------------------------------ layout

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _grown(self, line: list[tuple[QLayoutItem, int]], spare: int, first_line: bool) -> list[int]:
        """The line's widths once ``spare`` pixels are shared by stretch, each capped at its preferred width."""
        widths = [least for _, least in line]
        caps = [None if first_line and i == 0 else max(item.sizeHint().width(), least) for i, (item, least) in enumerate(line)]
        weights = [self._stretch.get(self._items.index(item), 1) for item, _ in line]
        growing = [i for i in range(len(line)) if weights[i] > 0 and (caps[i] is None or widths[i] < caps[i])]
        while spare > 0 and growing:
            total = sum(weights[i] for i in growing)
            given = 0
            for i in growing:
                share = spare * weights[i] // total or 1
                room = share if caps[i] is None else min(share, caps[i] - widths[i])
                widths[i] += room
                given += room
            spare -= given
            growing = [i for i in growing if caps[i] is None or widths[i] < caps[i]]
            if given == 0:
                break
        return widths

    def _width(self, index: int, item: QLayoutItem) -> int:
        """The first widget's own least width (it stretches), the others' preferred width."""
        return item.minimumSize().width() if index == 0 else item.sizeHint().width()

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _lines(self, width: int) -> list[list[tuple[QLayoutItem, int]]]:
        """The items with their least widths, split into lines no wider than ``width`` (one item at least each)."""
        lines: list[list[tuple[QLayoutItem, int]]] = [[]]
        used = 0
        for item in self._shown():
            wanted = item.minimumSize().width()  # a line holds what fits at its least width; spare width is shared after
            if lines[-1] and used + self.spacing() + wanted > width:
                lines.append([])
                used = 0
            used += (self.spacing() if lines[-1] else 0) + wanted
            lines[-1].append((item, wanted))
        return lines

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lay the items out in ``rect`` (when ``place``); returns the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        for number, line in enumerate(self._lines(area.width())):
            height = max(item.sizeHint().height() for item, _ in line)
            spare = max(area.width() - sum(w for _, w in line) - self.spacing() * (len(line) - 1), 0)
            widths = self._grown(line, spare, number == 0)
            x = area.x()
            for (item, _), width in zip(line, widths, strict=True):
                if place:
                    top = y + (height - item.sizeHint().height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, item.sizeHint().height())))
                x += width + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - area.y() + margins.top() + margins.bottom() if self._shown() else 0
