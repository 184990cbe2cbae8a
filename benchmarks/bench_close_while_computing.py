"""Closing the window while it computes 20,000 samples: how long until the window is gone and the process ends.

    python benchmarks/bench_close_while_computing.py [--closes 20]

Each run starts a fresh ``jevons`` process (offscreen) on the DeepSeek
question with 20,000 samples, waits until the engine has been computing for
0.3 s, closes the window, and reports the time from the close request to the
end of ``close()`` (inside the process) and to the process's exit (seen from
here). Prints the medians and maxima; ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication, QMessageBox
from app.gui.main_window import MainWindow
app = QApplication([])
window = MainWindow(samples=20_000, quick_samples=20_000)
window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
window.show()
window.files.open_default()
start = time.perf_counter()
while not window.runner.busy and time.perf_counter() - start < 30:
    app.processEvents()
end = time.perf_counter() + 0.3
while time.perf_counter() < end:
    app.processEvents()
    time.sleep(0.005)
busy = window.runner.busy
before = time.perf_counter()
window.close()
closed = time.perf_counter() - before
print(f"{closed:.4f} {int(busy)}", flush=True)
sys.stdout.write("exiting\\n"); sys.stdout.flush()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closes", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    close_s, exit_s, busy = [], [], 0
    for _ in range(args.closes):
        child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        closed, was_busy = child.stdout.readline().split()
        child.stdout.readline()  # "exiting": the close has returned
        seen = time.perf_counter()
        child.wait(timeout=120)
        exit_s.append(float(closed) + time.perf_counter() - seen)
        close_s.append(float(closed))
        busy += int(was_busy)
    print(f"{args.closes} closes while computing 20,000 samples ({busy} still busy at the close): "
          f"close() median {statistics.median(close_s) * 1e3:.0f} ms, max {max(close_s) * 1e3:.0f} ms; "
          f"to process exit median {statistics.median(exit_s) * 1e3:.0f} ms, max {max(exit_s) * 1e3:.0f} ms")
    print(json.dumps({"benchmark": "close_while_computing", "closes": args.closes, "busy_at_close": busy,
                      "close_ms_median": round(statistics.median(close_s) * 1e3, 1),
                      "close_ms_max": round(max(close_s) * 1e3, 1),
                      "exit_ms_median": round(statistics.median(exit_s) * 1e3, 1),
                      "exit_ms_max": round(max(exit_s) * 1e3, 1)}))


if __name__ == "__main__":
    main()
