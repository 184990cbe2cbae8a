"""Charts drawn as vectors inside printed rich text: the report's PDF has no raster image.

Qt's rich text draws images, not SVG, so the printed report marks where each
chart goes (:func:`drawing_marker`) and :func:`place_drawings` swaps each mark
for a text object whose handler paints the chart with the printer's own
painter, scaled to the text width: marks, curves and labels stay vectors.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, QSize, QSizeF
from PySide6.QtGui import QPainter, QPyTextObject, QTextCharFormat, QTextDocument, QTextFormat

DRAWING_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
DRAWING_ID = QTextFormat.Property.UserProperty + 1
DRAWING_WIDTH = 0.8
"""Share of the text width a drawing takes."""
DRAWING_HEIGHT = 0.44
"""Most of the page height a drawing takes: two charts share an A4 page."""
_MARK = re.compile(r"\[\[drawing:([^\]]+)\]\]")
_MARK_TEXT = QRegularExpression(_MARK.pattern)


@dataclass(frozen=True, slots=True)
class Drawing:
    """Something to paint at its own pixel size: a chart and its caption, the headline strip."""

    size: QSize
    paint: Callable[[QPainter], None]


def drawing_marker(drawing_id: str) -> str:
    """Rich text marking where the drawing ``drawing_id`` goes (a paragraph of its own)."""
    return f"<p>[[drawing:{html.escape(drawing_id)}]]</p>"


class _Drawings(QPyTextObject):
    """Sizes each drawing to the text width, keeping its aspect, and paints it there."""

    def __init__(self, document: QTextDocument, drawings: dict[str, Drawing]):
        super().__init__(document)
        self._drawings = drawings

    def _drawing(self, text_format: QTextFormat) -> Drawing:
        return self._drawings[str(text_format.property(DRAWING_ID))]

    def intrinsicSize(self, document: QTextDocument, position: int, text_format: QTextFormat) -> QSizeF:
        size = self._drawing(text_format).size
        aspect = size.height() / max(size.width(), 1)
        page = document.pageSize()
        width = DRAWING_WIDTH * (page.width() - 2 * document.documentMargin())
        if width <= 0:
            width = float(size.width())
        if page.height() > 0:  # a tall chart is narrowed so that two still share a page
            width = min(width, DRAWING_HEIGHT * page.height() / max(aspect, 1e-9))
        return QSizeF(width, width * aspect)

    def drawObject(self, painter: QPainter, rect, document, position, text_format) -> None:
        drawing = self._drawing(text_format)
        painter.save()
        try:
            painter.translate(rect.topLeft())
            scale = rect.width() / max(drawing.size.width(), 1)
            painter.scale(scale, scale)
            drawing.paint(painter)
        finally:
            painter.restore()


def place_drawings(document: QTextDocument, drawings: dict[str, Drawing]) -> None:
    """Swap each mark in ``document`` for the drawing it names (a mark naming none is left as text)."""
    handler = _Drawings(document, drawings)
    document.documentLayout().registerHandler(DRAWING_OBJECT, handler)
    document.setProperty("drawings", handler)  # the Python handler lives as long as the document
    cursor = document.find(_MARK_TEXT)
    while not cursor.isNull():
        found = _MARK.fullmatch(cursor.selectedText())
        if found is not None and found.group(1) in drawings:
            text_format = QTextCharFormat()
            text_format.setObjectType(DRAWING_OBJECT)
            text_format.setProperty(DRAWING_ID, found.group(1))
            cursor.insertText("\ufffc", text_format)
        cursor = document.find(_MARK_TEXT, cursor)
    # Lay the whole document out again with the drawings' sizes: printed on the incremental layout made
    # before they were placed, text after them was lost.
    document.markContentsDirty(0, document.characterCount())
    document.documentLayout().documentSize()
