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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from app.cancellation import checkpoint
from app.domain.input_paths import current_path
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Bounds, quantity_field, sampled_range
from app.domain.scenario import launch_bounds
from app.engine import adoption, inference, pricing, training
from app.engine.hardware import boundary_level
from app.engine.inputs import Inputs
from app.engine.operating_point import served_as
from app.engine.paired import ratio_samples
from app.engine.pricing import PricePath
from app.engine.results import InferenceResult, TrainingResult, percentiles
from app.engine.sampling import draw, flatten, has_ranges

SHARED_PREFIX = "market."
"""Inputs of the comparison's market: the same for the baseline and every scenario."""
NARROW_FIELD = 10.0
"""A field whose bounds are at most this far apart (a fraction, the elasticity) is
searched over its whole span; a wider one around its value."""
VARIANT_SAMPLES = 200
"""Monte Carlo samples behind each grid point unless asked otherwise: a break-even search's (some 60
points; ``jevons evaluate``'s break-even values and the window's headline flip) and a verdict map's
(the window's dialog and ``jevons sweep``). The median of 200 paired ratios is stable to about a
percent. One figure for both, so the flip lines of a map at its default samples are the break-even
values the headline and ``jevons evaluate`` report, not a search with other draws."""
CHUNK_COLUMNS = 16384
"""Sample columns computed together: a (60 months x 16k) array is 8 MB, so a chunk
stays in memory comfortably while numpy's per-call overhead is amortised."""


class SweepInputError(ValueError):
    """An input path or range that cannot be swept; the message says why."""


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
    def sampled_range(self) -> tuple[float, float] | None:
        return sampled_range(self.low, self.high)

    @property
    def has_range(self) -> bool:
        return self.sampled_range is not None

    def search_interval(self) -> tuple[float, float]:
        """Where a break-even is looked for: a narrow field's bounds (fractions, the elasticity),
        else a factor of 20 either side of the value (and its range), within the bounds."""
        lower, upper = self.bounds.lower, self.bounds.upper
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
        raise SweepInputError(f"{path!r} is not an input of scenario {scenario.name!r}")
    *parents, name = path.split(".")
    node = scenario
    for part in parents:
        node = getattr(node, part)
    field = quantity_field(type(node), name)
    # A launch must come before the horizon's end, which the field's own bounds cannot know.
    bounds = launch_bounds(scenario.usage) if path == "launch_months_after_start" else field.bounds
    return InputInfo(path, field.unit, bounds, quantity.value, quantity.low, quantity.high)


def sweepable_inputs(scenario: ResolvedScenario) -> list[InputInfo]:
    """Every numeric input of a scenario, in the order of its presets."""
    return [input_info(scenario, path) for path in flatten(scenario)]


def _tiled(inp: Inputs, points: int, settings: dict[str, np.ndarray]) -> Inputs:
    """``inp`` repeated for each of ``points`` grid points, with ``settings[path][k]`` in block k."""
    values = {path: np.tile(column, points) for path, column in inp.values.items() if path not in settings}
    for path, grid in settings.items():
        values[path] = np.repeat(np.asarray(grid, dtype=float), inp.samples)
    return Inputs(values, inp.choices, inp.samples * points)


class _ReadLog(dict):
    """Inputs that note which paths the engine read."""

    def __init__(self, values: dict[str, np.ndarray]):
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, path: str) -> np.ndarray:
        self.read.add(path)
        return super().__getitem__(path)

    def get(self, path: str, default: object = None) -> object:
        self.read.add(path)
        return super().get(path, default)

    def __contains__(self, path: object) -> bool:
        self.read.add(path)  # type: ignore[arg-type]
        return super().__contains__(path)


