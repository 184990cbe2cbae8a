"""Text that came from a file, shown or written so that it stays text.

A comparison file is shared like a document: its scenario names, descriptions
and sources are data, never markup for the window nor formulas for a
spreadsheet. No Qt here; the window calls these where text meets a widget
that interprets it (chart legends and titles are HTML, tooltips guess).
"""

from __future__ import annotations

import html

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell beginning with one of these as a formula (OWASP CSV injection)."""


def markup_escaped(text: str) -> str:
    """``text`` for a widget that renders HTML: ``<b>`` shows as ``<b>``, not bold."""
    return html.escape(text, quote=False)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written (Qt renders a tooltip that looks like HTML as HTML)."""
    if "<" not in text and "&" not in text:
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"


def spreadsheet_safe(cell: str) -> str:
    """A CSV text cell a spreadsheet shows as text: a leading ' before a would-be formula.

    Numbers (``-1.5``, ``+2e3``) are left alone: they start with a sign but run nothing.
    """
    if not cell.startswith(FORMULA_STARTS):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell
