"""Energy, time and cost of one query: prefill, reasoning and answer decode.

A replica of ``n`` accelerators holds all the weights and serves a batch of B
sequences with continuous batching; the time and power of one step come from
:mod:`app.engine.serving`, whose constants are fitted to measured serving
energy (:mod:`app.engine.calibration`, per accelerator family).

* A decode step over B sequences at context c takes the serving step time;
  energy per generated token is the step's energy divided by B, so it falls
  with batch size and rises with context.
* Prefill is chunked into the running batch's steps: a query's prompt costs
  the *extra* time and power its tokens add to those steps (compute on weights
  that the decode step reads anyway), not a weight read of its own.
* Context grows through the reasoning trace and the answer; the cost is
  integrated over the generated tokens with a fixed Gauss-Legendre rule in
  context, never token by token.

Boundaries (see :mod:`app.engine.hardware`): accelerator energy; + host power
under load per accelerator-second (server; :mod:`app.engine.host_power`); + idle capacity of a fleet that is busy only
``fleet_utilisation`` of the time (fleet); x PUE (facility).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from app.engine import calibration, host_power, serving
from app.engine.hardware import Accelerator, Architecture, accelerator, architecture
from app.engine.inputs import MODEL_ERROR, Inputs
from app.engine.results import InferenceResult, reasoning_point_tokens
from app.engine.serving import Layout
from app.engine.shared import Shared

T = TypeVar("T")

USABLE_MEMORY_FRACTION = 0.90
"""Share of accelerator memory available to weights and KV cache.
Source: vLLM's default ``gpu_memory_utilization`` = 0.9 (the rest holds
activations, CUDA graphs and fragmentation)."""

KV_CACHE_RESERVE = 0.30
"""Share of usable accelerator memory a replica keeps free of weights for the
KV cache when it is sized. Assumption: operators pick the tensor-parallel size
so that weights leave room for a working batch; ML.ENERGY serves Llama 3.1 70B
(141 GB of BF16 weights) on 4 H100s (weights fill 44 % of HBM) and 8B on one,
which this reserve reproduces."""

PREFILL_CHUNK_TOKENS = 8192.0
"""Most prompt tokens one step takes in when a deployment does not say
(``deployment.prefill_chunk_tokens``): vLLM's default ``max_num_batched_tokens``
for its OpenAI-compatible server on GPUs with at least 70 GiB other than the A100
(H100, H200, B200, MI300X), 2,048 on smaller ones and 16,384 for its offline
``LLM`` class (vllm-project/vllm, ``vllm/engine/arg_utils.py``,
``EngineArgs.get_batch_defaults``)."""

REASONING_GRID_TOKENS = np.array([0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000], dtype=float)
"""Reasoning lengths at which the Wh of a reasoning query is tabulated for the
chart: doubling steps spanning no reasoning to 32k tokens, past the ~7k-token
mean of reasoning tasks measured by Chung et al. (arXiv 2601.22076)."""

# numpy.polynomial.hermite_e.hermegauss(7) and numpy.polynomial.legendre.leggauss(4), written out: importing
# numpy.polynomial (all six polynomial classes) cost the window's start about 2.5 ms for eight constants.
# tests/test_reasoning_spread.py checks them bit for bit against numpy's.
_SPREAD_NODES = np.array([-3.7504397177257425, -2.366759410734541, -1.1544053947399682, 0.0,
                          1.1544053947399682, 2.366759410734541, 3.7504397177257425])
_SPREAD_WEIGHTS = np.array([0.0013743062164795505, 0.07709667658348317, 0.6018995488855944, 1.145887211259886,
                            0.6018995488855944, 0.07709667658348317, 0.0013743062164795505])
SPREAD_NODES = _SPREAD_NODES
"""Standard-normal quantiles at which a spread of reasoning lengths is evaluated:
a 7-point Gauss-Hermite rule, so the expected energy over a log-normal length
needs 7 decodes, not thousands of samples. Seven because the energy per length
bends where the KV memory caps a long trace's batch (DeepSeek's production
deployment: past about 10,000 tokens): against a fine integral over the normal
variable (tests/test_reasoning_spread.py) 7 points are within 0.3 % up to sigma
1.2 there, where 3 points read 6.4 % low at sigma 1 and 15 % at 1.2 and 5 points
1.9 % low at 1.2. They cost about 0.8 ms more per 1,000-sample reasoning scenario."""
SPREAD_WEIGHTS = _SPREAD_WEIGHTS / _SPREAD_WEIGHTS.sum()

_NODES = np.array([-0.8611363115940526, -0.33998104358485626, 0.33998104358485626, 0.8611363115940526])
_WEIGHTS = np.array([0.34785484513745357, 0.6521451548625464, 0.6521451548625464, 0.34785484513745357])
QUADRATURE_NODES = (_NODES + 1.0) / 2.0
"""Fractions of a generated segment at which the per-token cost is evaluated.
A 4-point Gauss-Legendre rule is exact for polynomials up to degree 7; the
per-token cost is linear in context (or piecewise linear where decode turns
from memory- to compute-bound), so the error is far below the inputs'."""
QUADRATURE_WEIGHTS = _WEIGHTS / 2.0


