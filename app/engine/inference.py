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

Boundaries (see :mod:`app.engine.hardware`): accelerator energy; + host share
per accelerator-second (server); + idle capacity of a fleet that is busy only
``fleet_utilisation`` of the time (fleet); x PUE (facility).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from app.engine import calibration, serving
from app.engine.hardware import Accelerator, Architecture, accelerator, architecture
from app.engine.results import InferenceResult
from app.engine.sampling import MODEL_ERROR, Inputs
from app.engine.serving import Layout

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

HOST_IDLE_FRACTION = 0.50
"""Share of the host (CPU, memory, network) power still drawn by an idle
server. Assumption: server idle power is roughly half of its loaded power
(SPECpower-class servers)."""

REASONING_GRID_TOKENS = np.array([0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000], dtype=float)
"""Reasoning lengths at which the Wh of a reasoning query is tabulated for the
chart: doubling steps spanning no reasoning to 32k tokens, past the ~7k-token
mean of reasoning tasks measured by Chung et al. (arXiv 2601.22076)."""

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(4)
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


def effective_batch(
    arch: Architecture, acc: Accelerator, n: np.ndarray, batch: np.ndarray, context: np.ndarray
) -> np.ndarray:
    """The batch that fits the replica's KV memory at ``context`` (at most ``batch``, at least 1).

    Long reasoning traces hold long KV caches, so fewer of them decode together.
    """
    free = n * acc.memory_bytes * USABLE_MEMORY_FRACTION - arch.weight_bytes
    fits = np.floor(np.maximum(free, 0.0) / (np.maximum(context, 1.0) * arch.kv_bytes_per_token))
    return np.clip(np.minimum(batch, fits), 1.0, None)


@dataclass(frozen=True, slots=True)
class Server:
    """A replica serving one model: its size and its per-unit costs (:class:`~app.engine.serving.Rates`)."""

    accelerators: np.ndarray
    rates: serving.Rates
    token_flops: np.ndarray
    """``2 N_active``: FLOPs of one token through the weights."""
    attention_flops: np.ndarray
    """``4 L d_attn``: attention FLOPs of one token per token of context."""


def server(arch: Architecture, acc: Accelerator, n: np.ndarray, hardware_name: str = "") -> Server:
    """A replica of ``n`` accelerators as vLLM lays it out: tensor parallel, experts spread over all of them."""
    moe = arch.routed_experts > 1
    layout = Layout(accelerators=n, data_parallel=np.ones_like(n), expert_parallel=np.where(moe, n, 1.0))
    constants = calibration.active().for_hardware(hardware_name)
    return Server(n, serving.rates(arch, acc, layout, constants), 2.0 * arch.active_params, 4.0 * arch.layers * arch.d_attn)


def decode_step(srv: Server, batch: np.ndarray, context: np.ndarray) -> serving.Step:
    """Time, power and FLOPs of one decode step over ``batch`` sequences at ``context``."""
    return serving.step(srv.rates, batch, context)


@dataclass(frozen=True, slots=True)
class Work:
    """Cost of a piece of a query, attributed to one sequence."""

    joules: np.ndarray
    """Accelerator energy."""
    accelerator_seconds: np.ndarray
    wall_seconds: np.ndarray
    flops: np.ndarray

    def scaled(self, error: np.ndarray) -> Work:
        """This work with its time (and so its energy) multiplied by the serving model's error factor."""
        return Work(self.joules * error, self.accelerator_seconds * error, self.wall_seconds * error, self.flops)


def prefill(srv: Server, batch: np.ndarray, prompt: np.ndarray, generated: np.ndarray) -> Work:
    """A prompt chunked into the steps of a running batch of ``batch`` sequences.

    In steady state each step takes in ``x = batch prompt / generated`` prompt
    tokens; the prompt costs the difference between such a mixed step and a
    pure decode step, per prompt token, times its length. Its wall time (the
    time to first token, without queueing) is that share of steps plus one step.
    """
    context = prompt + generated / 2.0
    chunk = np.maximum(batch * prompt / np.maximum(generated, 1.0), 1e-9)
    pure = decode_step(srv, batch, context)
    mixed = serving.step(srv.rates, batch, context, chunk, prompt)
    n = srv.accelerators
    share = prompt / chunk
    extra_s = np.maximum(mixed.seconds - pure.seconds, 0.0) * share
    joules = np.maximum(mixed.joules - pure.joules, 0.0) * n * share
    wall = np.where(prompt > 0, extra_s + pure.seconds, 0.0)
    flops = prompt * (srv.token_flops + 0.5 * prompt * srv.attention_flops)
    return Work(joules, n * extra_s, wall, flops)


