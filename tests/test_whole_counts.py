"""Counts are whole: a fraction of a layer, a head, an expert, an accelerator or a sequence is refused in a file
and at the window's field, in the value and in either end of its range, naming the file, the field and the
number (review 21, finding 4: 2.5 layers had moved the verdict and 16.5 accelerators per replica had been
served as 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import paths
from app.domain.errors import PresetFileError
from app.domain.files import load_preset
from app.domain.library import PresetLibrary
from app.domain.limits import whole_number_problem
from app.domain.loading import load_comparison
from tests.fuzz_support import override_bounds

LIBRARY = PresetLibrary()
QUESTION = paths.presets_dir() / "comparisons" / "deepseek-question.json"
SCENARIO = 1
"""DeepSeek-V3 on H800 with DeepSeek's production deployment: every optional group a count lives in (mixture of
experts, latent attention, multi-token prediction, RL) is present, so an override reaches each count."""

COUNTS = sorted(path for path, bounds in override_bounds().items() if bounds.whole)
"""Every count a scenario's inputs hold, read from the fields' declarations."""


def test_every_count_the_review_named_is_declared_whole() -> None:
    """The counts of the review and the brief, among others (widths, the RL group, the prefill budget)."""
    named = {
        "model.layers", "model.attention_heads", "model.kv_heads", "model.moe.routed_experts",
        "model.moe.experts_per_token", "model.moe.shared_experts", "model.multi_token_prediction.draft_tokens",
        "model.training.accelerator_count", "hardware.accelerators_per_server",
        "deployment.accelerators_per_replica", "deployment.data_parallel", "deployment.expert_parallel",
        "deployment.batch_size", "deployment.draft_tokens", "usage.batch_size",
    }
    assert named <= set(COUNTS)
    assert not {"model.total_parameters_billion", "usage.prompt_tokens", "model.kv_cache_bytes_per_token",
                "hardware.memory_gb"} & set(COUNTS)  # sizes and means, not counts


def _written(directory: Path, path: str, given_value: object) -> Path:
    document = json.loads(QUESTION.read_text())
    document["scenarios"][SCENARIO].setdefault("overrides", {})[path] = given_value
    target = directory / "counts.json"
    target.write_text(json.dumps(document))
    return target


def _refusal(file: Path) -> str:
    with pytest.raises(PresetFileError) as refused:
        load_comparison(file, LIBRARY)
    (problem,) = refused.value.problems
    return str(problem)


@st.composite
def fraction_at_one_end(draw: st.DrawFn, path: str) -> tuple[dict[str, float], str, float]:
    """A quantity of the count ``path`` within its bounds, whole but for one of value, low and high."""
    bounds = override_bounds()[path]
    floor = int(bounds.lower or 0)
    top = int(min(bounds.upper or 1e6, 1e6))
    base = draw(st.integers(floor, top - 1))
    fraction = base + draw(st.floats(0.01, 0.99))
    end = draw(st.sampled_from(["value", "low", "high", "bare"]))
    quantity = {
        "value": {"value": fraction, "low": base, "high": base + 1},
        "low": {"value": base + 1, "low": fraction, "high": base + 1},
        "high": {"value": base, "low": base, "high": fraction},
        "bare": {"value": fraction},
    }[end]
    return quantity, "value" if end == "bare" else end, fraction


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), path=st.sampled_from(COUNTS))
def test_a_fraction_of_a_count_is_refused_naming_file_field_and_number(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, path: str
) -> None:
    quantity, end, fraction = data.draw(fraction_at_one_end(path))
    file = _written(tmp_path_factory.mktemp("counts"), path, quantity)
    said = _refusal(file)
    assert said.startswith(f"{file}: scenarios[{SCENARIO}] ('DeepSeek-V3")
    assert said.endswith(f".overrides.{path}: {end} {fraction!r} is not a whole number"), said


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(COUNTS), written_as_float=st.booleans())
def test_a_whole_count_is_not_refused_for_being_whole(
    tmp_path_factory: pytest.TempPathFactory, path: str, written_as_float: bool
) -> None:
    """The shipped value written again (16 or 16.0 alike): the rule refuses fractions, not numbers."""
    document = json.loads(QUESTION.read_text())
    resolved = load_comparison(QUESTION, LIBRARY)[1].scenarios[SCENARIO]
    node: Any = resolved
    for key in path.split("."):
        node = getattr(node, key)
    shipped = node.value if node is not None else 1  # an optional count the scenario leaves unset
    document["scenarios"][SCENARIO].setdefault("overrides", {})[path] = float(shipped) if written_as_float else int(shipped)
    file = tmp_path_factory.mktemp("counts") / "whole.json"
    file.write_text(json.dumps(document))
    load_comparison(file, LIBRARY)


def test_the_reviewers_files_are_refused(tmp_path: Path) -> None:
    """2.5 layers in a model preset file; 16.5 accelerators per replica of a deployment preset file."""
    model = json.loads((paths.presets_dir() / "models" / "llama-3.1-405b.json").read_text())
    model["layers"] = 2.5
    deployment = json.loads((paths.presets_dir() / "deployments" / "automatic.json").read_text())
    deployment["accelerators_per_replica"] = {"value": 16.5, "source": "a typo"}
    for name, document, said in (("model.json", model, "layers: value 2.5 is not a whole number"),
                                 ("deployment.json", deployment,
                                  "accelerators_per_replica: value 16.5 is not a whole number")):
        file = tmp_path / name
        file.write_text(json.dumps(document))
        with pytest.raises(PresetFileError) as refused:
            load_preset(file)
        assert str(refused.value) == f"{file}: {said}"


def test_the_rule_is_the_measurements_rule() -> None:
    """One rule: the preset fields and the measurements' count columns say the same thing."""
    assert whole_number_problem(16.0) == ""
    assert whole_number_problem(16.5) == "16.5 is not a whole number"
    assert whole_number_problem(1234567.5) == "1234567.5 is not a whole number"  # written in full, not rounded

