"""The app's start as a user launches it (``jevons``): one path on every platform (app.gui.startup).

Each test runs ``app.gui.launch.launch`` in a fresh process, watching the main window from the
moment it shows: the frame paints before the preset models load, the engine computes the first
result once and the charts draw it once, then the refined result; the app exits with 0, also
when closed before any result has come.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WATCH = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
seen = {"draws": [], "computed": []}


class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and obj.objectName() == "jevons-main":
            app.removeEventFilter(self)
            shown(obj)
        return False


app.watch = Watch()
app.installEventFilter(app.watch)
QTimer.singleShot(60_000, app.quit)  # never hang the suite
"""


def launch(script: str, tmp_path: Path) -> tuple[int, dict]:
    """Run ``WATCH`` + ``script`` (which defines ``shown(window)``) then ``launch([])``; (exit code, seen)."""
    code = textwrap.dedent(WATCH) + textwrap.dedent(script) + textwrap.dedent("""
        from app.gui.launch import launch
        code = launch(["--samples", "200"])
        print(json.dumps(seen))
        sys.exit(code)
    """)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JEVONS_CONFIG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.strip().splitlines()
    return done.returncode, json.loads(lines[-1]) if lines else {}


def test_the_first_result_is_computed_once_drawn_once_and_the_app_exits_0(tmp_path: Path) -> None:
    code, seen = launch(
        """
        def shown(window):
            window.runner.computed.connect(lambda generation, samples: seen["computed"].append([generation, samples]))
            window.plotsUpdated.connect(lambda generation: drawn(window, generation))

        def drawn(window, generation):
            seen["draws"].append([generation, window.runner.latest_is_final, window.startup.ready,
                                  [chart._drawn_key is not None for chart in window.charts.charts]])
            if window.runner.latest_is_final:
                QTimer.singleShot(0, window.close)
        """,
        tmp_path,
    )
    assert code == 0
    quick = min(samples for _, samples in seen["computed"])
    assert seen["computed"] == [[1, quick], [1, 200]]  # the quick pass once, then the refinement
    generation, final, editors_built, charts_drawn = seen["draws"][0]
    assert (generation, final, editors_built) == (1, False, False)  # the quick pass, before the editors
    assert all(charts_drawn)
    assert [draw[:2] for draw in seen["draws"]] == [[1, False], [1, True]]  # each result drawn once


def test_the_first_result_is_painted_before_the_editors_are_built(tmp_path: Path) -> None:
    """The charts reach the screen with the first result; the scenario list and the editors (about a
    third of the start's work) are built after that paint, not before it."""
    code, seen = launch(
        """
        class ChartPaint(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and obj.parent() is not None and obj.parent() in charts:
                    app.removeEventFilter(self)
                    seen["first chart paint"] = {"drawn": obj.parent()._drawn_key is not None,
                                                 "editors built": window.startup.ready}
                    QTimer.singleShot(0, window.close)
                return False

        charts = []

        def shown(main):
            global window
            window = main
            window.plotsUpdated.connect(lambda generation: charts or charts.extend(window.charts.charts))
            app.chart_paint = ChartPaint()
            app.installEventFilter(app.chart_paint)
        """,
        tmp_path,
    )
    assert code == 0
    assert seen["first chart paint"] == {"drawn": True, "editors built": False}


def test_the_frame_paints_before_the_preset_models_load(tmp_path: Path) -> None:
    code, seen = launch(
        """
        class FirstPaint(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and obj.objectName() == "jevons-main":
                    app.removeEventFilter(self)
                    seen["loaded at first paint"] = sorted(
                        m for m in ("pydantic", "pyqtgraph", "app.domain.library") if m in sys.modules)
                return False

        def shown(window):
            app.first_paint = FirstPaint()
            app.installEventFilter(app.first_paint)
            window.plotsUpdated.connect(lambda generation: QTimer.singleShot(0, window.close))
        """,
        tmp_path,
    )
    assert code == 0
    assert seen["loaded at first paint"] == []


def test_the_first_result_is_drawn_without_looking_up_the_installed_version(tmp_path: Path) -> None:
    """The version only labels exports: reading the installed packages' records for it (importlib.metadata,
    about 2 ms) waits until something is exported, not the first result (the first pass imports
    app.report.metadata for its seed)."""
    code, seen = launch(
        """
        import app as jevons  # (the script's "app" is the QApplication)

        def shown(window):
            window.plotsUpdated.connect(lambda generation: drawn(window))

        def drawn(window):
            if "version looked up" not in seen:
                seen["version looked up"] = jevons._version.cache_info().currsize > 0
                QTimer.singleShot(0, window.close)
        """,
        tmp_path,
    )
    assert code == 0
    assert seen["version looked up"] is False


def test_closing_before_the_first_result_exits_0(tmp_path: Path) -> None:
    """Closed as soon as it shows, and again as soon as the engine starts: the app leaves with 0 and
    stops the engine thread, whatever the start had reached."""
    code, seen = launch(
        """
        def shown(window):
            QTimer.singleShot(0, window.close)
            app.aboutToQuit.connect(lambda: seen.update(drawn=window.shown_generation, phase=window.startup.phase.value))
        """,
        tmp_path,
    )
    assert code == 0
    assert seen == {"draws": [], "computed": [], "drawn": 0, "phase": "frame"}

    code, seen = launch(
        """
        def shown(window):
            window.runner.busyChanged.connect(lambda busy: busy and QTimer.singleShot(0, window.close))
            app.aboutToQuit.connect(lambda: seen.update(drawn=window.shown_generation, phase=window.startup.phase.value,
                                                        stopped=window.runner.stopped))
        """,
        tmp_path,
    )
    assert code == 0
    assert (seen["drawn"], seen["phase"], seen["stopped"]) == (0, "charts", True)
