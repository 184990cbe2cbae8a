"""What the user was looking at, kept between sessions: open tabs, the chosen metric, panels shown.

Stored beside the window's geometry in the app's settings file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

KEYS = ("view/editor_tab", "view/charts_tab", "view/tornado_metric", "view/inputs_panel", "view/phase_shares")


def save_view_state(window: MainWindow, settings: QSettings) -> None:
    settings.setValue("view/editor_tab", window.editor.tabs.currentIndex())
    settings.setValue("view/charts_tab", window.charts.bottom.currentIndex())
    settings.setValue("view/tornado_metric", window.charts.tornado_metric.currentData())
    settings.setValue("view/inputs_panel", window.inputs_panel_action.isChecked())
    settings.setValue("view/phase_shares", window.charts.training.show_shares)


def _int(settings: QSettings, key: str) -> int | None:
    try:
        return int(settings.value(key))
    except (TypeError, ValueError):
        return None


def _bool(settings: QSettings, key: str) -> bool | None:
    value = settings.value(key)
    if value is None:
        return None
    return str(value).lower() in ("true", "1")


def restore_view_state(window: MainWindow, settings: QSettings) -> None:
    """Reopen what was open; anything missing or out of range is left at its default."""
    editor_tab = _int(settings, "view/editor_tab")
    if editor_tab is not None and 0 <= editor_tab < window.editor.tabs.count():
        window.editor.tabs.setCurrentIndex(editor_tab)
    charts_tab = _int(settings, "view/charts_tab")
    if charts_tab is not None and 0 <= charts_tab < window.charts.bottom.count():
        window.charts.bottom.setCurrentIndex(charts_tab)
    metric = settings.value("view/tornado_metric")
    index = window.charts.tornado_metric.findData(metric) if metric else -1
    if index >= 0:
        window.charts.tornado_metric.setCurrentIndex(index)
    panel = _bool(settings, "view/inputs_panel")
    if panel is not None:
        window.inputs_panel_action.setChecked(panel)
    shares = _bool(settings, "view/phase_shares")
    if shares is not None:
        window.charts.training.shares_button.setChecked(shares)
