"""A scenario released after the comparison's start (``launch_months_after_start``) serves the market
from its launch on: nothing before, the market's demand (read on the comparison's calendar) after."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.library import PresetLibrary, ResolvedScenario
from app.domain.loading import load_comparison
from app.engine import adoption, pricing
from app.engine.evaluate import evaluate
from app.engine.inputs import Inputs
from app.engine.results import TotalsResult
from app.engine.sampling import draw
from app.paths import presets_dir
from app.report.html_report import input_rows
from tests.factories import comparison, write
from tests.test_evaluate_cli import jevons

QUESTION = presets_dir() / "comparisons" / "deepseek-question.json"


@cache
def question() -> list[ResolvedScenario]:
    return load_comparison(QUESTION, PresetLibrary())[1].scenarios


@cache
def _r1_parts() -> tuple[Inputs, object, object, pricing.PricePath, pricing.PricePath]:
    """R1 at central values priced against Llama's list prices: the rebound (elasticity -0.55, a
    quarter of it as longer answers) is on, so a launch is checked with the rebound's factors too."""
    llama, _v3, r1 = question()
    computed = evaluate(load_comparison(QUESTION, PresetLibrary())[1], samples=1)
    reference, result = computed.scenarios[0], computed.scenarios[2]
    inp = draw(r1, 1, 0)
    price = pricing.price_path(inp, result.inference, result.training)
    baseline = pricing.price_path(draw(llama, 1, 0), reference.inference, reference.training)
    return inp, result.training, result.inference, price, baseline


def r1_totals(launch: float) -> TotalsResult:
    inp, trained, served, price, baseline = _r1_parts()
    values = dict(inp.values) | {"launch_months_after_start": np.array([float(launch)])}
    return adoption.compute(Inputs(values, inp.choices, inp.samples), trained, served, price, baseline)


def monthly(cumulative: np.ndarray) -> np.ndarray:
    return np.diff(cumulative[:, 0], prepend=0.0)


def test_a_launch_three_months_late_serves_nothing_before_and_the_same_months_after():
    start, late = r1_totals(0), r1_totals(3)
    assert late.months[-1] == start.months[-1] == 60
    # Nothing served, nothing used in months 1-3.
    np.testing.assert_array_equal(late.queries_per_day[:3, 0], 0.0)
    np.testing.assert_array_equal(monthly(late.inference_energy_mwh)[:3], 0.0)
    # From month 4 on, the very months a scenario serving from the start has (the market's calendar).
    np.testing.assert_allclose(late.queries_per_day[3:, 0], start.queries_per_day[3:, 0], rtol=1e-12)
    np.testing.assert_allclose(monthly(late.inference_energy_mwh)[3:], monthly(start.inference_energy_mwh)[3:],
                               rtol=1e-9)
    # By hand: the horizon's inference is the start's less its first three months.
    missed = monthly(start.inference_energy_mwh)[:3].sum()
    assert late.inference_energy_mwh[-1, 0] == pytest.approx(start.inference_energy_mwh[-1, 0] - missed, rel=1e-9)
    assert missed > 0
    # Training happens before launch, as at the start.
    np.testing.assert_array_equal(late.training_energy_mwh, start.training_energy_mwh)


def test_a_launch_within_a_month_serves_the_rest_of_that_month():
    start, late = r1_totals(0), r1_totals(0.82)
    assert monthly(late.inference_energy_mwh)[0] == pytest.approx(0.18 * monthly(start.inference_energy_mwh)[0],
                                                                  rel=1e-9)
    np.testing.assert_allclose(monthly(late.inference_energy_mwh)[1:], monthly(start.inference_energy_mwh)[1:],
                               rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0, max_value=59.9), st.floats(min_value=0, max_value=59.9))
def test_a_later_launch_never_uses_more_inference_energy(first: float, second: float):
    early, late = sorted((first, second))
    assert r1_totals(late).inference_energy_mwh[-1, 0] <= r1_totals(early).inference_energy_mwh[-1, 0]


