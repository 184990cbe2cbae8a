"""The File menu's actions: New, Open, Open Recent, a dropped file, Save, Save As, a preset saved on its own.

Reading and writing go through the session controller; this adds the file
dialogs, the recent-files list, and the question before unsaved changes are
replaced. A file that cannot be read or written is reported in a dialog and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStatusBar

from app.domain.quoting import clipped
from app.gui import messages
from app.gui.settings import RecentFiles
from app.gui.slot_guard import guarded
from app.session.examples import shipped_examples

if TYPE_CHECKING:
    from app.domain.errors import PresetFileError
    from app.domain.scenario import Comparison
    from app.gui.edit_binding import EditBinding
    from app.session.controller import Session
    from app.session.document import Document

FILE_FILTER = "Jevons files (*.json);;All files (*)"


class DocumentWindow(Protocol):
    """What the File actions use of the window (a QWidget, the parent of their dialogs): its session and
    document, its typing and edits, and its messages. Nothing of its charts, engine or menus."""

    settings: QSettings
    session: Session | None
    edits: EditBinding

    @property
    def document(self) -> Document | None: ...
    @property
    def comparison(self) -> Comparison: ...
    def set_document(self, document: Document) -> None: ...
    def document_changed(self) -> None: ...
    def commit_typing(self) -> None: ...
    def when_ready(self, callback: Callable[[], None]) -> None: ...
    def show_message(self, title: str, text: str, details: str = "") -> QMessageBox: ...
    def show_file_error(self, title: str, error: PresetFileError) -> QMessageBox: ...
    def statusBar(self) -> QStatusBar: ...  # Qt's name


class FileActions(QObject):
    """Opens and saves the window's comparison (``window.session``)."""

    def __init__(self, window: DocumentWindow):
        super().__init__(window)
        self.window = window
        self.recent = RecentFiles(window.settings)

    def new(self) -> None:
        """A new, untitled copy of the DeepSeek question, once unsaved changes are dealt with."""
        if self.maybe_discard():
            self.open_default()

    def new_from_example(self, example_id: str) -> None:
        """A new, untitled copy of a shipped comparison, once unsaved changes are dealt with."""
        if self.maybe_discard():
            self.open_example(example_id)

    def open_default(self) -> bool:
        """Open the shipped default comparison, untitled so Save never overwrites it."""
        from app.session.controller import DEFAULT_COMPARISON

        return self.open_example(DEFAULT_COMPARISON)

    def open_example(self, example_id: str) -> bool:
        """Open a shipped comparison, untitled; False (after saying why) when it cannot be read."""
        from app.domain.errors import PresetFileError
        from app.session.edits import EditError

        try:
            self.window.set_document(self.window.session.example_document(example_id))
        except (PresetFileError, EditError) as error:  # the window stays as it was
            self.window.show_message("The shipped comparison could not be opened", *messages.refused(example_id, error))
            return False
        return True

    def fill_examples_menu(self, menu: QMenu) -> None:
        """One entry per shipped comparison, by its name, with its description as the tip."""
        menu.clear()
        for example in shipped_examples():
            action = menu.addAction(example.name)
            action.setStatusTip(example.description)
            action.setToolTip(example.description)
            run = guarded(self.window, f"Opening {example.name}", lambda ident=example.ident: self.new_from_example(ident))
            action.triggered.connect(lambda _checked=False, run=run: run())

    def open_at_start(self, path: str | Path | None) -> None:
        """What a start opens: the comparison in ``path``, else the default (a bad file is reported,
        a single preset is applied to the default once the editors are built)."""
        opened = self.open_file(path) if path else False
        if not opened and self.window.document is None:
            self.open_default()

    def open_file(self, path: str | Path, confirm: bool = False) -> bool:
        """Open a comparison file, or use a single preset file in the selected scenario.

        With ``confirm``, unsaved changes are offered for saving before a
        comparison replaces them (a single preset only adds an undoable edit).
        """
        from app.domain.errors import PresetFileError
        from app.domain.scenario import Comparison
        from app.session.document import Document
        from app.session.edits import EditError

        path = Path(path)
        try:
            preset = self.window.session.load(path)
        except PresetFileError as error:
            self.window.show_file_error(f"Cannot open {path.name}", error)
            return False
        except Exception as error:  # a file must never end in a traceback
            self.window.show_message(f"Cannot open {path.name}", f"{path}: {type(error).__name__}: {error}")
            return False
        if isinstance(preset, Comparison):
            if confirm and not self.maybe_discard():
                return False
            try:
                self.window.set_document(Document(preset, path))
            except (PresetFileError, EditError) as error:  # the window stays as it was
                self.window.show_message(f"Cannot open {clipped(path.name)}", *messages.refused(str(path), error))
                return False
            self.recent.add(path)
            return True
        if self.window.document is None and not self.open_default():
            return False  # nothing to put the preset in (the reason is already shown)
        part = preset.kind
        label = f"Use {part} preset {path.name}"
        self.window.when_ready(lambda: self.window.edits.run(lambda: self.window.session.use_preset(part, preset, label)))
        self.recent.add(path)
        return True

    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open comparison or preset", self.last_folder(), FILE_FILTER)
        if path:
            self.open_file(path, confirm=True)

    def open_recent(self, path: Path) -> None:
        if not self.open_file(path, confirm=True) and not path.exists():
            self.recent.remove(path)  # gone since it was last opened

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        paths = self.recent.paths()
        for path in paths:
            item = menu.addAction(str(path))
            run = guarded(self.window, f"Opening {clipped(path.name)}", lambda p=path: self.open_recent(p))
            item.triggered.connect(lambda _=False, run=run: run())
        if not paths:
            menu.addAction("(none)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear list", self.recent.clear)

    def maybe_discard(self) -> bool:
        """True when it is fine to replace or close the current document."""
        self.window.commit_typing()
        document = self.window.document
        if document is None or not document.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        return messages.ask_save_changes(self.window, self.window.comparison.name)

    def save(self) -> bool:
        self.window.commit_typing()
        document = self.window.document
        if document is None:
            return False
        if document.path is None:
            return self.choose_and_save_as()
        return self.save_as(document.path)

    def choose_and_save_as(self) -> bool:
        self.window.commit_typing()
        if self.window.document is None:
            return False
        suggested = str(Path(self.last_folder()) / f"{self.window.comparison.name}.json")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save comparison", suggested, FILE_FILTER)
        return self.save_as(path) if path else False

    def save_as(self, path: str | Path) -> bool:
        try:
            path = self.window.session.save(path)
        except OSError as error:
            self.window.show_message("Cannot save", f"{path}: {error.strerror or error}")
            return False
        self.recent.add(path)
        self.window.document_changed()
        self.window.edits.show_scenario(force=False)  # what was edited is now the comparison's own
        return True

    def choose_and_save_preset(self, part: str) -> None:
        preset = self.window.session.part(part)
        suggested = str(Path(self.last_folder()) / f"{preset.name}.json")
        path, _ = QFileDialog.getSaveFileName(self.window, f"Save {preset.kind} preset", suggested, FILE_FILTER)
        if path:
            self.save_preset_as(part, path)

    def save_preset_as(self, part: str, path: str | Path) -> bool:
        """Save the selected scenario's ``part`` preset (as edited) as a preset file."""
        try:
            preset = self.window.session.save_part(part, path)
        except OSError as error:
            self.window.show_message("Cannot save the preset", f"{path}: {error.strerror or error}")
            return False
        self.window.statusBar().showMessage(f"Saved {preset.kind} preset {Path(path).name}", 5000)
        return True

    def drag_entered(self, event: QDragEnterEvent) -> None:
        """Local files may be dropped on the window."""
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropped(self, event: QDropEvent) -> None:
        """The first file dropped is opened, as by File > Open."""
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.open_file(urls[0].toLocalFile(), confirm=True)

    def last_folder(self) -> str:
        """Where file dialogs start: beside the open file, else the last one opened, else home."""
        document = self.window.document
        if document is not None and document.path is not None:
            return str(document.path.parent)
        recent = self.recent.paths()
        return str(recent[0].parent) if recent else str(Path.home())
