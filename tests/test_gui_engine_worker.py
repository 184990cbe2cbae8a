"""The engine thread: latest request wins, stale results are dropped, closing is clean."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from gui_fixtures import make_window  # fixture
from PySide6.QtCore import QCoreApplication

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.gui.engine_worker import EngineRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def resolved():
    return load_comparison(REPO / "presets/comparisons/deepseek-question.json", PresetLibrary())[1]


@pytest.fixture
def runner():
    engine = EngineRunner(samples=300, quick_samples=60, refine_delay_ms=0)
    yield engine
    engine.stop()
    assert engine.stopped


def test_quick_edits_are_coalesced_and_stale_results_never_delivered(qtbot, runner, resolved) -> None:
    delivered, computed = [], []
    runner.resultReady.connect(lambda generation, _resolved, inputs: delivered.append((generation, inputs.samples)))
    runner.computed.connect(lambda generation, samples: computed.append((generation, samples)))
    generations = [runner.request(resolved) for _ in range(5)]
    assert generations == [1, 2, 3, 4, 5]
    qtbot.waitUntil(lambda: not runner.busy and (5, 300) in delivered, timeout=20_000)
    # The first request was already running; 2-4 were replaced while waiting; 5 ran quick, then refined.
    assert computed == [(1, 60), (5, 60), (5, 300)]
    assert delivered == [(5, 60), (5, 300)]


def test_refinement_waits_for_a_pause_in_the_edits(qtbot, resolved) -> None:
    engine = EngineRunner(samples=300, quick_samples=60, refine_delay_ms=200)
    computed = []
    engine.computed.connect(lambda generation, samples: computed.append((generation, samples)))
    try:
        engine.request(resolved)
        qtbot.waitUntil(lambda: computed == [(1, 60)], timeout=20_000)
        engine.request(resolved)  # an edit before the pause is over: no refinement of generation 1
        qtbot.waitUntil(lambda: (2, 300) in computed, timeout=20_000)
        assert computed == [(1, 60), (2, 60), (2, 300)]
    finally:
        engine.stop()


def test_busy_state_is_reported(qtbot, runner, resolved) -> None:
    states = []
    runner.busyChanged.connect(states.append)
    runner.request(resolved)
    assert runner.busy
    qtbot.waitUntil(lambda: runner.latest_is_final and not runner.busy, timeout=20_000)
    # The quick pass, then the refinement: [True, False, True, False]; or [True, False] when the
    # refinement was submitted before the quick pass's idle notice arrived (busy throughout).
    assert states in ([True, False, True, False], [True, False])


def test_stop_during_a_computation_waits_for_it_and_delivers_nothing(qtbot, resolved) -> None:
    engine = EngineRunner(samples=20_000, quick_samples=20_000)
    delivered = []
    engine.resultReady.connect(lambda *args: delivered.append(args))
    engine.request(resolved)
    assert engine.busy
    engine.stop()
    assert engine.stopped
    # stop() joined the worker thread, so a delivery it made is already posted to this thread:
    # dispatch every posted event (queued signals included) instead of waiting some milliseconds.
    QCoreApplication.sendPostedEvents()
    assert delivered == []
    assert engine.request(resolved) == 2  # a stopped runner ignores requests


def test_closing_the_window_during_a_computation(qtbot, make_window) -> None:
    window = make_window(samples=20_000, quick_samples=20_000)
    window.request_computation()
    assert window.runner.busy
    assert window.close()
    assert window.runner.stopped


def test_closing_the_app_during_a_computation_exits_with_code_0(tmp_path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication(sys.argv[:1])

        def close_while_busy():
            windows = [w for w in app.topLevelWidgets() if w.objectName() == "jevons-main"]
            if not windows or not windows[0].runner.busy:
                QTimer.singleShot(5, close_while_busy)  # until the first computation is running
                return
            windows[0].close()

        QTimer.singleShot(0, close_while_busy)
        from app.gui.launch import launch
        sys.exit(launch(["--samples", "20000"]))
        """
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JEVONS_CONFIG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Fatal" not in done.stderr and "Destroyed while thread" not in done.stderr
