"""Serving physics: the time and power of one step of a continuously batched server.

One replica of ``n`` accelerators serves ``B`` sequences at once. Each decode
step produces one token for every sequence and takes

    t = t_step + t_seq * B / dp + max(t_kv, t_attn) + max(t_weights, t_gemm) + t_comm

(attention and the weight GEMMs are separate kernels, each bound by its own roofline:
FlashAttention/FlashMLA streams the KV cache or is bound by its FLOPs while the weights
wait, and the other way round)

* ``t_step`` and ``t_seq``: the serving software's fixed time per step and per
  sequence per step (scheduler, sampler, kernel launches) that no roofline sees;
* ``t_weights``: the weights' bytes read per accelerator at an effective bandwidth
  (narrow 8- and 4-bit weights at :data:`NARROW_DENSE_EFFICIENCY` or, routed experts,
  :data:`NARROW_EXPERT_EFFICIENCY` of it): dense weights
  (split over the attention's tensor-parallel group) and the routed experts the
  batch touches, ``E (1 - (1 - k/E)^B)`` of ``E``, spread over all ``n``
  accelerators (with expert parallelism the busiest one sets the pace: load
  imbalance);
* ``t_gemm``: the weights' FLOPs per accelerator, ``2 N_active`` per token at the
  weights' precision's peak, at an effective share of peak;
* ``t_kv``: the KV cache of every sequence at its context, read at the effective bandwidth;
* ``t_attn``: attention's FLOPs over the context at the BF16 peak (``4 L d_attn`` per
  context token, or for latent attention in decode ``2 L h (576 + 512)`` as FlashMLA counts
  it), at the same share of peak;
* ``t_comm``: two collectives per layer, each a fixed latency plus the bytes of
  the step's tokens over a link: the tensor-parallel all-reduce (a ring, ``2 (g-1)/g``
  of the activations per accelerator) and, with expert parallelism, the all-to-all
  dispatch (in the deployment's dispatch precision, e.g. FP8) and combine (16-bit)
  of each token to its ``k`` experts. Inside a server the bytes cross the scale-up
  links (NVLink: the hardware's one-way bandwidth at :data:`SCALE_UP_EFFICIENCY`); the share
  of the all-to-all bound for other servers crosses each accelerator's network share
  (InfiniBand/RoCE NIC, at :data:`SCALE_OUT_EFFICIENCY`) at the same time, so the
  slower of the two sets the pace; a ring spanning servers runs at the slower of a
  scale-up link and the server's NICs together (its rings share them). Each expert
  copy crosses the network separately (DeepEP's low-latency kernels, used for decode)
  unless the deployment dispatches a phase per server: then a token crosses it once
  per other server holding any of its experts (:func:`remote_servers`, capped by a
  node limit) and is forwarded there over the scale-up links, and the combine comes
  back summed per server (DeepEP's normal kernels, "NVLink and RDMA forwarding",
  deepseek-ai/DeepEP README; DeepSeek-V3 report, arXiv 2412.19437, sec. 3.2.2, whose
  prefill uses them, sec. 3.4.1, with at most 4 nodes per token in training). A
  collective leaving the server adds :data:`SCALE_OUT_LATENCY_US`. A deployment's
  ``communication_overlap`` hides that share of the all-to-all time behind the
  computation of the other of two micro-batches (two-batch overlap), each of which
  reads the weights again.

Prefill is chunked into the same steps (vLLM's default): a step that takes in a
prompt takes all of it, up to the scheduler's token budget (:func:`prefill_chunk`),
and the prompt costs what that step costs beyond a pure decode step: its tokens'
compute, ``(2 N_active + 2 L p d_attn)`` FLOPs per token, the experts they
touch beyond the decode's, and their share of the all-to-all. Power per accelerator is
``idle + (max - idle) * activity`` with activity a fitted base plus shares for
memory streaming and tensor work, weighted by the time each takes.

The constants are fitted to measured serving energy (``jevons calibrate fit``;
:mod:`app.engine.calibration`), per accelerator family where the data support it.
Everything here is vectorised: every argument broadcasts (samples, grids, rows).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from app.engine.shared import same

T = TypeVar("T")

if TYPE_CHECKING:  # types only: hardware imports sampling, which imports the calibration
    from app.engine.hardware import Accelerator, Architecture


SCALE_OUT_EFFICIENCY = 0.78
"""Share of a NIC's nominal bandwidth an all-to-all reaches between servers: DeepEP's
low-latency decode kernels measured 39-40 GB/s per H800 at EP128-256 against the
~50 GB/s of its CX7 400 Gb/s InfiniBand NIC (deepseek-ai/DeepEP README, "Low-latency
kernels with pure RDMA"). Not fitted: the calibration data are single servers. Kept
for per-server dispatch too, where DeepEP's normal kernels measured 43-58 GB/s of
"bottleneck" RDMA bandwidth per H800 at EP16-64 (same README, "Normal kernels with
NVLink and RDMA forwarding"), so the engine is not optimistic there."""

SCALE_UP_EFFICIENCY = 0.78
"""Share of the scale-up links' one-way bandwidth (half the datasheet's both-directions
figure) a collective reaches inside a server: DeepEP's intranode kernels measured 153 GB/s
(dispatch) and 158 GB/s (combine) per H800 at EP8 over NVLink, whose one-way bandwidth is
200 GB/s (deepseek-ai/DeepEP README, "Normal kernels with NVLink and RDMA forwarding"):
0.77-0.79. Not fitted: the calibration used to fit it, and took 0.08 of NVLink 5 on B200
(74 GB/s), a software overhead no microbenchmark shows; the collectives' fixed latency,
fitted under a stated bound, carries their software cost instead."""

NARROW_EXPERT_EFFICIENCY = 0.5
"""Share of the streaming bandwidth at which the fused-MoE kernels read routed experts' weights
narrower than 16 bits (FP8, FP4 and their block-scaled forms): a measured software overhead, not
physics, bounded by 1 (the narrow bytes at the BF16 kernels' bandwidth) and 0.5 (no faster per
parameter than 16-bit weights). The measurements sit at the lower bound: vLLM's block-FP8 MoE kernels
decode Qwen3-235B-A22B on 8 H100s in 0.86-1.22x the BF16 release's inter-token latency at the same
batch (8-192 sequences; ML.ENERGY Leaderboard v3, resources/calibration/ml_energy_v3_llm.csv),
where half the bytes would take half the time (the routed experts are 97 % of its weights). Fixed
there, not fitted: fitted, it absorbed other errors (0.35 on B200, slower than BF16) and predicted
held-out FP8 models worse."""

NARROW_DENSE_EFFICIENCY = 0.75
"""The same share for dense weights (a dense model's layers; an MoE model's attention, shared
experts and dense layers), read by dense narrow GEMMs (CUTLASS or cuBLASLt FP8 with per-tensor or
per-channel scales applied in the epilogue, as in TensorRT-LLM and vLLM), which the ML.ENERGY data
do not measure: every FP8 row there is an MoE model. Stated from a published dense measurement:
Mistral 7B on one H100 under TensorRT-LLM at 32 sequences (80 prompt, 100 answer tokens) writes
33 % more tokens per second per user in FP8 than in FP16 (Baseten, "33% faster LLM inference with
FP8 quantization", 2024); the engine gives 1.35x for that step at 0.75 (Llama 3.1 8B's shape,
Mistral 7B's but for the vocabulary). Other published dense figures are faster (NVIDIA's
Llama-3.1-405B-Instruct-FP8 model card: 1.7x on H200; vLLM's FP8 documentation: up to 1.6x
throughput), so the stated share leans against narrow dense weights rather than for them."""

SCALE_OUT_LATENCY_US = 3.5
"""Added to a collective whose traffic leaves the server: GPU-to-GPU latency over
InfiniBand with GPUDirect RDMA, 3-4 us (Mellanox, "InfiniBand In-Network Computing
Technology and Roadmap", 2019)."""


@dataclass(frozen=True, slots=True)
class ServingConstants:
    """The fitted constants of one accelerator family (see the module docstring).

    Each is one number, or an array over calibration rows when the fit evaluates
    every row at its own family's constants (``app.calibration.fit``)."""

    step_overhead_ms: float | np.ndarray
    sequence_overhead_us: float | np.ndarray
    bandwidth_efficiency: float | np.ndarray
    compute_efficiency: float | np.ndarray
    collective_latency_us: float | np.ndarray
    expert_imbalance: float | np.ndarray
    power_base: float | np.ndarray
    power_memory: float | np.ndarray
    power_compute: float | np.ndarray

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def as_vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in self.names()], dtype=float)

    @classmethod
    def from_vector(cls, vector: np.ndarray) -> ServingConstants:
        return cls(*(float(v) for v in vector))


