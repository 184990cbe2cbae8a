"""The rebound acts on a scenario's price relative to the baseline's price path, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.library import ResolvedComparison
from app.domain.market import ListPrice
from app.engine.evaluate import evaluate
from tests.engine_support import datacenter, hardware, market, model, scenario, usage

SPEC = {"total_parameters_billion": 70, "active_parameters_billion": 70, "layers": 80, "hidden_size": 8192,
        "attention_heads": 64, "kv_heads": 8, "pretraining_tokens_trillion": 15}
SMALL = dict(SPEC, case="small", total_parameters_billion=8, active_parameters_billion=8, layers=32,
             hidden_size=4096, attention_heads=32)


def _price(usd_per_million: float) -> ListPrice:
    return ListPrice(usd_per_million_input_tokens=usd_per_million, usd_per_million_output_tokens=usd_per_million)


def _pair(elasticity: float, prices: tuple[float, float], spec: dict = SPEC, on_tokens: float = 0.0,
          basis: str = "list", gain: float = 0.0) -> ResolvedComparison:
    """A baseline and a scenario on the same market; list prices per million tokens as given."""
    served = market(price_basis=basis, price_elasticity=elasticity, rebound_on_tokens_share=on_tokens)
    use = usage(400, 300, 32, horizon_years=2, efficiency_gain_per_year=gain)
    hw = hardware("h100", price_usd_per_hour=2)
    a = scenario(model(dict(SPEC, case="A")), hw, datacenter(1.2), use, demand=served, list_price=_price(prices[0]))
    b = scenario(model(dict(spec, case="B")), hw, datacenter(1.2), use, demand=served, list_price=_price(prices[1]))
    return ResolvedComparison(name="t", scenarios=[a, b], baseline_index=0, boundary="facility")


def _inference(comparison: ResolvedComparison) -> tuple[float, float]:
    a, b = evaluate(comparison, samples=1).scenarios
    return float(a.totals.inference_energy_mwh[-1, 0]), float(b.totals.inference_energy_mwh[-1, 0])


@pytest.mark.parametrize("elasticity", [-0.5, -1.0, -1.5])
def test_half_the_price_brings_2_to_the_minus_elasticity_times_the_queries(elasticity: float) -> None:
    """Same model, list price halved: queries (and energy) x 0.5^e = 1.41, 2 and 2.83."""
    a, b = _inference(_pair(elasticity, (2.0, 1.0)))
    assert b / a == pytest.approx(0.5**elasticity, rel=1e-9)
    totals = evaluate(_pair(elasticity, (2.0, 1.0)), samples=1).scenarios[1].totals
    assert totals.relative_price_at_launch[0] == pytest.approx(0.5)
    np.testing.assert_allclose(totals.queries_per_day / totals.queries_per_day_no_rebound, 0.5**elasticity)


@pytest.mark.parametrize(("prices", "expected"), [((2.0, 1.0), 1.0), ((1.0, 2.0), -0.5), ((1.0, 100.0), -0.99)])
def test_the_rebound_is_reported_against_the_counterfactual(prices: tuple[float, float], expected: float) -> None:
    """At elasticity -1 half the price doubles the energy (+100 %), twice the price halves it (-50 %);
    a very dear scenario approaches -100 %, never beyond (a reader cannot make sense of -400 %)."""
    totals = evaluate(_pair(-1.0, prices), samples=1).scenarios[1].totals
    assert totals.rebound_change[0] == pytest.approx(expected, rel=1e-9)


def test_no_rebound_at_elasticity_zero_nor_when_the_price_follows_the_baseline() -> None:
    a, b = _inference(_pair(0.0, (2.0, 1.0)))
    assert b == pytest.approx(a, rel=1e-12)
    a, b = _inference(_pair(-1.5, (2.0, 2.0)))
    assert b == pytest.approx(a, rel=1e-12)


def test_the_baseline_never_rebounds_even_as_its_efficiency_improves() -> None:
    """A demand curve fitted to observed growth already holds the trend: no rebound from it."""
    base = evaluate(_pair(-1.5, (2.0, 1.0), basis="cost", gain=0.5), samples=1).scenarios[0].totals
    np.testing.assert_array_equal(base.inference_energy_mwh, base.inference_energy_no_rebound_mwh)
    assert base.rebound_change[0] == 0


@pytest.mark.parametrize("elasticity", [-0.5, -1.0, -1.5])
def test_a_leaner_scenario_priced_in_proportion_backfires_only_beyond_minus_one(elasticity: float) -> None:
    """Energy and price per query both x k: energy x k^(1+e); more energy only where |e| > 1."""
    first = evaluate(_pair(0.0, (2.0, 2.0), spec=SMALL), samples=1).scenarios
    k = float(first[1].inference.wh_per_query[0] / first[0].inference.wh_per_query[0])
    assert k < 0.5
    a, b = _inference(_pair(elasticity, (2.0, 2.0 * k), spec=SMALL))
    assert b / a == pytest.approx(k ** (1 + elasticity), rel=1e-9)
    assert (b > a * (1 + 1e-9)) == (elasticity < -1)


def test_the_rebound_splits_into_more_queries_and_longer_answers() -> None:
    """Half the rebound on tokens per query: queries x 2^0.5 and generated tokens x 2^0.5 (e = -1)."""
    totals = evaluate(_pair(-1.0, (2.0, 1.0), on_tokens=0.5), samples=1).scenarios[1]
    t, i = totals.totals, totals.inference
    np.testing.assert_allclose(t.queries_per_day / t.queries_per_day_no_rebound, 2**0.5)
    generated = (i.wh_per_query[0] - i.prefill_wh[0]) / i.wh_per_query[0]
    counterfactual = t.inference_energy_no_rebound_mwh[-1, 0]
    queries_part = counterfactual * (2**0.5 - 1)
    tokens_part = counterfactual * 2**0.5 * generated * (2**0.5 - 1)
    assert t.horizon_rebound_queries_mwh[0] == pytest.approx(queries_part, rel=1e-9)
    assert t.horizon_rebound_tokens_mwh[0] == pytest.approx(tokens_part, rel=1e-9)
    assert t.inference_energy_mwh[-1, 0] == pytest.approx(counterfactual + queries_part + tokens_part, rel=1e-9)


def test_a_dearer_scenario_loses_queries() -> None:
    a, b = _inference(_pair(-0.5, (1.0, 4.0)))
    assert b / a == pytest.approx(4**-0.5, rel=1e-9)


def test_a_scenario_serving_a_share_of_the_market_serves_that_share() -> None:
    comparison = _pair(0.0, (1.0, 1.0))
    half = comparison.scenarios[1].model_copy(update={"demand_share": comparison.scenarios[1].demand_share.with_value(0.25)})
    a, b = _inference(comparison.model_copy(update={"scenarios": [comparison.scenarios[0], half]}))
    assert b / a == pytest.approx(0.25, rel=1e-9)
