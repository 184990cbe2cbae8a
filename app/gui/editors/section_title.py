"""Titles of the editors' sections that name a scenario, kept to a width a small screen has room for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox

TITLE_WIDTH = 260
"""Pixels a section's title may take: a group box is at least as wide as its title, so a long scenario name
("DeepSeek-V3, re-spent and copied by new labs") widened the inputs panel past an 800-pixel window."""


def set_section_title(box: QGroupBox, text: str) -> None:
    """Title ``box`` with ``text``, cut with an ellipsis beyond :data:`TITLE_WIDTH` (the scenario list and the
    editor's heading give the whole name)."""
    box.setTitle(box.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, TITLE_WIDTH))
