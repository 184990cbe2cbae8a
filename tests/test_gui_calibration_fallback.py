"""A calibration named by JEVONS_CALIBRATION that cannot be used is said in the window, not only on stderr."""

from __future__ import annotations

from gui_fixtures import *  # noqa: F403 - make_window
from PySide6.QtWidgets import QLabel

from app.engine import calibration


def _fresh_environment(monkeypatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(calibration.ENVIRONMENT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(calibration.ENVIRONMENT_VARIABLE, value)
    calibration._from_environment.cache_clear()  # the engine reads the variable once per path


def test_a_refused_calibration_file_is_named_in_the_status_bar(make_window, monkeypatch, tmp_path):
    bad = tmp_path / "mine.json"
    bad.write_text('{"kind": "serving-calibration", "format_version": 99}', encoding="utf-8")
    _fresh_environment(monkeypatch, str(bad))
    try:
        window = make_window(open_default=False)
        warning = window.statusBar().findChild(QLabel, "calibration-fallback")
        assert warning is not None and warning.isVisible()
        assert "mine.json" in warning.text() and "format_version" in warning.text()
        assert "shipped calibration" in warning.text()
        assert calibration.active() is calibration.shipped()
    finally:
        _fresh_environment(monkeypatch, None)


def test_no_warning_without_a_refused_file(make_window, monkeypatch):
    _fresh_environment(monkeypatch, None)
    window = make_window(open_default=False)
    assert window.statusBar().findChild(QLabel, "calibration-fallback") is None
