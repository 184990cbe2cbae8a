"""Light or dark: chart colours that follow the system palette."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.report.palette import blend


@dataclass(frozen=True, slots=True)
class Theme:
    background: str
    foreground: str
    grid_alpha: float
    dark: bool

    def shade(self, color: str, amount: float) -> str:
        """``color`` faded toward the background (for stacked segments and bands)."""
        return blend(color, self.background, amount)


def current_theme(widget: QWidget | None = None) -> Theme:
    """Light or dark, following the system palette (or the widget's)."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightness() < 128
    return Theme(base.name(), text.name(), 0.25 if dark else 0.18, dark)


def elide(text: str, length: int = 14) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
