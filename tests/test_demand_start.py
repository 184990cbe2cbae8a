"""Demand starts at the comparison's start: the market's curve is read from ``market.start_month`` on."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.library import PresetLibrary, ResolvedScenario
from app.domain.loading import load_comparison
from app.domain.market import ExponentialDemand
from app.domain.quantity import Quantity
from app.engine import adoption
from app.engine.sampling import draw
from app.paths import presets_dir

MONTHS = np.arange(1, 61, dtype=float)[:, None] - 0.5


def question() -> ResolvedScenario:
    return load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1].scenarios[0]


def starting_at(scenario: ResolvedScenario, month: float) -> ResolvedScenario:
    market = scenario.market.model_copy(update={"start_month": Quantity(value=month)})
    return scenario.model_copy(update={"market": market})


def queries_per_day(scenario: ResolvedScenario) -> np.ndarray:
    return adoption.demand(draw(scenario, 1, 0), MONTHS)[:, 0]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=40))
def test_a_later_start_reads_the_same_curve_later(months: int):
    scenario = question()
    from_origin = queries_per_day(starting_at(scenario, 0))
    later = queries_per_day(starting_at(scenario, months))
    np.testing.assert_allclose(later[: 60 - months], from_origin[months:], rtol=1e-12)


def test_an_exponential_curve_grows_by_its_rate_to_the_start():
    scenario = question()
    demand = ExponentialDemand(initial_queries_per_day=Quantity(value=1e6), growth_per_year=Quantity(value=1.0))
    scenario = scenario.model_copy(update={"market": scenario.market.model_copy(update={"demand": demand})})
    ratio = queries_per_day(starting_at(scenario, 24)) / queries_per_day(starting_at(scenario, 0))
    np.testing.assert_allclose(ratio, 4.0, rtol=1e-12)  # doubling a year, two years on


def test_the_deepseek_question_starts_at_v3s_release_not_at_chatgpts():
    scenario = question()
    assert scenario.market.start_month.value == 25
    first = queries_per_day(scenario)[0]
    # The reported anchor: about 1 B prompts a day in December 2024 (the market's source), not the
    # 9 M a day of ChatGPT's first month.
    assert first == pytest.approx(1.07e9, rel=0.02)
    assert queries_per_day(starting_at(scenario, 0))[0] < 0.01 * first
