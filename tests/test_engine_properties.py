"""Property tests: any valid input gives finite, non-negative figures that move the right way."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine_support import datacenter, evaluated, hardware, market, model, scenario, usage

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Seeded by tests/conftest.py's profile: a miss found by a random run is recorded as its own test below
rather than left to fail one run in ten."""


@st.composite
def scenarios(draw):
    total = draw(st.floats(0.5, 2000))
    moe = draw(st.booleans())
    active = total * draw(st.floats(0.01, 1.0)) if moe else total
    heads = draw(st.sampled_from([8, 32, 64, 128]))
    spec = {
        "total_parameters_billion": total,
        "active_parameters_billion": active,
        "layers": draw(st.integers(1, 160)),
        "hidden_size": heads * draw(st.sampled_from([64, 128])),
        "attention_heads": heads,
        "kv_heads": draw(st.sampled_from([1, 8, heads])) if heads >= 8 else heads,
        "pretraining_tokens_trillion": draw(st.floats(0.01, 50)),
        "training": {
            "accelerator_count": draw(st.integers(1, 100000)),
            "mfu": draw(st.floats(0.01, 1.0)),
            "experiment_overhead_fraction": draw(st.floats(0, 2)),
        },
        "post_training": {
            "sft_tokens_billion": draw(st.floats(0, 100)),
            "rl": {
                "prompts": draw(st.integers(0, 10**6)),
                "samples_per_prompt": draw(st.integers(1, 64)),
                "prompt_tokens": draw(st.floats(0, 8000)),
                "response_tokens": draw(st.floats(1, 32000)),
                "reward": "human",
                "human_seconds_per_sample": draw(st.floats(0, 600)),
                "annotator_usd_per_hour": draw(st.floats(0, 100)),
            },
        },
    }
    if moe:
        experts = draw(st.integers(2, 256))
        spec["moe"] = {
            "routed_experts": experts,
            "experts_per_token": draw(st.integers(1, experts)),
            "parameters_per_expert_billion": (total - active) / experts + 1e-6 if total > active else total / experts / 2,
        }
    idle = draw(st.floats(0, 700))
    hw = hardware("h100", idle_power_w=idle, max_power_w=draw(st.floats(max(idle, 1), 1500)),
                  host_power_w=draw(st.floats(0, 2000)), price_usd_per_hour=draw(st.floats(0, 20)),
                  embodied_kgco2e=draw(st.floats(0, 1e4)), memory_gb=draw(st.floats(8, 300)))
    site = datacenter(pue=draw(st.floats(1, 3)), grid=draw(st.floats(0, 1.2)), wue_l_per_kwh=draw(st.floats(0, 5)))
    demand = draw(st.sampled_from([
        {"curve": "exponential", "initial_queries_per_day": draw(st.floats(1, 1e10)), "growth_per_year": draw(st.floats(-0.9, 10))},
        {"curve": "logistic", "peak_queries_per_day": draw(st.floats(1, 1e10)), "midpoint_month": draw(st.floats(0, 120)),
         "growth_rate_per_month": draw(st.floats(0.01, 5))},
    ]))
    use = usage(
        draw(st.floats(0, 100000)), draw(st.floats(1, 30000)), draw(st.integers(1, 4096)),
        reasoning_tokens_per_query=draw(st.floats(0, 100000)), reasoning_share=draw(st.floats(0, 1)),
        fleet_utilisation=draw(st.floats(0.01, 1)), horizon_years=draw(st.floats(0.1, 10)),
        efficiency_gain_per_year=draw(st.floats(0, 0.9)),
        retrain_every_months=draw(st.floats(1, 36)), retrain_at_fixed_budget=draw(st.booleans()),
    )
    served = market(demand=demand, price_elasticity=draw(st.floats(-3, 0)))
    return scenario(model(spec), hw, site, use, demand=served), draw(st.sampled_from(["accelerator", "server", "fleet", "facility"]))


def _arrays(result):
    for part in (result.training, result.inference, result.totals):
        for name in (f.name for f in dataclasses.fields(part)):
            yield f"{type(part).__name__}.{name}", np.asarray(getattr(part, name), dtype=float)


@SETTINGS
@given(scenarios())
def test_no_nan_infinity_or_negative_figure_for_any_valid_input(case):
    resolved, boundary = case
    result = evaluated(resolved, boundary)
    for name, values in _arrays(result):
        if name == "TotalsResult.crossover_month":
            values = values[~np.isnan(values)]
        assert np.all(np.isfinite(values)), name
        assert np.all(values >= 0), name


@SETTINGS
@given(scenarios())
def test_cumulative_totals_never_decrease(case):
    totals = evaluated(*case).totals
    for name in ("training_energy_mwh", "inference_energy_mwh", "inference_energy_no_rebound_mwh"):
        assert np.all(np.diff(getattr(totals, name), axis=0) >= -1e-9 * np.abs(getattr(totals, name)[1:])), name


