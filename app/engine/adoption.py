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
service (price 0) does not imply infinite demand. Assumption: a numerical
guard, not a market figure; at the -5 elasticity limit it caps the rebound
factor at 10^15, and shipped presets stay within 0.01-100 of their baseline."""


def months_of(inp: Inputs) -> int:
    """Months on the time axis: the longest horizon among the samples."""
    return max(1, int(np.ceil(np.max(inp["usage.horizon_years"]) * 12 - 1e-9)))


def demand(inp: Inputs, middle: np.ndarray) -> np.ndarray:
    """Queries per day at the middle of each month, shape (T, samples)."""
    if inp.choices.demand_curve == "logistic":
        peak = inp["usage.demand.peak_queries_per_day"]
        midpoint = inp["usage.demand.midpoint_month"]
        rate = inp["usage.demand.growth_rate_per_month"]
        # Built in place: one (months x samples) array for the whole curve.
        curve = np.subtract(middle, midpoint)
        np.multiply(curve, -rate, out=curve)
        np.clip(curve, -700, 700, out=curve)
        np.exp(curve, out=curve)
        curve += 1.0
        return np.divide(peak, curve, out=curve)
    initial = inp["usage.demand.initial_queries_per_day"]
    growth = np.maximum(inp["usage.demand.growth_per_year"], -0.999)
    return initial * np.exp((middle - 0.5) / 12.0 * np.log1p(growth))


def compute(
    inp: Inputs, training: TrainingResult, per_query: InferenceResult, reference_usd_per_query: np.ndarray
) -> TotalsResult:
    """Totals over the horizon. Only what the charts read is built month by month
    (energies, queries, the crossover); CO2e, water and spend are needed at the
    horizon's end only, so they are computed there, in closed form."""
    count = months_of(inp)
    samples = inp.samples
    months = np.arange(1, count + 1, dtype=float)
    end = months[:, None]
    middle = end - 0.5
    horizon = inp["usage.horizon_years"] * 12

    # Worked in logarithms: one exp per (months x samples) array instead of powers.
    gain = np.clip(inp.opt("usage.efficiency_gain_per_year", 0.0), 0.0, 0.999)
    log_step = np.log1p(-gain) / 12.0  # log of the efficiency factor per month
    log_efficiency = middle * log_step
    efficiency = np.exp(log_efficiency)

    base = demand(inp, middle)
    if horizon.min() < count - 1e-9:  # samples with a shorter horizon stop serving
        base *= end <= horizon + 1e-9
    price = per_query.usd_per_query
    reference = np.asarray(reference_usd_per_query)
    valid = (reference > 0) & (price > 0)
    elasticity = inp.opt("usage.price_elasticity", 0.0)
    if np.any(elasticity != 0):
        log_ratio = np.where(valid, np.log(np.where(valid, price, 1.0)) - np.log(np.where(valid, reference, 1.0)), 0.0)
        rebound = np.add(log_ratio, log_efficiency if valid.all() else np.where(valid, log_efficiency, 0.0))
        np.clip(rebound, *np.log(PRICE_RATIO_LIMITS), out=rebound)
        np.multiply(rebound, elasticity, out=rebound)
        queries = np.multiply(base, np.exp(rebound, out=rebound), out=rebound)
    else:
        queries = base

    # Per-query figures are constant in time (the trend is in ``efficiency``), so
    # every cumulative total is a per-query figure times the cumulative
    # efficiency-weighted queries: two running sums serve all of them.
    flows = np.empty((2, count, samples))
    weight = efficiency * DAYS_PER_MONTH
    np.multiply(queries, weight, out=flows[0])
    np.multiply(base, weight, out=flows[1])
    served, served_no_rebound = np.cumsum(flows, axis=1, out=flows)
    queries_served = served[-1].copy()  # efficiency-weighted queries over the horizon
    wh_per_query = per_query.wh_per_query / 1e6
    inference_mwh = np.multiply(served, wh_per_query, out=served)
    no_rebound_mwh = np.multiply(served_no_rebound, wh_per_query, out=served_no_rebound)

    # Training at launch plus the retrainings so far, each at the efficiency of its
    # month (a geometric series in closed form) or at a fixed budget (a count).
    runs, final_runs = np.ones((count, 1)), np.ones(samples)
    if inp.choices.retrains:
        every = np.maximum(inp["usage.retrain_every_months"], 1e-3)
        # A retraining landing on the horizon's last month would serve no query within it: not counted.
        done = np.floor(np.minimum(end, horizon - 1e-9) / every)
        final_done = np.floor((horizon - 1e-9) / every)
        if inp.choices.retrain_at_fixed_budget:
            runs, final_runs = 1.0 + done, 1.0 + final_done
        else:
            log_between = every * log_step  # log of the efficiency factor between retrainings
            step = np.exp(log_between)
            fading = step < 1.0
            scale = step / np.where(fading, 1.0 - step, 1.0)

            def retrainings(count_done: np.ndarray) -> np.ndarray:
                return 1.0 + np.where(fading, scale * -np.expm1(count_done * log_between), count_done)

            runs, final_runs = retrainings(done), retrainings(final_done)

    training_mwh = runs * training.total("energy_mwh")
    year_ends = np.minimum(np.arange(12, 12 * int(np.ceil(count / 12)) + 1, 12), count) - 1
    total = training_mwh[year_ends] + inference_mwh[year_ends]  # the years' ends only are read
    annual = np.diff(total, axis=0, prepend=0.0)  # the first year includes the launch training

    over = inference_mwh > training_mwh
    first = np.argmax(over, axis=0)
    crossover = np.where(over[first, np.arange(samples)], months[first], np.nan)

    def final(per_run: np.ndarray, per_query_figure: np.ndarray) -> np.ndarray:
        return final_runs * per_run + queries_served * per_query_figure

    return TotalsResult(
        months=months,
        queries_per_day=queries,
        queries_per_day_no_rebound=base,
        training_energy_mwh=training_mwh,
        inference_energy_mwh=inference_mwh,
        inference_energy_no_rebound_mwh=no_rebound_mwh,
        horizon_co2e_t=final(training.total("co2e_t"), per_query.co2e_g_per_query / 1e6),
        horizon_embodied_co2e_t=final(training.total("embodied_co2e_t"), per_query.embodied_co2e_g_per_query / 1e6),
        horizon_water_m3=final(training.total("water_m3"), per_query.water_ml_per_query / 1e6),
        horizon_cost_usd=final(training.total("cost_usd"), per_query.usd_per_query),
        annual_energy_mwh=annual,
        crossover_month=crossover,
    )
