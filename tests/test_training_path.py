"""The training side of the rebound: successor runs' growth, the saving re-spent, entrants, and the
lifecycle difference to the baseline decomposed (``app.engine.training_path``, ``app.engine.decomposition``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.domain.errors import PresetFileError
from app.domain.files import load_preset
from app.domain.library import PresetLibrary, ResolvedComparison
from app.domain.loading import load_comparison
from app.domain.training_path import TrainingPath
from app.engine.decomposition import PARTS, TOTAL, decomposition, means
from app.engine.evaluate import evaluate
from app.paths import presets_dir
from app.report.reduction import reduce
from tests.engine_support import datacenter, hardware, market, model, scenario, usage
from tests.factories import changed, comparison, write

SPEC = {"total_parameters_billion": 70, "active_parameters_billion": 70, "layers": 80, "hidden_size": 8192,
        "attention_heads": 64, "kv_heads": 8, "pretraining_tokens_trillion": 15}


def _comparison(path: dict | None = None, baseline_path: dict | None = None, **usage_changes) -> ResolvedComparison:
    """A dense 70B baseline and a smaller 8B rival, both retrained every 6 months over 2 years."""
    use = usage(500, {"value": 400, "low": 200, "high": 1200}, 32,
                **{"fleet_utilisation": 0.6, "horizon_years": 2, "efficiency_gain_per_year": 0.2,
                   "retrain_every_months": 6, **usage_changes})
    served = market(price_elasticity=-0.8)
    hw = hardware("h100", price_usd_per_hour={"value": 2, "low": 1.5, "high": 4}, idle_power_w=70, host_power_w=500)
    site = datacenter(1.2, 0.4)
    base = scenario(model(dict(SPEC, case="dense 70B")), hw, site, use, demand=served,
                    training_path=None if baseline_path is None else TrainingPath(**baseline_path))
    cheap = scenario(model(dict(SPEC, case="small 8B", total_parameters_billion=8, active_parameters_billion=8,
                                layers=32, hidden_size=4096, attention_heads=32)), hw, site, use, demand=served,
                     training_path=None if path is None else TrainingPath(**path))
    return ResolvedComparison(name="test", scenarios=[base, cheap], baseline_index=0, boundary="facility")


def _run_energy(totals) -> float:
    return float(totals.training_energy_mwh[0, 0])


def test_compute_growth_makes_each_successor_run_larger_by_hand() -> None:
    # Runs at months 0, 6, 12 and 18; between two runs energy per FLOP falls by 0.8^0.5 and compute grows 4^0.5.
    totals = evaluate(_comparison(path={"compute_growth_per_year": 3.0}), samples=1).scenarios[1].totals
    step = (0.8 * 4.0) ** 0.5
    assert totals.training_energy_mwh[-1, 0] == pytest.approx(_run_energy(totals) * sum(step**k for k in range(4)))
    still = evaluate(_comparison(path={"compute_growth_per_year": 0.0}), samples=1).scenarios[1].totals
    assert still.training_energy_mwh[-1, 0] == pytest.approx(_run_energy(still) * sum(0.8 ** (k / 2) for k in range(4)))


def test_growth_that_offsets_the_efficiency_trend_costs_the_launch_run_each_time() -> None:
    totals = evaluate(_comparison(path={"compute_growth_per_year": 0.25}), samples=1).scenarios[1].totals
    assert totals.training_energy_mwh[-1, 0] == pytest.approx(4 * _run_energy(totals))  # 0.8 x 1.25 = 1


def test_a_banked_saving_leaves_the_training_path_as_it_was() -> None:
    without = evaluate(_comparison(), samples=1).scenarios[1].totals
    banked = evaluate(_comparison(path={"reinvested_share": 0.0}), samples=1).scenarios[1].totals
    np.testing.assert_array_equal(banked.training_energy_mwh, without.training_energy_mwh)
    assert banked.horizon_training_respent_mwh[0] == 0.0


def test_a_saving_spent_again_in_full_brings_training_spend_to_the_baselines() -> None:
    result = evaluate(_comparison(path={"reinvested_share": 1.0}), samples=1)
    base, cheap = result.scenarios[0].totals, result.scenarios[1].totals
    assert cheap.horizon_training_cost_usd[0] == pytest.approx(base.horizon_training_cost_usd[0], rel=0.01)
    # By hand: the 8B path costs S, the 70B path B > S; re-spending it all adds (B / S - 1) own paths of energy.
    own = evaluate(_comparison(), samples=1).scenarios[1].totals
    spend_ratio = base.horizon_training_cost_usd[0] / own.horizon_training_cost_usd[0]
    assert spend_ratio > 5
    assert cheap.training_energy_mwh[-1, 0] == pytest.approx(own.training_energy_mwh[-1, 0] * spend_ratio)
    assert cheap.horizon_training_respent_mwh[0] == pytest.approx(own.training_energy_mwh[-1, 0] * (spend_ratio - 1))


def test_half_the_saving_re_spent_is_half_the_spend_gap_closed_in_every_sample() -> None:
    path = {"reinvested_share": {"value": 0.5, "low": 0.0, "high": 1.0}}
    result = evaluate(_comparison(path=path), samples=300)
    own = evaluate(_comparison(path={"reinvested_share": {"value": 0.0, "low": 0.0, "high": 0.0}}), samples=300)
    base = result.scenarios[0].totals.horizon_training_cost_usd
    mine, theirs = result.scenarios[1].totals.horizon_training_cost_usd, own.scenarios[1].totals.horizon_training_cost_usd
    share = (mine - theirs) / (base - theirs)
    assert share.min() >= 0 and share.max() <= 1 and np.ptp(share) > 0.5  # drawn sample by sample
    assert result.scenarios[0].totals.horizon_training_respent_mwh.max() == 0  # the baseline never re-spends


def test_entrants_multiply_training_by_the_cost_ratio_to_the_elasticity() -> None:
    result = evaluate(_comparison(path={"entrant_elasticity": 0.5}), samples=1)
    own = evaluate(_comparison(), samples=1).scenarios[1].totals
    labs = (result.scenarios[0].totals.horizon_training_cost_usd[0] / own.horizon_training_cost_usd[0]) ** 0.5
    assert result.scenarios[1].totals.training_energy_mwh[-1, 0] == pytest.approx(own.training_energy_mwh[-1, 0] * labs)
    # The market is shared among the labs: inference is what it was.
    np.testing.assert_allclose(result.scenarios[1].totals.inference_energy_mwh, own.inference_energy_mwh)


def test_a_dearer_scenario_re_spends_nothing() -> None:
    result = evaluate(_comparison(baseline_path={"reinvested_share": 1.0, "entrant_elasticity": 1.0}), samples=1)
    assert result.scenarios[0].totals.horizon_training_respent_mwh[0] == 0.0


def test_a_training_path_at_its_caps_gives_finite_figures() -> None:
    path = {"compute_growth_per_year": 100, "reinvested_share": 1, "entrant_elasticity": 5}
    result = evaluate(_comparison(path=path, horizon_years=30), samples=50)
    for s in result.scenarios:
        for figure in (s.totals.training_energy_mwh, s.totals.horizon_training_cost_usd, s.totals.horizon_co2e_t,
                       s.totals.annual_training_energy_mwh):
            assert np.all(np.isfinite(figure)) and np.all(figure >= 0)


def test_decomposition_by_hand_at_shares_zero_and_one() -> None:
    for share in (0.0, 1.0):
        result = evaluate(_comparison(path={"reinvested_share": share}), samples=1)
        base, cheap = result.scenarios[0].totals, result.scenarios[1].totals
        parts = decomposition(result.scenarios[1], result.scenarios[0])
        respent = cheap.horizon_training_respent_mwh[0]
        assert parts["training_respent_mwh"][0] == pytest.approx(respent)
        assert (respent > 0) == (share == 1.0)
        assert parts["training_efficiency_mwh"][0] == pytest.approx(
            cheap.training_energy_mwh[-1, 0] - respent - base.training_energy_mwh[-1, 0])
        assert parts["inference_efficiency_mwh"][0] == pytest.approx(
            cheap.inference_energy_no_rebound_mwh[-1, 0] - base.inference_energy_mwh[-1, 0])
        assert parts["usage_rebound_mwh"][0] == pytest.approx(
            cheap.horizon_rebound_queries_mwh[0] + cheap.horizon_rebound_tokens_mwh[0])
        assert sum(parts[p][0] for p in PARTS) == pytest.approx(parts[TOTAL][0], rel=1e-12)
    # At parity the re-spent training exactly undoes the training saving's spend, not its energy per dollar.
    assert parts["training_respent_mwh"][0] > 0 > parts["training_efficiency_mwh"][0]


COMPARISONS = sorted(p.stem for p in (presets_dir() / "comparisons").glob("*.json"))


@pytest.mark.parametrize("name", COMPARISONS)
def test_decomposition_sums_to_the_difference_on_every_shipped_comparison(name: str) -> None:
    library = PresetLibrary()
    _, resolved = load_comparison(presets_dir() / "comparisons" / f"{name}.json", library)
    result = evaluate(resolved, samples=200)
    figures = reduce(result)
    for index, s in enumerate(result.scenarios):
        parts = decomposition(s, result.baseline)
        total = parts[TOTAL]
        scale = np.maximum(np.abs(total), 1e-9 * result.baseline.totals.horizon_energy_mwh)
        assert np.all(np.abs(sum(parts[p] for p in PARTS) - total) <= 1e-3 * scale)
        reported = figures.scenarios[index].against_baseline.decomposition
        central = sum(reported[p].mean for p in PARTS)
        assert central == pytest.approx(reported[TOTAL].mean, rel=1e-3, abs=1e-9)
        assert reported[TOTAL].mean == pytest.approx(float(np.mean(total)), rel=1e-9, abs=1e-9)


def test_parts_are_read_as_means_which_add_up() -> None:
    parts = {"a": np.array([1.0, 5.0, 2.0, 9.0]), "b": np.array([0.0, 1.0, 0.0, 1.0])}
    parts[TOTAL] = parts["a"] + parts["b"]
    assert means(parts) == {"a": 4.25, "b": 0.5, TOTAL: 4.75}


def test_a_part_two_scenarios_share_draw_by_draw_reads_the_same_in_both() -> None:
    """DeepSeek-V3 and R1 train almost alike in the DeepSeek question (R1 adds its reasoning RL): their
    training-efficiency parts agree within 1 % in every draw, so the waterfall must show them alike; the
    draw at each one's median total read -7.9 and -1.4 TWh."""
    library = PresetLibrary()
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", library)
    result = evaluate(resolved, samples=400)
    v3, r1 = (decomposition(s, result.baseline)["training_efficiency_mwh"] for s in result.scenarios[1:])
    np.testing.assert_allclose(v3, r1, rtol=1e-2)
    reported = [s.against_baseline.decomposition["training_efficiency_mwh"] for s in reduce(result).scenarios[1:]]
    assert reported[0].mean == pytest.approx(reported[1].mean, rel=1e-2)


