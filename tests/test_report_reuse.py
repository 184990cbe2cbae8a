"""Chart tables are taken once per engine result: after an edit only the edited scenario's."""

from __future__ import annotations

import gc

import numpy as np

from app import remembered
from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.results import percentiles
from app.paths import presets_dir
from app.report.chart_data import ChartInputs, adoption_totals_rows, summary_rows, training_spend_rows
from app.report.figures import bands, stacked_percentiles
from app.session.results import ScenarioResults


def _question():
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    return resolved


def test_an_edit_takes_the_percentiles_of_the_edited_scenario_only() -> None:
    resolved, memo = _question(), ScenarioResults()
    before = ChartInputs(resolved, memo.evaluate(resolved, samples=100)).prepare()
    scenarios = list(resolved.scenarios)
    edited = resolved.model_copy(update={"scenarios": scenarios[:2] + [scenarios[2].model_copy(update={"name": "R1*"})]})
    after = ChartInputs(edited, memo.evaluate(edited, samples=100)).prepare()
    assert after.adoption.scenarios[0] is before.adoption.scenarios[0]  # kept, not taken again
    assert after.adoption.scenarios[2] is not before.adoption.scenarios[2]
    fresh = ChartInputs(edited, ScenarioResults().evaluate(edited, samples=100)).prepare()
    assert training_spend_rows(after.training) == training_spend_rows(fresh.training)
    assert adoption_totals_rows(after.adoption) == adoption_totals_rows(fresh.adoption)
    assert summary_rows(after.summary) == summary_rows(fresh.summary) and after.verdict == fresh.verdict


def test_tables_are_forgotten_with_their_results() -> None:
    resolved = _question()
    ScenarioResults().evaluate(resolved, samples=20)  # what is kept per scenario (its inputs) lives with it
    gc.collect()
    start = remembered.kept()
    tables = ChartInputs(resolved, ScenarioResults().evaluate(resolved, samples=20)).prepare()
    assert remembered.kept() > start
    del tables
    gc.collect()
    assert remembered.kept() == start


def test_one_sort_of_many_arrays_gives_each_array_s_own_percentiles() -> None:
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=(3, 50)), rng.normal(size=50), np.where(rng.random(50) < 0.3, np.inf, 1.0),
              rng.normal(size=(0, 50)), rng.normal(size=(2, 4, 50))]
    for got, array in zip(stacked_percentiles(arrays), arrays, strict=True):
        for mine, want in zip(got, percentiles(array), strict=True):
            np.testing.assert_array_equal(mine, want)
    assert bands(arrays[1:3]) == [bands([arrays[1]])[0], bands([arrays[2]])[0]]
