"""Adoption-driven totals over a horizon of months, vectorised over (months, samples).

* Demand (queries/day) follows a logistic curve or a constant annual growth rate.
* Efficiency: energy, emissions, water and price per query fall by
  ``efficiency_gain_per_year`` (compounded monthly).
* Rebound (Jevons): demand x ``(price / reference price) ** elasticity``, with
  the reference the baseline scenario's price per query at launch, so a
  cheaper model (and a cheaper future) is used more. The counterfactual
  without rebound keeps the demand curve as given.
* Training is charged at launch; a retraining every N months costs the same
  compute at the improved efficiency, or (at fixed budget) the same energy.
"""

from __future__ import annotations

import numpy as np

from app.engine.results import InferenceResult, TotalsResult, TrainingResult
from app.engine.sampling import Inputs

DAYS_PER_MONTH = 365.25 / 12
PRICE_RATIO_LIMITS = (1e-3, 1e3)
"""The price ratio in the rebound term is clipped to this range, so a free
service (price 0) does not imply infinite demand."""


def months_of(inp: Inputs) -> int:
    """Months on the time axis: the longest horizon among the samples."""
    return max(1, int(np.ceil(np.max(inp["usage.horizon_years"]) * 12 - 1e-9)))


def demand(inp: Inputs, middle: np.ndarray) -> np.ndarray:
    """Queries per day at the middle of each month, shape (T, samples)."""
    if inp.choices.demand_curve == "logistic":
        peak = inp["usage.demand.peak_queries_per_day"]
        midpoint = inp["usage.demand.midpoint_month"]
        rate = inp["usage.demand.growth_rate_per_month"]
        return peak / (1.0 + np.exp(np.clip(-rate * (middle - midpoint), -700, 700)))
    initial = inp["usage.demand.initial_queries_per_day"]
    growth = np.maximum(inp["usage.demand.growth_per_year"], -0.999)
    return initial * (1.0 + growth) ** ((middle - 0.5) / 12.0)


def compute(
    inp: Inputs, training: TrainingResult, per_query: InferenceResult, reference_usd_per_query: np.ndarray
) -> TotalsResult:
    count = months_of(inp)
    months = np.arange(1, count + 1, dtype=float)
    end = months[:, None]
    middle = end - 0.5
    active = (end <= inp["usage.horizon_years"] * 12 + 1e-9).astype(float)

    gain = np.clip(inp.opt("usage.efficiency_gain_per_year", 0.0), 0.0, 0.999)
    efficiency = (1.0 - gain) ** (middle / 12.0)

    base = demand(inp, middle) * active
    price = per_query.usd_per_query * efficiency
    reference = np.asarray(reference_usd_per_query)
    ratio = np.where(
        (reference > 0) & (price > 0),
        np.clip(price / np.where(reference > 0, reference, 1.0), *PRICE_RATIO_LIMITS),
        1.0,
    )
    rebound = ratio ** inp.opt("usage.price_elasticity", 0.0)
    queries = base * rebound

    month_queries = queries * DAYS_PER_MONTH
    inference_mwh = np.cumsum(month_queries * per_query.wh_per_query * efficiency, axis=0) / 1e6
    no_rebound_mwh = np.cumsum(base * DAYS_PER_MONTH * per_query.wh_per_query * efficiency, axis=0) / 1e6

    # Training at launch plus retrainings
    if inp.choices.retrains:
        every = np.maximum(inp["usage.retrain_every_months"], 1e-3)
        events = (np.floor(end / every) - np.floor((end - 1.0) / every)) * active
        scale = 1.0 if inp.choices.retrain_at_fixed_budget else (1.0 - gain) ** (end / 12.0)
        retrain = events * scale
    else:
        retrain = np.zeros((count, inp.samples))
    repeats = 1.0 + np.cumsum(retrain, axis=0)  # training runs so far (efficiency-weighted)

    def cumulative(training_total: np.ndarray, per_query_figure: np.ndarray, divisor: float) -> np.ndarray:
        spent = np.cumsum(month_queries * per_query_figure * efficiency, axis=0) / divisor
        return repeats * training_total + spent

    training_mwh = repeats * training.total("energy_mwh")
    co2e = cumulative(training.total("co2e_t"), per_query.co2e_g_per_query, 1e6)
    water = cumulative(training.total("water_m3"), per_query.water_ml_per_query, 1e6)
    cost = cumulative(training.total("cost_usd"), per_query.usd_per_query, 1.0)

    total = training_mwh + inference_mwh
    monthly = np.diff(total, axis=0, prepend=0.0)
    years = int(np.ceil(count / 12))
    padded = np.zeros((years * 12, inp.samples))
    padded[:count] = monthly
    annual = padded.reshape(years, 12, inp.samples).sum(axis=1)

    over = inference_mwh > training_mwh
    first = np.argmax(over, axis=0)
    crossover = np.where(over.any(axis=0), months[first], np.nan)

    return TotalsResult(
        months=months,
        queries_per_day=queries,
        queries_per_day_no_rebound=base,
        training_energy_mwh=training_mwh,
        inference_energy_mwh=inference_mwh,
        inference_energy_no_rebound_mwh=no_rebound_mwh,
        co2e_t=co2e,
        water_m3=water,
        cost_usd=cost,
        annual_energy_mwh=annual,
        crossover_month=crossover,
    )