def test_the_deepseek_question_launches_r1_after_v3_with_its_source():
    llama, v3, r1 = question()
    assert llama.launch_months_after_start.value == v3.launch_months_after_start.value == 0
    launch = r1.launch_months_after_start
    assert launch.value == pytest.approx(25 / (365.25 / 12), abs=0.005)  # 26 Dec 2024 to 20 Jan 2025
    assert "20 Jan 2025" in launch.source and "26 Dec 2024" in launch.source


@pytest.mark.parametrize(("launch", "said"), [
    ({"value": 60}, "launch is 60 months"),
    ({"value": 70}, "launch is 70 months"),
    ({"value": 6, "low": 0, "high": 60}, "the launch's range reaches 60 months"),
])
def test_a_launch_at_or_beyond_the_horizon_is_refused_naming_the_file_field_and_bound(
    tmp_path: Path, launch: dict, said: str
):
    document = comparison()
    document["scenarios"][1]["launch_months_after_start"] = launch
    path = write(tmp_path / "late.json", document)
    for command in ("validate", "evaluate"):
        result = jevons(command, str(path))
        assert result.returncode == 2, result.stdout
        assert "Traceback" not in result.stderr
        assert str(path) in result.stderr or path.name in result.stderr
        assert "scenarios[1] ('B').launch_months_after_start" in result.stderr
        assert said in result.stderr and "must be less than 60" in result.stderr


def test_a_launch_before_the_horizon_ends_evaluates(tmp_path: Path):
    document = comparison()
    document["scenarios"][1]["launch_months_after_start"] = {"value": 59.5, "source": "Test: half a month left"}
    result = jevons("evaluate", str(write(tmp_path / "late.json", document)))
    assert result.returncode == 0, result.stderr


def test_evaluate_json_writes_each_scenarios_launch_with_its_source():
    result = jevons("evaluate", str(QUESTION), "--samples", "1", "--json")
    assert result.returncode == 0, result.stderr
    launches = {s["name"]: s["launch_months_after_start"] for s in json.loads(result.stdout)["scenarios"]}
    assert launches["Llama 3.1 405B (dense) on H100"] == {"median": 0.0}  # the default: from the start
    r1 = launches["DeepSeek-R1 (reasoning) on H800"]
    assert r1.keys() == {"median", "source"} and r1["median"] == 0.82 and "20 Jan 2025" in r1["source"]


def test_the_reports_table_of_inputs_lists_each_scenarios_launch_with_its_unit_and_source():
    rows = [row for row in input_rows(load_comparison(QUESTION, PresetLibrary())[1])
            if row.input == "Launch after the start"]
    assert {row.unit for row in rows} == {"month"}
    from_start, r1 = rows  # scenarios sharing a launch are listed once
    assert "Llama 3.1 405B" in from_start.scenario and "DeepSeek-V3" in from_start.scenario
    assert from_start.value == 0 and "DeepSeek-R1" not in from_start.scenario
    assert "DeepSeek-R1" in r1.scenario and r1.value == 0.82 and "20 Jan 2025" in r1.source


def test_a_sweep_of_the_launch_stops_before_the_horizon_ends():
    listed = jevons("sweep", str(QUESTION), "--list")
    assert listed.returncode == 0, listed.stderr
    assert "launch_months_after_start 0 60 month" in listed.stdout.splitlines()
    axes = ("--scenario", "DeepSeek-R1 (reasoning) on H800", "--y", "market.price_elasticity=-1:0:2", "--samples", "10")
    late = jevons("sweep", str(QUESTION), "--x", "launch_months_after_start=0:100:3", *axes)
    assert late.returncode == 2 and "Traceback" not in late.stderr
    assert late.stderr.strip() == ("jevons sweep: --x: 100 is impossible for launch_months_after_start: "
                                   "must be >= 0 and < 60")
    within = jevons("sweep", str(QUESTION), "--x", "launch_months_after_start=0:59:3", *axes, "--json")
    assert within.returncode == 0, within.stderr
