"""Pagination of the printed report: table rows kept whole, headings kept with what follows them.

Qt's rich text honours ``page-break-before`` on paragraphs and tables but not
``page-break-inside: avoid`` nor keep-with-next: its pagination breaks a table
row between two lines of a cell (a scenario's name on one page, how it is
served on the next) and leaves a heading at the foot of a page whose text
starts the next. :func:`paginate` lays the document out and mends the first
such break, again until there is none: a row that straddles a page break
starts the next page, with the rows after it, in a new table that repeats the
header rows; a heading left alone at a page's foot starts the next page.
"""

from __future__ import annotations

import math
from functools import partial

from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument, QTextFormat, QTextFrame, QTextTable, QTextTableCell


def _tables(frame: QTextFrame) -> list[QTextTable]:
    found: list[QTextTable] = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            found.append(child)
        found += _tables(child)
    return found


def _row_extent(document: QTextDocument, table: QTextTable, row: int) -> tuple[float, float]:
    """Top and bottom of the text of ``row``'s cells, in document coordinates."""
    layout = document.documentLayout()
    tops, bottoms = [], []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return min(tops), max(bottoms)


_BREAK_BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore


def _heading(table: QTextTable) -> QTextBlock | None:
    """The heading right above ``table`` (past the empty paragraph Qt may keep before a table), if any."""
    block = table.document().findBlock(table.firstPosition() - 1)
    while block.isValid() and not block.text().strip() and block.blockFormat().headingLevel() == 0:
        block = block.previous()
    return block if block.isValid() and block.blockFormat().headingLevel() > 0 else None


def _starts_a_page(table: QTextTable) -> bool:
    heading = _heading(table)
    return bool(table.format().pageBreakPolicy() & _BREAK_BEFORE
                or heading is not None and heading.blockFormat().pageBreakPolicy() & _BREAK_BEFORE)


def straddling_row(document: QTextDocument, table: QTextTable) -> int | None:
    """The first body row of ``table`` whose text runs over a page break, unless it is the first row under the
    header of a table that starts a page: that row cannot fit on a page and is left to break. The last row
    reaches down to the table's bottom edge: a table whose edge crosses a page break, all its rows above it,
    has its header repeated over whatever starts the next page."""
    height = document.pageSize().height()
    header = table.format().headerRowCount()
    for row in range(header, table.rows()):
        top, bottom = _row_extent(document, table, row)
        if row == table.rows() - 1:
            bottom = max(bottom, document.documentLayout().frameBoundingRect(table).bottom())
        if math.floor(top / height) != math.floor((bottom - 1) / height):
            return None if row == header and _starts_a_page(table) else row
    return None


def _copy_cell(source: QTextTableCell, target: QTextTableCell) -> None:
    """``source``'s blocks, text runs and inline objects, with their formats, into the empty ``target``."""
    target.setFormat(source.format())
    cursor = target.firstCursorPosition()
    block, end = source.firstCursorPosition().block(), source.lastCursorPosition().block()
    first = True
    while block.isValid():
        if first:
            cursor.setBlockFormat(block.blockFormat())
            first = False
        else:
            cursor.insertBlock(block.blockFormat(), block.charFormat())
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            cursor.insertText(fragment.text(), fragment.charFormat())
            it += 1
        if block == end:
            break
        block = block.next()


def _move_to_next_page(table: QTextTable) -> None:
    """Start a new page with ``table``, or with the heading right above it so that the two stay together."""
    heading = _heading(table)
    if heading is not None:
        _break_before(heading)
    else:
        table_format = table.format()
        table_format.setPageBreakPolicy(_BREAK_BEFORE)
        table.setFormat(table_format)


def _split(table: QTextTable, row: int) -> None:
    """Move ``row`` and the rows after it into a new table that starts a new page, header rows repeated;
    the whole table (and its heading) when ``row`` is its first under the header."""
    header = table.format().headerRowCount()
    if row == header:
        _move_to_next_page(table)
        return
    moved = list(range(header)) + list(range(row, table.rows()))
    cursor = QTextCursor(table.document())
    cursor.setPosition(table.lastPosition() + 1)  # the paragraph Qt keeps after every table
    cursor.beginEditBlock()  # one layout after the whole move, not one per cell copied
    table_format = table.format()
    table_format.setPageBreakPolicy(_BREAK_BEFORE)
    new = cursor.insertTable(len(moved), table.columns(), table_format)
    for target_row, source_row in enumerate(moved):
        for column in range(table.columns()):
            _copy_cell(table.cellAt(source_row, column), new.cellAt(target_row, column))
    table.removeRows(row, table.rows() - row)
    cursor.endEditBlock()


def _orphan_heading(document: QTextDocument) -> QTextBlock | None:
    """The first heading printed on an earlier page than the text that follows it, unless it already starts a
    page (then what follows cannot fit beside it)."""
    height, layout = document.pageSize().height(), document.documentLayout()
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and not block.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
            following = block.next()
            while following.isValid() and not following.text().strip():
                following = following.next()
            top = layout.blockBoundingRect(block).top()
            if following.isValid() and layout.blockBoundingRect(following).top() // height > top // height:
                return block
        block = block.next()
    return None


def _break_before(block: QTextBlock) -> None:
    block_format = block.blockFormat()
    block_format.setPageBreakPolicy(_BREAK_BEFORE)
    QTextCursor(block).setBlockFormat(block_format)


def paginate(document: QTextDocument) -> None:
    """Lay ``document`` out in its pages and mend the first bad break (a row that fits on a page straddling a
    break, a heading alone at a page's foot), until there is none. Each mend is further down the document than
    the last (what comes before it keeps its layout, and what it moves starts a later page), so the loop ends."""
    if document.pageSize().height() <= 0:
        return
    while True:
        mends = [(table.cellAt(row, 0).firstPosition(), partial(_split, table, row))
                 for table in _tables(document.rootFrame()) if (row := straddling_row(document, table)) is not None]
        if (heading := _orphan_heading(document)) is not None:
            mends.append((heading.position(), partial(_break_before, heading)))
        if not mends:
            return
        min(mends, key=lambda mend: mend[0])[1]()
