"""The engine's shortcuts give the figures of the long way round.

The batch search reads a step's time without its power, the deployment search reads shared
central values, and a scenario copied with one preset changed reuses the walk of its others:
each must change no figure, and a shared array must not be writable by the caller it is lent to.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.domain.quantity import Quantity
from app.engine import adoption, inference, serving, training
from app.engine.evaluate import evaluate
from app.engine.hardware import accelerator, architecture, boundary_level
from app.engine.operating_point import operated
from app.engine.results import InferenceResult, TotalsResult
from app.engine.sampling import central, draw
from app.engine.shared import Shared
from app.engine.variants import _ReadLog
from app.paths import presets_dir


def _question():
    return load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_batch_search_reads_the_very_time_of_a_step(index):
    """The speed the batch search compares with the service level is the decode step's own time, bit for
    bit, on every sample of the dense, the MoE and the reasoning scenario (drafted tokens widening the step)."""
    inp = draw(_question().scenarios[index], 300, 0)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inference.server(arch, acc, inference.layout_of(inp, arch, acc), inp.choices.hardware_name,
                           inp.opt("deployment.draft_tokens", 0.0), inp.opt("deployment.draft_acceptance", 0.0))
    grid = np.exp(inference.SPEED_GRID[:, None] * np.log(np.maximum(inp.opt("deployment.batch_size", 1e4), 1.0)))
    context = inp["usage.prompt_tokens"] + inp["usage.answer_tokens"] / 2.0
    alone = serving.step_seconds(srv.rates, grid, context, srv.width)
    assert np.array_equal(alone, serving.step(srv.rates, grid, context, width=srv.width).seconds)


@pytest.mark.parametrize(("index", "speed"), [(0, 20.0), (1, 60.0)])
def test_one_cap_for_every_sample_searches_the_batches_each_sample_gets_alone(index, speed):
    """With the same batch cap in every sample, the batch search works out its candidates once: every
    sample's batch is, bit for bit, the one it gets when the other samples' caps differ."""
    inp = draw(_question().scenarios[index], 300, 0)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inference.server(arch, acc, inference.layout_of(inp, arch, acc), inp.choices.hardware_name,
                           inp.opt("deployment.draft_tokens", 0.0), inp.opt("deployment.draft_acceptance", 0.0))
    context = inp["usage.prompt_tokens"] + inp["usage.answer_tokens"] / 2.0
    target = np.full(inp.samples, speed)
    same = np.full(inp.samples, 4096.0)
    varied = same.copy()
    varied[0] = 64.0
    once, each = inference.batch_for_speed(srv, same, context, target), inference.batch_for_speed(srv, varied, context, target)
    assert np.array_equal(once[1:], each[1:])
    assert len(np.unique(once)) > 1  # the batches differ by sample: the context and the chip do


def test_central_values_are_lent_read_only():
    """The deployment search's central values are shared between calls: a caller that writes into one gets
    an error instead of changing every later search's inputs."""
    inp = central(_question().scenarios[0], 4)
    with pytest.raises(ValueError, match="read-only"):
        inp["usage.prompt_tokens"][0] = 1.0
    assert np.all(central(_question().scenarios[0], 4)["usage.prompt_tokens"] == inp["usage.prompt_tokens"][0])


def test_a_copy_with_one_preset_changed_draws_its_new_value_and_the_others_alike():
    """A scenario copied with another deployment (as the deployment search copies it) draws the new
    deployment's inputs and exactly the same draws of every other input."""
    scenario = _question().scenarios[0]
    deployment = scenario.deployment.model_copy(update={"accelerators_per_replica": Quantity(value=24)})
    copied = scenario.model_copy(update={"deployment": deployment})
    before, after = draw(scenario, 200, 3), draw(copied, 200, 3)
    assert np.all(after["deployment.accelerators_per_replica"] == 24)
    assert "deployment.accelerators_per_replica" not in before
    for path, values in before.values.items():
        assert np.array_equal(after[path], values), path


def _own_market(scenario, peak_factor: float, efficiency_gain: float):
    """``scenario`` with its own market's peak demand and its own usage's efficiency trend."""
    market = scenario.market
    peak = market.demand.peak_queries_per_day
    demand = market.demand.model_copy(update={"peak_queries_per_day": peak.model_copy(update={
        "value": peak.value * peak_factor, "low": peak.low * peak_factor, "high": peak.high * peak_factor})})
    usage = scenario.usage.model_copy(update={"efficiency_gain_per_year": Quantity(value=efficiency_gain)})
    return scenario.model_copy(update={"market": market.model_copy(update={"demand": demand}), "usage": usage})