def replica_size(arch: Architecture, acc: Accelerator) -> np.ndarray:
    """Accelerators per replica: all the weights plus a reserve for the KV cache.

    The replica is sized once for the model, not per query: longer queries do
    not buy more accelerators, they fit fewer sequences in the reserve (see
    :func:`effective_batch`). Tensor-parallel groups are powers of two within a
    server (1, 2, 4, 8), then whole servers.
    """
    per_accelerator = acc.memory_bytes * USABLE_MEMORY_FRACTION * (1.0 - KV_CACHE_RESERVE)
    raw = np.maximum(np.ceil(arch.weight_bytes / per_accelerator), 1.0)
    within = np.minimum(2.0 ** np.ceil(np.log2(raw)), acc.per_server)
    return np.where(raw <= acc.per_server, within, np.ceil(raw / acc.per_server) * acc.per_server)


def kv_room(arch: Architecture, acc: Accelerator, n: np.ndarray) -> np.ndarray:
    """Bytes of a replica of ``n`` accelerators left for the KV cache once it holds the weights: its usable
    memory (:data:`USABLE_MEMORY_FRACTION`) less the weights; negative when it cannot hold them at all
    (:mod:`app.engine.memory_fit` refuses such a deployment)."""
    return n * acc.memory_bytes * USABLE_MEMORY_FRACTION - arch.weight_bytes


def chat_sequence_tokens(inp: Inputs) -> np.ndarray:
    """Tokens of context one chat sequence holds when its answer ends: the usage's prompt and answer. The
    least a replica must hold beside its weights to serve a query at all."""
    return inp["usage.prompt_tokens"] + inp["usage.answer_tokens"]


def holds_one_sequence(arch: Architecture, acc: Accelerator, n: np.ndarray, context: np.ndarray) -> np.ndarray:
    """Whether a replica of ``n`` accelerators holds the weights and one sequence's KV cache at ``context``."""
    return kv_room(arch, acc, n) >= context * arch.kv_bytes_per_token


def effective_batch(
    arch: Architecture, acc: Accelerator, n: np.ndarray, batch: np.ndarray, context: np.ndarray
) -> np.ndarray:
    """The batch that fits the replica's KV memory at ``context`` (at most ``batch``, at least 1).

    Long reasoning traces hold long KV caches, so fewer of them decode together.
    """
    free = kv_room(arch, acc, n)
    fits = np.floor(np.maximum(free, 0.0) / (np.maximum(context, 1.0) * arch.kv_bytes_per_token))
    return np.maximum(np.minimum(batch, fits), 1.0)  # np.clip's result, without its wrapper's cost


SPEED_GRID = np.linspace(0.0, 1.0, 48)
"""Fractions of log(cap) at which :func:`batch_for_speed` tries batches: 48 log-spaced
candidates from 1 to the cap, then linear interpolation of the per-user speed between
the two that bracket the target (the speed falls smoothly with the batch)."""


