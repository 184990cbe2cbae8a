"""Relative effects the literature reports must come out of the model, not be written into it.

Tests against a published effect are named as validation cases (out of sample, tolerance fixed
when added) or regression pins (in sample), as in tests/test_engine_published.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.model_preset import Reasoning
from tests.engine_support import (
    cases,
    datacenter,
    error,
    evaluated,
    hardware,
    model,
    scenario,
    serving_model,
    shipped_h100,
    usage,
)

INFERENCE = cases()["inference"]


def _wh(preset, use, boundary="accelerator"):
    return float(evaluated(scenario(preset, shipped_h100(), datacenter(), use), boundary).inference.wh_per_query[0])


def test_moe_training_energy_falls_with_its_active_share_at_equal_tokens():
    dense = {"total_parameters_billion": 400, "layers": 60, "hidden_size": 8192, "attention_heads": 64, "kv_heads": 8,
             "pretraining_tokens_trillion": 10}
    energies = []
    for share in (1.0, 0.5, 0.25, 0.1):
        spec = dict(dense, active_parameters_billion=400 * share)
        if share < 1:
            spec["moe"] = {"routed_experts": 64, "experts_per_token": max(1, round(64 * share)),
                           "parameters_per_expert_billion": 5.0}
        preset = model(spec)
        result = evaluated(scenario(preset, hardware("h100"), datacenter(1.1), usage(100, 100, 8)), "facility")
        energies.append(float(result.training.total("energy_mwh")[0]))
    assert energies == sorted(energies, reverse=True)
    # Compute dominates: a tenth of the active parameters costs well under a fifth of the energy.
    assert energies[-1] / energies[0] < 0.2


@pytest.mark.parametrize("name", ["llama_3_1_8b", "llama_3_1_70b"])
def test_regression_pin_reasoning_response_costs_more_than_its_token_ratio(name):
    """~10x the output tokens costs more than 10x the energy: context growth and smaller batches.

    In sample: the ~25x is ML.ENERGY v3's (Chung et al.), whose Llama 3.1 rows are in the calibration set."""
    data = INFERENCE["reasoning_vs_chat"]
    preset = serving_model(name)
    chat = usage(250, data["chat_output_tokens"], 256)
    thinking = usage(250, data["chat_output_tokens"], 256, reasoning_share=0.05)
    result = evaluated(scenario(preset, shipped_h100(), datacenter(), thinking), "accelerator").inference
    grid_query = float(np.interp(data["reasoning_output_tokens"] - data["chat_output_tokens"], result.reasoning_grid_tokens, result.wh_vs_reasoning[:, 0]))
    ratio = grid_query / _wh(preset, chat)
    token_ratio = data["reasoning_output_tokens"] / data["chat_output_tokens"]
    print(f"{name}: reasoning/chat energy {ratio:.1f}x for {token_ratio:.1f}x tokens (published ~{data['published_energy_ratio']}x)")
    assert ratio > token_ratio
    assert ratio == pytest.approx(data["published_energy_ratio"], rel=0.4)  # and near the measured ~25x


def test_validation_distilled_reasoning_model_writing_twice_the_tokens_costs_about_twice():
    """Out of sample: Chamberlin's H100 measurement of DeepSeek-R1-Distill-Llama-70B is not in the calibration data."""
    data = INFERENCE["distilled_reasoning"]
    plain_model = serving_model("llama_3_1_70b")
    # The distilled model is the same architecture that learned to reason first.
    thinker = plain_model.model_copy(update={"reasoning": Reasoning(reasoning_tokens_per_query=500 * (data["token_ratio"] - 1))})
    plain = _wh(plain_model, usage(250, 500, 32))
    distilled = _wh(thinker, usage(250, 500, 32, reasoning_share=1))
    ratio = distilled / plain
    print(f"distilled/plain energy {ratio:.2f}x (published {data['published_energy_ratio']}x, {error(ratio, data['published_energy_ratio']):+.0%})")
    assert 1.6 <= ratio <= 2.5


def test_moe_decode_advantage_shrinks_as_the_batch_grows():
    """Distinct experts touched per step grow with the batch (uniform routing)."""
    spec = {"total_parameters_billion": 400, "active_parameters_billion": 40, "layers": 60, "hidden_size": 8192,
            "attention_heads": 64, "kv_heads": 8,
            "moe": {"routed_experts": 64, "experts_per_token": 4, "parameters_per_expert_billion": 5.5}}
    moe, dense = model(spec), model(dict(spec, active_parameters_billion=400, moe=None))
    ratios = [_wh(moe, usage(100, 200, b)) / _wh(dense, usage(100, 200, b)) for b in (1, 64)]
    assert ratios[0] < ratios[1]


def test_boundaries_nest_and_pue_multiplies_the_facility_energy():
    use = usage(500, 400, 32, fleet_utilisation=0.5)
    hw = shipped_h100()
    figures = {}
    for boundary in ("accelerator", "server", "fleet", "facility"):
        figures[boundary] = float(evaluated(scenario(serving_model("llama_3_1_70b"), hw, datacenter(1.3), use), boundary).inference.wh_per_query[0])
    assert figures["accelerator"] < figures["server"] < figures["fleet"] < figures["facility"]
    assert figures["facility"] == pytest.approx(1.3 * figures["fleet"])


def test_reasoning_tokens_cost_more_per_token_later_in_the_trace():
    result = evaluated(scenario(serving_model("llama_3_1_8b"), shipped_h100(), datacenter(), usage(200, 300, 64, reasoning_share=1, reasoning_tokens_per_query=1000)), "accelerator").inference
    grid, wh = result.reasoning_grid_tokens, result.wh_vs_reasoning[:, 0]
    marginal = np.diff(wh) / np.diff(grid)
    assert np.all(np.diff(marginal) > 0)


@pytest.mark.parametrize("batch", [1.0, 64.0, 512.0])
def test_quadrature_over_the_trace_matches_summing_every_token(batch):
    """The engine integrates per-token cost over context; a token-by-token sum agrees within 1 %."""
    from app.engine import inference as inf
    from app.engine.hardware import accelerator, architecture
    from app.engine.sampling import central

    inp = central(scenario(serving_model("llama_3_1_8b"), shipped_h100(), datacenter(), usage(200, 300, batch)), 1)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inf.server(arch, acc, inf.default_layout(arch, inf.replica_size(arch, acc)), inp.choices.hardware_name)
    start, tokens = 200.0, 16000.0
    integrated = inf.decode(srv, np.array([batch]), np.array([start]), np.array([tokens])).joules[0]
    contexts = start + np.arange(tokens) + 0.5
    steps = inf.decode_step(srv, np.full(contexts.shape, batch), contexts)
    summed = float(np.sum(srv.accelerators * steps.power_w * steps.seconds / batch))
    assert integrated == pytest.approx(summed, rel=0.01)
