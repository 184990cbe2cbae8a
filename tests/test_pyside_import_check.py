"""The faster "does this module use PySide6?" check gives PySide6's own answers, when they matter.

PySide6 decides from that answer whether a module may select ``__feature__``
options (snake_case, true_property); a wrong answer would change how Qt's API
looks to that module. Until a feature is selected no answer is recorded; once
one is, every module has PySide6's own answer.
"""

from __future__ import annotations

import importlib
import sys

import PySide6.QtCore  # loads PySide6's feature support
import pytest

from app.gui import pyside_import_check

feature = sys.modules[pyside_import_check.FEATURE_MODULE]


@pytest.fixture
def original_check(monkeypatch):
    """PySide6's own check, with the replacement installed for the test and removed after it
    (and PySide6's record of answers and of features selected as they were)."""
    # PySide6's own functions (the app under test may have replaced them already)
    original = getattr(feature._mod_uses_pyside, "pysides_own", feature._mod_uses_pyside)
    monkeypatch.setattr(feature, "_mod_uses_pyside", original)
    monkeypatch.setattr(feature, "feature_imported", getattr(feature.feature_imported, "pysides_own",
                                                             feature.feature_imported))
    monkeypatch.setattr(feature, "_is_initialized", feature._is_initialized)
    monkeypatch.setattr(feature, "pyside_feature_dict", feature.pyside_feature_dict)
    saved = dict(feature.pyside_feature_dict)
    assert pyside_import_check.install()
    yield original
    feature.pyside_feature_dict.clear()
    feature.pyside_feature_dict.update(saved)


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


def fresh_module(tmp_path, monkeypatch, name: str, source: str):  # a module
    """Import a new module ``name`` with ``source`` through ``__import__``, where PySide6 hooks in, as an
    ``import`` statement does."""
    (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return __import__(name)


def test_no_answer_until_a_feature_is_selected_then_pysides_own(original_check, tmp_path, monkeypatch) -> None:
    assert not feature._is_initialized  # nothing in the app or the tests selects a feature
    qt_user = fresh_module(tmp_path, monkeypatch, "jevons_probe_qt", "from PySide6 import QtCore\n")
    plain = fresh_module(tmp_path, monkeypatch, "jevons_probe_plain", "import math\n")
    assert qt_user.__name__ not in feature.pyside_feature_dict  # no file read at import
    assert plain.__name__ not in feature.pyside_feature_dict
    feature.__init__()  # what the first ``from __feature__ import ...`` does before selecting it
    assert feature.pyside_feature_dict[qt_user.__name__] == 0  # may select features
    assert feature.pyside_feature_dict[plain.__name__] == -1  # ignored by the feature switch
    later = fresh_module(tmp_path, monkeypatch, "jevons_probe_later", "import PySide6\n")
    assert feature.pyside_feature_dict[later.__name__] == 0  # from then on, answered at import
