"""Messages that set one field against another call the fields what the editors call them, with their values
and units: "Active parameters (500 B params) cannot exceed Total parameters (405 B params)", never
"active_parameters_billion (500) cannot exceed total_parameters_billion (405)" (review 21, finding 13). Each
rule between fields is broken here, in a file and as a window edit, and no message a user gets names a field
by its internal snake_case name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app import paths
from app.domain.errors import PresetFileError
from app.domain.files import load_preset
from app.domain.library import PresetLibrary
from app.session import edits
from app.session.controller import Session
from app.session.document import Document

PRESETS = paths.presets_dir()
LIBRARY = PresetLibrary()
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""An internal field name: ``kv_heads``, ``active_parameters_billion``."""


def _preset(kind: str, preset_id: str, **changes: Any) -> dict[str, Any]:
    document = json.loads((PRESETS / kind / f"{preset_id}.json").read_text())
    for path, value in changes.items():
        *parents, name = path.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[name] = value
    return document


PRESET_RULES = {
    "active above total": (
        _preset("models", "llama-3.1-405b", active_parameters_billion=500),
        "", "Active parameters (500 B params) cannot exceed Total parameters (405 B params)"),
    "more KV heads than heads": (
        _preset("models", "llama-3.1-405b", kv_heads=256),
        "", "KV heads (256) cannot exceed Attention heads (128)"),
    "routed experts beyond the total": (
        _preset("models", "deepseek-v3", **{"moe.parameters_per_expert_billion": 5}),
        "", "Routed experts (256) x Parameters per expert (5 B params) = 1,280 B params exceed "
            "Total parameters (671 B params)"),
    "more experts per token than experts": (
        _preset("models", "deepseek-v3", **{"moe.experts_per_token": 300}),
        "moe", "Experts per token (300) cannot exceed Routed experts (256)"),
    "human reward without its people": (
        _preset("models", "deepseek-v3", **{"post_training.rl.reward": "human"}),
        "post_training.rl", "reward 'human' needs Annotator time per sample and Annotator cost"),
    "idle above full power": (
        _preset("hardware", "h100-sxm", idle_power_w=800),
        "", "Idle power (800 W) cannot exceed Max power (700 W)"),
    "data parallel beyond the replica": (
        _preset("deployments", "deepseek-production", accelerators_per_replica=8),
        "", "Data parallel (144 replicas) cannot exceed Accelerators per replica (8)"),
    "expert parallel beyond the replica": (
        _preset("deployments", "deepseek-production", accelerators_per_replica=200, expert_parallel=256),
        "", "Expert parallel (256 accelerators) cannot exceed Accelerators per replica (200)"),
}


@pytest.mark.parametrize("rule", sorted(PRESET_RULES))
def test_a_preset_file_breaking_a_rule_between_fields_names_them_in_words(tmp_path: Path, rule: str) -> None:
    document, field, said = PRESET_RULES[rule]
    file = tmp_path / "preset.json"
    file.write_text(json.dumps(document))
    with pytest.raises(PresetFileError) as refused:
        load_preset(file)
    (problem,) = refused.value.problems
    assert (problem.file, problem.field, problem.message) == (str(file), field, said)
    assert not SNAKE.search(problem.message)


def _question(tmp_path: Path, change) -> Path:
    document = json.loads((PRESETS / "comparisons" / "deepseek-question.json").read_text())
    change(document["scenarios"])
    file = tmp_path / "question.json"
    file.write_text(json.dumps(document))
    return file


def _late_launch(scenarios: list[dict[str, Any]]) -> None:
    scenarios[2]["launch_months_after_start"] = 70  # the horizon is 5 years


def _long_cadence(scenarios: list[dict[str, Any]]) -> None:
    scenarios[1].setdefault("overrides", {})["usage.retrain_every_months"] = 72


def _one_node(scenarios: list[dict[str, Any]]) -> None:
    scenarios[1]["deployment"] = "vllm-8-gpu-node"  # 671 GB of DeepSeek-V3 on 8 x 80 GB


