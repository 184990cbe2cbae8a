"""kill -9 during saves: is anything lost, is anything left behind? Counts, asserts nothing (POSIX).

    python benchmarks/bench_kill_during_save.py [--kills 100]

A child process saves a ~20 kB preset over the same file in a loop and is
killed with SIGKILL at a random moment; the file must then load (old or new,
never half), and after the next ordinary save no temporary file may remain.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain import PresetFileError, load_preset, save_preset  # noqa: E402
from tests.factories import MODEL, write  # noqa: E402

SAVER = """
import sys
from app.domain import load_preset, save_preset
preset = load_preset(sys.argv[1])
print("ready", flush=True)
while True:
    save_preset(sys.argv[2], preset.model_copy(update={"description": "x" * 19_000}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(0)
    unreadable = left_between = left_after = 0
    with tempfile.TemporaryDirectory(prefix="jevons-kill-") as name:
        folder = Path(name)
        source, target = write(folder / "source.json", MODEL), write(folder / "target.json", MODEL)
        preset = load_preset(source)
        start = time.perf_counter()
        for _ in range(args.kills):
            saver = subprocess.Popen([sys.executable, "-c", SAVER, str(source), str(target)], cwd=ROOT,
                                     stdout=subprocess.PIPE, text=True)
            saver.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.3))
            saver.send_signal(signal.SIGKILL)
            saver.wait()
            saver.stdout.close()
            try:
                load_preset(target)
            except PresetFileError:
                unreadable += 1
            left_between = max(left_between, len(list(folder.iterdir())) - 2)
            save_preset(target, preset)
            left_after += len(list(folder.iterdir())) - 2
        seconds = time.perf_counter() - start
    print(f"{args.kills} kills in {seconds:.0f} s: {unreadable} unreadable files, at most {left_between} "
          f"temporary file(s) left by a kill, {left_after} left after the next save")
    print(json.dumps({"benchmark": "kill_during_save", "kills": args.kills, "unreadable": unreadable,
                      "max_left_by_a_kill": left_between, "left_after_next_save": left_after}))


if __name__ == "__main__":
    main()
