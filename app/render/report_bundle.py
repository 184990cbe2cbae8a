"""Write the report bundle: ``report.html`` (self-contained, charts as inline SVG) and ``report.pdf``.

Used by File > Export Report and ``jevons report``; both draw the charts as
the exports do (the chart's own ranges, vector marks, captioned).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPoint, QRect, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgGenerator

from app.domain.files import atomic_target, write_text_atomic
from app.render.chart_picture import canvas_size, paint_chart, vector_marks
from app.render.export import PDF_DPI, output_folder, pdf_writer, render_svg
from app.render.pagination import paginate
from app.render.plots.base import ChartView
from app.render.plots.interaction import home_view
from app.render.printed_drawings import Drawing, drawing_marker, place_drawings
from app.render.verdict_strip import VerdictStrip
from app.report.equivalents import scenario_equivalents
from app.report.formats import ExportError
from app.report.html_report import Brief, input_rows, report_html
from app.report.metadata import metadata_for
from app.report.verdict import deployment_summary

_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*", re.DOTALL)


def _inline_svg(chart: ChartView) -> str:
    """The chart as SVG markup to paste into HTML (its XML declaration dropped)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.svg"
        render_svg(chart, path, chart.title)
        return css_fonts(_XML_PROLOGUE.sub("", path.read_text(encoding="utf-8")))


STRIP_WIDTH = 900
"""Pixels of the headline chart in the report (it scales to the page)."""


def _strip_svg(strip: VerdictStrip) -> str:
    """The headline strip as inline SVG markup (text and marks as vectors), fonts named as browsers know them."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(strip.size())
    generator.setViewBox(QRect(0, 0, strip.width(), strip.height()))
    generator.setTitle("The answer at a glance")
    painter = QPainter(generator)
    strip.render(painter, QPoint(0, 0))
    painter.end()
    return css_fonts(_XML_PROLOGUE.sub("", bytes(buffer.data()).decode("utf-8")))


def css_fonts(svg: str) -> str:
    """Qt writes its generic family as "Sans Serif", which browsers do not know (they fall back to a serif
    font): name it as CSS does."""
    return re.sub(r"font-family=\"(Sans Serif|DejaVu Sans)\"", 'font-family="sans-serif"', svg)


def write_report(charts: Sequence[ChartView], summary, out_dir: Path) -> list[Path]:  # a SummaryTable
    """Write ``report.html`` and ``report.pdf`` into ``out_dir``; returns their paths."""
    inputs = next((c.inputs for c in charts if c.inputs is not None), None)
    if inputs is None:
        raise ExportError("nothing to report yet: the comparison has not been computed")
    out_dir = output_folder(out_dir)
    metadata = metadata_for(inputs)
    header, rows = summary.display_rows()
    listed = [(c.chart_id, c.title) for c in charts]
    verdict, entries = list(inputs.verdict), input_rows(inputs.resolved)
    strip = VerdictStrip()
    strip.set_rows(inputs.headline)
    strip.resize(STRIP_WIDTH, max(strip.heightForWidth(STRIP_WIDTH), 1))
    served = [(s.name, deployment_summary(s)) for s in inputs.result.scenarios if s.deployment is not None]
    brief = Brief(inputs.headline, _strip_svg(strip) if inputs.headline else "", inputs.resolved.description, served)
    everyday = scenario_equivalents(inputs.figures)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    try:
        with ExitStack() as drawn:  # every chart at its home view with vector marks, for both files
            for chart in charts:
                drawn.enter_context(home_view(chart))
                drawn.enter_context(vector_marks(chart))
            svgs = {chart.chart_id: _inline_svg(chart) for chart in charts}
            write_text_atomic(html_path, report_html(metadata, brief, verdict, header, rows, listed, svgs.__getitem__,
                                                     entries, everyday))
            printed = replace(brief, verdict_chart=drawing_marker(HEADLINE) if brief.headline else "")
            drawings = {chart.chart_id: Drawing(canvas_size(chart), partial(paint_chart, view=chart)) for chart in charts}
            drawings[HEADLINE] = Drawing(strip.size(), partial(_paint_strip, strip=strip))
            _write_pdf(report_html(metadata, printed, verdict, header, rows, listed, drawing_marker, entries, everyday),
                       drawings, pdf_path, metadata.comparison)
    except OSError as error:
        raise ExportError(f"{error.filename or out_dir}: {error.strerror}") from None
    finally:
        strip.deleteLater()
    return [html_path, pdf_path]


def _paint_strip(painter: QPainter, strip: VerdictStrip) -> None:
    strip.render(painter, QPoint(0, 0))


PDF_POINTS = 8
"""Body text of the printed report: an A4 page holds a table of inputs with its sources at this size."""
PDF_MARGIN_MM = 12
"""A4 margins of the printed report (Qt's 15 mm default left two pages of the appendix unprinted)."""
HEADLINE = "headline"


def _write_pdf(page: str, drawings: dict[str, Drawing], path: Path, title: str) -> None:
    """Print the report's rich text to an A4 PDF, each chart drawn in place as vectors (no raster image)."""
    with atomic_target(path) as temporary:
        writer = pdf_writer(temporary, title)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM)))
        printed_report(page, drawings, writer).print_(writer)


def printed_report(page: str, drawings: dict[str, Drawing], writer: QPdfWriter) -> QTextDocument:
    """The report laid out in pages of the writer's printable area (no extra margin, so a chart sized to the
    text width fits the page), its drawings placed."""
    document = QTextDocument()
    document.setDefaultFont(QFont("sans-serif", PDF_POINTS))
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(writer.pageLayout().paintRectPixels(PDF_DPI).size()))
    document.setHtml(page)
    place_drawings(document, drawings)
    paginate(document)
    return document
