"""What the user was looking at, kept between sessions: the window's geometry and panel sizes,
open tabs, the chosen metric, panels shown. Stored in the app's settings file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def restore_geometry(window: QMainWindow, settings: QSettings) -> None:
    """The window's size, place, toolbars and docks as they were last closed."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)


def restore_splitters(splitters: dict[str, QSplitter], settings: QSettings) -> None:
    """The saved panel sizes. A splitter keeps its orientation: Qt's saved state holds it too, and
    the layout chooses it for the current width (the charts stack in a narrow window only)."""
    for key, splitter in splitters.items():
        value = settings.value(f"splitters/{key}")
        if isinstance(value, QByteArray) and not value.isEmpty():
            orientation = splitter.orientation()
            splitter.restoreState(value)
            splitter.setOrientation(orientation)


def save_layout(window: QMainWindow, splitters: dict[str, QSplitter], settings: QSettings) -> None:
    """The geometry and the panel sizes (the rest of the view state is :func:`save_view_state`)."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for key, splitter in splitters.items():
        settings.setValue(f"splitters/{key}", splitter.saveState())


def save_view_state(window: MainWindow, settings: QSettings) -> None:
    settings.setValue("view/editor_tab", window.editor.tabs.currentIndex())
    settings.setValue("view/charts_tab", window.charts.bottom.currentIndex())
    settings.setValue("view/tornado_metric", window.charts.tornado_metric.currentData())
    settings.setValue("view/inputs_panel", window.actions_.inputs_panel.isChecked())
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
        window.actions_.inputs_panel.setChecked(panel)
    shares = _bool(settings, "view/phase_shares")
    if shares is not None:
        window.charts.training.shares_button.setChecked(shares)
