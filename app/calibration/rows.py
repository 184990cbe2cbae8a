"""Turn measured configurations into the serving physics' arrays (one element per row).

A row gives total and active parameters, precision, accelerator, GPU count and
parallelism. What it does not give (layers, width, heads, routed experts) comes
from one place per model: the shipped model preset whose ``huggingface_id`` begins
the row's ``model_id`` (its -Instruct and -FP8 releases share the shape), else, for a
model no preset describes, ``resources/calibration/architectures.json`` (matched the
same way, longest id first). A row whose model neither describes is skipped with
its reason, never given an invented shape.

Prompt lengths are not published per configuration: a row's own
``avg_input_len`` is used when present, else :data:`PROMPT_TOKENS_BY_TASK`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.calibration.measurements import Measurement
from app.domain.files import load_preset
from app.domain.precision import BYTES_PER_VALUE
from app.engine.calibration import error_class
from app.engine.hardware import DEFAULT_SCALE_OUT_GB_S, DEFAULT_SCALE_UP_GB_S, Accelerator, Architecture
from app.engine.serving import Layout
from app.paths import presets_dir, resources_dir

PROMPT_TOKENS_BY_TASK = {"gpqa": 300.0, "lm-arena-chat": 500.0, "sourcegraph-fim": 2000.0}
"""Mean prompt tokens per task (assumption: ML.ENERGY v3 publishes no input lengths).
gpqa: a graduate-level multiple-choice question with its four options and the
chat template, ~200-400 tokens. lm-arena-chat: LMArena conversations, mostly
single-turn questions of a few hundred tokens (ShareGPT-like). sourcegraph-fim:
code fill-in-the-middle sends the code around the cursor, a few thousand
tokens. Any other task: :data:`DEFAULT_PROMPT_TOKENS`."""

DEFAULT_PROMPT_TOKENS = 500.0
"""Prompt tokens of a task not listed above (assumption: a chat-like prompt)."""

@cache
def _table() -> dict[str, dict]:
    return json.loads((resources_dir() / "calibration" / "architectures.json").read_text(encoding="utf-8"))["models"]


@cache
def _preset_shapes() -> dict[str, tuple[dict, str]]:
    """Shapes of the shipped model presets that name their Hugging Face id, by that id."""
    shapes = {}
    for path in sorted((presets_dir() / "models").glob("*.json")):
        preset = load_preset(path)
        if not preset.huggingface_id:
            continue
        shape = {name: getattr(preset, name).value for name in ("layers", "hidden_size", "attention_heads", "kv_heads")}
        shape["head_dim"] = preset.head_dim.value if preset.head_dim else shape["hidden_size"] / shape["attention_heads"]
        if preset.moe is not None:
            shape["routed_experts"] = preset.moe.routed_experts.value
            shape["experts_per_token"] = preset.moe.experts_per_token.value
        if preset.latent_attention is not None:
            shape["kv_lora_rank"] = preset.latent_attention.kv_lora_rank.value
            shape["rope_head_dim"] = preset.latent_attention.rope_head_dim.value
        shapes[preset.huggingface_id] = shape, f"preset: {path.stem}"
    return shapes


def _longest_prefix(model_id: str, keys) -> str | None:
    lowered = model_id.lower()
    matches = [key for key in keys if lowered.startswith(key.lower())]
    return max(matches, key=len) if matches else None


def shape_of(model_id: str) -> tuple[dict, str]:
    """(shape fields, where they come from) for a model id: a shipped preset first, then the
    table of models no preset describes; ({}, "none") when neither does."""
    key = _longest_prefix(model_id, _preset_shapes())
    if key is not None:
        return _preset_shapes()[key]
    key = _longest_prefix(model_id, _table())
    if key is not None:
        return _table()[key], f"table: {key}"
    return {}, "none"


def architecture_source(m: Measurement) -> str:
    return shape_of(m.model_id)[1]


def unknown_model(m: Measurement) -> str:
    """Why a row's model has no shape ("" when it has one)."""
    if shape_of(m.model_id)[1] != "none":
        return ""
    return (f"model {m.model_id!r}: no shipped model preset (huggingface_id) nor entry of "
            "resources/calibration/architectures.json describes its layers, width and heads")


def row_class(m: Measurement) -> str:
    """The row's model-error class (:func:`app.engine.calibration.error_class`)."""
    return error_class(m.gpu_model, m.is_moe, m.num_gpus > _hardware(m.hardware_id).accelerators_per_server.value)


@dataclass(frozen=True, slots=True)
class Batch:
    """The rows as arrays: the model, the accelerators, the layout and the workload."""

    arch: Architecture
    acc: Accelerator
    layout: Layout
    family: np.ndarray
    """gpu_model of every row (the key of its fitted constants)."""
    batch: np.ndarray
    prompt: np.ndarray
    output: np.ndarray