CEILINGS = {
    "bandwidth_efficiency": 0.95, "compute_efficiency": 0.75, "power_base": 1.0,
    "step_overhead_ms": 10.0, "sequence_overhead_us": 100.0, "collective_latency_us": 50.0,
}
"""Upper bounds of the serving constants (all are at least 0), which the fit keeps to and a
calibration file is checked against. Fractions: kernels stream HBM at
up to ~90-95 % of peak and dense GEMMs reach ~70-75 % of peak (assumption: vendor and vLLM kernel
benchmarks); a decode workload rarely makes compute bind, so without a ceiling the fit would drift
to an unphysical 100 %. Software overheads, bounded so that none can stand in for a missing
physical term (assumptions, stated with their ranges): the serving engine's fixed time per step
(scheduler, sampler, input preparation, CUDA-graph launch) at most 10 ms; its time per sequence
per step (sampling, detokenisation, bookkeeping) at most 100 us; a collective's fixed latency at
most 50 us, several times NCCL's small-message all-reduce latency inside one NVLink server."""

DIVISORS = ("bandwidth_efficiency", "compute_efficiency")
"""Constants a time is divided by (the share of peak bandwidth and compute reached): above 0."""


@dataclass(frozen=True, slots=True)
class Layout:
    """How a replica's accelerators share the model."""

    accelerators: np.ndarray
    data_parallel: np.ndarray
    """Attention replicas inside the replica (DP attention); 1 is plain tensor parallelism."""
    expert_parallel: np.ndarray
    """Accelerators the routed experts are spread over whole (1: experts split by tensor parallelism)."""
    dispatch_bytes: np.ndarray | float = 2.0
    """Bytes per activation value the all-to-all dispatch sends (1 for FP8 dispatch); the combine sends 2."""
    overlap: np.ndarray | float = 0.0
    """Share of the all-to-all time hidden behind the other micro-batch's computation (0: one batch, no overlap)."""
    per_server_prefill: bool | np.ndarray = False
    """Prefill tokens cross the network once per destination server, then NVLink (DeepEP's normal kernels);
    per sample or column, or for all."""
    per_server_decode: bool = False
    """Decode tokens too; False sends each expert copy separately (DeepEP's low-latency kernels)."""
    max_servers: np.ndarray | float = np.inf
    """Most servers a token's experts may span (node-limited routing); inf: no limit."""

    @property
    def attention_group(self) -> np.ndarray:
        """Accelerators that split one attention replica (tensor parallelism)."""
        return self.accelerators / self.data_parallel


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the whole replica: decode of ``batch`` sequences, plus chunked prefill."""

    seconds: np.ndarray
    joules: np.ndarray
    """Per accelerator: power (``idle + (max - idle) x activity``) times the step's time."""

    @property
    def power_w(self) -> np.ndarray:
        """Per accelerator, averaged over the step."""
        return self.joules / self.seconds


