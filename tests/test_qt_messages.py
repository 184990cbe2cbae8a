"""Qt's log: the offscreen plugin's size-hint note is dropped, every other message still arrives."""

from __future__ import annotations

from PySide6.QtCore import qWarning

from app.render import qt_messages


def test_only_the_harmless_platform_note_is_dropped(qtlog) -> None:
    qt_messages.install()
    qWarning("This plugin does not support propagateSizeHints()")
    qWarning("QPainter::begin: Paint device returned engine == 0")
    messages = [record.message for record in qtlog.records]
    assert "QPainter::begin: Paint device returned engine == 0" in messages
    assert "This plugin does not support propagateSizeHints()" not in messages
