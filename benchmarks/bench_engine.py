"""Speed and memory of the lifecycle engine. Prints figures; asserts nothing.

    python benchmarks/bench_engine.py

1. Per-query inference estimates, vectorised over one million input samples.
2. A 4-scenario comparison (the shipped "DeepSeek question" plus one more
   scenario) with 1,000 Monte Carlo samples over its 5-year monthly horizon,
   through the window's own compute path (``app.session.results``: the
   engine with its per-scenario memo, empty as on opening a file), with its
   peak traced memory; then an edit of one scenario; then the chart tables.
3. ``jevons evaluate`` of the DeepSeek question, wall clock of the command.

Ends with one JSON line: ``comparison_4x1000x60_ms`` (median, every input
drawn afresh, memo empty) and its CPU time ``comparison_4x1000x60_cpu_ms``,
``per_query_estimates_per_s`` (median),
``edit_one_scenario_ms``, ``chart_tables_ms`` (a new result) and
``chart_tables_after_edit_ms`` (medians) and
``evaluate_deepseek_wall_s`` (median of 5 fresh processes).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison
from app.engine import inference, sampling
from app.engine.hardware import boundary_level
from app.engine.operating_point import served_as
from app.engine.sampling import draw
from app.paths import presets_dir
from app.report.chart_data import ChartInputs
from app.session.results import ScenarioResults

CPU_MEDIANS: list[float] = []
"""Median CPU time (process time) of each ``best_of`` call: on a machine shared with
other jobs, wall clock includes waiting for a core; CPU time does not."""


def best_of(repeats: int, function) -> float:
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU_MEDIANS.append(float(np.median(cpu)))
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


def automatic_over_fixed() -> float:
    """The DeepSeek question at 1,000 samples with its automatic deployment searched, over the same question
    with each scenario's deployment fixed at the search's choice (issue 16's target: at most 1.5x)."""
    _, question = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    fixed = question.model_copy(update={"scenarios": [served_as(s, boundary_level(question.boundary))
                                                      for s in question.scenarios]})
    timings = {}
    for name, compared in (("automatic", question), ("fixed", fixed)):
        ScenarioResults().evaluate(compared, samples=1000)
        _, timings[name] = best_of(30, lambda compared=compared: ScenarioResults().evaluate(compared, samples=1000))
    ratio = timings["automatic"] / timings["fixed"]
    print(f"The DeepSeek question at 1,000 samples: {timings['automatic'] * 1e3:.1f} ms with Llama's deployment "
          f"searched, {timings['fixed'] * 1e3:.1f} ms with it fixed at the search's choice ({ratio:.2f}x, median)")
    return ratio


def main() -> None:
    print(f"Machine: {machine()}")
    resolved = comparison()

    samples = 1_000_000
    inp = draw(resolved.scenarios[2], samples, seed=0)  # the reasoning scenario: every segment non-empty
    best, median = best_of(5, lambda: inference.compute(inp, 3, grid=False))
    per_query_per_s = samples / median
    print(f"Per-query inference (inference.compute): {samples:,} estimates of a reasoning-assistant query "
          f"(prefill, reasoning trace and answer; all per-query outputs) in {best * 1e3:.0f} ms best / "
          f"{median * 1e3:.0f} ms median = {samples / best / 1e6:.2f} M estimates/s best, {samples / median / 1e6:.2f} median")
    best, median = best_of(3, lambda: inference.compute(inp, 3))
    print(f"  with the 9-point Wh-vs-reasoning table as well (inference.compute): {samples / best / 1e6:.2f} M estimates/s")

    def cold() -> object:
        """A comparison no input of which has been drawn before (as on opening a file)."""
        sampling._ranged_draws.cache_clear()
        return ScenarioResults().evaluate(resolved, samples=1000)

    cold()
    best, median = best_of(30, cold)
    comparison_ms, comparison_cpu_ms = median * 1e3, CPU_MEDIANS[-1] * 1e3
    warm_best, warm_median = best_of(30, lambda: ScenarioResults().evaluate(resolved, samples=1000))
    sampling._ranged_draws.cache_clear()
    tracemalloc.start()
    result = ScenarioResults().evaluate(resolved, samples=1000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    months = result.scenarios[0].totals.months.size
    print(f"Comparison (the window's compute path): {len(resolved.scenarios)} scenarios x {result.samples} samples x "
          f"{months} months: {best * 1e3:.1f} ms best / {median * 1e3:.1f} ms median with every input drawn afresh "
          f"({comparison_cpu_ms:.1f} ms of CPU time, median); "
          f"peak traced memory {peak / 1e6:.1f} MB")
    print(f"  again with its draws cached: {warm_best * 1e3:.1f} ms best / {warm_median * 1e3:.1f} ms median")

    memo = ScenarioResults()
    memo.evaluate(resolved, samples=1000)
    scenarios = list(resolved.scenarios)
    edits = iter(range(10**6))

    def edited() -> ResolvedComparison:
        """The comparison after an edit of its last scenario (a new resolved object)."""
        changed = scenarios[-1].model_copy(update={"name": f"edited {next(edits)}"})
        return resolved.model_copy(update={"scenarios": scenarios[:-1] + [changed]})

    best, median = best_of(30, lambda: memo.evaluate(edited(), samples=1000))  # only the edited one is computed
    edit_ms = median * 1e3
    print(f"  after an edit of one scenario (the others kept): {best * 1e3:.1f} ms best / {median * 1e3:.1f} ms median")

    # Chart tables are kept per engine result (app.remembered): time them on results
    # none of whose tables are known, and after an edit, where the others' are.
    fresh = iter([ChartInputs(resolved, ScenarioResults().evaluate(resolved, samples=1000)) for _ in range(20)])
    best, median = best_of(20, lambda: next(fresh).prepare())
    tables_ms = median * 1e3
    print(f"  chart tables and summary of a new result: {best * 1e3:.1f} ms best / {median * 1e3:.1f} ms median")
    ChartInputs(resolved, memo.evaluate(resolved, samples=1000)).prepare()
    after_edit = iter([(lambda c: ChartInputs(c, memo.evaluate(c, samples=1000)))(edited()) for _ in range(20)])
    best, median = best_of(20, lambda: next(after_edit).prepare())
    tables_edit_ms = median * 1e3
    print(f"  ... of the result after an edit of one scenario: {best * 1e3:.1f} ms best / {median * 1e3:.1f} ms median")

    searched_ratio = automatic_over_fixed()

    question = presets_dir() / "comparisons" / "deepseek-question.json"
    walls = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app", "evaluate", str(question)], check=True, capture_output=True,
                       cwd=Path(__file__).resolve().parents[1])
        walls.append(time.perf_counter() - start)
    print(f"jevons evaluate of the DeepSeek question (1,000 samples, a fresh process): "
          f"{min(walls):.2f} s best / {float(np.median(walls)):.2f} s median wall clock")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(json.dumps({"comparison_4x1000x60_ms": round(comparison_ms, 1),
                      "comparison_4x1000x60_cpu_ms": round(comparison_cpu_ms, 1),
                      "per_query_estimates_per_s": round(per_query_per_s),
                      "edit_one_scenario_ms": round(edit_ms, 1),
                      "chart_tables_ms": round(tables_ms, 1),
                      "chart_tables_after_edit_ms": round(tables_edit_ms, 1),
                      "evaluate_deepseek_wall_s": round(float(np.median(walls)), 2),
                      "automatic_over_fixed_deployments": round(searched_ratio, 2)}))

if __name__ == "__main__":
    main()
