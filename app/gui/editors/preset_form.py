"""A form for one preset class, generated from its pydantic fields.

Quantities get a :class:`QuantityField`, literals a combo box, booleans a check
box, nested models a group (checkable when optional: unchecking sets the
section to None, checking it reveals the fields), and a discriminated union
(the demand curve) a combo box choosing which variant's fields show.
Every widget reports an edit as ``(path, JSON value)``; the form never builds
or validates presets itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.editors.quantity_field import ERROR_STYLE, QuantityField
from app.session.form_spec import FieldSpec, field_specs

Path_ = tuple[str, ...]


NOT_SET = "not set"
"""An optional choice left unset (its field's description says what applies then, e.g. the model's precision)."""


class SectionGroup(QGroupBox):
    """A nested model's fields; checkable when the model is optional."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec.label, parent)
        self.spec = spec
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(4, 2, 4, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.addWidget(self.body)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #d62728;")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        outer.addWidget(self.error_label)
        self.setCheckable(spec.optional)
        if spec.description:
            self.setToolTip(spec.description)

    def set_present(self, present: bool) -> None:
        with QSignalBlocker(self):
            self.setChecked(present or not self.isCheckable())
        self.body.setVisible(present)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


class PresetForm(QWidget):
    """Editors for every field of ``model`` (or of those named in ``fields``); emits what the user changed."""

    fieldEdited = Signal(object, object)
    """(path, JSON value) of a field the user changed."""
    sectionToggled = Signal(object, bool)
    """(path, on) of an optional section switched on or off."""
    variantChosen = Signal(object, str)
    """(path, tag) of a union field switched to another variant."""

    def __init__(self, model: type[BaseModel], parent: QWidget | None = None, fields: Sequence[str] | None = None):
        super().__init__(parent)
        self.model = model
        self.quantities: dict[Path_, QuantityField] = {}
        self.texts: dict[Path_, QLineEdit] = {}
        self.choices: dict[Path_, QComboBox] = {}
        self.checks: dict[Path_, QCheckBox] = {}
        self.groups: dict[Path_, SectionGroup] = {}
        self.variants: dict[Path_, tuple[QComboBox, QStackedWidget, dict[str, QFormLayout]]] = {}
        self._pages: dict[Path_, dict[str, _PageFields]] = {}
        """Per union field and variant, the editors on that variant's page. Variants share paths
        (a logistic and a users curve both have ``demand.midpoint_month``), so the registries
        above hold the editors of the variant on show (:meth:`_show_variant`)."""
        self._labels: dict[Path_, QLabel] = {}
        self._text_errors: set[Path_] = set()
        layout = QFormLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self._build(model, (), layout, fields)

    # ------------------------------------------------------------ building

    def _build(self, model: type[BaseModel], prefix: Path_, layout: QFormLayout,
               fields: Sequence[str] | None = None) -> None:
        # In a narrow panel a label goes above its field rather than squeezing it.
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in field_specs(model, fields):
            path = (*prefix, spec.name)
            if spec.kind == "quantity":
                widget = QuantityField(spec)
                widget.edited.connect(lambda value, p=path: self.fieldEdited.emit(p, value))
                self.quantities[path] = widget
                self._add_row(layout, path, spec, widget)
            elif spec.kind == "text":
                edit = QLineEdit()
                edit.editingFinished.connect(lambda p=path, e=edit: self._on_text_finished(p, e))
                self.texts[path] = edit
                self._add_row(layout, path, spec, edit)
            elif spec.kind == "choice":
                combo = QComboBox()
                if spec.optional:  # unset means a default the description names ("the model's when absent")
                    combo.addItem(NOT_SET, None)
                for choice in spec.choices:
                    combo.addItem(choice.replace("_", " "), choice)  # "prefill and decode", the file's prefill_and_decode
                combo.currentIndexChanged.connect(lambda _i, p=path, c=combo: self.fieldEdited.emit(p, c.currentData()))
                self.choices[path] = combo
                self._add_row(layout, path, spec, combo)
            elif spec.kind == "bool":
                check = QCheckBox(spec.label)
                check.setToolTip(spec.description)
                check.toggled.connect(lambda on, p=path: self.fieldEdited.emit(p, bool(on)))
                self.checks[path] = check
                layout.addRow(check)
            elif spec.kind == "group":
                group = SectionGroup(spec)
                group.toggled.connect(lambda on, p=path: self.sectionToggled.emit(p, bool(on)))
                self.groups[path] = group
                self._build(spec.model, path, group.form)
                layout.addRow(group)
            elif spec.kind == "variants":
                group = SectionGroup(spec)
                self.groups[path] = group
                combo = QComboBox()
                stack = QStackedWidget()
                forms: dict[str, QFormLayout] = {}
                pages: dict[str, _PageFields] = {}
                for tag, variant in spec.variants.items():
                    combo.addItem(tag)
                    page = QWidget()
                    form = QFormLayout(page)
                    form.setContentsMargins(0, 0, 0, 0)
                    before = self._registered()
                    self._build(variant, path, form)
                    pages[tag] = _PageFields.added(before, self._registered())
                    stack.addWidget(page)
                    forms[tag] = form
                self._pages[path] = pages
                combo.currentIndexChanged.connect(lambda _i, p=path, c=combo: self.variantChosen.emit(p, c.currentText()))
                group.form.addRow("Curve", combo)
                group.form.addRow(stack)
                self.variants[path] = (combo, stack, forms)
                self._show_variant(path, combo.itemText(0))
                layout.addRow(group)

    def _registered(self) -> _PageFields:
        return _PageFields(dict(self.quantities), dict(self.texts), dict(self.choices), dict(self.checks))

    def _show_variant(self, path: Path_, tag: str) -> None:
        """Point the registries at the editors of variant ``tag`` of the union field at ``path``."""
        page = self._pages[path].get(tag)
        if page is not None:
            self.quantities.update(page.quantities)
            self.texts.update(page.texts)
            self.choices.update(page.choices)
            self.checks.update(page.checks)

    def _add_row(self, layout: QFormLayout, path: Path_, spec: FieldSpec, widget: QWidget) -> None:
        label = QLabel(spec.label)
        label.setToolTip(widget.toolTip() or spec.description)
        self._labels[path] = label
        layout.addRow(label, widget)

    def _on_text_finished(self, path: Path_, edit: QLineEdit) -> None:
        if edit.isModified() or path in self._text_errors:
            edit.setModified(False)
            self._text_errors.discard(path)
            self.fieldEdited.emit(path, edit.text())

    def commit_pending(self) -> None:
        """Commit every field still holding typed text that was not yet committed."""
        for field in self.quantities.values():
            field.commit_pending()
        for path, edit in self.texts.items():
            if edit.isModified():
                self._on_text_finished(path, edit)

    # ------------------------------------------------------------ model -> view

    def set_preset(self, preset: BaseModel, force: bool = False) -> None:
        """Show ``preset``'s values; fields holding rejected text keep it unless ``force``."""
        for path, group in self.groups.items():
            present = _get(preset, path) is not None
            group.set_present(present)
            group.show_error("")
        for path, (combo, stack, _forms) in self.variants.items():
            value = _get(preset, path)
            if value is not None:
                tag = next(iter(type(value).model_fields))
                with QSignalBlocker(combo):
                    combo.setCurrentText(str(getattr(value, tag)))
                stack.setCurrentIndex(combo.currentIndex())
                self._show_variant(path, combo.currentText())
        for path, field in self.quantities.items():
            if self._owner_present(preset, path):
                field.set_quantity(_get(preset, path), force=force)
        for path, edit in self.texts.items():
            if path in self._text_errors and not force:
                continue
            self._text_errors.discard(path)
            edit.setStyleSheet("")
            edit.setToolTip("")
            text = str(_get(preset, path) or "")
            with QSignalBlocker(edit):
                if edit.text() != text:
                    edit.setText(text)
                    edit.setCursorPosition(0)  # a long name reads from its start, not its last words
                edit.setModified(False)
        for path, combo in self.choices.items():
            if self._owner_present(preset, path):
                value = _get(preset, path)
                with QSignalBlocker(combo):  # an unset optional choice is the first entry, "not set"
                    combo.setCurrentIndex(0 if value is None else max(combo.findData(value), 0))
        for path, check in self.checks.items():
            if self._owner_present(preset, path):
                with QSignalBlocker(check):
                    check.setChecked(bool(_get(preset, path)))

    def _owner_present(self, preset: BaseModel, path: Path_) -> bool:
        """False when a parent section is switched off, or belongs to another union variant."""
        node: Any = preset
        for key in path[:-1]:
            node = getattr(node, key, None)
            if node is None:
                return False
        return path[-1] in type(node).model_fields

    def show_error(self, path: Path_, message: str) -> None:
        """Flag ``path`` (or the nearest section holding it) with ``message``."""
        if path in self.quantities:
            self.quantities[path].show_error(message)
            return
        if path in self.texts:  # the typed text stays; the box turns red and says why
            edit = self.texts[path]
            edit.setStyleSheet(ERROR_STYLE)
            edit.setToolTip(message)
            self._text_errors.add(path)
            return
        for length in range(len(path), 0, -1):
            group = self.groups.get(path[:length])
            if group is not None:
                group.show_error(message)
                return
        label = self._labels.get(path)
        if label is not None:
            label.setToolTip(message)

    def field(self, *path: str) -> QuantityField:
        return self.quantities[tuple(path)]


@dataclass(frozen=True, slots=True)
class _PageFields:
    """The editors of one form page, by path and kind."""

    quantities: dict[Path_, QuantityField]
    texts: dict[Path_, QLineEdit]
    choices: dict[Path_, QComboBox]
    checks: dict[Path_, QCheckBox]

    @classmethod
    def added(cls, before: _PageFields, after: _PageFields) -> _PageFields:
        """The editors in ``after`` that ``before`` did not hold (by identity: variants share paths)."""
        def new(old: dict[Path_, Any], now: dict[Path_, Any]) -> dict[Path_, Any]:
            return {path: widget for path, widget in now.items() if old.get(path) is not widget}

        return cls(new(before.quantities, after.quantities), new(before.texts, after.texts),
                   new(before.choices, after.choices), new(before.checks, after.checks))


def _get(preset: BaseModel | None, path: Path_) -> Any:
    node: Any = preset
    for key in path:
        if node is None:
            return None
        node = getattr(node, key, None)
    return node
