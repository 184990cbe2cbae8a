"""The application core without Qt: resolution, per-scenario results, latest-wins scheduling."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.paths import presets_dir
from app.session import edits, resolution
from app.session.compute import chart_inputs
from app.session.resolution import Resolver
from app.session.results import ScenarioResults
from app.session.scheduler import LatestWins
from tests.factories import comparison, write

LIBRARY = PresetLibrary()


@pytest.fixture(scope="module")
def deepseek():
    comparison, _ = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", LIBRARY)
    return comparison


def test_an_edit_resolves_only_the_scenario_it_changed(deepseek, monkeypatch) -> None:
    resolve = Resolver(LIBRARY)
    first = resolve(deepseek)
    calls = []
    real = resolution.resolve_scenario
    monkeypatch.setattr(resolution, "resolve_scenario", lambda s, *a: calls.append(s.name) or real(s, *a))
    edited = edits.apply_changes(deepseek, 1, [("model", ("layers",), 30)], LIBRARY)
    second = resolve(edited)
    assert calls == [deepseek.scenarios[1].name]
    assert second.scenarios[0] is first.scenarios[0] and second.scenarios[1].model.layers.value == 30
    assert resolve(deepseek).scenarios[1] is first.scenarios[1]  # undo finds the scenario it returns to


def test_an_edit_recomputes_only_its_scenario_with_the_same_figures_as_the_engine(deepseek) -> None:
    resolve, results = Resolver(LIBRARY), ScenarioResults()
    results.evaluate(resolve(deepseek), samples=200)
    before = results.computed
    edited = resolve(edits.apply_changes(deepseek, 2, [("usage", ("answer_tokens",), 900)], LIBRARY))
    cached = results.evaluate(edited, samples=200)
    # the edited scenario's draws and figures (its published deployment's among them, one run), and totals
    assert results.computed - before == 2
    fresh = evaluate(edited, samples=200)
    for got, want in zip(cached.scenarios, fresh.scenarios, strict=True):
        np.testing.assert_array_equal(got.totals.training_energy_mwh, want.totals.training_energy_mwh)
        np.testing.assert_array_equal(got.totals.inference_energy_mwh, want.totals.inference_energy_mwh)
        np.testing.assert_array_equal(got.inference.wh_per_query, want.inference.wh_per_query)


def test_a_baseline_price_change_reprices_every_rebound(deepseek) -> None:
    resolve, results = Resolver(LIBRARY), ScenarioResults()
    deepseek = edits.apply_changes(deepseek, 0, [("market", ("price_basis",), "cost")], LIBRARY)  # priced at cost
    results.evaluate(resolve(deepseek), samples=200)
    before = results.computed
    edited = resolve(edits.apply_changes(deepseek, 0, [("hardware", ("price_usd_per_hour",), 9.0)], LIBRARY))
    cached = results.evaluate(edited, samples=200)
    assert results.computed - before == 2 + len(deepseek.scenarios)  # the baseline's deployment and figures, every totals
    fresh = evaluate(edited, samples=200)
    for got, want in zip(cached.scenarios, fresh.scenarios, strict=True):
        np.testing.assert_array_equal(got.totals.queries_per_day, want.totals.queries_per_day)


def test_sensitivity_is_computed_only_when_asked_with_the_refined_pass_and_then_kept(deepseek) -> None:
    resolved, results = Resolver(LIBRARY)(deepseek), ScenarioResults()
    assert chart_inputs(resolved, 50, results, refined=True).tornado is None
    # A Monte Carlo search of its own (~0.3 s): an edit's quick result is not held up by it.
    assert chart_inputs(resolved, 50, results, (1, "wh_per_query")).tornado is None
    shown = chart_inputs(resolved, 50, results, (1, "wh_per_query"), refined=True).tornado
    before = results.computed
    again = chart_inputs(resolved, 50, results, (1, "wh_per_query"), refined=True).tornado
    assert again is shown and results.computed == before and shown.bars


def test_with_nothing_to_sample_the_quick_pass_is_final_and_brings_the_sensitivity_and_flips(tmp_path) -> None:
    """No refinement follows a result of one draw: its quick pass must bring what the refined pass would."""
    _, plain = load_comparison(write(tmp_path / "plain.json", comparison()), LIBRARY)  # no input has a range
    inputs = chart_inputs(plain, 50, ScenarioResults(), (1, "wh_per_query"))
    assert inputs.samples == 1 and inputs.tornado is not None and inputs.tornado.bars
    assert inputs.flips is not None and set(inputs.flips) == {1}


def test_latest_wins_runs_the_newest_and_drops_the_replaced() -> None:
    delivered, release = [], threading.Event()
    scheduler = LatestWins(lambda generation, future: delivered.append((generation, future.result())))
    try:
        first = scheduler.submit(lambda: release.wait(10) and "first")
        replaced = [scheduler.submit(lambda i=i: i) for i in range(3)]
        release.set()
        assert first.result(10) == "first" and replaced[-1].result(10) == 2
        assert [f.cancelled() for f in replaced] == [True, True, False]
        scheduler.shutdown()  # joins the worker: every job has ended and made any delivery it would
        assert delivered == [(4, 2)]  # the first finished stale: never delivered
    finally:
        scheduler.shutdown()
    assert scheduler.stopped and scheduler.submit(lambda: 1).cancelled()


def test_idle_names_the_job_that_finished_even_when_a_newer_one_follows_at_once() -> None:
    """A listener must be able to tell "my newest job ended" from "an older one did":
    here the newer job is submitted from the deliver callback, before idle is called."""
    idle, finished = [], threading.Event()
    scheduler: LatestWins

    def deliver(generation: int, _future: object) -> None:
        if generation == 1:
            scheduler.submit(lambda: "refined")

    def on_idle(generation: int) -> None:
        idle.append((generation, scheduler.generation))
        if generation == 2:
            finished.set()

    scheduler = LatestWins(deliver, on_idle)
    try:
        scheduler.submit(lambda: "quick")
        assert finished.wait(10)
    finally:
        scheduler.shutdown()
    assert idle[0] == (1, 2)  # the quick job's end is reported as such while job 2 is newest
    assert idle[-1] == (2, 2)


def test_the_command_line_can_wait_on_the_scheduler(deepseek) -> None:
    scheduler = LatestWins()
    try:
        future = scheduler.submit(evaluate, Resolver(LIBRARY)(deepseek), 20)
        assert len(future.result(60).scenarios) == len(deepseek.scenarios)
    finally:
        scheduler.shutdown()


def test_the_window_draws_with_the_seed_its_exports_state(deepseek, monkeypatch) -> None:
    """The window's figures come from :data:`app.report.metadata.SEED`, the seed every export states."""
    from app.report import metadata

    resolved = Resolver(LIBRARY)(deepseek)
    monkeypatch.setattr(metadata, "SEED", 7)
    shown = chart_inputs(resolved, 50, ScenarioResults()).result.scenarios[1].inference.wh_per_query
    stated = evaluate(resolved, samples=50, seed=7).scenarios[1].inference.wh_per_query
    other = evaluate(resolved, samples=50, seed=0).scenarios[1].inference.wh_per_query
    assert not np.array_equal(stated, other)  # the seed matters to these figures
    np.testing.assert_array_equal(shown, stated)


