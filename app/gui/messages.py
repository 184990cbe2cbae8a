"""The window's dialogs that say something went wrong, or ask before unsaved changes are lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.quoting import clipped

if TYPE_CHECKING:
    from app.domain.errors import PresetFileError

SHOWN_LINES = 12
"""Lines of problems in the dialog itself; the rest are under Show Details."""


def warning(parent: QWidget, title: str, text: str, details: str = "") -> QMessageBox:
    """A non-blocking, window-modal warning; its text is plain (it quotes file names, fields and names)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def file_problems(error: PresetFileError) -> tuple[str, str]:
    """(text, details) of a file's problems, grouped by file: which field, what is wrong."""
    from app.domain.errors import Problem

    problems = error.problems or [Problem("", "", str(error))]
    lines: list[str] = []
    for file in dict.fromkeys(p.file for p in problems):
        if file:  # an untitled document's problems have none to name
            lines.append(clipped(file))
        lines += [f"    {clipped(p.where)}: {clipped(p.message)}" if p.field else f"    {clipped(p.message)}"
                  for p in problems if p.file == file]
    shown = lines[:SHOWN_LINES]
    if len(lines) > SHOWN_LINES:
        shown.append(f"… and {len(lines) - SHOWN_LINES} more lines (Show Details)")
    count = len(problems)
    text = f"{count} problem{'s' if count != 1 else ''}:\n" + "\n".join(shown)
    return text, "\n".join(str(p) for p in problems)


def refused(where: str, error: Exception) -> tuple[str, str]:
    """(text, details) for a file that cannot be opened: its problems, clipped, in full below."""
    from app.domain.errors import PresetFileError

    if isinstance(error, PresetFileError):
        return file_problems(error)
    return f"{clipped(where)}:\n    {clipped(str(error))}", f"{where}: {error}"


def ask_save_changes(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for the unsaved changes to the comparison ``name``."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", f"Save the changes to {name!r} before closing?",
                      buttons.Save | buttons.Discard | buttons.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(buttons.Save)
    return QMessageBox.StandardButton(box.exec())


def confirm_replace(parent: QWidget, title: str, text: str) -> bool:
    """Yes to replace what is there, Cancel (the default) to keep it."""
    buttons = QMessageBox.StandardButton
    return QMessageBox.question(parent, title, text, buttons.Yes | buttons.Cancel, buttons.Cancel) == buttons.Yes
