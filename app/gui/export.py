"""Render charts to PNG, SVG and PDF, and write the data behind them as CSV.

The window's export and the headless ``jevons export`` both call
:func:`export_charts`, so a file looks the same whichever way it was made.
pyqtgraph's own SVG exporter fails on this Qt, so SVG goes through
``QSvgGenerator`` and PDF through ``QPdfWriter``, each painted by the chart's
``QGraphicsView.render``. Every file is written to a temporary name in the
target folder and renamed into place, so a failure never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPaintDevice, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView

from app.domain.atomic_save import atomic_target, write_text_atomic
from app.gui import qt_messages
from app.gui.plots.interaction import home_view
from app.report.chart_data import Row
from app.report.formats import DEFAULT_SCALE, FORMATS, ExportError, check_scale, parse_formats
from app.report.metadata import metadata_for
from app.report.tidy import Table, tidy
from app.report.untrusted_text import spreadsheet_safe

__all__ = ["DEFAULT_SCALE", "FORMATS", "ExportError", "export_charts", "parse_formats"]

_SVG_NS = "http://www.w3.org/2000/svg"


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
    return metadata_for(inputs).caption() if inputs is not None else []


def canvas_size(view: QGraphicsView) -> QSize:
    """The chart on screen plus room for its caption."""
    size = view.viewport().size()
    lines = len(caption_lines(view))
    return QSize(size.width(), size.height() + (lines * CAPTION_LINE_PX + 8 if lines else 0))


def _paint(view: QGraphicsView, device: QPaintDevice, path: Path, what: str) -> None:
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
    _paint(view, image, path or Path("clipboard"), "PNG")
    return image


def render_png(view: QGraphicsView, path: Path, scale: float = DEFAULT_SCALE) -> None:
    """The chart as a PNG file at ``scale`` times its on-screen size."""
    image = chart_image(view, scale, path)
    with atomic_target(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise ExportError(f"{path}: the image could not be written")


def render_svg(view: QGraphicsView, path: Path, title: str = "") -> None:
    """Vector SVG; curves are written in page coordinates so any viewer draws them alike."""
    size = canvas_size(view)
    with atomic_target(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        # pyqtgraph caches axes as QPictures, which replay scaled by the device's DPI:
        # write at the screen's DPI so axes and data line up.
        generator.setResolution(view.logicalDpiX())
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        generator.setDescription(" · ".join(caption_lines(view)) or "Jevons chart")
        _paint(view, generator, path, "SVG")
        flatten_svg_transforms(temporary)


_MATRIX = re.compile(r"^matrix\(([^)]*)\)$")
_PATH_TOKEN = re.compile(r"[MLZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z]")


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _flatten_path(d: str, matrix: list[float]) -> str | None:
    tokens = _PATH_TOKEN.findall(d)
    out, numbers = [], []
    for token in tokens:
        if token in ("M", "L", "Z"):
            if len(numbers) % 2:
                return None
            out += [f"{x:.6g},{y:.6g}" for x, y in (_apply(matrix, *numbers[i : i + 2]) for i in range(0, len(numbers), 2))]
            numbers = []
            out.append(token)
        elif token[0].isalpha():
            return None  # curves or relative commands: leave the group as Qt wrote it
        else:
            numbers.append(float(token))
    if len(numbers) % 2:
        return None
    out += [f"{x:.6g},{y:.6g}" for x, y in (_apply(matrix, *numbers[i : i + 2]) for i in range(0, len(numbers), 2))]
    return " ".join(out)


def flatten_svg_transforms(path: Path) -> None:
    """Move data-to-page transforms into the coordinates of polylines and paths.

    Qt writes each curve in data coordinates under a group ``transform`` with
    ``vector-effect="non-scaling-stroke"`` to keep the pen thin. Viewers that
    ignore that effect (librsvg, older Inkscape) then draw strokes scaled by
    the data transform: smeared bands instead of lines. Applying the transform
    to the points gives the same picture in every viewer.
    """
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    tree = ET.parse(path)
    for group in tree.getroot().iter(f"{{{_SVG_NS}}}g"):
        match = _MATRIX.match(group.get("transform", ""))
        children = list(group)
        if not match or not children:
            continue
        if any(child.tag not in (f"{{{_SVG_NS}}}polyline", f"{{{_SVG_NS}}}path") for child in children):
            continue
        matrix = [float(v) for v in match.group(1).replace(",", " ").split()]
        rewritten = []
        for child in children:
            if child.tag.endswith("polyline"):
                try:
                    pairs = [tuple(float(v) for v in point.split(",")) for point in child.get("points", "").split()]
                except ValueError:
                    break
                text = " ".join(f"{x:.6g},{y:.6g}" for x, y in (_apply(matrix, *pair) for pair in pairs))
                rewritten.append((child, "points", text))
            else:
                text = _flatten_path(child.get("d", ""), matrix)
                if text is None:
                    break
                rewritten.append((child, "d", text))
        else:
            for child, attribute, text in rewritten:
                child.set(attribute, text)
            del group.attrib["transform"]
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def render_pdf(view: QGraphicsView, path: Path, title: str = "") -> None:
    """One page the shape of the chart (and its caption), drawn as vectors."""
    size = canvas_size(view)
    with atomic_target(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setTitle(title)
        writer.setCreator("Jevons")
        writer.setResolution(96)
        page = QPageSize(QSizeF(size.width() * 0.75, size.height() * 0.75), QPageSize.Unit.Point, title or "chart")
        writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        _paint(view, writer, path, "PDF")


def csv_text(table: Table, comments: Sequence[str] = ()) -> str:
    """Tidy CSV: ``comments`` (``#`` lines: what, how, version) above one header and one row per figure."""
    columns, rows = table
    stream = io.StringIO()
    for line in comments:
        stream.write(line + "\n")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([f"{v:.6g}" if isinstance(v, float) else spreadsheet_safe(str(v)) for v in row])
    return stream.getvalue()


def write_csv(table: Table, path: Path, comments: Sequence[str] = ()) -> None:
    write_text_atomic(path, csv_text(table, comments))


def planned_files(chart_ids: list[str] | None, all_ids: list[str], formats: Sequence[str], out_dir: Path) -> list[Path]:
    """The files an export of ``chart_ids`` (all, with the summary, when None) in ``formats`` writes."""
    ids = all_ids if chart_ids is None else chart_ids
    files = [Path(out_dir) / f"{chart_id}.{fmt}" for chart_id in ids for fmt in formats]
    if chart_ids is None and "csv" in formats:
        files.append(Path(out_dir) / "summary.csv")
    return [*files, Path(out_dir) / "metadata.json"]


def export_charts(
    charts: Sequence[QGraphicsView],
    out_dir: Path,
    formats: Sequence[str],
    scale: float = DEFAULT_SCALE,
    extra_csv: dict[str, Callable[[], list[Row]]] | None = None,
) -> list[Path]:
    """Write each chart in each format to ``out_dir``; returns the files written.

    ``extra_csv`` adds data-only tables (the summary) when CSV is asked for.
    """
    out_dir = Path(out_dir)
    check_scale(scale)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out_dir}: cannot create the folder ({error.strerror})") from None
    if not os.access(out_dir, os.W_OK):
        raise ExportError(f"{out_dir}: the folder is not writable")
    written: list[Path] = []
    inputs = next((chart.inputs for chart in charts if getattr(chart, "inputs", None) is not None), None)
    metadata = metadata_for(inputs) if inputs is not None else None
    comments = metadata.csv_comments() if metadata is not None else []
    try:
        for chart in charts:
            # The chart's own ranges, whatever the user zoomed to on screen; every mark a vector.
            with home_view(chart), vector_marks(chart):
                for fmt in formats:
                    path = out_dir / f"{chart.chart_id}.{fmt}"
                    if fmt == "png":
                        render_png(chart, path, scale)
                    elif fmt == "svg":
                        render_svg(chart, path, chart.title)
                    elif fmt == "pdf":
                        render_pdf(chart, path, chart.title)
                    elif fmt == "csv":
                        write_csv(chart.csv_table(), path, comments)
                    written.append(path)
        if "csv" in formats:
            for name, rows in (extra_csv or {}).items():
                path = out_dir / f"{name}.csv"
                write_csv(tidy(rows()), path, comments)
                written.append(path)
        if metadata is not None and written:
            path = out_dir / "metadata.json"
            write_text_atomic(path, metadata.to_json(files=[p.name for p in written]))
            written.append(path)
    except OSError as error:
        raise ExportError(f"{error.filename or out_dir}: {error.strerror}") from None
    except ET.ParseError as error:  # Qt wrote an SVG its own flattening could not read back
        raise ExportError(f"{out_dir}: an SVG could not be post-processed ({error})") from None
    return written


