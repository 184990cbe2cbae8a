"""The domain and the engine know nothing of Qt, so they run and test without a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "qtpy")
HEADLESS_PACKAGES = ("domain", "engine", "commands")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["domain", "engine"])
def test_package_source_never_imports_qt(package: str) -> None:
    offenders = {
        str(path.relative_to(APP)): sorted(m for m in _imported_modules(path) if m.split(".")[0] in QT_MODULES)
        for path in (APP / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_headless_parts_loads_no_qt() -> None:
    modules = ", ".join(f"app.{p}" for p in HEADLESS_PACKAGES)
    code = (
        f"import sys, importlib\n"
        f"for name in '{modules}'.split(', '): importlib.import_module(name)\n"
        f"import app.cli\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_check_would_catch_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from PySide6 import QtCore\nimport numpy\n")
    assert "PySide6" in _imported_modules(module)
