"""The report layer: one computation of each reported figure, shared by the window, the
exports and ``evaluate --json`` -- and the defects it fixed, each pinned by a test."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from app.domain.files import validate_document
from app.domain.library import PresetLibrary, resolve_comparison
from app.engine.evaluate import evaluate
from app.engine.paired import probability_more, ratio_samples
from app.engine.results import percentiles
from app.engine.sampling import draw
from app.paths import presets_dir
from app.report import chart_data
from app.report.evaluation import comparison_document
from app.report.figures import bands, crossover_of, never_as_infinite
from app.report.reduction import reduce

LIBRARY = PresetLibrary()


def _resolved(name: str, overrides: dict[int, dict] | None = None):
    data = json.loads((presets_dir() / "comparisons" / f"{name}.json").read_text())
    for index, changes in (overrides or {}).items():
        data["scenarios"][index].setdefault("overrides", {}).update(changes)
    return resolve_comparison(validate_document(data, f"{name}.json"), LIBRARY)


@pytest.fixture(scope="module")
def deepseek():
    resolved = _resolved("deepseek-question")
    return resolved, evaluate(resolved, samples=50, seed=0)  # few samples: percentile methods differ visibly


def test_percentiles_stay_finite_next_to_an_infinite_sample() -> None:
    # The median falls exactly on 2.0; the next sample is infinite ("never crosses").
    p5, median, p95 = percentiles(np.array([1.0, 2.0, math.inf]))
    assert float(median) == 2.0 and math.isinf(p95) and not math.isnan(p5)


def _crossover(months: np.ndarray):
    return crossover_of(bands([never_as_infinite(months)])[0], months)


def test_crossover_counts_never_as_infinite_and_reports_its_share() -> None:
    mostly_never = _crossover(np.array([np.nan] * 6 + [3.0] * 4))
    assert not mostly_never.crosses and mostly_never.share_never == pytest.approx(0.6)
    some_never = _crossover(np.array([np.nan] * 2 + [3.0] * 8))
    assert some_never.median == 3 and math.isinf(some_never.p95) and some_never.share_never == pytest.approx(0.2)


def test_chart_summary_and_evaluate_report_the_same_crossover(deepseek) -> None:
    resolved, result = deepseek
    inputs = chart_data.ChartInputs(resolved, result)
    doc = comparison_document(resolved.name, result)
    for chart, row, scenario in zip(inputs.adoption.scenarios, inputs.summary, doc["scenarios"], strict=True):
        reported = scenario["totals"]["crossover_month"]
        assert (chart.crossover.median, chart.crossover.p5, chart.crossover.p95) == (reported["median"], reported["p5"], reported["p95"])
        assert chart.crossover == row.crossover
        assert reported["share_never"] == chart.crossover.share_never


def test_the_window_shows_paired_ratios_as_evaluate_does(deepseek) -> None:
    resolved, result = deepseek
    rows = chart_data.summary(chart_data.ChartInputs(resolved, result))
    doc = comparison_document(resolved.name, result)
    for row, scenario in zip(rows, doc["scenarios"], strict=True):
        ratio = scenario["ratio_to_baseline"]["wh_per_query"]
        assert (row.ratios["wh_per_query"].median, row.ratios["wh_per_query"].p5) == (ratio["median"], ratio["p5"])
    # Paired, not a ratio of medians: the two differ on this comparison.
    r1 = rows[2]
    assert r1.ratios["lifetime_wh"].median != pytest.approx(r1.lifetime_wh.median / rows[0].lifetime_wh.median, rel=1e-3)


def test_the_summary_csv_and_evaluate_give_the_same_verdict(deepseek) -> None:
    resolved, result = deepseek
    inputs = chart_data.ChartInputs(resolved, result)
    csv_rows = chart_data.summary_rows(chart_data.summary(inputs))
    doc = comparison_document(resolved.name, result)
    for scenario in doc["scenarios"]:
        (row,) = [r for r in csv_rows if r[1] == scenario["name"] and r[2].startswith("Probability of using more")]
        assert row[5] == pytest.approx(scenario["verdict"]["probability_more_energy"])
    assert any(line.startswith("Over ") and doc["scenarios"][1]["verdict"]["line"] in line for line in inputs.verdict)


def test_paired_ratio_of_a_shared_input_has_no_spread() -> None:
    shared = np.linspace(1.0, 3.0, 101)
    (band,) = bands([ratio_samples(2 * shared, shared)])
    assert band.median == band.p5 == band.p95 == pytest.approx(2.0)


def test_a_zero_baseline_sample_keeps_a_ratio_and_counts_as_more_only_when_the_scenario_uses_some() -> None:
    values, baseline = np.array([2.0, 0.0, 3.0, 1.0]), np.array([1.0, 0.0, 0.0, 2.0])
    ratios = ratio_samples(values, baseline)
    np.testing.assert_array_equal(ratios, [2.0, 1.0, np.inf, 0.5])
    # "More" on the ratio is "more" on the values themselves, zero baseline included.
    assert probability_more(ratios) == np.mean(values > baseline) == 0.5
    # A sample that could not be computed is flagged as more, in the band and the share alike.
    assert ratio_samples(np.array([np.nan]), np.array([1.0]))[0] == np.inf


def test_the_verdict_map_and_the_verdict_share_one_probability_rule() -> None:
    ratios = np.array([[0.5, 1.0, 2.0, np.inf], [1.0, 1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(probability_more(ratios), [0.5, 0.0])


def test_the_verdict_maps_cell_at_the_scenarios_own_inputs_is_the_verdict() -> None:
    """The map and the verdict compute the same figure by one path: at a cell where the two swept inputs
    (fixed in the file, so drawn alike) take the scenario's own values, the map's median ratio and its
    chance of more energy are the verdict's, at the same samples and seed. A map with its own ratio or
    probability rule would drift from the headline it sits beside."""
    from app.report.verdict_map import compute_map

    resolved = _resolved("deepseek-question")
    verdict = reduce(evaluate(resolved, samples=200, seed=3)).scenarios[1].against_baseline
    grid = compute_map(resolved, 1, ("model.moe.routed_experts", 256, 300, 2), ("model.layers", 61, 70, 2), 200, 3)
    assert grid.median[0][0] == pytest.approx(verdict.ratios["cumulative_energy"].median, rel=1e-12)
    assert grid.probability_more_energy[0][0] == verdict.probability_more_energy
    assert grid.median[1][1] != pytest.approx(grid.median[0][0], rel=1e-3)  # the sweep did move the inputs


def test_own_reasoning_marker_is_computed_at_its_length_not_read_off_the_grid() -> None:
    # 50k reasoning tokens lie beyond the 32k-token grid of the chart's curve; without a spread of
    # reasoning lengths, every reasoning query is 50k tokens long.
    resolved = _resolved("deepseek-question", {2: {"usage.reasoning_tokens_per_query": 50_000, "market.reasoning_share": 1,
                                                   "model.reasoning.reasoning_length_sigma": 0}})
    result = evaluate(resolved, samples=1)
    tokens, wh = chart_data.inference_cost(chart_data.ChartInputs(resolved, result)).own_reasoning[2]
    assert tokens == 50_000
    # Every query is a reasoning query here, so the marker is the scenario's energy per query.
    assert wh == pytest.approx(float(result.scenarios[2].inference.wh_per_query[0]), rel=0.02)
    assert wh > 1.3 * float(result.scenarios[2].inference.wh_vs_reasoning[-1, 0])


def _gpt_oss(overrides: dict) -> object:
    """The DeepSeek question with its reasoning scenario on gpt-oss-120b (reasoning lengths with a range and a
    spread), served on a fixed deployment so that the reasoning length does not change how it is served."""
    data = json.loads((presets_dir() / "comparisons" / "deepseek-question.json").read_text())
    scenario = data["scenarios"][2]
    scenario.update(model="gpt-oss-120b", hardware="h100-sxm", deployment="vllm-8-gpu-node")
    scenario.setdefault("overrides", {}).update({"market.reasoning_share": 1, **overrides})
    return resolve_comparison(validate_document(data, "gpt-oss.json"), LIBRARY)


def test_the_own_reasoning_marker_lies_on_its_curve() -> None:
    """The marker sat 1.8x above its own curve: its energy was the average query over the sampled reasoning
    lengths and their spread, its tokens the preset's central value (3,000), read again from the presets."""
    result = evaluate(_gpt_oss({}), samples=200, seed=0)
    inference = chart_data.ChartInputs(_gpt_oss({}), result).inference
    tokens, wh = inference.own_reasoning[2]
    curve = inference.vs_reasoning[2]
    assert wh == pytest.approx(float(np.interp(tokens, curve.x, curve.median)), rel=1e-9)
    # Its length is the median of the lengths the engine sampled, and its energy that of a query of exactly
    # that length: the same scenario with every reasoning query that long uses it per query.
    assert tokens == pytest.approx(float(np.median(result.scenarios[2].inference.reasoning_tokens)))
    fixed = evaluate(_gpt_oss({"model.reasoning.reasoning_tokens_per_query": tokens,
                               "model.reasoning.reasoning_length_sigma": 0}), samples=200, seed=0)
    assert wh == pytest.approx(float(np.median(fixed.scenarios[2].inference.wh_per_query)), rel=1e-9)


