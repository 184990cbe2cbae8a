"""Adoption-driven totals over a horizon of months, vectorised over (months, samples).

* Demand (queries/day) is the comparison's market: a logistic curve, a
  constant annual growth rate, or users times queries per user; a scenario
  serves its ``demand_share`` of it. The curve is the demand met at the
  baseline's prices (a curve fitted to observed growth already contains the
  market's past price declines), so it is not multiplied again by a rebound
  from the efficiency trend.
* Launch: a scenario released ``launch_months_after_start`` months after the
  comparison's start serves nothing before then and the market's demand from
  then on (the share of its launch month after the launch, then whole
  months). The curve stays the market's, read on the comparison's calendar:
  a later launch misses the early months, it does not replay them later
  (one market, served from the day the model exists). The efficiency trend
  and the training runs keep the comparison's calendar too (training happens
  before launch), so from its launch on a scenario's monthly figures are
  those it would have had launching at the start.
* Efficiency: energy, emissions, water and cost per query fall by
  ``efficiency_gain_per_year`` (compounded monthly).
* Rebound (Jevons) acts on the deviation of the scenario's price from the
  baseline's price path only: with r = price / baseline price at the same
  month and elasticity e, queries scale by r^(e(1-s)) and generated tokens per
  query (answer and reasoning) by r^(e s), s being the share of the rebound
  taken as longer answers (``market.rebound_on_tokens_share``). No rebound
  when the price follows the baseline's path (the baseline never rebounds),
  none at elasticity 0. When energy per query scales with price, energy
  scales by r^(1+e): a cheaper scenario uses more only beyond e = -1.
  The counterfactual without rebound keeps the demand as given; the rebound
  is reported in its two parts (more queries, longer answers).
* Training is charged at launch; a retraining every N months costs the same
  compute (grown by the training path's compute growth) at the improved
  efficiency, or (at fixed budget) the same energy; training re-spent
  (reinvested saving, entrants) scales the scenario's own training path
  (``app.engine.training_path``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.cancellation import checkpoint
from app.engine import training_path
from app.engine.inputs import Inputs
from app.engine.pricing import PricePath
from app.engine.results import InferenceResult, TotalsResult, TrainingResult
from app.engine.shared import Shared, inputs_under

DAYS_PER_MONTH = 365.25 / 12
PRICE_RATIO_LIMITS = (1e-3, 1e3)
"""The price ratio in the rebound term is clipped to this range, so a free
service (price 0) does not imply infinite demand. Assumption: a numerical
guard, not a market figure; at the -5 elasticity limit it caps the rebound
factor at 10^15, and shipped presets stay within 0.01-100 of their baseline."""


def months_of(inp: Inputs) -> int:
    """Months on the time axis: the longest horizon among the samples."""
    return max(1, int(np.ceil(np.max(inp["usage.horizon_years"]) * 12 - 1e-9)))


def _logistic(peak: np.ndarray, midpoint: np.ndarray, rate: np.ndarray, middle: np.ndarray) -> np.ndarray:
    """``peak / (1 + exp(-rate (middle - midpoint)))``, built in place: one (months x samples) array."""
    curve = np.subtract(middle, midpoint)
    np.multiply(curve, -rate, out=curve)
    # The exponent is linear in the month: its extremes are in the first and last rows.
    if not (np.abs(curve[0]).max() <= 700 and np.abs(curve[-1]).max() <= 700):
        np.clip(curve, -700, 700, out=curve)
    np.exp(curve, out=curve)
    curve += 1.0
    return np.divide(peak, curve, out=curve)


def demand(inp: Inputs, middle: np.ndarray) -> np.ndarray:
    """The market's queries per day at the middle of each month, shape (T, samples).

    ``middle`` counts from the comparison's start; the curve is read ``market.start_month`` months later.
    """
    curve = inp.choices.demand_curve
    start = inp.opt("market.start_month", 0.0)
    if np.any(start != 0):
        middle = middle + start
    if curve == "logistic":
        return _logistic(
            inp["market.demand.peak_queries_per_day"],
            inp["market.demand.midpoint_month"],
            inp["market.demand.growth_rate_per_month"],
            middle,
        )
    if curve == "users":
        users = _logistic(
            inp["market.demand.peak_users"],
            inp["market.demand.midpoint_month"],
            inp["market.demand.growth_rate_per_month"],
            middle,
        )
        return users * inp["market.demand.queries_per_user_per_day"]
    initial = inp["market.demand.initial_queries_per_day"]
    growth = np.maximum(inp["market.demand.growth_per_year"], -0.999)
    return initial * np.exp((middle - 0.5) / 12.0 * np.log1p(growth))


@dataclass(frozen=True, slots=True)
class _Served:
    """Demand and the rebound's multipliers on a horizon of months (the part every caller needs)."""

    count: int
    months: np.ndarray
    """1..T, shape (T,)."""
    horizon: np.ndarray
    """Months each sample serves, (samples,)."""
    log_step: np.ndarray
    """Log of the efficiency factor per month, (samples,)."""
    base: np.ndarray
    """The scenario's queries per day without rebound, (T, samples)."""
    weight: np.ndarray
    """Days per month at each month's efficiency: queries per day to efficiency-weighted queries, (T, samples)."""
    log_ratio: np.ndarray
    """Log of the price relative to the baseline's, clipped: (T, samples), or (1, samples) when it is
    the same every month (a price path parallel to the baseline's, as list prices always are)."""
    more_queries: np.ndarray | None
    """Factor on the number of queries, ``exp(e (1-s) log_ratio)``; None without rebound."""
    longer_answers: np.ndarray | None
    """Factor on a query's energy from longer answers; None when the rebound takes no share as tokens."""


