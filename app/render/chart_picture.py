"""A chart as a picture: what it shows on screen (every mark a vector) with its caption beneath.

The file exports (``app.render.export``), the printed report
(``app.render.report_bundle``) and the chart's own Copy image all paint a
chart through :func:`paint_chart`, so each shows the same picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPaintDevice, QPainter
from PySide6.QtWidgets import QGraphicsView

from app.render.pyqtgraph_import import import_pyqtgraph
from app.report.formats import DEFAULT_SCALE, ExportError
from app.report.metadata import metadata_for

pg = import_pyqtgraph()

CAPTION_LINE_PX = 15
CAPTION_FONT_PT = 7.5


@contextmanager
def vector_marks(view: QGraphicsView) -> Iterator[None]:
    """Draw scatter symbols (the crossover stars) as paths, not as pyqtgraph's cached raster sprites.

    In SVG and PDF a sprite would be an embedded image (the whole atlas, in
    wrong colours, in some viewers); export mode makes each symbol a vector path.
    """
    scatters = [item for item in view.scene().items() if isinstance(item, pg.ScatterPlotItem)]
    for item in scatters:
        item.setExportMode(True, {"antialias": True})
    try:
        yield
    finally:
        for item in scatters:
            item.setExportMode(False)


def caption_lines(view: QGraphicsView) -> list[str]:
    """What a chart says about itself under its plot (nothing before its first result)."""
    inputs = getattr(view, "inputs", None)
    return metadata_for(inputs).caption(view.sampling(inputs)) if inputs is not None else []


def canvas_size(view: QGraphicsView) -> QSize:
    """The chart on screen plus room for its caption."""
    size = view.viewport().size()
    lines = len(caption_lines(view))
    return QSize(size.width(), size.height() + (lines * CAPTION_LINE_PX + 8 if lines else 0))


def paint_onto(view: QGraphicsView, device: QPaintDevice, path: Path, what: str) -> None:
    """Paint the chart as it shows on screen (in its own pixel units) onto ``device``, its caption beneath.

    The caption is text drawn by the painter: vector text in SVG and PDF.
    """
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(f"{path}: cannot start writing {what}")
    try:
        paint_chart(painter, view)
    finally:
        painter.end()


def paint_chart(painter: QPainter, view: QGraphicsView) -> None:
    """The chart and its caption in the chart's own pixel units, from the painter's origin: vector marks and
    text on a vector device (SVG, PDF, the printed report)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    size = view.viewport().size()
    canvas = canvas_size(view)
    painter.fillRect(QRectF(0, 0, canvas.width(), canvas.height()), view.backgroundBrush())
    target = QRectF(0, 0, size.width(), size.height())
    view.render(painter, target, view.viewport().rect())
    font = QFont(painter.font())
    font.setPointSizeF(CAPTION_FONT_PT)
    painter.setFont(font)
    theme = getattr(view, "theme", None)
    painter.setPen(QColor(theme.foreground if theme is not None else "#000000"))
    for index, line in enumerate(caption_lines(view)):
        box = QRectF(8, size.height() + 2 + index * CAPTION_LINE_PX, size.width() - 16, CAPTION_LINE_PX)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)


def chart_image(view: QGraphicsView, scale: float = DEFAULT_SCALE, path: Path | None = None) -> QImage:
    """A raster of the chart (and its caption) at ``scale`` times its on-screen size (vector-sharp)."""
    size = canvas_size(view)
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor(view.backgroundBrush().color()))
    paint_onto(view, image, path or Path("clipboard"), "PNG")
    return image
