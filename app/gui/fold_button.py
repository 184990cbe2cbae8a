"""The flat arrow buttons that fold text away under the headline, titled to the width they are given."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QToolButton, QWidget

ELLIPSIS = "…"


def cut_at_a_word(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` if it fits in ``width`` pixels, else as many of its first words as fit followed by an
    ellipsis (without the punctuation that ended the last of them): a title cut in the middle of a word, or
    in the middle of the title ("About: The…k question"), cannot be read. A first word that does not fit
    alone is cut where the width ends."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        shown = " ".join(words[:count]).rstrip(",;:.") + ELLIPSIS
        if metrics.horizontalAdvance(shown) <= width:
            return shown
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


class FoldButton(QToolButton):
    """A flat arrow button that shows and hides ``folded``. Its title asks for its whole width, and where
    the row gives it less (an 800 px window), it is cut at a word on the right, whole in its tooltip."""

    def __init__(self, name: str, folded: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self._title = ""
        self._folded = folded
        self.toggled.connect(self._on_toggled)

    def _on_toggled(self, shown: bool) -> None:
        self._folded.setVisible(shown)
        self.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    @property
    def title(self) -> str:
        """The whole title, however much of it is shown."""
        return self._title

    def set_title(self, title: str) -> None:
        self._title = title
        self.setToolTip(title)
        self.setAccessibleName(title)  # a screen reader says the whole title, cut or not
        self.updateGeometry()
        self._show_title()

    def _text_excess(self) -> int:
        """Pixels the shown text is narrower than the whole title."""
        metrics = self.fontMetrics()
        return metrics.horizontalAdvance(self._title) - metrics.horizontalAdvance(self.text())

    def sizeHint(self) -> QSize:  # Qt override: the width of the whole title, whatever is shown
        hint = super().sizeHint()
        return QSize(hint.width() + self._text_excess(), hint.height())

    def _show_title(self) -> None:
        """The title, cut at a word to the button's width (its arrow and margins taken off)."""
        chrome = super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())
        shown = cut_at_a_word(self.fontMetrics(), self._title, self.width() - chrome)
        if self.text() != shown:
            self.setText(shown)

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        self._show_title()


class FoldRow(QWidget):
    """The fold buttons side by side where their whole titles fit, else one under the other (an 800 px
    window): two titles cut to share one line read as neither ("About: The…", "Rebound, prices and…")."""

    def __init__(self, buttons: list[FoldButton], parent: QWidget | None = None):
        super().__init__(parent)
        self.buttons = buttons
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(0)
        self._grid.setColumnStretch(len(buttons), 1)  # side by side, they sit at the left
        self.side_by_side = False
        self._place(True)

    def _place(self, side_by_side: bool) -> None:
        if side_by_side == self.side_by_side:
            return
        self.side_by_side = side_by_side
        for index, button in enumerate(self.buttons):
            self._grid.removeWidget(button)
            row, column = (0, index) if side_by_side else (index, 0)
            self._grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignLeft)

    def whole_width(self) -> int:
        """Width the shown buttons take side by side with their whole titles."""
        shown = [button.sizeHint().width() for button in self.buttons if not button.isHidden()]
        return sum(shown) + self._grid.horizontalSpacing() * max(0, len(shown) - 1)

    def arrange(self) -> None:
        """Side by side if the whole titles fit the row's width, else stacked."""
        self._place(self.whole_width() <= self.width())

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        self.arrange()