def _served(inp: Inputs, per_query: InferenceResult, price: PricePath, reference: PricePath, shared: Shared) -> _Served:
    count = months_of(inp)
    months = np.arange(1, count + 1, dtype=float)
    end = months[:, None]
    middle = end - 0.5
    horizon = training_path.horizon_months(inp)
    shape = f"{count} x {inp.samples}"

    log_step = training_path.log_efficiency_step(inp)

    def efficiency() -> np.ndarray:
        # Worked in logarithms: one exp per (months x samples) array instead of powers.
        weight = np.multiply(middle, log_step)
        np.exp(weight, out=weight)
        weight *= DAYS_PER_MONTH
        return weight

    weight = shared.get(f"efficiency weight {shape}", ((training_path.EFFICIENCY_GAIN, inp.values.get(training_path.EFFICIENCY_GAIN)),),
                        efficiency)
    market = inputs_under(inp.values, "market.")  # demand reads the market's inputs only
    curve = shared.get(f"{inp.choices.demand_curve} demand {shape}", market, lambda: demand(inp, middle))
    share = inp["demand_share"]
    # A scenario serving the whole market from the start (the usual case) serves the market's very curve
    # (read-only, shared with the scenarios of this evaluation that read the same market); a scaled one is
    # an array of its own.
    base = curve if (share == 1.0).all() else np.multiply(curve, share)
    if horizon.min() < count - 1e-9:  # samples with a shorter horizon stop serving
        base = base * (end <= horizon + 1e-9)
    launch = inp.opt("launch_months_after_start", 0.0)
    if np.any(launch > 0):  # released later: the share of each month [m-1, m] after the launch
        base = _after_launch(base, end, launch)
    # A price path parallel to the baseline's keeps its ratio every month: one row, not T.
    parallel = np.array_equal(price.log_slope_per_month, reference.log_slope_per_month)
    log_ratio = price.log_relative(reference, middle[:1, 0] if parallel else middle[:, 0])
    np.clip(log_ratio, *np.log(PRICE_RATIO_LIMITS), out=log_ratio)
    elasticity = inp.opt("market.price_elasticity", 0.0)
    on_tokens = np.clip(inp.opt("market.rebound_on_tokens_share", 0.0), 0.0, 1.0)
    more_queries = longer_answers = None
    if np.any((elasticity != 0) & np.any(log_ratio != 0, axis=0)):
        more_queries = np.exp(elasticity * (1.0 - on_tokens) * log_ratio)
        if np.any(elasticity * on_tokens != 0):
            # Longer answers scale the generated part of a query (answer and reasoning), not its prompt.
            wh = per_query.wh_per_query
            generated = np.where(wh > 0, (wh - per_query.prefill_wh) / np.where(wh > 0, wh, 1.0), 0.0)
            longer_answers = 1.0 + generated * np.expm1(elasticity * on_tokens * log_ratio)
    return _Served(count, months, horizon, log_step, base, weight, log_ratio, more_queries, longer_answers)


