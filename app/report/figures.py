"""How samples become a reported figure: a median and a 5-95 % band, from one sort.

:mod:`app.report.reduction` reduces every reported figure with these. The
crossover month counts samples that never cross as infinitely late and
reports their share. Paired ratios follow ``app.engine.paired``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.results import Band, percentiles

Percentiles = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(p5, median, p95) over the sample axis, each of the array's leading shape."""


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
    """Median and 5-95 % band of each 1-D array of samples, from one sort."""
    return [Band(float(median), float(low), float(high)) for low, median, high in stacked_percentiles(arrays)]


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
