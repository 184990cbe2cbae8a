"""The early first result: computed in a forked process while the window builds, drawn before the
domain models load, and exactly what the window's own engine computes next (app.session.first_result)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from gui_fixtures import make_window  # noqa: F401 - fixture

from app.domain.library import PresetLibrary
from app.report.chart_data import ChartTables
from app.session.compute import chart_inputs
from app.session.controller import Session, default_comparison_path
from app.session.first_result import FirstResult
from app.session.results import ScenarioResults

REPO = Path(__file__).resolve().parent.parent
PRESETS = REPO / "presets"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the early result forks (Linux only)")
forks = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                           reason="the early result forks on Linux with two cores or more")


def run_python(script: str, tmp_path: Path, text: bool = True) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JEVONS_CONFIG_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=REPO, env=environment,
                          capture_output=True, text=text, timeout=120)


# ---------------------------------------------------------------- which document a start opens


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(PresetLibrary())


def test_a_start_opens_the_comparison_file_it_is_given(session: Session) -> None:
    path = PRESETS / "comparisons" / "published-gpt-3.json"
    document = session.first_document(path)
    assert document.path == path
    assert document.comparison == session.load(path)


def test_a_start_without_a_file_opens_the_default_untitled(session: Session) -> None:
    document = session.first_document(None)
    assert document.path is None
    assert document.comparison == session.load(default_comparison_path())


@pytest.mark.parametrize("make", [
    lambda tmp: tmp / "missing.json",
    lambda tmp: (tmp / "broken.json", (tmp / "broken.json").write_text("{ not json"))[0],
    lambda tmp: PRESETS / "hardware" / next(p.name for p in (PRESETS / "hardware").glob("*.json")),
], ids=["missing", "broken", "a single preset"])
def test_a_start_with_a_file_that_is_no_comparison_opens_the_default(session: Session, tmp_path: Path, make) -> None:  # noqa: ANN001
    """As the window does: a bad file is reported, a single preset applied after the start, and the
    default opens first in both cases."""
    document = session.first_document(make(tmp_path))
    assert document.path is None
    assert document.comparison == session.load(default_comparison_path())


# ---------------------------------------------------------------- the parent's end of the pipe


def test_a_message_arrives_in_pieces_and_is_read_without_waiting() -> None:
    tables = {"figures": list(range(3_000))}  # under a pipe's 64 kB: the writer never waits for the reader here
    data = pickle.dumps(tables)
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    early = FirstResult(0, read_end)
    assert early.read() is False and not early.done  # nothing yet: returns at once
    os.write(write_end, data[:1000])
    assert early.read() is False
    with os.fdopen(write_end, "wb") as out:
        out.write(data[1000:])
    assert early.read() is True and early.done
    assert early.tables == tables
    assert early.fileno() == -1  # the pipe is closed once read


@pytest.mark.parametrize("sent", [b"", b"\x80\x05truncated"], ids=["nothing", "truncated"])
def test_a_child_that_sent_nothing_usable_means_no_early_result(sent: bytes) -> None:
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.write(write_end, sent)
    os.close(write_end)
    early = FirstResult(0, read_end)
    assert early.read() is True
    assert early.tables is None


def test_closing_stops_and_reaps_a_child_still_computing() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    read_end, write_end = os.pipe()
    early = FirstResult(child.pid, read_end)
    early.close()
    os.close(write_end)
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped: no zombie left behind
    assert early.done
    child.wait(timeout=5)  # (Popen learns it is gone, and does not warn)


# ---------------------------------------------------------------- the forked child, end to end


@forks
def test_the_early_result_is_the_windows_own_first_result_and_loads_no_pydantic(tmp_path: Path) -> None:
    """The child's tables equal those of the engine's first (quick) pass, and receiving them loads
    neither pydantic nor the domain models (the point: the window draws them before those load)."""
    done = run_python(
        """
        import select, sys
        from app.session import first_result
        early = first_result.start(None, 100)
        assert early is not None, "could not fork"
        while not early.read():
            select.select([early.fileno()], [], [], 60)
        assert early.tables is not None, "the child sent nothing"
        loaded = sorted(m for m in sys.modules if m == "pydantic" or m.startswith(("app.domain.library", "app.domain.scenario")))
        sys.stdout.buffer.write(__import__("pickle").dumps((loaded, early.tables)))
        """,
        tmp_path,
        text=False,
    )
    assert done.returncode == 0, done.stderr
    loaded, tables = pickle.loads(done.stdout)
    assert loaded == []
    session = Session(PresetLibrary())
    session.open(session.first_document(None))
    own = ChartTables.of(chart_inputs(session.request().resolved, 100, ScenarioResults()))
    from app.render.plots.base import fingerprint

    for name in ("samples", "training", "inference", "adoption", "summary", "verdict"):
        assert fingerprint(getattr(tables, name)) == fingerprint(getattr(own, name)), name


@forks
def test_the_app_draws_the_early_result_first_and_the_engine_redraws_nothing(tmp_path: Path) -> None:
    """Launched as a user launches it: generation 0 (the early result) is drawn first; the engine's
    own quick result then leaves every chart as drawn; the refined one follows; the exit code is 0."""
    done = run_python(
        """
        import json, sys
        from app.session import first_result

        fork = first_result.start
        seen = {}

        def start(*args, **kwargs):
            early = fork(*args, **kwargs)
            seen["forked"] = early is not None
            from PySide6.QtCore import QEvent, QObject, QTimer
            from PySide6.QtWidgets import QApplication
            app = QApplication(sys.argv[:1])

            class Watch(QObject):
                def eventFilter(self, obj, event):
                    if event.type() == QEvent.Type.Show and obj.objectName() == "jevons-main":
                        app.removeEventFilter(self)
                        obj.plotsUpdated.connect(lambda generation: drawn(obj, generation))
                    return False

            def drawn(window, generation):
                charts = window.charts.charts
                seen.setdefault("draws", []).append(
                    [generation, window.runner.latest_is_final, [c._drawn_key is not None for c in charts]])
                seen.setdefault("keys", []).append([id(c._drawn_key) for c in charts])
                if window.runner.latest_is_final:
                    QTimer.singleShot(0, window.close)

            app.watch = Watch()
            app.installEventFilter(app.watch)
            QTimer.singleShot(60_000, app.quit)
            return early

        first_result.start = start
        from app.gui.launch import launch
        code = launch([])
        print(json.dumps(seen))
        sys.exit(code)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["forked"] is True
    generations = [draw[0] for draw in seen["draws"]]
    assert generations[:2] == [0, 1], generations  # the early result, then the engine's own quick pass
    assert all(all(flags) for _, _, flags in seen["draws"])
    assert seen["keys"][1] == seen["keys"][0]  # its tables were already drawn: no chart drew again
    assert seen["draws"][-1][1] is True  # the refined result came last