def decode(srv: Server, batch: np.ndarray, start: np.ndarray, tokens: np.ndarray) -> Work:
    """Generating ``tokens`` tokens from context ``start``, at batch ``batch``.

    The per-token cost at context c is E_step(B, c) / B; it is integrated over
    c from ``start`` to ``start + tokens`` with a fixed Gauss-Legendre rule.
    FLOPs are linear in context, so they are exact at the segment's mid-point.
    Leading axes of the inputs broadcast (samples, reasoning-length grids).
    """
    nodes = QUADRATURE_NODES.reshape((-1,) + (1,) * len(np.broadcast_shapes(np.shape(start), np.shape(tokens), np.shape(batch), np.shape(srv.accelerators))))
    step = decode_step(srv, batch, start + nodes * tokens)
    per_token_seconds = np.tensordot(QUADRATURE_WEIGHTS, step.seconds, axes=1)
    per_step_joules = np.tensordot(QUADRATURE_WEIGHTS, step.joules, axes=1)
    n = srv.accelerators
    flops = tokens * (srv.token_flops + srv.attention_flops * (start + tokens / 2.0))
    return Work(n * tokens * per_step_joules / batch, n * tokens * per_token_seconds / batch, tokens * per_token_seconds, flops)


@dataclass(frozen=True, slots=True)
class Site:
    """What turns accelerator energy into energy at a boundary, and into CO2e and water."""

    level: int
    fleet_utilisation: np.ndarray
    pue: np.ndarray
    grid_kg_per_kwh: np.ndarray
    wue_l_per_kwh: np.ndarray
    electricity_water_l_per_kwh: np.ndarray

    @classmethod
    def of(cls, inp: Inputs, level: int, fleet_utilisation: np.ndarray | None = None) -> Site:
        return cls(
            level=level,
            fleet_utilisation=np.ones(inp.samples) if fleet_utilisation is None else fleet_utilisation,
            pue=inp["datacenter.pue"],
            grid_kg_per_kwh=inp["datacenter.grid_kgco2e_per_kwh"],
            wue_l_per_kwh=inp["datacenter.wue_l_per_kwh"],
            electricity_water_l_per_kwh=inp["datacenter.electricity_water_l_per_kwh"],
        )

    def it_joules(self, acc: Accelerator, work: Work) -> np.ndarray:
        """Energy before the facility overhead, within the boundary."""
        joules = work.joules
        if self.level >= 1:
            joules = joules + acc.host_w * work.accelerator_seconds
        if self.level >= 2:
            idle_share = (1.0 - self.fleet_utilisation) / self.fleet_utilisation
            idle_w = acc.idle_w + (HOST_IDLE_FRACTION * acc.host_w if self.level >= 1 else 0.0)
            joules = joules + idle_share * idle_w * work.accelerator_seconds
        return joules

    def joules(self, acc: Accelerator, work: Work) -> np.ndarray:
        it = self.it_joules(acc, work)
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
        first.flops + second.flops,
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