@dataclass(frozen=True, slots=True)
class Rates:
    """A replica's costs per unit of work, computed once so that a step is a few array operations.

    Times are in seconds per accelerator: per step, per sequence, per byte
    class, per FLOP; ``experts`` is False for a dense model (its expert terms
    are skipped).
    """

    fixed_s: np.ndarray
    per_sequence_s: np.ndarray
    dense_read_s: np.ndarray
    expert_read_s: np.ndarray
    """Reading one routed expert (over all layers), before load imbalance."""
    kv_read_s: np.ndarray
    """Per token of context of one sequence."""
    token_flop_s: np.ndarray
    """Of the ``2 N_active`` FLOPs of one token."""
    attention_flop_s: np.ndarray
    """Of the attention FLOPs of a decoded token per context token (``Architecture.decode_attention_flops``)."""
    prefill_attention_flop_s: np.ndarray
    """Of a prompt token per context token (``4 L d_attn``)."""
    comm_fixed_s: np.ndarray
    """Collectives that are never hidden (the tensor-parallel all-reduce): latency per step."""
    comm_per_token_s: np.ndarray
    all_reduce: bool
    """Whether any sample's step moves tensor-parallel activations (``comm_per_token_s`` is not all 0):
    without, a step adds no per-token collective time, not even 0 x its tokens."""
    all_to_all_fixed_s: np.ndarray
    """Expert parallelism's dispatch and combine: latency per step."""
    all_to_all_per_token_s: np.ndarray
    """Per decoded (or verified) token."""
    all_to_all_per_prefill_token_s: np.ndarray
    """Per prompt token chunked into the step (differs when only prefill is dispatched per server)."""
    overlap: np.ndarray | float
    overlapping: bool
    """Whether any sample overlaps (splits its batch in two micro-batches)."""
    micro_batches: np.ndarray | float
    experts: bool
    routed: np.ndarray
    miss: np.ndarray
    """``1 - k/E``: the chance that one token skips a given expert."""
    imbalance_scale: np.ndarray
    """``c_imb sqrt(2 ln ep / (k / ep))`` (0 without expert parallelism); divided by sqrt(tokens)."""
    idle_w: np.ndarray
    range_w: np.ndarray
    power_base: np.ndarray | float
    power_memory: np.ndarray | float
    power_compute: np.ndarray | float


