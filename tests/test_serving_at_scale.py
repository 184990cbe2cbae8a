"""Serving across servers: the interconnect physics against published deployments and its own laws.

The published cases (tests/data/published_cases.json, ``serving_at_scale``) are
DeepSeek-V3 served with expert parallelism over 4 to 18 servers; none is in the
calibration data (single 8-GPU servers), so each is a validation case: its band
was fixed when it was added and is never moved to follow the engine. A case
outside its band carries a ``recorded_miss`` (the measured error and its likely
cause) and runs as a strict xfail, so a miss shows in every run and a fix shows
as an unexpected pass. ``pytest -v -rx`` prints the errors.

Two cases (DeepSeek's Day 6 decode and LMSYS's decode with MTP) were added with
a band around the engine's result of the day, which an engine meeting the
published figure would have failed. Since stop 19 they carry the accuracy band
of the other decode cases as their validation, and the old band, unmoved, as a
``bias_pin``: a regression pin of the engine's known optimism there.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.files import load_preset
from app.engine import inference as inf
from app.engine import serving
from app.engine.calibration import active
from app.engine.hardware import DEFAULT_SCALE_OUT_GB_S, DEFAULT_SCALE_UP_GB_S, architecture
from app.paths import presets_dir
from tests.engine_support import _value, at_scale_figures, at_scale_server, cases, error

AT_SCALE = cases()["serving_at_scale"]["cases"]
PUBLISHED = [
    pytest.param(
        case, key, _value(value), id=f"{case['case']}-{key}",
        marks=[pytest.mark.xfail(strict=True, reason=case["recorded_miss"])] if "recorded_miss" in case else [],
    )
    for case in AT_SCALE for key, value in case["published"].items()
]


@pytest.mark.parametrize(("case", "key", "published"), PUBLISHED)
def test_validation_published_throughput_at_scale_within_the_band_fixed_when_added(case, key, published):
    engine = at_scale_figures(case)[key]
    low, high = case["band"]
    print(f"{case['case']}: {key} engine {engine:,.4g}, published {published:,.4g} ({error(engine, published):+.1%})")
    assert low <= error(engine, published) <= high, (
        f"{case['case']}: {key} engine {engine:,.4g} vs published {published:,.4g} = {error(engine, published):+.1%}, "
        f"outside the stated band {low:+.0%} to {high:+.0%} ({case['band_reason']})"
    )


BIASED = [pytest.param(case, key, _value(value), id=f"{case['case']}-{key}")
          for case in AT_SCALE if "bias_pin" in case for key, value in case["published"].items()]


@pytest.mark.parametrize(("case", "key", "published"), BIASED)
def test_regression_pin_the_engine_s_known_optimism_stays_within_its_stated_bias(case, key, published):
    """Regression pin, not validation: where the engine is known to be optimistic (attention under MTP,
    real expert imbalance), its error stays within the band stated when the case was added, so a change
    that moves it is seen; the validation band above records the miss."""
    low, high = case["bias_pin"]
    got = error(at_scale_figures(case)[key], published)
    assert low <= got <= high, f"{case['case']}: {key} {got:+.1%}, outside the pinned bias {low:+.0%} to {high:+.0%}"


def _case(name: str) -> dict:
    return next(c for c in AT_SCALE if c["case"].startswith(name))


def _with(case: dict, **deployment) -> dict:
    spec = case["deployment"]
    assert isinstance(spec, dict)
    return dict(case, deployment=dict(spec, **deployment))


def _overlap_gain(name: str, phase_key: str) -> float:
    """The engine's speed-up from two-batch overlap at a case's own overlap share, against none."""
    case = _case(name)
    return at_scale_figures(case)[phase_key] / at_scale_figures(_with(case, communication_overlap=0))[phase_key]


def test_regression_pin_overlap_shares_reproduce_the_gains_lmsys_measured():
    """Regression pin, not validation: the cases' overlap shares (0.8 in decode, 0.6 in prefill) are
    derived from LMSYS's two-batch-overlap ablations, so the engine reproduces the measured gains by
    construction: +25.5 % in decode at 256 sequences per H100 (EP72) and +27-35 % in prefill (EP32).

    A change to the serving physics that moves these gains means the shares, and the DeepSeek
    production preset's overlap taken from the decode one, must be derived again."""
    decode = _overlap_gain("SGLang decode, 9", "output_tokens_per_s_per_node")
    prefill = _overlap_gain("SGLang prefill", "input_tokens_per_s_per_node")
    print(f"engine two-batch-overlap gain: decode {decode:.3f}x (measured 1.255x), prefill {prefill:.3f}x (measured 1.27-1.35x)")
    assert abs(decode / 1.255 - 1.0) < 0.02
    assert 1.27 <= prefill <= 1.35


