"""Arrays describing a model's architecture and an accelerator, in SI units.

Built once per evaluation from :class:`~app.engine.inputs.Inputs`; every
field is an array over the sample axis (shape ``(samples,)``), so the physics
in :mod:`app.engine.inference` and :mod:`app.engine.training` broadcasts over
samples (and over extra leading axes such as a grid of reasoning lengths).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.inputs import Inputs

SECONDS_PER_YEAR = 365.25 * 24 * 3600

DEFAULT_SCALE_UP_GB_S = 900.0
"""Scale-up bandwidth of a hardware file without one: the H100 SXM's NVLink (both directions,
NVIDIA H100 datasheet), the server most of the serving calibration's measurements ran on."""
DEFAULT_SCALE_OUT_GB_S = 50.0
"""Scale-out bandwidth per accelerator of a hardware file without one: one 400 Gb/s ConnectX-7 NIC
per GPU, as in DGX H100 servers (NVIDIA DGX H100 user guide) and DeepSeek's H800 cluster."""
BOUNDARIES: tuple[str, ...] = ("accelerator", "server", "fleet", "facility")
"""Energy boundaries, each including the previous ones."""


def boundary_level(boundary: str) -> int:
    """0 accelerator, 1 + host (server), 2 + idle fleet capacity, 3 + facility (PUE)."""
    try:
        return BOUNDARIES.index(boundary)
    except ValueError:
        raise ValueError(f"unknown boundary {boundary!r}; one of: {', '.join(BOUNDARIES)}") from None


@dataclass(frozen=True, slots=True)
class Architecture:
    """What a transformer computes and moves per token."""

    active_params: np.ndarray
    total_params: np.ndarray
    layers: np.ndarray
    hidden: np.ndarray
    """Residual-stream width d_model (the size of the activations collectives move)."""
    d_attn: np.ndarray
    """Query heads x head dimension: the width of the attention products."""
    decode_attention_flops: np.ndarray
    """FLOPs of attention for one decoded token per token of its context, all layers:
    ``4 L d_attn`` (scores and values), or with latent attention ``2 L h (2 r + r_rope)``, as
    FlashMLA counts it (each head's query meets the cached latent of ``r + r_rope`` values and
    its output gathers ``r`` of them; deepseek-ai/FlashMLA, README and tests/test_flash_mla.py).
    Prefill attends with the up-projected heads: ``4 L d_attn`` there too."""
    kv_bytes_per_token: np.ndarray
    """KV-cache bytes per token of context, all layers."""
    weight_bytes: np.ndarray
    """All weights held in memory (MoE: every expert)."""
    dense_weight_bytes: np.ndarray
    """Weights read at every step whatever the routing (attention, embeddings, shared experts)."""
    expert_bytes: np.ndarray
    """One routed expert summed over all MoE layers (0 for a dense model)."""
    routed_experts: np.ndarray
    experts_per_token: np.ndarray
    context_length: np.ndarray
    """Pre-training sequence length."""


def architecture(inp: Inputs) -> Architecture:
    """The model's architecture, worked out once per inputs."""
    return inp.derived("architecture", lambda: _architecture(inp))


