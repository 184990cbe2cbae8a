"""Per-server (node-deduplicated) expert dispatch: one network copy per destination server, then NVLink.

DeepEP's normal kernels, which DeepSeek and SGLang use for prefill, send a token
once to each other server holding any of its experts and forward it there over
NVLink; its low-latency decode kernels send every expert copy separately. These
tests pin the laws of the per-server model (never more network traffic than per
copy, equal where no two copies share a server, a node limit only lowers it) and
that it changes nothing where it cannot apply (one server, the default).
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.deployment import DeploymentPreset
from app.domain.files import load_preset
from app.engine import inference as inf
from app.engine import serving
from app.engine.calibration import active
from app.engine.hardware import architecture
from app.paths import presets_dir
from tests.engine_support import at_scale_server, cases

AT_SCALE = cases()["serving_at_scale"]["cases"]


def _remote(experts: float, k: float, servers: float, limit: float = np.inf) -> float:
    return float(serving.remote_servers(np.array(experts), np.array(k), np.array(servers), limit))


@settings(max_examples=200, deadline=None)
@given(per_server=st.integers(1, 64), servers=st.integers(1, 40), k=st.integers(1, 16))
def test_per_server_dispatch_never_sends_more_than_one_copy_per_remote_expert(per_server, servers, k):
    """Distinct other servers among k experts are at most the k (n-1)/n copies that land on other servers."""
    experts = per_server * servers
    k = min(k, experts)
    per_copy = k * (servers - 1) / servers
    assert 0.0 <= _remote(experts, k, servers) <= per_copy * (1 + 1e-12)


@settings(max_examples=100, deadline=None)
@given(per_server=st.integers(1, 64), servers=st.integers(1, 40))
def test_one_expert_per_token_sends_what_per_copy_dispatch_sends(per_server, servers):
    experts = per_server * servers
    assert np.isclose(_remote(experts, 1, servers), (servers - 1) / servers)


@settings(max_examples=100, deadline=None)
@given(servers=st.integers(2, 64), k=st.integers(1, 16))
def test_experts_on_distinct_servers_send_one_copy_each(servers, k):
    """One expert per server: a token's k experts always sit on k distinct servers, so nothing is deduplicated."""
    k = min(k, servers)
    assert np.isclose(_remote(servers, k, servers), k * (servers - 1) / servers)


@settings(max_examples=200, deadline=None)
@given(per_server=st.integers(1, 64), servers=st.integers(1, 40), k=st.integers(1, 16), a=st.integers(1, 40), b=st.integers(1, 40))
def test_a_node_limit_only_lowers_the_traffic(per_server, servers, k, a, b):
    experts = per_server * servers
    k = min(k, per_server * min(a, b, servers))  # the limit must leave room for k experts
    low, high = sorted((a, b))
    assert _remote(experts, k, servers, low) <= _remote(experts, k, servers, high) * (1 + 1e-12) + 1e-12
    assert _remote(experts, k, servers, high) <= _remote(experts, k, servers) * (1 + 1e-12) + 1e-12
    assert _remote(experts, k, servers, servers) == _remote(experts, k, servers)  # a limit of every server is none


def test_expected_servers_match_the_uniform_routing_formula():
    """DeepSeek-V3 (256 experts, 8 per token) over 4 servers: 3 (1 - C(192, 8) / C(256, 8)) = 2.71,
    close to (n-1)(1-(1-1/n)^k) = 2.70, against 6 remote copies sent separately."""
    assert np.isclose(_remote(256, 8, 4), 2.7107, atol=1e-4)
    assert np.isclose(_remote(256, 8, 4), 3 * (1 - 0.75**8), atol=0.02)


def _parts(servers: int):
    """DeepSeek-V3 on ``servers`` 8-GPU H100 servers, experts over all of them."""
    case = next(c for c in AT_SCALE if c["case"].startswith("SGLang prefill"))
    n = 8 * servers
    spec = dict(case["deployment"], accelerators_per_replica=n, data_parallel=n, expert_parallel=n)
    _, acc, inp = at_scale_server(dict(case, deployment=spec))
    arch = architecture(inp)
    return arch, acc, inf.layout_of(inp, arch, acc), active().for_hardware(inp.choices.hardware_name)


