"""Fixtures for the GUI tests: a real main window on the real engine, cleaned up after.

Import the fixtures into a test module with ``from gui_fixtures import *``.
Settings are isolated by the suite's conftest (XDG_CONFIG_HOME per test),
which ``app.gui.settings`` reads on every use.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui.main_window import MainWindow

SAMPLES = 200
QUICK_SAMPLES = 50
TIMEOUT_MS = 20_000


def settled(window: MainWindow) -> bool:
    """True when the charts show the refined result of the newest request."""
    inputs = window.charts.inputs
    return (
        not window.runner.busy
        and window.shown_generation == window.runner.generation
        and inputs is not None
        and window.runner.latest_is_final
    )


def wait_settled(qtbot, window: MainWindow) -> None:  # pytest-qt's qtbot
    qtbot.waitUntil(lambda: settled(window), timeout=TIMEOUT_MS)


def export_and_wait(qtbot, window: MainWindow, *args, report: bool = False, **kwargs) -> list:  # pytest-qt's qtbot
    """Export the window's charts (``report``: its report) and wait until the files are written (once
    What matters most came from the engine thread, for an export that shows it); the files written."""
    with qtbot.waitSignal(window.exports.written, timeout=TIMEOUT_MS) as blocker:
        (window.exports.export_report if report else window.exports.export)(*args, **kwargs)
    return blocker.args[0]


LAYOUT_EVENTS = frozenset({QEvent.Type.LayoutRequest, QEvent.Type.Resize, QEvent.Type.GraphicsSceneResize})
"""What Qt sends while it is still laying widgets and charts out: a request to lay out again, a new size."""


class _LayoutWatch(QObject):
    """Notes every layout event the application delivers, to any widget or chart item."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in LAYOUT_EVENTS:
            self.seen = True
        return False

    def quiet(self) -> bool:
        """True when no layout event came since the last call (between two calls waitUntil runs the event loop)."""
        quiet, self.seen = not self.seen, False
        return quiet


def wait_laid_out(qtbot, timeout_ms: int = 5000) -> None:  # pytest-qt's qtbot
    """Wait until Qt has laid everything out: a turn of the event loop passed with no widget or chart
    resized or asking to be laid out again. A resize reaches the charts and the forms over several
    turns (a chart's new size re-lays its panels and legends; a wrapped row asks its form again)."""
    watch = _LayoutWatch()
    QApplication.instance().installEventFilter(watch)
    try:
        qtbot.waitUntil(watch.quiet, timeout=timeout_ms)
    finally:
        QApplication.instance().removeEventFilter(watch)


@pytest.fixture
def make_window(qtbot):
    """Build main windows that are closed, with their engine thread stopped, after the test."""
    windows: list[MainWindow] = []

    def make(open_default: bool = True, samples: int = SAMPLES, quick_samples: int = QUICK_SAMPLES,
             example: str | None = None, refine_delay_ms: int = 0) -> MainWindow:
        """A shown window on the DeepSeek question (``open_default``) or on the shipped comparison ``example``,
        its charts drawn; on nothing with neither. An edit's quick result is refined ``refine_delay_ms``
        after it (the window's own pause is 300 ms)."""
        window = MainWindow(samples=samples, quick_samples=quick_samples, refine_delay_ms=refine_delay_ms)
        window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard  # never block on a dialog
        windows.append(window)
        window.show()
        if example is not None or open_default:
            assert window.files.open_example(example) if example is not None else window.files.open_default()
            wait_settled(qtbot, window)
        return window

    yield make
    for window in windows:
        window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        if window.message_box is not None:
            window.message_box.close()
        window.close()
        assert window.runner.stopped, "the engine thread outlived its window"
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not left, f"top-level widgets left open: {left}"


@pytest.fixture
def window(make_window):
    """A shown main window on the shipped DeepSeek question, its charts drawn."""
    return make_window()


def assert_titled(section, full: str) -> None:
    """``section`` is titled ``full``, or its start cut with an ellipsis where a long name makes it too wide."""
    title = section.title()
    assert title == full or (title.endswith("…") and full.startswith(title.removesuffix("…"))), (title, full)
