"""The engine checks its own answer: every figure finite and not negative.

Inputs are bounded (``app.domain.limits``) so that this should never trip; it
is the last guard, so that a chart or ``evaluate --json`` never shows NaN,
infinity or a negative energy. When it trips, it names the scenario, the
figure and the input most likely responsible: the one farthest, in orders of
magnitude, outside the span of the shipped presets' values of that field.
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache, lru_cache, partial

import numpy as np

from app.domain.library import PresetLibrary, ResolvedComparison, ResolvedScenario
from app.engine import calibration
from app.engine.results import ComparisonResult, InferenceResult, TotalsResult, TrainingResult
from app.engine.sampling import flatten, iter_quantities
from app.numbers import number as plain
from app.remembered import remembered

MAY_BE_UNDEFINED = frozenset({"totals.crossover_month"})
"""NaN there means "never" (inference never overtakes training), not a failure."""
MAY_BE_NEGATIVE = frozenset({"totals.horizon_rebound_queries_mwh", "totals.horizon_rebound_tokens_mwh"})
"""A dearer scenario is used less than the demand curve: its rebound is negative."""


class ResultOutOfRange(ValueError):
    """A figure came out non-finite or negative; ``field`` is the suspect input's dotted path."""

    def __init__(self, scenario_index: int, scenario: str, figure: str, problem: str, field: str, detail: str):
        self.scenario_index = scenario_index
        self.field = field
        self.message = (
            f"{figure} of {scenario!r} {problem}; "
            + (f"the likely cause is {field} ({detail})" if field else detail)
        )
        super().__init__(self.message)


_PARTS: dict[str, type[TrainingResult | InferenceResult | TotalsResult]] = {
    "training": TrainingResult, "inference": InferenceResult, "totals": TotalsResult,
}
"""The type of each part of a scenario's result, by its field name in ScenarioResult."""


def check_result(result: ComparisonResult, comparison: ResolvedComparison) -> None:
    """Raise ResultOutOfRange for the first non-finite or negative figure.

    A part found sound is not checked again while it lives (``app.remembered``):
    after an edit the engine hands back the other scenarios' very parts. A large figure found sound is
    not read again in this check either (scenarios of one market share its demand curve)."""
    sound: set[int] = set()
    for index, (scenario, resolved) in enumerate(zip(result.scenarios, comparison.scenarios, strict=True)):
        for group in _PARTS:
            part = getattr(scenario, group)
            found = remembered((part,), "checked", partial(_first_problem, part, group, sound))
            if found is not None:
                name, problem = found
                suspect, detail = likely_cause(resolved)
                raise ResultOutOfRange(index, scenario.name, name, problem, suspect, detail)


SMALL = 10_000
"""Figures of at most this many values are checked together (each alone would cost more in
per-call overhead than in reading its values); larger ones one by one."""


def _first_problem(part: TrainingResult | InferenceResult | TotalsResult, group: str, sound: set[int]) -> tuple[str, str] | None:
    """(figure, problem) of the first non-finite or negative figure of one result part, or None.

    The part's small ordinary figures are checked together, one reduction over all of them,
    and one by one only when that finds something (the first problem is named as always).
    ``sound`` holds the ids of large ordinary figures this check found sound (alive as parts of its result):
    one read again, as another figure or another scenario's, is not checked again."""
    named = [(name, np.asarray(getattr(part, field), dtype=float)) for field, name in _figures(group)]
    special = MAY_BE_UNDEFINED | MAY_BE_NEGATIVE
    small = [values.ravel() for name, values in named if name not in special and values.size <= SMALL]
    if small and not _problem(np.concatenate(small)):
        named = [(name, values) for name, values in named if name in special or values.size > SMALL]
    for name, values in named:
        if id(values) in sound:
            continue
        if name in MAY_BE_UNDEFINED:
            values = values[~np.isnan(values)]
        problem = _problem(np.abs(values) if name in MAY_BE_NEGATIVE else values)
        if problem:
            return name, problem
        if values.size > SMALL and name not in special:
            sound.add(id(values))
    return None


@cache
def _figures(group: str) -> tuple[tuple[str, str], ...]:
    """(field, figure name) of every figure of one part of a scenario's result."""
    return tuple((field.name, f"{group}.{field.name}") for field in dataclasses.fields(_PARTS[group]))


SOUND_BELOW = np.uint64(0x7FF0000000000000)
"""The bits of +infinity as an unsigned integer: exactly the doubles that are +0 or positive
and finite lie below it (negative numbers, -0 included, have the top bit set; NaN and
infinities the largest exponent)."""


def _problem(values: np.ndarray) -> str:
    if values.size == 0:
        return ""
    if values.dtype == np.float64 and values.view(np.uint64).max() < SOUND_BELOW:
        return ""  # all positive or +0 and finite: one reduction instead of a minimum and a maximum
    low, high = values.min(), values.max()  # NaN propagates: two reductions, no temporaries
    if low >= 0 and high < math.inf:
        return ""
    if np.isnan(values).any():
        return "is not a number (NaN)"
    if np.isinf(values).any():
        return "is infinite"
    if (values < 0).any():
        return f"is negative ({values.min():.3g})"
    return ""


def likely_cause(scenario: ResolvedScenario) -> tuple[str, str]:
    """The input farthest outside the shipped presets' span of its field, and how far (naming the
    serving calibration too when it is not the shipped one)."""
    spans = _shipped_spans()
    worst, worst_distance, detail = "", 0.0, ""
    for path, quantity in flatten(scenario).items():
        key = path.replace("training_hardware.", "hardware.", 1)
        if key not in spans:
            continue
        low, high = spans[key]
        for number in (quantity.value, quantity.low, quantity.high):
            if number is None or number <= 0 or low <= 0:
                continue
            distance = max(math.log10(low / number), math.log10(number / high), 0.0)
            if distance > worst_distance:
                worst, worst_distance = path, distance
                detail = f"{plain(number, 6)}, where the shipped presets hold {plain(low, 6)} to {plain(high, 6)}"
    active = calibration.active()
    custom = active.source != str(calibration.shipped_path())  # the user's calibration is a suspect too
    if not worst:
        if custom:
            return "", (f"no input lies outside the shipped presets' span, but the serving calibration in use, "
                        f"{active.source} ({calibration.ENVIRONMENT_VARIABLE}), is not the shipped one: check its constants")
        return "", "no input lies outside the shipped presets' span; please report this comparison"
    if custom:
        detail += f"; the serving calibration in use, {active.source}, is not the shipped one either"
    return worst, detail


@lru_cache(maxsize=1)
def _shipped_spans() -> dict[str, tuple[float, float]]:
    """(smallest, largest) value of each numeric field over the shipped presets."""
    library = PresetLibrary()
    spans: dict[str, list[float]] = {}
    for kind in ("model", "hardware", "datacenter", "usage", "market"):
        for preset_id in library.ids(kind):
            for path, quantity in iter_quantities(library.get(kind, preset_id), kind):
                numbers = [n for n in (quantity.value, quantity.low, quantity.high) if n is not None]
                span = spans.setdefault(path, [math.inf, -math.inf])
                span[0] = min(span[0], *numbers)
                span[1] = max(span[1], *numbers)
    return {path: (low, high) for path, (low, high) in spans.items()}