def _after_launch(base: np.ndarray, end: np.ndarray, launch: np.ndarray) -> np.ndarray:
    """``base`` times the share of each month (ending at ``end``, (T, 1)) after the ``launch`` of each sample:
    ``base * clip(end - launch, 0, 1)``, in a new array. Only the first months, up to the latest launch, hold
    a share below 1; the months after are ``base``'s own (times 1, the same bits), copied rather than
    multiplied by a (T, samples) array of ones."""
    latest = launch.max()
    partial = int(np.count_nonzero(end[:, 0] - latest < 1.0)) if np.isfinite(latest) else end.shape[0]
    launched = np.array(base, copy=True)
    launched[:partial] *= np.clip(end[:partial] - launch, 0.0, 1.0)
    return launched


def _accumulate_months(flows: np.ndarray) -> np.ndarray:
    """``np.cumsum(flows, axis=-2, out=flows)``: running sums down the month axis, in place, in half the time.

    numpy adds down the month axis one sample at a time, each addition waiting for the one
    before (about 3.5 ns a value, a fifth of the whole adoption step). Viewed as complex
    numbers, two neighbouring samples' sums advance together: complex addition adds the real
    and the imaginary parts separately, each exactly the float addition it replaces, so every
    figure is bit for bit the same."""
    if flows.shape[-1] % 2 == 0 and flows.flags.c_contiguous:
        pairs = flows.view(np.complex128)
        np.cumsum(pairs, axis=-2, out=pairs)
    else:
        np.cumsum(flows, axis=-2, out=flows)
    return flows


def _respent(inp: Inputs, price: PricePath, reference: PricePath) -> np.ndarray:
    """Training re-spent as a multiple of the scenario's own training path, (samples,)."""
    return training_path.respent(inp, price.training_usd, reference.training_usd)


def horizon_totals(
    inp: Inputs, training: TrainingResult, per_query: InferenceResult, price: PricePath, reference: PricePath
) -> tuple[np.ndarray, np.ndarray]:
    """(energy in MWh, CO2e in t) over the whole horizon, training included, (samples,) each.

    What a sweep of many input values reads, without the monthly curves of
    :func:`compute`: the months are summed, not accumulated, and of the
    rebound's parts only the total is built. Equal to ``compute``'s
    ``horizon_energy_mwh`` and ``horizon_co2e_t`` within float rounding."""
    served = _served(inp, per_query, price, reference, Shared())
    flow = np.multiply(served.base, served.weight)
    if served.more_queries is not None and served.more_queries.shape[0] > 1:  # the ratio moves month by month
        flow *= served.more_queries
        if served.longer_answers is not None:
            flow *= served.longer_answers
    queries_served = flow.sum(axis=0)  # efficiency-weighted queries over the horizon
    if served.more_queries is not None and served.more_queries.shape[0] == 1:
        queries_served *= served.more_queries[0]
        if served.longer_answers is not None:
            queries_served *= served.longer_answers[0]
    runs = training_path.horizon_runs(inp) * (1.0 + _respent(inp, price, reference))
    energy = runs * training.total("energy_mwh") + queries_served * (per_query.wh_per_query / 1e6)
    co2e = runs * training.total("co2e_t") + queries_served * (per_query.co2e_g_per_query / 1e6)
    return energy, co2e


