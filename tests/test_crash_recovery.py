"""Crash recovery: unsaved changes are autosaved to the settings folder and offered back after a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_fixtures import make_window, wait_settled, window  # fixtures
from PySide6.QtWidgets import QMessageBox
from test_atomic_save import dead_pid

from app.domain.files import load_preset, save_preset
from app.gui.settings import settings_path
from app.session.autosave import Autosave, orphans
from tests.factories import comparison, write

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a process's liveness is not asked on Windows")


def crashed_autosave(folder: Path, origin: Path | None, name: str = "Crashed work") -> Path:
    """What a Jevons killed with unsaved changes leaves in the settings folder."""
    folder.mkdir(parents=True, exist_ok=True)
    preset = load_preset(write(folder / "seed.json", comparison(name=name)))
    (folder / "seed.json").unlink()
    autosave = Autosave(folder, pid=dead_pid())
    autosave.write(preset, origin)
    return autosave.path


def test_an_autosave_of_a_running_process_is_not_an_orphan(tmp_path: Path) -> None:
    preset = load_preset(write(tmp_path / "seed.json", comparison()))
    Autosave(tmp_path / "settings").write(preset, None)  # this very process: alive
    Autosave(tmp_path / "settings", pid=os.getppid()).write(preset, None)  # alive too
    assert orphans(tmp_path / "settings") == []
    crashed_autosave(tmp_path / "settings", tmp_path / "mine.json")
    (orphan,) = orphans(tmp_path / "settings")
    assert orphan.origin == tmp_path / "mine.json"


def test_an_edit_is_autosaved_after_a_pause_and_removed_by_a_save(qtbot, window, tmp_path: Path) -> None:
    autosave = window.recovery.autosave
    assert autosave.path.parent == settings_path().parent  # the settings folder (redirected by the tests)
    window.edits.run(lambda: window.session.edit(lambda c: c.model_copy(update={"name": "Edited"}), "Rename"))
    assert window.recovery.timer.isActive() and not autosave.exists  # waits for a pause in editing
    qtbot.waitUntil(lambda: autosave.exists, timeout=10_000)
    assert load_preset(autosave.path).name == "Edited"
    assert window.files.save_as(tmp_path / "saved.json")
    assert not autosave.exists  # nothing unsaved is left


def test_a_clean_exit_leaves_no_autosave(qtbot, make_window) -> None:
    window = make_window()
    window.edits.run(lambda: window.session.edit(lambda c: c.model_copy(update={"name": "Edited"}), "Rename"))
    window.recovery.save_now()
    assert window.recovery.autosave.exists
    window.close()  # the fixture answers Discard to "save changes?"
    assert not window.recovery.autosave.exists


def test_after_a_crash_the_next_start_offers_the_autosave_back(qtbot, make_window, tmp_path: Path) -> None:
    origin = tmp_path / "work.json"
    left = crashed_autosave(settings_path().parent, origin)
    window = make_window()
    asked = []
    window.ask_restore = lambda name, orphan: asked.append((name, orphan.origin)) or QMessageBox.StandardButton.Yes
    assert window.recovery.offer_restore()
    assert asked == [("Crashed work", origin)]
    assert window.comparison.name == "Crashed work"
    assert window.document.dirty and window.document.path == origin  # Save writes back where it came from
    assert not left.exists() and window.recovery.autosave.exists  # the autosave is this window's now
    wait_settled(qtbot, window)


def test_declining_the_restore_discards_it(qtbot, make_window) -> None:
    left = crashed_autosave(settings_path().parent, None)
    window = make_window()
    before = window.comparison
    window.ask_restore = lambda name, orphan: QMessageBox.StandardButton.No
    assert not window.recovery.offer_restore()
    assert window.comparison is before and not left.exists()
    assert not window.recovery.offer_restore()  # asked once only


def test_an_unreadable_autosave_is_reported_and_dropped(qtbot, make_window) -> None:
    left = crashed_autosave(settings_path().parent, None)
    left.write_text("{ not json")
    window = make_window()
    window.ask_restore = lambda name, orphan: pytest.fail("nothing readable to offer")
    assert not window.recovery.offer_restore()
    assert window.message_box is not None and str(left) in window.message_box.text()
    assert not left.exists()


def test_a_killed_jevons_leaves_an_autosave_the_next_one_finds(tmp_path: Path) -> None:
    """A real process, killed with unsaved changes (no clean exit runs)."""
    config = tmp_path / "config"
    code = (
        "import os, signal, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from app.gui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "window = MainWindow(samples=10, quick_samples=10)\n"
        "window.files.open_default()\n"
        "window.edits.run(lambda: window.session.edit(lambda c: c.model_copy(update={'name': 'Unsaved'}), 'Rename'))\n"
        "window.recovery.save_now()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == -9, result.stderr
    (orphan,) = orphans(config / "jevons")
    assert load_preset(orphan.path).name == "Unsaved"
