"""The figures of a computed comparison as one JSON-ready document (``jevons evaluate --json``).

Built from :mod:`app.report.figures`, as the window's summary and the CSV
exports are, so every surface reports the same medians, bands, paired ratios
and crossover. Keys are documented in README.md ("jevons evaluate --json").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from app.engine.results import TRAINING_PHASES, Band, ComparisonResult, ScenarioResult
from app.report.equivalents import equivalents_document
from app.report.figures import band, crossover, paired_ratio
from app.report.verdict import Verdict, verdict, verdict_line

if TYPE_CHECKING:
    from app.engine.operating_point import DeploymentChoice

Figure = dict[str, float | None]


def _finite(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def figure(reduced: Band, ranged: bool) -> Figure:
    """``{"median"}``, with ``p5``/``p95`` when inputs carried ranges; NaN and never are null."""
    out: Figure = {"median": _finite(reduced.median)}
    if ranged:
        out["p5"] = _finite(reduced.p5)
        out["p95"] = _finite(reduced.p95)
    return out


def scenario_document(result: ScenarioResult, baseline: ScenarioResult, ranged: bool) -> dict[str, Any]:
    """The JSON figures of one scenario (see README)."""
    t, i, totals = result.training, result.inference, result.totals

    def f(values: np.ndarray) -> Figure:
        return figure(band(values), ranged)

    def ratio(values: np.ndarray, base: np.ndarray) -> Figure:
        return figure(paired_ratio(values, base), ranged)

    crossing = crossover(totals.crossover_month)
    crossover_doc: dict[str, Any] = figure(Band(crossing.median, crossing.p5, crossing.p95), ranged)
    crossover_doc["share_never"] = crossing.share_never
    training_co2e, training_embodied = t.total("co2e_t"), t.total("embodied_co2e_t")

    document: dict[str, Any] = {
        "name": result.name,
        "training": {
            "flops": f(t.total("flops")),
            "accelerator_hours": f(t.total("accelerator_hours")),
            "wall_clock_days": f(t.wall_clock_days),
            "energy_mwh": f(t.total("energy_mwh")),
            "co2e_t": f(training_co2e),
            "co2e_operational_t": f(training_co2e - training_embodied),
            "co2e_embodied_t": f(training_embodied),
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
            "effective_batch": f(i.effective_batch),
            "time_to_first_token_s": f(i.time_to_first_token_s),
            "tokens_per_second": f(i.tokens_per_second),
            "usd_per_query": f(i.usd_per_query),
            "usd_per_million_tokens": f(i.usd_per_million_tokens),
            "co2e_g_per_query": f(i.co2e_g_per_query),
            "co2e_operational_g_per_query": f(i.co2e_g_per_query - i.embodied_co2e_g_per_query),
            "co2e_embodied_g_per_query": f(i.embodied_co2e_g_per_query),
            "water_ml_per_query": f(i.water_ml_per_query),
            "joules_per_output_token": f(i.joules_per_output_token),
            "deployment": deployment_document(result.deployment, f(i.effective_batch)),
        },
        "totals": {
            "months": int(totals.months[-1]),
            "cumulative_energy_mwh": f(totals.horizon_energy_mwh),
            "cumulative_training_energy_mwh": f(totals.training_energy_mwh[-1]),
            "cumulative_inference_energy_mwh": f(totals.inference_energy_mwh[-1]),
            "cumulative_inference_energy_no_rebound_mwh": f(totals.inference_energy_no_rebound_mwh[-1]),
            "rebound_change": f(totals.rebound_change),
            "rebound_queries_mwh": f(totals.horizon_rebound_queries_mwh),
            "rebound_tokens_mwh": f(totals.horizon_rebound_tokens_mwh),
            "price_usd_per_query": f(totals.price_usd_per_query),
            "relative_price_to_baseline": f(totals.relative_price_at_launch),
            "cumulative_co2e_t": f(totals.horizon_co2e_t),
            "cumulative_co2e_operational_t": f(totals.horizon_operational_co2e_t),
            "cumulative_co2e_embodied_t": f(totals.horizon_embodied_co2e_t),
            "cumulative_water_m3": f(totals.horizon_water_m3),
            "cumulative_cost_usd": f(totals.horizon_cost_usd),
            "annual_energy_mwh": [f(year) for year in totals.annual_energy_mwh],
            "crossover_month": crossover_doc,
        },
        "ratio_to_baseline": {
            "training_energy": ratio(t.total("energy_mwh"), baseline.training.total("energy_mwh")),
            "wh_per_query": ratio(i.wh_per_query, baseline.inference.wh_per_query),
            "cumulative_energy": ratio(totals.horizon_energy_mwh, baseline.totals.horizon_energy_mwh),
            "cumulative_co2e": ratio(totals.horizon_co2e_t, baseline.totals.horizon_co2e_t),
        },
    }
    medians = document["totals"]
    medians["equivalents"] = equivalents_document(
        medians["cumulative_energy_mwh"]["median"], medians["cumulative_co2e_t"]["median"]
    )
    return document


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
        "batch": batch,
        "chosen_by": choice.chosen_by,
        "tokens_per_second_per_user": _finite(choice.tokens_per_second_per_user),
        "time_to_first_token_s": _finite(choice.time_to_first_token_s),
        "meets_service_level": choice.meets_service_level,
    }
    if choice.runner_up is not None:
        runner = choice.runner_up
        document["runner_up"] = {"accelerators_per_replica": runner.accelerators_per_replica,
                                 "precision": runner.precision, "wh_per_query": _finite(runner.wh_per_query)}
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


def comparison_document(
    name: str, result: ComparisonResult, differences: list[list[str]] | None = None,
    service_level: dict[str, Figure] | None = None, listed: list[bool] | None = None,
    warnings: list[list[str]] | None = None,
) -> dict[str, Any]:
    """The whole document; ``differences`` flags, per scenario, usage assumptions unlike the baseline's;
    ``service_level`` is the market's (``tokens_per_second_per_user``), when it sets one."""
    ranged = result.samples > 1
    scenarios = []
    for index, scenario in enumerate(result.scenarios):
        document = scenario_document(scenario, result.baseline, ranged)
        document["verdict"] = verdict_document(verdict(scenario, result.baseline, ranged))
        document["verdict"]["warnings"] = warnings[index] if warnings is not None else []
        served = document["inference"]
        served["serving_cost_usd_per_query"] = served["usd_per_query"]
        served["cost_to_list_price"] = (
            figure(paired_ratio(scenario.inference.usd_per_query, scenario.totals.price_usd_per_query), ranged)
            if listed is not None and listed[index] else None
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
