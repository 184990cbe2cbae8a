"""Every reported figure of a computed comparison, reduced once: :func:`reduce`.

Monte Carlo samples become a median and a 5-95 % band here, and the paired
ratios to the baseline, the probability of using more energy, the crossover
month, the CO2e split, the reasoning point and the everyday equivalents are
taken here too. The window's summary, headline and verdict, ``evaluate``
(its table and ``--json``), the CSV exports and the report are formatters
over :class:`ComparisonFigures`, so a number shown in two places is one number.

Figures are kept in the engine's units (MWh, tCO2e, Wh per query) under the
names ``evaluate --json`` gives them. Each scenario's own figures are reduced
once per engine result part, and its figures against the baseline once per
pair (``app.remembered``): after an edit only the edited scenario's are
reduced again, each part from one sort of all its arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.engine.decomposition import decomposition, means
from app.engine.paired import probability_more, ratio_samples
from app.engine.results import (
    TRAINING_PHASES,
    Band,
    ComparisonResult,
    InferenceResult,
    ScenarioResult,
    TotalsResult,
    TrainingResult,
    reasoning_point_tokens,
)
from app.remembered import remembered
from app.report.equivalents import Equivalent, equivalents
from app.report.figures import CO2e, Crossover, bands, crossover_of, never_as_infinite


def co2e_parts(total: np.ndarray, embodied: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CO2e as (total, operational, embodied): operational is what the electricity emits (what published
    footprints report), the rest is the hardware's manufacture amortised over its lifetime. The one
    place the split is taken."""
    total, embodied = np.asarray(total, dtype=float), np.asarray(embodied, dtype=float)
    return total, total - embodied, embodied


def _reduced(arrays: list[np.ndarray]) -> list[Band]:
    """The band of each array of samples (last axis), from one sort; an array constant over the samples
    (shape (1,)) is broadcast to the others' sample count, which leaves its band as it is."""
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    count = max(a.shape[-1] if a.ndim else 1 for a in arrays)
    return bands([np.broadcast_to(a, (*a.shape[:-1], count)) if a.ndim else np.full(count, float(a)) for a in arrays])


# ---------------------------------------------------------------- training


@dataclass(frozen=True, slots=True)
class TrainingFigures:
    figures: dict[str, Band]
    """Keyed as ``evaluate --json``'s ``training``: ``flops``, ``accelerator_hours``, ``wall_clock_days``,
    ``energy_mwh``, ``co2e_t``, ``co2e_operational_t``, ``co2e_embodied_t``, ``water_m3``, ``cost_usd``,
    ``annotator_hours``."""
    by_phase: dict[str, dict[str, Band]]
    """Of each of :data:`PHASED_FIGURES`, each phase's band keyed by :data:`~app.engine.results.TRAINING_PHASES`."""

    @property
    def energy_mwh_by_phase(self) -> dict[str, Band]:
        return self.by_phase["energy_mwh"]

    @property
    def co2e(self) -> CO2e:
        f = self.figures
        return CO2e(f["co2e_t"], f["co2e_operational_t"], f["co2e_embodied_t"])


PHASED_FIGURES = ("energy_mwh", "co2e_t", "water_m3", "cost_usd")
"""Training figures also reported per phase (the training chart's panels; ``energy_mwh_by_phase``)."""


def _training(t: TrainingResult) -> TrainingFigures:
    total, operational, embodied = co2e_parts(t.total("co2e_t"), t.total("embodied_co2e_t"))
    named = {
        "flops": t.total("flops"),
        "accelerator_hours": t.total("accelerator_hours"),
        "wall_clock_days": t.wall_clock_days,
        "energy_mwh": t.total("energy_mwh"),
        "co2e_t": total,
        "co2e_operational_t": operational,
        "co2e_embodied_t": embodied,
        "water_m3": t.total("water_m3"),
        "cost_usd": t.total("cost_usd"),
        "annotator_hours": t.annotator_hours,
    }
    phased = [row for name in PHASED_FIGURES for row in np.asarray(getattr(t, name), dtype=float)]
    got = _reduced([*named.values(), *phased])
    start, phases = len(named), len(TRAINING_PHASES)
    by_phase = {name: dict(zip(TRAINING_PHASES, got[start + k * phases: start + (k + 1) * phases], strict=True))
                for k, name in enumerate(PHASED_FIGURES)}
    return TrainingFigures(dict(zip(named, got, strict=False)), by_phase)


# ---------------------------------------------------------------- inference


@dataclass(frozen=True, slots=True)
class ReasoningPoint:
    """A reasoning-mode query of the scenario's own (median) reasoning length: a point of its
    Wh-against-reasoning-length curve, as the engine computes it (``InferenceResult.wh_per_reasoning_query``)."""

    tokens: float
    wh: Band


