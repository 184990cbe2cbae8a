"""Speed and memory of the lifecycle engine. Prints figures; asserts nothing.

    python benchmarks/bench_engine.py

1. Per-query inference estimates, vectorised over one million input samples.
2. A 4-scenario comparison (the shipped "DeepSeek question" plus one more
   scenario) with 1,000 Monte Carlo samples over its 5-year monthly horizon,
   with its peak traced memory.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.library import PresetLibrary, ResolvedComparison  # noqa: E402
from app.domain.loading import load_comparison  # noqa: E402
from app.engine import evaluate, inference, sampling  # noqa: E402
from app.engine.sampling import draw  # noqa: E402
from app.paths import presets_dir  # noqa: E402


def best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}; {cores} cores available; Python {platform.python_version()}; numpy {np.__version__}; {platform.system()} {platform.release()}"


def comparison() -> ResolvedComparison:
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    scenarios = list(resolved.scenarios)
    extra = scenarios[1].model_copy(update={"name": scenarios[1].name + " (copy)"})
    return resolved.model_copy(update={"scenarios": (scenarios + [extra])[:4]})


def main() -> None:
    print(f"Machine: {machine()}")
    resolved = comparison()

    samples = 1_000_000
    inp = draw(resolved.scenarios[2], samples, seed=0)  # the reasoning scenario: every segment non-empty
    best, median = best_of(5, lambda: inference.compute_many(inp, 3))
    print(f"Per-query inference (inference.compute_many): {samples:,} estimates of a reasoning-assistant query "
          f"(prefill, reasoning trace and answer; all per-query outputs) in {best * 1e3:.0f} ms best / "
          f"{median * 1e3:.0f} ms median = {samples / best / 1e6:.2f} M estimates/s best, {samples / median / 1e6:.2f} median")
    best, median = best_of(3, lambda: inference.compute(inp, 3))
    print(f"  with the 9-point Wh-vs-reasoning table as well (inference.compute): {samples / best / 1e6:.2f} M estimates/s")

    def cold() -> object:
        """A comparison no input of which has been drawn before (as on opening a file)."""
        sampling._ranged_draws.cache_clear()
        return evaluate(resolved, samples=1000)

    cold()
    best, median = best_of(30, cold)
    warm_best, warm_median = best_of(30, lambda: evaluate(resolved, samples=1000))
    sampling._ranged_draws.cache_clear()
    tracemalloc.start()
    result = evaluate(resolved, samples=1000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    months = result.scenarios[0].totals.months.size
    print(f"Comparison: {len(resolved.scenarios)} scenarios x {result.samples} samples x {months} months: "
          f"{best * 1e3:.1f} ms best / {median * 1e3:.1f} ms median with every input drawn afresh; "
          f"peak traced memory {peak / 1e6:.1f} MB")
    print(f"  recomputed with its draws cached (as after an edit of one input): "
          f"{warm_best * 1e3:.1f} ms best / {warm_median * 1e3:.1f} ms median")


if __name__ == "__main__":
    main()
