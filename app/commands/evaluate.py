"""``jevons evaluate FILE [--samples N] [--seed S] [--json]``: run the engine headless.

Prints a readable table by default. With ``--json`` prints one JSON document
(keys documented in README.md, "jevons evaluate --json"): every figure is its
median, with ``p5``/``p95`` beside it when inputs carried ranges.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import numpy as np

from app.commands.comparison_file import resolve_or_report
from app.session.options import add_samples_option
from app.engine import ComparisonResult, ScenarioResult, evaluate, summarize
from app.engine.results import TRAINING_PHASES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="compute a comparison and print its figures",
        description="Compute training, per-query inference and adoption totals of a comparison file.",
    )
    parser.add_argument("file", metavar="FILE", help="a comparison file (.json)")
    add_samples_option(parser)
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print a JSON document instead of a table")
    parser.set_defaults(handler=run)


def _figure(values: np.ndarray, ranged: bool) -> dict[str, float | None]:
    band = summarize(values)
    figure: dict[str, float | None] = {"median": _finite(band.median)}
    if ranged:
        figure["p5"] = _finite(band.p5)
        figure["p95"] = _finite(band.p95)
    return figure


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def scenario_document(result: ScenarioResult, baseline: ScenarioResult, ranged: bool) -> dict[str, Any]:
    """The JSON figures of one scenario (see README)."""
    t, i, totals = result.training, result.inference, result.totals

    def f(values: np.ndarray) -> dict[str, float | None]:
        return _figure(np.asarray(values, dtype=float), ranged)

    crossover = totals.crossover_month
    never = float(np.mean(np.isnan(crossover)))
    crossover_doc = f(np.where(np.isnan(crossover), np.inf, crossover))
    crossover_doc = {key: (None if value is None or math.isinf(value) else value) for key, value in crossover_doc.items()}
    crossover_doc["share_never"] = never

    def ratio(values: np.ndarray, base: np.ndarray) -> dict[str, float | None]:
        return f(np.divide(values, base, out=np.full_like(values, np.nan), where=base != 0))

    return {
        "name": result.name,
        "training": {
            "flops": f(t.total("flops")),
            "accelerator_hours": f(t.total("accelerator_hours")),
            "wall_clock_days": f(t.wall_clock_days),
            "energy_mwh": f(t.total("energy_mwh")),
            "co2e_t": f(t.total("co2e_t")),
            "water_m3": f(t.total("water_m3")),
            "cost_usd": f(t.total("cost_usd")),
            "annotator_hours": f(t.annotator_hours),
            "energy_mwh_by_phase": {phase: f(t.energy_mwh[k]) for k, phase in enumerate(TRAINING_PHASES)},
        },
        "inference": {
            "wh_per_query": f(i.wh_per_query),
            "prefill_wh": f(i.prefill_wh),
            "answer_wh": f(i.answer_wh),
            "reasoning_wh": f(i.reasoning_wh),
            "accelerators_per_replica": f(i.accelerators_per_replica),
            "time_to_first_token_s": f(i.time_to_first_token_s),
            "tokens_per_second": f(i.tokens_per_second),
            "usd_per_query": f(i.usd_per_query),
            "usd_per_million_tokens": f(i.usd_per_million_tokens),
            "co2e_g_per_query": f(i.co2e_g_per_query),
            "water_ml_per_query": f(i.water_ml_per_query),
            "joules_per_output_token": f(i.joules_per_output_token),
        },
        "totals": {
            "months": int(totals.months[-1]),
            "cumulative_energy_mwh": f(totals.total_energy_mwh[-1]),
            "cumulative_training_energy_mwh": f(totals.training_energy_mwh[-1]),
            "cumulative_inference_energy_mwh": f(totals.inference_energy_mwh[-1]),
            "cumulative_inference_energy_no_rebound_mwh": f(totals.inference_energy_no_rebound_mwh[-1]),
            "rebound_share": f(totals.rebound_share),
            "cumulative_co2e_t": f(totals.horizon_co2e_t),
            "cumulative_water_m3": f(totals.horizon_water_m3),
            "cumulative_cost_usd": f(totals.horizon_cost_usd),
            "annual_energy_mwh": [f(year) for year in totals.annual_energy_mwh],
            "crossover_month": crossover_doc,
        },
        "ratio_to_baseline": {
            "training_energy": ratio(t.total("energy_mwh"), baseline.training.total("energy_mwh")),
            "wh_per_query": ratio(i.wh_per_query, baseline.inference.wh_per_query),
            "cumulative_energy": ratio(totals.total_energy_mwh[-1], baseline.totals.total_energy_mwh[-1]),
        },
    }


def document(name: str, result: ComparisonResult) -> dict[str, Any]:
    ranged = result.samples > 1
    return {
        "comparison": name,
        "boundary": result.boundary,
        "samples": result.samples,
        "baseline": result.baseline.name,
        "scenarios": [scenario_document(s, result.baseline, ranged) for s in result.scenarios],
    }


def _cell(figure: dict[str, float | None], scale: float = 1.0, digits: int = 3, missing: str = "n/a") -> str:
    median = figure["median"]
    if median is None:
        return missing
    text = f"{median * scale:.{digits}g}"
    if figure.get("p5") is not None and figure.get("p95") is not None and figure["p95"] > figure["p5"]:
        text += f" ({figure['p5'] * scale:.2g}-{figure['p95'] * scale:.2g})"
    return text


ROWS = (
    ("Training", None, None),
    ("  compute (FLOP)", ("training", "flops"), 1.0),
    ("  accelerator-hours", ("training", "accelerator_hours"), 1.0),
    ("  energy (MWh)", ("training", "energy_mwh"), 1.0),
    ("  CO2e (t)", ("training", "co2e_t"), 1.0),
    ("  cost (USD)", ("training", "cost_usd"), 1.0),
    ("Inference, per query", None, None),
    ("  energy (Wh)", ("inference", "wh_per_query"), 1.0),
    ("    prefill (Wh)", ("inference", "prefill_wh"), 1.0),
    ("    answer (Wh)", ("inference", "answer_wh"), 1.0),
    ("    reasoning (Wh)", ("inference", "reasoning_wh"), 1.0),
    ("  accelerators per replica", ("inference", "accelerators_per_replica"), 1.0),
    ("  cost (USD)", ("inference", "usd_per_query"), 1.0),
    ("  CO2e (g)", ("inference", "co2e_g_per_query"), 1.0),
    ("Totals over the horizon", None, None),
    ("  cumulative energy (MWh)", ("totals", "cumulative_energy_mwh"), 1.0),
    ("  rebound share", ("totals", "rebound_share"), 1.0),
    ("  inference overtakes training (month)", ("totals", "crossover_month"), 1.0),
    ("  cumulative energy / baseline", ("ratio_to_baseline", "cumulative_energy"), 1.0),
)


def table(doc: dict[str, Any]) -> str:
    names = [s["name"] for s in doc["scenarios"]]
    rows = []
    for label, where, scale in ROWS:
        if where is None:
            rows.append([label] + [""] * len(names))
            continue
        missing = "never" if where[1] == "crossover_month" else "n/a"
        rows.append([label] + [_cell(s[where[0]][where[1]], scale, missing=missing) for s in doc["scenarios"]])
    widths = [max(len(r[c]) for r in rows + [[""] + names]) for c in range(len(names) + 1)]
    header = "  ".join(text.ljust(widths[c]) for c, text in enumerate([""] + names))
    lines = [
        f"{doc['comparison']}  (boundary: {doc['boundary']}; baseline: {doc['baseline']}; "
        f"{doc['samples']} sample{'s' if doc['samples'] != 1 else ''}; median (5th-95th percentile))",
        header,
        "-" * len(header),
    ]
    lines += ["  ".join(text.ljust(widths[c]) for c, text in enumerate(row)).rstrip() for row in rows]
    months = doc["scenarios"][0]["totals"]["months"]
    lines.append(f"Horizon: {months} months.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    resolved = resolve_or_report(args.file)
    if resolved is None:
        return 2
    try:
        result = evaluate(resolved, samples=args.samples, seed=args.seed)
    except Exception as error:  # noqa: BLE001 - reported plainly, never as a traceback
        print(f"jevons evaluate: the engine could not compute {args.file}: {type(error).__name__}: {error}",
              file=sys.stderr)
        return 1
    doc = document(resolved.name, result)
    if args.json:
        print(json.dumps(doc, indent=2, allow_nan=False))
    else:
        print(table(doc))
    return 0
