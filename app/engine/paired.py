"""Paired ratios to the baseline and the probability of using more: the one rule every surface uses.

A paired ratio is taken sample by sample, then reduced: common random numbers
make sample k of two scenarios the same draw of every input they share, so a
shared input does not blur the ratio. The window's summary, the verdict and
its headline, ``evaluate --json``, the CSV exports, the verdict map and the
break-even search all read ratios made here.

Zero baseline: where the baseline's value is zero a sample's ratio is +inf
when the scenario's value is above zero (infinitely more), -inf below zero,
and 1 when both are zero (neither uses any: the same). No sample is dropped,
so every band is over the same samples, and "more" reads the same on the
ratio (above 1) as on the values themselves (the scenario's above the
baseline's). A ratio that cannot be computed at all (a NaN value) is +inf:
flagged as more, never hidden.
"""

from __future__ import annotations

import numpy as np


def ratio_samples(values: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """``values / baseline`` sample by sample, with the zero-baseline rule of this module."""
    values = np.asarray(values, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values / baseline
    if np.any(baseline == 0):
        ratio = np.where(baseline == 0, np.where(values == 0, 1.0, np.copysign(np.inf, values)), ratio)
    return np.where(np.isnan(ratio), np.inf, ratio)


def probability_more(ratios: np.ndarray) -> np.ndarray:
    """Share of samples (last axis) of :func:`ratio_samples` in which the scenario uses more than the
    baseline: its ratio is above 1. A float for one row of samples."""
    return np.mean(np.asarray(ratios, dtype=float) > 1.0, axis=-1)
