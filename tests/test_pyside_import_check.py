"""The faster "does this module use PySide6?" check gives PySide6's own answers.

PySide6 decides from that answer whether a module may select ``__feature__``
options (snake_case, true_property); a wrong answer would change how Qt's API
looks to that module.
"""

from __future__ import annotations

import importlib
import sys

import PySide6.QtCore  # noqa: F401 - loads PySide6's feature support
import pytest

from app.gui import pyside_import_check

feature = sys.modules[pyside_import_check.FEATURE_MODULE]


@pytest.fixture
def original_check(monkeypatch):
    """PySide6's own check, with the replacement installed for the test and removed after it."""
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    original = feature._mod_uses_pyside
    while getattr(original, "reads_bytes", False):  # the app under test may have installed it already
        original = original.__closure__[0].cell_contents
    monkeypatch.setattr(feature, "_mod_uses_pyside", original)
    assert pyside_import_check.install()
    return original


@pytest.mark.parametrize(
    "name",
    [
        "app.gui.main_window",  # names PySide6
        "app.domain.base",  # Qt-free
        "numpy",  # a package: its __init__.py
        "pyqtgraph.graphicsItems.PlotItem.PlotItem",  # imports Qt through pyqtgraph.Qt
        "pyqtgraph.Qt",  # names PySide6
        "math",  # built in or an extension module: no .py source
        "json",
    ],
)
def test_same_answer_as_pyside(original_check, name: str) -> None:
    module = importlib.import_module(name)
    assert feature._mod_uses_pyside(module) == original_check(module)


def test_answers_are_the_expected_ones(original_check) -> None:
    assert feature._mod_uses_pyside(importlib.import_module("app.gui.main_window")) is True
    assert feature._mod_uses_pyside(importlib.import_module("app.domain.base")) is False


def test_installed_once(original_check) -> None:
    assert not pyside_import_check.install()  # already replaced: not wrapped twice
