"""The Qt adapter between the views that edit a comparison and the session controller.

The scenario list, the editors and the boundary box report what the user did;
each becomes an edit of :class:`app.session.controller.Session`. After an edit
``changed`` is emitted first (so the window asks the engine before anything
is redrawn), then the views are redrawn from the new snapshot, each skipping
what did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QDialog

from app.session.edits import EditError
from app.session.part_origin import market_origin

if TYPE_CHECKING:
    from app.gui.editors.scenario_editor import ScenarioEditor
    from app.gui.scenario_list import ScenarioListView
    from app.session.controller import Session


class EditBinding(QObject):
    """Turns the views' requests into session edits and redraws the views from the result."""

    changed = Signal()
    """The snapshot changed (an edit, undo, redo, another document): recompute, retitle."""
    selectionChanged = Signal()
    """Another scenario is being edited (the sensitivity shown follows it)."""
    refused = Signal(str)
    """An edit of the scenario list or the boundary was refused, and why."""

    def __init__(self, session: Session, scenario_list: ScenarioListView, editor: ScenarioEditor,
                 boundary: QComboBox, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.scenario_list = scenario_list
        self.editor = editor
        self.boundary = boundary
        self.add_dialog: QDialog | None = None
        """The last Add dialog (kept so it lives while open, and for tests)."""
        lst = scenario_list
        lst.selectionChanged.connect(self._on_scenario_list_selection_changed)
        lst.addRequested.connect(self._on_scenario_list_add_requested)
        lst.duplicateRequested.connect(lambda i: self.run(lambda: session.duplicate_scenario(i)))
        lst.removeRequested.connect(lambda i: self.run(lambda: session.remove_scenario(i)))
        lst.renameRequested.connect(lambda i, name: self.run(lambda: session.rename_scenario(i, name)))
        lst.moveRequested.connect(lambda i, j: self.run(lambda: session.move_scenario(i, j)))
        lst.baselineRequested.connect(lambda i: self.run(lambda: session.set_baseline(i)))
        editor.changesRequested.connect(self._on_editor_changes_requested)
        editor.presetChosen.connect(self._on_editor_preset_chosen)
        boundary.currentIndexChanged.connect(
            lambda _i: self.run(lambda: session.set_boundary(self.boundary.currentText()))
        )

    def _on_scenario_list_add_requested(self) -> None:
        """Ask which model, chip and datacenter (proposing the selected scenario's), then add it."""
        from app.gui.add_scenario_dialog import AddScenarioDialog

        if self.session.document is None:
            return
        dialog = AddScenarioDialog(self.session.library, self.session.new_scenario_like_selected(),
                                   self.scenario_list.window())
        dialog.chosen.connect(lambda new: self.run(lambda: self.session.add_scenario(new)))
        self.add_dialog = dialog
        dialog.open()

    def run(self, edit: Callable[[], bool]) -> bool:
        """Run a session edit and redraw what it changed; False when it was refused (``refused`` says why)."""
        if self.session.document is None:
            return False
        try:
            changed = edit()
        except EditError as error:
            self.refused.emit(error.message)
            self.refresh(force=True)
            return False
        if changed:
            self.refresh(force=False)
        else:  # nothing changed, but the list may show a rename or a move the edit undid
            self.scenario_list.set_comparison(self.session.comparison, self.session.selected, force=True)
        return True

    def refresh(self, force: bool) -> None:
        """After the snapshot changed: ``changed``, then the views redrawn."""
        self.changed.emit()
        self.redraw(force)

    def redraw(self, force: bool) -> None:
        """The list, the editors and the boundary drawn from the current snapshot."""
        comparison = self.session.comparison
        self.scenario_list.set_comparison(comparison, self.session.selected, force=force)
        self.show_scenario(force=force)
        with QSignalBlocker(self.boundary):
            self.boundary.setCurrentText(comparison.boundary)

    def show_scenario(self, force: bool) -> None:
        """The selected scenario's presets, and the market it shares with the others."""
        comparison, selected = self.session.comparison, self.session.selected
        saved = self.session.document.saved_comparison if self.session.document is not None else None
        self.editor.set_scenario(comparison.scenarios[selected], force=force, index=selected, saved=saved)
        self.editor.set_market(comparison.market, self.session.part("market"), force=force,
                               origin=market_origin(comparison, saved))

    def undo(self) -> None:
        if self.session.undo():
            self.refresh(force=True)

    def redo(self) -> None:
        if self.session.redo():
            self.refresh(force=True)

    def _on_editor_changes_requested(self, changes, label: str, origin: tuple[str, tuple[str, ...]]) -> None:
        try:
            changed = self.session.change_fields(changes, label)
        except EditError as error:
            self.editor.refuse(*origin, error.message)
            return
        self.editor.clear_error(*origin)
        if changed:
            self.refresh(force=False)

    def _on_editor_preset_chosen(self, part: str, preset_id: str | None) -> None:
        self.run(lambda: self.session.use_preset(part, preset_id))
        self.show_scenario(force=True)

    def _on_scenario_list_selection_changed(self, row: int) -> None:
        if not self.session.select(row):
            return
        self.scenario_list.set_comparison(self.session.comparison, row)
        self.show_scenario(force=True)
        self.selectionChanged.emit()