@pytest.mark.parametrize(("change", "said"), [
    (_late_launch, "the launch is 70 months after the comparison's start, at or beyond the end of the usage's "
                   "Horizon (5 years): must be less than 60 months"),
    (_long_cadence, "successor runs every 72 months (the usage's Retraining cadence) is longer than its "
                    "Horizon (5 years): must be at most 60 months"),
    (_one_node, "DeepSeek-V3's weights need 671 GB at fp8 (the deployment's Weight precision, else the publisher's, "
                "else the model's)"),
])
def test_a_comparison_breaking_a_rule_between_parts_names_them_in_words(tmp_path: Path, change, said: str) -> None:
    """Across a scenario's parts (a launch or a cadence against the horizon, a replica against its model);
    the deployment that cannot hold its model is found when the window opens the file."""
    file = _question(tmp_path, change)
    session = Session(LIBRARY)
    with pytest.raises(PresetFileError) as refused:
        session.open(Document(session.load(file), file))
    (problem,) = refused.value.problems
    assert problem.file == str(file) and problem.message.startswith(said)
    assert not SNAKE.search(problem.message)


def test_the_window_refuses_edits_breaking_a_rule_in_the_same_words() -> None:
    """The message beside the field: the group a rule lives in is named as its editor section is."""
    session = Session(LIBRARY)
    session.open(session.example_document("deepseek-question"))
    session.select(1)
    refused = []
    for change in ([("model", ("active_parameters_billion",), 700)], [("model", ("moe", "experts_per_token"), 300)],
                   [("model", ("post_training", "rl", "reward"), "human")], [("hardware", ("idle_power_w",), 800)],
                   [("deployment", ("accelerators_per_replica",), 8)]):
        with pytest.raises(edits.EditError) as caught:
            session.change_fields(change, "edit")
        refused.append(caught.value.message)
    assert refused == [
        "Active parameters (700 B params) cannot exceed Total parameters (671 B params)",
        "Mixture of experts (MoE): Experts per token (300) cannot exceed Routed experts (256)",
        "Reinforcement learning: reward 'human' needs Annotator time per sample and Annotator cost",
        "Idle power (800 W) cannot exceed Max power (700 W)",
        "Data parallel (144 replicas) cannot exceed Accelerators per replica (8)",
    ]
    assert not any(SNAKE.search(message) for message in refused)


def test_fields_named_after_their_unit_read_as_phrases_in_the_editors() -> None:
    """"Retrain every months" was the usage editor's label and the cadence messages' name for the field: a
    name made mechanically from retrain_every_months. Such fields are named as a reader says them, the
    unit beside them; the training path's tooltip names the cadence so too."""
    from app.domain.deployment import DeploymentPreset
    from app.domain.model_preset import ModelPreset, RLStage, TrainingRun
    from app.domain.usage import UsagePreset
    from app.gui.editors.training_path_section import SECTION_TIP
    from app.session.form_spec import field_specs

    labels = {spec.name: (spec.label, spec.unit) for model in (UsagePreset, ModelPreset, RLStage, TrainingRun, DeploymentPreset)
              for spec in field_specs(model)}
    assert labels["retrain_every_months"] == ("Retraining cadence", "months")
    assert labels["context_length_tokens"] == ("Context length", "tokens")
    assert labels["human_seconds_per_sample"] == ("Annotator time per sample", "s")
    assert labels["published_training_flops"][0] == "Published training FLOPs"
    assert labels["multi_token_prediction"][0] == "Multi-token prediction"
    assert labels["per_server_dispatch"][0] == "Per-server dispatch"
    assert "Retraining cadence" in SECTION_TIP and not SNAKE.search(SECTION_TIP)


@pytest.mark.parametrize(("part", "field", "words"), [
    ("list_price", "usd_per_million_output_tokens", "list prices"),
    ("training_path", "reinvested_share", "training path"),
])
def test_an_override_of_a_part_the_scenario_lacks_names_it_as_the_editors_do(
        tmp_path: Path, part: str, field: str, words: str) -> None:
    """The message said "this scenario has no list_price to override"; the part is named as its editor
    section is, and the path stays the problem's location, which a program can follow."""
    def without_part(scenarios: list[dict[str, Any]]) -> None:
        del scenarios[1][part]
        scenarios[1]["overrides"][f"{part}.{field}"] = 1

    file = _question(tmp_path, without_part)
    with pytest.raises(PresetFileError) as refused:
        Session(LIBRARY).load(file)
    (problem,) = refused.value.problems
    assert problem.field.endswith(f"overrides.{part}.{field}")
    assert problem.message == f"this scenario has no {words} to override"
