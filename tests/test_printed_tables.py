"""The printed report keeps every table row on one page (Qt's pagination broke a row between two lines of a
cell: "Llama 3.1 405B (dense) on" at the foot of page 1, "H100" and the rest of how it is served on page 2)
and every heading on the page of the text under it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QTextBlock, QTextDocument, QTextFrame, QTextTable

from app.cli import main as cli_main
from app.render import report_bundle
from app.render.pagination import paginate


def tables(frame: QTextFrame) -> list[QTextTable]:
    found = [child for child in frame.childFrames() if isinstance(child, QTextTable)]
    return found + [table for child in frame.childFrames() for table in tables(child)]


def pages_of_row(document: QTextDocument, table: QTextTable, row: int) -> set[int]:
    """The pages on which a line of ``row``'s text is printed."""
    height, layout = document.pageSize().height(), document.documentLayout()
    pages = set()
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().position()
        while block.isValid() and block.position() <= end:
            top = layout.blockBoundingRect(block).top()
            for index in range(block.layout().lineCount()):
                line = block.layout().lineAt(index)
                pages |= {math.floor((top + line.y()) / height), math.floor((top + line.y() + line.height() - 1) / height)}
            block = block.next()
    return pages


def split_rows(document: QTextDocument) -> list[str]:
    """The first cell's text of every row printed on more than one page."""
    return [table.cellAt(row, 0).firstCursorPosition().block().text()
            for table in tables(document.rootFrame()) for row in range(table.rows())
            if len(pages_of_row(document, table, row)) > 1]


def cell_texts(document: QTextDocument) -> list[str]:
    return [table.cellAt(row, column).firstCursorPosition().block().text()
            for table in tables(document.rootFrame()) for row in range(table.rows()) for column in range(table.columns())]


def a_page_of_rows(lead_lines: int) -> QTextDocument:
    """A paragraph of ``lead_lines`` lines, then a table of ten rows of four lines each, on small pages."""
    document = QTextDocument()
    document.setPageSize(QSizeF(400, 300))
    rows = "".join(f'<tr><td>row {i}</td><td class="n" align="right">{"<br>".join(["word"] * 4)}</td></tr>'
                   for i in range(10))
    document.setHtml("<p>" + "<br>".join(["lead"] * lead_lines) + "</p>"
                     f"<h2>A table</h2><table border=1><thead><tr><th>Name</th><th>Lines</th></tr></thead>{rows}</table>")
    return document


def test_a_row_that_would_straddle_a_page_starts_the_next_with_the_header_repeated(qapp) -> None:
    document = a_page_of_rows(lead_lines=4)
    before = cell_texts(document)
    assert split_rows(document)  # Qt alone breaks rows between their lines
    paginate(document)
    assert split_rows(document) == []
    after = cell_texts(document)
    assert [t for t in after if t not in ("Name", "Lines")] == [t for t in before if t not in ("Name", "Lines")]
    parts = tables(document.rootFrame())
    assert len(parts) > 1 and all(t.cellAt(0, 0).firstCursorPosition().block().text() == "Name" for t in parts)
    assert all(t.cellAt(row, 1).firstCursorPosition().blockFormat().alignment() & Qt.AlignmentFlag.AlignRight
               for t in parts for row in range(1, t.rows()))  # the moved rows keep their formats


def test_a_table_whose_first_row_would_straddle_moves_whole_with_its_heading(qapp) -> None:
    document = a_page_of_rows(lead_lines=14)
    paginate(document)
    assert split_rows(document) == []
    heading = document.find("A table")
    first = tables(document.rootFrame())[0]
    height = document.pageSize().height()
    heading_page = math.floor(document.documentLayout().blockBoundingRect(heading.block()).top() / height)
    assert heading_page == min(pages_of_row(document, first, 1)) == 1


def page_of(document: QTextDocument, block: QTextBlock) -> int:
    return math.floor(document.documentLayout().blockBoundingRect(block).top() / document.pageSize().height())


def orphan_headings(document: QTextDocument) -> list[str]:
    """Headings printed on an earlier page than the first text under them."""
    found, block = [], document.begin()
    while block.isValid():
        following = block.next()
        while following.isValid() and not following.text().strip():
            following = following.next()
        if block.blockFormat().headingLevel() and following.isValid() and page_of(document, following) > page_of(document, block):
            found.append(block.text())
        block = block.next()
    return found


def test_a_heading_alone_at_the_foot_of_a_page_starts_the_next(qapp) -> None:
    def document(lead_lines: int) -> QTextDocument:
        printed = QTextDocument()
        printed.setPageSize(QSizeF(400, 300))
        printed.setHtml("<p>" + "<br>".join(["lead"] * lead_lines) + "</p><h2>Caveats</h2><p>" + "<br>".join(["text"] * 3) + "</p>")
        return printed

    alone = next(d for d in map(document, range(1, 40)) if orphan_headings(d))  # Qt leaves it there
    paginate(alone)
    assert orphan_headings(alone) == []
    assert page_of(alone, alone.find("Caveats").block()) == 1


@pytest.mark.parametrize("comparison", ["deepseek-question", "training-race"])
def test_a_printed_report_splits_no_table_row_and_strands_no_heading(
    tmp_path: Path, qapp, monkeypatch: pytest.MonkeyPatch, comparison: str
) -> None:
    """The training race's 'How each model is served' was left at the foot of page 1, its table on page 2."""
    printed: list[QTextDocument] = []
    real = report_bundle.printed_report
    monkeypatch.setattr(report_bundle, "printed_report", lambda *args: printed.append(real(*args)) or printed[-1])
    assert cli_main(["report", comparison, "--out", str(tmp_path), "--samples", "100"]) == 0
    document = printed[0]
    assert split_rows(document) == []
    assert orphan_headings(document) == []
    height = document.pageSize().height()
    for table in tables(document.rootFrame()):  # no edge over a page break either: Qt would print a lone header
        bottom = document.documentLayout().frameBoundingRect(table).bottom()
        assert math.floor(bottom / height) == max(pages_of_row(document, table, table.rows() - 1))