@dataclass(frozen=True, slots=True)
class _PerQuery:
    """Training and per-query figures of drawn inputs, and the inputs they were computed from."""

    trained: TrainingResult
    served: InferenceResult
    reads: frozenset[str]

    def tiled(self, points: int) -> tuple[TrainingResult, InferenceResult]:
        """The figures repeated for ``points`` grid points that leave every input they read as drawn."""
        def tile(result: TrainingResult | InferenceResult) -> dict[str, np.ndarray]:
            return {f.name: np.tile(a, (1,) * (a.ndim - 1) + (points,)) if f.name != "reasoning_grid_tokens" else a
                    for f in fields(result) for a in (getattr(result, f.name),)}

        return TrainingResult(**tile(self.trained)), InferenceResult(**tile(self.served))


def _per_query(inp: Inputs, level: int) -> _PerQuery:
    log = _ReadLog(inp.values)
    logged = Inputs(log, inp.choices, inp.samples)
    return _PerQuery(training.compute(logged, level), inference.compute(logged, level, grid=False), frozenset(log.read))


@dataclass(frozen=True, slots=True)
class _Computed:
    price: PricePath
    energy: np.ndarray
    co2e: np.ndarray


def _compute(inp: Inputs, level: int, reference: PricePath | None, known: _PerQuery | None = None,
             points: int = 1) -> _Computed:
    """Horizon energy and CO2e of tiled inputs; training and per-query figures are ``known``'s,
    tiled, when the swept inputs are none of those they read."""
    if known is not None:
        trained, served = known.tiled(points)
    else:
        trained, served = training.compute(inp, level), inference.compute(inp, level, grid=False)
    price = pricing.price_path(inp, served, trained)
    energy, co2e = adoption.horizon_totals(inp, trained, served, price, reference if reference is not None else price)
    return _Computed(price, energy, co2e)


def _tile_path(path: PricePath, points: int) -> PricePath:
    return PricePath(*(np.tile(a, points) for a in (path.usd_per_query, path.log_slope_per_month, path.training_usd)))


@dataclass(frozen=True, slots=True)
class Ratios:
    """Paired ratios to the baseline at each grid point, shape (points, samples)
    (``app.engine.paired``: its zero-baseline rule)."""

    energy: np.ndarray
    co2e: np.ndarray


