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
from dataclasses import dataclass

import numpy as np

from app.engine.results import Band, summarize


def band(samples: np.ndarray) -> Band:
    """Median and 5-95 % band over the sample axis."""
    return summarize(np.asarray(samples, dtype=float))


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
    never = np.isnan(values)
    if values.size == 0:
        return Crossover(math.inf, math.inf, math.inf, 1.0)
    reduced = band(np.where(never, np.inf, values))
    return Crossover(reduced.median, reduced.p5, reduced.p95, float(never.mean()))


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
