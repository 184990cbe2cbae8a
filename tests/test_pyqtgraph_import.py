"""pyqtgraph as the app imports it: PySide6's own classes, each made when first used.

pyqtgraph's import used to make every class of QtCore, QtGui and QtWidgets (and a
Python enum for each of their enums), most of which the window never uses; the
app's import makes only what is asked for, and pyqtgraph sees the same classes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pyqtgraph as pg
import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets

from app.render.pyqtgraph_import import MODULES, import_pyqtgraph

REPO = Path(__file__).resolve().parent.parent


def run(code: str, *paths: Path) -> dict:
    """Run ``code`` in a fresh interpreter (``paths`` first on its path); the JSON it prints last."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ":".join(map(str, paths)),
                                            "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_charts_import_makes_only_the_qt_classes_asked_for() -> None:
    seen = run("""
        import json, PySide6.QtWidgets as widgets
        import app.render.plots
        made_at_import = "QCalendarWidget" in widgets.__dict__  # a class no chart uses
        import pyqtgraph.Qt
        same = pyqtgraph.Qt.QtWidgets.QCalendarWidget is widgets.QCalendarWidget
        print(json.dumps({"made_at_import": made_at_import, "same": same, "listed": "QCalendarWidget" in dir(widgets)}))
    """)
    assert seen == {"made_at_import": False, "same": True, "listed": True}


def test_pyqtgraph_sees_pysides_own_classes_and_names(qtbot) -> None:
    assert import_pyqtgraph() is pg  # the suite imports pyqtgraph the app's way (conftest)
    for name in MODULES:
        source, copy = getattr(PySide6, name), getattr(pg.Qt, name)
        for attribute in ("QObject", "QPainterPath", "QGraphicsObject", "QCalendarWidget", "Qt", "Signal"):
            if hasattr(source, attribute):
                assert getattr(copy, attribute) is getattr(source, attribute)
            else:
                assert not hasattr(copy, attribute)
        assert set(dir(source)) <= set(dir(copy))  # every name listed, as pyqtgraph's own copy lists them
    assert pg.Qt.QtWidgets.QOpenGLWidget is not None  # what pyqtgraph adds to its copies stays there
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.plot([1, 2, 3], [3, 1, 2])
    assert plot.getViewBox().viewRange()[0][0] <= 1


def test_a_pyqtgraph_that_makes_its_copies_otherwise_gets_them_filled(tmp_path: Path) -> None:
    """A stand-in pyqtgraph whose Qt copies are modules it makes itself and fills with ``dir``: the
    import lists no names to it, so the copies are filled afterwards, as it would have filled them."""
    package = tmp_path / "pyqtgraph"
    package.mkdir()
    (package / "__init__.py").write_text("from . import Qt\n")
    (package / "Qt.py").write_text(textwrap.dedent("""
        import types, PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
        QtCore, QtGui, QtWidgets = (types.ModuleType(n) for n in ("QtCore", "QtGui", "QtWidgets"))
        for source, copy in ((PySide6.QtCore, QtCore), (PySide6.QtGui, QtGui), (PySide6.QtWidgets, QtWidgets)):
            for name in dir(source):
                if not hasattr(copy, name):
                    setattr(copy, name, getattr(source, name))
    """))
    seen = run("""
        import json, sys, PySide6.QtWidgets as widgets
        from app.render.pyqtgraph_import import import_pyqtgraph
        pg = import_pyqtgraph()
        print(json.dumps({"same": pg.Qt.QtWidgets.__dict__.get("QCalendarWidget") is widgets.QCalendarWidget,
                          "listed": "QCalendarWidget" in dir(widgets)}))
    """, tmp_path, REPO)
    assert seen == {"same": True, "listed": True}
