"""One reduction: every reported figure of every shipped comparison is reduced once, as numpy's own
percentiles of the engine's samples, and every surface (``evaluate --json``, the summary and its CSV,
the verdict) reports that figure."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.engine.sensitivity import METRICS
from app.paths import presets_dir
from app.report.chart_data import TORNADO_METRICS, ChartInputs, summary_rows
from app.report.evaluation import comparison_document, figure
from app.report.reduction import reduce
from app.report.verdict import verdict

SHIPPED = sorted(p.stem for p in (presets_dir() / "comparisons").glob("*.json"))


def _samples(s, b) -> dict[str, dict[str, np.ndarray]]:  # ScenarioResults
    """What each reported figure is, written out from the engine's arrays (the specification)."""
    t, i, totals = s.training, s.inference, s.totals
    co2e, embodied = t.co2e_t.sum(axis=0), t.embodied_co2e_t.sum(axis=0)
    horizon = totals.training_energy_mwh[-1] + totals.inference_energy_mwh[-1]
    base_horizon = b.totals.training_energy_mwh[-1] + b.totals.inference_energy_mwh[-1]
    return {
        "training": {
            "flops": t.flops.sum(axis=0), "accelerator_hours": t.accelerator_hours.sum(axis=0),
            "wall_clock_days": t.wall_clock_days, "energy_mwh": t.energy_mwh.sum(axis=0), "co2e_t": co2e,
            "co2e_operational_t": co2e - embodied, "co2e_embodied_t": embodied, "water_m3": t.water_m3.sum(axis=0),
            "cost_usd": t.cost_usd.sum(axis=0), "annotator_hours": t.annotator_hours,
        },
        "inference": {
            **{name: getattr(i, name) for name in (
                "wh_per_query", "prefill_wh", "answer_wh", "reasoning_wh", "accelerators_per_replica",
                "effective_batch", "time_to_first_token_s", "tokens_per_second", "usd_per_query",
                "usd_per_million_tokens", "co2e_g_per_query", "water_ml_per_query", "joules_per_output_token")},
            "co2e_operational_g_per_query": i.co2e_g_per_query - i.embodied_co2e_g_per_query,
            "co2e_embodied_g_per_query": i.embodied_co2e_g_per_query,
        },
        "totals": {
            "cumulative_energy_mwh": horizon,
            "cumulative_training_energy_mwh": totals.training_energy_mwh[-1],
            "cumulative_inference_energy_mwh": totals.inference_energy_mwh[-1],
            "cumulative_inference_energy_no_rebound_mwh": totals.inference_energy_no_rebound_mwh[-1],
            "cumulative_training_respent_mwh": totals.horizon_training_respent_mwh,
            "cumulative_training_cost_usd": totals.horizon_training_cost_usd,
            "rebound_change": totals.rebound_change,
            "rebound_queries_mwh": totals.horizon_rebound_queries_mwh,
            "rebound_tokens_mwh": totals.horizon_rebound_tokens_mwh,
            "price_usd_per_query": totals.price_usd_per_query,
            "relative_price_to_baseline": totals.relative_price_at_launch,
            "cumulative_co2e_t": totals.horizon_co2e_t,
            "cumulative_co2e_operational_t": totals.horizon_co2e_t - totals.horizon_embodied_co2e_t,
            "cumulative_co2e_embodied_t": totals.horizon_embodied_co2e_t,
            "cumulative_water_m3": totals.horizon_water_m3,
            "cumulative_cost_usd": totals.horizon_cost_usd,
        },
        "ratio_to_baseline": {
            "training_energy": t.energy_mwh.sum(axis=0) / b.training.energy_mwh.sum(axis=0),
            "wh_per_query": i.wh_per_query / b.inference.wh_per_query,
            "cumulative_energy": horizon / base_horizon,
            "cumulative_co2e": totals.horizon_co2e_t / b.totals.horizon_co2e_t,
        },
    }


def _expected(values: np.ndarray, samples: int) -> tuple[float, float, float]:
    values = np.broadcast_to(np.asarray(values, dtype=float), (samples,))
    return tuple(float(v) for v in np.percentile(values, [50, 5, 95]))


@pytest.fixture(scope="module", params=SHIPPED)
def shipped(request):
    resolved = load_comparison(presets_dir() / "comparisons" / f"{request.param}.json", PresetLibrary())[1]
    return resolved, evaluate(resolved, samples=40, seed=1)