@dataclass(frozen=True, slots=True)
class Server:
    """A replica serving one model: its size, its per-unit costs and its drafting."""

    accelerators: np.ndarray
    rates: serving.Rates
    token_flops: np.ndarray
    """``2 N_active``: FLOPs of one token through the weights."""
    attention_flops: np.ndarray
    """Attention FLOPs of one decoded token per token of context (``Architecture.decode_attention_flops``)."""
    prefill_attention_flops: np.ndarray
    """``4 L d_attn``: of one prompt token per token of context."""
    width: np.ndarray | float = 1.0
    """Tokens verified per sequence per step: 1 + drafted tokens."""
    accepted: np.ndarray | float = 1.0
    """Tokens gained per sequence per step: ``1 + a + ... + a^d`` for d drafted tokens accepted with probability a."""
    prefill_budget: np.ndarray | float = PREFILL_CHUNK_TOKENS
    """Most prompt tokens one step takes in (:func:`app.engine.serving.prefill_chunk`)."""


def layout_of(inp: Inputs, arch: Architecture, acc: Accelerator) -> Layout:
    """The deployment's replica and parallelism; automatic where it gives none (see :func:`replica_size`).
    Worked out once per inputs, architecture and accelerator (the deployment search reads it after the serving
    model); the kept entry holds the two, so their ids in its key stay theirs."""
    return inp.derived(("layout", id(arch), id(acc)), lambda: (arch, acc, _layout(inp, arch, acc)))[2]


def _layout(inp: Inputs, arch: Architecture, acc: Accelerator) -> Layout:
    given = inp.opt("deployment.accelerators_per_replica", 0.0)
    stated = np.round(given)
    n = stated if np.all(given >= 1.0) else np.where(given >= 1.0, stated, replica_size(arch, acc))
    dp = np.clip(np.round(inp.opt("deployment.data_parallel", 1.0)), 1.0, n)
    ep = inp.opt("deployment.expert_parallel", 0.0)
    ep = np.where(arch.routed_experts > 1, np.where(ep >= 1.0, np.clip(np.round(ep), 1.0, n), n), 1.0)
    return Layout(
        accelerators=n, data_parallel=dp, expert_parallel=ep, dispatch_bytes=inp.choices.dispatch_bytes,
        overlap=np.clip(inp.opt("deployment.communication_overlap", 0.0), 0.0, 1.0),
        per_server_prefill=inp.choices.per_server_prefill, per_server_decode=inp.choices.per_server_decode,
        max_servers=inp.opt("deployment.max_servers_per_token", np.inf),
    )


def default_layout(arch: Architecture, n: np.ndarray) -> Layout:
    """Tensor parallelism over ``n`` accelerators, experts spread over all of them (vLLM's layout)."""
    return Layout(accelerators=n, data_parallel=np.ones_like(n), expert_parallel=np.where(arch.routed_experts > 1, n, 1.0))


def server(
    arch: Architecture, acc: Accelerator, layout: Layout, hardware_name: str = "",
    draft_tokens: np.ndarray | float = 0.0, acceptance: np.ndarray | float = 0.0,
    prefill_budget: np.ndarray | float = PREFILL_CHUNK_TOKENS,
) -> Server:
    """A replica laid out as ``layout``, with the serving constants of ``hardware_name``'s family."""
    constants = calibration.active().for_hardware(hardware_name)
    a = np.clip(acceptance, 0.0, 1.0 - 1e-9)
    accepted = (1.0 - a ** (draft_tokens + 1.0)) / (1.0 - a)
    return Server(
        layout.accelerators, serving.rates(arch, acc, layout, constants),
        2.0 * arch.active_params, arch.decode_attention_flops, 4.0 * arch.layers * arch.d_attn,
        serving.alike(1.0 + draft_tokens), accepted, prefill_budget,
    )


def served_by(
    shared: Shared | None, arch: Architecture, acc: Accelerator, layout: Layout, hardware_name: str,
    draft_tokens: np.ndarray | float = 0.0, acceptance: np.ndarray | float = 0.0,
    prefill_budget: np.ndarray | float = PREFILL_CHUNK_TOKENS,
) -> Server:
    """:func:`server`, lent by another scenario of the same evaluation that serves on the very same replica
    (``shared``; a model and its reasoning variant on one deployment): its rates are worked out once, and the
    batch search, prefill and decode that scenario lends are then found by the server's identity."""
    return lent(shared, "server", (hardware_name, layout, arch, acc, draft_tokens, acceptance, prefill_budget),
                lambda: server(arch, acc, layout, hardware_name, draft_tokens, acceptance, prefill_budget))