def _row_shape(m: Measurement) -> dict:
    shape = dict(shape_of(m.model_id)[0])
    if not m.is_moe:
        shape.pop("routed_experts", None)
        shape.pop("experts_per_token", None)
    return shape


@cache
def _hardware(hardware_id: str):
    return load_preset(presets_dir() / "hardware" / f"{hardware_id}.json")


def _gb_s(quantity, default: float) -> float:
    return (quantity.value if quantity is not None else default) * 1e9


def _accelerator_row(m: Measurement) -> dict[str, float]:
    hw = _hardware(m.hardware_id)
    peak = getattr(hw, hw.peak_field(m.precision)).value
    return {
        "peak_flops": peak * 1e12, "attention_peak_flops": hw.peak_tflops_bf16.value * 1e12, "bandwidth": hw.memory_bandwidth_tb_s.value * 1e12,
        "memory_bytes": hw.memory_gb.value * 1e9, "idle_w": hw.idle_power_w.value, "max_w": hw.max_power_w.value,
        "host_w": hw.host_power_w.value, "per_server": hw.accelerators_per_server.value,
        "scale_up_bandwidth": _gb_s(hw.scale_up_bandwidth_gb_s, DEFAULT_SCALE_UP_GB_S),
        "scale_out_bandwidth": _gb_s(hw.scale_out_bandwidth_gb_s, DEFAULT_SCALE_OUT_GB_S),
        "usd_per_second": 0.0, "embodied_kg_per_second": 0.0,
    }


def batch_of(rows: list[Measurement]) -> Batch:
    """The physics' arrays for ``rows``."""
    shapes = [_row_shape(m) for m in rows]
    col = lambda values: np.array(values, dtype=float)  # noqa: E731
    total = col([m.total_params_b * 1e9 for m in rows])
    active = col([m.active_params_b * 1e9 for m in rows])
    wbytes = col([BYTES_PER_VALUE[m.precision] for m in rows])
    experts = col([s.get("routed_experts", 1.0) for s in shapes])
    per_token = col([s.get("experts_per_token", 1.0) for s in shapes])
    # Routed parameters R from total T = D + R and active A = D + (k/E) R.
    routed = np.where(experts > 1, (total - active) / np.maximum(1.0 - per_token / experts, 1e-9), 0.0)
    layers = col([s["layers"] for s in shapes])
    heads = col([s["attention_heads"] for s in shapes])
    head_dim = col([s["head_dim"] for s in shapes])
    kv_heads = col([s["kv_heads"] for s in shapes])
    rank = col([s.get("kv_lora_rank", 0.0) for s in shapes])
    rope = col([s.get("rope_head_dim", 0.0) for s in shapes])
    arch = Architecture(
        active_params=active,
        total_params=total,
        layers=layers,
        hidden=col([s["hidden_size"] for s in shapes]),
        d_attn=heads * head_dim,
        decode_attention_flops=np.where(rank > 0, 2.0 * layers * heads * (2.0 * rank + rope), 4.0 * layers * heads * head_dim),
        # vLLM's default KV cache is 16-bit; latent attention caches the latent and the rotary key
        kv_bytes_per_token=np.where(rank > 0, layers * (rank + rope), 2.0 * layers * kv_heads * head_dim) * 2.0,
        weight_bytes=total * wbytes,
        dense_weight_bytes=(total - routed) * wbytes,
        expert_bytes=np.where(experts > 1, routed / experts, 0.0) * wbytes,
        routed_experts=experts,
        experts_per_token=per_token,
        context_length=np.full(len(rows), 4096.0),
    )
    accs = [_accelerator_row(m) for m in rows]
    acc = Accelerator(**{k: col([a[k] for a in accs]) for k in accs[0]})
    n = col([m.num_gpus for m in rows])
    dp = col([m.data_parallel or 1.0 for m in rows])
    ep = col([(m.expert_parallel or 1.0) if m.is_moe else 1.0 for m in rows])
    layout = Layout(accelerators=n, data_parallel=np.clip(dp, 1.0, n), expert_parallel=np.clip(ep, 1.0, n))
    prompt = col([m.avg_input_len if m.avg_input_len is not None else PROMPT_TOKENS_BY_TASK.get(m.task, DEFAULT_PROMPT_TOKENS) for m in rows])
    return Batch(
        arch=arch, acc=acc, layout=layout, family=np.array([m.gpu_model for m in rows]),
        batch=col([m.avg_batch_size for m in rows]), prompt=prompt, output=col([m.avg_output_len for m in rows]),
    )