def chart_size_hint() -> QSize:
    """Size at which headless exports lay out a chart (in logical pixels)."""
    return QSize(1000, 620)


@contextmanager
def offscreen_charts(resolved, result) -> Iterator[tuple[list, object]]:  # noqa: ANN001
    """The window's charts and summary laid out offscreen and filled, as the window first shows them."""
    import PySide6  # noqa: F401 - before pyqtgraph
    from PySide6.QtWidgets import QApplication

    from app.gui.plots import CHART_CLASSES
    from app.gui.plots.tornado import TornadoPlot
    from app.gui.summary_table import SummaryTable
    from app.report.chart_data import DEFAULT_TORNADO_METRIC, ChartInputs, tornado

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
        inputs = ChartInputs(resolved, result, sensitivity)
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


def export_comparison(resolved, result, out: Path, formats: Sequence[str], scale: float = DEFAULT_SCALE) -> list[Path]:  # noqa: ANN001
    """Lay the window's charts and summary out offscreen, fill them and write them (``jevons export``)."""
    with offscreen_charts(resolved, result) as (charts, summary):
        return export_charts(charts, out, formats, scale, {"summary": summary.csv_rows})


def report_comparison(resolved, result, out: Path) -> list[Path]:  # noqa: ANN001
    """The report bundle of a comparison, drawn offscreen (``jevons report``)."""
    from app.gui.report_bundle import write_report

    with offscreen_charts(resolved, result) as (charts, summary):
        return write_report(charts, summary, out)


def render_verdict_map_png(verdict_map, path: Path, scale: float = DEFAULT_SCALE) -> None:  # noqa: ANN001
    """Draw a verdict map (``app.report.verdict_map``) offscreen and write it as a PNG (``jevons sweep --png``)."""
    import PySide6  # noqa: F401 - before pyqtgraph
    from PySide6.QtWidgets import QApplication

    from app.gui.plots.verdict_map import VerdictMapPlot

    app = QApplication.instance() or QApplication(["jevons-sweep"])
    qt_messages.install()
    view = VerdictMapPlot()
    try:
        view.resize(900, 700)
        view.show()
        app.processEvents()
        view.show_map(verdict_map)
        app.processEvents()
        render_png(view, path, scale)
    finally:
        view.close()
        view.deleteLater()