def rates(arch: Architecture, acc: Accelerator, layout: Layout, c: ServingConstants) -> Rates:
    """The per-unit costs of serving ``arch`` on ``layout`` accelerators ``acc`` with constants ``c``."""
    n = layout.accelerators
    group = layout.attention_group
    ep = layout.expert_parallel
    bandwidth = acc.bandwidth * c.bandwidth_efficiency
    narrow = arch.weight_bytes < 2.0 * arch.total_params
    dense_narrow = np.where(narrow, NARROW_DENSE_EFFICIENCY, 1.0)
    expert_narrow = np.where(narrow, NARROW_EXPERT_EFFICIENCY, 1.0)
    compute = n * acc.peak_flops * c.compute_efficiency
    attention = n * acc.attention_peak_flops * c.compute_efficiency  # attention computes in BF16
    scale_up = acc.scale_up_bandwidth / 2.0 * SCALE_UP_EFFICIENCY  # one direction
    scale_out = acc.scale_out_bandwidth * SCALE_OUT_EFFICIENCY
    latency = c.collective_latency_us * 1e-6
    hop = SCALE_OUT_LATENCY_US * 1e-6
    moe = arch.routed_experts > 1
    spread = (ep > 1) & moe
    # A collective no sample uses costs nothing, and its terms are not worked out (each would be 0).
    none = np.zeros(np.broadcast_shapes(np.shape(n), np.shape(arch.layers)))
    none.setflags(write=False)
    # Tensor-parallel all-reduce, two per layer: a ring moves 2 (g-1)/g of the 16-bit activations per
    # accelerator over each of its links. A ring leaving the server crosses one NIC per server per ring,
    # and a server's rings share all its NICs (NCCL: one channel per NIC), so the server's whole network
    # bandwidth, not one accelerator's share, carries what one scale-up link carries.
    tp = group > 1
    comm_per_token = comm_fixed = none
    all_reduce = False
    if tp.any():
        tp_out = group > acc.per_server
        tp_link = np.where(tp_out, np.minimum(scale_up, acc.per_server * scale_out), scale_up)
        comm_per_token = np.where(tp, 2.0 * arch.layers * arch.hidden * 2.0 * 2.0 * (group - 1) / group / layout.data_parallel / tp_link, 0.0)
        comm_fixed = 2.0 * arch.layers * (latency + hop * tp_out) * tp
        all_reduce = bool(comm_per_token.any())
    # Expert-parallel dispatch and combine, once per layer each: every token's k copies, from the
    # accelerator holding it (tokens / ep each) to its experts' accelerators; the share on the same
    # server crosses the scale-up links while the share bound for other servers crosses the NIC.
    # Per-server dispatch sends one copy per other server instead, forwarded there over the scale-up links.
    a2a_per_token = a2a_per_prefill_token = a2a_fixed = overlap = imbalance_scale = none
    if spread.any():
        k = arch.experts_per_token
        local = np.minimum(ep, acc.per_server)
        servers = ep / local
        per_value = arch.layers * arch.hidden * (layout.dispatch_bytes + 2.0) / ep
        inside, outside = k * (local - 1.0) / ep, k * (ep - local) / ep  # copies per token held
        per_copy = per_server = per_value * np.maximum(inside / scale_up, outside / scale_out)
        if layout.per_server_decode or np.any(layout.per_server_prefill):
            forwarded = outside * (local - 1.0) / local  # remote copies not on the receiving accelerator
            remote = remote_servers(arch.routed_experts, k, servers, layout.max_servers)
            per_server = per_value * np.maximum((inside + forwarded) / scale_up, remote / scale_out)
        a2a_per_token = np.where(spread, per_server if layout.per_server_decode else per_copy, 0.0)
        a2a_per_prefill_token = np.where(spread, np.where(layout.per_server_prefill, per_server, per_copy), 0.0)
        a2a_fixed = 2.0 * arch.layers * (latency + hop * (ep > acc.per_server)) * spread
        overlap = np.where(spread, layout.overlap, 0.0)
        imbalance_scale = np.where(
            spread, c.expert_imbalance * np.sqrt(2.0 * np.log(np.maximum(ep, 1.0)) * ep / arch.experts_per_token), 0.0
        )
    overlapped = overlap > 0
    share = arch.experts_per_token / arch.routed_experts
    values: dict[str, Any] = dict(
        fixed_s=np.full(np.shape(n), c.step_overhead_ms * 1e-3),
        per_sequence_s=c.sequence_overhead_us * 1e-6 / layout.data_parallel,
        dense_read_s=arch.dense_weight_bytes / group / (bandwidth * dense_narrow),
        expert_read_s=arch.expert_bytes / n / (bandwidth * expert_narrow),
        kv_read_s=arch.kv_bytes_per_token / n / bandwidth,
        token_flop_s=2.0 * arch.active_params / compute,
        attention_flop_s=arch.decode_attention_flops / attention,
        prefill_attention_flop_s=4.0 * arch.layers * arch.d_attn / attention,
        comm_fixed_s=comm_fixed,
        comm_per_token_s=comm_per_token,
        all_reduce=all_reduce,
        all_to_all_fixed_s=a2a_fixed,
        all_to_all_per_token_s=a2a_per_token,
        all_to_all_per_prefill_token_s=a2a_per_prefill_token,
        overlap=overlap,
        overlapping=bool(overlapped.any()),
        micro_batches=np.where(overlapped, 2.0, 1.0),
        experts=bool(np.any(moe)),
        routed=arch.routed_experts,
        miss=1.0 - share,
        imbalance_scale=imbalance_scale,
        idle_w=acc.idle_w,
        range_w=acc.max_w - acc.idle_w,
        power_base=c.power_base,
        power_memory=c.power_memory,
        power_compute=c.power_compute,
    )
    return Rates(**{name: alike(value) for name, value in values.items()})


