"""Prefill in whole-prompt chunks: a scheduler takes a waiting prompt into one step (up to its token
budget), so the weights and experts that step reads are shared by the whole prompt."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.engine import inference as inf
from app.engine import serving
from tests.engine_support import at_scale_server, cases

DAY6 = next(c for c in cases()["serving_at_scale"]["cases"] if c["case"].startswith("DeepSeek production decode"))


def _moe_server(budget: float) -> inf.Server:
    srv, _, _ = at_scale_server(DAY6)
    return replace(srv, prefill_budget=budget)


def test_a_step_takes_a_whole_prompt_up_to_the_budget_and_several_when_they_arrive_faster():
    assert serving.prefill_chunk(np.array([1000.0]), np.array([50.0]), 8192.0)[0] == 1000.0
    assert serving.prefill_chunk(np.array([30000.0]), np.array([50.0]), 8192.0)[0] == 8192.0
    assert serving.prefill_chunk(np.array([1000.0]), np.array([3000.0]), 8192.0)[0] == 3000.0


def test_moe_prefill_in_whole_chunks_costs_less_than_spread_over_decode_steps():
    """DeepSeek-V3 at a small batch (8 sequences): a few prompt tokens per step each wake experts the decode
    does not touch; a whole 2,000-token prompt shares every expert read among its tokens."""
    batch, prompt, answer = np.array([8.0]), np.array([2000.0]), np.array([500.0])
    spread_out = inf.prefill(_moe_server(8 * 2000 / 500), batch, prompt, answer)  # budget = tokens per step: the old rule
    whole = inf.prefill(_moe_server(inf.PREFILL_CHUNK_TOKENS), batch, prompt, answer)
    assert whole.joules[0] < 0.9 * spread_out.joules[0]


def test_a_prompt_longer_than_the_budget_waits_for_its_chunks():
    """16,384 prompt tokens in chunks of 4,096 ride four decode steps; in one chunk, one."""
    batch, prompt, answer = np.array([64.0]), np.array([16384.0]), np.array([500.0])
    chunked = inf.prefill(_moe_server(4096.0), batch, prompt, answer).wall_seconds[0]
    whole = inf.prefill(_moe_server(16384.0), batch, prompt, answer).wall_seconds[0]
    decode = inf.decode_step(_moe_server(4096.0), batch, prompt).seconds[0]
    assert chunked > whole + 2.5 * decode
