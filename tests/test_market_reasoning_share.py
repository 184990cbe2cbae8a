"""The market's share of reasoning queries: one mix of questions for every scenario of a comparison."""

from __future__ import annotations

import json
import re

import pytest

from app.domain.library import PresetLibrary, ResolvedScenario
from app.domain.loading import load_comparison
from app.domain.quantity import Quantity
from app.paths import presets_dir
from app.session.coupling import reasoning_note
from tests.engine_support import evaluated


def r1() -> ResolvedScenario:
    comparison = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]
    return next(s for s in comparison.scenarios if s.model.reasoning is not None)


def with_shares(scenario: ResolvedScenario, market: float | None, usage: float) -> ResolvedScenario:
    share = None if market is None else Quantity(value=market)
    return scenario.model_copy(update={
        "market": scenario.market.model_copy(update={"reasoning_share": share}),
        "usage": scenario.usage.model_copy(update={"reasoning_share": Quantity(value=usage)}),
    })


def wh(scenario: ResolvedScenario) -> float:
    return float(evaluated(scenario, "facility", 1, 0).inference.wh_per_query[0])


def test_the_deepseek_question_asks_the_share_derived_from_day_6():
    scenario = r1()
    assert scenario.reasoning_share_path == "market.reasoning_share"
    share = scenario.reasoning_share
    # (G - a) / T with Day 6's 1,211 output tokens a request, 6,271-token traces and the chat answer every
    # scenario gives (its usage profile's, 500 tokens): a request then writes Day 6's mean output. The
    # derivation took a 717-token answer while the scenarios answer in 500 (7.9 %; fails before).
    answer = scenario.usage.answer_tokens.value
    assert share.value == pytest.approx((1211 - answer) / 6271, abs=5e-4)
    assert answer + share.value * 6271 == pytest.approx(1211, rel=2e-3)  # the share is given to 3 decimals
    assert (share.low, share.high) == (0.059, 0.145) and share.assumption


def test_the_market_share_replaces_the_usage_profiles():
    scenario = r1()
    assert wh(with_shares(scenario, market=0.25, usage=1.0)) == pytest.approx(
        wh(with_shares(scenario, market=None, usage=0.25)), rel=1e-12)


def test_a_reasoning_scenario_answers_the_market_share_with_reasoning_and_the_rest_without():
    scenario = r1()
    chat, thinking = wh(with_shares(scenario, 0.0, 0.0)), wh(with_shares(scenario, 1.0, 0.0))
    assert thinking > 3 * chat
    mixed = wh(with_shares(scenario, 0.1, 0.0))
    assert chat < mixed < thinking
    # The batch is chosen for the mix, so the mix is close to, not exactly, the weighted mean.
    assert mixed == pytest.approx(0.9 * chat + 0.1 * thinking, rel=0.05)


def test_a_model_without_reasoning_ignores_the_market_share():
    comparison = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]
    v3 = next(s for s in comparison.scenarios if s.model.name.startswith("DeepSeek-V3"))
    assert wh(with_shares(v3, 0.5, 0.0)) == wh(with_shares(v3, 0.0, 0.0))


def test_the_reasoning_note_says_the_market_sets_the_share():
    scenario = r1()
    note = reasoning_note(scenario.model, scenario.usage, scenario.market)
    assert "market sets the share of reasoning queries (11 %)" in note
    assert reasoning_note(scenario.model, scenario.usage, None).startswith("The usage profile asks no reasoning")


def test_list_prices_bill_a_reasoned_question_at_r1_s_prices_and_the_others_at_v3_s():
    """DeepSeek's service bills a question it reasons as deepseek-reasoner (R1: 2x V3's prices per token,
    the trace as output) and the others as deepseek-chat (V3). Until stop 19 every question of the R1
    scenario was billed at R1's prices, though only the market's 8 % were reasoned (a reviewer's finding)."""
    scenario = r1()
    price = {s: float(evaluated(with_shares(scenario, s, 0.0), "facility", 1, 0).totals.price_usd_per_query[0])
             for s in (0.0, 0.5, 1.0)}
    prices = scenario.list_price
    assert (prices.usd_per_million_output_tokens.value, prices.reasoning_price_multiple.value) == (1.1, 2.0)
    tokens = scenario.model.reasoning.reasoning_tokens_per_query.value
    assert price[1.0] == pytest.approx(2.0 * (price[0.0] + tokens * 1.1 / 1e6), rel=1e-9)
    assert price[0.5] == pytest.approx((price[0.0] + price[1.0]) / 2, rel=1e-9)


def test_the_question_s_description_gives_the_share_its_market_uses():
    """A review's finding: the description still said "about 8 %" after the market's share became 11.3 %."""
    data = json.loads((presets_dir() / "comparisons" / "deepseek-question.json").read_text())
    said = re.search(r"about (\d+) %, derived from DeepSeek's own token counts", data["description"])
    assert said is not None
    assert int(said.group(1)) == round(r1().reasoning_share.value * 100)
