"""Render charts to PNG, SVG and PDF, and write the data behind them as CSV.

The window's export and the headless ``jevons export`` (``app.render.offscreen``) both call
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
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView

from app.domain.atomic_save import atomic_target, write_text_atomic
from app.render.chart_picture import canvas_size, caption_lines, chart_image, paint_onto, vector_marks
from app.render.plots.interaction import home_view
from app.report.chart_data import Row
from app.report.formats import DEFAULT_SCALE, FORMATS, ExportError, check_scale, image_format, parse_formats
from app.report.metadata import metadata_for
from app.report.tidy import Table, tidy
from app.report.untrusted_text import spreadsheet_safe

__all__ = ["DEFAULT_SCALE", "FORMATS", "ExportError", "export_charts", "parse_formats"]

_SVG_NS = "http://www.w3.org/2000/svg"


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
        paint_onto(view, generator, path, "SVG")
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


PDF_DPI = 96
"""The PDF writers' device resolution (a chart's PDF and the printed report): pyqtgraph replays its cached
axes scaled by the device's DPI, so charts are drawn at the screen's; text and marks stay vectors."""


def pdf_writer(path: Path, title: str) -> QPdfWriter:
    """A PDF writer into ``path``, its document titled, at :data:`PDF_DPI`."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Jevons")
    writer.setResolution(PDF_DPI)
    return writer


def render_pdf(view: QGraphicsView, path: Path, title: str = "") -> None:
    """One page the shape of the chart (and its caption), drawn as vectors."""
    size = canvas_size(view)
    with atomic_target(path) as temporary:
        writer = pdf_writer(temporary, title)
        page = QPageSize(QSizeF(size.width() * 0.75, size.height() * 0.75), QPageSize.Unit.Point, title or "chart")
        writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        paint_onto(view, writer, path, "PDF")


def render_image(view: QGraphicsView, path: Path, scale: float = DEFAULT_SCALE) -> None:
    """The chart as a PNG (at ``scale``), SVG or PDF file, as ``path``'s suffix says."""
    fmt = image_format(path)
    title = getattr(view, "title", "")
    if fmt == "png":
        render_png(view, path, scale)
    elif fmt == "svg":
        render_svg(view, path, title)
    else:
        render_pdf(view, path, title)


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


def output_folder(out_dir: Path | str) -> Path:
    """``out_dir``, created if missing (parents too); an ExportError naming it when it cannot be."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out_dir}: cannot create the folder ({error.strerror})") from None
    return out_dir


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
    check_scale(scale)
    out_dir = output_folder(out_dir)
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
                    if fmt == "csv":
                        write_csv(chart.csv_table(), path, comments)
                    else:
                        render_image(chart, path, scale)
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
