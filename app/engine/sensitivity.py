"""Sensitivity (tornado): which inputs move a chosen output most.

Each input is pinned at its low and then its high value while every other
input is drawn across its range, and the bar's ends are the Monte Carlo
medians of the output: the question the headline's flip answers (the median
verdict as one input moves, :func:`app.engine.variants.break_even`), with the
same draws (common random numbers, :data:`~app.engine.variants.VARIANT_SAMPLES`
samples). The centre is the median with nothing pinned. Inputs whose central
value is not their median case (a skewed range, e.g. 0 in 0 to 9) would
otherwise make a bar at central values contradict the headline.

Inputs with a range use that range; when a scenario has no range at all,
every input is swung by +/- :data:`DEFAULT_SWING` (within its physical
bounds) so the chart still ranks what matters (nothing is drawn then: the
median is the central run). Every pinned point is a block of the sample axis
of one vectorised engine call (:meth:`app.engine.variants.Sweep.measured`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pydantic import BaseModel

from app.domain.field_labels import input_label
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Quantity, quantity_field
from app.domain.scenario_names import short_names
from app.engine.paired import ratio_samples
from app.engine.results import InferenceResult, TrainingResult, percentiles
from app.engine.sampling import flatten
from app.engine.variants import VARIANT_SAMPLES, Settings, Sweep

DEFAULT_SWING = 0.20
"""Relative swing of inputs without a range, used only when no input has one.
Assumption: a conventional one-at-a-time tornado step (+/-20 %); with no
ranges given there is no measured spread to use instead, and the chart says
"each input ±20 %"."""


class Totals(Protocol):
    @property
    def horizon_energy_mwh(self) -> np.ndarray: ...
    @property
    def horizon_co2e_t(self) -> np.ndarray: ...


class Figures(Protocol):
    """What a metric reads: an engine result (:class:`app.engine.results.ScenarioResult`) or a sweep's
    figures (:class:`app.engine.variants.Figures`)."""

    @property
    def training(self) -> TrainingResult: ...
    @property
    def inference(self) -> InferenceResult: ...
    @property
    def totals(self) -> Totals: ...


@dataclass(frozen=True, slots=True)
class Metric:
    label: str
    unit: str
    extract: Callable[[Figures, Figures], np.ndarray]
    """The metric's samples from a scenario's figures and the baseline's (which only a ratio reads)."""


def _energy_ratio(scenario: Figures, baseline: Figures) -> np.ndarray:
    return ratio_samples(scenario.totals.horizon_energy_mwh, baseline.totals.horizon_energy_mwh)


RATIO_METRIC = "energy_ratio_to_baseline"
"""The verdict's own figure: a scenario's energy over the horizon over the baseline's."""

