"""One tab of the scenario editor: choose a shipped preset, edit it, save it as a file."""

from __future__ import annotations

from pydantic import BaseModel
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.library import PresetLibrary
from app.gui.editors.preset_form import PresetForm

EDITED = "__edited__"


class PresetEditor(QWidget):
    """A preset picker over a generated form for one scenario part (model, hardware ...)."""

    presetChosen = Signal(str, object)
    """(part, shipped preset id) picked from the list."""
    saveAsRequested = Signal(str)
    """(part): the user wants the edited preset saved as a preset file."""

    def __init__(self, part: str, kind: str, model: type[BaseModel], library: PresetLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.part = part
        self.kind = kind
        self.library = library
        self.picker = QComboBox()
        self.picker.setObjectName(f"{part}.picker")
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(14)
        self.picker.setToolTip(f"Shipped {kind} presets; choosing one fills the form")
        self.picker.currentIndexChanged.connect(self._on_picker_index_changed)
        self.save_button = QPushButton("Save as preset…")
        self.save_button.setToolTip(f"Save this {kind} preset as a preset file of its own")
        self.save_button.clicked.connect(lambda: self.saveAsRequested.emit(self.part))
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset"))
        top.addWidget(self.picker, 1)
        top.addWidget(self.save_button)
        self.form = PresetForm(model)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.ref: str | None = None
        self._fill_picker(None, None)

    def _fill_picker(self, ref: str | None, preset: BaseModel | None) -> None:
        with QSignalBlocker(self.picker):
            self.picker.clear()
            if ref is None and preset is not None:
                self.picker.addItem(f"✎ {preset.name} (edited)", EDITED)
            for preset_id in self.library.ids(self.kind):
                try:
                    name = self.library.get(self.kind, preset_id).name
                except Exception:  # noqa: BLE001 - a broken shipped file is still listed by id
                    name = preset_id
                self.picker.addItem(f"{name}  [{preset_id}]", preset_id)
            index = self.picker.findData(ref if ref is not None else EDITED)
            self.picker.setCurrentIndex(max(index, 0))

    def set_preset(self, ref: str | None, preset: BaseModel, force: bool = False) -> None:
        """Show ``preset``; ``ref`` is its shipped id, or None when it is embedded (edited)."""
        picker_key = (ref, None if ref is not None else preset.name)
        if force or picker_key != getattr(self, "_picker_key", None):
            self._picker_key = picker_key
            self._fill_picker(ref, preset)
        self.ref = ref
        self.form.set_preset(preset, force=force)

    def _on_picker_index_changed(self, index: int) -> None:
        preset_id = self.picker.itemData(index)
        if preset_id and preset_id != EDITED:
            self.presetChosen.emit(self.part, preset_id)
