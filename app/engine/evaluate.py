"""The engine's entry point: a resolved comparison in, an immutable result out.

Importing it tunes the C allocator to keep freed arrays for reuse
(:mod:`app.engine.allocator`): every computation builds and frees the same
large arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import TypeVar

import numpy as np

from app.cancellation import checkpoint
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.engine import adoption, inference, pricing, training
from app.engine.allocator import keep_freed_memory
from app.engine.hardware import boundary_level
from app.engine.inputs import Inputs
from app.engine.operating_point import DeploymentChoice, is_published, operated, published_choice
from app.engine.output_check import check_result
from app.engine.pricing import PricePath
from app.engine.results import (
    ComparisonResult,
    InferenceResult,
    ScenarioResult,
    TotalsResult,
    TrainingResult,
    reasoning_point_tokens,
)
from app.engine.sampling import draw, has_ranges, with_central
from app.engine.shared import Shared

keep_freed_memory()

SLICE_SAMPLES = 4096
"""Per-query inference runs on slices of this many samples, with a cancellation checkpoint
between them: about 60 ms each, so a superseded 20,000-sample request stops quickly."""


def _per_scenario(inp: Inputs, level: int, shared: Shared) -> tuple[TrainingResult, InferenceResult]:
    checkpoint()
    return training.compute(inp, level, shared), _inference(inp, level, shared)


def _published(
    scenario: ResolvedScenario, inp: Inputs, level: int, shared: Shared
) -> tuple[TrainingResult, InferenceResult, DeploymentChoice]:
    """:func:`_per_scenario` of a published deployment's draws ``inp``, and its choice, whose figures are at
    its central values: one more column of the same run (:func:`app.engine.sampling.with_central`), not a
    run of their own."""
    if inp.samples == 1:  # the draws are the central values
        trained, served = _per_scenario(inp, level, shared)
        return trained, served, published_choice(scenario, inp, served)
    checkpoint()
    both = with_central(scenario, inp)
    served = _inference(both, level, shared, reasoning_point_tokens(inference.reasoning_tokens(inp)))
    return training.compute(inp, level, shared), _columns(served, inp.samples), published_choice(scenario, both, served)


def _inference(inp: Inputs, level: int, shared: Shared, point: float | None = None) -> InferenceResult:
    """:func:`app.engine.inference.compute` of ``inp`` (its chart's point at reasoning length ``point``, by
    default its own), in slices of :data:`SLICE_SAMPLES` with a cancellation checkpoint between them."""
    if inp.samples < 2 * SLICE_SAMPLES:
        checkpoint()
        return inference.compute(inp, level, point_tokens=point, shared=shared)
    parts = []
    if point is None:
        point = reasoning_point_tokens(inference.reasoning_tokens(inp))  # the whole draw's, for every slice
    for start in range(0, inp.samples, SLICE_SAMPLES):
        checkpoint()
        end = min(start + SLICE_SAMPLES, inp.samples)
        piece = Inputs({path: values[start:end] for path, values in inp.values.items()}, inp.choices, end - start)
        parts.append(inference.compute(piece, level, point_tokens=point, shared=shared))
    joined = {name: np.concatenate([getattr(p, name) for p in parts], axis=-1)
              for name in (f.name for f in fields(InferenceResult)) if name != "reasoning_grid_tokens"}
    return InferenceResult(reasoning_grid_tokens=parts[0].reasoning_grid_tokens, **joined)


def _columns(result: InferenceResult, count: int) -> InferenceResult:
    """The first ``count`` samples of every figure of ``result``."""
    return InferenceResult(**{f.name: getattr(result, f.name) if f.name == "reasoning_grid_tokens"
                              else np.ascontiguousarray(getattr(result, f.name)[..., :count]) for f in fields(InferenceResult)})


T = TypeVar("T")
Memo = Callable[[ResolvedScenario, tuple, Callable[[], T]], T]
"""``memo(scenario, key, compute)``: a value of ``compute()`` for this scenario and key,
computed now or remembered (``app.session.results.ScenarioResults``)."""


def _no_memo(scenario: ResolvedScenario, key: tuple, compute: Callable[[], T]) -> T:
    return compute()


def _totals(
    inp: Inputs, trained: TrainingResult, served: InferenceResult, price: PricePath, reference: PricePath, shared: Shared
) -> TotalsResult:
    checkpoint()
    return adoption.compute(inp, trained, served, price, reference, shared)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # the output check names what they make non-finite
def evaluate(comparison: ResolvedComparison, samples: int = 1000, seed: int = 0, memo: Memo = _no_memo) -> ComparisonResult:
    """Training, per-query inference and adoption totals of every scenario.

    Inputs with ranges are sampled ``samples`` times (triangular, common random
    numbers across scenarios); with ``samples`` <= 1 or no range anywhere,
    every figure is computed once at the central values. Deterministic for a
    given ``seed``. Raises ResultOutOfRange, naming the likely input, rather
    than return a non-finite or negative figure. Each scenario's draws depend
    on that scenario only, so ``memo`` may hand back a scenario's figures from
    an earlier call: after an edit, only the scenario it changed is computed
    again (and the totals of the others only if the baseline's price path,
    their rebound reference, moved).
    """
    level = boundary_level(comparison.boundary)
    count = samples if samples > 1 and any(has_ranges(s) for s in comparison.scenarios) else 1

    def parts(scenario: ResolvedScenario) -> tuple[Inputs, TrainingResult, InferenceResult, DeploymentChoice]:
        def compute() -> tuple[Inputs, TrainingResult, InferenceResult, DeploymentChoice]:
            if is_published(scenario):
                inp = draw(scenario, count, seed)
                return (inp, *_published(scenario, inp, level, shared))
            searched, choice = operating(scenario)
            inp = draw(searched, count, seed)
            return (inp, *_per_scenario(inp, level, shared), choice)

        return memo(scenario, ("parts", level, count, seed), compute)

    def operating(scenario: ResolvedScenario) -> tuple[ResolvedScenario, DeploymentChoice]:
        """An automatic deployment's search, on central values: the same for every sample count and seed."""
        checkpoint()
        return memo(scenario, ("operating point", level), lambda: operated(scenario, level))

    shared = Shared()  # what scenarios that read the same inputs share (demand, schedules, batch searches), once
    computed = [parts(scenario) for scenario in comparison.scenarios]
    prices = [pricing.price_path(inp, served, trained) for inp, trained, served, _ in computed]
    reference = prices[comparison.baseline_index]
    reference_key = (reference.usd_per_query.tobytes() + reference.log_slope_per_month.tobytes()
                     + reference.training_usd.tobytes())
    results = tuple(
        ScenarioResult(
            name=scenario.name,
            color=scenario.color,
            training=trained,
            inference=served,
            totals=memo(
                scenario,
                ("totals", level, count, seed, reference_key),  # the rebound's and re-spending's reference, by value
                partial(_totals, inp, trained, served, price, reference, shared),
            ),
            deployment=choice,
        )
        for scenario, (inp, trained, served, choice), price in zip(comparison.scenarios, computed, prices, strict=True)
    )
    result = ComparisonResult(
        scenarios=results, baseline_index=comparison.baseline_index, boundary=comparison.boundary, samples=count
    )
    check_result(result, comparison)
    return result

