"""The engine's public API: shapes of the contract, sampling, determinism, sensitivity, purity."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.engine.sampling import triangular
from app.engine.sensitivity import METRICS, sensitivity
from app.engine.variants import VARIANT_SAMPLES
from app.paths import presets_dir
from app.report.reduction import reduce
from tests.engine_support import datacenter, hardware, market, model, scenario, usage

ENGINE = Path(__file__).resolve().parents[1] / "app" / "engine"


def _comparison(demand: dict | None = None, **usage_changes) -> ResolvedComparison:
    spec = {"total_parameters_billion": 70, "active_parameters_billion": 70, "layers": 80, "hidden_size": 8192,
            "attention_heads": 64, "kv_heads": 8, "pretraining_tokens_trillion": 15}
    use = usage(500, {"value": 400, "low": 200, "high": 1200}, 32, fleet_utilisation=0.6, horizon_years=2,
                efficiency_gain_per_year=0.2, retrain_every_months=6, **usage_changes)
    served = market(price_elasticity=-0.8, **({"demand": demand} if demand else {}))
    hw = hardware("h100", price_usd_per_hour={"value": 2, "low": 1.5, "high": 4}, idle_power_w=70, host_power_w=500)
    base = scenario(model(dict(spec, case="dense 70B")), hw, datacenter(1.2, 0.4), use, demand=served)
    cheap = scenario(model(dict(spec, case="small 8B", total_parameters_billion=8, active_parameters_billion=8,
                                layers=32, hidden_size=4096, attention_heads=32)), hw, datacenter(1.2, 0.4), use,
                     demand=served)
    return ResolvedComparison(name="test", scenarios=[base, cheap], baseline_index=0, boundary="facility")


def test_result_shapes_follow_the_contract():
    result = evaluate(_comparison(), samples=200)
    assert result.samples == 200
    for s in result.scenarios:
        assert s.training.energy_mwh.shape == (4, 200)
        assert s.training.wall_clock_days.shape == (200,)
        assert s.inference.wh_per_query.shape == (200,)
        assert s.inference.wh_vs_reasoning.shape == (s.inference.reasoning_grid_tokens.size, 200)
        assert s.totals.months.tolist() == list(range(1, 25))
        assert s.totals.inference_energy_mwh.shape == (24, 200)
        assert s.totals.annual_energy_mwh.shape == (2, 200)
        assert s.totals.crossover_month.shape == (200,)
        np.testing.assert_allclose(s.inference.prefill_wh + s.inference.answer_wh + s.inference.reasoning_wh,
                                   s.inference.wh_per_query)
        np.testing.assert_allclose(s.totals.annual_energy_mwh.sum(axis=0), s.totals.horizon_energy_mwh)


def test_no_range_or_one_sample_gives_central_values_once():
    one = evaluate(_comparison(), samples=1)
    assert one.samples == 1
    assert one.scenarios[0].inference.wh_per_query.shape == (1,)


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = (evaluate(_comparison(), samples=300, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(a.scenarios[0].inference.wh_per_query, b.scenarios[0].inference.wh_per_query)
    assert not np.array_equal(a.scenarios[0].inference.wh_per_query, c.scenarios[0].inference.wh_per_query)


def test_ranges_give_a_band_around_the_central_value():
    result = evaluate(_comparison(), samples=2000)
    band = reduce(result).scenarios[0].inference.figures["wh_per_query"]  # the band every view reports
    central = evaluate(_comparison(), samples=1).scenarios[0].inference.wh_per_query[0]
    assert band.p5 < central < band.p95


def test_shared_inputs_are_drawn_alike_across_scenarios():
    """Common random numbers: the same price range gives the same draws in both scenarios."""
    result = evaluate(_comparison(), samples=500)
    a, b = (s.inference.usd_per_query / s.inference.accelerators_per_replica for s in result.scenarios)
    assert np.corrcoef(a, b)[0, 1] > 0.5


def test_triangular_draws_respect_bounds_and_mode():
    u = np.linspace(0, 1, 100001)
    x = triangular(u, 1.0, 2.0, 5.0)
    assert x.min() == pytest.approx(1.0) and x.max() == pytest.approx(5.0)
    assert np.mean(x) == pytest.approx((1 + 2 + 5) / 3, rel=1e-3)


def test_cheaper_model_is_used_more_than_its_counterfactual():
    """Rebound: demand rises as price per query falls below the baseline's; the baseline never rebounds."""
    result = evaluate(_comparison(), samples=1)
    cheap = result.scenarios[1].totals
    assert np.all(cheap.queries_per_day > cheap.queries_per_day_no_rebound)
    assert cheap.rebound_change[0] > 0
    base = result.scenarios[0].totals
    np.testing.assert_array_equal(base.queries_per_day, base.queries_per_day_no_rebound)


