"""A scenario against its baseline with one or two inputs set to many values at once.

The verdict map (``jevons sweep``) and the break-even values need the paired
ratio of cumulative energy at every point of a grid of input values; the
tornado (:mod:`app.engine.sensitivity`) any of its metrics with one input
pinned per point. Each grid point is a block of the sample axis: the Monte
Carlo draws are tiled once per point (so every point sees the same draws,
common random numbers) and the swept inputs are set block by block; the
whole grid is then one vectorised engine call per chunk of points.

An input the scenario shares with its baseline (:func:`shared_inputs`: the same
value and range on both, such as the comparison's market, one datacenter or one
usage profile) describes the world both models run in: setting it sets it on
both sides. Any other input is the scenario's own (:meth:`Sweep.label` says
whose), and the baseline is computed once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import TypeVar

import numpy as np

from app.cancellation import checkpoint
from app.domain.field_labels import input_label
from app.domain.input_paths import current_path
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Bounds, quantity_field, sampled_range
from app.domain.scenario import launch_bounds
from app.domain.scenario_names import short_names
from app.engine import adoption, inference, pricing, training
from app.engine.hardware import boundary_level
from app.engine.inputs import Inputs
from app.engine.operating_point import served_as
from app.engine.paired import ratio_samples
from app.engine.pricing import PricePath
from app.engine.results import InferenceResult, TrainingResult, percentiles
from app.engine.sampling import draw, flatten, has_ranges

R = TypeVar("R", TrainingResult, InferenceResult)

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

    def grid(self, low: float, high: float, points: int) -> np.ndarray:
        """The values an axis from ``low`` to ``high`` in ``points`` steps sets this input to: evenly spaced,
        and for a count (``Bounds.whole``: layers, heads, accelerators) the distinct whole numbers nearest
        them within the span, so at most ``points`` (40 to 80 in 4 is 40, 53, 67, 80; 40 to 60 in 30 is the
        21 whole numbers). The one rule of a swept axis, read by ``jevons sweep`` and the window's verdict
        map (:mod:`app.report.verdict_map`) alike: a fraction of a layer is no scenario a file could hold."""
        if not self.bounds.whole:
            return np.linspace(low, high, points)
        first, last = math.ceil(low), math.floor(high)
        if first > last:
            return np.empty(0)
        return np.unique(np.rint(np.linspace(first, last, points)))

    def search_interval(self) -> tuple[float, float]:
        """Where a break-even is looked for: a narrow field's bounds (fractions, the elasticity),
        else a factor of 20 either side of the value (and its range), within the bounds; a count's
        (``Bounds.whole``) ends are the whole numbers just inside (61 layers: 4 to 1,220)."""
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
        if self.bounds.whole:
            low, high = math.ceil(low), math.floor(high)
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


def shared_inputs(scenario: ResolvedScenario, baseline: ResolvedScenario) -> frozenset[str]:
    """The inputs ``scenario`` shares with ``baseline``: the paths both have with the same value and range.

    The one rule for which inputs describe the world both run in rather than one model: the
    comparison's market, a datacenter, usage profile or chip they both use. Common random numbers
    already draw such an input as one (:mod:`app.engine.sampling` keys a draw by path, value and
    range), so a break-even, a verdict map and a tornado bar move it on both sides alike. An input
    only one side has, or one with another value or range (a market value overridden for one
    scenario, say), is that side's own."""
    if scenario is baseline:
        return frozenset(flatten(scenario))
    theirs = flatten(baseline)
    return frozenset(path for path, mine in flatten(scenario).items()
                     if (other := theirs.get(path)) is not None
                     and (mine.value, mine.low, mine.high) == (other.value, other.low, other.high))