def test_training_on_the_serving_hardware_samples_that_chip_once() -> None:
    resolved = _resolved("deepseek-question")
    scenario = resolved.scenarios[0]
    assert scenario.training_hardware == scenario.hardware
    ranged = [p.removeprefix("hardware.") for p, v in draw(scenario, 50, 0).values.items() if p.startswith("hardware.") and np.ptp(v) > 0]
    assert ranged, "the test needs a hardware input with a range"
    inp = draw(scenario, 50, 0)
    for name in ranged:
        np.testing.assert_array_equal(inp[f"training_hardware.{name}"], inp[f"hardware.{name}"])


def test_co2e_is_reported_operational_and_embodied() -> None:
    """A published footprint is operational: GPT-3's 552 t is read beside the operational part."""
    resolved = _resolved("published-gpt-3")
    doc = comparison_document(resolved.name, evaluate(resolved, samples=200, seed=0))
    training = doc["scenarios"][0]["training"]
    assert training["co2e_operational_t"]["median"] == pytest.approx(552, rel=0.01)
    assert training["co2e_embodied_t"]["median"] > 0
    split = training["co2e_operational_t"]["median"] + training["co2e_embodied_t"]["median"]
    assert split == pytest.approx(training["co2e_t"]["median"], rel=0.02)
    for part, keys in (
        ("inference", ("co2e_operational_g_per_query", "co2e_embodied_g_per_query")),
        ("totals", ("cumulative_co2e_operational_t", "cumulative_co2e_embodied_t")),
    ):
        assert all(doc["scenarios"][0][part][key]["median"] > 0 for key in keys)


def test_docstrings_say_what_the_code_does() -> None:
    from app.domain.usage import UsagePreset
    from app.engine import training

    efficiency = UsagePreset.model_fields["efficiency_gain_per_year"].description
    assert "price" in efficiency and "CO2e" in efficiency  # adoption applies it to both, and to water
    assert "mean context" not in training.__doc__  # the RL update counts the whole sequence
