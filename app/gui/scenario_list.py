"""The scenarios of the comparison: pick one to edit, add, duplicate, remove, rename, reorder."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from app.domain.limits import scenario_count_problem
from app.domain.scenario import Comparison
from app.render.summary_table import swatch
from app.report.palette import scenario_colors

BASELINE_MARK = "  ★"
"""Shown after the baseline scenario's name in the list."""


class _NameDelegate(QStyledItemDelegate):
    """Edits a scenario's name without the baseline's star, so renaming never stores it."""

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # Qt override
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data()).removesuffix(BASELINE_MARK))
        else:
            super().setEditorData(editor, index)


class ScenarioListView(QWidget):
    """A list of the scenarios with their colours; the baseline is starred.

    Double-click a name to rename it. Every action is reported by a signal and
    the list is redrawn from the next snapshot (``set_comparison``).
    """

    selectionChanged = Signal(int)
    addRequested = Signal()
    duplicateRequested = Signal(int)
    removeRequested = Signal(int)
    renameRequested = Signal(int, str)
    moveRequested = Signal(int, int)
    """(index, target index)."""
    baselineRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("scenarios")
        self.list.setItemDelegate(_NameDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(2)
        for column, (key, text, tip, handler) in enumerate(
            (
                ("add", "Add", "Add a scenario of shipped presets", lambda: self.addRequested.emit()),
                ("duplicate", "Duplicate", "Copy the selected scenario", lambda: self.duplicateRequested.emit(self.current)),
                ("remove", "Remove", "Remove the selected scenario", lambda: self.removeRequested.emit(self.current)),
                ("up", "▲", "Move up", lambda: self.moveRequested.emit(self.current, self.current - 1)),
                ("down", "▼", "Move down", lambda: self.moveRequested.emit(self.current, self.current + 1)),
                ("baseline", "★ Baseline", "Compare the others against this scenario", lambda: self.baselineRequested.emit(self.current)),
            )
        ):
            button = QPushButton(text)
            button.setObjectName(f"scenario.{key}")
            button.setToolTip(tip)
            button.clicked.connect(handler)
            self.buttons[key] = button
            grid.addWidget(button, column // 3, column % 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(grid)
        self.actions_ = self._build_actions()
        self._names: list[str] = []
        self._key: tuple | None = None

    def _build_actions(self) -> dict[str, QAction]:
        """Keyboard and menu twins of the buttons: Ctrl+Shift+N add, Ctrl+D duplicate, Delete remove, F2 rename."""
        specs = (
            ("add", "&Add Scenario", "Ctrl+Shift+N", Qt.ShortcutContext.WindowShortcut),
            ("duplicate", "&Duplicate Scenario", "Ctrl+D", Qt.ShortcutContext.WindowShortcut),
            # Delete only while the list has the focus: in a text field it deletes text.
            ("remove", "&Remove Scenario", "Delete", Qt.ShortcutContext.WidgetWithChildrenShortcut),
            ("baseline", "Make &Baseline", None, Qt.ShortcutContext.WindowShortcut),
        )
        actions: dict[str, QAction] = {}
        for key, text, keys, context in specs:
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(context)
            action.setStatusTip(self.buttons[key].toolTip())
            action.triggered.connect(self.buttons[key].click)
            (self.list if key == "remove" else self).addAction(action)
            actions[key] = action
        rename = QAction("Re&name Scenario", self)
        rename.setShortcut(QKeySequence("F2"))
        rename.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        rename.setStatusTip("Rename the selected scenario (or double-click its name)")
        rename.triggered.connect(lambda: self.list.editItem(self.list.item(self.current)))
        self.list.addAction(rename)
        actions["rename"] = rename
        return actions

    @property
    def current(self) -> int:
        return max(self.list.currentRow(), 0)

    def set_comparison(self, comparison: Comparison, selected: int, force: bool = False) -> None:
        """Redraw the list from a snapshot, selecting row ``selected`` (skipped if nothing shown changed)."""
        colors = scenario_colors([s.color for s in comparison.scenarios])
        baseline = comparison.baseline_index
        key = ([s.name for s in comparison.scenarios], colors, baseline, selected)
        if key == self._key and not force:
            return  # an edit inside a scenario: nothing to redraw here
        self._key = key
        self._names = [s.name for s in comparison.scenarios]
        with QSignalBlocker(self.list):
            self.list.clear()
            for index, (scenario, color) in enumerate(zip(comparison.scenarios, colors, strict=True)):
                item = QListWidgetItem(swatch(color, 14), scenario.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                if index == baseline:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip("Baseline: the other scenarios are compared against this one")
                    item.setData(Qt.ItemDataRole.UserRole, "baseline")
                self.list.addItem(item)
            self.list.setCurrentRow(min(selected, len(comparison.scenarios) - 1))
        count = len(comparison.scenarios)
        current = self.current
        room = not scenario_count_problem(count + 1)
        self.buttons["add"].setEnabled(room)
        self.buttons["duplicate"].setEnabled(room)
        self.buttons["remove"].setEnabled(not scenario_count_problem(count - 1))
        self.buttons["up"].setEnabled(current > 0)
        self.buttons["down"].setEnabled(current < count - 1)
        self.buttons["baseline"].setEnabled(current != baseline)
        for key in ("add", "duplicate", "remove", "baseline"):
            self.actions_[key].setEnabled(self.buttons[key].isEnabled())
        self._update_baseline_marks(baseline)

    def _update_baseline_marks(self, baseline: int) -> None:
        with QSignalBlocker(self.list):
            for index in range(self.list.count()):
                item = self.list.item(index)
                name = self._names[index]
                item.setText(f"{name}{BASELINE_MARK}" if index == baseline else name)

    def _on_list_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.selectionChanged.emit(row)

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        name = item.text().removesuffix(BASELINE_MARK).strip()
        if 0 <= row < len(self._names) and name != self._names[row]:
            self.renameRequested.emit(row, name)
