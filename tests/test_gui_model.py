"""The Qt-free parts of the GUI: history, edits, units, colours, form specs, chart data."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.datacenter import DatacenterPreset
from app.domain.hardware import HardwarePreset
from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.limits import MAX_SCENARIOS, MIN_SCENARIOS, scenario_count_problem
from app.domain.loading import load_comparison
from app.domain.model_preset import ModelPreset
from app.domain.scenario import Comparison
from app.domain.usage import UsagePreset
from app.engine.evaluate import evaluate
from app.engine.results import percentiles
from app.report import chart_data
from app.report.palette import SCENARIO_COLORS, next_free_color, scenario_colors
from app.report.tidy import tidy
from app.report.units import choose_scale, format_value
from app.session import edits
from app.session.document import Document
from app.session.form_spec import field_specs

REPO = Path(__file__).resolve().parent.parent
LIBRARY = PresetLibrary()


@pytest.fixture(scope="module")
def deepseek():
    comparison, _ = load_comparison(REPO / "presets/comparisons/deepseek-question.json", LIBRARY)
    return comparison


# ---------------------------------------------------------------- document


def test_history_undo_redo_and_dirty_state(deepseek) -> None:
    document = Document(deepseek, REPO / "x.json")
    assert not document.dirty and not document.can_undo
    renamed = edits.rename_scenario(deepseek, 0, "Dense")
    assert document.apply(renamed, "Rename")
    assert not document.apply(renamed, "Rename again")  # no change, no snapshot
    assert document.dirty and document.undo_label == "Rename"
    document.undo()
    assert document.comparison is deepseek and not document.dirty
    document.redo()
    assert document.comparison is renamed and document.dirty
    document.undo()
    document.apply(edits.set_baseline(deepseek, 2), "Baseline")
    assert not document.can_redo  # a new edit drops the redo branch


def test_untitled_documents_are_dirty_unless_said_saved(deepseek) -> None:
    assert Document(deepseek).dirty
    assert not Document(deepseek, saved=True).dirty


# ---------------------------------------------------------------- edits


def test_editing_a_shipped_preset_embeds_an_edited_copy(deepseek) -> None:
    edited = edits.apply_changes(deepseek, 1, [("model", ("layers",), 30)], LIBRARY)
    model = edited.scenarios[1].model
    assert isinstance(model, ModelPreset) and model.layers.value == 30
    assert model.moe == LIBRARY.get("model", "deepseek-v3").moe
    assert deepseek.scenarios[1].model == "deepseek-v3"  # the old snapshot is untouched
    resolve_comparison(edited, LIBRARY)


def test_overrides_are_folded_into_the_edited_preset(deepseek) -> None:
    data = deepseek.scenarios[0].model_dump(exclude={"overrides"})
    scenario = type(deepseek.scenarios[0]).model_validate({**data, "overrides": {"usage.answer_tokens": 900}})
    comparison = deepseek.model_copy(update={"scenarios": [scenario, *deepseek.scenarios[1:]]})
    assert edits.effective_part(scenario, "usage", LIBRARY).answer_tokens.value == 900
    edited = edits.apply_changes(comparison, 0, [("usage", ("prompt_tokens",), 10)], LIBRARY)
    usage = edited.scenarios[0].usage
    assert usage.answer_tokens.value == 900 and usage.prompt_tokens.value == 10
    assert edited.scenarios[0].overrides == {}


def test_an_invalid_edit_is_refused_with_the_reason(deepseek) -> None:
    with pytest.raises(edits.EditError, match=r"^Active parameters \(1,000 B params\) cannot exceed Total parameters \(405 B params\)$"):
        edits.apply_changes(deepseek, 0, [("model", ("active_parameters_billion",), 1000)], LIBRARY)
    with pytest.raises(edits.EditError) as caught:
        edits.apply_changes(deepseek, 0, [("hardware", ("max_power_w",), -1)], LIBRARY)
    assert caught.value.field == "max_power_w" and "> 0" in caught.value.message


def test_switching_moe_and_reasoning_gives_valid_models(deepseek) -> None:
    llama = edits.effective_part(deepseek.scenarios[0], "model", LIBRARY)
    usage = edits.effective_part(deepseek.scenarios[0], "usage", LIBRARY)
    moe = edits.apply_changes(deepseek, 0, edits.moe_changes(llama, True), LIBRARY).scenarios[0].model
    assert moe.moe is not None and moe.active_parameters_billion.value < moe.total_parameters_billion.value
    on = edits.apply_changes(deepseek, 0, edits.reasoning_changes(usage, True), LIBRARY).scenarios[0]
    assert on.model.reasoning.reasoning_tokens_per_query.value == edits.REASONING_SEED_TOKENS
    assert on.usage.reasoning_share.value == 1
    off = edits.apply_changes(deepseek, 0, edits.reasoning_changes(on.usage, False), LIBRARY).scenarios[0]
    assert off.model.reasoning is None and off.usage.reasoning_share.value == 0


@given(st.floats(min_value=0.001, max_value=1e5))
def test_moe_seed_fits_any_model_size(total: float) -> None:
    llama = LIBRARY.get("model", "llama-3.1-405b")
    model = llama.model_copy(update={"total_parameters_billion": llama.total_parameters_billion.with_value(total),
                                     "active_parameters_billion": llama.active_parameters_billion.with_value(total)})
    changed = edits.set_values(model, [(path, value) for _, path, value in edits.moe_changes(model, True)])
    moe = changed.moe
    always_read = total - moe.routed_experts.value * moe.parameters_per_expert_billion.value
    per_token = always_read + moe.experts_per_token.value * moe.parameters_per_expert_billion.value
    assert changed.active_parameters_billion.value == pytest.approx(per_token, rel=1e-4, abs=1e-4)  # seeds are rounded


def test_switching_moe_off_makes_every_parameter_active(deepseek) -> None:
    """A dense model uses all its weights per token: DeepSeek-V3 made dense is no longer 37 of 671 B."""
    v3 = edits.effective_part(deepseek.scenarios[1], "model", LIBRARY)
    dense = edits.apply_changes(deepseek, 1, edits.moe_changes(v3, False), LIBRARY).scenarios[1].model
    assert dense.moe is None
    assert dense.active_parameters_billion.value == dense.total_parameters_billion.value == 671


def test_scenario_list_operations(deepseek) -> None:
    comparison = edits.fill_colors(deepseek)
    while len(comparison.scenarios) < MAX_SCENARIOS:
        comparison = edits.add_scenario(comparison, LIBRARY, edits.NewScenario("deepseek-v3", "h800-sxm", "hyperscale-us"), 0)
    colors = [s.color for s in comparison.scenarios]
    assert len(set(colors)) == MAX_SCENARIOS
    with pytest.raises(edits.EditError, match="at most 6"):
        edits.duplicate_scenario(comparison, 0)
    comparison = edits.move_scenario(comparison, 0, 3)
    assert comparison.scenarios[3].name.startswith("Llama") and comparison.baseline.startswith("Llama")
    comparison = edits.rename_scenario(comparison, 3, "Dense")
    assert comparison.baseline == "Dense"
    with pytest.raises(edits.EditError, match="already called"):
        edits.rename_scenario(comparison, 0, "Dense")
    comparison = edits.remove_scenario(comparison, 3)
    assert comparison.baseline is None and comparison.baseline_index == 0
    while len(comparison.scenarios) > MIN_SCENARIOS:
        comparison = edits.remove_scenario(comparison, 0)
    with pytest.raises(edits.EditError, match="at least one"):
        edits.remove_scenario(comparison, 0)


def test_a_file_holds_the_scenario_counts_the_edits_allow(deepseek) -> None:
    """One rule (``app.domain.limits.scenario_count_problem``) for the file format, the edits and the buttons."""
    one = deepseek.scenarios[0]
    for count in range(MAX_SCENARIOS + 3):
        scenarios = [one.model_copy(update={"name": f"S{k}"}) for k in range(count)]
        data = {"name": "n", "market": "chat-2025", "scenarios": [s.model_dump() for s in scenarios]}
        try:
            Comparison.model_validate(data)
            accepted = True
        except ValueError:
            accepted = False
        assert accepted == (scenario_count_problem(count) == ""), count


def test_duplicate_copies_the_presets_under_a_new_name_and_colour(deepseek) -> None:
    comparison = edits.duplicate_scenario(edits.fill_colors(deepseek), 2)
    original, copy = comparison.scenarios[2], comparison.scenarios[3]
    assert copy.name == f"{original.name} (copy)" and copy.model == original.model
    assert copy.color not in {s.color for s in comparison.scenarios[:3]}


# ---------------------------------------------------------------- units and colours


@pytest.mark.parametrize(
    ("values", "unit", "label", "factor"),
    [
        ([2.5e10], "Wh", "GWh", 1e9),
        ([999.0], "Wh", "Wh", 1.0),
        ([0.3], "Wh", "mWh", 1e-3),
        ([4e6, 2e3], "Wh", "MWh", 1e6),
        ([0.0], "Wh", "Wh", 1.0),
        ([math.nan, 7e4], "USD", "thousand USD", 1e3),
        ([2e4], "tCO2e", "ktCO₂e", 1e3),
    ],
)
def test_units_get_a_readable_prefix(values, unit, label, factor) -> None:
    scale = choose_scale(values, unit)
    assert (scale.label, scale.factor) == (label, factor)


def test_format_value() -> None:
    assert format_value(2.79e9, "Wh") == "2.79 GWh"
    assert format_value(math.nan, "Wh") == "–"


def test_colours_are_kept_and_missing_ones_filled() -> None:
    assert scenario_colors(["#d55e00", None, None]) == ["#d55e00", "#0072b2", "#009e73"]
    assert next_free_color(SCENARIO_COLORS) in SCENARIO_COLORS


# ---------------------------------------------------------------- form specs


@pytest.mark.parametrize("model", [ModelPreset, HardwarePreset, DatacenterPreset, UsagePreset])
def test_every_field_of_every_preset_gets_an_editor_with_unit_and_bounds(model) -> None:
    def walk(cls: type) -> None:
        specs = field_specs(cls)
        assert {s.name for s in specs} == set(cls.model_fields) - {"kind", "curve"}
        for spec in specs:
            if spec.kind == "quantity":
                assert spec.unit, f"{cls.__name__}.{spec.name} has no unit"
                assert spec.description, f"{cls.__name__}.{spec.name} has no description"
            if spec.kind == "group":
                walk(spec.model)
            if spec.kind == "variants":
                for variant in spec.variants.values():
                    walk(variant)

    walk(model)


def test_optional_quantities_keep_their_unit_and_bounds() -> None:
    spec = next(s for s in field_specs(HardwarePreset) if s.name == "peak_tflops_fp8")
    assert spec.optional and spec.unit == "TFLOP/s" and spec.bounds.ge == 1e-3


def test_moe_and_reasoning_are_the_first_options_of_a_model() -> None:
    assert [s.name for s in field_specs(ModelPreset)[:2]] == ["moe", "reasoning"]


# ---------------------------------------------------------------- chart data


def test_chart_data_agrees_with_the_engine(deepseek) -> None:
    resolved = resolve_comparison(deepseek, LIBRARY)
    result = evaluate(resolved, samples=200, seed=0)
    inputs = chart_data.ChartInputs(resolved, result)
    training = chart_data.training_spend(inputs)
    energy = training.metrics[0]
    assert energy.unit == "Wh" and energy.medians.shape == (4, 3)
    expected = np.median(result.scenarios[0].training.total("energy_mwh")) * 1e6
    assert energy.total[1][0] == pytest.approx(expected)
    inference = chart_data.inference_cost(inputs)
    assert inference.own_reasoning[0] is None and inference.own_reasoning[2] is not None
    adoption = chart_data.adoption_totals(inputs)
    assert len(adoption.scenarios[0].inference.x) == len(result.scenarios[0].totals.months)
    rows = chart_data.summary(inputs)
    assert rows[0].baseline and rows[1].ratios["training_wh"].median < 1 and rows[0].ratios["training_wh"].median == 1
    for table in (chart_data.training_spend_rows(training), chart_data.inference_cost_rows(inference),
                  chart_data.adoption_totals_rows(adoption), chart_data.summary_rows(rows)):
        assert table and len(tidy(table)[1]) == len(table)  # each a CSV row: tidy unpacks its nine fields


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50))
def test_fast_percentiles_match_numpy(values: list[float]) -> None:
    array = np.array([values, values[::-1]])
    ours = percentiles(array)
    expected = np.percentile(array, [5, 50, 95], axis=-1)
    for got, want in zip(ours, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-6)
