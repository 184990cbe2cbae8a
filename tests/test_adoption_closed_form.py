"""Adoption's shortcuts agree with the model built month by month, as methodology states it.

``adoption.compute`` takes the rebound as a factor per sample on one running sum
when the price keeps its ratio to the baseline's, and ``adoption.horizon_totals``
(what sweeps and break-even searches read) sums the months without the monthly
curves. Both are checked against a plain month-by-month build on random inputs.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine import adoption, inference, pricing, training
from app.engine.inputs import Inputs
from app.engine.pricing import PricePath
from app.engine.sampling import draw
from app.paths import presets_dir

SAMPLES = 40


@cache
def _drawn() -> tuple:
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    parts = []
    for scenario in resolved.scenarios:
        inp = draw(scenario, SAMPLES, seed=3)
        parts.append((inp, training.compute(inp, 4), inference.compute(inp, 4, grid=False)))
    return tuple(parts)


def _month_by_month(inp: Inputs, served, price: PricePath, reference: PricePath) -> dict[str, np.ndarray]:
    """Cumulative inference energy (MWh) with and without rebound, every month, straight from the model."""
    count = adoption.months_of(inp)
    end = np.arange(1, count + 1, dtype=float)[:, None]
    middle = end - 0.5
    gain = np.clip(inp.opt("usage.efficiency_gain_per_year", 0.0), 0.0, 0.999)
    efficiency = (1.0 - gain) ** (middle / 12.0)
    base = adoption.demand(inp, middle) * inp["demand_share"] * (end <= inp["usage.horizon_years"] * 12 + 1e-9)
    base *= np.clip(end - inp["launch_months_after_start"], 0.0, 1.0)  # nothing served before the launch
    price_now = price.usd_per_query * np.exp(price.log_slope_per_month * middle)
    reference_now = reference.usd_per_query * np.exp(reference.log_slope_per_month * middle)
    ratio = np.clip(price_now / reference_now, *adoption.PRICE_RATIO_LIMITS)
    elasticity = inp.opt("market.price_elasticity", 0.0)
    share = inp.opt("market.rebound_on_tokens_share", 0.0)
    generated = (served.wh_per_query - served.prefill_wh) / served.wh_per_query
    longer = 1.0 + generated * (ratio ** (elasticity * share) - 1.0)
    wh = served.wh_per_query / 1e6
    monthly = base * efficiency * adoption.DAYS_PER_MONTH
    return {
        "inference_energy_no_rebound_mwh": np.cumsum(monthly, axis=0) * wh,
        "inference_energy_mwh": np.cumsum(monthly * ratio ** (elasticity * (1 - share)) * longer, axis=0) * wh,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=st.integers(1, 2),
    elasticity=st.floats(-3.0, 0.0),
    share=st.floats(0.0, 1.0),
    gains=st.tuples(st.floats(0.0, 0.6), st.floats(0.0, 0.6)),
    parallel=st.booleans(),
)
def test_shortcuts_match_the_month_by_month_model(scenario: int, elasticity: float, share: float,
                                                  gains: tuple[float, float], parallel: bool) -> None:
    parts = _drawn()
    base_inp, _, base_served = parts[0]
    inp, trained, served = parts[scenario]
    market = {"market.price_elasticity": np.full(SAMPLES, elasticity),
              "market.rebound_on_tokens_share": np.full(SAMPLES, share)}
    inp = Inputs({**inp.values, **market, "usage.efficiency_gain_per_year": np.full(SAMPLES, gains[0])},
                 inp.choices, SAMPLES)
    base_inp = Inputs({**base_inp.values, **market, "usage.efficiency_gain_per_year": np.full(SAMPLES, gains[1])},
                      base_inp.choices, SAMPLES)
    # List prices move in parallel; serving costs fall each at its own efficiency gain.
    price = pricing.price_path(inp, served, trained)
    reference = pricing.price_path(base_inp, base_served, parts[0][1])
    if not parallel:
        price = PricePath(served.usd_per_query, np.log1p(-np.full(SAMPLES, gains[0])) / 12.0, price.training_usd)
        reference = PricePath(base_served.usd_per_query, np.log1p(-np.full(SAMPLES, gains[1])) / 12.0,
                              reference.training_usd)

    totals = adoption.compute(inp, trained, served, price, reference)
    want = _month_by_month(inp, served, price, reference)
    for name, expected in want.items():
        np.testing.assert_allclose(getattr(totals, name), expected, rtol=1e-9, err_msg=name)
    counterfactual = totals.inference_energy_no_rebound_mwh[-1]
    np.testing.assert_allclose(
        counterfactual + totals.horizon_rebound_queries_mwh + totals.horizon_rebound_tokens_mwh,
        totals.inference_energy_mwh[-1], rtol=1e-9)

    energy, co2e = adoption.horizon_totals(inp, trained, served, price, reference)
    np.testing.assert_allclose(energy, totals.horizon_energy_mwh, rtol=1e-12)
    np.testing.assert_allclose(co2e, totals.horizon_co2e_t, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(months=st.integers(1, 30), samples=st.integers(1, 9), stacked=st.booleans(), seed=st.integers(0, 2**16))
def test_running_sums_are_the_plain_cumulative_sums_bit_for_bit(months: int, samples: int, stacked: bool,
                                                                seed: int) -> None:
    """The cumulative curves are numpy's own running sums exactly, at odd and even sample counts,
    through infinities and NaN (adoption adds two samples' months at once when it can)."""
    rng = np.random.default_rng(seed)
    flows = rng.lognormal(0.0, 8.0, size=((3,) if stacked else ()) + (months, samples))
    flows.flat[rng.integers(flows.size, size=2)] = [np.inf, np.nan]
    expected = np.cumsum(flows, axis=-2)
    np.testing.assert_array_equal(adoption._accumulate_months(flows.copy()), expected)
