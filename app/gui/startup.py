"""The window's start, in one order on every platform.

1. **Frame**: the window shows its menus, toolbar and a "Loading…" label and
   paints them (Qt, the window frame and nothing heavier are imported by then).
2. **Charts**: right after that paint, the session opens (the preset models
   load), the first document opens and its quick pass is asked of the engine,
   whose thread computes it while this one imports pyqtgraph and builds the
   charts. The charts stay hidden (no half-drawn panels) until they show that
   result, a failure, or :data:`FIRST_RESULT_WAIT_MS` has passed.
3. **Inputs**: once the window has painted the charts with the first result
   (or :data:`INPUTS_WAIT_MS` after they drew it, should the window not paint,
   minimised say), the scenario list and the editors are built (each editor tab
   builds its form on first show).
4. **Ready**: what waited for the editors runs (``when_ready``).

Nothing is asked of the engine before the frame's first paint: its thread
would compete with that paint for the interpreter. A window built with
``progressive=False`` (tests, the offscreen tools) goes through the same steps
at once, in its constructor.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

FIRST_RESULT_WAIT_MS = 3000
"""The charts show at most this long after they are built, whether or not the first result has come."""
INPUTS_WAIT_MS = 1000
"""The editors are built at most this long after the charts show the first result, painted or not."""


class Phase(enum.Enum):
    FRAME = "frame"
    """Only the frame exists: waiting for its first paint."""
    CHARTS = "charts"
    """The session and the charts exist: waiting for the first result (or failure, or the wait's end)."""
    INPUTS = "inputs"
    """The first result is shown: the editors are being built after its paint."""
    READY = "ready"


class Startup:
    """Where the window's start is, what each step does next, and what waits for its end."""

    def __init__(self, window: MainWindow, opening: Callable[[], None] | None = None):
        """``opening`` opens the first document once the session exists (nothing opens without it)."""
        self.window = window
        self.phase = Phase.FRAME
        self.painted = False
        """The frame has been painted once; the engine may start."""
        self._inputs_asked = False
        self.opening = opening
        self._request_deferred = False
        self._when_ready: list[Callable[[], None]] = []

    # ------------------------------------------------------------ what the window asks

    def allows_request(self) -> bool:
        """Whether the engine may start now; if not, the request is made once the frame has painted."""
        if not self.painted:
            self._request_deferred = True
        return self.painted

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the editors are built (at once if they are)."""
        if self.phase is Phase.READY:
            callback()
        else:
            self._when_ready.append(callback)

    @property
    def ready(self) -> bool:
        return self.phase is Phase.READY

    # ------------------------------------------------------------ the steps

    def build_now(self) -> None:
        """Every step at once (a window built with ``progressive=False``)."""
        self._charts()
        self._inputs()

    def window_painted(self) -> None:
        """The window has just been painted: the first time, the charts are built next; once the charts are
        painted with the first result, the editors."""
        if self.painted:
            if self.phase is Phase.INPUTS and self.window.centralWidget().isVisible():
                self._inputs_soon()
            return
        self.painted = True
        if self.phase is Phase.FRAME:
            QTimer.singleShot(0, lambda: self._step(self._charts_after_paint))
        if self._request_deferred:
            self._request_deferred = False
            QTimer.singleShot(0, self.window.request_computation)

    def result_shown(self) -> None:
        """The charts show the first result or a failure (or the wait for one is over)."""
        if self.phase is not Phase.CHARTS:
            return
        self.phase = Phase.INPUTS
        self.window.centralWidget().setUpdatesEnabled(True)  # painted next; the editors wait for that paint
        QTimer.singleShot(INPUTS_WAIT_MS, self._inputs_soon)

    def _inputs_soon(self) -> None:
        """Build the editors from the event loop, once."""
        if not self._inputs_asked:
            self._inputs_asked = True
            QTimer.singleShot(0, lambda: self._step(self._inputs))

    def _step(self, step: Callable[[], None]) -> None:
        """A step run from the event loop: an error is shown to the user, never a silent blank window."""
        try:
            step()
        except Exception as error:
            self.window.show_message("Jevons could not start", f"{type(error).__name__}: {error}")

    def _charts(self) -> None:
        """The session, the first document (its quick pass asked of the engine) and the charts."""
        if self.phase is not Phase.FRAME:
            return
        self.phase = Phase.CHARTS
        self.window.open_session()
        if self.opening is not None:
            self.opening()
        self.window.build_charts()

    def _charts_after_paint(self) -> None:
        self._charts()
        if self.window.document is None:  # nothing could be opened: no result to wait for
            self.result_shown()
            return
        central = self.window.centralWidget()
        central.setUpdatesEnabled(False)  # painted with the first result
        # Laid out now, not after the result: the charts draw it once, at their own size.
        central.show()
        self.window.layout().activate()
        QTimer.singleShot(FIRST_RESULT_WAIT_MS, self.result_shown)

    def _inputs(self) -> None:
        """The scenario list and the editors; then what waited for them."""
        if self.phase is Phase.READY:
            return
        self.window.build_inputs()
        self.phase = Phase.READY
        callbacks, self._when_ready = self._when_ready, []
        for callback in callbacks:
            callback()
