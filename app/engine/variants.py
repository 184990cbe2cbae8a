"""A scenario against its baseline with one or two inputs set to many values at once.

The verdict map (``jevons sweep``) and the break-even values need the paired
ratio of cumulative energy at every point of a grid of input values. Each
grid point is a block of the sample axis: the Monte Carlo draws are tiled
once per point (so every point sees the same draws, common random numbers)
and the swept inputs are set block by block; the whole grid is then one
vectorised engine call per chunk of points.

A market input (``market.…``) is the comparison's: setting it changes the
baseline too. Any other input is the scenario's own, and the baseline is
computed once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.domain.input_paths import current_path
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Bounds, quantity_field
from app.engine import adoption, inference, pricing, training
from app.engine.hardware import boundary_level
from app.engine.pricing import PricePath
from app.engine.results import percentiles
from app.engine.sampling import Inputs, draw, flatten, has_ranges

SHARED_PREFIX = "market."
"""Inputs of the comparison's market: the same for the baseline and every scenario."""
NARROW_FIELD = 10.0
"""A field whose bounds are at most this far apart (a fraction, the elasticity) is
searched over its whole span; a wider one around its value."""
CHUNK_COLUMNS = 16384
"""Sample columns computed together: a (60 months x 16k) array is 8 MB, so a chunk
stays in memory comfortably while numpy's per-call overhead is amortised."""


class SweepInputError(ValueError):
    """An input path or range that cannot be swept; the message says why."""


class Cancelled(Exception):
    """The caller asked to stop."""


@dataclass(frozen=True, slots=True)
class InputInfo:
    """What a sweepable input is: its unit, bounds and the range it is searched over."""

    path: str
    unit: str
    bounds: Bounds
    value: float
    low: float | None
    high: float | None

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low

    def search_interval(self) -> tuple[float, float]:
        """Where a break-even is looked for: a narrow field's bounds (fractions, the elasticity),
        else a factor of 20 either side of the value (and its range), within the bounds."""
        lower = self.bounds.ge if self.bounds.ge is not None else self.bounds.gt
        upper = self.bounds.le if self.bounds.le is not None else self.bounds.lt
        if lower is not None and upper is not None and upper - lower <= NARROW_FIELD:
            low, high = lower, upper
        else:
            value = self.value
            low = value / 20 if value > 0 else value * 20 - 1
            high = value * 20 if value > 0 else 1.0
            low = min(low, self.low) if self.low is not None else low
            high = max(high, self.high) if self.high is not None else high
            low = low if lower is None else max(lower, low)
            high = high if upper is None else min(upper, high)
        # Open bounds are approached, never reached.
        if self.bounds.gt is not None and low <= self.bounds.gt:
            low = self.bounds.gt + 1e-6 * (high - self.bounds.gt)
        if self.bounds.lt is not None and high >= self.bounds.lt:
            high = self.bounds.lt - 1e-6 * (self.bounds.lt - low)
        return float(low), float(high)


def input_info(scenario: ResolvedScenario, path: str) -> InputInfo:
    """The input at ``path`` of ``scenario`` (format-2 paths accepted); SweepInputError when absent."""
    path = current_path(path)
    quantity = flatten(scenario).get(path)
    if quantity is None:
        raise SweepInputError(f"{path!r} is not an input of scenario {scenario.name!r} (see --list)")
    *parents, name = path.split(".")
    node = scenario
    for part in parents:
        node = getattr(node, part)
    field = quantity_field(type(node), name)
    return InputInfo(path, field.unit, field.bounds, quantity.value, quantity.low, quantity.high)


def sweepable_inputs(scenario: ResolvedScenario) -> list[InputInfo]:
    """Every numeric input of a scenario, in the order of its presets."""
    return [input_info(scenario, path) for path in flatten(scenario)]


def _tiled(inp: Inputs, points: int, settings: dict[str, np.ndarray]) -> Inputs:
    """``inp`` repeated for each of ``points`` grid points, with ``settings[path][k]`` in block k."""
    values = {path: np.tile(column, points) for path, column in inp.values.items() if path not in settings}
    for path, grid in settings.items():
        values[path] = np.repeat(np.asarray(grid, dtype=float), inp.samples)
    return Inputs(values, inp.choices, inp.samples * points)


@dataclass(frozen=True, slots=True)
class _Computed:
    price: PricePath
    energy: np.ndarray
    co2e: np.ndarray


def _compute(inp: Inputs, level: int, reference: PricePath | None) -> _Computed:
    trained = training.compute(inp, level)
    served = inference.compute(inp, level, grid=False)
    price = pricing.price_path(inp, served)
    totals = adoption.compute(inp, trained, served, price, reference if reference is not None else price)
    return _Computed(price, totals.total_energy_mwh[-1], totals.horizon_co2e_t)


def _tile_path(path: PricePath, points: int) -> PricePath:
    return PricePath(np.tile(path.usd_per_query, points), np.tile(path.log_slope_per_month, points))