@SETTINGS
@given(scenarios())
def test_horizon_totals_agree_with_the_monthly_curves(case):
    """CO2e, water and spend are computed at the horizon's end only: the same training runs
    and queries as the energy curves, priced per run and per query."""
    result = evaluated(*case)
    t, q, totals = result.training, result.inference, result.totals
    runs = totals.training_energy_mwh[-1] / t.total("energy_mwh")
    queries = totals.inference_energy_mwh[-1] / (q.wh_per_query / 1e6)
    for horizon, per_run, per_query in (
        (totals.horizon_co2e_t, t.total("co2e_t"), q.co2e_g_per_query / 1e6),
        (totals.horizon_embodied_co2e_t, t.total("embodied_co2e_t"), q.embodied_co2e_g_per_query / 1e6),
        (totals.horizon_water_m3, t.total("water_m3"), q.water_ml_per_query / 1e6),
        (totals.horizon_cost_usd, t.total("cost_usd"), q.usd_per_query),
    ):
        np.testing.assert_allclose(horizon, runs * per_run + queries * per_query, rtol=1e-6)
    assert np.all(totals.horizon_embodied_co2e_t <= totals.horizon_co2e_t * (1 + 1e-12))


def _wh(resolved, boundary="facility"):
    return float(evaluated(resolved, boundary).inference.wh_per_query[0])


def _scaled(preset, factor, *names, plus=0.0):
    """A copy of ``preset`` with each named Quantity multiplied by ``factor`` (plus ``plus``)."""
    return preset.model_copy(update={n: getattr(preset, n).with_value(getattr(preset, n).value * factor + plus) for n in names})


@SETTINGS
@given(scenarios(), st.floats(1.01, 3.0))
def test_energy_rises_with_answer_and_prompt_tokens(case, factor):
    resolved, boundary = case
    use = resolved.usage
    longer = _scaled(use, factor, "answer_tokens")
    assert _wh(resolved.model_copy(update={"usage": longer}), boundary) > _wh(resolved, boundary)
    more_prompt = _scaled(use, factor, "prompt_tokens", plus=1)
    assert _wh(resolved.model_copy(update={"usage": more_prompt}), boundary) > _wh(resolved, boundary)


@pytest.mark.xfail(strict=True, reason=(
    "Known miss found by a random run (stop 17): a 2B mixture of experts on one 90 GB H100 answering 1 token "
    "after a 20,306-token prompt uses 3.940e-5 Wh per query at the accelerator; with 20,545 prompt tokens the KV "
    "memory lowers the batch from 15 to 14 and the query reads 3.934e-5 Wh (-0.14 %). Prefill is charged as a "
    "mixed step minus a pure decode step, so a smaller co-running batch hides more of a prompt's compute under "
    "the weights' read; with a 1-token answer that credit outweighs the dearer decode. A whole-server "
    "attribution (all step energy over the queries served) would not have it."))
def test_a_longer_prompt_never_lowers_the_energy_of_a_one_token_answer_when_the_batch_shrinks():
    spec = {"total_parameters_billion": 2.0, "active_parameters_billion": 2.0, "layers": 122, "hidden_size": 512,
            "attention_heads": 8, "kv_heads": 8, "pretraining_tokens_trillion": 1.0,
            "moe": {"routed_experts": 2, "experts_per_token": 1, "parameters_per_expert_billion": 0.5}}
    hw = hardware("h100", idle_power_w=0, max_power_w=1, host_power_w=0, price_usd_per_hour=0, embodied_kgco2e=0,
                  memory_gb=90)
    site = datacenter(pue=1.0, grid=0, wue_l_per_kwh=0)
    flat = market(demand={"curve": "exponential", "initial_queries_per_day": 1, "growth_per_year": 0},
                  price_elasticity=0)
    served = []
    for prompt in (20306.0, 20306.0 * 1.01171875 + 1):
        use = usage(prompt, 1.0, 15.0, reasoning_tokens_per_query=0, reasoning_share=0, fleet_utilisation=1,
                    horizon_years=1, efficiency_gain_per_year=0, retrain_every_months=1, retrain_at_fixed_budget=False)
        served.append(evaluated(scenario(model(spec), hw, site, use, demand=flat), "accelerator").inference)
    assert served[1].effective_batch[0] < served[0].effective_batch[0]  # the case: the KV memory shrinks the batch
    assert served[1].wh_per_query[0] > served[0].wh_per_query[0]


@SETTINGS
@given(scenarios(), st.floats(1.01, 2.0))
def test_energy_rises_with_pue_and_power(case, factor):
    resolved, _ = case
    higher_pue = _scaled(resolved.datacenter, factor, "pue")
    assert _wh(resolved.model_copy(update={"datacenter": higher_pue})) > _wh(resolved)
    # +1 W keeps idle <= max and makes a zero idle power rise too.
    hungrier = _scaled(_scaled(resolved.hardware, factor, "max_power_w", plus=1), factor, "idle_power_w", plus=1)
    assert _wh(resolved.model_copy(update={"hardware": hungrier})) > _wh(resolved)
    train = evaluated(resolved).training.total("energy_mwh")[0]
    train_hw = resolved.training_hardware.model_copy(update={"max_power_w": hungrier.max_power_w, "idle_power_w": hungrier.idle_power_w})
    assert evaluated(resolved.model_copy(update={"training_hardware": train_hw})).training.total("energy_mwh")[0] > train


@SETTINGS
@given(scenarios(), st.floats(1.01, 3.0))
def test_training_energy_rises_with_tokens(case, factor):
    resolved, boundary = case
    m = resolved.model
    more = m.model_copy(update={"pretraining_tokens_trillion": m.pretraining_tokens_trillion.with_value(m.pretraining_tokens_trillion.value * factor)})
    before = evaluated(resolved, boundary).training.total("energy_mwh")[0]
    after = evaluated(resolved.model_copy(update={"model": more}), boundary).training.total("energy_mwh")[0]
    assert after > before
