"""Inputs are capped where physics leaves them open, and the engine never hands out NaN, infinity or a negative figure."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.domain.files import load_preset
from app.domain.library import PresetLibrary, resolve_comparison
from app.engine.evaluate import evaluate
from app.engine.output_check import ResultOutOfRange, check_result
from app.numbers import number
from tests.conftest import REPO, jevons

QUESTION = REPO / "presets" / "comparisons" / "deepseek-question.json"


def with_overrides(tmp_path: Path, overrides: dict) -> Path:
    document = json.loads(QUESTION.read_text())
    document["scenarios"][2]["overrides"] = overrides
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("field", "value", "bound"),
    [
        ("usage.horizon_years", 1e-12, "must be >= 0.0833333 and <= 30"),
        ("usage.prompt_tokens", 1e308, "must be >= 0 and <= 1,000,000,000"),
        ("model.post_training.sft_tokens_billion", 1e300, "must be >= 0 and <= 10,000,000"),
        ("usage.answer_tokens", 1e300, "must be >= 1 and <= 1,000,000,000"),
    ],
)
def test_the_issues_overflowing_overrides_are_refused_naming_the_field(
    tmp_path: Path, field: str, value: float, bound: str
) -> None:
    path = with_overrides(tmp_path, {field: value})
    result = jevons("evaluate", str(path), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert f"{path}: scenarios[2] ('DeepSeek-R1 (reasoning) on H800').overrides.{field}: value {number(value, 6)} is impossible here: {bound}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_hardware_override_out_of_bounds_is_reported_once(tmp_path: Path) -> None:
    result = jevons("validate", str(with_overrides(tmp_path, {"hardware.price_usd_per_hour": 1e300})))
    assert result.returncode == 2
    assert result.stderr.count("price_usd_per_hour") == 1  # not again for the training hardware it stands in for


def test_every_cap_gives_its_reason_in_the_field_description() -> None:
    from app.domain.quantity import quantity_field
    from app.domain.usage import UsagePreset

    field = quantity_field(UsagePreset, "answer_tokens")
    assert field.bounds.le == 1e9
    assert "At most 1,000,000,000: a thousand times the longest context window" in field.description


def test_a_context_at_its_cap_is_refused_as_no_replica_holds_one_sequence(tmp_path: Path) -> None:
    """2e9 tokens of context (prompt and answer at their caps) need 141,000 GB of KV cache for one sequence of
    DeepSeek-R1: its 144 H800s cannot serve it, and the file is refused (app.engine.memory_fit), where it was
    computed at a batch of one."""
    result = jevons("evaluate", str(with_overrides(tmp_path, {"usage.answer_tokens": 1e9, "usage.prompt_tokens": 1e9})), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert "2,000,000,000-token context 141,000 GB of KV cache" in result.stderr
    assert "this replica cannot serve the model" in result.stderr


def test_inputs_at_their_caps_give_finite_non_negative_figures(tmp_path: Path) -> None:
    """Every other cap at once (a context at its cap cannot be served at all: the test above)."""
    overrides = {"model.layers": 1e7,
                 "usage.demand.peak_queries_per_day": 1e15, "hardware.price_usd_per_hour": 1e6,
                 "model.training.mfu": 1e-4, "usage.horizon_years": 1 / 12,
                 "usage.retrain_every_months": 1}  # a training path needs its cadence within the horizon
    result = jevons("evaluate", str(with_overrides(tmp_path, overrides)), "--json", "--samples", "20")
    assert result.returncode == 0, result.stderr
    # null only for "never" (crossover) and "no value flips the verdict" (break-even)
    document = json.loads(result.stdout)
    for scenario in document["scenarios"]:
        del scenario["totals"]["crossover_month"]  # null where inference never overtakes training (1 month here)
    text = json.dumps(document).replace('"value": null', "")
    assert "null" not in text


def test_a_non_finite_figure_is_reported_with_the_likely_input() -> None:
    comparison = load_preset(QUESTION)
    document = comparison.model_dump(mode="json")
    document["scenarios"][2]["overrides"] = {"usage.answer_tokens": 1e9}
    resolved = resolve_comparison(type(comparison).model_validate(document), PresetLibrary())
    result = evaluate(resolved, samples=1)
    broken = dataclasses.replace(
        result.scenarios[2],
        inference=dataclasses.replace(result.scenarios[2].inference, wh_per_query=np.array([np.inf])),
    )
    with pytest.raises(ResultOutOfRange) as caught:
        check_result(dataclasses.replace(result, scenarios=(*result.scenarios[:2], broken)), resolved)
    assert caught.value.scenario_index == 2 and caught.value.field == "usage.answer_tokens"
    assert "inference.wh_per_query of 'DeepSeek-R1 (reasoning) on H800' is infinite" in caught.value.message
    assert "1,000,000,000, where the shipped presets hold" in caught.value.message


def test_a_never_crossing_month_is_not_a_failure() -> None:
    resolved = resolve_comparison(load_preset(QUESTION), PresetLibrary())
    result = evaluate(resolved, samples=1)
    totals = dataclasses.replace(result.scenarios[0].totals, crossover_month=np.array([np.nan]))
    check_result(dataclasses.replace(result, scenarios=(
        dataclasses.replace(result.scenarios[0], totals=totals), *result.scenarios[1:])), resolved)
