"""Start the desktop app: ``jevons [FILE]`` or ``jevons --screenshot PATH [FILE]``.

Qt is imported here, not at the top of ``app.cli``, so headless commands
never load it. The app always leaves through the event loop, stops the engine
thread on ``aboutToQuit``, and deletes its window before returning, so the
process ends with the loop's exit code (0 on a normal close).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.session.options import launcher_parser

SCREENSHOT_TIMEOUT_MS = 120_000
COLLECTOR_OFF_AT_MOST_MS = 10_000
"""The cyclic garbage collector is back on by then even if the window never finished building."""


def one_blas_thread() -> None:
    """Let numpy's BLAS run on the calling thread only (unless the user set otherwise); before numpy is imported.

    OpenBLAS (in numpy's Linux and Windows wheels) starts a thread per core when numpy
    loads, which spins for about 50 ms of processor time waiting for work. The window
    gives it none: the engine runs on one thread of its own and its one dot product is a
    weighted sum over a few terms. On a 2-core machine that thread took processor time
    from the window's start and from the engine's thread. The engine's speed is unchanged
    (benchmarks/bench_engine.py).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def collector_off_while_starting() -> None:
    """Switch the cyclic garbage collector off for the start-up (see :func:`collector_back_on`).

    Start-up creates a great many objects that live as long as the app:
    modules, classes, widgets, presets. The collector would scan them over
    200 times before the first result is painted (80-140 ms on a 2-core
    machine) and find almost nothing to free.
    """
    gc.disable()


def collector_back_on() -> None:
    """Move what start-up built out of the collector's sight, then switch it on again (once).

    Later collections, during edits, then scan only what edits create.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def launch(argv: Sequence[str]) -> int:
    """Run the app; returns the process exit code."""
    try:
        args = launcher_parser().parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)

    one_blas_thread()
    collector_off_while_starting()
    try:
        return _run(args)
    finally:
        collector_back_on()  # however the app ended


def _run(args: argparse.Namespace) -> int:
    """The app's window and event loop, with the collector off until the window is built."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if args.screenshot and sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen

    # PySide6 first: pyqtgraph, imported once the window frame has painted, then binds to it.
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui import pyside_import_check, slot_guard
    from app.render import qt_messages

    pyside_import_check.install()  # before the window's ~500 imports
    qt_messages.install()
    from app.gui.main_window import MainWindow

    if args.screenshot and args.file:
        from app.domain.errors import PresetFileError
        from app.domain.files import load_preset

        try:  # check first, so a bad file fails the screenshot with a clear message
            load_preset(args.file)
        except PresetFileError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            return 2

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "jevons"])
    app.setApplicationName("Jevons")
    app.setOrganizationName("Jevons")

    def open_first(window: MainWindow) -> None:
        """Once the session exists (after the frame's first paint): the file, else the default."""
        window.files.open_at_start(args.file)
        if window.document is None and args.screenshot:
            print("jevons: no comparison could be opened", file=sys.stderr)
            app.exit(2)
        if not args.screenshot:  # a crash left unsaved changes: offer them back (asks, so not headless)
            QTimer.singleShot(0, window.recovery.offer_restore)

    window = MainWindow(samples=args.samples, progressive=True, opening=open_first)
    app.aboutToQuit.connect(window.shutdown)
    slot_guard.install_excepthook(window)  # an error in any slot: a dialog, never a half-done window
    if args.size:
        window.resize(*args.size)

    window.when_ready(collector_back_on)  # the first result is painted and the editors are built
    QTimer.singleShot(COLLECTOR_OFF_AT_MOST_MS, collector_back_on)
    window.show()

    status = {"code": 0}
    if args.screenshot:
        from app.domain.atomic_save import atomic_target

        target = Path(args.screenshot)
        # (the screenshot waits for the charts, so the progressive start is invisible in it)

        def take(code: int, note: str = "") -> None:
            app.processEvents()
            try:
                with atomic_target(target) as temporary:
                    if not window.grab().save(str(temporary), "PNG"):
                        raise OSError("the image could not be encoded")
            except OSError as error:
                print(f"jevons: cannot write the screenshot to {target}: {error}", file=sys.stderr)
                code = 1
            if note:
                print(f"jevons: {note}", file=sys.stderr)
            status["code"] = code
            app.exit(code)

        def on_plots_updated(_generation: int) -> None:
            if window.runner.latest_is_final:  # the refined result, or one with nothing to refine
                QTimer.singleShot(50, lambda: take(0))

        window.plotsUpdated.connect(on_plots_updated)
        window.computationFailed.connect(lambda message: QTimer.singleShot(0, lambda: take(1, message)))
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: take(1, "timed out waiting for the engine"))

    code = app.exec()
    window.shutdown()
    window.hide()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code if code else status["code"]