@forks
def test_closing_the_window_before_the_early_result_ends_its_process(tmp_path: Path) -> None:
    """Closed at once: the app exits with 0 and leaves no child process behind, running or zombie."""
    done = run_python(
        """
        import os, sys
        from app.session import first_result

        fork = first_result.start
        seen = {}

        def start(*args, **kwargs):
            early = seen["early"] = fork(*args, **kwargs)
            from PySide6.QtCore import QEvent, QObject, QTimer
            from PySide6.QtWidgets import QApplication
            app = QApplication(sys.argv[:1])

            class CloseOnShow(QObject):
                def eventFilter(self, obj, event):
                    if event.type() == QEvent.Type.Show and obj.objectName() == "jevons-main":
                        app.removeEventFilter(self)
                        seen["waiting"] = not early.done
                        QTimer.singleShot(0, obj.close)
                    return False

            app.closer = CloseOnShow()
            app.installEventFilter(app.closer)
            return early

        first_result.start = start
        from app.gui.launch import launch
        code = launch([])
        try:
            os.waitpid(seen["early"].pid or -1, os.WNOHANG)
            left = "child left behind"
        except ChildProcessError:
            left = "none"
        print(seen["waiting"], left)
        sys.exit(code)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "none"]


@pytest.mark.parametrize("make", [
    lambda tmp: None,
    lambda tmp: PRESETS / "comparisons" / "published-gpt-3.json",
    lambda tmp: tmp / "missing.json",
    lambda tmp: PRESETS / "hardware" / next(p.name for p in (PRESETS / "hardware").glob("*.json")),
], ids=["no file", "a comparison", "missing", "a single preset"])
def test_the_early_result_computes_the_document_the_window_opens(qtbot, make_window, tmp_path: Path, make) -> None:  # noqa: ANN001
    """The child chooses its document without the window (Session.first_document); it must be the one
    the window's start opens (FileActions.open_at_start), or the first charts would show another."""
    path = make(tmp_path)
    window = make_window(open_default=False)
    window.show_file_error = lambda *args: None  # a bad file is reported in a dialog: not here
    window.show_message = lambda *args: None
    window.files.open_at_start(path)
    if window.document.can_undo:  # a single preset is an edit made once the editors exist, after the first result
        window.document.undo()
    session = Session(PresetLibrary())
    session.open(session.first_document(path))
    assert window.session.comparison == session.comparison
    assert window.document.path == session.document.path


@linux_only
def test_one_core_computes_the_first_result_in_the_window_itself(tmp_path: Path) -> None:
    """With a single core the child would only take turns with the window: no fork then."""
    done = run_python(
        """
        import os
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        from app.session import first_result
        print(first_result.start(None, 100))
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
