"""Notes beside the editors: plain text, wrapped, in the amber the editors use for settings that do not apply."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

NOTE_STYLE = "QLabel { color: #8a5a00; padding: 2px; }"


def note_label(name: str, text: str = "") -> QLabel:
    """A hidden note called ``name`` (its object name, for tests and accessibility) holding ``text``."""
    note = QLabel(text)
    note.setObjectName(name)
    note.setWordWrap(True)
    note.setTextFormat(Qt.TextFormat.PlainText)  # names in notes are data, not markup
    note.setStyleSheet(NOTE_STYLE)
    note.setVisible(False)
    return note
