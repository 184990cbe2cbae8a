"""Turn measured configurations into the serving physics' arrays (one element per row).

A row gives total and active parameters, precision, accelerator, GPU count and
parallelism. What it does not give (layers, width, heads, routed experts) comes
from ``resources/calibration/architectures.json``, matched by the longest
model id that begins the row's ``model_id``; a model not listed there gets
:func:`default_shape`, and the output says which.

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

DEFAULT_EXPERTS = (128.0, 8.0)
"""(routed experts, experts per token) of an MoE model not in the table
(assumption: the fine-grained routing of most MoE models in the calibration set)."""

DEFAULT_ASPECT = 100.0
"""d_model / layers of a model not in the table (assumption: Llama 3 8B has 128,
70B 102, Qwen3 8B 114, 32B 80), so ``N_active = 12 L d^2`` gives L and d."""

DEFAULT_KV_HEADS, DEFAULT_HEAD_DIM = 8.0, 128.0
"""Grouped-query attention of a model not in the table (assumption: the usual 8 KV heads of 128)."""


@cache
def _table() -> dict[str, dict]:
    return json.loads((resources_dir() / "calibration" / "architectures.json").read_text(encoding="utf-8"))["models"]


def shape_of(model_id: str) -> tuple[dict, str]:
    """(shape fields, where they come from) for a model id."""
    lowered = model_id.lower()
    matches = [key for key in _table() if lowered.startswith(key.lower())]
    if matches:
        key = max(matches, key=len)
        return _table()[key], f"table: {key}"
    return {}, "defaults"


def default_shape(active_params: float, moe: bool) -> dict:
    """Layers, width and heads from the active parameters alone (see the DEFAULT_ constants)."""
    layers = max(round((active_params / (12.0 * DEFAULT_ASPECT**2)) ** (1.0 / 3.0)), 1)
    hidden = max(round(DEFAULT_ASPECT * layers / DEFAULT_HEAD_DIM), 1) * DEFAULT_HEAD_DIM
    shape = {"layers": layers, "hidden_size": hidden, "attention_heads": hidden / DEFAULT_HEAD_DIM,
             "kv_heads": DEFAULT_KV_HEADS, "head_dim": DEFAULT_HEAD_DIM}
    if moe:
        shape["routed_experts"], shape["experts_per_token"] = DEFAULT_EXPERTS
    return shape


def architecture_source(m: Measurement) -> str:
    return shape_of(m.model_id)[1]


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
    shape, _ = shape_of(m.model_id)
    moe = m.is_moe
    full = default_shape(m.active_params_b * 1e9, moe)
    full.update(shape)
    if not moe:
        full.pop("routed_experts", None)
        full.pop("experts_per_token", None)
    return full


@cache
def _hardware(hardware_id: str):
    return load_preset(presets_dir() / "hardware" / f"{hardware_id}.json")


def _gb_s(quantity, default: float) -> float:
    return (quantity.value if quantity is not None else default) * 1e9


def _accelerator_row(m: Measurement) -> dict[str, float]:
    hw = _hardware(m.hardware_id)
    peak = getattr(hw, hw.peak_field(m.precision)).value
    return {
        "peak_flops": peak * 1e12, "bandwidth": hw.memory_bandwidth_tb_s.value * 1e12,
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
    arch = Architecture(
        active_params=active,
        total_params=total,
        layers=layers,
        hidden=col([s["hidden_size"] for s in shapes]),
        d_attn=heads * head_dim,
        kv_bytes_per_token=2.0 * layers * kv_heads * head_dim * 2.0,  # vLLM's default KV cache is 16-bit
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
