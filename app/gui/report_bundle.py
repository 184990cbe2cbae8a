"""Write the report bundle: ``report.html`` (self-contained, charts as inline SVG) and ``report.pdf``.

Used by File > Export Report and ``jevons report``; both draw the charts as
the exports do (the chart's own ranges, vector marks, captioned).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPoint, QRect, QUrl
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgGenerator

from app.domain.files import atomic_target, write_text_atomic
from app.gui.export import chart_image, render_svg, vector_marks
from app.gui.plots.base import ChartView
from app.gui.plots.interaction import home_view
from app.gui.verdict_strip import VerdictStrip
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


def write_report(charts: Sequence[ChartView], summary, out_dir: Path) -> list[Path]:  # noqa: ANN001 - a SummaryTable
    """Write ``report.html`` and ``report.pdf`` into ``out_dir``; returns their paths."""
    inputs = next((c.inputs for c in charts if c.inputs is not None), None)
    if inputs is None:
        raise ExportError("nothing to report yet: the comparison has not been computed")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out_dir}: cannot create the folder ({error.strerror})") from None
    metadata = metadata_for(inputs)
    header, rows = summary.display_rows()
    listed = [(c.chart_id, c.title) for c in charts]
    verdict, entries = list(inputs.verdict), input_rows(inputs.resolved)
    strip = VerdictStrip()
    strip.set_rows(inputs.headline)
    strip.resize(STRIP_WIDTH, max(strip.heightForWidth(STRIP_WIDTH), 1))
    strip_image = strip.grab().toImage()
    served = [(s.name, deployment_summary(s)) for s in inputs.result.scenarios if s.deployment is not None]
    brief = Brief(inputs.headline, _strip_svg(strip) if inputs.headline else "", inputs.resolved.description, served)
    strip.deleteLater()
    everyday = scenario_equivalents(inputs.figures)
    svgs, images = {}, {}
    for chart in charts:
        with home_view(chart), vector_marks(chart):
            svgs[chart.chart_id] = _inline_svg(chart)
            images[chart.chart_id] = chart_image(chart, 2.0)
    page = report_html(metadata, brief, verdict, header, rows, listed, svgs.__getitem__, entries, everyday)
    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    try:
        write_text_atomic(html_path, page)
        printed = replace(brief, verdict_chart='<p><img src="headline.png" width="640"></p>' if brief.headline else "")
        _write_pdf(report_html(metadata, printed, verdict, header, rows, listed,
                               lambda chart_id: f'<img src="{chart_id}.png" width="640">', entries, everyday),
                   {**images, "headline": strip_image}, pdf_path, metadata.comparison)
    except OSError as error:
        raise ExportError(f"{error.filename or out_dir}: {error.strerror}") from None
    return [html_path, pdf_path]


PDF_POINTS = 8
"""Body text of the printed report: an A4 page holds a table of inputs with its sources at this size."""


def _write_pdf(page: str, images: dict, path: Path, title: str) -> None:
    """Print the report's rich text (charts as images) to an A4 PDF."""
    document = QTextDocument()
    document.setDefaultFont(QFont("sans-serif", PDF_POINTS))
    for chart_id, image in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"{chart_id}.png"), image)
    document.setHtml(page)
    with atomic_target(path) as temporary:
        writer = QPdfWriter(str(temporary))
        writer.setTitle(title)
        writer.setCreator("Jevons")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15)))
        document.print_(writer)
