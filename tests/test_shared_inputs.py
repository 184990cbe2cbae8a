"""One rule for the inputs a scenario shares with its baseline, in every figure that moves an input.

An input both sides have with the same value and range (the market, one datacenter, one usage profile,
one chip) describes the world both models run in: the break-even search, the verdict map and the tornado
all set it on both sides. Any other input is the side's own, and its label names that side. Until stop 21
the break-even and the map moved a shared input on the scenario alone: ``jevons evaluate`` said V3's
verdict flips at PUE 2.7 while the tornado's PUE bar had no width, and the map and the tornado moved the
ratio in opposite directions along the answer's length (a reviewer's finding).
"""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison
from app.domain.quantity import Quantity
from app.domain.scenario_names import short_names
from app.engine.results import percentiles
from app.engine.sensitivity import RATIO_METRIC, sensitivity
from app.engine.variants import Sweep, break_even, shared_inputs
from app.paths import presets_dir


def _load(name: str) -> ResolvedComparison:
    return load_comparison(presets_dir() / "comparisons" / f"{name}.json", PresetLibrary())[1]


@pytest.fixture(scope="module")
def question() -> ResolvedComparison:
    return _load("deepseek-question")


def _with_twin(comparison: ResolvedComparison, **usage: Quantity) -> ResolvedComparison:
    """The comparison's baseline and a copy of it named "twin", its usage profile changed by ``usage``."""
    base = comparison.scenarios[comparison.baseline_index]
    twin = base.model_copy(update={"name": "twin", "usage": base.usage.model_copy(update=usage)})
    return comparison.model_copy(update={"scenarios": [base, twin], "baseline_index": 0})


def test_shared_inputs_are_those_both_sides_have_with_the_same_value_and_range(question) -> None:
    llama, v3 = question.scenarios[0], question.scenarios[1]
    shared = shared_inputs(v3, llama)
    # The comparison's market, the datacenter and usage profile all three use: the world.
    assert {"market.price_elasticity", "datacenter.pue", "usage.answer_tokens", "usage.efficiency_gain_per_year"} <= shared
    # The chips' prices differ (H800 against H100); only V3 has routed experts.
    assert "hardware.price_usd_per_hour" not in shared and "model.moe.routed_experts" not in shared
    assert shared_inputs(v3, v3) >= {"hardware.price_usd_per_hour", "model.moe.routed_experts"}


@pytest.mark.parametrize("index", [1, 2])
def test_every_bar_of_the_verdict_is_the_sweep_of_its_input_at_its_ends(question, index) -> None:
    """The tornado and the break-even search (a sweep of one input) move an input alike: every bar of the
    scenario's inputs has, at its two ends, the median ratio the sweep finds there, under the same label. A
    shared input moves both sides in both (fails before for the answer's length: the sweep moved V3's alone
    and went 0.374 to 0.431 while the bar went 0.494 to 0.368); a chip trained and served on moves as one."""
    sweep = Sweep(question, index)
    names = short_names([question.scenarios[i].name for i in (index, question.baseline_index)])
    assert sweep.owner == names[0]
    baseline_owned = f"({names[1]})"
    checked = 0
    for bar in sensitivity(question, index, RATIO_METRIC):
        if bar.label.endswith(baseline_owned):
            continue  # the baseline's own input: no sweep of this scenario moves it
        assert sweep.label(bar.path) == bar.label
        medians = percentiles(sweep.ratios({bar.path: [bar.low, bar.high]}).energy)[1]
        assert medians == pytest.approx([bar.metric_low, bar.metric_high], rel=1e-9), bar.label
        checked += 1
    assert checked > 30


@pytest.mark.parametrize(("name", "index"), [("deepseek-question", 1), ("deepseek-question", 2),
                                             ("deepseek-deployments", 1)])
def test_a_break_even_falls_within_an_input_s_range_exactly_where_its_bar_crosses_1(name, index) -> None:
    """For every ranged input of the tornado that the scenario has alone or shares: the headline's and
    ``evaluate``'s break-even lies within the input's range exactly when its bar crosses 1 there. Fails
    before on the deployments question: the break-even moved the shared efficiency gain on one side and
    found a flip at 0.294, within its range, where the bar (both sides) stayed below 1."""
    comparison = _load(name)
    sweep = Sweep(comparison, index)
    bars = [bar for bar in sensitivity(comparison, index, RATIO_METRIC)
            if bar.from_range and sweep.label(bar.path) == bar.label
            and bar.path in ("market.price_elasticity", "usage.efficiency_gain_per_year", "usage.answer_tokens",
                             "datacenter.pue", "training_path.entrant_elasticity", "training_path.reinvested_share",
                             "model.reasoning.reasoning_tokens_per_query")]
    assert len(bars) >= 3
    for bar in bars:
        found = break_even(comparison, index, bar.path, sweep=sweep)
        crosses = min(bar.metric_low, bar.metric_high) < 1 < max(bar.metric_low, bar.metric_high)
        assert crosses == (found.value is not None and found.within_range), bar.label


def test_a_shared_pue_flips_nothing_as_its_bar_has_no_width(question) -> None:
    """The reviewer's case: both scenarios run in one datacenter, so its PUE scales both sides alike."""
    found = break_even(question, 1, "datacenter.pue")
    assert found.value is None and found.shared and found.label == "PUE (datacenter)"  # was 2.7
    pue = next(bar for bar in sensitivity(question, 1, RATIO_METRIC) if bar.path == "datacenter.pue")
    assert pue.metric_low == pytest.approx(pue.metric_high, rel=1e-12)


def test_a_scenario_identical_to_its_baseline_stays_at_1_whatever_shared_input_moves(question) -> None:
    """Every input of an exact copy is shared: moving any one moves both, so the ratio stays 1 (fails before:
    the answer's length and the chip's price moved the copy alone)."""
    comparison = _with_twin(question)
    for path, grid in [("usage.answer_tokens", [100.0, 3000.0]), ("hardware.price_usd_per_hour", [1.0, 8.0]),
                       ("datacenter.pue", [1.05, 2.0]), ("market.price_elasticity", [-2.0, 0.0])]:
        ratios = Sweep(comparison, 1, samples=50).ratios({path: grid}).energy
        np.testing.assert_array_equal(ratios, 1.0, err_msg=path)


def test_an_input_with_another_value_is_the_scenario_s_own_and_named_after_it(question) -> None:
    """The copy answers in 1,000 tokens where the baseline's answers are drawn around 500: the answer's length
    is the copy's own. The map moves it on the copy alone (longer answers, a higher ratio to the unmoved
    baseline, where the exact copy above stayed at 1) and its label says whose it is."""
    comparison = _with_twin(question, answer_tokens=Quantity(value=1000.0))
    sweep = Sweep(comparison, 1, samples=50)
    assert "usage.answer_tokens" not in sweep.shared
    assert sweep.label("usage.answer_tokens") == "Answer tokens (usage) (twin)"
    medians = percentiles(sweep.ratios({"usage.answer_tokens": [300.0, 1000.0, 3000.0]}).energy)[1]
    assert medians[0] < medians[1] < medians[2] and medians[2] > 1.5 * medians[0]
    assert break_even(comparison, 1, "usage.answer_tokens", samples=50).label == "Answer tokens (usage) (twin)"
