"""One-at-a-time sensitivity (tornado): which inputs move a chosen output most.

Each input is set to its low and then its high value with every other input
at its central value. Inputs with a range use that range; when a scenario has
no range at all, every input is swung by +/- :data:`DEFAULT_SWING` (within its
physical bounds) so the chart still ranks what matters. All variants are
evaluated in one vectorised engine call: variant i is column i of the sample
axis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from app.domain.field_labels import path_label
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Quantity, quantity_field
from app.domain.scenario_names import short_names
from app.engine import adoption, inference, pricing, training
from app.engine.hardware import boundary_level
from app.engine.inputs import Inputs
from app.engine.operating_point import served_as
from app.engine.paired import ratio_samples
from app.engine.pricing import PricePath
from app.engine.results import ScenarioResult
from app.engine.sampling import central, flatten

DEFAULT_SWING = 0.20
"""Relative swing of inputs without a range, used only when no input has one.
Assumption: a conventional one-at-a-time tornado step (+/-20 %); with no
ranges given there is no measured spread to use instead, and the chart says
"each input ±20 %"."""


@dataclass(frozen=True, slots=True)
class Metric:
    label: str
    unit: str
    extract: Callable[[ScenarioResult, ScenarioResult], np.ndarray]
    """The metric's samples from a scenario's result and the baseline's (which only a ratio reads)."""


def _energy_ratio(scenario: ScenarioResult, baseline: ScenarioResult) -> np.ndarray:
    return ratio_samples(scenario.totals.horizon_energy_mwh, baseline.totals.horizon_energy_mwh)


RATIO_METRIC = "energy_ratio_to_baseline"
"""The verdict's own figure: a scenario's energy over the horizon over the baseline's."""

METRICS: dict[str, Metric] = {
    RATIO_METRIC: Metric("Energy over the horizon / baseline's", "×", _energy_ratio),
    "wh_per_query": Metric("Energy per query", "Wh", lambda r, _: r.inference.wh_per_query),
    "co2e_g_per_query": Metric("CO2e per query", "gCO2e", lambda r, _: r.inference.co2e_g_per_query),
    "usd_per_query": Metric("Cost per query", "USD", lambda r, _: r.inference.usd_per_query),
    "training_energy_mwh": Metric("Training energy", "MWh", lambda r, _: r.training.total("energy_mwh")),
    "training_co2e_t": Metric("Training CO2e", "tCO2e", lambda r, _: r.training.total("co2e_t")),
    "training_cost_usd": Metric("Training cost", "USD", lambda r, _: r.training.total("cost_usd")),
    "cumulative_energy_mwh": Metric("Cumulative energy", "MWh", lambda r, _: r.totals.horizon_energy_mwh),
    "cumulative_co2e_t": Metric("Cumulative CO2e", "tCO2e", lambda r, _: r.totals.horizon_co2e_t),
}
"""Outputs a tornado can rank inputs by."""


@dataclass(frozen=True, slots=True)
class SensitivityBar:
    """One bar of a tornado chart."""

    path: str
    """Input path, e.g. ``"usage.answer_tokens"``."""
    label: str
    unit: str
    low: float
    high: float
    """Input values at the two ends of the swing."""
    metric_low: float
    metric_high: float
    """The metric with the input at ``low`` and at ``high``."""
    central: float
    """The metric with every input at its central value."""
    from_range: bool
    """True when the swing is the input's own range, False for the default +/- swing."""

    @property
    def swing(self) -> float:
        return abs(self.metric_high - self.metric_low)


def _owner(scenario: ResolvedScenario, path: str) -> tuple[type[BaseModel], str]:
    *parents, name = path.split(".")
    node: BaseModel = scenario
    for part in parents:
        node = getattr(node, part)
    return type(node), name


def _clamp(model: type[BaseModel], name: str, value: float, central_value: float) -> float:
    bounds = quantity_field(model, name).bounds
    if bounds.ge is not None:
        value = max(value, bounds.ge)
    if bounds.le is not None:
        value = min(value, bounds.le)
    if bounds.gt is not None and value <= bounds.gt:
        value = central_value
    if bounds.lt is not None and value >= bounds.lt:
        value = central_value
    return value


@dataclass(frozen=True, slots=True)
class _Swing:
    """One bar's variation: an input path, its two ends, and which side(s) of the ratio it moves."""

    path: str
    low: float
    high: float
    from_range: bool
    sides: tuple[int, ...]
    """0: the scenario, 1: the baseline; an input the two share (the same value and range, so the Monte
    Carlo draws it once for both) moves both together."""
    label: str


def _ends(scenario: ResolvedScenario, quantities: dict[str, Quantity], ranged: bool) -> dict[str, tuple[float, float, bool]]:
    """Each input's two ends: its own range when any input has one, else the default swing."""
    if ranged:
        return {path: (*span, True) for path, q in quantities.items() if (span := q.sampled_range) is not None}
    ends = {}
    for path, q in quantities.items():
        model, name = _owner(scenario, path)
        low = _clamp(model, name, q.value * (1 - DEFAULT_SWING), q.value)
        high = _clamp(model, name, q.value * (1 + DEFAULT_SWING), q.value)
        if high != low:
            ends[path] = (low, high, False)
    return ends