def _problems(path: Path) -> list[str]:
    with pytest.raises(PresetFileError) as caught:
        load_preset(path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("field", "value", "bound"), [
    ("reinvested_share", 1.5, "must be >= 0 and <= 1"),
    ("reinvested_share", -0.2, "must be >= 0 and <= 1"),
    ("compute_growth_per_year", -0.5, "must be >= 0"),
    ("entrant_elasticity", -1, "must be >= 0 and <= 5"),
])
def test_a_training_path_out_of_bounds_names_the_file_the_field_and_the_bound(
    tmp_path: Path, field: str, value: float, bound: str
) -> None:
    document = comparison()
    document["scenarios"][1]["training_path"] = {field: value}
    path = write(tmp_path / "c.json", document)
    (message,) = _problems(path)
    assert message.startswith(f"{path}: scenarios[1] ('B').training_path.{field}: ")
    assert bound in message


def test_a_cadence_longer_than_the_horizon_names_the_file_the_field_and_the_bound(tmp_path: Path) -> None:
    document = comparison()
    document["scenarios"][1]["training_path"] = {"compute_growth_per_year": 3.5}
    document["scenarios"][1]["usage"]["retrain_every_months"] = 72  # the horizon is 5 years
    path = write(tmp_path / "c.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_comparison(path, PresetLibrary())
    (message,) = [str(p) for p in caught.value.problems]
    assert message == (f"{path}: scenarios[1] ('B').training_path: successor runs every 72 months "
                       "(the usage's Retraining cadence) is longer than its Horizon (5 years): "
                       "must be at most 60 months")
    del document["scenarios"][1]["training_path"]  # without a training path a long cadence only retrains nothing
    load_comparison(write(tmp_path / "c.json", document), PresetLibrary())


def test_an_override_of_a_training_path_the_scenario_does_not_have_is_reported(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.1.overrides", {"training_path.reinvested_share": 1})
    path = write(tmp_path / "c.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_comparison(path, PresetLibrary())
    assert "scenarios[1] ('B').overrides.training_path.reinvested_share: this scenario has no training path to override" in str(
        caught.value.problems[0])


def test_the_adoption_charts_tables_carry_the_waterfall_and_each_years_parts() -> None:
    from app.report.chart_data import DECOMPOSITION_STEPS, ChartInputs, adoption_totals_rows

    resolved = _comparison(path={"reinvested_share": 1.0})
    data = ChartInputs(resolved, evaluate(resolved, samples=200)).adoption
    rows = adoption_totals_rows(data)
    steps = [row for row in rows if row[2].startswith("Difference to the baseline (mean): ")]
    assert [row[1] for row in steps] == [data.names[1]] * len(DECOMPOSITION_STEPS)  # not the baseline's zeros
    *parts, total = (row[5] for row in steps)
    assert sum(parts) == pytest.approx(total, rel=1e-9)
    assert parts[2] > 0  # the saving re-spent
    for name, s in zip(data.names, data.scenarios, strict=True):
        assert s.annual_training.x.tolist() == [1.0, 2.0]
        yearly = [row for row in rows if row[1] == name and row[2].startswith("Annual energy: ")]
        assert len(yearly) == 6 and all(row[5] > 0 for row in yearly)  # training, inference and total, two years