def alike(value: T) -> T:
    """``value``, or its first entry alone (shape ``(1,)``) when every sample has the very same bits: a rate that no
    range moves (most are: the model's shape and the fitted constants have none) then enters each term of a step
    once and broadcasts to the samples only where a term meets one that differs, such as the context. The batch
    search's 48 candidate batches thus share their weights' and experts' times over the samples. Every figure is
    the same, bit for bit: each sample's operations read the same values."""
    if (isinstance(value, np.ndarray) and value.ndim == 1 and value.size > 1 and value[0] == value[-1]
            and same(value[1:], value[:-1])):  # each value's bits those of the one before
        return cast(T, value[:1].copy())
    return value


def remote_servers(routed: np.ndarray, per_token: np.ndarray, servers: np.ndarray, limit: np.ndarray | float) -> np.ndarray:
    """Expected other servers holding at least one of a token's ``k`` experts: the copies per-server
    dispatch sends over the network per token.

    ``E`` experts spread evenly over ``n`` servers (``e = E / n`` each), ``k`` of them picked
    uniformly without replacement from ``m = min(limit, n)`` servers chosen uniformly (node-limited
    routing; ``m = n`` without a limit):
    ``(n - 1) (m / n) (1 - C((m - 1) e, k) / C(m e, k))``.
    Without a limit this is ``(n - 1) (1 - C(E - e, k) / C(E, k))``, about ``(n - 1) (1 - (1 - 1/n)^k)``;
    it never exceeds the ``k (n - 1) / n`` remote copies of per-copy dispatch and equals it for
    ``k = 1`` or one expert per server. The picks are a leading axis, multiplied down in order.
    """
    k = np.asarray(per_token, dtype=float)
    chosen = np.minimum(limit, servers)
    each = routed / servers
    pool = chosen * each
    picks = np.arange(int(np.max(k)), dtype=float).reshape((-1,) + (1,) * np.ndim(pool))
    # the i-th pick also misses a given chosen server: (m e - e - i) / (m e - i) of what is left
    term = np.divide(pool - each - picks, np.maximum(pool - picks, 1e-12))
    np.minimum(np.maximum(term, 0.0, out=term), 1.0, out=term)  # np.clip's result, without its wrapper's cost
    if not picks[-1] < k.min():  # some token picks fewer experts than the most
        term = np.where(picks < k, term, 1.0)
    missed = np.multiply.reduce(term, axis=0)
    shape = np.broadcast_shapes(k.shape, np.shape(pool))
    if missed.shape != shape:
        missed = np.ones(shape) * missed
    return (servers - 1.0) * chosen / servers * (1.0 - missed)


