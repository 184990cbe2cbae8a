"""The figures of a computed comparison as one JSON-ready document (``jevons evaluate --json``).

A formatter over :func:`app.report.reduction.reduce`, as the window's summary
and the CSV exports are, so every surface reports the same medians, bands,
paired ratios and crossover. Keys are documented in README.md ("jevons evaluate --json").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from app.engine.results import Band, ComparisonResult
from app.report.equivalents import equivalents_document
from app.report.reduction import Part, ScenarioFigures, reduce
from app.report.verdict import Verdict, verdict, verdict_line

if TYPE_CHECKING:
    from app.engine.operating_point import DeploymentChoice

Figure = dict[str, float | None]


def _finite(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def _banded(central: str, value: float, p5: float, p95: float, ranged: bool) -> Figure:
    """``{central}``, with ``p5``/``p95`` when inputs carried ranges; NaN and never are null."""
    out: Figure = {central: _finite(value)}
    if ranged:
        out["p5"] = _finite(p5)
        out["p95"] = _finite(p95)
    return out


def figure(reduced: Band, ranged: bool) -> Figure:
    """``{"median"}`` of one figure, with its band when inputs carried ranges."""
    return _banded("median", reduced.median, reduced.p5, reduced.p95, ranged)


def part_figure(part: Part, ranged: bool) -> Figure:
    """``{"mean"}`` of one part of a difference to the baseline (means add up), with its band when ranged."""
    return _banded("mean", part.mean, part.p5, part.p95, ranged)


def scenario_document(scenario: ScenarioFigures, deployment: DeploymentChoice | None, ranged: bool) -> dict[str, Any]:
    """The JSON figures of one scenario (see README)."""
    training, inference, totals = scenario.training, scenario.inference, scenario.totals

    def figures(named: dict[str, Band]) -> dict[str, Figure]:
        return {key: figure(value, ranged) for key, value in named.items()}

    crossing = totals.crossover
    crossover_doc: dict[str, Any] = figure(Band(crossing.median, crossing.p5, crossing.p95), ranged)
    crossover_doc["share_never"] = crossing.share_never
    served = figures(inference.figures)
    return {
        "name": scenario.name,
        "training": figures(training.figures)
        | {"energy_mwh_by_phase": figures(training.energy_mwh_by_phase)},
        "inference": served | {"deployment": deployment_document(deployment, served["effective_batch"])},
        "totals": {"months": totals.months} | figures(totals.figures) | {
            "annual_energy_mwh": [figure(year, ranged) for year in totals.annual_energy_mwh],
            "annual_training_energy_mwh": [figure(year, ranged) for year in totals.annual_training_energy_mwh],
            "decomposition": {key: part_figure(part, ranged) for key, part in scenario.against_baseline.decomposition.items()},
            "crossover_month": crossover_doc,
            "equivalents": equivalents_document(totals.equivalents),
        },
        "ratio_to_baseline": figures(scenario.against_baseline.ratios),
    }


def deployment_document(choice: DeploymentChoice | None, batch: Figure) -> dict[str, Any] | None:
    """``inference.deployment``: how the scenario is served, whether it was searched, and the runner-up."""
    if choice is None:
        return None
    document: dict[str, Any] = {
        "accelerators_per_replica": choice.accelerators_per_replica,
        "tensor_parallel": choice.tensor_parallel,
        "expert_parallel": choice.expert_parallel,
        "data_parallel": choice.data_parallel,
        "precision": choice.precision,
        "draft_tokens": choice.draft_tokens,
        "per_server_dispatch": choice.dispatch,
        "batch": batch,
        "chosen_by": choice.chosen_by,
        "tokens_per_second_per_user": _finite(choice.tokens_per_second_per_user),
        "time_to_first_token_s": _finite(choice.time_to_first_token_s),
        "meets_service_level": choice.meets_service_level,
    }
    if choice.runner_up is not None:
        runner = choice.runner_up
        document["runner_up"] = {"accelerators_per_replica": runner.accelerators_per_replica,
                                 "data_parallel": runner.data_parallel, "precision": runner.precision,
                                 "draft_tokens": runner.draft_tokens, "per_server_dispatch": runner.dispatch,
                                 "wh_per_query": _finite(runner.wh_per_query)}
        document["wh_per_query_at_central_values"] = _finite(choice.wh_per_query)
    return document


def verdict_document(reduced: Verdict) -> dict[str, Any]:
    """``scenarios[i].verdict`` of ``evaluate --json`` (break-even values are added by the caller)."""
    return {
        "line": verdict_line(reduced),
        "energy_ratio": figure(reduced.energy_ratio, True),
        "co2e_ratio": figure(reduced.co2e_ratio, True),
        "probability_more_energy": _finite(reduced.probability_more_energy),
    }


def _verdict_warnings(warnings: list[list[str]] | None, index: int, base: int) -> list[str]:
    if warnings is None:
        return []
    return warnings[index] + (warnings[base] if index != base else [])


def comparison_document(
    name: str, result: ComparisonResult, differences: list[list[str]] | None = None,
    service_level: dict[str, Figure] | None = None, listed: list[bool] | None = None,
    warnings: list[list[str]] | None = None,
) -> dict[str, Any]:
    """The whole document; ``differences`` flags, per scenario, usage assumptions unlike the baseline's;
    ``service_level`` is the market's (``tokens_per_second_per_user``), when it sets one; ``warnings`` holds
    each scenario's own qualifying sentences, and a verdict's list adds the baseline's, which qualify every
    verdict against it (as the window's headlines say them)."""
    reduced = reduce(result)
    scenarios = []
    for index, (figures, scenario) in enumerate(zip(reduced.scenarios, result.scenarios, strict=True)):
        document = scenario_document(figures, scenario.deployment, reduced.ranged)
        document["verdict"] = verdict_document(verdict(reduced, index))
        document["verdict"]["warnings"] = _verdict_warnings(warnings, index, result.baseline_index)
        served = document["inference"]
        served["serving_cost_usd_per_query"] = served["usd_per_query"]
        served["cost_to_list_price"] = (
            figure(figures.cost_to_list_price, reduced.ranged) if listed is not None and listed[index] else None
        )
        document["differs_from_baseline"] = differences[index] if differences is not None else []
        scenarios.append(document)
    return {
        "comparison": name,
        "boundary": result.boundary,
        "samples": result.samples,
        "baseline": result.baseline.name,
        "service_level": service_level,
        "scenarios": scenarios,
    }