def test_retraining_raises_cumulative_training_energy_at_each_retrain():
    totals = evaluate(_comparison(), samples=1).scenarios[0].totals
    training = totals.training_energy_mwh[:, 0]
    steps = np.flatnonzero(np.diff(training) > 0) + 2  # months at which a retraining lands
    assert steps.tolist() == [6, 12, 18]  # none on the 24-month horizon's last month: it would serve nothing
    assert training[-1] / training[0] < 4  # three retrainings, each cheaper than the first


def test_fixed_budget_retraining_costs_the_same_energy_each_time():
    totals = evaluate(_comparison(retrain_at_fixed_budget=True), samples=1).scenarios[0].totals
    # launch + retrainings at months 6, 12 and 18 (one at 24 would serve nothing within the horizon)
    assert totals.training_energy_mwh[-1, 0] == pytest.approx(4 * totals.training_energy_mwh[0, 0])


def test_crossover_is_when_inference_first_exceeds_training():
    demand = {"curve": "exponential", "initial_queries_per_day": 3e7, "growth_per_year": 1.0}
    totals = evaluate(_comparison(demand=demand), samples=1).scenarios[1].totals
    month = totals.crossover_month[0]
    assert 1 < month < 24
    index = int(month) - 1
    assert totals.inference_energy_mwh[index, 0] > totals.training_energy_mwh[index, 0]
    assert np.all(totals.inference_energy_mwh[:index, 0] <= totals.training_energy_mwh[:index, 0])


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_sensitivity_ranks_ranged_inputs_by_swing(metric):
    bars = sensitivity(_comparison(), 0, metric)
    assert [b.path for b in bars] and all(b.from_range for b in bars)
    # Trained on its serving hardware: one chip, one price bar for both uses.
    assert {b.path for b in bars} == {"usage.answer_tokens", "hardware.price_usd_per_hour"}
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)


def test_sensitivity_of_energy_per_query_puts_answer_length_first_and_is_exact():
    comparison = _comparison()
    bars = sensitivity(comparison, 0, "wh_per_query")
    top = bars[0]
    assert top.path == "usage.answer_tokens" and (top.low, top.high) == (200, 1200)
    assert top.unit == "tokens"
    assert top.metric_low < top.central < top.metric_high
    price = next(b for b in bars if b.path == "hardware.price_usd_per_hour")
    assert price.swing == 0  # price does not change energy per query


def test_sensitivity_without_ranges_swings_every_input_by_20_percent():
    comparison = _comparison()
    plain = comparison.scenarios[0].model_copy(update={
        "usage": comparison.scenarios[0].usage.model_copy(update={"answer_tokens": comparison.scenarios[0].usage.answer_tokens.with_value(400).model_copy(update={"low": None, "high": None})}),
        "hardware": hardware("h100", idle_power_w=70, host_power_w=500, price_usd_per_hour=2),
        "training_hardware": hardware("h100", idle_power_w=70, host_power_w=500, price_usd_per_hour=2),
    })
    alone = comparison.model_copy(update={"scenarios": [plain], "baseline_index": 0})
    bars = sensitivity(alone, 0, "wh_per_query")
    assert bars and not any(b.from_range for b in bars)
    utilisation = next(b for b in bars if b.path == "usage.fleet_utilisation")
    assert utilisation.high == 0.72 and utilisation.low == pytest.approx(0.48)
    assert sensitivity(alone, 0, "wh_per_query")[0].swing > 0