def batch_for_speed(srv: Server, cap: np.ndarray, context: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The largest batch (at most ``cap``) at which each user still gets ``target`` tokens per second.

    Per-user speed is ``accepted / t_step(B)``, which mostly falls as B grows; for a mixture of experts it
    can rise again over a stretch of batches (each expert's weights are read once per step, so the reads
    per token fall until every expert is read). The batch is interpolated after the *last* candidate fast
    enough, not after a count of fast ones, so such a stretch neither hides a larger batch that meets the
    target nor mixes two crossings. When even a batch of 1 is too slow, the batch is 1 (the target cannot be met).
    """
    log_cap = np.log(np.maximum(cap, 1.0))
    if log_cap.ndim == 1 and log_cap.size > 1 and log_cap.min() == log_cap.max():
        log_cap = log_cap[:1]  # one cap for every sample (the usual case): its candidates are worked out once
    grid = np.exp(SPEED_GRID.reshape((-1,) + (1,) * log_cap.ndim) * log_cap)
    speed = srv.accepted / serving.step_seconds(srv.rates, grid, context, srv.width)
    fast = speed >= target
    # One past the last fast candidate (0: none is fast enough; every one: the cap is).
    last_from_end = np.argmax(fast[::-1], axis=0)
    count = np.where(fast.any(axis=0), grid.shape[0] - last_from_end, 0).astype(np.intp)
    lower, upper = np.maximum(count - 1, 0), np.minimum(count, grid.shape[0] - 1)
    below, above, s_below, s_above = _down(grid, lower), _down(grid, upper), _down(speed, lower), _down(speed, upper)
    weight = np.clip((s_below - target) / np.maximum(s_below - s_above, 1e-30), 0.0, 1.0)
    solved = np.exp(np.log(below) + weight * (np.log(above) - np.log(below)))
    return np.where(count == 0, 1.0, np.where(count == grid.shape[0], cap, np.floor(solved)))


def _down(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index[j], j]`` at every position ``j`` of the trailing axes: ``np.take_along_axis(values,
    index[None], axis=0)[0]``, without its per-call checks where the shapes already agree (and one value
    per row, the same for every position, read by its row alone)."""
    if values[0].size == 1:
        return values.reshape(values.shape[0]).take(index)
    if values.shape[1:] != index.shape:
        return np.take_along_axis(values, index[None], axis=0)[0]
    columns = index.size
    flat = index.reshape(columns) * columns
    flat += np.arange(columns)
    return np.ravel(values).take(flat).reshape(index.shape)


NO_CAP = 1e7
"""The batch cap when neither the deployment nor an older usage file sets one: the KV memory and the
service level decide (:func:`effective_batch`, :func:`batch_for_speed`)."""
SERVICE_LEVEL_SPEED = "market.service_level.tokens_per_second_per_user"
SERVICE_LEVEL_FIRST_TOKEN = "market.service_level.time_to_first_token_s"


def speed_target(inp: Inputs) -> np.ndarray | None:
    """The per-user speed the batch must leave: the deployment's own promise (a published one),
    else the comparison's service level; None for neither (the batch is the memory's or the cap's)."""
    if "deployment.tokens_per_second_per_user" in inp:
        return inp["deployment.tokens_per_second_per_user"]
    return inp.values.get(SERVICE_LEVEL_SPEED)


def decode_step(srv: Server, batch: np.ndarray, context: np.ndarray) -> serving.Step:
    """Time, power and FLOPs of one decode step over ``batch`` sequences at ``context``."""
    return serving.step(srv.rates, batch, context, width=srv.width)


@dataclass(frozen=True, slots=True)
class Work:
    """Cost of a piece of a query, attributed to one sequence."""

    joules: np.ndarray
    """Accelerator energy."""
    accelerator_seconds: np.ndarray
    wall_seconds: np.ndarray
    flops: np.ndarray | None
    """None where nothing reads them: a query's figures do not, training's rollouts do."""



def prefill(
    srv: Server, batch: np.ndarray, prompt: np.ndarray, generated: np.ndarray, cached: np.ndarray | float = 0.0,
    flops: bool = True,
) -> Work:
    """A prompt taken into the steps of a running batch of ``batch`` sequences.

    A share ``cached`` of the prompt is found in a prefix cache and not computed.
    In steady state the batch takes in ``x = batch accepted new / generated`` new
    prompt tokens per step on average, a whole prompt at a time (several when x
    exceeds one prompt), in chunks of at most the server's ``prefill_budget``
    (:func:`app.engine.serving.prefill_chunk`). The prompt costs the difference
    between a step carrying such a chunk and a pure decode step, per chunk token,
    times its new tokens. Its wall time (the time to first token, without
    queueing) is the steps that carry it (one when it fits a chunk), then the
    step that decodes the first token (at the prompt's context).
    """
    context = prompt + generated / 2.0
    new = prompt * (1.0 - cached)
    position = prompt * (1.0 + cached) / 2.0  # mean context of a new prompt token
    chunk = serving.prefill_chunk(new, batch * srv.accepted * new / np.maximum(generated, 1.0), srv.prefill_budget)
    # The pure decode step, the mixed one and the first token's step in one call: a step
    # that takes in no prompt tokens is exactly the decode step.
    rows = (3, *np.shape(chunk))
    contexts, chunks, positions = np.empty(rows), np.zeros(rows), np.zeros(rows)
    contexts[:2], contexts[2] = context, prompt
    chunks[1], positions[1] = chunk, position
    steps = serving.step(srv.rates, batch, contexts, chunks, positions, srv.width)
    (pure_s, mixed_s, first_s), (pure_j, mixed_j, _) = steps.seconds, steps.joules
    n = srv.accelerators
    share = new / chunk
    extra_s = np.maximum(mixed_s - pure_s, 0.0) * share
    joules = np.maximum(mixed_j - pure_j, 0.0) * n * share
    wall = np.where(prompt > 0, np.maximum(share, 1.0) * mixed_s, 0.0) + first_s
    counted = new * (srv.token_flops + position * srv.prefill_attention_flops) if flops else None
    return Work(joules, n * extra_s, wall, counted)


def _weighted_sum(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.tensordot(weights, values, axes=1)``, the same dot product, without its per-call overhead
    (a dozen calls per scenario)."""
    return np.dot(weights.reshape(1, -1), values.reshape(weights.size, -1)).reshape(np.shape(values)[1:])


def decode(srv: Server, batch: np.ndarray, start: np.ndarray, tokens: np.ndarray, flops: bool = True) -> Work:
    """Generating ``tokens`` tokens from context ``start``, at batch ``batch``.

    The per-token cost at context c is E_step(B, c) / (B accepted); it is integrated over
    c from ``start`` to ``start + tokens`` with a fixed Gauss-Legendre rule.
    FLOPs are linear in context, so they are exact at the segment's mid-point.
    Leading axes of the inputs broadcast (samples, reasoning-length grids).
    """
    nodes = QUADRATURE_NODES.reshape((-1,) + (1,) * len(np.broadcast_shapes(np.shape(start), np.shape(tokens), np.shape(batch), np.shape(srv.accelerators))))
    step = decode_step(srv, batch, start + nodes * tokens)
    steps = tokens / srv.accepted  # each step gains `accepted` tokens per sequence
    per_step_seconds = _weighted_sum(QUADRATURE_WEIGHTS, step.seconds)
    per_step_joules = _weighted_sum(QUADRATURE_WEIGHTS, step.joules)
    n = srv.accelerators
    counted = steps * srv.width * (srv.token_flops + srv.attention_flops * (start + tokens / 2.0)) if flops else None
    return Work(n * steps * per_step_joules / batch, n * steps * per_step_seconds / batch, steps * per_step_seconds, counted)


@dataclass(frozen=True, slots=True)
class Site:
    """What turns one accelerator's energy into energy at a boundary, and into CO2e and water.

    The terms that do not depend on the work (the host's, the idle fleet's) are worked out
    once here: a query's figures ask for the energy of a dozen pieces of work."""

    level: int
    pue: np.ndarray
    grid_kg_per_kwh: np.ndarray
    wue_l_per_kwh: np.ndarray
    electricity_water_l_per_kwh: np.ndarray
    host: host_power.Host | None
    """The host's draw (server boundary and beyond)."""
    idle_draw_w: np.ndarray | None
    """Idle capacity's power per busy accelerator (fleet boundary and beyond): the idle share
    ``(1 - utilisation) / utilisation`` of the accelerator's and its host's idle power."""

    @classmethod
    def of(cls, inp: Inputs, level: int, acc: Accelerator, fleet_utilisation: np.ndarray | None = None) -> Site:
        idle_draw = None
        if level >= 2:
            utilisation = np.ones(inp.samples) if fleet_utilisation is None else fleet_utilisation
            idle_share = (1.0 - utilisation) / utilisation
            idle_draw = idle_share * (acc.idle_w + host_power.idle_w(acc.host_w))
        return cls(
            level=level,
            pue=inp["datacenter.pue"],
            grid_kg_per_kwh=inp["datacenter.grid_kgco2e_per_kwh"],
            wue_l_per_kwh=inp["datacenter.wue_l_per_kwh"],
            electricity_water_l_per_kwh=inp["datacenter.electricity_water_l_per_kwh"],
            host=host_power.Host.of(acc.host_w, acc.idle_w, acc.max_w) if level >= 1 else None,
            idle_draw_w=idle_draw,
        )

    def it_joules(self, work: Work) -> np.ndarray:
        """Energy before the facility overhead, within the boundary."""
        joules = work.joules
        if self.host is not None:  # the host's energy over the work, at the accelerators' activity
            joules = joules + self.host.joules(work.joules, work.accelerator_seconds)
        if self.idle_draw_w is not None:
            joules = joules + self.idle_draw_w * work.accelerator_seconds
        return joules

    def joules(self, work: Work) -> np.ndarray:
        it = self.it_joules(work)
        return it * self.pue if self.level >= 3 else it

    def water_litres(self, it_kwh: np.ndarray, kwh: np.ndarray) -> np.ndarray:
        """Site cooling water on IT energy plus the water of generating the electricity."""
        return it_kwh * self.wue_l_per_kwh + kwh * self.electricity_water_l_per_kwh


def _add(first: Work, *rest: Work) -> Work:
    """The sum of two or three pieces of work."""
    if not rest:
        return first
    second, *more = rest
    total = Work(
        first.joules + second.joules,
        first.accelerator_seconds + second.accelerator_seconds,
        first.wall_seconds + second.wall_seconds,
        None if first.flops is None or second.flops is None else first.flops + second.flops,
    )
    return _add(total, *more)


def reasoning_tokens(inp: Inputs) -> np.ndarray:
    """Reasoning tokens of a reasoning-mode query: the usage's figure, else the model's.

    A model without reasoning writes none, whatever the usage profile asks.
    """
    if not inp.choices.has_reasoning:
        return np.zeros(inp.samples)
    if "usage.reasoning_tokens_per_query" in inp:
        return inp["usage.reasoning_tokens_per_query"]
    return inp.opt("model.reasoning.reasoning_tokens_per_query", 0.0)


def prompt_cache_share(inp: Inputs) -> np.ndarray:
    """Share of prompt tokens served from the prefix cache: the deployment's when it states one (a
    published deployment's measured hit rate), else the market's (the workload's repeated prefixes)."""
    if "deployment.prompt_cache_share" in inp:
        return inp["deployment.prompt_cache_share"]
    return inp.opt("market.prompt_cache_share", 0.0)


def reasoning_share(inp: Inputs) -> np.ndarray:
    """Share of queries answered in reasoning mode: the market's when it sets one, else the usage
    profile's (:attr:`~app.domain.library.ResolvedScenario.reasoning_share_path`)."""
    return inp.opt(inp.choices.reasoning_share_path, 0.0)


def reasoning_lengths(mean: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reasoning lengths (nodes x samples) and their weights standing for a log-normal of ``mean`` and ``sigma``.

    Lengths are ``mean x exp(sigma z - sigma^2 / 2)`` at the Gauss-Hermite nodes z, scaled so that
    their weighted mean is exactly ``mean`` (tokens written are unchanged). Without any spread, one node: the mean.
    """
    if not np.any(sigma > 0):
        return mean[None], np.ones(1)
    shape = np.exp(sigma * SPREAD_NODES[:, None] - sigma**2 / 2.0)
    shape = shape / _weighted_sum(SPREAD_WEIGHTS, shape)
    return mean * shape, SPREAD_WEIGHTS


def _expected(work: Work, weights: np.ndarray) -> Work:
    """The weighted mean of work over its leading (node) axis."""
    def mean(values: np.ndarray) -> np.ndarray:
        return _weighted_sum(weights, values)
    flops = None if work.flops is None else mean(work.flops)
    return Work(mean(work.joules), mean(work.accelerator_seconds), mean(work.wall_seconds), flops)


def lent(shared: Shared | None, name: str, arguments: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, a figure of ``arguments`` alone: another scenario's of this evaluation with the very same
    arguments, bit for bit, when ``shared`` keeps one (:meth:`app.engine.shared.Shared.equal`)."""
    return compute() if shared is None else shared.equal(name, arguments, compute)


def compute(inp: Inputs, level: int, grid: bool = True, point_tokens: float | None = None,
            shared: Shared | None = None) -> InferenceResult:
    """Per-query inference figures of a scenario's usage profile.

    ``grid=False`` skips the table of Wh against reasoning length (its arrays are empty).
    ``point_tokens`` is the length of the table's point at the scenario's own reasoning length
    (default: :func:`reasoning_point_tokens` of these samples; a caller computing slices of one
    draw passes the whole draw's, so that every slice has the same point). ``shared`` lends the batch
    search, prefill and decode of another scenario of the same evaluation served alike, such as the
    same model on the same deployment in another datacenter or market (``app.engine.shared``).
    """
    arch = architecture(inp)
    acc = accelerator(inp, "hardware", inp.choices.serving_peak_field)
    prompt = inp["usage.prompt_tokens"]
    answer = inp["usage.answer_tokens"]
    reasoning = reasoning_tokens(inp)
    share = reasoning_share(inp)
    cap = inp["deployment.batch_size"] if "deployment.batch_size" in inp else inp.opt("usage.batch_size", NO_CAP)
    utilisation = np.clip(inp["usage.fleet_utilisation"], 1e-3, 1.0)
    site = Site.of(inp, level, acc, utilisation)

    chat_context = prompt + answer / 2.0
    lengths_k, weights_k = reasoning_lengths(reasoning, inp.opt("model.reasoning.reasoning_length_sigma", 0.0))
    k = weights_k.size
    layout = layout_of(inp, arch, acc)
    n = layout.accelerators
    srv = served_by(
        shared, arch, acc, layout, inp.choices.hardware_name,
        inp.opt("deployment.draft_tokens", 0.0), inp.opt("deployment.draft_acceptance", 0.0),
        inp.opt("deployment.prefill_chunk_tokens", PREFILL_CHUNK_TOKENS),
    )
    batch = np.maximum(cap, 1.0)
    speed = speed_target(inp)
    if speed is not None:
        capped = batch
        batch = lent(shared, "batch for speed", (chat_context, capped, speed, srv.accepted, srv.width, srv.rates),
                     lambda: batch_for_speed(srv, capped, chat_context, speed))  # keyed by what the search reads
    chat_batch = effective_batch(arch, acc, n, batch, chat_context)
    reasoning_batch = effective_batch(arch, acc, n, batch, prompt + (lengths_k + answer) / 2.0)

    generated_mean, cached = answer + share * reasoning, prompt_cache_share(inp)
    pre = lent(shared, "prefill", (generated_mean, chat_batch, prompt, cached, srv),  # a query's figures read no FLOPs
               lambda: prefill(srv, chat_batch, prompt, generated_mean, cached, flops=False))
    # Every generated segment in one vectorised call: chat answer, reasoning trace and
    # answer after the trace at each reasoning length of the spread (one: the mean, without
    # spread), then a reasoning query (trace and answer together) at each length of the
    # chart's reasoning grid. A model without reasoning writes no trace, and its answer
    # after one is the chat answer: neither is decoded.
    traced = inp.choices.has_reasoning
    lengths = REASONING_GRID_TOKENS if grid else REASONING_GRID_TOKENS[:0]
    # The chart's point at the scenario's own length is one more row of its grid: a point of the curve
    # (without the grid, as in the deployment search, neither is computed).
    if grid:
        own = reasoning_point_tokens(reasoning) if point_tokens is None else point_tokens
        point = np.append(lengths, own)
    else:
        point = lengths
    generated_on_grid = point[:, None] + answer  # a reasoning query's trace and answer at each length
    grid_batch = effective_batch(arch, acc, n, batch, prompt + generated_on_grid / 2.0)
    batches = [chat_batch[None], grid_batch]
    starts = [prompt[None], np.broadcast_to(prompt, grid_batch.shape)]
    tokens = [answer[None], generated_on_grid]
    if traced:
        batches[1:1] = [reasoning_batch, reasoning_batch]
        starts[1:1] = [np.broadcast_to(prompt, lengths_k.shape), prompt + lengths_k]
        tokens[1:1] = [lengths_k, np.broadcast_to(answer, lengths_k.shape)]
    rows = (np.concatenate(batches), np.concatenate(starts), np.concatenate(tokens))
    segments = lent(shared, "decode", (*rows, srv), lambda: decode(srv, *rows, flops=False))

    def segment(rows: slice | int) -> Work:
        return Work(segments.joules[rows], segments.accelerator_seconds[rows], segments.wall_seconds[rows], None)

    chat_answer, grid_queries = segment(0), segment(slice(1 + 2 * k if traced else 1, None))
    chat_query = _add(pre, chat_answer)
    if traced:
        thinking = _expected(segment(slice(1, 1 + k)), weights_k)
        late_answer = _expected(segment(slice(1 + k, 1 + 2 * k)), weights_k)
        reasoning_query = _add(pre, thinking, late_answer)
    else:  # no trace: a reasoning-mode query is a chat query
        none = np.zeros(inp.samples)
        thinking, late_answer = Work(none, none, none, None), chat_answer
        reasoning_query = chat_query
    # The serving model's error scales a query's time, and so (every boundary being
    # linear in time and energy) each figure below: applied once per figure, not per segment.
    error = inp.opt(MODEL_ERROR, 1.0)

    known: dict[int, tuple[Work, np.ndarray]] = {}

    def wh(work: Work) -> np.ndarray:
        """Wh of a piece of work at the boundary, once per piece (without a trace, the
        reasoning-mode figures are those of the chat answer itself)."""
        if id(work) not in known:
            known[id(work)] = work, site.joules(work) * (error / 3600.0)
        return known[id(work)][1]

    prefill_wh = wh(pre)
    answer_wh = (1.0 - share) * wh(chat_answer) + share * wh(late_answer)
    reasoning_wh = share * wh(thinking)
    wh_per_query = prefill_wh + answer_wh + reasoning_wh

    busy_s = ((1.0 - share) * chat_query.accelerator_seconds + share * reasoning_query.accelerator_seconds) * error
    paid_s = busy_s / utilisation
    usd = acc.usd_per_second * paid_s
    generated = answer + share * reasoning
    chat_it = site.it_joules(chat_query)
    reasoning_it = chat_it if reasoning_query is chat_query else site.it_joules(reasoning_query)
    it_wh = ((1.0 - share) * chat_it + share * reasoning_it) * (error / 3600.0)
    embodied_g = acc.embodied_kg_per_second * paid_s * 1000.0
    co2e_g = wh_per_query * site.grid_kg_per_kwh + embodied_g
    water_ml = site.water_litres(it_wh, wh_per_query)  # Wh x L/kWh = mL

    decode_seconds = ((1.0 - share) * chat_answer.wall_seconds + share * (thinking.wall_seconds + late_answer.wall_seconds)) * error

    on_grid = prefill_wh + wh(grid_queries)

    return InferenceResult(
        wh_per_query=wh_per_query,
        prefill_wh=prefill_wh,
        answer_wh=answer_wh,
        reasoning_wh=reasoning_wh,
        accelerators_per_replica=n,
        effective_batch=(1.0 - share) * chat_batch + share * _weighted_sum(weights_k, reasoning_batch),
        holds_one_sequence=np.broadcast_to(holds_one_sequence(arch, acc, n, chat_sequence_tokens(inp)), (inp.samples,)).copy(),
        time_to_first_token_s=pre.wall_seconds * error,
        tokens_per_second=generated / decode_seconds,
        usd_per_query=usd,
        usd_per_million_tokens=usd / generated * 1e6,
        co2e_g_per_query=co2e_g,
        embodied_co2e_g_per_query=embodied_g,
        water_ml_per_query=water_ml,
        joules_per_output_token=wh_per_query * 3600.0 / generated,
        reasoning_tokens=np.broadcast_to(reasoning, (inp.samples,)).copy(),
        reasoning_grid_tokens=lengths.copy(),
        wh_vs_reasoning=on_grid[: lengths.size],
        wh_per_reasoning_query=on_grid[-1] if grid else np.zeros(0),
    )
