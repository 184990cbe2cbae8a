"""The long fuzz run: mutated shipped presets through the loader, the engine and the real command line.

    python benchmarks/fuzz_files.py [--files 10000] [--cli 300] [--seed 1]

Counts, asserts nothing: files refused (with a clear problem list), accepted,
computed; failures by kind (an exception other than a problem list, a NaN,
infinite or negative figure, an accepted file the engine refuses); through the
command line, exit codes, tracebacks and hangs (60 s). Ends with one JSON line.
The seeded CI slice of the same checks is ``tests/test_fuzz_files.py``.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.library import PresetLibrary  # noqa: E402
from tests.fuzz_support import check_file, mutated_text, seeds  # noqa: E402


def in_process(count: int, seed: int, folder: Path) -> dict:
    library, documents, rng = PresetLibrary(), seeds(), random.Random(seed)
    outcomes: collections.Counter = collections.Counter()
    failures: collections.Counter = collections.Counter()
    path = folder / "mutant.json"
    start = time.perf_counter()
    for index in range(count):
        path.write_text(mutated_text(rng, documents), encoding="utf-8")
        try:
            outcomes[check_file(path, library)] += 1
        except AssertionError as error:
            failures[f"bad figure or message: {str(error)[:100]}"] += 1
            (folder / f"failure-{index}.json").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        except Exception as error:  # counted: this is what the run looks for
            failures[f"{type(error).__name__}: {str(error)[:100]}"] += 1
            (folder / f"failure-{index}.json").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return {"files": count, "seconds": round(time.perf_counter() - start, 1), **outcomes,
            "failures": sum(failures.values()), "failure_kinds": dict(failures.most_common(10))}


def through_cli(count: int, seed: int, folder: Path) -> dict:
    documents, rng = seeds(), random.Random(seed + 1)
    codes: collections.Counter = collections.Counter()
    tracebacks = hangs = 0
    for index in range(count):
        path = folder / f"cli-{index}.json"
        path.write_text(mutated_text(rng, documents), encoding="utf-8")
        for command in (["validate", str(path)], ["evaluate", str(path), "--json", "--samples", "20"]):
            try:
                result = subprocess.run([sys.executable, "-m", "app", *command], capture_output=True, text=True,
                                        timeout=60, cwd=ROOT)
            except subprocess.TimeoutExpired:
                hangs += 1
                continue
            codes[f"{command[0]} exit {result.returncode}"] += 1
            tracebacks += "Traceback" in result.stderr
    return {"files": count, "exit_codes": dict(sorted(codes.items())), "tracebacks": tracebacks, "hangs": hangs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--cli", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jevons-fuzz-") as folder:
        loader = in_process(args.files, args.seed, Path(folder))
        print(f"loader + engine: {loader}")
        cli = through_cli(args.cli, args.seed, Path(folder))
        print(f"command line: {cli}")
    print(json.dumps({"benchmark": "fuzz_files", "seed": args.seed, "loader_engine": loader, "cli": cli}))


if __name__ == "__main__":
    main()
