"""Layering: the domain, engine, session core, report layer and commands know nothing of Qt; only
``app.gui`` (the window) and ``app.render`` (charts, exports, the report bundle, drawn for the window
and the commands alike) import it. The commands reach the charts through ``app.render``, never through
the window; ``app.render`` never reaches into the window; no modules import each other in a circle."""

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
QT_PACKAGES = ("gui", "render")
HEADLESS_PACKAGES = ("domain", "engine", "session", "report", "calibration", "commands")
FORBIDDEN = {
    "domain": ("app.gui", "app.render", "app.commands", "app.session", "app.report"),
    "engine": ("app.gui", "app.render", "app.commands", "app.session", "app.report"),
    "calibration": ("app.gui", "app.render", "app.commands", "app.session"),
    "report": ("app.gui", "app.render", "app.commands", "app.session"),
    "session": ("app.gui", "app.render", "app.commands"),
    "render": ("app.gui", "app.commands", "app.session"),
    "commands": ("app.gui",),
    "gui": ("app.commands",),
}
"""What each layer may never import (counting imports made inside functions)."""


def _module_name(path: Path) -> str:
    return ".".join(("app", *path.relative_to(APP).with_suffix("").parts)).removesuffix(".__init__")


def _imports(path: Path, *, inside_functions: bool = True) -> set[str]:
    """The modules ``path`` imports; ``inside_functions=False`` keeps those loaded with the module itself.
    Imports under ``if TYPE_CHECKING:`` are never executed and are left out."""
    names: set[str] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if not nested or inside_functions:
                if isinstance(child, ast.Import):
                    names.update(alias.name for alias in child.names)
                elif isinstance(child, ast.ImportFrom) and child.module:
                    # ``from package import module`` imports the module; ``from module import name``, the module.
                    submodules = {f"{child.module}.{alias.name}" for alias in child.names} & MODULES
                    names.update(submodules or {child.module})
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return names


MODULES = {_module_name(path) for path in APP.rglob("*.py")}


def _imported_modules(path: Path) -> set[str]:
    return _imports(path)


def _sources(package: str | None = None) -> list[Path]:
    return sorted((APP / package).rglob("*.py") if package else APP.rglob("*.py"))


def test_every_package_is_placed_in_the_layers() -> None:
    """The checks below cover only the packages they list: a new package must be placed among them, as drawing
    with Qt or headless and with the layers it may not import, before it can go unchecked."""
    packages = {path.parent.name for path in APP.glob("*/__init__.py")}
    assert packages == set(QT_PACKAGES) | set(HEADLESS_PACKAGES) == set(FORBIDDEN)
    assert not set(QT_PACKAGES) & set(HEADLESS_PACKAGES)


@pytest.mark.parametrize("package", HEADLESS_PACKAGES)
def test_only_the_window_and_the_renderer_import_qt(package: str) -> None:
    offenders = {
        str(path.relative_to(APP)): sorted(m for m in _imported_modules(path) if m.split(".")[0] in QT_MODULES)
        for path in (*_sources(package), *APP.glob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_headless_parts_loads_no_qt() -> None:
    modules = [_module_name(path) for package in HEADLESS_PACKAGES for path in _sources(package)]
    code = (
        f"import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"import app.cli\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_the_layers_below_it(package: str) -> None:
    offenders = {
        str(path.relative_to(APP)): sorted(m for m in _imported_modules(path) if m.startswith(FORBIDDEN[package]))
        for path in _sources(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _circles(inside_functions: bool) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a longer loop (Tarjan's components)."""
    modules = {_module_name(path): path for path in _sources()}
    graph = {name: {m for m in _imports(path, inside_functions=inside_functions) if m in modules and m != name}
             for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for neighbour in graph[node]:
            if neighbour not in index:
                connect(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in graph:
        if node not in index:
            connect(node)
    return circles


def test_no_modules_import_each_other_in_a_circle_even_through_late_imports() -> None:
    """A late import inside a function hides a circle from Python, not from a reader: the charts and their
    exports once imported each other that way, and the sampling reached back into the inference it feeds."""
    assert _circles(inside_functions=True) == []


def test_the_check_would_catch_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from PySide6 import QtCore\nimport numpy\n")
    assert "PySide6" in _imported_modules(module)


def test_the_window_frame_loads_neither_the_domain_models_nor_the_charts() -> None:
    """The start paints the window's frame first and loads pydantic, the preset models and pyqtgraph only
    after that paint (app.gui.startup): the frame may not import them at module level or while being built."""
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "from app.gui.main_window import MainWindow\n"
        "window = MainWindow(progressive=True)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pyqtgraph')\n"
        "             or m in ('app.domain.base', 'app.domain.library', 'app.render.plots')))\n"
        "window.shutdown()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "JEVONS_CONFIG_DIR": tempfile.mkdtemp()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
