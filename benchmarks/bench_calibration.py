"""The serving calibration in full: in-sample residuals by group, leave-one-model-out, the residual chart.

    python benchmarks/bench_calibration.py [--chart docs/calibration-residuals.png]

Fits the shipped calibration set (resources/calibration/ml_energy_v3_llm.csv),
prints the residuals of energy per output token by architecture, GPU and task,
then leave-one-model-out cross-validation (fit without a model, predict it) for
every model, and the fit's time. With ``--chart`` it draws measured against
predicted energy per token as ``jevons calibrate check --chart`` does (PNG and SVG beside it).
CI runs a bounded slice of this (tests/test_calibrate_cli.py). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.calibration.crossval import by_family, held_out_errors, median_itl_error
from app.calibration.fit import residual_summary, scored
from app.calibration.measurements import read_measurements
from app.commands.calibrate import check_rows
from app.engine import calibration
from app.paths import resources_dir

DATA = resources_dir() / "calibration" / "ml_energy_v3_llm.csv"


def table(title: str, groups: dict[str, list[float]]) -> None:
    print(f"\n| {title} | rows | median log10 error (bias) | median abs log10 error | within +/-50 % |")
    print("|---|---|---|---|---|")
    for key, values in sorted(groups.items()):
        e = np.array(values)
        print(f"| {key} | {e.size} | {np.median(e):+.3f} | {np.median(np.abs(e)):.3f} | {np.mean(np.abs(10**e - 1) <= 0.5):.0%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chart", type=Path, help="write the residual chart (PNG, and SVG beside it)")
    args = parser.parse_args()
    rows = read_measurements(DATA)
    document = check_rows(rows, calibration.shipped())
    by_row = {m.row: m for m in scored(rows)}
    errors = {r["row"]: np.log10(r["predicted_j_per_token"] / r["measured_j_per_token"]) for r in document["rows"]}
    print(f"Shipped calibration on {len(errors)} rows: {json.dumps({k: v for k, v in document['summary'].items() if k not in ('skipped', 'calibration')})}")
    for title, key in (("architecture", "architecture"), ("GPU", "gpu_model"), ("task", "task")):
        groups: dict[str, list[float]] = defaultdict(list)
        for row, e in errors.items():
            groups[getattr(by_row[row], key)].append(e)
        table(title, groups)

    start = time.perf_counter()
    held = held_out_errors(rows)
    seconds = time.perf_counter() - start
    held_out = {model: h.energy_log10 for model, h in held.items()}
    print("\n| model left out | rows | median log10 error (bias) | median abs log10 error |")
    print("|---|---|---|---|")
    for model, e in held_out.items():
        print(f"| {model} | {e.size} | {np.median(e):+.3f} | {np.median(np.abs(e)):.3f} |")
    everything = np.concatenate(list(held_out.values()))
    cross = residual_summary(everything)
    print(f"\nLeave-one-model-out over {len(held_out)} models: median |log10 error| {cross['median_abs_log10_error']:.3f}, "
          f"{cross['within_50_percent']:.0%} within +/-50 %, {cross['within_2x']:.0%} within 2x, median inter-token-latency error "
          f"{median_itl_error(np.concatenate([h.itl_error for h in held.values()])):.1%} ({seconds:.1f} s for {len(held_out)} refits)")
    for family, figures in by_family(rows, held).items():
        print(f"  {family}: {figures['rows']} rows, median |log10 error| {figures['median_abs_log10_error']:.3f}, "
              f"median inter-token-latency error {figures['median_itl_error']:.1%}")

    if args.chart:  # what jevons calibrate check --chart draws, as PNG and SVG
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from app.render.offscreen import render_calibration_chart

        for path in (args.chart, args.chart.with_suffix(".svg")):
            render_calibration_chart(document, path)
        print(f"wrote {args.chart} and {args.chart.with_suffix('.svg')}")

    print(json.dumps({
        "rows": len(errors),
        "median_abs_log10_error": document["summary"]["median_abs_log10_error"],
        "within_50_percent": document["summary"]["within_50_percent"],
        "median_itl_error": document["summary"]["median_itl_error"],
        "lomo_median_abs_log10_error": round(cross["median_abs_log10_error"], 4),
        "lomo_within_50_percent": round(cross["within_50_percent"], 4),
        "lomo_median_itl_error": median_itl_error(np.concatenate([h.itl_error for h in held.values()])),
        "lomo_seconds": round(seconds, 2),
    }))


if __name__ == "__main__":
    main()