def one_chip(settings: dict[str, np.ndarray], scenario: ResolvedScenario,
             values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``settings`` with each chip input's twin set alike when ``scenario`` trains on its serving hardware:
    it has one chip, whose training inputs are the very draws of its serving ones (:func:`draw`)."""
    if scenario.training_hardware != scenario.hardware:
        return settings
    twins = {"hardware": "training_hardware", "training_hardware": "hardware"}
    added = {}
    for path, grid in settings.items():
        part, _, name = path.partition(".")
        twin = f"{twins[part]}.{name}" if part in twins else ""
        if twin in values and twin not in settings:
            added[twin] = grid
    return settings | added if added else settings


def sweepable_inputs(scenario: ResolvedScenario) -> list[InputInfo]:
    """Every numeric input of a scenario, in the order of its presets."""
    return [input_info(scenario, path) for path in flatten(scenario)]


def _tiled(inp: Inputs, points: int, settings: dict[str, np.ndarray]) -> Inputs:
    """``inp`` repeated for each of ``points`` grid points, with ``settings[path][k]`` in block k
    (NaN: block k keeps that input's draws)."""
    values = {path: np.tile(column, points) for path, column in inp.values.items() if path not in settings}
    for path, grid in settings.items():
        pinned = np.repeat(np.asarray(grid, dtype=float), inp.samples)
        drawn = np.isnan(pinned)
        values[path] = np.where(drawn, np.tile(inp.values[path], points), pinned) if drawn.any() else pinned
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


def _tile(result: R, points: int) -> R:
    """Training or per-query figures repeated for ``points`` grid points along the sample axis."""
    return type(result)(**{f.name: np.tile(a, (1,) * (a.ndim - 1) + (points,)) if f.name != "reasoning_grid_tokens"
                           else a for f in fields(result) for a in (getattr(result, f.name),)})


def _refreshed(known: R, reads: frozenset[str], compute: Callable[[Inputs], R], inp: Inputs,
               block: dict[str, np.ndarray], points: int) -> R:
    """``known`` (figures of the draws) repeated for ``points`` grid points, with the points of ``block`` that
    set an input in ``reads`` computed afresh from ``inp``, the tiled inputs: only there do the figures move."""
    pinned = np.zeros(points, dtype=bool)
    for path, grid in block.items():
        if path in reads:
            pinned |= ~np.isnan(grid)
    if not pinned.any():
        return _tile(known, points)
    if pinned.all():
        return compute(inp)
    columns = np.repeat(pinned, inp.samples // points)
    fresh = compute(Inputs({path: values[columns] for path, values in inp.values.items()}, inp.choices,
                           int(columns.sum())))
    tiled = _tile(known, points)
    joined = {}
    for f in fields(tiled):
        kept, new = getattr(tiled, f.name), getattr(fresh, f.name)
        if f.name != "reasoning_grid_tokens" and kept.shape[-1:] == columns.shape:  # not an empty figure
            kept[..., columns] = new  # ``tiled``'s arrays are its own (np.tile copies)
        joined[f.name] = kept
    return type(tiled)(**joined)


@dataclass(frozen=True, slots=True)
class _PerQuery:
    """Training and per-query figures of drawn inputs, and the inputs each was computed from."""

    trained: TrainingResult
    served: InferenceResult
    training_reads: frozenset[str]
    inference_reads: frozenset[str]

    def at(self, inp: Inputs, level: int, block: dict[str, np.ndarray], points: int) -> tuple[TrainingResult, InferenceResult]:
        """The figures of ``inp``, the draws tiled for ``points`` grid points with ``block`` set point by point:
        these figures repeated, but computed afresh at the points that set an input they read (a break-even
        along the elasticity computes neither; a tornado only its points that pin a training or serving input)."""
        return (_refreshed(self.trained, self.training_reads, lambda sub: training.compute(sub, level), inp, block,
                           points),
                _refreshed(self.served, self.inference_reads, lambda sub: inference.compute(sub, level, grid=False),
                           inp, block, points))


def _per_query(inp: Inputs, level: int) -> _PerQuery:
    trained_log, served_log = _ReadLog(inp.values), _ReadLog(inp.values)
    trained = training.compute(Inputs(trained_log, inp.choices, inp.samples), level)
    served = inference.compute(Inputs(served_log, inp.choices, inp.samples), level, grid=False)
    return _PerQuery(trained, served, frozenset(trained_log.read), frozenset(served_log.read))


@dataclass(frozen=True, slots=True)
class HorizonTotals:
    """A scenario's energy (MWh) and CO2e (t) over the whole horizon, training included, per column."""

    horizon_energy_mwh: np.ndarray
    horizon_co2e_t: np.ndarray


@dataclass(frozen=True, slots=True)
class Figures:
    """One side's figures at every column of a chunk of grid points: what a measure of
    :meth:`Sweep.measured` reads, under the names :class:`app.engine.results.ScenarioResult` gives them."""

    training: TrainingResult
    inference: InferenceResult
    totals: HorizonTotals
    price: PricePath

    def tiled(self, points: int) -> Figures:
        """The figures repeated for ``points`` grid points (a fixed baseline beside a grid)."""
        training, inference = _tile(self.training, points), _tile(self.inference, points)
        price = PricePath(*(np.tile(a, points) for a in (self.price.usd_per_query, self.price.log_slope_per_month,
                                                         self.price.training_usd)))
        totals = HorizonTotals(np.tile(self.totals.horizon_energy_mwh, points), np.tile(self.totals.horizon_co2e_t, points))
        return Figures(training, inference, totals, price)


def _compute(inp: Inputs, level: int, reference: PricePath | None, known: _PerQuery,
             block: dict[str, np.ndarray] | None = None, points: int = 1) -> Figures:
    """Figures of ``inp``, the draws of ``known`` tiled for ``points`` grid points with ``block`` set point by
    point, the horizon's totals priced against ``reference`` (its own price path when None); training and
    per-query figures are ``known``'s wherever a point sets none of the inputs they read."""
    trained, served = known.at(inp, level, block or {}, points)
    price = pricing.price_path(inp, served, trained)
    energy, co2e = adoption.horizon_totals(inp, trained, served, price, reference if reference is not None else price)
    return Figures(trained, served, HorizonTotals(energy, co2e), price)


Settings = Mapping[str, Sequence[float] | np.ndarray]
"""Input path -> one value per grid point."""
Measure = Callable[[Figures, Figures], tuple[np.ndarray, ...]]
"""Figures of the scenario and of its baseline at a chunk's columns -> arrays of one value per column."""


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
        self.served = served_as(self.scenario, self.level)
        """The scenario with the deployment it is served with: the one drawn."""
        self.served_baseline = self.served if index == comparison.baseline_index else served_as(baseline, self.level)
        self.own = draw(self.served, self.count, seed)
        self.base = draw(self.served_baseline, self.count, seed)
        self._known: dict[str, _PerQuery] = {}
        self._fixed_baseline: Figures | None = None
        self.shared = shared_inputs(self.served, self.served_baseline)
        """Inputs set on both sides alike (:func:`shared_inputs`); any other is set on the scenario alone."""
        self.owner = short_names([self.scenario.name, baseline.name])[0]
        """The scenario's short name, in the label of an input that moves its side alone."""

    def label(self, path: str) -> str:
        """The input at ``path`` in words, as every figure that moves it names it: its field and part, then
        whose input it is when it moves the scenario's side alone ("Rental price (hardware) (DeepSeek-V3)")."""
        path = current_path(path)
        return input_label(path, None if path in self.shared else self.owner)

    def _per_query(self, side: str) -> _PerQuery:
        if side not in self._known:
            self._known[side] = _per_query(self.own if side == "own" else self.base, self.level)
        return self._known[side]

    def ratios(self, settings: Settings, progress: Callable[[int, int], None] | None = None) -> Ratios:
        """Paired ratios to the baseline with each input of ``settings`` set point by point.

        Every array of ``settings`` has one value per grid point; an input the scenario shares with its
        baseline is set on both (:func:`shared_inputs`). ``progress(done, total)`` is called after each
        chunk of points; a job run by the latest-wins scheduler stops between chunks when superseded or
        cancelled (raises :class:`app.cancellation.Cancelled`)."""
        grids = {current_path(path): values for path, values in settings.items()}
        for path in grids:
            input_info(self.scenario, path)
        is_baseline = self.index == self.comparison.baseline_index
        baseline_settings = grids if is_baseline else {p: g for p, g in grids.items() if p in self.shared}

        def paired(mine: Figures, reference: Figures) -> tuple[np.ndarray, ...]:
            return (ratio_samples(mine.totals.horizon_energy_mwh, reference.totals.horizon_energy_mwh),
                    ratio_samples(mine.totals.horizon_co2e_t, reference.totals.horizon_co2e_t))

        energy, co2e = self.measured(grids, baseline_settings, paired, progress)
        return Ratios(energy, co2e)

    def measured(
        self, own: Settings, base: Settings, measure: Measure, progress: Callable[[int, int], None] | None = None,
    ) -> tuple[np.ndarray, ...]:
        """``measure`` of the scenario and its baseline at each grid point, each of shape (points, samples).

        The inputs of ``own`` are set on the scenario, those of ``base`` on the baseline, point by point
        (a NaN leaves that input as drawn at that point); every array has one value per point. A side
        that trains on its serving chip sets that chip's training input with its serving one (:func:`one_chip`). The
        scenario's rebound is priced against the baseline's price path at the same point. The baseline
        set like its own scenario (``own is base`` for the baseline) is computed once.
        """
        level, count = self.level, self.count
        itself = self.index == self.comparison.baseline_index and base is own
        grids = one_chip({path: np.asarray(values, dtype=float) for path, values in own.items()}, self.served,
                         self.own.values)
        baseline_grids = grids if base is own else one_chip(
            {path: np.asarray(values, dtype=float) for path, values in base.items()}, self.served_baseline,
            self.base.values)
        points = len(next(iter(grids.values())) if grids else next(iter(baseline_grids.values())))
        fixed_baseline = None
        if not baseline_grids and not itself:
            if self._fixed_baseline is None:
                self._fixed_baseline = _compute(self.base, level, None, self._per_query("base"))
            fixed_baseline = self._fixed_baseline
        own_known, base_known = self._per_query("own"), self._per_query("base")

        chunk = max(1, CHUNK_COLUMNS // count)
        out: list[np.ndarray] = []
        for start in range(0, points, chunk):  # chunks of grid points, each one vectorised call
            checkpoint()  # a superseded or cancelled job stops here (app.cancellation)
            stop = min(points, start + chunk)
            block = {path: grid[start:stop] for path, grid in grids.items()}
            if itself:
                mine = reference = _compute(_tiled(self.own, stop - start, block), level, None, own_known, block,
                                            stop - start)
            else:
                if fixed_baseline is None:
                    baseline_block = {path: grid[start:stop] for path, grid in baseline_grids.items()}
                    reference = _compute(_tiled(self.base, stop - start, baseline_block), level, None, base_known,
                                         baseline_block, stop - start)
                else:
                    reference = fixed_baseline.tiled(stop - start)
                mine = _compute(_tiled(self.own, stop - start, block), level, reference.price, own_known, block,
                                stop - start)
            values = measure(mine, reference)
            if not out:
                out = [np.empty((points, count)) for _ in values]
            for kept, value in zip(out, values, strict=True):
                kept[start:stop] = np.broadcast_to(value, ((stop - start) * count,)).reshape(stop - start, count)
            if progress is not None:
                progress(stop, points)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class BreakEven:
    """The value of one input at which the median energy ratio to the baseline is 1."""

    path: str
    value: float | None
    """None when no value within the searched interval flips the verdict. For a count (``Bounds.whole``) the
    first whole number past the crossing, on the side away from the input's value: the median ratio is on
    the other side of 1 there (61 layers whose verdict flips at 260.7 layers: 261), and a file could hold it."""
    within_range: bool
    """Whether that value lies within the input's own uncertainty range."""
    label: str
    """The input in words, naming the scenario whose input it is when it moves that side alone
    (:meth:`Sweep.label`)."""
    searched: tuple[float, float]
    """The interval searched (:meth:`InputInfo.search_interval`): where a ``value`` of None means no flip."""
    shared: bool
    """Whether the input is set on the baseline too (:func:`shared_inputs`)."""


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
    a deterministic function of the input. An input the scenario shares with
    its baseline is set on both sides (:func:`shared_inputs`), as the tornado's
    bar of it is, so the bar crosses 1 exactly where this search finds a flip.
    ``sweep`` (of the same comparison, scenario, samples and seed) lets several
    searches share their draws. A count's flip is the first whole number past the
    crossing (:attr:`BreakEven.value`), searched between whole ends.
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
    outcome = partial(BreakEven, info.path, label=sweep.label(info.path), searched=(low, high),
                    shared=info.path in sweep.shared)
    if flips.size == 0:
        return outcome(None, False)
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
    if info.bounds.whole:  # the first whole number past the crossing, within the (whole) searched ends
        value = float(math.floor(value) if value < info.value else math.ceil(value))
    span = info.sampled_range
    within = span is not None and span[0] <= value <= span[1]
    return outcome(value, bool(within))
