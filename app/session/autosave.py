"""Crash recovery: the unsaved comparison, copied to the settings folder. No Qt.

While a window holds unsaved changes, its comparison is written (atomically)
to ``autosave-PID.json`` in the settings folder a few seconds after each
edit, with the file it came from in ``autosave-PID.origin``. A clean exit, a
save or a discard removes both. An autosave whose process is gone is what a
crash left behind: the next start offers to restore it.

The autosave is an ordinary comparison file, so restoring it goes through
the same guarded loading as opening any file.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.atomic_save import process_is_running, write_text_atomic

if TYPE_CHECKING:
    from app.domain.scenario import Comparison

DELAY_MS = 3000
"""An edit is autosaved after this pause (each edit restarts it)."""
_NAME = re.compile(r"^autosave-(\d+)\.json$")


@dataclass(frozen=True, slots=True)
class Orphan:
    """An autosave left by a Jevons that did not exit cleanly."""

    path: Path
    origin: Path | None
    """The file the comparison was opened from or last saved to; None when never saved."""
    modified: float
    """When it was autosaved (seconds since the epoch)."""

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        _origin_file(self.path).unlink(missing_ok=True)


class Autosave:
    """This process's autosave in ``folder``."""

    def __init__(self, folder: Path, pid: int | None = None):
        self.folder = Path(folder)
        self.path = self.folder / f"autosave-{pid if pid is not None else os.getpid()}.json"

    def write(self, comparison: Comparison, origin: Path | None) -> None:
        """Copy ``comparison`` (and where it came from) to the autosave; OSError if the folder is unwritable."""
        self.folder.mkdir(parents=True, exist_ok=True)
        from app.domain.files import dump_preset  # not at start-up: the window's first result is drawn without it

        write_text_atomic(self.path, dump_preset(comparison))
        origin_file = _origin_file(self.path)
        if origin is None:
            origin_file.unlink(missing_ok=True)
        else:
            write_text_atomic(origin_file, str(origin))

    def discard(self) -> None:
        """Remove the autosave (nothing unsaved is left, or the user chose to lose it)."""
        self.path.unlink(missing_ok=True)
        _origin_file(self.path).unlink(missing_ok=True)

    @property
    def exists(self) -> bool:
        return self.path.exists()


def orphans(folder: Path) -> list[Orphan]:
    """Autosaves whose process is gone (a crash, a kill), newest first."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or int(match.group(1)) == os.getpid() or process_is_running(int(match.group(1))) is not False:
            continue
        path = Path(entry.path)
        try:
            modified = entry.stat().st_mtime
            origin_text = _origin_file(path).read_text(encoding="utf-8").strip() if _origin_file(path).exists() else ""
        except OSError:
            continue
        found.append(Orphan(path, Path(origin_text) if origin_text else None, modified))
    return sorted(found, key=lambda orphan: orphan.modified, reverse=True)


def describe(orphan: Orphan) -> str:
    """When and from where, for the question the window asks."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(orphan.modified))
    where = f"from {orphan.origin}" if orphan.origin else "never saved"
    return f"autosaved {when}, {where}"


def _origin_file(path: Path) -> Path:
    return path.with_suffix(".origin")