def prefill_chunk(new: np.ndarray, per_step: np.ndarray, budget: np.ndarray | float) -> np.ndarray:
    """Prompt tokens a step that takes in prompts computes: a whole prompt of ``new`` tokens (or
    several, when prompts arrive faster than one per step: ``per_step`` on average), at most
    ``budget`` (the scheduler's token budget, which cuts a longer prompt into chunks). Schedulers
    (vLLM, SGLang) take a waiting prompt as a whole chunk, not a few tokens per decode step, so the
    weights and experts such a step reads are shared by the chunk's tokens."""
    return np.maximum(np.minimum(np.maximum(new, per_step), budget), 1e-9)


def _touched(routed: np.ndarray, miss: np.ndarray, at_least_one: np.ndarray) -> np.ndarray:
    """Distinct routed experts per layer that ``at_least_one`` tokens (one or more) reach under uniform
    routing, ``E (1 - (1 - k/E)^tokens)`` with ``miss`` = ``1 - k/E``, in one new array."""
    touched = np.power(*_along_last_axis(miss, at_least_one))
    np.subtract(1.0, touched, out=touched)
    return _into(np.multiply, touched, routed)


def _along_last_axis(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``first`` and ``second``, the one shorter along the last axis repeated along it: numpy's vectorised power
    reads its operands contiguously along that axis and falls back to a loop five times slower when one of them
    is a single value broadcast along it (a rate alike in every sample, :func:`alike`)."""
    if first.shape[-1] < second.shape[-1]:
        return np.broadcast_to(first, (*first.shape[:-1], second.shape[-1])).copy(), second
    if second.shape[-1] < first.shape[-1]:
        return first, np.broadcast_to(second, (*second.shape[:-1], first.shape[-1])).copy()
    return first, second


def step(
    r: Rates,
    batch: np.ndarray,
    context: np.ndarray,
    prefill_tokens: np.ndarray | float | None = None,
    prefill_context: np.ndarray | float = 0.0,
    width: np.ndarray | float = 1.0,
) -> Step:
    """A step decoding ``batch`` sequences at mean ``context``, with ``prefill_tokens``
    prompt tokens chunked in (each attending over ``prefill_context`` tokens on
    average: half the prompt). ``width`` tokens per sequence are verified per step
    (1 + drafted tokens with multi-token prediction or speculative decoding):
    they add compute, expert reads and traffic, not weight or KV reads.

    Under expert parallelism the busiest accelerator's expert work is
    ``1 + c_imb sqrt(2 ln ep / m)`` times the mean, with ``m = tokens k / ep``
    expert-token pairs per accelerator (the maximum of ep Poisson counts).
    With two-batch overlap each of the two micro-batches reads the weights (and
    touches experts with half the tokens), and ``overlap`` of the shorter of
    computation and all-to-all is hidden: ``t = work + a2a - overlap min(work, a2a)``.
    """
    seconds, parts = _timed(r, batch, context, prefill_tokens, prefill_context, width, power=True)
    assert parts is not None
    t_kv, memory, t_attn, compute = parts
    # Activity, then power: in the buffers of the times no longer needed (no new full-shape arrays).
    t_kv = _into(np.add, t_kv, memory)
    t_attn = _into(np.add, t_attn, compute)
    active = _into(np.multiply, t_kv, r.power_memory)
    term = _into(np.multiply, t_attn, r.power_compute)
    active = _into(np.add, active, term)
    active = _into(np.add, active, _into(np.multiply, seconds, r.power_base, term))
    active = _into(np.minimum, active, seconds)
    active = _into(np.multiply, active, r.range_w)
    active = _into(np.add, active, _into(np.multiply, seconds, r.idle_w, term))
    return Step(seconds, active)


def step_seconds(r: Rates, batch: np.ndarray, context: np.ndarray, width: np.ndarray | float = 1.0) -> np.ndarray:
    """The time of :func:`step` (a decode step) alone, without its power: what a search over batches reads."""
    return _timed(r, batch, context, None, 0.0, width, power=False)[0]


def _timed(
    r: Rates,
    batch: np.ndarray,
    context: np.ndarray,
    prefill_tokens: np.ndarray | float | None,
    prefill_context: np.ndarray | float,
    width: np.ndarray | float,
    power: bool,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None]:
    """:func:`step`'s seconds, and (with ``power``) the attention's and the weights' memory and compute times
    its power reads: ``(t_kv, memory, t_attn, compute)``, the KV read and attention FLOPs against the
    weights' read (``memory``) and GEMM FLOPs (``compute``).

    Terms that depend on the batch alone are computed at the batch's shape, before broadcasting
    against the context (the quadrature nodes); each term is built in as few new arrays as its
    shape allows, in the order of the formula's operations (every figure the same, bit for bit).
    """
    decoded = batch * width
    tokens = decoded if prefill_tokens is None else decoded + prefill_tokens
    # Terms of the batch's shape first; the context broadcasts them to the full shape.
    m = r.micro_batches if r.overlapping else 1.0
    memory = r.dense_read_s * m
    if r.experts:
        part = tokens / m if r.overlapping else tokens  # tokens per micro-batch
        at_least_one = np.maximum(part, 1.0)
        expert = _touched(r.routed, r.miss, at_least_one)  # the batch's shape and the rates'
        # Each micro-batch reads its experts: the m (1 or 2, a power of two: the same product in any
        # order, bit for bit) goes on the rate, not on the batch's whole array.
        expert = _into(np.multiply, expert, r.expert_read_s * m if r.overlapping else r.expert_read_s)
        imbalance = np.divide(r.imbalance_scale, np.sqrt(at_least_one, out=at_least_one))
        imbalance += 1.0
        expert = _into(np.multiply, expert, imbalance)
        memory = _into(np.add, expert, memory)
    compute = tokens * r.token_flop_s
    weights = np.maximum(memory, compute)  # the GEMM kernels' roofline
    overhead = np.multiply(batch, r.per_sequence_s)
    overhead = _into(np.add, r.fixed_s + r.comm_fixed_s, overhead, overhead)
    if r.all_reduce:
        overhead = _into(np.add, overhead, tokens * r.comm_per_token_s)
    if not r.experts:
        all_to_all: np.ndarray | float = 0.0
    else:
        traffic = np.multiply(decoded, r.all_to_all_per_token_s)
        traffic = _into(np.add, r.all_to_all_fixed_s, traffic, traffic)
        if prefill_tokens is not None:
            traffic = _into(np.add, traffic, prefill_tokens * r.all_to_all_per_prefill_token_s)
        if not r.overlapping:
            overhead = _into(np.add, overhead, traffic)
        all_to_all = traffic
    # The attention kernels' roofline: the KV cache read against the attention FLOPs.
    sequence_context = batch * context
    if not power and prefill_tokens is None:
        # Both are the tokens of context times a rate: the larger rate gives the larger time (a product
        # with the same non-negative factor keeps its order, rounded too), in one pass instead of three.
        t_kv = t_attn = None
        seconds = sequence_context * np.maximum(r.kv_read_s, r.attention_flop_s * width)
    else:
        t_kv = sequence_context * r.kv_read_s
        t_attn = _into(np.multiply, sequence_context, r.attention_flop_s * width)
        if prefill_tokens is not None:
            t_attn = t_attn + prefill_tokens * prefill_context * r.prefill_attention_flop_s
        seconds = np.maximum(t_kv, t_attn)
    seconds = _into(np.add, seconds, weights)
    if r.overlapping:
        hidden = _into(np.multiply, np.minimum(seconds, all_to_all), r.overlap)
        seconds = _into(np.add, seconds, _into(np.subtract, all_to_all, hidden, hidden))
    seconds = _into(np.add, seconds, overhead)
    return seconds, (None if t_kv is None or t_attn is None else (t_kv, memory, t_attn, compute))


def _into(operation: np.ufunc, first: np.ndarray | float, second: np.ndarray | float, buffer: np.ndarray | None = None) -> np.ndarray:
    """``operation(first, second)`` in ``buffer`` (by default ``first``), an array of the step's own that is no longer
    read, when the result has its shape; else a new array. A term whose rates are alike in every sample keeps the
    shape of the batch (:func:`alike`), so one that differs by sample may widen it."""
    try:
        return operation(first, second, out=first if buffer is None else buffer)
    except ValueError:  # a wider result than the buffer
        return operation(first, second)