@dataclass(frozen=True, slots=True)
class InferenceFigures:
    figures: dict[str, Band]
    """Keyed as ``evaluate --json``'s ``inference`` (one average query of the usage profile)."""
    reasoning: ReasoningPoint | None
    """None when the scenario asks no reasoning queries (its model does not reason, or its usage
    asks none in the median case)."""
    unfit_share: float
    """Share of the samples whose replica does not hold the weights and one chat sequence's KV cache
    (``InferenceResult.holds_one_sequence``): draws the memory check, made at central values, let through."""

    @property
    def co2e(self) -> CO2e:
        f = self.figures
        return CO2e(f["co2e_g_per_query"], f["co2e_operational_g_per_query"], f["co2e_embodied_g_per_query"])


INFERENCE_FIGURES = (
    "wh_per_query", "prefill_wh", "answer_wh", "reasoning_wh", "accelerators_per_replica", "effective_batch",
    "time_to_first_token_s", "tokens_per_second", "usd_per_query", "usd_per_million_tokens",
)


def _inference(i: InferenceResult) -> InferenceFigures:
    total, operational, embodied = co2e_parts(i.co2e_g_per_query, i.embodied_co2e_g_per_query)
    named = {name: getattr(i, name) for name in INFERENCE_FIGURES}
    named |= {
        "co2e_g_per_query": total,
        "co2e_operational_g_per_query": operational,
        "co2e_embodied_g_per_query": embodied,
        "water_ml_per_query": i.water_ml_per_query,
        "joules_per_output_token": i.joules_per_output_token,
    }
    point = np.asarray(i.wh_per_reasoning_query, dtype=float)
    got = _reduced([*named.values(), *([point] if point.size else [])])
    figures = dict(zip(named, got, strict=False))
    reasoning = None
    if point.size and figures["reasoning_wh"].median > 0:
        reasoning = ReasoningPoint(reasoning_point_tokens(i.reasoning_tokens), got[-1])
    return InferenceFigures(figures, reasoning, 1.0 - float(np.mean(i.holds_one_sequence)))


# ---------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class TotalsFigures:
    figures: dict[str, Band]
    """Keyed as ``evaluate --json``'s ``totals`` (over the horizon)."""
    annual_energy_mwh: tuple[Band, ...]
    annual_training_energy_mwh: tuple[Band, ...]
    """The training part (own path, re-spent, R&D) of each year's energy."""
    annual_inference_energy_mwh: tuple[Band, ...]
    """The inference part of each year's energy."""
    crossover: Crossover
    """Month cumulative inference overtakes training (never counted as infinitely late)."""
    months: int
    """The horizon."""
    equivalents: tuple[Equivalent, ...]
    """The median energy and CO2e over the horizon as everyday figures."""

    @property
    def co2e(self) -> CO2e:
        f = self.figures
        return CO2e(f["cumulative_co2e_t"], f["cumulative_co2e_operational_t"], f["cumulative_co2e_embodied_t"])

    @property
    def years(self) -> float:
        return self.months / 12.0


def _totals(t: TotalsResult) -> TotalsFigures:
    total, operational, embodied = co2e_parts(t.horizon_co2e_t, t.horizon_embodied_co2e_t)
    named = {
        "cumulative_energy_mwh": t.horizon_energy_mwh,
        "cumulative_training_energy_mwh": t.training_energy_mwh[-1],
        "cumulative_inference_energy_mwh": t.inference_energy_mwh[-1],
        "cumulative_inference_energy_no_rebound_mwh": t.inference_energy_no_rebound_mwh[-1],
        "cumulative_training_respent_mwh": t.horizon_training_respent_mwh,
        "cumulative_training_cost_usd": t.horizon_training_cost_usd,
        "rebound_change": t.rebound_change,
        "rebound_queries_mwh": t.horizon_rebound_queries_mwh,
        "rebound_tokens_mwh": t.horizon_rebound_tokens_mwh,
        "price_usd_per_query": t.price_usd_per_query,
        "relative_price_to_baseline": t.relative_price_at_launch,
        "cumulative_co2e_t": total,
        "cumulative_co2e_operational_t": operational,
        "cumulative_co2e_embodied_t": embodied,
        "cumulative_water_m3": t.horizon_water_m3,
        "cumulative_cost_usd": t.horizon_cost_usd,
    }
    annual = np.asarray(t.annual_energy_mwh, dtype=float)
    annual_training = np.asarray(t.annual_training_energy_mwh, dtype=float)
    got = _reduced([*named.values(), never_as_infinite(t.crossover_month), *annual, *annual_training,
                    *(annual - annual_training)])
    figures = dict(zip(named, got, strict=False))
    crossing = crossover_of(got[len(named)], t.crossover_month)
    energy, co2e = figures["cumulative_energy_mwh"].median, figures["cumulative_co2e_t"].median
    horizon_months = int(np.asarray(t.months)[-1])
    everyday = tuple(equivalents(_finite_or_nan(energy), _finite_or_nan(co2e), horizon_months / 12))
    years, first = len(annual), len(named) + 1
    by_year, training_by_year, inference_by_year = (tuple(got[first + k * years:first + (k + 1) * years])
                                                    for k in range(3))
    return TotalsFigures(figures, by_year, training_by_year, inference_by_year, crossing, horizon_months, everyday)