@dataclass(frozen=True, slots=True)
class Ratios:
    """Paired ratios to the baseline at each grid point, shape (points, samples)."""

    energy: np.ndarray
    co2e: np.ndarray


def paired_ratios(
    comparison: ResolvedComparison,
    index: int,
    settings: dict[str, Sequence[float]],
    samples: int = 200,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Ratios:
    """Scenario ``index`` over the baseline with each input of ``settings`` set point by point.

    Every array of ``settings`` has one value per grid point. ``progress(done,
    total)`` is called after each chunk of points; ``cancelled()`` returning
    True stops the work (raises Cancelled).
    """
    scenario = comparison.scenarios[index]
    baseline = comparison.scenarios[comparison.baseline_index]
    settings = {current_path(path): np.asarray(values, dtype=float) for path, values in settings.items()}
    for path in settings:
        input_info(scenario, path)
    points = len(next(iter(settings.values())))
    level = boundary_level(comparison.boundary)
    count = samples if samples > 1 and (has_ranges(scenario) or has_ranges(baseline)) else 1
    own = draw(scenario, count, seed)
    base = draw(baseline, count, seed)
    shared = {path: grid for path, grid in settings.items() if path.startswith(SHARED_PREFIX)}
    fixed_baseline = None if shared or index == comparison.baseline_index else _compute(base, level, None)

    chunk = max(1, CHUNK_COLUMNS // count)
    energy = np.empty((points, count))
    co2e = np.empty((points, count))
    for start in range(0, points, chunk):  # chunks of grid points, each one vectorised call
        if cancelled is not None and cancelled():
            raise Cancelled
        stop = min(points, start + chunk)
        block = {path: grid[start:stop] for path, grid in settings.items()}
        if fixed_baseline is None:
            baseline_block = {path: grid[start:stop] for path, grid in (block if index == comparison.baseline_index else shared).items()}
            reference = _compute(_tiled(base, stop - start, baseline_block), level, None)
        else:
            reference = _Computed(
                _tile_path(fixed_baseline.price, stop - start),
                np.tile(fixed_baseline.energy, stop - start),
                np.tile(fixed_baseline.co2e, stop - start),
            )
        mine = _compute(_tiled(own, stop - start, block), level, reference.price)
        with np.errstate(divide="ignore", invalid="ignore"):
            energy[start:stop] = (mine.energy / reference.energy).reshape(stop - start, count)
            co2e[start:stop] = (mine.co2e / reference.co2e).reshape(stop - start, count)
        if progress is not None:
            progress(stop, points)
    return Ratios(energy, co2e)


@dataclass(frozen=True, slots=True)
class BreakEven:
    """The value of one input at which the median energy ratio to the baseline is 1."""

    path: str
    value: float | None
    """None when no value within the searched interval flips the verdict."""
    within_range: bool
    """Whether that value lies within the input's own uncertainty range."""


GRID_POINTS = 24
REFINEMENTS = 3
REFINE_POINTS = 12


def break_even(
    comparison: ResolvedComparison, index: int, path: str, samples: int = 200, seed: int = 0
) -> BreakEven:
    """Where the median paired energy ratio crosses 1, by vectorised bracketing.

    The median ratio is evaluated on a grid over the input's search interval
    (one batched engine call), the crossing nearest the input's value is
    bracketed, and the bracket is refined on finer grids; the last step
    interpolates linearly. Draws are common to every point, so the median is
    a deterministic function of the input.
    """
    info = input_info(comparison.scenarios[index], path)
    low, high = info.search_interval()

    def excess(grid: np.ndarray) -> np.ndarray:
        ratios = paired_ratios(comparison, index, {info.path: grid}, samples, seed).energy
        return percentiles(np.nan_to_num(ratios, nan=np.inf))[1] - 1.0

    grid = np.linspace(low, high, GRID_POINTS)
    values = excess(grid)
    flips = np.flatnonzero((np.sign(values[:-1]) != np.sign(values[1:])) & np.isfinite(values[:-1] + values[1:]))
    if flips.size == 0:
        return BreakEven(info.path, None, False)
    k = flips[np.argmin(np.abs(grid[flips] - info.value))]  # the crossing nearest the input's value
    for _ in range(REFINEMENTS + 1):
        left, right, ends = grid[k], grid[k + 1], values[k : k + 2]
        if ends[0] == 0 or ends[1] == ends[0]:
            break
        grid = np.linspace(left, right, REFINE_POINTS)
        values = excess(grid)
        found = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
        if found.size == 0:
            break
        k = found[0]
    value = left if ends[1] == ends[0] else left - ends[0] * (right - left) / (ends[1] - ends[0])
    value = float(np.clip(value, min(left, right), max(left, right)))
    within = info.has_range and info.low <= value <= info.high
    return BreakEven(info.path, value, bool(within))