def _quantities(scenario: ResolvedScenario) -> dict[str, Quantity]:
    """A scenario's inputs; trained on its serving hardware it has one chip, swung once for both uses."""
    quantities = flatten(scenario)
    if scenario.training_hardware == scenario.hardware:
        quantities = {path: q for path, q in quantities.items() if not path.startswith("training_hardware.")}
    return quantities


def _swings(scenarios: list[ResolvedScenario], names: list[str]) -> list[_Swing]:
    """Bars for the inputs of ``scenarios`` (the scenario, then the baseline for a ratio): an input the
    two share is one bar; an input that differs is a bar per side, named after its scenario."""
    found = [_quantities(s) for s in scenarios]
    ranged = any(q.has_range for quantities in found for q in quantities.values())
    ends = [_ends(s, q, ranged) for s, q in zip(scenarios, found, strict=True)]
    swings: list[_Swing] = []
    for path in dict.fromkeys(p for side in ends for p in side):
        sides = [i for i, side in enumerate(ends) if path in side]
        quantities = [found[i][path] for i in sides]
        shared = len(sides) == len(scenarios) and all(
            (q.value, q.low, q.high) == (quantities[0].value, quantities[0].low, quantities[0].high) for q in quantities)
        groups = [tuple(sides)] if shared or len(scenarios) == 1 else [(i,) for i in sides]
        for group in groups:
            low, high, from_range = ends[group[0]][path]
            label = path_label(path) if len(group) == len(scenarios) else f"{path_label(path)} ({names[group[0]]})"
            swings.append(_Swing(path, low, high, from_range, group, label))
    return swings


def _varied(scenario: ResolvedScenario, swings: list[_Swing], side: int) -> Inputs:
    """Central inputs of one side with bar i's low in column 1 + 2i and its high in column 2 + 2i."""
    inp = central(scenario, 1 + 2 * len(swings))
    same_chip = scenario.training_hardware == scenario.hardware
    for i, swing in enumerate(swings):
        if side not in swing.sides:
            continue
        twin = "training_" + swing.path if same_chip and swing.path.startswith("hardware.") else None
        for swung in (swing.path, twin) if twin in inp.values else (swing.path,):
            inp.values[swung] = inp.values[swung].copy()
            inp.values[swung][1 + 2 * i] = swing.low
            inp.values[swung][2 + 2 * i] = swing.high
    return inp


def _run(scenario: ResolvedScenario, inp: Inputs, level: int, reference: PricePath | None) -> tuple[ScenarioResult, PricePath]:
    """The engine over every column of ``inp``: the rebound priced against ``reference`` (its own price
    path when None, as for the baseline)."""
    trained = training.compute(inp, level)
    served = inference.compute(inp, level)
    price = pricing.price_path(inp, served, trained)
    totals = adoption.compute(inp, trained, served, price, price if reference is None else reference)
    return ScenarioResult(scenario.name, scenario.color, trained, served, totals), price


def sensitivity(comparison: ResolvedComparison, index: int, metric: str) -> list[SensitivityBar]:
    """Bars sorted by swing (largest first) of ``metric`` for scenario ``index`` of a comparison.

    Each scenario is served as :func:`app.engine.evaluate.evaluate` serves it (its operating point).
    The rebound is priced against the baseline's price path. For an absolute metric a swing of the
    baseline's own inputs moves that reference with it (the baseline never rebounds against itself),
    and another scenario's swings are measured against the baseline's central price path. For the
    ratio to the baseline (:data:`RATIO_METRIC`, the verdict's figure) both scenarios are swung: an
    input they share moves both, an input of one side moves that side, and the baseline's swings move
    the rebound's reference too.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of: {', '.join(METRICS)}")
    level = boundary_level(comparison.boundary)
    base = comparison.baseline_index
    scenario = served_as(comparison.scenarios[index], level)
    baseline = scenario if index == base else served_as(comparison.scenarios[base], level)
    paired = metric == RATIO_METRIC and index != base
    sides = [scenario, baseline] if paired else [scenario]
    names = short_names([s.name for s in sides])
    swings = _swings(sides, names)
    reference_result: ScenarioResult | None = None
    reference: PricePath | None = None
    if paired:
        reference_result, reference = _run(baseline, _varied(baseline, swings, 1), level, None)
    elif index != base:
        reference_result, reference = _run(baseline, central(baseline, 1), level, None)
    result, _ = _run(scenario, _varied(scenario, swings, 0), level, reference)
    values = METRICS[metric].extract(result, reference_result if reference_result is not None else result)

    bars = []
    for i, swing in enumerate(swings):
        model, name = _owner(sides[swing.sides[0]], swing.path)
        bars.append(
            SensitivityBar(
                path=swing.path,
                label=swing.label,
                unit=quantity_field(model, name).unit,
                low=float(swing.low),
                high=float(swing.high),
                metric_low=float(values[1 + 2 * i]),
                metric_high=float(values[2 + 2 * i]),
                central=float(values[0]),
                from_range=swing.from_range,
            )
        )
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return bars
