"""Human names of preset fields: "Rental price" for ``price_usd_per_hour``. No Qt.

Shared by the editors (field labels), the engine's sensitivity (tornado bars)
and the undo history, so an input is called the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

TITLES = {
    "moe": "Mixture of experts (MoE)",
    "reasoning": "Chain-of-thought reasoning",
    "training": "Pre-training run",
    "post_training": "Post-training (SFT, RL)",
    "rl": "Reinforcement learning",
    "demand": "Demand (adoption curve)",
    "mfu": "MFU",
    "kv_heads": "KV heads",
    "kv_precision": "KV-cache precision",
    "communication_overlap": "Two-batch overlap",
    "pue": "PUE",
    "wue_l_per_kwh": "Site water (WUE)",
    "sft_tokens_billion": "SFT tokens",
    "kv_cache_bytes_per_token": "KV cache per token",
    "huggingface_id": "Hugging Face id",
    "latent_attention": "Multi-head latent attention (MLA)",
    "kv_lora_rank": "Latent (KV LoRA) rank",
    "rope_head_dim": "Rotary key width",
    "prefill_chunk_tokens": "Prefill chunk (token budget)",
    "grid_kgco2e_per_kwh": "Grid carbon intensity",
    "electricity_water_l_per_kwh": "Water of the electricity",
    "electricity_usd_per_kwh": "Electricity price",
    "price_usd_per_hour": "Rental price",
    "embodied_kgco2e": "Embodied emissions",
    "peak_tflops_fp32": "Peak FP32",
    "peak_tflops_bf16": "Peak BF16",
    "peak_tflops_fp8": "Peak FP8",
    "peak_tflops_fp4": "Peak FP4",
    "memory_bandwidth_tb_s": "Memory bandwidth",
    "scale_up_bandwidth_gb_s": "Scale-up links (NVLink)",
    "scale_out_bandwidth_gb_s": "Network per accelerator",
    "annotator_usd_per_hour": "Annotator cost",
    "usd_per_million_input_tokens": "Input price",
    "usd_per_million_cached_input_tokens": "Cached input price",
    "usd_per_million_output_tokens": "Output price",
    "reasoning_price_multiple": "Reasoning query price multiple",
    "time_to_first_token_s": "Wait for the first token",
    "tokens_per_second_per_user": "Speed per user",
    "reasoning_share": "Share of reasoning queries",
    "start_month": "Start month on the demand curve",
    "launch_months_after_start": "Launch after the start",
    "experiment_overhead_fraction": "R&D and experiments",
    "compute_growth_per_year": "Compute growth per run",
    "reinvested_share": "Training saving re-spent",
    "entrant_elasticity": "Labs' entry elasticity",
    # Names whose last word is their unit read as broken phrases made mechanically ("Retrain every months",
    # "Human seconds per sample"): each is named as a reader would say it, the unit shown beside it.
    "retrain_every_months": "Retraining cadence",
    "context_length_tokens": "Context length",
    "human_seconds_per_sample": "Annotator time per sample",
    "published_training_flops": "Published training FLOPs",
    "multi_token_prediction": "Multi-token prediction",
    "per_server_dispatch": "Per-server dispatch",
}
SUFFIXES = ("_billion", "_trillion", "_tb_s", "_gb", "_w", "_years", "_usd_per_hour", "_kgco2e")

PARTS = {"model": "Model", "hardware": "Hardware", "training_hardware": "Training hardware",
         "datacenter": "Datacenter", "usage": "Usage", "list_price": "List prices", "training_path": "Training path"}
"""Names of a scenario's parts, as the editor's tabs call them."""


def title(name: str) -> str:
    if name in TITLES:
        return TITLES[name]
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def path_label(path: str | Sequence[str]) -> str:
    """``"hardware.price_usd_per_hour"`` -> ``"Rental price (hardware)"``: the field, then the part it belongs to.

    The first segment is the scenario part when it is one (it is dropped from
    the name otherwise); groups in between are left out, as the field's own
    name says what it is.
    """
    parts = path.split(".") if isinstance(path, str) else list(path)
    if not parts:
        return ""
    part = PARTS.get(parts[0])
    leaf = title(parts[-1]) if len(parts) > 1 or part is None else part
    return f"{leaf} ({part.lower()})" if part and len(parts) > 1 else leaf


def input_label(path: str, owner: str | None = None) -> str:
    """An input in words (:func:`path_label`), followed by ``owner``, the scenario whose input it is, when a
    figure moves that scenario's side alone: "Rental price (hardware) (Llama 3.1 405B)". An input the sides
    share (``owner`` None) moves every side and is named alone."""
    return path_label(path) if owner is None else f"{path_label(path)} ({owner})"