def test_every_figure_is_numpy_s_percentiles_of_the_engine_samples_and_the_json_reports_it(shipped) -> None:
    resolved, result = shipped
    figures, doc = reduce(result), comparison_document(resolved.name, result)
    for scenario, reduced, document in zip(result.scenarios, figures.scenarios, doc["scenarios"], strict=True):
        parts = {"training": reduced.training.figures, "inference": reduced.inference.figures,
                 "totals": reduced.totals.figures, "ratio_to_baseline": reduced.against_baseline.ratios}
        for group, named in _samples(scenario, result.baseline).items():
            assert set(named) == set(parts[group]), group
            for key, values in named.items():
                band = parts[group][key]
                want = _expected(values, result.samples)
                assert (band.median, band.p5, band.p95) == pytest.approx(want, rel=1e-12, abs=1e-300), (group, key)
                reported = document[group][key]
                assert reported["median"] == pytest.approx(want[0], rel=1e-12), (group, key)
                if figures.ranged:
                    assert (reported["p5"], reported["p95"]) == pytest.approx(want[1:], rel=1e-12), (group, key)
        for name, phases in reduced.training.by_phase.items():
            for k, (phase, band) in enumerate(phases.items()):
                want = _expected(getattr(scenario.training, name)[k], result.samples)
                assert (band.median, band.p5, band.p95) == pytest.approx(want, rel=1e-12), (name, phase)
        assert document["training"]["energy_mwh_by_phase"] == {
            phase: figure(b, figures.ranged) for phase, b in reduced.training.by_phase["energy_mwh"].items()}
        more = np.mean(_samples(scenario, result.baseline)["totals"]["cumulative_energy_mwh"]
                       > _samples(result.baseline, result.baseline)["totals"]["cumulative_energy_mwh"])
        assert reduced.against_baseline.probability_more_energy == document["verdict"]["probability_more_energy"] == more


def test_the_summary_its_csv_and_the_verdict_report_the_reduced_figures(shipped) -> None:
    resolved, result = shipped
    figures = reduce(result)
    inputs = ChartInputs(resolved, result)
    csv = {(row[1], row[2]): row[5:8] for row in summary_rows(inputs.summary)}
    for index, (row, reduced) in enumerate(zip(inputs.summary, figures.scenarios, strict=True)):
        energy = reduced.totals.figures["cumulative_energy_mwh"]
        assert row.lifetime_wh.median == pytest.approx(energy.median * 1e6, rel=1e-12)
        assert row.ratios["lifetime_wh"] == reduced.against_baseline.ratios["cumulative_energy"]
        assert row.crossover == reduced.totals.crossover == inputs.adoption.scenarios[index].crossover
        assert inputs.training.co2e[index] == reduced.training.co2e
        energy_panel = inputs.training.metrics[0]
        assert energy_panel.medians[:, index] == pytest.approx(
            [b.median * 1e6 for b in reduced.training.by_phase["energy_mwh"].values()], rel=1e-12)
        assert energy_panel.total[2][index] == pytest.approx(reduced.training.figures["energy_mwh"].p95 * 1e6, rel=1e-12)
        per_query = inputs.inference.breakdown
        assert per_query.total[1][index] == reduced.inference.figures["wh_per_query"].median
        months = reduced.totals.months
        carbon = csv[(row.name, f"CO2e over {months} months, operational")]
        assert carbon == (row.lifetime_co2e.operational.median, row.lifetime_co2e.operational.p5,
                          row.lifetime_co2e.operational.p95)
        assert row.lifetime_co2e == reduced.totals.co2e
        assert row.equivalents == reduced.totals.equivalents and row.equivalents
        if index != figures.baseline_index:
            v = verdict(figures, index)
            assert v.energy_ratio == row.ratios["lifetime_wh"] and v.probability_more_energy == row.probability_more_energy
            assert math.isclose(v.years * 12, months)


def test_the_tornado_s_median_is_the_reduced_figure_of_its_metric(shipped) -> None:
    _, result = shipped
    figures = reduce(result)
    assert set(TORNADO_METRICS) == set(METRICS)  # the menu offers every metric the engine can rank by
    for metric, choice in TORNADO_METRICS.items():
        group, table, key = choice.figure
        for scenario, reduced in zip(result.scenarios, figures.scenarios, strict=True):
            want = float(np.percentile(METRICS[metric].extract(scenario, result.baseline), 50))
            assert getattr(getattr(reduced, group), table)[key].median == pytest.approx(want, rel=1e-12), metric
