"""Atomic saves: never a half-written file, never a replaced link, nothing left behind.

A save writes a temporary file beside the real target and renames it into
place in one step, then flushes the folder, so a crash (even ``kill -9``)
leaves either the old file or the new one. Details a user notices:

* A symbolic link is written *through*: the file it points to is replaced and
  the link stays a link. A dangling link creates the file it points to.
* The saved file keeps the target's permissions; a new one gets the usual
  umask permissions, not a temporary file's private 0600.
* A hard-linked file is replaced under the name saved to; its other names keep
  the previous version (the price of never writing a file in place).
* Temporary files are named ``.NAME.jevons-save-PID-XXXX.tmp``. One left by a
  save that was killed is removed by the next save of the same file, once the
  process that made it is gone.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPORARY_TAG = ".jevons-save-"
STALE_AFTER_S = 3600
"""Where a process cannot be asked whether it lives (Windows), a temporary file this old is stale."""


def save_target(path: str | Path) -> Path:
    """The file a save to ``path`` must replace: the end of any chain of symbolic links."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def temporary_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(target.name)}{re.escape(TEMPORARY_TAG)}(\d+)-[^/\\]*\.tmp$")


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files earlier saves of ``target`` left behind; returns them."""
    pattern = temporary_pattern(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match and _is_stale(int(match.group(1)), entry):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass  # another process's business, or already gone
    return removed


def _is_stale(pid: int, entry: os.DirEntry) -> bool:
    if pid == os.getpid():
        return False  # one of ours, perhaps being written right now
    running = process_is_running(pid)
    if running is None:  # cannot tell: go by age
        try:
            return time.time() - entry.stat().st_mtime > STALE_AFTER_S
        except OSError:
            return False
    return not running


def process_is_running(pid: int) -> bool | None:
    """Whether process ``pid`` exists; None where that cannot be asked safely (Windows)."""
    if sys.platform == "win32":  # os.kill(pid, 0) sends Ctrl+C there
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, belongs to someone else
    return True


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside the save's target; when the block succeeds it replaces it.

    On an error the temporary file is removed and the target is untouched.
    """
    target = save_target(path)
    remove_stale_temporaries(target)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}{TEMPORARY_TAG}{os.getpid()}-", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the rename to disk (POSIX; a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse to sync a folder; the rename itself is still atomic
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, flushed to disk before the rename."""
    with atomic_target(path) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
