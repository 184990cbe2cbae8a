"""What matters most ranks inputs by their effect on the verdict: a scenario's energy over the baseline's."""

from __future__ import annotations

import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.engine.sensitivity import RATIO_METRIC, sensitivity
from app.paths import presets_dir
from app.report.chart_data import DEFAULT_TORNADO_METRIC, tornado


def question():
    return load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]


def test_the_centre_is_the_verdicts_ratio_at_central_values_with_each_scenario_served_as_evaluated():
    comparison = question()
    central = evaluate(comparison, samples=1).scenarios
    ratio = central[1].totals.horizon_energy_mwh[0] / central[0].totals.horizon_energy_mwh[0]
    bars = sensitivity(comparison, 1, RATIO_METRIC)
    assert bars[0].central == pytest.approx(ratio, rel=1e-9)
    # The absolute tornado is centred on the served deployment too (it was on the memory rule's replica).
    energy = sensitivity(comparison, 0, "cumulative_energy_mwh")
    assert energy[0].central == pytest.approx(central[0].totals.horizon_energy_mwh[0], rel=1e-9)


def test_shared_inputs_swing_both_sides_and_others_one_side_named_after_it():
    bars = {bar.label: bar for bar in sensitivity(question(), 1, RATIO_METRIC)}
    assert "Price elasticity" in bars  # the market is shared: one bar, both sides move
    assert "Input price (list prices) (Llama 3.1 405B)" in bars  # the baseline's own: its side alone
    assert any(label.endswith("(DeepSeek-V3)") for label in bars)
    # The shared datacenter's PUE scales both sides' energy alike: the verdict does not move.
    pue = bars["PUE (datacenter)"]
    assert pue.metric_low == pytest.approx(pue.central, rel=1e-12) == pue.metric_high


def test_bars_are_ranked_by_their_swing_of_the_ratio_and_the_elasticity_leads_the_deepseek_question():
    bars = sensitivity(question(), 1, RATIO_METRIC)
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True)
    assert bars[0].path == "market.price_elasticity"
    # At the most elastic end V3's cheaper queries bring more use: its ratio rises.
    assert bars[0].metric_low > bars[0].central > bars[0].metric_high


def test_the_window_asks_for_the_verdict_first_and_the_baseline_shows_the_first_verdict():
    comparison = question()
    assert DEFAULT_TORNADO_METRIC == RATIO_METRIC
    data = tornado(comparison, comparison.baseline_index, RATIO_METRIC)
    assert data.scenario == comparison.scenarios[1].name and data.unit == "×"
    single = comparison.model_copy(update={"scenarios": comparison.scenarios[:1]})
    alone = tornado(single, 0, RATIO_METRIC)
    assert alone.metric == "cumulative_energy_mwh"