def test_a_version_of_a_preset_is_the_comparisons_own_until_edited_since_it_was_opened_or_saved(deepseek) -> None:
    from pathlib import Path

    from app.session.document import Document
    from app.session.part_origin import market_origin, part_origin

    document = Document(deepseek, Path("q.json"))
    llama = deepseek.scenarios[0]
    assert part_origin(llama, 0, "model", document.saved_comparison) == "comparison"  # the file's R&D override
    assert part_origin(llama, 0, "hardware", document.saved_comparison) == "shipped"
    assert part_origin(llama, 0, "model", None) == "edited"  # nothing known to be saved: an edit
    document.apply(edits.apply_changes(deepseek, 0, [("model", ("layers",), 120)], LIBRARY), "Edit")
    edited = document.comparison.scenarios[0]
    assert part_origin(edited, 0, "model", document.saved_comparison) == "edited"
    assert part_origin(edited, 0, "usage", document.saved_comparison) == part_origin(llama, 0, "usage", deepseek)
    document.mark_saved(Path("q.json"))
    assert part_origin(edited, 0, "model", document.saved_comparison) == "comparison"
    assert market_origin(document.comparison, document.saved_comparison) == "shipped"
    document.apply(edits.apply_changes(document.comparison, 0, [("market", ("price_elasticity",), -0.5)], LIBRARY), "Edit")
    assert market_origin(document.comparison, document.saved_comparison) == "edited"
    document.mark_saved(Path("q.json"))
    assert market_origin(document.comparison, document.saved_comparison) == "comparison"
