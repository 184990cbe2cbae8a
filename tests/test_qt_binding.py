"""The installed Qt binding does not corrupt Python's reference counts.

PySide6 6.12.0 decrements None's reference count on every call that returns
nothing; on CPython 3.11 the app then aborts ("none_dealloc") after seconds of
painting. pyproject.toml excludes that release; this test catches any other
release with the same fault before a user does.
"""

from __future__ import annotations

import sys

from PySide6 import QtWidgets


def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    field = QtWidgets.QLineEdit()
    qtbot.addWidget(field)
    before = sys.getrefcount(None)
    for _ in range(2000):
        field.setText("1.5")
    assert sys.getrefcount(None) >= before - 50