def test_scenarios_share_demand_and_schedule_only_when_they_read_the_same_inputs(monkeypatch):
    """The demand curve, the efficiency trend and the retraining schedule are computed once per evaluation
    for the scenarios that share their inputs: every figure is what computing each scenario's own gives,
    a scenario with a market and a usage of its own included."""
    question = _question()
    assert question.scenarios[0].market.demand.curve == "logistic"
    scenarios = [question.scenarios[0], _own_market(question.scenarios[1], 2.0, 0.3), question.scenarios[1]]
    comparison = question.model_copy(update={"scenarios": scenarios, "baseline_index": 0})
    together = evaluate(comparison, samples=200)
    monkeypatch.setattr(Shared, "get", lambda self, name, read, compute: compute())
    each_own = evaluate(comparison, samples=200)
    for index in range(len(scenarios)):
        for field in fields(TotalsResult):
            expected = getattr(each_own.scenarios[index].totals, field.name)
            assert np.array_equal(getattr(together.scenarios[index].totals, field.name), expected, equal_nan=True), field.name
    own, other = together.scenarios[1].totals, together.scenarios[2].totals
    assert np.median(own.queries_per_day_no_rebound[-1]) > 1.5 * np.median(other.queries_per_day_no_rebound[-1])
    assert not np.array_equal(own.training_energy_mwh[-1] / own.training_energy_mwh[0],
                              other.training_energy_mwh[-1] / other.training_energy_mwh[0])


@pytest.mark.parametrize("samples", [1, 2, 1000])
def test_a_published_deployment_is_measured_at_its_central_values_in_the_run_of_its_samples(samples):
    """A published deployment's figures (the JSON's ``inference.deployment``) come from one more column of the
    run of its samples: they are, bit for bit, those of its central values run alone, and every sample's
    figures are those of its draws run alone (to the last bit of the quadrature sums, whose last few elements
    numpy's BLAS sums in another order), the chart's point at the scenario's own reasoning length included."""
    question = _question()
    level = boundary_level(question.boundary)
    result = evaluate(question, samples=samples)
    published = [i for i, s in enumerate(question.scenarios) if s.deployment.accelerators_per_replica is not None]
    assert published
    for i in published:
        scenario = question.scenarios[i]
        assert result.scenarios[i].deployment == operated(scenario, level)[1]
        alone = inference.compute(draw(scenario, samples, 0), level)
        for field in fields(InferenceResult):
            np.testing.assert_allclose(getattr(result.scenarios[i].inference, field.name), getattr(alone, field.name),
                                       rtol=1e-15, atol=0, err_msg=field.name)


def _shared_and_own(monkeypatch, module: object, name: str, comparison) -> tuple[object, int, int]:
    """``comparison`` evaluated with scenarios sharing what they compute alike, then with every figure computed
    for each scenario (``Shared.equal`` computing always): the shared result and the calls to ``module.name``
    each evaluation made. Every figure of every scenario must be the same both ways."""
    calls = []
    original = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kw: calls.append(1) or original(*args, **kw))
    together = evaluate(comparison, samples=200)
    shared = len(calls)
    monkeypatch.setattr(Shared, "equal", lambda self, key, arguments, compute: compute())
    each_own = evaluate(comparison, samples=200)
    for got, want in zip(together.scenarios, each_own.scenarios, strict=True):
        for part in ("training", "inference", "totals"):
            for field in fields(getattr(got, part)):
                assert np.array_equal(getattr(getattr(got, part), field.name), getattr(getattr(want, part), field.name),
                                      equal_nan=True), (part, field.name)
    return together, shared, len(calls) - shared


def test_scenarios_served_alike_share_their_batch_search_and_no_other_does(monkeypatch):
    """DeepSeek-R1 is served as DeepSeek-V3 is (one chip, deployment, usage and architecture): the batch search
    is run once for both, and every figure is what searching each scenario's own batch gives. A copy of V3
    promising its users another speed searches its own, and its batch differs."""
    question = _question()
    v3 = question.scenarios[1]
    faster = v3.deployment.model_copy(update={"tokens_per_second_per_user": Quantity(value=40.0, low=38.0, high=42.0)})
    hurried = v3.model_copy(update={"name": "V3 at 40 tokens/s", "deployment": faster})
    comparison = question.model_copy(update={"scenarios": [*question.scenarios, hurried]})
    together, shared, own = _shared_and_own(monkeypatch, inference, "batch_for_speed", comparison)
    assert own == shared + 1  # R1's own search, skipped when shared
    assert not np.array_equal(together.scenarios[3].inference.effective_batch, together.scenarios[1].inference.effective_batch)


