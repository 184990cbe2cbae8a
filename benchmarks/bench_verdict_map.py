"""Speed of the verdict map: a 30 x 30 grid at 200 samples per cell, for each scenario of the
DeepSeek question (3 scenarios) against its baseline, of one break-even search, and of What matters
most (the tornado: every ranged input pinned at either end, 200 samples each, on the same machinery)
for DeepSeek-V3's verdict, which the window computes with its refined pass while the tab is shown.

Target (issue 9): a 30 x 30 map at 200 samples in at most 5 s on the project's 2-core machine,
with progress. Prints the figures, then one JSON line.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.sensitivity import RATIO_METRIC, sensitivity
from app.engine.variants import break_even
from app.paths import presets_dir
from app.report.verdict_map import compute_map

AXES = {
    # A market input (the baseline moves too) against an input of the scenario itself.
    "DeepSeek-V3 (mixture of experts) on H800": (("market.price_elasticity", -1.5, 0.0, 30),
                                                 ("usage.efficiency_gain_per_year", 0.0, 0.9, 30)),
    "DeepSeek-R1 (reasoning) on H800": (("market.price_elasticity", -1.5, 0.0, 30),
                                        ("model.reasoning.reasoning_tokens_per_query", 500.0, 20000.0, 30)),
}


def main() -> None:
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    names = [s.name for s in resolved.scenarios]
    figures = {}
    for name, (x, y) in AXES.items():
        index = names.index(name)
        steps: list[int] = []
        start = time.perf_counter()
        compute_map(resolved, index, x, y, samples=200, progress=lambda done, total, steps=steps: steps.append(done))
        seconds = time.perf_counter() - start
        figures[name] = round(seconds, 3)
        print(f"30 x 30 map at 200 samples, {name} ({x[0]} x {y[0]}): {seconds:.2f} s, "
              f"{len(steps)} progress steps")
    start = time.perf_counter()
    break_even(resolved, names.index("DeepSeek-R1 (reasoning) on H800"), "market.price_elasticity", 200)
    search = time.perf_counter() - start
    print(f"one break-even search (price elasticity, 200 samples): {search:.2f} s")
    v3 = names.index("DeepSeek-V3 (mixture of experts) on H800")
    sensitivity(resolved, v3, RATIO_METRIC)  # its deployment search and draws, as the window's first showing
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        bars = sensitivity(resolved, v3, RATIO_METRIC)
        timings.append(time.perf_counter() - start)
    tornado_ms = 1000 * sorted(timings)[len(timings) // 2]
    print(f"What matters most to DeepSeek-V3's verdict ({len(bars)} inputs, {2 * len(bars) + 1} points of "
          f"200 samples): {tornado_ms:.0f} ms median of {len(timings)}")
    print(json.dumps({"map_30x30_200_samples_s": figures, "break_even_s": round(search, 3),
                      "tornado_v3_ratio_ms": round(tornado_ms, 1), "target_s": 5.0}))


if __name__ == "__main__":
    main()
