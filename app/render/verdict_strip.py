"""The answer at the top of the window: each scenario's headline beside a dot-and-whisker chart.

Per scenario other than the baseline, one bold sentence (its energy over the
horizon as a multiple of the baseline's, with the 5-95 % band) and how sure
and what it turns on (the share of plausible cases using more energy, the
price elasticity at which it flips); beside it, on a log-ratio axis shared by
every row, the median ratio as a dot in the scenario's colour, its band as a
whisker, the line at 1x (the baseline's energy) and P(more) beside the dot.
Painted directly (a few rows of text and marks), so it costs nothing to draw
and reads the same in every theme. The text is also the widget's accessible
description, and the context menu copies it.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPen, QTextDocument
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from app.numbers import percent, times
from app.report.headline import HeadlineRow, headline_detail, headline_text, headline_title

CHART_WIDTH = 300
"""Pixels of the dot-and-whisker chart at the right (less in a narrow window)."""
AXIS_HEIGHT = 34
GAP = 10
SWATCH = 10
TICKS = tuple(m * 10.0 ** e for e in range(-4, 5) for m in (1, 2, 5) if m * 10.0 ** e <= 1e4)
"""Tick candidates (1-2-5 per decade, 0.0001x to 10,000x): an axis over more than three decades labels
decades only. A ratio beyond them is drawn at the edge with an arrow pointing past it."""


def ratio_range(rows: list[HeadlineRow]) -> tuple[float, float]:
    """The axis's (low, high) ratio: every band, and 0.5x to 2x around the line at 1x at least."""
    lows = [r.ratio.p5 if r.ranged else r.ratio.median for r in rows]
    highs = [r.ratio.p95 if r.ranged else r.ratio.median for r in rows]
    finite_low = [v for v in lows if math.isfinite(v) and v > 0]
    finite_high = [v for v in highs if math.isfinite(v) and v > 0]
    low = min([0.5, *finite_low]) / 1.25
    high = max([2.0, *finite_high]) * 1.25
    return max(low, TICKS[0]), min(high, TICKS[-1])



def axis_caption(baseline: str, metrics: QFontMetrics, width: float) -> str:
    """What the axis measures, in the words that fit ``width``: the baseline's name is what a reader needs, so
    the words around it go first ("energy relative to Llama …" had hidden which model at 800 px)."""
    for caption in (f"energy relative to {baseline} (log scale)", f"energy relative to {baseline}", f"× {baseline}"):
        if metrics.horizontalAdvance(caption) <= width:
            return caption
    return metrics.elidedText(f"× {baseline}", Qt.TextElideMode.ElideRight, int(width))

