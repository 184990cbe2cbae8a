"""Time from launch to a painted window: Jevons against a bare PySide6 + pyqtgraph window.

    python benchmarks/bench_gui_startup.py [--runs N] [--busy]

Each run starts a fresh Python process (offscreen unless QT_QPA_PLATFORM is
set) and records wall-clock moments, each minus the moment the parent
launched it (interpreter start and imports count): for the bare window
(QApplication, QMainWindow, one PlotWidget) the first paint of its plot; for
Jevons its first paint (the frame), the moment its editors and charts are
built, and the moment the first results have been painted (the first paint of
a chart after the first result was drawn in it: a paint of the window around
hidden charts does not count). The probe watches only the widgets it reports
on (an event filter on the application would run Python for every event of
every widget, a cost that grows with the program measured: about 26 ms of
Jevons' start against 7 ms of the bare window's, in instructions). Runs
alternate between the two programs and medians are
compared. Both run with a bytecode cache, as an installed app does: the
warm-up runs write it to the temporary folder (``PYTHONPYCACHEPREFIX``), even
where ``PYTHONDONTWRITEBYTECODE`` is set (without it every run compiles the
app's own modules again, about 80 ms here, while the bare window's libraries
come precompiled). ``--busy`` keeps one core busy (a spinning process) throughout, for
both programs. Target: first results painted within 1.5x the bare window, idle and with
one core busy. Beside wall time it reports the processor time each program had used by
its moment (all threads), which other jobs on a shared machine disturb far less. Prints
figures and the machine, then one JSON line; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import machine  # noqa: E402

PROBE = r'''
import sys, time
kind = sys.argv[1]


def install_probe():
    global app, probe, QTimer
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        # Watches only the widgets it reports on: an application-wide filter would run Python for every
        # event of every widget, a cost that grows with the program measured.
        frame = None  # Jevons' main window, whose first paint is the frame's
        plots = []  # the widgets whose paint shows a plot: the bare window's plot, or Jevons' charts once drawn
        done = False
        results_painted = False

        def watch_plot(self, widget):
            self.plots.append(widget)
            widget.installEventFilter(self)

        def eventFilter(self, obj, event):
            if event.type() != QEvent.Type.Paint:
                return False
            if not self.done and (obj is self.frame or obj in self.plots):
                self.done = True
                print(f"PAINTED {time.time():.6f} {time.process_time():.6f}", flush=True)
                if kind == "bare":
                    QTimer.singleShot(0, lambda: [w.close() for w in app.topLevelWidgets() if w.isVisible()])
            elif self.done and kind == "jevons" and obj in self.plots and not self.results_painted:
                self.results_painted = True
                print(f"RESULTS {time.time():.6f} {time.process_time():.6f}", flush=True)
                QTimer.singleShot(0, obj.window().close)
            return False

    probe = FirstPaint()
    QTimer.singleShot(60_000, app.quit)  # never hang the benchmark
    if kind == "jevons":
        # launch() builds and shows the main window, then runs the event loop: its first turn comes before
        # the first paint (a paint request waits behind the other posted events) and finds the window.
        def found():
            window = next(w for w in app.topLevelWidgets() if w.objectName() == "jevons-main")
            probe.frame = window
            window.installEventFilter(probe)
            window.when_ready(lambda: print(f"BUILT {time.time():.6f}", flush=True))
            window.plotsUpdated.connect(lambda _g: charts_drawn(window))

        def charts_drawn(window):
            # The first result is in the charts: wait for the paint that shows it.
            if probe.plots:
                return
            for chart in window.charts.charts:
                probe.watch_plot(chart.viewport())
            window.update()

        QTimer.singleShot(0, found)


if kind == "bare":
    install_probe()
    import pyqtgraph as pg
    from PySide6.QtWidgets import QMainWindow
    window = QMainWindow()
    plot = pg.PlotWidget()
    probe.watch_plot(plot.viewport())
    plot.plot([1, 2, 3], [3, 1, 2])
    window.setCentralWidget(plot)
    window.resize(1600, 980)
    window.show()
    sys.exit(app.exec())
else:
    install_probe()  # the launch uses the probe's QApplication
    from app.gui.launch import launch
    sys.exit(launch([]))
'''


def run_once(kind: str, config: str) -> dict[str, float]:
    """Seconds from launch to each recorded moment (PAINTED; for Jevons also BUILT and RESULTS), and the
    processor time the program had used by then (PAINTED_CPU, RESULTS_CPU: every thread, from its start)."""
    environment = {**os.environ, "JEVONS_CONFIG_DIR": config, "PYTHONPYCACHEPREFIX": str(Path(config) / "bytecode")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    done = subprocess.run([sys.executable, "-c", PROBE, kind], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=120)
    moments = {}
    for line in done.stdout.splitlines():
        name, *stamps = line.split(" ")
        if name in ("PAINTED", "BUILT", "RESULTS"):
            moments[name] = float(stamps[0]) - start
            if len(stamps) > 1:
                moments[f"{name}_CPU"] = float(stamps[1])
    if "PAINTED" not in moments or done.returncode != 0:
        raise RuntimeError(f"{kind}: exit {done.returncode}, recorded {moments}:\n{done.stderr[-2000:]}")
    return moments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--busy", action="store_true", help="keep one core busy while measuring")
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "jevons": []}
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    try:
        with tempfile.TemporaryDirectory() as config:
            run_once("bare", config)  # warm the file cache for both
            run_once("jevons", config)
            for _ in range(args.runs):
                for kind in runs:
                    runs[kind].append(run_once(kind, config))
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    print(f"Machine: {machine()}; QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}; "
          f"{args.runs} runs each; {'one core busy' if args.busy else 'no added load'}; "
          f"load average {os.getloadavg()[0]:.1f}")

    def line(label: str, values: list[float]) -> float:
        median = statistics.median(values)
        print(f"  {label:48s} {median * 1000:6.0f} ms median (min {min(values) * 1000:.0f}, "
              f"max {max(values) * 1000:.0f})")
        return median

    bare = line("bare PySide6 + pyqtgraph window, first paint", [r["PAINTED"] for r in runs["bare"]])
    first = line("Jevons main window, first paint (frame)", [r["PAINTED"] for r in runs["jevons"]])
    built = line("Jevons editors and charts built", [r["BUILT"] for r in runs["jevons"]])
    results = line("Jevons first results painted", [r["RESULTS"] for r in runs["jevons"]])
    print(f"  first results painted: {results / bare:.2f}x the bare window (target <= 1.5x)")
    bare_cpu = line("bare window: processor time by its first paint", [r["PAINTED_CPU"] for r in runs["bare"]])
    results_cpu = line("Jevons: processor time by its first results", [r["RESULTS_CPU"] for r in runs["jevons"]])
    print(f"  processor time by then: {results_cpu / bare_cpu:.2f}x the bare window's "
          "(less sensitive than wall time to other jobs on the machine)")
    print(json.dumps({
        "busy_core": args.busy,
        "bare_window_ms": round(bare * 1000),
        "first_paint_ms": round(first * 1000),
        "built_ms": round(built * 1000),
        "first_results_ms": round(results * 1000),
        "first_results_ratio": round(results / bare, 2),
        "bare_window_cpu_ms": round(bare_cpu * 1000),
        "first_results_cpu_ms": round(results_cpu * 1000),
        "first_results_cpu_ratio": round(results_cpu / bare_cpu, 2),
    }))

if __name__ == "__main__":
    main()