class Sweep:
    """Scenario ``index`` of a comparison against its baseline, drawn once, ready to be
    evaluated with inputs set grid point by grid point (:meth:`ratios`).

    Draws, the baseline's figures and each side's training and per-query
    figures are computed once and reused by every grid: a break-even search
    evaluates several grids of one input, the evaluate command several inputs.
    Each side is served as :func:`app.engine.evaluate.evaluate` serves it (its
    operating point: an automatic deployment is searched once, at central
    values), so a grid point at the scenario's own inputs is the verdict's ratio.
    """

    def __init__(self, comparison: ResolvedComparison, index: int, samples: int = VARIANT_SAMPLES, seed: int = 0):
        self.comparison, self.index = comparison, index
        self.scenario = comparison.scenarios[index]
        baseline = comparison.scenarios[comparison.baseline_index]
        self.level = boundary_level(comparison.boundary)
        self.count = samples if samples > 1 and (has_ranges(self.scenario) or has_ranges(baseline)) else 1
        served = served_as(self.scenario, self.level)
        self.own = draw(served, self.count, seed)
        self.base = draw(served if index == comparison.baseline_index else served_as(baseline, self.level), self.count, seed)
        self._known: dict[str, _PerQuery] = {}
        self._fixed_baseline: _Computed | None = None

    def _per_query(self, side: str) -> _PerQuery:
        if side not in self._known:
            self._known[side] = _per_query(self.own if side == "own" else self.base, self.level)
        return self._known[side]

    def _reusable(self, side: str, settings: dict[str, np.ndarray]) -> _PerQuery | None:
        known = self._per_query(side)
        return None if known.reads & settings.keys() else known

    def ratios(
        self,
        settings: Mapping[str, Sequence[float] | np.ndarray],
        progress: Callable[[int, int], None] | None = None,
    ) -> Ratios:
        """Paired ratios with each input of ``settings`` set point by point (see :func:`sweep_ratios`)."""
        comparison, index, count, level = self.comparison, self.index, self.count, self.level
        grids = {current_path(path): np.asarray(values, dtype=float) for path, values in settings.items()}
        for path in grids:
            input_info(self.scenario, path)
        points = len(next(iter(grids.values())))
        shared = {path: grid for path, grid in grids.items() if path.startswith(SHARED_PREFIX)}
        is_baseline = index == comparison.baseline_index
        baseline_settings = grids if is_baseline else shared
        fixed_baseline = None
        if not shared and not is_baseline:
            if self._fixed_baseline is None:
                self._fixed_baseline = _compute(self.base, level, None, self._per_query("base"))
            fixed_baseline = self._fixed_baseline
        own_known = self._reusable("own", grids)
        base_known = self._reusable("base", baseline_settings)

        chunk = max(1, CHUNK_COLUMNS // count)
        energy = np.empty((points, count))
        co2e = np.empty((points, count))
        for start in range(0, points, chunk):  # chunks of grid points, each one vectorised call
            checkpoint()  # a superseded or cancelled job stops here (app.cancellation)
            stop = min(points, start + chunk)
            block = {path: grid[start:stop] for path, grid in grids.items()}
            if fixed_baseline is None:
                baseline_block = {path: grid[start:stop] for path, grid in baseline_settings.items()}
                reference = _compute(_tiled(self.base, stop - start, baseline_block), level, None, base_known, stop - start)
            else:
                reference = _Computed(
                    _tile_path(fixed_baseline.price, stop - start),
                    np.tile(fixed_baseline.energy, stop - start),
                    np.tile(fixed_baseline.co2e, stop - start),
                )
            mine = _compute(_tiled(self.own, stop - start, block), level, reference.price, own_known, stop - start)
            energy[start:stop] = ratio_samples(mine.energy, reference.energy).reshape(stop - start, count)
            co2e[start:stop] = ratio_samples(mine.co2e, reference.co2e).reshape(stop - start, count)
            if progress is not None:
                progress(stop, points)
        return Ratios(energy, co2e)


def sweep_ratios(
    comparison: ResolvedComparison,
    index: int,
    settings: Mapping[str, Sequence[float] | np.ndarray],
    samples: int = VARIANT_SAMPLES,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Ratios:
    """Scenario ``index`` over the baseline with each input of ``settings`` set point by point.

    Every array of ``settings`` has one value per grid point. ``progress(done,
    total)`` is called after each chunk of points; a job run by the latest-wins scheduler stops
    between chunks when superseded or cancelled (raises :class:`app.cancellation.Cancelled`).
    """
    return Sweep(comparison, index, samples, seed).ratios(settings, progress)


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
    comparison: ResolvedComparison, index: int, path: str, samples: int = VARIANT_SAMPLES, seed: int = 0,
    sweep: Sweep | None = None,
) -> BreakEven:
    """Where the median paired energy ratio crosses 1, by vectorised bracketing.

    The median ratio is evaluated on a grid over the input's search interval
    (one batched engine call), the crossing nearest the input's value is
    bracketed, and the bracket is refined on finer grids; the last step
    interpolates linearly. Draws are common to every point, so the median is
    a deterministic function of the input. ``sweep`` (of the same comparison,
    scenario, samples and seed) lets several searches share their draws.
    """
    info = input_info(comparison.scenarios[index], path)
    sweep = sweep if sweep is not None else Sweep(comparison, index, samples, seed)
    low, high = info.search_interval()

    def excess(grid: np.ndarray) -> np.ndarray:
        ratios = sweep.ratios({info.path: grid}).energy
        return percentiles(ratios)[1] - 1.0

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
    span = info.sampled_range
    within = span is not None and span[0] <= value <= span[1]
    return BreakEven(info.path, value, bool(within))