def test_unknown_metric_or_boundary_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown metric"):
        sensitivity(_comparison(), 0, "joy")
    with pytest.raises(ValueError, match="unknown boundary"):
        evaluate(_comparison().model_copy(update={"boundary": "planet"}))


@pytest.mark.parametrize("path", sorted(p.name for p in (presets_dir() / "comparisons").glob("*.json")))
def test_every_shipped_comparison_evaluates_to_finite_figures(path):
    _, resolved = load_comparison(presets_dir() / "comparisons" / path, PresetLibrary())
    result = evaluate(resolved, samples=50)
    for s in result.scenarios:
        assert np.all(np.isfinite(s.inference.wh_per_query)) and np.all(s.inference.wh_per_query > 0)
        assert np.all(np.isfinite(s.totals.training_energy_mwh)) and np.all(np.isfinite(s.totals.inference_energy_mwh))


def test_engine_imports_neither_qt_nor_pydantic_in_its_physics():
    """The engine knows nothing of Qt; only sampling/sensitivity/evaluate touch the pydantic presets."""
    for file in ENGINE.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(n.split(".")[0] in {"PySide6", "pyqtgraph", "shiboken6"} for n in names), file.name
        if file.name in {"inference.py", "training.py", "adoption.py", "hardware.py"}:
            assert not any(n.startswith(("pydantic", "app.domain")) for n in names), file.name


def test_engine_has_no_python_loop_in_its_physics():
    """No for/while loop or comprehension in the physics modules."""
    for name in ("inference.py", "training.py", "adoption.py", "hardware.py"):
        tree = ast.parse((ENGINE / name).read_text(encoding="utf-8"))
        loops = [getattr(node, "lineno", getattr(node.target, "lineno", 0)) for node in ast.walk(tree)
                 if isinstance(node, (ast.For, ast.While, ast.comprehension, ast.AsyncFor))]
        assert not loops, f"{name}: loops at lines {loops}"


@pytest.mark.parametrize("index", [0, 1])
def test_sensitivity_centre_is_the_comparison_figure(index):
    """The tornado's centre is the scenario's median in its comparison (rebound against the baseline's price)
    over the same draws: it was the central run, which a skewed range moves away from the median."""
    comparison = _comparison()
    drawn = evaluate(comparison, samples=VARIANT_SAMPLES, seed=3).scenarios[index].totals.horizon_energy_mwh
    bars = sensitivity(comparison, index, "cumulative_energy_mwh", seed=3)
    assert bars[0].central == pytest.approx(float(np.median(drawn)), rel=1e-9)


def test_the_baseline_never_rebounds_against_itself_in_the_tornado():
    """Dearer GPUs make every baseline query dearer, and its own reference with it: demand does not move."""
    bars = sensitivity(_comparison(), 0, "cumulative_energy_mwh")
    price = next(b for b in bars if b.path == "hardware.price_usd_per_hour")
    assert price.metric_low == pytest.approx(price.metric_high, rel=1e-9)


def test_a_model_without_reasoning_writes_no_reasoning_tokens():
    """A usage profile asking for reasoning tokens does not make a chat model think."""
    comparison = _comparison(reasoning_tokens_per_query=5000, reasoning_share=0.5)
    assert comparison.scenarios[0].model.reasoning is None
    served = evaluate(comparison, samples=1).scenarios[0].inference
    assert served.reasoning_wh[0] == 0
