"""Immutable results of the lifecycle engine.

Every figure is a numpy array whose LAST axis is the Monte Carlo sample axis
(length ``samples``; 1 when no input carries a range). ``app.report.reduction``
reduces every reported figure once, to a median and a 5th-95th percentile band.
Energies are within the comparison's boundary (accelerator / server / fleet /
facility).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.cancellation import checkpoint

if TYPE_CHECKING:
    from app.engine.operating_point import DeploymentChoice

TRAINING_PHASES: tuple[str, ...] = ("pretraining", "sft", "rl", "overhead")
"""Rows of every per-phase training array, in this order."""


@dataclass(frozen=True, slots=True)
class Band:
    """Median and 5th/95th percentiles of one figure."""

    median: float
    p5: float
    p95: float


_QUANTILES = np.array([0.05, 0.5, 0.95])


def percentiles(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p5, median, p95) over the last axis, as ``np.percentile``'s linear method gives.

    One sort instead of numpy's general percentile machinery: the charts need
    about a hundred of these per result, and this keeps them off the critical path.
    Infinite samples (a crossover that never happens) stay infinite instead of
    turning into NaN through ``inf * 0`` or ``inf - inf``.
    """
    checkpoint()  # a hundred of these per result: fine-grained points to stop a superseded one
    values = np.sort(np.asarray(samples, dtype=float), axis=-1)
    count = values.shape[-1]
    position = _QUANTILES * (count - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, count - 1)
    weight = position - low
    below, above = values[..., low], values[..., high]
    with np.errstate(invalid="ignore"):
        picked = np.where((weight == 0) | (below == above), below, below + (above - below) * weight)
    return picked[..., 0], picked[..., 1], picked[..., 2]


def reasoning_point_tokens(reasoning: np.ndarray) -> float:
    """The reasoning length of the point the engine computes on a scenario's Wh-against-reasoning-length
    curve (``InferenceResult.wh_per_reasoning_query``): the median of its reasoning lengths over the samples.
    A model that does not reason writes none: its median, 0, is known without sorting the samples."""
    values = np.asarray(reasoning, dtype=float)
    if not values.any() and not np.signbit(values).any():  # every length +0
        return 0.0
    return float(percentiles(values)[1])


@dataclass(frozen=True, slots=True, weakref_slot=True)
class TrainingResult:
    """Training of one model. Per-phase arrays have shape (4 phases, samples)."""

    flops: np.ndarray
    accelerator_hours: np.ndarray
    energy_mwh: np.ndarray
    co2e_t: np.ndarray
    """Operational plus embodied (amortised over the hardware lifetime)."""
    embodied_co2e_t: np.ndarray
    """The embodied part of ``co2e_t`` (the operational part: ``app.report.reduction.co2e_parts``)."""
    water_m3: np.ndarray
    cost_usd: np.ndarray
    """Accelerator rental plus annotator cost (RL with human reward)."""
    wall_clock_days: np.ndarray
    """Pre-training wall clock on the cluster, shape (samples,)."""
    annotator_hours: np.ndarray
    """People-hours of human reward labelling, shape (samples,)."""

    def total(self, name: str) -> np.ndarray:
        """Sum over phases of a per-phase figure, shape (samples,)."""
        return getattr(self, name).sum(axis=0)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class InferenceResult:
    """One average query of the usage profile (its reasoning share mixed in).

    Per-query arrays have shape (samples,).
    """

    wh_per_query: np.ndarray
    prefill_wh: np.ndarray
    answer_wh: np.ndarray
    reasoning_wh: np.ndarray
    accelerators_per_replica: np.ndarray
    effective_batch: np.ndarray
    """Sequences decoded together on one replica: the cap (or the batch that meets the
    per-user speed target), then what the KV-cache memory holds; reasoning queries'
    batch weighted by their share."""
    holds_one_sequence: np.ndarray
    """Per sample (bool), whether the replica holds the weights and one chat sequence's KV cache in the
    usable share of its memory: :mod:`app.engine.memory_fit`'s rule, which refuses a deployment only at
    central values. A draw that does not fit is computed as the rest, at a batch of one."""
    time_to_first_token_s: np.ndarray
    tokens_per_second: np.ndarray
    """Decode speed seen by one user (per sequence)."""
    usd_per_query: np.ndarray
    usd_per_million_tokens: np.ndarray
    co2e_g_per_query: np.ndarray
    """Operational plus embodied (the hardware's manufacture, amortised over its lifetime)."""
    embodied_co2e_g_per_query: np.ndarray
    """The embodied part of ``co2e_g_per_query``."""
    water_ml_per_query: np.ndarray
    joules_per_output_token: np.ndarray
    reasoning_tokens: np.ndarray
    """Reasoning tokens of one reasoning-mode query (the usage's figure, else the model's; 0 for a
    model that does not reason), shape (samples,). The one place the report reads a reasoning length."""
    reasoning_grid_tokens: np.ndarray
    """Reasoning lengths (tokens) at which ``wh_vs_reasoning`` is evaluated, shape (K,)."""
    wh_vs_reasoning: np.ndarray
    """Wh of one reasoning-mode query at each grid length, shape (K, samples)."""
    wh_per_reasoning_query: np.ndarray
    """Wh of one reasoning-mode query of exactly the median of ``reasoning_tokens``
    (:func:`reasoning_point_tokens`) in every sample, computed as a row of the
    ``wh_vs_reasoning`` table (not interpolated in it): a point of that curve, shape (samples,);
    empty when the table was not asked for."""


