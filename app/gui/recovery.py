"""The window's side of crash recovery: autosave after edits, offer to restore after a crash.

The file handling is Qt-free (:mod:`app.session.autosave`); this adds the
timer that waits for a pause in editing, and the question at start-up.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.settings import settings_path
from app.session.autosave import DELAY_MS, Autosave, Orphan, describe, orphans

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from app.domain.errors import PresetFileError
    from app.session.document import Document


class RecoveringWindow(Protocol):
    """What recovery uses of the window (a QObject, its parent): its document, where a restored one goes,
    the restore question and its messages. Nothing of its charts, engine or menus."""

    @property
    def document(self) -> Document | None: ...
    def set_document(self, document: Document) -> None: ...
    def ask_restore(self, name: str, orphan: Orphan) -> QMessageBox.StandardButton: ...
    def show_file_error(self, title: str, error: PresetFileError) -> QMessageBox: ...
    def statusBar(self) -> QStatusBar: ...  # Qt's name


class Recovery(QObject):
    """Keeps the window's unsaved comparison in the settings folder until it is saved or discarded."""

    def __init__(self, window: RecoveringWindow, folder: Path | None = None):
        super().__init__(window)
        self.window = window
        self.folder = folder if folder is not None else settings_path().parent
        self.autosave = Autosave(self.folder)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.save_now)

    def document_changed(self, document: Document | None) -> None:
        """After every change: autosave after a pause while unsaved, else drop the autosave."""
        if document is not None and document.dirty:
            self.timer.start()
        else:
            self.discard()

    def save_now(self) -> None:
        self.timer.stop()
        document = self.window.document
        if document is None or not document.dirty:
            return
        try:
            self.autosave.write(document.comparison, document.path)
        except OSError as error:
            self.window.statusBar().showMessage(
                f"Could not autosave to {self.autosave.path}: {error.strerror or error}", 8000
            )

    def discard(self) -> None:
        """Nothing unsaved is left (saved, discarded, or a clean exit)."""
        self.timer.stop()
        with contextlib.suppress(OSError):  # a read-only settings folder: nothing was written there either
            self.autosave.discard()

    def offer_restore(self) -> bool:
        """After a crash: offer the newest autosave left behind; True when it was restored."""
        from app.domain.errors import PresetFileError
        from app.domain.files import load_preset
        from app.domain.scenario import Comparison
        from app.session.document import Document

        found = orphans(self.folder)
        if not found:
            return False
        orphan = found[0]
        try:
            comparison = load_preset(orphan.path)
            if not isinstance(comparison, Comparison):
                raise PresetFileError([])
        except PresetFileError as error:
            if error.problems:
                self.window.show_file_error("The autosaved comparison cannot be restored", error)
            orphan.discard()
            return False
        if self.window.ask_restore(comparison.name, orphan) != QMessageBox.StandardButton.Yes:
            orphan.discard()
            return False
        self.window.set_document(Document(comparison, orphan.origin, saved=False))
        self.save_now()  # ours now: a second crash loses nothing either
        orphan.discard()
        return True


def ask_restore(parent: QWidget, name: str, orphan: Orphan) -> QMessageBox.StandardButton:
    """Yes to restore the autosaved comparison, No to discard it."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore unsaved changes?",
        f"Jevons did not close properly last time. Restore the unsaved comparison {name!r} "
        f"({describe(orphan)})?\n\nNo discards it.",
        buttons.Yes | buttons.No,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(buttons.Yes)
    return QMessageBox.StandardButton(box.exec())
