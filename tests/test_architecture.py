"""Layering: the domain, engine, session core and report layer know nothing of Qt; the GUI and
the command line do not reach into each other except through the one rendering module."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "qtpy")
HEADLESS_PACKAGES = ("domain", "engine", "session", "report", "commands")
RENDERING_MODULE = "app.gui.export"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["domain", "engine", "session", "report"])
def test_package_source_never_imports_qt(package: str) -> None:
    offenders = {
        str(path.relative_to(APP)): sorted(m for m in _imported_modules(path) if m.split(".")[0] in QT_MODULES)
        for path in (APP / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_headless_parts_loads_no_qt() -> None:
    modules = [
        ".".join(("app", *path.relative_to(APP).with_suffix("").parts)).removesuffix(".__init__")
        for package in HEADLESS_PACKAGES
        for path in sorted((APP / package).rglob("*.py"))
    ]
    code = (
        f"import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"import app.cli\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _app_imports(package: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(APP)): {m for m in _imported_modules(path) if m.startswith("app.")}
        for path in (APP / package).rglob("*.py")
    }


def test_the_gui_never_imports_the_commands() -> None:
    offenders = {k: sorted(m for m in v if m.startswith("app.commands")) for k, v in _app_imports("gui").items()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_commands_reach_the_gui_only_through_the_rendering_module() -> None:
    offenders = {
        k: sorted(m for m in v if m.startswith("app.gui") and m != RENDERING_MODULE) for k, v in _app_imports("commands").items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_session_and_report_do_not_import_the_gui() -> None:
    for package in ("session", "report"):
        offenders = {k: sorted(m for m in v if m.startswith(("app.gui", "app.commands"))) for k, v in _app_imports(package).items()}
        assert {k: v for k, v in offenders.items() if v} == {}, package


def test_the_check_would_catch_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from PySide6 import QtCore\nimport numpy\n")
    assert "PySide6" in _imported_modules(module)


def test_the_window_frame_and_charts_load_without_the_domain_models() -> None:
    """A start draws its first result (computed in another process, app.session.first_result) in
    charts built before pydantic and the preset models load: neither the window's frame nor the
    charts may import them at module level or while being built."""
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "from app.gui.main_window import MainWindow\n"
        "from app.gui.charts_panel import ChartsPanel\n"
        "window = MainWindow(progressive=True)\n"
        "charts = ChartsPanel()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m in ('app.domain.base', 'app.domain.library')))\n"
        "window.shutdown()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "JEVONS_CONFIG_DIR": tempfile.mkdtemp()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
