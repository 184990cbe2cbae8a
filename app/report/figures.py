"""The reported figures, computed one way for the window, the exports and ``evaluate --json``.

Every figure reduces Monte Carlo samples to a median and a 5-95 % band.
Ratios to the baseline are *paired*: the ratio is taken sample by sample
(common random numbers make the samples of two scenarios comparable) and then
reduced, so an input both scenarios share does not blur the ratio. The
crossover month counts samples that never cross as infinitely late and
reports their share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.results import Band, percentiles, summarize

Percentiles = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(p5, median, p95) over the sample axis, each of the array's leading shape."""


def band(samples: np.ndarray) -> Band:
    """Median and 5-95 % band over the sample axis."""
    return summarize(np.asarray(samples, dtype=float))


def stacked_percentiles(arrays: Sequence[np.ndarray]) -> list[Percentiles]:
    """:func:`~app.engine.results.percentiles` of each array (all with the same sample axis,
    last), from one sort of them all: the same values as one call per array, without its
    per-call cost paid a hundred times per result. Read-only: tables built from them are
    shared by every later result that keeps the same engine figures."""
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    low, median, high = percentiles(np.concatenate([a.reshape(-1, a.shape[-1]) for a in arrays]))
    for p in (low, median, high):
        p.setflags(write=False)
    out, start = [], 0
    for a in arrays:
        stop = start + math.prod(a.shape[:-1])
        out.append(tuple(p[start:stop].reshape(a.shape[:-1]) for p in (low, median, high)))
        start = stop
    return out  # type: ignore[return-value]


def bands(arrays: Sequence[np.ndarray]) -> list[Band]:
    """:func:`band` of each 1-D array of samples, from one sort."""
    return [Band(float(median), float(low), float(high)) for low, median, high in stacked_percentiles(arrays)]


def paired_ratio(values: np.ndarray, baseline: np.ndarray) -> Band:
    """Median and 5-95 % band of ``values / baseline`` taken sample by sample.

    Samples where the baseline is zero have no ratio and are left out; with
    none left the band is NaN.
    """
    values = np.asarray(values, dtype=float)
    baseline = np.broadcast_to(np.asarray(baseline, dtype=float), values.shape)
    defined = baseline != 0
    if not defined.any():
        return Band(math.nan, math.nan, math.nan)
    return band(values[defined] / baseline[defined])


def paired_ratios(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[Band]:
    """:func:`paired_ratio` of each (values, baseline) pair, from one sort when no baseline sample is zero."""
    pairs = [(np.asarray(v, dtype=float), np.broadcast_to(np.asarray(b, dtype=float), np.shape(v))) for v, b in pairs]
    if any(not np.all(b != 0) for _, b in pairs) or len({v.shape for v, _ in pairs}) > 1:
        return [paired_ratio(v, b) for v, b in pairs]
    return bands([v / b for v, b in pairs])


@dataclass(frozen=True, slots=True)
class Crossover:
    """Month cumulative inference energy overtakes training: median, band, and the
    share of samples that never cross within the horizon (counted as +inf)."""

    median: float
    p5: float
    p95: float
    share_never: float

    @property
    def crosses(self) -> bool:
        """Whether most samples cross within the horizon."""
        return math.isfinite(self.median)


def crossover(months: np.ndarray) -> Crossover:
    """The crossover figure of the engine's ``crossover_month`` (NaN: never)."""
    values = np.asarray(months, dtype=float)
    if values.size == 0:
        return Crossover(math.inf, math.inf, math.inf, 1.0)
    return crossover_of(band(never_as_infinite(values)), values)


def never_as_infinite(months: np.ndarray) -> np.ndarray:
    """The engine's ``crossover_month`` with "never" (NaN) as +inf: infinitely late."""
    values = np.asarray(months, dtype=float)
    return np.where(np.isnan(values), np.inf, values)


def crossover_of(reduced: Band, months: np.ndarray) -> Crossover:
    """The crossover figure from the band of :func:`never_as_infinite` ``(months)``."""
    return Crossover(reduced.median, reduced.p5, reduced.p95, float(np.isnan(np.asarray(months, dtype=float)).mean()))


@dataclass(frozen=True, slots=True)
class CO2e:
    """CO2e with its operational part (electricity: what published footprints report)
    and its embodied part (hardware manufacture, amortised over its lifetime)."""

    total: Band
    operational: Band
    embodied: Band


def co2e(total: np.ndarray, embodied: np.ndarray) -> CO2e:
    total = np.asarray(total, dtype=float)
    embodied = np.asarray(embodied, dtype=float)
    return CO2e(band(total), band(total - embodied), band(embodied))
