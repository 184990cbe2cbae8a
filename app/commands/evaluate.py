"""``jevons evaluate FILE [--samples N] [--seed S] [--json] [--break-even PATH]``: run the engine headless.

Prints a readable table by default. With ``--json`` prints one JSON document
(keys documented in README.md, "jevons evaluate --json"): every figure is its
median, with ``p5``/``p95`` beside it when inputs carried ranges. Both give
each scenario's verdict against the baseline, the usage assumptions in which
it differs from the baseline's, and the break-even values of the inputs that
decide the verdict (elasticity, reasoning tokens, demand, efficiency gain, and
any ``--break-even PATH``), found on :data:`app.engine.variants.VARIANT_SAMPLES` samples.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from typing import Any

from app.commands.comparison_file import add_comparison_argument, engine_failure, resolve_or_report
from app.domain.library import ResolvedComparison
from app.domain.like_for_like import comparison_differences
from app.domain.quantity import Quantity
from app.domain.quoting import terminal_safe
from app.engine.evaluate import evaluate
from app.engine.sampling import flatten
from app.engine.variants import VARIANT_SAMPLES, BreakEven, Sweep, SweepInputError, break_even, input_info
from app.numbers import band, number, span
from app.report.evaluation import comparison_document
from app.report.published import PublishedCheck, published_checks, published_document
from app.report.reduction import reduce
from app.report.verdict import listed, scenario_warnings
from app.session.options import add_samples_option, add_seed_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="compute a comparison and print its figures",
        description="Compute training, per-query inference and adoption totals of a comparison file.",
    )
    add_comparison_argument(parser)
    add_samples_option(parser)
    add_seed_option(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON document instead of a table")
    parser.add_argument(
        "--break-even", action="append", default=[], metavar="PATH",
        help="also find the break-even value of this input (repeatable; see jevons sweep FILE --list)",
    )
    parser.set_defaults(handler=run)


DECIDING_INPUTS = (
    "market.price_elasticity",
    "usage.reasoning_tokens_per_query",
    "model.reasoning.reasoning_tokens_per_query",
    "market.demand.peak_queries_per_day",
    "market.demand.initial_queries_per_day",
    "market.demand.peak_users",
    "usage.efficiency_gain_per_year",
    "training_path.reinvested_share",
    "training_path.entrant_elasticity",
)
"""Inputs whose break-even values every verdict reports, where the scenario has them
(its own reasoning length: the usage's figure when set, else the model's)."""


def break_even_paths(comparison: ResolvedComparison, index: int, extra: list[str]) -> list[str]:
    paths = [p for p in DECIDING_INPUTS if p in flatten(comparison.scenarios[index])]
    if "usage.reasoning_tokens_per_query" in paths and "model.reasoning.reasoning_tokens_per_query" in paths:
        paths.remove("model.reasoning.reasoning_tokens_per_query")
    return paths + [p for p in extra if p not in paths]


def break_evens(comparison: ResolvedComparison, extra: list[str], seed: int) -> list[list[dict[str, Any]]]:
    """``verdict.break_even`` of every scenario (the baseline's is empty)."""
    found: list[list[dict[str, Any]]] = []
    for index in range(len(comparison.scenarios)):
        if index == comparison.baseline_index:
            found.append([])
            continue
        rows = []
        sweep = Sweep(comparison, index, VARIANT_SAMPLES, seed)  # draws and fixed figures shared by the searches
        for path in break_even_paths(comparison, index, extra):
            rows.append(break_even_document(break_even(comparison, index, path, VARIANT_SAMPLES, seed, sweep)))
        found.append(rows)
    return found


def break_even_document(found: BreakEven) -> dict[str, Any]:
    """A break-even as ``verdict.break_even`` lists it: the input's path and its label (naming the scenario
    whose input it is when it moves that side alone), whether the baseline moves with it, the span searched,
    and the value, or null and the reason why."""
    row: dict[str, Any] = {"path": found.path, "label": found.label, "shared_with_baseline": found.shared,
                           "searched": list(found.searched), "value": found.value, "within_range": found.within_range}
    if found.value is None:
        row["reason"] = f"the median verdict does not flip from {span(*found.searched, 3)}"
    return row


def service_level_document(comparison: ResolvedComparison) -> dict[str, Any] | None:
    """``service_level``: the baseline's market's per-user speed and longest wait for the first token, each
    with its range and source (None when the market sets no service level; a wait it does not set is null)."""
    level = comparison.scenarios[comparison.baseline_index].market.service_level
    if level is None:
        return None
    return {name: None if value is None else input_document(value)
            for name in ("tokens_per_second_per_user", "time_to_first_token_s")
            for value in [getattr(level, name)]}


def input_document(value: Quantity) -> dict[str, Any]:
    """An input as ``evaluate --json`` writes it, as figures are: its value as ``median``, its range as
    ``p5``/``p95`` when it has one, and its ``source`` when it states one."""
    document: dict[str, Any] = {"median": value.value}
    if value.has_range:
        document |= {"p5": value.low, "p95": value.high}
    if value.source is not None:
        document["source"] = value.source
    return document


def column_blocks(widths: list[int], width: int) -> list[list[int]]:
    """Scenario columns (1, 2, ...) grouped so that each block, with the label column, fits ``width``
    characters; a column wider than that alone gets a block of its own."""
    blocks: list[list[int]] = []
    used = widths[0]
    for column in range(1, len(widths)):
        if blocks and used + 2 + widths[column] <= width:
            blocks[-1].append(column)
            used += 2 + widths[column]
        else:
            blocks.append([column])
            used = widths[0] + 2 + widths[column]
    return blocks


def _cell(figure: dict[str, float | None], missing: str = "n/a") -> str:
    median = figure["median"]
    if median is None:
        return missing
    text = number(median, 3)
    if figure.get("p5") is not None and figure.get("p95") is None:  # its band's top end is "never", as the window says
        return f"{text} ({number(figure['p5'], 2)}–{missing})"
    if figure.get("p5") is not None and figure.get("p95") is not None and figure["p95"] > figure["p5"]:
        spread = band(figure["p5"], figure["p95"])
        low, _dash, high = spread.partition("–")
        text += "" if low == high else f" ({spread})"  # a band too narrow to show at this precision is left out
    return text


ROWS = (
    ("Training + R&D", None),
    ("  compute (FLOP)", ("training", "flops")),
    ("  accelerator-hours", ("training", "accelerator_hours")),
    ("  energy (MWh)", ("training", "energy_mwh")),
    ("  CO2e (t)", ("training", "co2e_t")),
    ("    operational (t)", ("training", "co2e_operational_t")),
    ("    embodied (t)", ("training", "co2e_embodied_t")),
    ("  cost (USD)", ("training", "cost_usd")),
    ("Inference, per query", None),
    ("  energy (Wh)", ("inference", "wh_per_query")),
    ("    prefill (Wh)", ("inference", "prefill_wh")),
    ("    answer (Wh)", ("inference", "answer_wh")),
    ("    reasoning (Wh)", ("inference", "reasoning_wh")),
    ("  accelerators per replica", ("inference", "accelerators_per_replica")),
    ("  sequences per replica (batch)", ("inference", "effective_batch")),
    ("  cost (USD)", ("inference", "usd_per_query")),
    ("  CO2e (g)", ("inference", "co2e_g_per_query")),
    ("    operational (g)", ("inference", "co2e_operational_g_per_query")),
    ("    embodied (g)", ("inference", "co2e_embodied_g_per_query")),
    ("Totals over the horizon", None),
    ("  cumulative energy (MWh)", ("totals", "cumulative_energy_mwh")),
    ("  cumulative CO2e (t)", ("totals", "cumulative_co2e_t")),
    ("    operational (t)", ("totals", "cumulative_co2e_operational_t")),
    ("    embodied (t)", ("totals", "cumulative_co2e_embodied_t")),
    ("  rebound (vs none)", ("totals", "rebound_change")),
    ("  inference overtakes training (month)", ("totals", "crossover_month")),
    ("  cumulative energy / baseline", ("ratio_to_baseline", "cumulative_energy")),
)
"""The table's rows: a label and where its figure stands in the ``--json`` document (None: a heading)."""


def table(doc: dict[str, Any], width: int | None = None) -> str:
    """The readable table, then equivalents and verdicts. Scenario columns that do not fit ``width``
    (the terminal's, 100 when output is not a terminal) go in a further block under the first."""
    width = width if width is not None else shutil.get_terminal_size((100, 24)).columns
    names = [s["name"] for s in doc["scenarios"]]
    rows = []
    for label, where in ROWS:
        if where is None:
            rows.append([label] + [""] * len(names))
            continue
        missing = "never" if where[1] == "crossover_month" else "n/a"
        rows.append([label] + [_cell(s[where[0]][where[1]], missing) for s in doc["scenarios"]])
    widths = [max(len(r[c]) for r in rows + [[""] + names]) for c in range(len(names) + 1)]
    lines = [
        f"{doc['comparison']}  (boundary: {doc['boundary']}; baseline: {doc['baseline']}; "
        f"{doc['samples']} sample{'s' if doc['samples'] != 1 else ''}; median (5th-95th percentile))",
    ]
    for block in column_blocks(widths, width):
        columns = [0, *block]
        header = "  ".join(([""] + names)[c].ljust(widths[c]) for c in columns).rstrip()
        if len(lines) > 1:  # a further block of scenarios, under the first
            lines.append("")
        lines += [header, "-" * len(header)]
        lines += ["  ".join(row[c].ljust(widths[c]) for c in columns).rstrip() for row in rows]
    months = doc["scenarios"][0]["totals"]["months"]
    prose = len(lines)  # sentences from here on are wrapped to the width, as the table is
    lines.append(f"Horizon: {months} months.")
    lines += equivalents_lines(doc)
    lines.append("")
    lines.append("Verdict")
    for scenario in doc["scenarios"]:
        if scenario["name"] == doc["baseline"]:
            continue
        lines.append(f"  {scenario['verdict']['line']}.")
        if scenario["differs_from_baseline"]:
            lines.append(f"    Not like for like: {'; '.join(scenario['differs_from_baseline'])}.")
        rows = scenario["verdict"].get("break_even", [])
        flips = [f"{row['label']} = {number(row['value'])}" + ("" if row["within_range"] else " (outside its range)")
                 for row in rows if row["value"] is not None]
        if flips:
            lines.append(f"    The median verdict flips at {', '.join(flips)}.")
        unflipped = [f"{row['label']} from {span(row['searched'][0], row['searched'][1], 3)}" for row in rows
                     if row["value"] is None]
        if unflipped:  # every input searched is named: one asked for with --break-even is never left out
            lines.append(f"    It does not flip for {'; '.join(unflipped)}.")
    warnings = [w for scenario in doc["scenarios"] for w in scenario["verdict"].get("warnings", [])]
    if warnings:
        lines += ["", "Warnings", *(f"  {w}" for w in warnings)]
    if doc.get("published"):
        lines += ["", f"Published figures ({doc['baseline']})"]
        lines += [f"  {PublishedCheck.from_document(item).sentence()}" for item in doc["published"]]
    title, table_rows, sentences = lines[:1], lines[1:prose], lines[prose:]
    return "\n".join([wrapped for line in title for wrapped in _wrap(line, width)] + table_rows
                     + [wrapped for line in sentences for wrapped in _wrap(line, width)])


def _wrap(line: str, width: int) -> list[str]:
    """A sentence broken at spaces to ``width``, its continuation lines indented two more than its first."""
    if len(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    return textwrap.wrap(line, max(width, 40), initial_indent="", subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [line]


def equivalents_lines(doc: dict[str, Any]) -> list[str]:
    """Each scenario's median totals as everyday equivalents, then the sources of the figures used."""
    lines, sources = ["", "Everyday equivalents of the median totals over the horizon"], {}
    for scenario in doc["scenarios"]:
        found = scenario["totals"]["equivalents"]
        if found:
            lines.append(f"  {scenario['name']}: {'; '.join(e['text'] for e in found.values())}.")
            sources.update((key, e["source"]) for key, e in found.items())
    if not sources:
        return []
    lines.append("  Sources:")
    lines += [f"    - {source}." for source in sources.values()]
    return lines


def _break_even_problem(comparison: ResolvedComparison, paths: list[str], file: str) -> str:
    """Why a ``--break-even`` path cannot be searched ("" when every one can): it must be an input of every
    scenario whose break-even is found, the baseline apart. Checked before the evaluation, which it would waste."""
    for path in paths:
        for index, scenario in enumerate(comparison.scenarios):
            if index == comparison.baseline_index:
                continue
            try:
                input_info(scenario, path)
            except SweepInputError as error:
                return f"{error} (`jevons sweep {file} --list` lists the inputs)"
    return ""


def run(args: argparse.Namespace) -> int:
    resolved = resolve_or_report(args.file)
    if resolved is None:
        return 2
    if problem := _break_even_problem(resolved, args.break_even, args.file):
        print(f"jevons evaluate: --break-even: {problem}", file=sys.stderr)
        return 2
    try:
        result = evaluate(resolved, samples=args.samples, seed=args.seed)
    except Exception as error:  # reported plainly, never as a traceback
        return engine_failure("evaluate", args.file, error)
    doc = comparison_document(resolved.name, result, comparison_differences(resolved), service_level_document(resolved),
                              [listed(s) for s in resolved.scenarios], scenario_warnings(resolved, result))
    doc["published"] = published_document(published_checks(resolved, reduce(result)))
    for scenario, rows in zip(doc["scenarios"], break_evens(resolved, args.break_even, args.seed), strict=True):
        scenario["verdict"]["break_even"] = rows
    for scenario, inputs in zip(doc["scenarios"], resolved.scenarios, strict=True):
        scenario["launch_months_after_start"] = input_document(inputs.launch_months_after_start)
    if args.json:
        print(json.dumps(doc, indent=2, allow_nan=False))
    else:
        print(terminal_safe(table(doc)))
    return 0
