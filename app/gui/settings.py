"""Per-user settings: window layout and recent files, in one INI file.

The folder is found from the environment every time (``JEVONS_CONFIG_DIR``,
else ``XDG_CONFIG_HOME``, else Qt's config location), so a test that points
those at a temporary folder never touches the user's real settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

MAX_RECENT = 8


def settings_path() -> Path:
    base = os.environ.get("JEVONS_CONFIG_DIR")
    if base:
        return Path(base) / "jevons.ini"
    config = os.environ.get("XDG_CONFIG_HOME") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.GenericConfigLocation
    )
    return Path(config) / "jevons" / "jevons.ini"


def open_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


class RecentFiles:
    """Most recently opened or saved files, newest first, stored in the settings."""

    KEY = "recent/files"

    def __init__(self, settings: QSettings):
        self._settings = settings

    def paths(self) -> list[Path]:
        raw = self._settings.value(self.KEY, [])
        if isinstance(raw, str):  # QSettings returns a lone string for a one-item list
            raw = [raw]
        return [Path(p) for p in raw or []]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        paths = [path, *(p for p in self.paths() if p != path)][:MAX_RECENT]
        self._settings.setValue(self.KEY, [str(p) for p in paths])

    def remove(self, path: Path) -> None:
        self._settings.setValue(self.KEY, [str(p) for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        self._settings.remove(self.KEY)