METRICS: dict[str, Metric] = {
    RATIO_METRIC: Metric("Energy over the horizon / baseline's", "×", _energy_ratio),
    "wh_per_query": Metric("Energy per query", "Wh", lambda r, _: r.inference.wh_per_query),
    "co2e_g_per_query": Metric("CO2e per query", "gCO2e", lambda r, _: r.inference.co2e_g_per_query),
    "usd_per_query": Metric("Cost per query", "USD", lambda r, _: r.inference.usd_per_query),
    "training_energy_mwh": Metric("Training + R&D energy", "MWh", lambda r, _: r.training.total("energy_mwh")),
    "training_co2e_t": Metric("Training + R&D CO2e", "tCO2e", lambda r, _: r.training.total("co2e_t")),
    "training_cost_usd": Metric("Training + R&D cost", "USD", lambda r, _: r.training.total("cost_usd")),
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
    """The metric's median with the input at ``low`` and at ``high``, every other input drawn."""
    central: float
    """The metric's median with every input drawn."""
    from_range: bool
    """True when the swing is the input's own range, False for the default +/- swing."""
    samples: int
    """Monte Carlo samples behind each median (1 when nothing has a range: the medians are central runs)."""

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
    """0: the scenario, 1: the baseline; an input the two share (:func:`app.engine.variants.shared_inputs`)
    moves both together."""
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


def _swings(scenarios: list[ResolvedScenario], names: list[str], shared: frozenset[str]) -> list[_Swing]:
    """Bars for the inputs of ``scenarios`` (the scenario, then the baseline for a ratio): an input the
    two share (``shared``, the sweep's) is one bar; any other is a bar per side, named after its scenario."""
    found = [_quantities(s) for s in scenarios]
    ranged = any(q.has_range for quantities in found for q in quantities.values())
    ends = [_ends(s, q, ranged) for s, q in zip(scenarios, found, strict=True)]
    swings: list[_Swing] = []
    for path in dict.fromkeys(p for side in ends for p in side):
        sides = [i for i, side in enumerate(ends) if path in side]
        together = len(scenarios) == 1 or (len(sides) == len(scenarios) and path in shared)
        for group in [tuple(sides)] if together else [(i,) for i in sides]:
            low, high, from_range = ends[group[0]][path]
            label = input_label(path, None if len(group) == len(scenarios) else names[group[0]])
            swings.append(_Swing(path, low, high, from_range, group, label))
    return swings


def _pins(swings: list[_Swing], side: int) -> dict[str, np.ndarray]:
    """One side's settings: NaN (as drawn) at point 0 and wherever a bar does not move this side, bar i's
    low at point 1 + 2i and its high at point 2 + 2i (a chip used for both training and serving is pinned
    as one by :meth:`app.engine.variants.Sweep.measured`)."""
    pins: dict[str, np.ndarray] = {}
    for i, swing in enumerate(swings):
        if side in swing.sides:
            row = pins.setdefault(swing.path, np.full(1 + 2 * len(swings), np.nan))
            row[1 + 2 * i], row[2 + 2 * i] = swing.low, swing.high
    return pins


def sensitivity(
    comparison: ResolvedComparison, index: int, metric: str, samples: int = VARIANT_SAMPLES, seed: int = 0
) -> list[SensitivityBar]:
    """Bars sorted by swing (largest first) of ``metric``'s median for scenario ``index`` of a comparison.

    Each scenario is served and drawn as :func:`app.engine.variants.break_even` draws it (``samples``
    draws of ``seed``; its operating point), so the centre is the median the summary gives at that
    sample count and seed, and the ratio's bars are the medians whose crossing of 1 the headline's flip
    names. The rebound is priced against the baseline's price path. For an absolute metric the
    baseline's own inputs move that reference with them (the baseline never rebounds against itself),
    and the inputs another scenario shares with the baseline move the baseline's too. For the ratio to
    the baseline (:data:`RATIO_METRIC`, the verdict's figure) both scenarios are swung: an input they
    share moves both, an input of one side moves that side.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of: {', '.join(METRICS)}")
    sweep = Sweep(comparison, index, samples, seed)
    is_baseline = index == comparison.baseline_index
    paired = metric == RATIO_METRIC and not is_baseline
    sides = [sweep.served, sweep.served_baseline] if paired else [sweep.served]
    swings = _swings(sides, short_names([s.name for s in sides]), sweep.shared)
    if not swings:
        return []
    own = _pins(swings, 0)
    if is_baseline:
        base: Settings = own
    elif paired:
        base = _pins(swings, 1)
    else:
        base = {path: row for path, row in own.items() if path in sweep.shared}
    extract = METRICS[metric].extract
    (values,) = sweep.measured(own, base, lambda mine, reference: (extract(mine, reference),))
    medians = percentiles(values)[1]

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
                metric_low=float(medians[1 + 2 * i]),
                metric_high=float(medians[2 + 2 * i]),
                central=float(medians[0]),
                from_range=swing.from_range,
                samples=sweep.count,
            )
        )
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return bars
