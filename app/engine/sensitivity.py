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
from app.domain.quantity import quantity_field
from app.engine import adoption, inference, pricing, training
from app.engine.hardware import boundary_level
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
    extract: Callable[[ScenarioResult], np.ndarray]


METRICS: dict[str, Metric] = {
    "wh_per_query": Metric("Energy per query", "Wh", lambda r: r.inference.wh_per_query),
    "co2e_g_per_query": Metric("CO2e per query", "gCO2e", lambda r: r.inference.co2e_g_per_query),
    "usd_per_query": Metric("Cost per query", "USD", lambda r: r.inference.usd_per_query),
    "training_energy_mwh": Metric("Training energy", "MWh", lambda r: r.training.total("energy_mwh")),
    "training_co2e_t": Metric("Training CO2e", "tCO2e", lambda r: r.training.total("co2e_t")),
    "training_cost_usd": Metric("Training cost", "USD", lambda r: r.training.total("cost_usd")),
    "cumulative_energy_mwh": Metric("Cumulative energy", "MWh", lambda r: r.totals.horizon_energy_mwh),
    "cumulative_co2e_t": Metric("Cumulative CO2e", "tCO2e", lambda r: r.totals.horizon_co2e_t),
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


def sensitivity(comparison: ResolvedComparison, index: int, metric: str) -> list[SensitivityBar]:
    """Bars sorted by swing (largest first) of ``metric`` for scenario ``index`` of a comparison.

    The rebound is priced as in :func:`app.engine.evaluate`: against the
    baseline's price path. A swing of the baseline's own inputs moves that
    reference with it (the baseline never rebounds against itself); another
    scenario's swings are measured against the baseline's central price path.
    """
    scenario, boundary = comparison.scenarios[index], comparison.boundary
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; one of: {', '.join(METRICS)}")
    level = boundary_level(boundary)
    quantities = flatten(scenario)
    # Trained on its serving hardware, a scenario has one chip: swing it once, for both uses.
    same_chip = scenario.training_hardware == scenario.hardware
    if same_chip:
        quantities = {path: q for path, q in quantities.items() if not path.startswith("training_hardware.")}
    ranged = {path: q for path, q in quantities.items() if q.has_range}
    swings: list[tuple[str, float, float, bool]] = []
    if ranged:
        swings = [(path, q.low, q.high, True) for path, q in ranged.items()]
    else:
        for path, q in quantities.items():
            model, name = _owner(scenario, path)
            low = _clamp(model, name, q.value * (1 - DEFAULT_SWING), q.value)
            high = _clamp(model, name, q.value * (1 + DEFAULT_SWING), q.value)
            if high != low:
                swings.append((path, low, high, False))

    inp = central(scenario, 1 + 2 * len(swings))
    for i, (path, low, high, _) in enumerate(swings):
        twin = "training_" + path if same_chip and path.startswith("hardware.") else None
        for swung in (path, twin) if twin in inp.values else (path,):
            inp.values[swung] = inp.values[swung].copy()
            inp.values[swung][1 + 2 * i] = low
            inp.values[swung][2 + 2 * i] = high
    trained = training.compute(inp, level)
    served = inference.compute(inp, level)
    price = pricing.price_path(inp, served)
    if index == comparison.baseline_index:
        reference = price
    else:
        baseline = central(comparison.scenarios[comparison.baseline_index], 1)
        reference = pricing.price_path(baseline, inference.compute(baseline, level, grid=False))
    totals = adoption.compute(inp, trained, served, price, reference)
    values = METRICS[metric].extract(ScenarioResult(scenario.name, scenario.color, trained, served, totals))

    bars = []
    for i, (path, low, high, from_range) in enumerate(swings):
        model, name = _owner(scenario, path)
        bars.append(
            SensitivityBar(
                path=path,
                label=path_label(path),
                unit=quantity_field(model, name).unit,
                low=float(low),
                high=float(high),
                metric_low=float(values[1 + 2 * i]),
                metric_high=float(values[2 + 2 * i]),
                central=float(values[0]),
                from_range=from_range,
            )
        )
    bars.sort(key=lambda bar: bar.swing, reverse=True)
    return bars
