"""The window's compute path without Qt: a resolved comparison in, drawable chart tables out.

Runs on the engine's worker thread (``app.session.scheduler``): the engine
(through the per-scenario memo), the chart tables, and the sensitivity of the
scenario in focus when its view is shown or exported -- so the GUI thread
only draws. ``benchmarks/bench_engine.py`` times its parts: the engine through the memo, then the
chart tables and summary of a result.
"""

from __future__ import annotations

import traceback
from functools import partial
from typing import TYPE_CHECKING

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.report import metadata
from app.report.chart_data import ChartInputs, TornadoData, tornado
from app.session.results import ScenarioResults

if TYPE_CHECKING:
    from app.engine.variants import BreakEven

Focus = tuple[int, str]
"""(scenario index, metric of ``app.engine.sensitivity.METRICS``) whose sensitivity is wanted."""


def sensitivity(resolved: ResolvedComparison, index: int, metric: str, results: ScenarioResults) -> TornadoData:
    """The sensitivity of one scenario to its inputs, kept per scenario and metric.

    It depends on the scenario, the boundary and, for a scenario other than the
    baseline, the baseline (whose price the rebound is measured against).
    """
    scenario = resolved.scenarios[index]
    baseline = resolved.scenarios[resolved.baseline_index]
    is_baseline = index == resolved.baseline_index
    key = ("sensitivity", metric, resolved.boundary, index, is_baseline, id(baseline))
    try:
        kept, data = results(scenario, key, lambda: (baseline, tornado(resolved, index, metric)))
        if kept is baseline:
            return data
        return tornado(resolved, index, metric)  # a baseline since freed had the same id: not reused
    except Exception as error:  # shown in that view; the main result still counts
        return TornadoData(scenario.name, "#808080", metric, metric, "", float("nan"), (), f"{type(error).__name__}: {error}")


def flips(resolved: ResolvedComparison, results: ScenarioResults) -> dict[int, BreakEven]:
    """Per scenario but the baseline, where along the price elasticity its median verdict flips.

    Kept per scenario like the sensitivity: it depends on the scenario, the
    boundary and the baseline. A scenario whose search fails names no flip (the
    verdict itself still shows).
    """
    from app.report.headline import ELASTICITY, elasticity_flip, elasticity_flips

    baseline = resolved.scenarios[resolved.baseline_index]

    def search(index: int) -> tuple[ResolvedScenario, BreakEven]:
        return baseline, elasticity_flip(resolved, index)

    def kept_flip(index: int) -> BreakEven:
        key = ("flip", ELASTICITY, resolved.boundary, index, id(baseline))
        kept, value = results(resolved.scenarios[index], key, partial(search, index))
        return value if kept is baseline else elasticity_flip(resolved, index)  # a freed baseline's id: not reused

    return elasticity_flips(resolved, kept_flip)


def chart_inputs(
    resolved: ResolvedComparison, samples: int, results: ScenarioResults, focus: Focus | None = None,
    refined: bool = False,
) -> ChartInputs:
    """Engine result, chart tables and, with the ``refined`` pass (or a result with nothing to sample,
    which no refinement follows), where each verdict flips and the sensitivity of ``focus`` when given,
    all computed now. Both are Monte Carlo searches of some tens of thousands of samples (about 0.3 s
    each for the DeepSeek question): the window asks for them with its refined pass only, so an edit's
    quick result is not held up by them. The draws use :data:`app.report.metadata.SEED`, the seed
    ``jevons export`` uses and every export states, so the window shows what it exports."""
    result = results.evaluate(resolved, samples=samples, seed=metadata.SEED)
    searched = refined or result.samples == 1
    data = None
    if searched and focus is not None and focus[0] < len(resolved.scenarios):
        data = sensitivity(resolved, *focus, results)
    found = flips(resolved, results) if searched and len(resolved.scenarios) > 1 else None
    return ChartInputs(resolved, result, data, found).prepare()


def describe_failure(error: BaseException) -> str:
    """One line for the window's banner: what failed and where, never a traceback."""
    from app.engine.output_check import ResultOutOfRange

    if isinstance(error, ResultOutOfRange):  # the engine's own check: names the input, not the code
        return f"scenarios[{error.scenario_index}]: {error.message}"
    last = traceback.extract_tb(error.__traceback__)[-1:] or None
    where = f" (in {last[0].name}, {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(error).__name__}: {error}{where}"