def compute(inp: Inputs, level: int, grid: bool = True) -> InferenceResult:
    """Per-query inference figures of a scenario's usage profile.

    ``grid=False`` skips the table of Wh against reasoning length (its arrays are empty).
    """
    arch = architecture(inp)
    acc = accelerator(inp, "hardware", inp.choices.serving_peak_field)
    prompt = inp["usage.prompt_tokens"]
    answer = inp["usage.answer_tokens"]
    reasoning = reasoning_tokens(inp)
    share = inp.opt("usage.reasoning_share", 0.0)
    batch = np.maximum(inp["usage.batch_size"], 1.0)
    utilisation = np.clip(inp["usage.fleet_utilisation"], 1e-3, 1.0)
    site = Site.of(inp, level, utilisation)

    chat_context = prompt + answer / 2.0
    reasoning_context = prompt + (reasoning + answer) / 2.0
    n = replica_size(arch, acc)
    chat_batch = effective_batch(arch, acc, n, batch, chat_context)
    reasoning_batch = effective_batch(arch, acc, n, batch, reasoning_context)
    srv = server(arch, acc, n, inp.choices.hardware_name)

    pre = prefill(srv, chat_batch, prompt, answer + share * reasoning)
    # Every generated segment in one vectorised call: chat answer, reasoning trace,
    # answer after the trace, then a reasoning query (trace and answer together)
    # at each length of the reasoning grid.
    # The scenario's own reasoning length is one more row, so the chart's marker sits on the curve.
    lengths = REASONING_GRID_TOKENS if grid else REASONING_GRID_TOKENS[:0]
    grid = np.concatenate([np.broadcast_to(lengths[:, None], (lengths.size, inp.samples)), reasoning[None]])
    grid_batch = effective_batch(arch, acc, n, batch, prompt + (grid + answer) / 2.0)
    segments = decode(
        srv,
        np.concatenate([np.stack([chat_batch, reasoning_batch, reasoning_batch]), grid_batch]),
        np.concatenate([np.stack([prompt, prompt, prompt + reasoning]), np.broadcast_to(prompt, grid_batch.shape)]),
        np.concatenate([np.stack([answer, reasoning, answer]), grid + answer]),
    )

    def segment(rows: slice | int) -> Work:
        return Work(segments.joules[rows], segments.accelerator_seconds[rows], segments.wall_seconds[rows], segments.flops[rows])

    error = inp.opt(MODEL_ERROR, 1.0)
    pre = pre.scaled(error)
    chat_answer, thinking, late_answer, grid_queries = (
        segment(0).scaled(error), segment(1).scaled(error), segment(2).scaled(error), segment(slice(3, None)).scaled(error)
    )

    def wh(work: Work) -> np.ndarray:
        return site.joules(acc, work) / 3600.0

    prefill_wh = wh(pre)
    answer_wh = (1.0 - share) * wh(chat_answer) + share * wh(late_answer)
    reasoning_wh = share * wh(thinking)
    wh_per_query = prefill_wh + answer_wh + reasoning_wh

    chat_query = _add(pre, chat_answer)
    reasoning_query = _add(pre, thinking, late_answer)
    busy_s = (1.0 - share) * chat_query.accelerator_seconds + share * reasoning_query.accelerator_seconds
    paid_s = busy_s / utilisation
    usd = acc.usd_per_second * paid_s
    generated = answer + share * reasoning
    it_wh = (1.0 - share) * site.it_joules(acc, chat_query) / 3600 + share * site.it_joules(acc, reasoning_query) / 3600
    embodied_g = acc.embodied_kg_per_second * paid_s * 1000.0
    co2e_g = wh_per_query * site.grid_kg_per_kwh + embodied_g
    water_ml = site.water_litres(it_wh, wh_per_query)  # Wh x L/kWh = mL

    decode_seconds = (1.0 - share) * chat_answer.wall_seconds + share * (thinking.wall_seconds + late_answer.wall_seconds)
    first_step = decode_step(srv, chat_batch, prompt).seconds

    wh_vs_reasoning = prefill_wh + site.joules(acc, grid_queries) / 3600.0
    wh_vs_reasoning, wh_own_reasoning = wh_vs_reasoning[:-1], wh_vs_reasoning[-1]

    return InferenceResult(
        wh_per_query=wh_per_query,
        prefill_wh=prefill_wh,
        answer_wh=answer_wh,
        reasoning_wh=reasoning_wh,
        accelerators_per_replica=n,
        time_to_first_token_s=pre.wall_seconds + first_step,
        tokens_per_second=generated / decode_seconds,
        usd_per_query=usd,
        usd_per_million_tokens=usd / generated * 1e6,
        co2e_g_per_query=co2e_g,
        embodied_co2e_g_per_query=embodied_g,
        water_ml_per_query=water_ml,
        joules_per_output_token=wh_per_query * 3600.0 / generated,
        reasoning_grid_tokens=lengths.copy(),
        wh_vs_reasoning=wh_vs_reasoning,
        wh_per_reasoning_query=wh_own_reasoning,
    )


def compute_many(inp: Inputs, level: int, chunk: int = 8192, workers: int | None = None) -> InferenceResult:
    """:func:`compute` without the reasoning grid for very many samples.

    The sample axis is cut into cache-sized chunks computed on a thread pool
    (numpy releases the GIL in its loops), then joined.
    """
    from concurrent.futures import ThreadPoolExecutor

    starts = range(0, inp.samples, chunk)
    parts = [
        Inputs({path: values[s : s + chunk] for path, values in inp.values.items()}, inp.choices, min(chunk, inp.samples - s))
        for s in starts
    ]
    with ThreadPoolExecutor(max_workers=workers or min(len(parts), os.cpu_count() or 1)) as pool:
        results = list(pool.map(lambda part: compute(part, level, grid=False), parts))
    joined = {
        name: np.concatenate([getattr(r, name) for r in results], axis=-1)
        for name in InferenceResult.__slots__
        if name != "reasoning_grid_tokens"
    }
    return InferenceResult(reasoning_grid_tokens=REASONING_GRID_TOKENS[:0].copy(), **joined)
