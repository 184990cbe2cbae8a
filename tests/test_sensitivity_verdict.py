"""What matters most ranks inputs by their effect on the verdict: a scenario's energy over the baseline's.

Each bar is a Monte Carlo median with one input pinned and the rest drawn, the question the headline's
flip answers; bars at central values had said the opposite of the headline (V3 at 1.21x Llama at the
elasticity's low end, while the headline said its answer flips only outside the elasticity's range).
"""

from __future__ import annotations

import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.engine.sensitivity import RATIO_METRIC, sensitivity
from app.engine.variants import VARIANT_SAMPLES
from app.paths import presets_dir
from app.report import metadata
from app.report.chart_data import DEFAULT_TORNADO_METRIC, TORNADO_METRICS, tornado
from app.report.headline import ELASTICITY, elasticity_flip
from app.report.reduction import reduce


@pytest.fixture(scope="module")
def deepseek():
    return load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]


@pytest.mark.parametrize("index", [1, 2])
def test_at_the_elasticity_s_ends_the_bar_agrees_with_the_headline_s_flip(deepseek, index):
    """The headline names where the median verdict flips along the elasticity and whether that is within
    its range; the tornado's elasticity bar is that median at the range's two ends. Both must tell one
    story: V3's flip lies outside the range, so its bar stays below 1 at the low end (it was 1.21x)."""
    flip = elasticity_flip(deepseek, index)
    data = tornado(deepseek, index, RATIO_METRIC)
    bar = next(b for b in data.bars if b.path == ELASTICITY)
    sides = {bar.metric_low < 1, data.central < 1, bar.metric_high < 1}
    if flip.value is None or not flip.within_range:
        assert len(sides) == 1  # no flip within the range: the verdict holds across it
    else:
        assert min(bar.metric_low, bar.metric_high) < 1 < max(bar.metric_low, bar.metric_high)
    if index == 1:  # the reviewer's case: the headline says V3 flips at -1.26, outside -1.11 to 0
        assert flip.value is not None and flip.value < bar.low and not flip.within_range
        assert bar.metric_low < 1


def test_the_centre_is_the_summary_s_median_at_the_same_samples_and_seed(deepseek):
    """Every metric's centre is the reduced median of an evaluation at VARIANT_SAMPLES samples and the
    window's seed, each scenario served as evaluated (the baseline's absolute figures too)."""
    figures = reduce(evaluate(deepseek, samples=VARIANT_SAMPLES, seed=metadata.SEED))
    for index, metric in [(1, m) for m in TORNADO_METRICS] + [(0, "cumulative_energy_mwh")]:
        group, table, key = TORNADO_METRICS[metric].figure
        want = getattr(getattr(figures.scenarios[index], group), table)[key].median
        data = tornado(deepseek, index, metric)
        assert data.samples == VARIANT_SAMPLES
        assert data.central == pytest.approx(want, rel=1e-9), metric


def test_shared_inputs_swing_both_sides_and_others_one_side_named_after_it(deepseek):
    bars = {bar.label: bar for bar in sensitivity(deepseek, 1, RATIO_METRIC)}
    assert "Price elasticity" in bars  # the market is shared: one bar, both sides move
    assert "Input price (list prices) (Llama 3.1 405B)" in bars  # the baseline's own: its side alone
    assert any(label.endswith("(DeepSeek-V3)") for label in bars)
    # The shared datacenter's PUE scales both sides' energy alike: the verdict does not move.
    pue = bars["PUE (datacenter)"]
    assert pue.metric_low == pytest.approx(pue.central, rel=1e-12) == pue.metric_high


def test_bars_are_ranked_by_their_swing_of_the_ratio_and_the_elasticity_leads_the_deepseek_question(deepseek):
    bars = sensitivity(deepseek, 1, RATIO_METRIC)
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True)
    assert bars[0].path == "market.price_elasticity"
    # At the most elastic end V3's cheaper queries bring more use: its ratio rises.
    assert bars[0].metric_low > bars[0].central > bars[0].metric_high


def test_the_window_asks_for_the_verdict_first_and_the_baseline_shows_the_first_verdict(deepseek):
    comparison = deepseek
    assert DEFAULT_TORNADO_METRIC == RATIO_METRIC
    data = tornado(comparison, comparison.baseline_index, RATIO_METRIC)
    assert data.scenario == comparison.scenarios[1].name and data.unit == "×"
    single = comparison.model_copy(update={"scenarios": comparison.scenarios[:1]})
    alone = tornado(single, 0, RATIO_METRIC)
    assert alone.metric == "cumulative_energy_mwh"