def test_overlap_hides_communication_but_each_micro_batch_reads_the_weights_again():
    """Splitting the batch costs a second read of the weights; hiding the all-to-all pays it back.

    At EP72 the all-to-all outweighs that read: hiding all of it is faster than
    no overlap, hiding almost none is slower, hiding half lies between.
    """
    case = _case("SGLang decode, 9")
    speed = {f: at_scale_figures(_with(case, communication_overlap=f))["output_tokens_per_s_per_node"] for f in (0.0, 0.01, 0.5, 1.0)}
    assert speed[0.01] < speed[0.0] < speed[1.0]
    assert speed[0.01] < speed[0.5] < speed[1.0]


def test_fp8_dispatch_sends_three_quarters_of_the_bytes_of_a_16_bit_dispatch():
    """Dispatch 1 byte + combine 2 bytes per value, against 2 + 2."""
    case = _case("SGLang decode, 9")
    fp8 = at_scale_server(case)[0].rates.all_to_all_per_token_s
    bf16 = at_scale_server(_with(case, dispatch_precision="bf16"))[0].rates.all_to_all_per_token_s
    assert np.allclose(fp8 / bf16, 0.75)


def _eight_gpu_expert_parallel(hardware: str) -> float:
    """Seconds of a DeepSeek-V3 decode step with expert parallelism inside one 8-GPU server."""
    case = dict(_case("SGLang decode, 9"), hardware=hardware)
    case = _with(case, accelerators_per_replica=8, data_parallel=8, expert_parallel=8, communication_overlap=0)
    srv = at_scale_server(case)[0]
    return float(inf.decode_step(srv, np.full(1, 8 * 64.0), np.full(1, 2000.0)).seconds[0])


def test_h800_nvlink_makes_the_same_step_slower_than_on_h100():
    """The H800 is an H100 with NVLink cut from 900 to 400 GB/s: same compute, memory and fitted constants."""
    h100, h800 = _eight_gpu_expert_parallel("h100-sxm"), _eight_gpu_expert_parallel("h800-sxm")
    print(f"EP8 decode step: H100 {h100 * 1e3:.2f} ms, H800 {h800 * 1e3:.2f} ms")
    assert h800 > h100 * 1.02


def test_expert_traffic_leaving_the_server_crosses_the_nic():
    """Spreading the experts over two servers sends half of each token's copies through the NIC, which is slower than NVLink."""
    case = _with(_case("SGLang decode, 9"), communication_overlap=0)
    one = at_scale_server(_with(case, accelerators_per_replica=8, data_parallel=8, expert_parallel=8))[0]
    two = at_scale_server(_with(case, accelerators_per_replica=16, data_parallel=16, expert_parallel=16))[0]
    # Per token of the replica each accelerator sends k/ep copies: compare per token each accelerator holds.
    per_held_one = one.rates.all_to_all_per_token_s * 8
    per_held_two = two.rates.all_to_all_per_token_s * 16
    assert per_held_two > 2.0 * per_held_one


def test_old_hardware_file_without_interconnect_fields_gets_the_documented_defaults(tmp_path):
    """A hardware file written before the interconnect fields still loads, and serves as an H100-class server would."""
    document = json.loads((presets_dir() / "hardware" / "h100-sxm.json").read_text(encoding="utf-8"))
    del document["scale_up_bandwidth_gb_s"], document["scale_out_bandwidth_gb_s"]
    path = tmp_path / "old-h100.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    old = load_preset(path)
    assert old.scale_up_bandwidth_gb_s is None and old.scale_out_bandwidth_gb_s is None
    shipped = load_preset(presets_dir() / "hardware" / "h100-sxm.json")
    assert (shipped.scale_up_bandwidth_gb_s.value, shipped.scale_out_bandwidth_gb_s.value) == (DEFAULT_SCALE_UP_GB_S, DEFAULT_SCALE_OUT_GB_S)


