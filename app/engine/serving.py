"""Serving physics: the time and power of one step of a continuously batched server.

One replica of ``n`` accelerators serves ``B`` sequences at once. Each decode
step produces one token for every sequence and takes

    t = t_step + t_seq * B / dp + max(t_mem, t_comp) + t_comm

* ``t_step`` and ``t_seq``: the serving software's fixed time per step and per
  sequence per step (scheduler, sampler, kernel launches) that no roofline sees;
* ``t_mem``: bytes read per accelerator at an effective bandwidth (lower for
  8- and 4-bit weights, whose kernels dequantise as they read): dense weights
  (split over the attention's tensor-parallel group), the routed experts the
  batch touches, ``E (1 - (1 - k/E)^B)`` of ``E``, spread over all ``n``
  accelerators (with expert parallelism the busiest one sets the pace: load
  imbalance), and the KV cache of every sequence at its context;
* ``t_comp``: FLOPs per accelerator (``2 N_active`` per token plus attention
  over the context) at an effective share of peak;
* ``t_comm``: two collectives per layer (tensor-parallel all-reduce; with expert
  parallelism, all-to-all dispatch and combine), each a fixed latency plus the
  bytes of the step's tokens over an effective link bandwidth.

Prefill is chunked into the same steps (vLLM's default): the prompt's tokens add
compute, ``(2 N_active + 2 L p d_attn)`` FLOPs per token, while the weights are
read anyway by the decode step. Power per accelerator is
``idle + (max - idle) * activity`` with activity a fitted base plus shares for
memory streaming and tensor work, weighted by the time each takes.

The constants are fitted to measured serving energy (``jevons calibrate fit``;
:mod:`app.engine.calibration`), per accelerator family where the data support it.
Everything here is vectorised: every argument broadcasts (samples, grids, rows).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from app.engine.hardware import Accelerator, Architecture


@dataclass(frozen=True, slots=True)
class ServingConstants:
    """The fitted constants of one accelerator family (see the module docstring)."""

    step_overhead_ms: float
    sequence_overhead_us: float
    bandwidth_efficiency: float
    compute_efficiency: float
    collective_latency_us: float
    link_bandwidth_gb_s: float
    expert_imbalance: float
    narrow_weight_efficiency: float
    power_base: float
    power_memory: float
    power_compute: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in self.names()], dtype=float)

    @classmethod
    def from_vector(cls, vector: np.ndarray) -> ServingConstants:
        return cls(*(float(v) for v in vector))


@dataclass(frozen=True, slots=True)
class Layout:
    """How a replica's accelerators share the model."""

    accelerators: np.ndarray
    data_parallel: np.ndarray
    """Attention replicas inside the replica (DP attention); 1 is plain tensor parallelism."""
    expert_parallel: np.ndarray
    """Accelerators the routed experts are spread over whole (1: experts split by tensor parallelism)."""

    @property
    def attention_group(self) -> np.ndarray:
        """Accelerators that split one attention replica (tensor parallelism)."""
        return self.accelerators / self.data_parallel


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the whole replica: decode of ``batch`` sequences, plus chunked prefill."""

    seconds: np.ndarray
    power_w: np.ndarray
    """Per accelerator, averaged over the step."""
    flops: np.ndarray
    """Of the whole replica."""


def touched_experts(arch: Architecture, tokens: np.ndarray) -> np.ndarray:
    """Distinct routed experts per layer that ``tokens`` tokens reach under uniform routing."""
    share = arch.experts_per_token / arch.routed_experts
    return arch.routed_experts * (1.0 - (1.0 - share) ** np.maximum(tokens, 1.0))


def imbalance(arch: Architecture, layout: Layout, tokens: np.ndarray, c: ServingConstants) -> np.ndarray:
    """Busiest accelerator's expert work over the mean, under expert parallelism.

    Each accelerator receives about ``m = tokens k / n`` expert-token pairs; the
    busiest of ``n`` gets about ``m + sqrt(2 m ln n)`` (the maximum of n Poisson
    counts), scaled by the fitted ``expert_imbalance`` (1 = random routing).
    """
    n = layout.expert_parallel
    m = np.maximum(tokens * arch.experts_per_token / np.maximum(n, 1.0), 1.0)
    extra = c.expert_imbalance * np.sqrt(2.0 * np.log(np.maximum(n, 1.0)) / m)
    return np.where((n > 1) & (arch.routed_experts > 1), 1.0 + extra, 1.0)


def _communication(arch: Architecture, layout: Layout, tokens: np.ndarray, c: ServingConstants) -> np.ndarray:
    link = c.link_bandwidth_gb_s * 1e9
    latency = c.collective_latency_us * 1e-6
    group = layout.attention_group
    activation_bytes = arch.hidden * 2.0  # activations travel in 16-bit
    allreduce = np.where(
        group > 1,
        2.0 * arch.layers * (latency + (tokens / layout.data_parallel) * activation_bytes * 2.0 * (group - 1) / group / link),
        0.0,
    )
    ep = layout.expert_parallel
    all_to_all = np.where(
        (ep > 1) & (arch.routed_experts > 1),
        2.0 * arch.layers * (latency + tokens * arch.experts_per_token * activation_bytes * (ep - 1) / ep / ep / link),
        0.0,
    )
    return allreduce + all_to_all


def _power(acc: Accelerator, t_mem: np.ndarray, t_comp: np.ndarray, t: np.ndarray, c: ServingConstants) -> np.ndarray:
    activity = np.clip(c.power_base + (c.power_memory * t_mem + c.power_compute * t_comp) / t, 0.0, 1.0)
    return acc.idle_w + (acc.max_w - acc.idle_w) * activity


def step(
    arch: Architecture,
    acc: Accelerator,
    layout: Layout,
    c: ServingConstants,
    batch: np.ndarray,
    context: np.ndarray,
    prefill_tokens: np.ndarray | float = 0.0,
    prompt: np.ndarray | float = 0.0,
) -> Step:
    """A step decoding ``batch`` sequences at mean ``context``, with ``prefill_tokens``
    prompt tokens (of prompts ``prompt`` long) chunked in."""
    n = layout.accelerators
    tokens = batch + prefill_tokens
    experts = touched_experts(arch, tokens) * arch.expert_bytes
    moved = (
        arch.dense_weight_bytes / layout.attention_group
        + experts * imbalance(arch, layout, tokens, c) / n
        + batch * context * arch.kv_bytes_per_token / n
    )
    narrow = np.where(arch.weight_bytes < 2.0 * arch.total_params, c.narrow_weight_efficiency, 1.0)
    t_mem = moved / (acc.bandwidth * c.bandwidth_efficiency * narrow)
    decode_flops = batch * (2.0 * arch.active_params + 4.0 * arch.layers * context * arch.d_attn)
    prefill_flops = prefill_tokens * (2.0 * arch.active_params + 2.0 * arch.layers * prompt * arch.d_attn)
    flops = decode_flops + prefill_flops
    t_comp = flops / (n * acc.peak_flops * c.compute_efficiency)
    seconds = (
        c.step_overhead_ms * 1e-3
        + c.sequence_overhead_us * 1e-6 * batch / layout.data_parallel
        + np.maximum(t_mem, t_comp)
        + _communication(arch, layout, tokens, c)
    )
    return Step(seconds, _power(acc, t_mem, t_comp, seconds, c), flops)