def _a2a(arch, acc, layout, constants, **changes) -> tuple[float, float]:
    """All-to-all seconds per decoded token and per prompt token."""
    r = serving.rates(arch, acc, replace(layout, **changes), constants)
    return float(np.ravel(r.all_to_all_per_token_s)[0]), float(np.ravel(r.all_to_all_per_prefill_token_s)[0])


def test_the_phase_field_picks_which_tokens_are_sent_per_server():
    parts = _parts(4)
    per_copy = _a2a(*parts, per_server_prefill=False, per_server_decode=False)
    prefill = _a2a(*parts, per_server_prefill=True, per_server_decode=False)
    both = _a2a(*parts, per_server_prefill=True, per_server_decode=True)
    assert per_copy[0] == per_copy[1] == prefill[0]  # decode keeps its per-copy dispatch
    assert prefill[1] < 0.5 * per_copy[1]  # 2.7 servers instead of 6 copies over the NIC
    assert both[0] == both[1] == prefill[1]


def test_the_nvlink_forwarding_hop_is_counted_on_the_scale_up_links():
    """With an infinitely fast network only NVLink is left: per-server dispatch carries the forwarded copies too."""
    arch, acc, layout, constants = _parts(4)
    no_network = replace(acc, scale_out_bandwidth=np.full(1, 1e18))
    per_copy = _a2a(arch, no_network, layout, constants, per_server_prefill=False)[1]
    per_server = _a2a(arch, no_network, layout, constants, per_server_prefill=True)[1]
    # local copies 7/32 of k, plus the remote ones not on the receiving GPU: 24/32 x 7/8 of k
    assert np.isclose(per_server / per_copy, (7 / 32 + 24 / 32 * 7 / 8) / (7 / 32))


def test_one_server_is_unchanged_by_per_server_dispatch():
    """Inside one server nothing crosses the network: both dispatches are the same NVLink traffic,
    so single-server predictions (and the calibration, fitted on single servers) cannot move."""
    parts = _parts(1)
    assert _a2a(*parts, per_server_prefill=True, per_server_decode=True, max_servers=np.full(1, 1.0)) == _a2a(
        *parts, per_server_prefill=False, per_server_decode=False
    )


def test_the_default_is_per_copy_and_old_deployment_files_load_as_before(tmp_path):
    assert serving.Layout(np.ones(1), np.ones(1), np.ones(1)).per_server_prefill is False
    document = json.loads((presets_dir() / "deployments" / "deepseek-production.json").read_text(encoding="utf-8"))
    del document["per_server_dispatch"]
    path = tmp_path / "old-deepseek.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    old = load_preset(path)
    assert old.per_server_dispatch == "none" and old.max_servers_per_token is None
    assert DeploymentPreset(name="x").per_server_dispatch == "none"


def test_deepseek_production_sends_prefill_per_server_as_its_report_says():
    shipped = load_preset(presets_dir() / "deployments" / "deepseek-production.json")
    assert shipped.per_server_dispatch == "prefill"
    assert "3.4.1" in shipped.description


def test_every_calibration_row_predicts_the_same_with_per_server_dispatch_on():
    """The calibration data are single servers: dispatching every phase per server, even with a
    node limit of one, leaves every fitted row's J per token and step time bit for bit as they are."""
    from app.calibration.fit import _per_row, predict_batch, scored
    from app.calibration.measurements import read_measurements
    from app.calibration.rows import batch_of
    from app.engine import calibration
    from app.paths import resources_dir

    rows = scored(read_measurements(resources_dir() / "calibration" / "ml_energy_v3_llm.csv"))
    b = batch_of(rows)
    shipped = calibration.shipped()
    constants = _per_row(shipped.families, shipped.shared, b.family)
    on = replace(b, layout=replace(b.layout, per_server_prefill=True, per_server_decode=True, max_servers=np.ones(len(rows))))
    assert np.any(b.layout.expert_parallel > 1)  # the MoE rows exercise the all-to-all
    before, after = predict_batch(b, constants), predict_batch(on, constants)
    assert np.array_equal(before.j_per_token, after.j_per_token)
    assert np.array_equal(before.itl_ms, after.itl_ms)
