"""Accessible names for every control, so a screen reader can say what each one is.

Most controls get their name where they are made (a field from its label);
``name_controls`` fills in the rest from what a sighted user reads beside or
on them: a form label, the button's text, the tooltip, the tab's title.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar, QAbstractSlider)
"""Widgets a user acts on (a combo box's own line edit and views inside it are skipped: the combo is named)."""
_TAGS = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    return " ".join(_TAGS.sub(" ", text).replace("&", "").split())


def form_label(widget: QWidget) -> str:
    """The text of the form label beside ``widget`` (or beside the field it sits in)."""
    node: QWidget | None = widget
    for _ in range(4):
        if node is None or node.parentWidget() is None:
            return ""
        layout = node.parentWidget().layout()
        if isinstance(layout, QFormLayout):
            label = layout.labelForField(node)
            if isinstance(label, QLabel) and label.text():
                return _plain(label.text())
        node = node.parentWidget()
    return ""


def describe(widget: QWidget) -> str:
    """What a sighted user would call this control."""
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    for candidate in (text, form_label(widget), widget.toolTip(), getattr(widget, "placeholderText", lambda: "")(),
                      widget.objectName().replace("-", " ").replace(".", " ").replace("_", " ")):
        plain = _plain(candidate or "")
        if plain:
            return plain[:120]
    return type(widget).__name__


def _inside_combo(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> list[QWidget]:
    """Every interactive widget under ``root`` (not the parts of a combo box)."""
    return [w for w in root.findChildren(QWidget) if isinstance(w, INTERACTIVE) and not _inside_combo(w)]


def name_controls(root: QWidget) -> None:
    """Give every unnamed control under ``root`` an accessible name."""
    for widget in controls(root):
        if not widget.accessibleName():
            widget.setAccessibleName(describe(widget))
