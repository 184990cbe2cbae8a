"""The engine's entry point: a resolved comparison in, an immutable result out."""

from __future__ import annotations

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.engine import adoption, inference, training
from app.engine.hardware import boundary_level
from app.engine.output_check import check_result
from app.engine.results import ComparisonResult, InferenceResult, ScenarioResult, TrainingResult
from app.engine.sampling import Inputs, draw, has_ranges


def _per_scenario(inp: Inputs, level: int) -> tuple[TrainingResult, InferenceResult]:
    return training.compute(inp, level), inference.compute(inp, level)


def evaluate(comparison: ResolvedComparison, samples: int = 1000, seed: int = 0) -> ComparisonResult:
    """Training, per-query inference and adoption totals of every scenario.

    Inputs with ranges are sampled ``samples`` times (triangular, common random
    numbers across scenarios); with ``samples`` <= 1 or no range anywhere,
    every figure is computed once at the central values. Deterministic for a
    given ``seed``. Raises ResultOutOfRange, naming the likely input, rather
    than return a non-finite or negative figure.
    """
    level = boundary_level(comparison.boundary)
    count = samples if samples > 1 and any(has_ranges(s) for s in comparison.scenarios) else 1
    inputs = [draw(scenario, count, seed) for scenario in comparison.scenarios]
    parts = [_per_scenario(inp, level) for inp in inputs]
    reference = parts[comparison.baseline_index][1].usd_per_query
    results = tuple(
        ScenarioResult(
            name=scenario.name,
            color=scenario.color,
            training=trained,
            inference=served,
            totals=adoption.compute(inp, trained, served, reference),
        )
        for scenario, inp, (trained, served) in zip(comparison.scenarios, inputs, parts, strict=True)
    )
    result = ComparisonResult(
        scenarios=results, baseline_index=comparison.baseline_index, boundary=comparison.boundary, samples=count
    )
    check_result(result, comparison)
    return result


def evaluate_scenario(
    scenario: ResolvedScenario, boundary: str = "facility", samples: int = 1, seed: int = 0
) -> ScenarioResult:
    """One scenario on its own (its own launch price is the rebound reference)."""
    level = boundary_level(boundary)
    inp = draw(scenario, samples if has_ranges(scenario) else 1, seed)
    trained, served = _per_scenario(inp, level)
    totals = adoption.compute(inp, trained, served, served.usd_per_query)
    return ScenarioResult(scenario.name, scenario.color, trained, served, totals)
