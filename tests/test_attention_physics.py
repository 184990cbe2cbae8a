"""Attention as its kernels compute it: latent attention's absorbed heads, at the BF16 rate, in a
kernel of its own whose time the weight reads do not hide."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from app.engine import inference as inf
from app.engine import serving
from tests.engine_support import at_scale_server, cases

DAY6 = next(c for c in cases()["serving_at_scale"]["cases"] if c["case"].startswith("DeepSeek production decode"))


def test_latent_attention_counts_flashmlas_flops_per_cached_token():
    """FlashMLA (deepseek-ai/FlashMLA, tests/test_flash_mla.py): 2 h (576 + 512) FLOPs per cached token per
    layer per query token; DeepSeek-V3 has 61 layers of 128 heads. The up-projected count 4 L h d_head would be
    3.4x lower."""
    srv, acc, inp = at_scale_server(DAY6)
    arch = inf.architecture(inp)
    assert arch.decode_attention_flops[0] == 61 * 2 * 128 * (576 + 512)
    assert 4 * arch.layers[0] * arch.d_attn[0] == 61 * 4 * 128 * 160  # prefill keeps the up-projected heads


def test_attention_runs_at_the_bf16_rate_while_fp8_weights_run_at_the_fp8_rate():
    srv, acc, inp = at_scale_server(DAY6)
    arch = inf.architecture(inp)
    r = srv.rates
    per_attention_flop = r.attention_flop_s[0] / arch.decode_attention_flops[0]
    per_weight_flop = r.token_flop_s[0] / (2.0 * arch.active_params[0])
    ratio = acc.peak_flops[0] / acc.attention_peak_flops[0]  # H800: 1,979 FP8 against 989 BF16 TFLOP/s
    assert np.isclose(ratio, 2.0, rtol=1e-3)
    assert np.isclose(per_attention_flop / per_weight_flop, ratio)


def test_attention_time_adds_to_the_weight_reads_instead_of_hiding_under_them():
    """At Day 6's operating point (88 sequences per GPU, 4,989 tokens of KV) the weight GEMMs are memory-bound;
    attention, a separate kernel, adds at least its own FLOP time to the step (without two-batch overlap,
    which would hide it behind the all-to-all instead)."""
    srv, _, _ = at_scale_server(DAY6)
    r = replace(srv.rates, overlap=0.0, overlapping=False, micro_batches=1.0)
    batch, context = np.array([144 * 88.0]), np.array([4989.0])
    long = serving.step(r, batch, context, width=srv.width).seconds[0]
    short = serving.step(r, batch, np.array([1.0]), width=srv.width).seconds[0]
    attention = batch[0] * context[0] * r.attention_flop_s[0] * srv.width
    assert long - short >= 0.95 * attention