def test_the_same_model_served_in_another_datacenter_borrows_its_serving_and_rollouts_figure_for_figure(monkeypatch):
    """DeepSeek-V3 moved to a Chinese datacenter serves and rolls out exactly as in the US one: its prefill, decode
    and RL rollouts are the US scenario's (computed once), and every figure of every scenario is
    what computing each one's own gives; its energy at the facility and its CO2e are its own datacenter's."""
    question = _question()
    v3 = question.scenarios[1]
    china = v3.model_copy(update={"name": "V3 in China", "datacenter": PresetLibrary().get("datacenter", "hyperscale-china")})
    comparison = question.model_copy(update={"scenarios": [*question.scenarios, china]})
    together, lent, own = _shared_and_own(monkeypatch, inference, "decode", comparison)
    assert own == lent + 2  # the Chinese V3's serving decode and its rollouts' decode
    us, cn = together.scenarios[1], together.scenarios[3]
    assert np.array_equal(us.inference.effective_batch, cn.inference.effective_batch)
    assert np.median(cn.totals.horizon_co2e_t) > 1.5 * np.median(us.totals.horizon_co2e_t)


@pytest.mark.parametrize("size", [2, 1001, 25_025])
def test_a_figure_is_lent_only_for_arguments_the_same_bit_for_bit(size):
    """Scenarios find each other's figure only when their arguments are equal to the last bit, at every array
    size (small ones are compared by their bytes, large ones as integers): a NaN matches a NaN, -0 does not
    match +0, one value off by one ulp does not match, and a dataclass of arrays matches field by field."""
    values = np.linspace(1.0, 2.0, size)
    values[0] = np.nan
    shared = Shared()
    computed = []

    def lent(*arguments):
        return shared.equal("figure", arguments, lambda: computed.append(1) or np.ones(1))

    first = lent(values, serving.Layout(values, values, values))
    assert lent(values.copy(), serving.Layout(values.copy(), values.copy(), values.copy())) is first
    off = values.copy()
    off[-1] = np.nextafter(off[-1], 3.0)
    signed = values.copy()
    signed[-1] = 0.0
    negative = signed.copy()
    negative[-1] = -0.0
    lent(off, serving.Layout(values, values, values))
    lent(values, serving.Layout(values, values, off))
    lent(signed, serving.Layout(values, values, values))
    assert lent(negative, serving.Layout(values, values, values)) is not first
    assert len(computed) == 5


def test_a_model_and_its_reasoning_variant_on_one_replica_work_out_its_rates_once(monkeypatch):
    """DeepSeek-R1 serves on DeepSeek-V3's replica and rolls out its RL samples on the same training chips:
    each of the two servers' rates is worked out once for both, and every figure is what working out each
    scenario's own gives."""
    _, shared, own = _shared_and_own(monkeypatch, serving, "rates", _question())
    assert own == shared + 2  # R1's serving and rollout servers, skipped when shared


@pytest.mark.parametrize("path", sorted(p.name for p in (presets_dir() / "comparisons").glob("*.json")))
def test_training_reads_nothing_outside_the_inputs_it_is_lent_by(path):
    """Scenarios lend each other their training when their inputs under ``training.READS`` and their choices are
    the same: training reads no input elsewhere, in any scenario of any shipped comparison."""
    comparison = load_comparison(presets_dir() / "comparisons" / path, PresetLibrary())[1]
    for scenario in comparison.scenarios:
        inp = draw(scenario, 20, 0)
        logged = _ReadLog(inp.values)  # the sweep's log of the paths the engine reads
        training.compute(type(inp)(logged, inp.choices, inp.samples), boundary_level(comparison.boundary))
        assert logged.read and all(read.startswith(training.READS) for read in logged.read), scenario.name