def compute(
    inp: Inputs, training: TrainingResult, per_query: InferenceResult, price: PricePath, reference: PricePath,
    shared: Shared | None = None,
) -> TotalsResult:
    """Totals of a scenario priced ``price`` against the baseline's price path ``reference``.

    Only what the charts read is built month by month (energies, queries, the
    crossover); CO2e, water, spend and the rebound's parts are needed at the
    horizon's end only, so they are computed there, in closed form. When the
    price keeps its ratio to the baseline's every month (list prices always
    do), the rebound is a factor per sample on the cumulative counterfactual:
    one running sum instead of three. ``shared`` keeps the curves that depend on inputs alone (demand,
    efficiency, retraining schedule) for the other scenarios of the same evaluation (``app.engine.shared``)."""
    shared = Shared() if shared is None else shared
    served = _served(inp, per_query, price, reference, shared)
    count, months, samples = served.count, served.months, inp.samples
    end = months[:, None]
    base, more, longer = served.base, served.more_queries, served.longer_answers
    wh_per_query = per_query.wh_per_query / 1e6
    checkpoint()  # months x samples arrays: at 20,000 samples each phase here takes tens of ms

    # Running sums of efficiency-weighted queries: without rebound, with more
    # queries, and with longer answers too (rows that would repeat are not built).
    if more is None or more.shape[0] == 1:
        # Without rebound the running sum reads the demand served and the efficiency trend alone: the
        # scenarios of one market and usage profile share it (read-only).
        no_rebound = shared.get(f"running sum of weighted queries {count} x {samples}",
                                (("served demand", base), ("efficiency weight", served.weight)),
                                lambda: _accumulate_months(np.multiply(base, served.weight)))
    if more is None:
        queries = base
        queries_served = no_rebound[-1].copy()
        inference_mwh = no_rebound_mwh = np.multiply(no_rebound, wh_per_query)
        rebound_queries_mwh = rebound_tokens_mwh = np.zeros(samples)
    elif more.shape[0] == 1:  # a factor per sample, the same every month
        queries = base * more
        tokens = 1.0 if longer is None else longer[0]
        counterfactual = no_rebound[-1] * wh_per_query
        queries_served = no_rebound[-1] * more[0] * tokens
        no_rebound_mwh = np.multiply(no_rebound, wh_per_query)
        inference_mwh = no_rebound_mwh * (more[0] * tokens)
        rebound_queries_mwh = counterfactual * (more[0] - 1.0)
        rebound_tokens_mwh = counterfactual * more[0] * (tokens - 1.0)
    else:
        queries = base * more
        flows = np.empty((2 if longer is None else 3, count, samples))
        np.multiply(base, served.weight, out=flows[0])
        np.multiply(queries, served.weight, out=flows[1])
        if longer is not None:
            np.multiply(flows[1], longer, out=flows[2])
        checkpoint()
        _accumulate_months(flows)
        served_no_rebound, served_more_queries, served_all = flows[0], flows[1], flows[-1]
        queries_served = served_all[-1].copy()
        rebound_queries_mwh = (served_more_queries[-1] - served_no_rebound[-1]) * wh_per_query
        rebound_tokens_mwh = (served_all[-1] - served_more_queries[-1]) * wh_per_query
        inference_mwh = served_all * wh_per_query
        no_rebound_mwh = served_no_rebound * wh_per_query

    # Training at launch plus the retrainings so far. The last month's count is the
    # horizon's: it ends within the last month, so both are capped by it alike.
    # Re-spent training (reinvested saving, entrants) follows the scenario's own path month by month.
    runs, final_runs = np.ones((count, 1)), np.ones(samples)
    if inp.choices.retrains:
        runs = shared.get(
            f"runs {count} x {samples} {'at a fixed budget' if inp.choices.retrain_at_fixed_budget else 'grown'}",
            training_path.schedule_inputs(inp),
            lambda: training_path.retrainings(inp, served.log_step, training_path.done_by(inp, served.horizon, end)),
        )
        final_runs = runs[-1]
    respent = _respent(inp, price, reference)
    own_final_runs = final_runs
    per_run_mwh = training.total("energy_mwh")
    if np.any(respent != 0):  # scaled per run (samples,), not per month (months x samples)
        per_run_mwh = per_run_mwh * (1.0 + respent)
        final_runs = final_runs * (1.0 + respent)

    checkpoint()
    training_mwh = runs * per_run_mwh
    year_ends = np.minimum(np.arange(12, 12 * int(np.ceil(count / 12)) + 1, 12), count) - 1
    training_by_year = training_mwh[year_ends]
    total = training_by_year + inference_mwh[year_ends]  # the years' ends only are read
    annual = total.copy()  # each year's energy; the first year's includes the launch training
    annual[1:] -= total[:-1]
    annual_training = training_by_year
    annual_training[1:] -= training_by_year[:-1].copy()

    over = inference_mwh > training_mwh
    first = np.ascontiguousarray(over.T).argmax(axis=1)  # the first month over, per sample: one pass per sample's months
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
        horizon_rebound_queries_mwh=rebound_queries_mwh,
        horizon_rebound_tokens_mwh=rebound_tokens_mwh,
        price_usd_per_query=price.usd_per_query,
        relative_price_at_launch=np.exp(served.log_ratio[0]),
        horizon_co2e_t=final(training.total("co2e_t"), per_query.co2e_g_per_query / 1e6),
        horizon_embodied_co2e_t=final(training.total("embodied_co2e_t"), per_query.embodied_co2e_g_per_query / 1e6),
        horizon_water_m3=final(training.total("water_m3"), per_query.water_ml_per_query / 1e6),
        horizon_cost_usd=final(training.total("cost_usd"), per_query.usd_per_query),
        horizon_training_cost_usd=final_runs * training.total("cost_usd"),
        horizon_training_respent_mwh=(final_runs - own_final_runs) * training.total("energy_mwh"),
        annual_energy_mwh=annual,
        annual_training_energy_mwh=annual_training,
        crossover_month=crossover,
    )
