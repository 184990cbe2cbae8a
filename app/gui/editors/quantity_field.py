"""An editor of one Quantity: value, uncertainty range, unit, source in the tooltip."""

from __future__ import annotations

import html
import math
import re

from pydantic import ValidationError
from PySide6.QtCore import QLocale, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from app.domain.errors import validation_text
from app.domain.quantity import Quantity
from app.gui.editors.wrapping_row import WrappingRow
from app.session.form_spec import FieldSpec, range_text

COMMIT_DELAY_MS = 400
"""Typing pauses this long before an edit is committed (Enter commits at once)."""
ERROR_STYLE = "QLineEdit { border: 1px solid #d62728; background: rgba(214, 39, 40, 0.08); }"


SEPARATED_FROM = 10_000
"""Numbers this large are shown with thousands separators (5,000,000,000); smaller ones as typed (8192)."""


def format_number(number: float | None) -> str:
    if number is None:
        return ""
    return f"{number:,.12g}" if abs(number) >= SEPARATED_FROM else f"{number:.12g}"


_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
"""A number whose commas separate thousands: 5,000,000 or 12,500.25."""


def parse_number(text: str, what: str, decimal_comma: bool = False) -> float | None:
    """A float from what the user typed ('' gives None); ValueError says why not.

    Spaces and underscores are ignored, and commas are read as thousands
    separators (as the fields show large numbers: "5,000,000" is five million),
    but only where they separate groups of three digits. Any other comma is
    refused with a suggestion rather than dropped: "14,8" is someone's 14.8, and
    reading it as 148 would be a silent ten-fold error. Where the user's locale
    writes decimals with a comma (``decimal_comma``), a single comma with three
    digits after it ("1,500") could be either, so it is refused too.
    """
    cleaned = text.strip().replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned:
        as_decimal = cleaned.replace(",", ".", 1) if cleaned.count(",") == 1 and "." not in cleaned else None
        grouped = _GROUPED.fullmatch(cleaned) is not None
        if not grouped or (decimal_comma and as_decimal is not None):
            hint = (f"write {as_decimal} for a decimal; " if as_decimal is not None else "")
            raise ValueError(f"{what}: {text.strip()!r} is ambiguous: {hint}decimals take a point and commas "
                             "only separate thousands (14,800 or 14800)")
        cleaned = cleaned.replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{what}: {text.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{what}: must be a finite number")
    return number


class QuantityField(QWidget):
    """Value, low and high of one quantity; errors shown beneath, typed text kept.

    ``edited`` carries the new JSON-ready quantity (a dict, or None for an unset
    optional value). Text that does not parse, or breaks the field's bounds,
    is flagged here and never emitted.
    """

    edited = Signal(object)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self._quantity: Quantity | None = None
        """The document's value (kept current even while the boxes hold refused text)."""
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName(f"{spec.name}.value")
        self.value_edit.setPlaceholderText("not set" if spec.optional else "value")
        self.low_edit = QLineEdit()
        self.low_edit.setPlaceholderText("low")
        self.high_edit = QLineEdit()
        self.high_edit.setPlaceholderText("high")
        for edit in (self.low_edit, self.high_edit):
            edit.setToolTip("Uncertainty range sampled by the engine (triangular, peak at the value). Leave both empty for none.")
        self._fit_boxes()
        for edit, part in ((self.value_edit, "value"), (self.low_edit, "low end of range"),
                           (self.high_edit, "high end of range")):
            edit.setAccessibleName(f"{spec.label}, {part}" + (f" ({spec.unit})" if spec.unit else ""))
        self.unit_label = QLabel(spec.unit)
        self.unit_label.setMinimumWidth(self.unit_label.sizeHint().width())  # a unit is never clipped
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setObjectName(f"{spec.name}.error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d62728;")
        self.error_label.setVisible(False)
        self.note_label = QLabel()
        self.note_label.setObjectName(f"{spec.name}.note")
        self.note_label.setWordWrap(True)
        self.note_label.setEnabled(False)  # greyed: information, not an error
        self.note_label.setVisible(False)
        self._dropped_range: tuple[float, float] | None = None
        # The range and unit stay together; in a narrow panel they go under the value (wrapping_row).
        range_and_unit = QWidget()
        beside = QHBoxLayout(range_and_unit)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(3)
        beside.addWidget(self.low_edit, 1)
        beside.addWidget(QLabel("–"))
        beside.addWidget(self.high_edit, 1)
        beside.addWidget(self.unit_label)
        row = WrappingRow()
        row.add(self.value_edit, stretch=3)
        row.add(range_and_unit, stretch=2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addLayout(row)
        column.addWidget(self.error_label)
        column.addWidget(self.note_label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # taller when the range wraps under the value (forms honour it)
        self.setSizePolicy(policy)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.commit)
        for edit in (self.value_edit, self.low_edit, self.high_edit):
            edit.textEdited.connect(self._on_text_edited)
            edit.editingFinished.connect(self.commit)
        self._update_tooltip()

    # ------------------------------------------------------------ model -> view

    @property
    def has_draft(self) -> bool:
        """True while the typed text is not what the current snapshot holds."""
        return not self.error_label.isHidden() or self._timer.isActive()

    def set_quantity(self, quantity: Quantity | None, force: bool = False) -> None:
        """Show ``quantity``; a field holding rejected text keeps it unless ``force``."""
        if self.has_draft and not force:
            self._quantity = quantity
            self._update_tooltip()
            return
        if not force and quantity == self._quantity and self._shows(quantity):
            return  # unchanged: an edit elsewhere re-validates every value into equal copies
        self._timer.stop()
        self._quantity = quantity
        for edit, number in (
            (self.value_edit, None if quantity is None else quantity.value),
            (self.low_edit, None if quantity is None else quantity.low),
            (self.high_edit, None if quantity is None else quantity.high),
        ):
            with QSignalBlocker(edit):
                text = format_number(number)
                if edit.text() != text:
                    edit.setText(text)
                    edit.setCursorPosition(0)  # show the leading digits when the box is narrow
        self._fit_boxes()
        self.clear_error()
        self.note_label.setVisible(False)  # a note on a value the document no longer holds (after Undo)
        self._update_tooltip()

    def _fit_boxes(self) -> None:
        """Each box wide enough for its number (see :func:`_fit_range_box`); the value box grows beyond."""
        for edit in (self.low_edit, self.high_edit):
            _fit_range_box(edit)
        self.value_edit.setMinimumWidth(max(60, min(_text_width(self.value_edit), RANGE_BOX_WIDTHS[2])))

    def _json(self, quantity: Quantity | None) -> object:
        return None if quantity is None else quantity.model_dump(mode="json")

    def _shows(self, quantity: Quantity | None) -> bool:
        """True when the three boxes hold exactly the text ``quantity`` is shown as."""
        numbers = (None, None, None) if quantity is None else (quantity.value, quantity.low, quantity.high)
        edits = (self.value_edit, self.low_edit, self.high_edit)
        return all(edit.text() == format_number(number) for edit, number in zip(edits, numbers, strict=True))

    def _update_tooltip(self) -> None:
        spec, quantity = self.spec, self._quantity
        lines = [f"<b>{html.escape(spec.label)}</b> ({html.escape(spec.unit)})" if spec.unit else f"<b>{html.escape(spec.label)}</b>"]
        if spec.description:
            lines.append(html.escape(spec.description))
        lines.append(html.escape(range_text(spec.bounds)) + ("; optional" if spec.optional else ""))
        if quantity is not None:
            if quantity.has_range:
                lines.append(f"Uncertainty range: {quantity.low:g} – {quantity.high:g} {html.escape(spec.unit)}")
            source = quantity.source or "no source given"
            kind = "Assumption" if quantity.assumption else "Source"
            lines.append(f"<i>{kind}:</i> {html.escape(source)}")
        tip = "<br>".join(lines)
        self.value_edit.setToolTip(tip)
        self.unit_label.setToolTip(tip)
        self.setToolTip(tip)

    # ------------------------------------------------------------ view -> model

    def _on_text_edited(self, _text: str) -> None:
        self.note_label.setVisible(False)
        self._fit_boxes()
        try:
            self._parse()
        except ValueError as error:
            self.show_error(str(error))
            self._timer.stop()
            return
        self.clear_error()
        self._timer.start()

    def _parse(self) -> object:
        """The typed quantity as JSON, checked against the field's own bounds."""
        decimal_comma = QLocale().decimalPoint() == ","
        value = parse_number(self.value_edit.text(), "value", decimal_comma)
        low = parse_number(self.low_edit.text(), "low", decimal_comma)
        high = parse_number(self.high_edit.text(), "high", decimal_comma)
        if value is None:
            if self.spec.optional and low is None and high is None:
                return None
            raise ValueError("a value is required" if not self.spec.optional else "give a value for the range")
        self.spec.bounds.check({"value": value, "low": low, "high": high}, self.spec.name)  # named as a file's is
        old = self._quantity
        try:
            if old is not None and (low, high) == (old.low, old.high):
                quantity = old.with_value(value)  # a new value outside the old range drops it (said so, see commit)
            else:
                quantity = Quantity(value=value, low=low, high=high, source=old.source if old is not None else None,
                                    assumption=old.assumption if old is not None else False)
        except ValidationError as error:
            raise ValueError(validation_text(error)[0]) from None
        self._dropped_range = None
        if old is not None and old.low is not None and old.high is not None and quantity.low is None:
            self._dropped_range = (old.low, old.high)
        return quantity.model_dump(mode="json")

    def commit(self) -> None:
        """Emit the typed quantity if it parses and differs from the document's value.

        The comparison is always with the value the document holds (the last
        ``set_quantity``), never with what was last typed: a value the document
        refused is typed again, it is sent again.
        """
        self._timer.stop()
        try:
            data = self._parse()
        except ValueError as error:
            self.show_error(str(error))
            return
        if data == self._json(self._quantity):
            self.clear_error()  # typed back to what the document holds: nothing to send
            return
        dropped = self._dropped_range
        self.edited.emit(data)
        if dropped is not None and self.error_label.isHidden():
            unit = f" {self.spec.unit}" if self.spec.unit else ""
            self.note_label.setText(
                f"The range {format_number(dropped[0])} – {format_number(dropped[1])}{unit} did not hold "
                f"{format_number(data['value'])}, so it was removed (Undo brings it back; or type a new range)."
            )
            self.note_label.setVisible(True)

    def commit_pending(self) -> None:
        """Commit text still waiting for its typing pause (before a save, an export or quitting)."""
        if self._timer.isActive():
            self.commit()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        self.value_edit.setStyleSheet(ERROR_STYLE)

    def clear_error(self) -> None:
        if not self.error_label.isHidden():
            self.error_label.setVisible(False)
            self.value_edit.setStyleSheet("")

    @property
    def error(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""


RANGE_BOX_WIDTHS = (44, 76, 130)
"""A range box's least width, its usual largest, and the most it grows to show a long number whole."""


def _text_width(edit: QLineEdit) -> int:
    """Width a box needs to show its text whole: the text and the frame's margins."""
    return edit.fontMetrics().horizontalAdvance(edit.text()) + 12


def _fit_range_box(edit: QLineEdit) -> None:
    """Size a low/high box to its number: "3,000,00" cut from 3,000,000,000 misreads by orders of
    magnitude. Short numbers keep the usual compact box."""
    least, usual, most = RANGE_BOX_WIDTHS
    needed = _text_width(edit)
    edit.setMinimumWidth(max(least, min(needed, most)))
    edit.setMaximumWidth(max(usual, min(needed, most)))