def test_scenarios_of_one_model_along_other_training_paths_are_trained_once(monkeypatch):
    """The training race's three DeepSeek-V3 scenarios differ in their training paths alone (the successors and
    the saving re-spent, which the totals read): V3's training is computed once for the three, and every figure
    of every scenario is what computing each one's own gives."""
    race = load_comparison(presets_dir() / "comparisons" / "training-race.json", PresetLibrary())[1]
    together, lent, own = _shared_and_own(monkeypatch, training, "_compute", race)
    assert (lent, own) == (2, 4)
    assert not np.array_equal(together.scenarios[1].totals.training_energy_mwh, together.scenarios[2].totals.training_energy_mwh)


def _server(index: int, samples: int = 300):
    inp = draw(_question().scenarios[index], samples, 0)
    arch, acc = architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field)
    srv = inference.server(arch, acc, inference.layout_of(inp, arch, acc), inp.choices.hardware_name,
                           inp.opt("deployment.draft_tokens", 0.0), inp.opt("deployment.draft_acceptance", 0.0))
    return inp, srv


def _per_sample(value, samples: int):
    return np.broadcast_to(value, (samples,)).copy() if isinstance(value, np.ndarray) else value


@pytest.mark.parametrize("index", [0, 1, 2])
def test_rates_alike_in_every_sample_are_kept_once_and_give_every_step_bit_for_bit(index):
    """A replica's rates that no range moves (the model's shape, the fitted constants) are kept as one value,
    not one per sample, and so is a drafting width: a decode step over the quadrature's contexts, a step taking
    in prompts and the batch search's candidates give the very times and energies of rates repeated in every
    sample, on the dense, the MoE (drafting) and the reasoning scenario; and so they do when any one rate
    differs by sample while the others are kept once (a term widened by it)."""
    inp, srv = _server(index)
    samples = inp.samples
    kept = [f.name for f in fields(srv.rates) if isinstance(getattr(srv.rates, f.name), np.ndarray)
            and getattr(srv.rates, f.name).shape == (1,)]
    assert len(kept) >= 10 and np.shape(srv.width) in ((), (1,))
    repeated = replace(srv.rates, **{f.name: _per_sample(getattr(srv.rates, f.name), samples) for f in fields(srv.rates)})
    context = inp["usage.prompt_tokens"] + inp["usage.answer_tokens"] / 2.0
    grid = np.exp(inference.SPEED_GRID[:, None] * np.log(4096.0))
    batch = np.linspace(1.0, 900.0, 11 * samples).reshape(11, samples)
    contexts = context + inference.QUADRATURE_NODES.reshape(4, 1, 1) * np.linspace(0.0, 8000.0, 11)[:, None]
    prompts = np.stack([np.zeros(samples), np.full(samples, 3000.0), np.zeros(samples)])

    def figures(rates, width):
        decode = serving.step(rates, batch, contexts, width=width)
        taken_in = serving.step(rates, batch[0], np.stack([context] * 3), prompts, prompts / 2.0, width)
        return (serving.step_seconds(rates, grid, context, width), decode.seconds, decode.joules,
                taken_in.seconds, taken_in.joules)

    width = _per_sample(srv.width, samples)
    for got, want in zip(figures(srv.rates, srv.width), figures(repeated, width), strict=True):
        assert got.shape == want.shape and np.array_equal(got, want)
    for name in kept:  # one rate differing by sample among rates kept once
        moved = getattr(repeated, name) * np.linspace(1.0, 0.5, samples)
        mixed, full = replace(srv.rates, **{name: moved}), replace(repeated, **{name: moved})
        for got, want in zip(figures(mixed, srv.width), figures(full, width), strict=True):
            assert np.array_equal(got, want), name


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=59.9), min_size=1, max_size=6))
def test_a_later_launch_scales_the_months_it_cuts_and_copies_the_others(launches):
    """Scenarios launched after the start serve each month's share after the launch: every month of every
    sample is, bit for bit, ``base x clip(end - launch, 0, 1)`` though only the months up to the latest launch
    are multiplied."""
    base = np.linspace(1.0, 7.0, 60 * len(launches)).reshape(60, len(launches))
    end = np.arange(1.0, 61.0)[:, None]
    launch = np.array(launches)
    got = adoption._after_launch(base, end, launch)
    assert np.array_equal(got, base * np.clip(end - launch, 0.0, 1.0))
    assert got is not base and np.array_equal(base, np.linspace(1.0, 7.0, 60 * len(launches)).reshape(60, -1))
