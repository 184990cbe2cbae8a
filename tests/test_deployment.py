"""Deployment as an explicit input: replica, parallelism, batch cap, speed target, precision, cache, drafting."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from app.domain.deployment import DeploymentPreset
from app.domain.quantity import Quantity
from tests.conftest import REPO, jevons
from tests.engine_support import datacenter, evaluated, scenario, serving_model, shipped_h100, usage


def served(deployment: DeploymentPreset | None = None, batch: float = 64, **usage_changes):
    case = scenario(serving_model("llama_3_1_70b"), shipped_h100(), datacenter(), usage(1000, 500, batch, **usage_changes))
    if deployment is not None:
        case = case.model_copy(update={"deployment": deployment})
    return evaluated(case, "accelerator").inference


def deploy(**fields) -> DeploymentPreset:
    return DeploymentPreset(name="test", **fields)


def test_an_empty_deployment_is_the_automatic_one():
    assert served().wh_per_query[0] == served(deploy()).wh_per_query[0]


def test_the_replica_and_batch_cap_are_used_and_reported():
    result = served(deploy(accelerators_per_replica=8, batch_size=32))
    assert result.accelerators_per_replica[0] == 8
    assert result.effective_batch[0] == 32
    assert served().effective_batch[0] == 64  # the usage profile's batch without a cap


def test_a_speed_target_shrinks_the_batch_until_users_get_their_speed():
    free = served(deploy(batch_size=1024))
    target = 1.5 * float(free.tokens_per_second[0])
    fast = served(deploy(batch_size=1024, tokens_per_second_per_user=target))
    assert fast.effective_batch[0] < free.effective_batch[0]
    assert fast.tokens_per_second[0] >= target * 0.97  # interpolated between candidate batches
    assert fast.joules_per_output_token[0] > free.joules_per_output_token[0]  # speed costs energy


def test_a_prompt_cache_cuts_prefill_energy():
    plain, cached = served(deploy()), served(deploy(prompt_cache_share=0.5))
    assert cached.prefill_wh[0] < 0.6 * plain.prefill_wh[0]
    assert cached.answer_wh[0] == pytest.approx(plain.answer_wh[0])


def test_accepted_drafts_make_small_batch_decode_cheaper_and_rejected_ones_dearer():
    replica = Quantity(value=4)  # the replica the memory rule gives Llama 3.1 70B on H100s
    plain = served(deploy(accelerators_per_replica=replica), batch=4).answer_wh[0]
    assert served(deploy(accelerators_per_replica=replica, draft_tokens=1, draft_acceptance=0.9), batch=4).answer_wh[0] < 0.8 * plain
    assert served(deploy(accelerators_per_replica=replica, draft_tokens=1, draft_acceptance=0.0), batch=4).answer_wh[0] > plain


def test_a_deployment_s_own_drafting_is_kept_when_the_search_picks_its_replica():
    plain = served(deploy(), batch=4).answer_wh[0]
    assert served(deploy(draft_tokens=1, draft_acceptance=0.9), batch=4).answer_wh[0] < 0.8 * plain


def test_fp8_serving_precision_halves_the_weights_held():
    bf16 = served(deploy(batch_size=8))
    fp8 = served(deploy(batch_size=8, weight_precision="fp8"))
    assert fp8.accelerators_per_replica[0] < bf16.accelerators_per_replica[0]


def test_replica_parts_cannot_exceed_the_replica():
    with pytest.raises(ValueError, match="expert_parallel"):
        deploy(accelerators_per_replica=8, expert_parallel=16)


@cache
def _deepseek_deployments() -> dict[str, dict]:
    result = jevons("evaluate", str(REPO / "presets" / "comparisons" / "deepseek-deployments.json"), "--samples", "1",
                    "--json")
    assert result.returncode == 0, result.stderr
    return {s["name"]: s["inference"] for s in json.loads(result.stdout)["scenarios"]}


def test_evaluate_json_reports_the_batch_and_replica_of_the_deepseek_deployments():
    by_name = _deepseek_deployments()
    production = by_name["DeepSeek production on H800"]
    assert production["accelerators_per_replica"]["median"] == 144
    assert production["effective_batch"]["median"] == pytest.approx(12672)
    assert production["wh_per_query"]["median"] < by_name["Automatic replica on H800"]["wh_per_query"]["median"]


def test_the_deepseek_deployments_are_compared_at_one_service_level():
    """Like for like: every deployment serves the market's 21 tokens/s per user. The comparison had set
    none, so the automatic replica ran at 9 tokens/s and vLLM's node at its 256-sequence default, 14 tokens/s
    (a reviewer's finding); now the node's batch is what the service level allows."""
    for name, inference in _deepseek_deployments().items():
        assert inference["tokens_per_second"]["median"] >= 21 * 0.999, name
    assert _deepseek_deployments()["One vLLM node of 8 H200"]["effective_batch"]["median"] < 256


def test_a_deployment_override_by_dotted_path(tmp_path):
    comparison = json.loads((REPO / "presets" / "comparisons" / "deepseek-deployments.json").read_text())
    comparison["scenarios"][1]["overrides"] = {"deployment.batch_size": 1440}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(comparison))
    result = jevons("evaluate", str(path), "--samples", "1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenarios"][1]["inference"]["effective_batch"]["median"] == 1440
