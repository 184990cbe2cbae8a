"""Add a scenario: which model, on which chip, in which datacenter, and its name.

The new scenario answers the same questions as the selected one (its usage
profile), served automatically, so the comparison stays like for like; it
starts from the selected scenario's own presets, so a change of one of them
is all a user needs.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.domain.library import PresetLibrary
from app.session.edits import NewScenario

PARTS = (("model", "Model"), ("hardware", "Chip"), ("datacenter", "Datacenter"))


class AddScenarioDialog(QDialog):
    """Asks for the model, chip and datacenter of a new scenario; ``chosen`` carries them on OK."""

    chosen = Signal(object)
    """The :class:`NewScenario` to add."""

    def __init__(self, library: PresetLibrary, proposed: NewScenario, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("add-scenario")
        self.setWindowTitle("Add a scenario")
        self.library = library
        form = QFormLayout(self)
        note = QLabel("It answers the same questions as the selected scenario, served automatically at the "
                      "comparison's service level. Give it its list prices in the Market tab if the market "
                      "prices queries at list prices.")
        note.setWordWrap(True)
        form.addRow(note)
        self.combos: dict[str, QComboBox] = {}
        for part, label in PARTS:
            combo = QComboBox()
            combo.setObjectName(f"add-scenario.{part}")
            for ident in library.ids(part):
                combo.addItem(f"{library.get(part, ident).name}  [{ident}]", ident)
            combo.setCurrentIndex(max(combo.findData(getattr(proposed, part)), 0))
            combo.currentIndexChanged.connect(self._on_combo_index_changed)
            form.addRow(label, combo)
            self.combos[part] = combo
        self.name = QLineEdit()
        self.name.setObjectName("add-scenario.name")
        form.addRow("Name", self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._on_combo_index_changed()

    def proposed_name(self) -> str:
        model = self.library.get("model", self.combos["model"].currentData()).name
        return f"{model} on {self.library.get('hardware', self.combos['hardware'].currentData()).name}"

    def _on_combo_index_changed(self, _index: int = 0) -> None:
        self.name.setPlaceholderText(self.proposed_name())

    def accept(self) -> None:
        self.chosen.emit(NewScenario(self.combos["model"].currentData(), self.combos["hardware"].currentData(),
                                     self.combos["datacenter"].currentData(), self.name.text().strip()))
        super().accept()
