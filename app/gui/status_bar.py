"""What the status bar says besides passing messages: whether the engine is computing, and a refused calibration."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

SHOW_BAR_AFTER_MS = 250
"""The bar animates only for computations long enough to notice."""


class BusyIndicator(QObject):
    """Says in the status bar whether the engine is computing.

    Both widgets keep a fixed size and the bar keeps its room when hidden:
    showing and hiding widgets in the status bar would lay out the window
    again, and so repaint every chart, twice per edit.
    """

    def __init__(self, status_bar: QStatusBar):
        super().__init__(status_bar)
        self.bar = QProgressBar()
        self.bar.setObjectName("busy")
        self.bar.setFixedSize(120, 12)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 1)
        policy = self.bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.bar.setSizePolicy(policy)
        self.bar.setVisible(False)
        self.bar.setAccessibleName("Computing")
        self.label = QLabel()
        self.label.setFixedWidth(90)
        status_bar.addPermanentWidget(self.label)
        status_bar.addPermanentWidget(self.bar)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_BAR_AFTER_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def set_busy(self, busy: bool) -> None:
        self.label.setText("Computing…" if busy else "")
        if busy:
            self._timer.start()
        else:
            self._timer.stop()
            self.bar.setRange(0, 1)
            self.bar.setVisible(False)

    @property
    def shown(self) -> bool:
        """True while the indicator says a computation runs."""
        return bool(self.label.text())

    def _on_timer_timeout(self) -> None:
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)


def show_calibration_fallback(status_bar: QStatusBar) -> None:
    """Say, for as long as the window is open, that ``$JEVONS_CALIBRATION`` was refused (and why)."""
    from app.engine import calibration

    problems = calibration.environment_problems()
    if not problems:
        return
    warning = QLabel(f"{calibration.ENVIRONMENT_VARIABLE} cannot be used: {problems[0]} - using the shipped calibration")
    warning.setObjectName("calibration-fallback")
    warning.setTextFormat(Qt.TextFormat.PlainText)  # the problems quote the file
    warning.setToolTip("\n".join(problems))
    warning.setStyleSheet("color: #9a3412;")
    status_bar.addWidget(warning, 1)
