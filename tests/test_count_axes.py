"""A swept count takes whole values: ``jevons sweep`` and the window's verdict map draw a count's axis (layers,
heads, accelerators) at the distinct whole numbers nearest its evenly spaced points, and say when that is fewer
points than asked; before, an axis of layers from 40 to 80 in 4 points was refused at 53.3333 layers."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.results import percentiles
from app.engine.variants import Sweep, break_even, input_info
from app.paths import presets_dir
from tests.test_cli_validate import jevons

QUESTION = str(presets_dir() / "comparisons" / "deepseek-question.json")
V3 = "DeepSeek-V3 (mixture of experts) on H800"
SCENARIO = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1].scenarios[1]
LAYERS = input_info(SCENARIO, "model.layers")


def test_an_axis_of_layers_draws_whole_layers_and_is_mapped() -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "model.layers=40:80:4",
                    "--y", "market.price_elasticity=-1:0:2", "--samples", "20", "--json")
    assert result.returncode == 0, result.stderr
    axis = json.loads(result.stdout)["x"]
    assert axis["values"] == [40, 53, 67, 80] and axis["points_asked"] == 4


def test_a_count_axis_with_more_points_than_whole_numbers_says_how_many_it_drew() -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "model.layers=40:60:30",
                    "--y", "market.price_elasticity=-1:0:2", "--samples", "20")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "Layers (model) (DeepSeek-V3): 21 whole values, of the 30 points asked"
    assert lines[3].split() == [str(layers) for layers in range(40, 61)]


def test_a_count_axis_holding_fewer_than_two_whole_numbers_is_refused() -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "model.layers=40.2:40.8:30",
                    "--y", "market.price_elasticity=-1:0:2")
    assert result.returncode == 2
    assert result.stderr == ("jevons sweep: --x: model.layers counts whole things, and 40.2 to 40.8 holds fewer "
                             "than two whole numbers: widen the span\n")


@given(low=st.floats(1, 500), width=st.floats(0, 500), points=st.integers(2, 200))
def test_a_count_s_grid_is_distinct_whole_numbers_within_the_span(low: float, width: float, points: int) -> None:
    high = low + width
    grid = LAYERS.grid(low, high, points)
    assert all(value.is_integer() and low <= value <= high for value in grid)
    assert list(grid) == sorted(set(grid)) and len(grid) <= points
    wholes = int(high) - int(-(-low // 1)) + 1  # whole numbers in [low, high]
    assert len(grid) == min(points, max(wholes, 0))  # as many as asked while the span holds them


def test_an_input_that_is_no_count_keeps_its_evenly_spaced_points() -> None:
    elasticity = input_info(SCENARIO, "market.price_elasticity")
    assert list(elasticity.grid(-1.5, 0, 4)) == [-1.5, -1.0, -0.5, 0.0]


def test_a_count_s_break_even_is_the_first_whole_number_past_the_flip() -> None:
    """DeepSeek-V3's 61 layers: its median verdict flips near 260.7 layers. The value reported is a number of
    layers a file could hold, the first past the flip: the median ratio there is across 1 from the scenario's own,
    and one layer back it is not yet."""
    comparison = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]
    sweep = Sweep(comparison, 1)
    found = break_even(comparison, 1, "model.layers", sweep=sweep)
    assert found.searched == (4.0, 1220.0)  # whole ends, just inside 61 / 20 and 61 x 20
    assert found.value is not None and found.value.is_integer() and found.value > LAYERS.value
    excess = percentiles(sweep.ratios({"model.layers": [LAYERS.value, found.value - 1, found.value]}).energy)[1] - 1
    assert np.sign(excess[0]) == np.sign(excess[1]) != np.sign(excess[2])


def test_the_command_line_reports_a_count_s_flip_as_a_whole_number() -> None:
    result = jevons("evaluate", QUESTION, "--break-even", "model.layers", "--samples", "50", "--json")
    assert result.returncode == 0, result.stderr
    rows = [row for scenario in json.loads(result.stdout)["scenarios"]
            for row in scenario["verdict"].get("break_even", []) if row["path"] == "model.layers"]
    assert rows and all(row["value"] is None or float(row["value"]).is_integer() for row in rows)
    assert any(row["value"] is not None for row in rows)
