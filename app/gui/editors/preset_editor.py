"""One tab of the scenario editor: choose a shipped preset, edit it, save it as a file.

A tab's form and its list of presets are built when the tab is first shown (or
first used): a hidden tab costs nothing at start-up, and nothing while its
scenario changes. The preset it is to show waits until then.
"""

from __future__ import annotations

from pydantic import BaseModel
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QShowEvent
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
from app.session.part_origin import Origin

EDITED = "__edited__"
VERSION_LABELS = {"comparison": "{name} (comparison's)", "edited": "✎ {name} (edited)"}
"""How the picker names a version of a preset (``app.session.part_origin``): the comparison's own, or the
user's, which alone carries the pencil of an edit."""


class PresetEditor(QWidget):
    """A preset picker over a generated form for one scenario part (model, hardware ...)."""

    presetChosen = Signal(str, object)
    """(part, shipped preset id) picked from the list."""
    saveAsRequested = Signal(str)
    """(part): the user wants the edited preset saved as a preset file."""
    fieldEdited = Signal(object, object)
    sectionToggled = Signal(object, bool)
    variantChosen = Signal(object, str)
    """The form's own signals (``PresetForm``), passed on whether or not it is built yet."""
    formBuilt = Signal(object)
    """The form (``PresetForm``) has just been built."""

    def __init__(self, part: str, kind: str, model: type[BaseModel], library: PresetLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.part = part
        self.kind = kind
        self.library = library
        self._picker = QComboBox()
        self._picker.setObjectName(f"{part}.picker")
        self._picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._picker.setMinimumContentsLength(14)
        self._picker.setToolTip(f"Shipped {kind} presets; choosing one fills the form")
        self._picker.currentIndexChanged.connect(self._on_picker_index_changed)
        self.save_button = QPushButton("Save as preset…")
        self.save_button.setToolTip(f"Save this {kind} preset as a preset file of its own")
        self.save_button.clicked.connect(lambda: self.saveAsRequested.emit(self.part))
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset"))
        top.addWidget(self._picker, 1)
        top.addWidget(self.save_button)
        self.model = model
        self._form: PresetForm | None = None
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self._scroll, 1)
        self.ref: str | None = None
        self.origin: Origin = "shipped"
        self._note = ""
        self._picker_key: tuple | None = None
        self._waiting: tuple[str | None, BaseModel, bool] | None = None
        """(ref, preset, force) to show once the form is built."""

    @property
    def form(self) -> PresetForm:
        """The generated form, built (and filled with the preset waiting for it) on first use."""
        if self._form is None:
            self._form = PresetForm(self.model)
            self._form.fieldEdited.connect(self.fieldEdited)
            self._form.sectionToggled.connect(self.sectionToggled)
            self._form.variantChosen.connect(self.variantChosen)
            self._scroll.setWidget(self._form)
            self.formBuilt.emit(self._form)
            waiting, self._waiting = self._waiting, None
            if waiting is None:
                self._fill_picker(None, None)
            else:
                self._show(*waiting)
        return self._form

    @property
    def built(self) -> bool:
        return self._form is not None

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        self.form  # noqa: B018 - built as it comes into view
        super().showEvent(event)

    def _fill_picker(self, ref: str | None, preset: BaseModel | None) -> None:
        with QSignalBlocker(self._picker):
            self._picker.clear()
            if ref is None and preset is not None:
                label = VERSION_LABELS.get(self.origin, VERSION_LABELS["edited"])
                self._picker.addItem(label.format(name=preset.name), EDITED)
                self._picker.setItemData(0, self._note, Qt.ItemDataRole.ToolTipRole)
            for preset_id in self.library.ids(self.kind):
                try:
                    name = self.library.get(self.kind, preset_id).name
                except Exception:  # a broken shipped file is still listed by id
                    name = preset_id
                self._picker.addItem(f"{name}  [{preset_id}]", preset_id)
            index = self._picker.findData(ref if ref is not None else EDITED)
            self._picker.setCurrentIndex(max(index, 0))

    def set_preset(self, ref: str | None, preset: BaseModel, force: bool = False, origin: Origin = "edited",
                   note: str = "") -> None:
        """Show ``preset``; ``ref`` is its shipped id, or None for a version of a preset, whose ``origin``
        says whether it is the comparison's own or edited (``app.session.part_origin``) and ``note`` how."""
        self.ref = ref
        self.origin, self._note = ("shipped", "") if ref is not None else (origin, note)
        if self._form is None:  # shown once the tab is first shown
            self._waiting = (ref, preset, force or (self._waiting is not None and self._waiting[2]))
            return
        self._show(ref, preset, force)

    def _show(self, ref: str | None, preset: BaseModel, force: bool) -> None:
        picker_key = (ref, None if ref is not None else preset.name, self.origin, self._note)
        if force or picker_key != self._picker_key:
            self._picker_key = picker_key
            self._fill_picker(ref, preset)
        self.form.set_preset(preset, force=force)

    def _on_picker_index_changed(self, index: int) -> None:
        preset_id = self._picker.itemData(index)
        if preset_id and preset_id != EDITED:
            self.presetChosen.emit(self.part, preset_id)