class VerdictStrip(QWidget):
    """Headlines and their verdict chart; empty (and small) before the first result."""

    copyRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("headline")
        self.setAccessibleName("Verdict")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "Each scenario against the baseline over the horizon: the median of the paired energy ratio "
            "(dot), its 5-95 % band (whisker), and the share of the sampled cases in which it uses more "
            "energy. Right of the dashed line at 1×, it uses more energy than the baseline.\n"
            "Where the answer flips: the price elasticity of demand is how strongly use responds to price "
            "(−1: a price 10 % lower brings about 10 % more queries); the more negative, the stronger the "
            "rebound of a cheaper model."
        )
        self.rows: list[HeadlineRow] = []
        self._laid_out: tuple[tuple, list[QTextDocument]] | None = None
        """The rows' text laid out, with what it was laid out for (width, colour, font): kept until one changes,
        as the layout asks the height for a width several times per result."""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)

    # ------------------------------------------------------------ data

    def set_rows(self, rows: list[HeadlineRow]) -> None:
        if rows == self.rows:
            return
        self.rows = list(rows)
        self._laid_out = None
        self.setAccessibleDescription(self.text())
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The headlines as plain text, a paragraph per scenario."""
        return headline_text(self.rows)

    # ------------------------------------------------------------ layout

    def _chart_width(self, width: int) -> int:
        return max(160, min(CHART_WIDTH, width // 3))

    def _documents(self, width: int) -> list[QTextDocument]:
        text_width = max(120, width - self._chart_width(width) - SWATCH - 3 * GAP)
        color = self.palette().windowText().color().name()
        key = (text_width, color, self.font().key())
        if self._laid_out is not None and self._laid_out[0] == key:
            return self._laid_out[1]
        documents = []
        for row in self.rows:
            document = QTextDocument()
            document.setDefaultFont(self.font())
            document.setDocumentMargin(0)
            document.setHtml(f'<span style="color:{color}"><b style="font-size:11pt">'
                             f"{html.escape(headline_title(row))}</b><br>{html.escape(headline_detail(row))}</span>")
            document.setTextWidth(text_width)
            documents.append(document)
        self._laid_out = (key, documents)
        return documents

    def _row_heights(self, width: int) -> list[float]:
        return [max(30.0, d.size().height() + 6) for d in self._documents(width)]

    def hasHeightForWidth(self) -> bool:  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # Qt override
        if not self.rows:
            return 0
        return math.ceil(sum(self._row_heights(width)) + AXIS_HEIGHT + 4)

    def sizeHint(self) -> QSize:  # Qt override
        width = max(self.width(), 600)
        return QSize(width, self.heightForWidth(width))

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        height = self.heightForWidth(self.width())
        if self.minimumHeight() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event) -> None:  # Qt override
        super().changeEvent(event)
        self.update()

    # ------------------------------------------------------------ painting

    def paintEvent(self, _event) -> None:  # Qt override
        if not self.rows:
            return
        if self.height() != self.heightForWidth(self.width()):
            self.setFixedHeight(self.heightForWidth(self.width()))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width()
        chart_width = self._chart_width(width)
        left = width - chart_width - GAP
        documents = self._documents(width)
        heights = [max(30.0, d.size().height() + 6) for d in documents]
        low, high = ratio_range(self.rows)

        def x_of(ratio: float) -> float:
            span = math.log10(high) - math.log10(low)
            clipped = min(max(ratio, low), high)
            return left + 8 + (chart_width - 40) * (math.log10(clipped) - math.log10(low)) / span

        foreground = self.palette().windowText().color()
        faint = QColor(foreground)
        faint.setAlpha(90)
        y = 2.0
        centres = []
        for row, document, height in zip(self.rows, documents, heights, strict=True):
            painter.fillRect(QRectF(GAP / 2, y + 5, SWATCH, SWATCH), QColor(row.color))
            painter.save()
            painter.translate(GAP / 2 + SWATCH + GAP, y)
            document.drawContents(painter)
            painter.restore()
            centres.append(y + height / 2)
            y += height
        bottom = y + 4
        # The line at 1x: the baseline's energy.
        painter.setPen(QPen(foreground, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x_of(1.0), 2), QPointF(x_of(1.0), bottom))
        # Axis: ticks and labels along the bottom.
        painter.setPen(QPen(faint, 1))
        painter.drawLine(QPointF(x_of(low), bottom), QPointF(x_of(high), bottom))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        decades_only = math.log10(high) - math.log10(low) > 3
        for tick in (t for t in TICKS if low <= t <= high and (not decades_only or math.log10(t).is_integer())):
            x = x_of(tick)
            painter.setPen(QPen(faint, 1))
            painter.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
            painter.setPen(foreground)
            label = times(tick, zeros=False)
            painter.drawText(QPointF(x - metrics.horizontalAdvance(label) / 2, bottom + 4 + metrics.ascent()), label)
        caption = axis_caption(self.rows[0].baseline, metrics, chart_width - 8)
        painter.drawText(QPointF(left + 8, bottom + 6 + metrics.height() + metrics.ascent() - 2), caption)
        # One dot and whisker per scenario, with P(more) beside it.
        bold = QFont(small)
        bold.setBold(True)
        painter.setFont(bold)
        for row, centre in zip(self.rows, centres, strict=True):
            color = QColor(row.color)
            if row.ranged and math.isfinite(row.ratio.p5) and math.isfinite(row.ratio.p95):
                painter.setPen(QPen(color, 2.5))
                painter.drawLine(QPointF(x_of(row.ratio.p5), centre), QPointF(x_of(row.ratio.p95), centre))
                for end in (row.ratio.p5, row.ratio.p95):
                    painter.drawLine(QPointF(x_of(end), centre - 5), QPointF(x_of(end), centre + 5))
            if math.isfinite(row.ratio.median):
                painter.setPen(QPen(foreground, 1))
                painter.setBrush(color)
                painter.drawEllipse(QPointF(x_of(row.ratio.median), centre), 5.5, 5.5)
                if not low <= row.ratio.median <= high:  # off the axis: an arrow says it lies beyond
                    edge, way = (x_of(low), -1.0) if row.ratio.median < low else (x_of(high), 1.0)
                    tip = edge + way * 14
                    painter.drawPolygon([QPointF(tip, centre), QPointF(tip - way * 7, centre - 5),
                                         QPointF(tip - way * 7, centre + 5)])
            if row.ranged and math.isfinite(row.probability_more):
                label = percent(row.probability_more)
                end = x_of(row.ratio.p95 if math.isfinite(row.ratio.p95) else row.ratio.median) + 6
                if end + painter.fontMetrics().horizontalAdvance(label) > width - 2:
                    end = x_of(row.ratio.p5) - 6 - painter.fontMetrics().horizontalAdvance(label)
                painter.setPen(foreground)
                painter.drawText(QPointF(end, centre - 7), label)
        painter.end()

    # ------------------------------------------------------------ copy

    def contextMenuEvent(self, event) -> None:  # Qt override
        menu = QMenu(self)
        menu.addAction("Copy Verdict", self.copyRequested.emit)
        menu.exec(event.globalPos())
        event.accept()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