def _two_server_parts():
    """Architecture, accelerator, layout and constants of DeepSeek-V3 with experts over 16 H100s (two servers)."""
    case = _with(_case("SGLang decode, 9"), accelerators_per_replica=16, data_parallel=16, expert_parallel=16)
    _, acc, inp = at_scale_server(case)
    arch = architecture(inp)
    return arch, acc, inf.layout_of(inp, arch, acc), active().for_hardware(inp.choices.hardware_name)


@settings(max_examples=25, deadline=None)
@given(up=st.floats(50, 2000), out=st.floats(5, 200), factor=st.floats(1.01, 4))
def test_faster_links_never_make_a_step_slower(up, out, factor):
    """Step time falls (or stays) as either link gets faster, for expert parallelism over two servers."""
    arch, acc, layout, constants = _two_server_parts()

    def seconds(up_gb_s: float, out_gb_s: float) -> float:
        links = replace(acc, scale_up_bandwidth=np.full(1, up_gb_s * 1e9), scale_out_bandwidth=np.full(1, out_gb_s * 1e9))
        return float(serving.step(serving.rates(arch, links, layout, constants), np.full(1, 16 * 128.0), np.full(1, 2000.0)).seconds[0])

    base = seconds(up, out)
    assert seconds(up * factor, out) <= base * (1 + 1e-12)
    assert seconds(up, out * factor) <= base * (1 + 1e-12)


DAY6_TOKENS = {"input": 608e9, "output": 168e9, "kv_per_output_token": 4989.0, "nodes": 226.75}
"""DeepSeek Day 6 overview (deepseek-ai/open-infra-index, 'Day 6: One More Thing, DeepSeek-V3/R1 Inference
System Overview', 24 h of 27-28 Feb 2025): 608 B input and 168 B output tokens, a mean KV length of 4,989
tokens per output token, 226.75 H800 nodes in use on average."""

DAY6_NODE_KW = (6.12, 10.2)
"""IT power of one 8-GPU node, GPUs and host: 60 % to 100 % of the 10.2 kW rating of an 8 x H100 node
(Latif et al., arXiv 2412.08602, measured a peak of 8.4 kW against it; Oviedo et al., arXiv 2509.20241,
model node power around 0.7 of maximum, 0.4-0.9)."""


def _day6_request() -> tuple[float, float]:
    """(prompt, output) of the mean Day-6 request: a prompt of P and an answer of G tokens has a mean KV
    length over its output of P + G / 2 = 4,989, and P / G = 608 / 168."""
    ratio = DAY6_TOKENS["input"] / DAY6_TOKENS["output"]
    output = DAY6_TOKENS["kv_per_output_token"] / (ratio + 0.5)
    return ratio * output, output


def test_validation_the_mean_day6_request_uses_the_it_energy_the_day6_facts_imply():
    """Validation (out of sample; range fixed when added): the IT energy of DeepSeek's mean Day-6 request.

    Since stop 18 the engine gives 0.251 Wh against the implied 0.240-0.400 Wh: inside, 5 % above the
    low end and 0.78x the middle. Its residual optimism is the decode step's, 1.47x shorter than
    published at the published batch (31 against 21 tokens/s per user, the serving-at-scale case):
    DeepSeek's figure is a day's average, with real expert imbalance (the engine's routing is
    uniform). It missed (0.229 Wh) while the production preset assumed the all-to-all hidden in full
    behind the other micro-batch; it now takes the share LMSYS measured for the same design (0.8)."""
    from tests.engine_support import _library, datacenter, evaluated, scenario, usage

    lib = _library()
    prompt, output = _day6_request()
    case = scenario(lib.get("model", "deepseek-v3"), lib.get("hardware", "h800-sxm"), datacenter(), usage(prompt, output, 1),
                    deployment=lib.get("deployment", "deepseek-production"))
    engine = float(evaluated(case, "server").inference.wh_per_query[0])
    requests_per_day = DAY6_TOKENS["output"] / output
    low, high = (DAY6_TOKENS["nodes"] * kw * 1e3 * 24.0 / requests_per_day for kw in DAY6_NODE_KW)
    print(f"Day-6 request: engine {engine:.3f} Wh IT, implied {low:.3f}-{high:.3f} Wh")
    assert low <= engine <= high