@dataclass(frozen=True, slots=True, weakref_slot=True)
class TotalsResult:
    """Adoption-driven totals over the horizon. Time arrays: (T months, samples)."""

    months: np.ndarray
    """End of each month since launch, 1..T, shape (T,)."""
    queries_per_day: np.ndarray
    queries_per_day_no_rebound: np.ndarray
    training_energy_mwh: np.ndarray
    """Cumulative training energy (retraining included)."""
    inference_energy_mwh: np.ndarray
    """Cumulative inference energy with rebound."""
    inference_energy_no_rebound_mwh: np.ndarray
    """Cumulative inference energy of the counterfactual without rebound."""
    horizon_rebound_queries_mwh: np.ndarray
    """Inference energy over the horizon of the extra queries the rebound brings, (samples,)."""
    horizon_rebound_tokens_mwh: np.ndarray
    """Inference energy over the horizon of the longer answers the rebound brings, (samples,):
    cumulative inference = counterfactual + queries part + tokens part."""
    price_usd_per_query: np.ndarray
    """Price users pay per query at launch on the market's price basis, (samples,)."""
    relative_price_at_launch: np.ndarray
    """Price relative to the baseline's price path in the first month, (samples,)."""
    horizon_co2e_t: np.ndarray
    """CO2e over the whole horizon (training + inference, operational + embodied), (samples,)."""
    horizon_embodied_co2e_t: np.ndarray
    """The embodied part of ``horizon_co2e_t`` (hardware manufacture, amortised), (samples,)."""
    horizon_water_m3: np.ndarray
    horizon_cost_usd: np.ndarray
    """Water and spend over the whole horizon (training + inference), (samples,)."""
    horizon_training_cost_usd: np.ndarray
    """Spend on training over the horizon (own path and re-spent), (samples,)."""
    horizon_training_respent_mwh: np.ndarray
    """The part of the training energy over the horizon re-spent (reinvested saving and entrants,
    ``app.engine.training_path``) beyond the scenario's own training path, (samples,)."""
    annual_energy_mwh: np.ndarray
    """Energy (training + inference) in each year, shape (years, samples)."""
    annual_training_energy_mwh: np.ndarray
    """The training part (own path, re-spent, R&D) of ``annual_energy_mwh``, shape (years, samples)."""
    crossover_month: np.ndarray
    """Month when cumulative inference first exceeds cumulative training; NaN if never. (samples,)"""

    @property
    def horizon_energy_mwh(self) -> np.ndarray:
        """Energy (training + inference) over the whole horizon, (samples,): the last month of the
        cumulative curves, without adding up the other months."""
        return self.training_energy_mwh[-1] + self.inference_energy_mwh[-1]

    @property
    def rebound_change(self) -> np.ndarray:
        """What the rebound does to cumulative inference energy over the horizon, (samples,).

        A fraction of the no-rebound counterfactual: +0.6 means 60 % more energy
        than the same scenario would use if its price drew no extra use, -0.3 a
        dearer scenario used 30 % less. Never below -1, unlike a share of the
        energy with rebound, which runs to minus several hundred per cent for a
        dear scenario and reads as nonsense.
        """
        counterfactual = self.inference_energy_no_rebound_mwh[-1]
        safe = np.where(counterfactual > 0, counterfactual, 1.0)
        return np.where(counterfactual > 0, self.inference_energy_mwh[-1] / safe - 1.0, 0.0)


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str
    color: str | None
    training: TrainingResult
    inference: InferenceResult
    totals: TotalsResult
    deployment: DeploymentChoice | None = None
    """How the scenario is served and why (``app.engine.operating_point``)."""


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """The engine's answer for a whole comparison."""

    scenarios: tuple[ScenarioResult, ...]
    baseline_index: int
    boundary: str
    samples: int

    @property
    def baseline(self) -> ScenarioResult:
        return self.scenarios[self.baseline_index]