def _architecture(inp: Inputs) -> Architecture:
    total = inp["model.total_parameters_billion"] * 1e9
    active = np.minimum(inp["model.active_parameters_billion"] * 1e9, total)
    layers = inp["model.layers"]
    heads = inp["model.attention_heads"]
    kv_heads = np.minimum(inp["model.kv_heads"], heads)
    head_dim = inp.opt("model.head_dim", 0.0)
    head_dim = np.where(head_dim > 0, head_dim, inp["model.hidden_size"] / heads)
    kv_from_heads = 2.0 * layers * kv_heads * head_dim * inp.choices.kv_bytes
    kv = inp.opt("model.kv_cache_bytes_per_token", 0.0)
    kv = np.where(kv > 0, kv * inp.choices.kv_scale, kv_from_heads)
    rank = inp.opt("model.latent_attention.kv_lora_rank", 0.0)
    latent = 2.0 * layers * heads * (2.0 * rank + inp.opt("model.latent_attention.rope_head_dim", 0.0))
    bytes_per_param = inp.choices.weight_bytes
    if inp.choices.is_moe:
        experts = inp["model.moe.routed_experts"]
        per_token = np.minimum(inp["model.moe.experts_per_token"], experts)
        expert_params = np.minimum(inp["model.moe.parameters_per_expert_billion"] * 1e9, total / experts)
    else:
        experts = np.ones_like(total)
        per_token = np.ones_like(total)
        expert_params = np.zeros_like(total)
    return Architecture(
        active_params=active,
        total_params=total,
        layers=layers,
        hidden=inp["model.hidden_size"],
        d_attn=heads * head_dim,
        decode_attention_flops=np.where(rank > 0, latent, 4.0 * layers * heads * head_dim),
        kv_bytes_per_token=kv,
        weight_bytes=total * bytes_per_param,
        dense_weight_bytes=(total - experts * expert_params) * bytes_per_param,
        expert_bytes=expert_params * bytes_per_param,
        routed_experts=experts,
        experts_per_token=per_token,
        context_length=inp["model.context_length_tokens"],
    )


@dataclass(frozen=True, slots=True)
class Accelerator:
    """One accelerator and its share of the server."""

    peak_flops: np.ndarray
    """Dense peak FLOP/s at the relevant precision."""
    attention_peak_flops: np.ndarray
    """Dense peak FLOP/s at BF16, the precision attention over the KV cache computes in
    (FlashAttention and FlashMLA kernels take BF16/FP16 inputs whatever the weights' format)."""
    bandwidth: np.ndarray
    """Memory bandwidth, bytes/s."""
    memory_bytes: np.ndarray
    idle_w: np.ndarray
    max_w: np.ndarray
    host_w: np.ndarray
    per_server: np.ndarray
    scale_up_bandwidth: np.ndarray
    """Bytes/s of the accelerator's links inside its server, both directions added (datasheet NVLink)."""
    scale_out_bandwidth: np.ndarray
    """Bytes/s of its share of the network between servers, one direction."""
    usd_per_second: np.ndarray
    embodied_kg_per_second: np.ndarray
    """Embodied kgCO2e amortised over the service life, per second of use."""


def accelerator(inp: Inputs, prefix: str, peak_field: str) -> Accelerator:
    """The accelerator of the preset at ``prefix`` at one peak, worked out once per inputs."""
    return inp.derived(("accelerator", prefix, peak_field), lambda: _accelerator(inp, prefix, peak_field))


def _accelerator(inp: Inputs, prefix: str, peak_field: str) -> Accelerator:
    max_w = inp[f"{prefix}.max_power_w"]
    return Accelerator(
        peak_flops=inp[f"{prefix}.{peak_field}"] * 1e12,
        attention_peak_flops=inp[f"{prefix}.peak_tflops_bf16"] * 1e12,
        bandwidth=inp[f"{prefix}.memory_bandwidth_tb_s"] * 1e12,
        memory_bytes=inp[f"{prefix}.memory_gb"] * 1e9,
        idle_w=np.minimum(inp[f"{prefix}.idle_power_w"], max_w),
        max_w=max_w,
        host_w=inp[f"{prefix}.host_power_w"],
        per_server=np.maximum(np.round(inp[f"{prefix}.accelerators_per_server"]), 1.0),
        scale_up_bandwidth=inp.opt(f"{prefix}.scale_up_bandwidth_gb_s", DEFAULT_SCALE_UP_GB_S) * 1e9,
        scale_out_bandwidth=inp.opt(f"{prefix}.scale_out_bandwidth_gb_s", DEFAULT_SCALE_OUT_GB_S) * 1e9,
        usd_per_second=inp[f"{prefix}.price_usd_per_hour"] / 3600.0,
        embodied_kg_per_second=inp[f"{prefix}.embodied_kgco2e"] / (inp[f"{prefix}.lifetime_years"] * SECONDS_PER_YEAR),
    )