def _finite_or_nan(value: float) -> float:
    return value if math.isfinite(value) else math.nan


# ---------------------------------------------------------------- against the baseline


PAIRED_FIGURES = ("training_energy", "wh_per_query", "cumulative_energy", "cumulative_co2e")
"""Figures reported as a paired ratio to the baseline (``evaluate --json``'s ``ratio_to_baseline``)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a difference to the baseline: its mean over the draws (means add up) and its 5-95 %."""

    mean: float
    p5: float
    p95: float


@dataclass(frozen=True, slots=True)
class PairedFigures:
    """A scenario against the baseline, sample by sample (``app.engine.paired``)."""

    ratios: dict[str, Band]
    """Keyed by :data:`PAIRED_FIGURES`; the baseline's own are 1."""
    probability_more_energy: float
    """Share of samples in which the scenario uses more energy over the horizon than the baseline."""
    decomposition: dict[str, Part]
    """Its energy over the horizon minus the baseline's, in parts (``app.engine.decomposition``), keyed by
    ``PARTS`` and ``TOTAL``: each part's mean (so the parts add up to the mean total) and its own 5-95 %;
    the baseline's are 0."""


def _paired_samples(s: ScenarioResult) -> list[np.ndarray]:
    return [s.training.total("energy_mwh"), s.inference.wh_per_query, s.totals.horizon_energy_mwh,
            s.totals.horizon_co2e_t]


def _paired(s: ScenarioResult, baseline: ScenarioResult) -> PairedFigures:
    ratios = [ratio_samples(mine, base) for mine, base in zip(_paired_samples(s), _paired_samples(baseline), strict=True)]
    more = float(probability_more(ratios[PAIRED_FIGURES.index("cumulative_energy")]))
    parts = decomposition(s, baseline)
    central = means(parts)
    split = {name: Part(central[name], band.p5, band.p95) for name, band in zip(parts, _reduced(list(parts.values())), strict=True)}
    return PairedFigures(dict(zip(PAIRED_FIGURES, _reduced(ratios), strict=True)), more, split)


# ---------------------------------------------------------------- a comparison


@dataclass(frozen=True, slots=True)
class ScenarioFigures:
    name: str
    training: TrainingFigures
    inference: InferenceFigures
    totals: TotalsFigures
    against_baseline: PairedFigures
    cost_to_list_price: Band
    """Modelled serving cost over the price users pay per query, sample by sample (read against list prices)."""


@dataclass(frozen=True, slots=True)
class ComparisonFigures:
    scenarios: tuple[ScenarioFigures, ...]
    baseline_index: int
    samples: int
    boundary: str

    @property
    def ranged(self) -> bool:
        """Whether inputs carried ranges (else every figure is a single value)."""
        return self.samples > 1

    @property
    def baseline(self) -> ScenarioFigures:
        return self.scenarios[self.baseline_index]


def _parts(s: ScenarioResult) -> tuple[TrainingResult, InferenceResult, TotalsResult]:
    return s.training, s.inference, s.totals


def training_figures(t: TrainingResult) -> TrainingFigures:
    """The training figures, reduced once while ``t`` lives."""
    return remembered((t,), "training figures", lambda: _training(t))


def inference_figures(i: InferenceResult) -> InferenceFigures:
    """The per-query figures, reduced once while ``i`` lives."""
    return remembered((i,), "inference figures", lambda: _inference(i))


def totals_figures(t: TotalsResult) -> TotalsFigures:
    """The figures over the horizon, reduced once while ``t`` lives."""
    return remembered((t,), "totals figures", lambda: _totals(t))


def scenario_figures(s: ScenarioResult, baseline: ScenarioResult) -> ScenarioFigures:
    """One scenario's figures, each part reduced once while its engine result lives."""
    return ScenarioFigures(
        name=s.name,
        training=training_figures(s.training),
        inference=inference_figures(s.inference),
        totals=totals_figures(s.totals),
        against_baseline=remembered(_parts(s) + _parts(baseline), "paired figures", lambda: _paired(s, baseline)),
        cost_to_list_price=remembered(
            (s.inference, s.totals), "cost to price",
            lambda: _reduced([ratio_samples(s.inference.usd_per_query, s.totals.price_usd_per_query)])[0]),
    )


def reduce(result: ComparisonResult) -> ComparisonFigures:
    """Every reported figure of ``result``."""
    return ComparisonFigures(
        tuple(scenario_figures(s, result.baseline) for s in result.scenarios),
        result.baseline_index, result.samples, result.boundary,
    )
