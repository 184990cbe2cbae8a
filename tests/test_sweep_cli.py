"""``jevons sweep``: the verdict map headless, its --list, and one clear line for every bad option."""

from __future__ import annotations

import csv
import io
import json

import pytest
from PySide6.QtGui import QImage

from app.paths import presets_dir
from tests.test_cli_validate import jevons

QUESTION = str(presets_dir() / "comparisons" / "deepseek-question.json")
V3 = "DeepSeek-V3 (mixture of experts) on H800"


def test_list_prints_path_low_high_unit_for_every_input() -> None:
    result = jevons("sweep", QUESTION, "--list")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["market.price_elasticity"] == "-1.11 0 dimensionless"  # its range
    assert lines["usage.horizon_years"].split()[1:] == ["30", "years"]  # no range: the field's bounds
    assert all(len(rest.split()) == 3 for rest in lines.values())


def test_json_map_holds_every_cell_and_its_axes() -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "usage.price_elasticity=-1.5:0:4",
                    "--y", "usage.efficiency_gain_per_year=0:0.8:3", "--samples", "30", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["x"]["path"] == "market.price_elasticity"  # a format-2 path keeps working
    assert doc["x"]["values"] == pytest.approx([-1.5, -1.0, -0.5, 0.0])
    median = doc["energy_ratio"]["median"]
    assert len(median) == 3 and all(len(row) == 4 for row in median)
    # A more elastic market answers V3's cheaper queries with more use: its ratio to the baseline rises.
    assert median[0][0] > median[0][3]
    # Both inputs are shared with the baseline (the market, one usage profile): named without an owner.
    assert (doc["x"]["label"], doc["y"]["label"]) == ("Price elasticity", "Efficiency gain per year (usage)")
    assert all(0 <= p <= 1 for row in doc["probability_more_energy"] for p in row)


def test_the_table_names_the_scenario_whose_input_alone_it_moves() -> None:
    """V3's chip price is its own (Llama's H100 rents at another price): the map moves it on V3's side alone,
    and says so; the answer's length (one usage profile) moves both sides and is named alone."""
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "hardware.price_usd_per_hour=1:4:2",
                    "--y", "usage.answer_tokens=300:1000:2", "--samples", "20")
    assert result.returncode == 0, result.stderr
    assert "rows: Answer tokens (usage) (tokens); columns: Rental price (hardware) (DeepSeek-V3) (USD/h)" in result.stdout


def test_csv_has_one_row_per_cell() -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "market.price_elasticity=-1:0:3",
                    "--y", "usage.answer_tokens=300:1000:2", "--samples", "20", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(line for line in io.StringIO(result.stdout) if not line.startswith("#")))
    assert rows[0][:3] == ["market.price_elasticity", "usage.answer_tokens", "energy_ratio_median"]
    assert len(rows) == 1 + 6


def test_the_csv_says_whose_input_each_axis_moves_above_its_header() -> None:
    """The CSV's header names the axes by path only, so the label that says V3's chip price moves on V3's side
    alone was in the table, the image and --json but not the CSV (fails before): ``#`` lines above the header,
    as every exported CSV has, now name the comparison, the two scenarios and each axis in words."""
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "hardware.price_usd_per_hour=1:4:2",
                    "--y", "usage.answer_tokens=300:1000:2", "--samples", "20", "--csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert lines[:len(comments)] == comments  # all above the header
    assert comments == [
        "# comparison: The DeepSeek question",
        f"# scenario: {V3}",
        "# baseline: Llama 3.1 405B (dense) on H100",
        "# samples: 20 per cell",
        "# x: hardware.price_usd_per_hour = Rental price (hardware) (DeepSeek-V3) (USD/h)",
        "# y: usage.answer_tokens = Answer tokens (usage) (tokens)",
    ]
    assert lines[len(comments)].startswith("hardware.price_usd_per_hour,usage.answer_tokens,")


def test_a_line_break_in_a_name_stays_inside_its_comment_line() -> None:
    """A name from a file may hold a line break or a terminal's escape sequence: above a CSV header it would
    end the comment and start a row of data, or clear the terminal the CSV is printed to."""
    from app.report.metadata import csv_comment_lines

    assert csv_comment_lines({"scenario": "V3\nsecond line\x1b[2J", "samples": 20}) == [
        "# scenario: V3\\nsecond line\\x1b[2J", "# samples: 20"]


def test_png_is_written(tmp_path) -> None:
    out = tmp_path / "map.png"
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "market.price_elasticity=-1:0:3",
                    "--y", "usage.answer_tokens=300:1000:3", "--samples", "10", "--png", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # On the palette's light background, not pyqtgraph's black one: the map, drawn on its own, was never
    # themed, so its black axis text sat on black (fails before).
    assert QImage(str(out)).pixelColor(2, 2).name() == "#ffffff"


def test_an_image_suffix_no_format_has_is_refused_before_the_map_is_computed(tmp_path) -> None:
    """``--png map.txt`` ended in a traceback after the whole map was computed (fails before)."""
    out = tmp_path / "map.txt"
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "market.price_elasticity=-1:0:3",
                    "--y", "usage.answer_tokens=300:1000:3", "--samples", "10", "--png", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"argument --png: {out}: unknown image format 'txt'; choose from png, svg, pdf" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ("usage.nonsense=1:2:3", "market.price_elasticity=-1:0:3", "--x: 'usage.nonsense' is not an input of scenario"),
        ("market.price_elasticity=0:-1:3", "usage.answer_tokens=300:900:3", "--x: LOW must be below HIGH, got 0 >= -1"),
        ("market.price_elasticity=-1:0:1", "usage.answer_tokens=300:900:3", "--x: N must be from 2 to 200, not 1"),
        ("market.price_elasticity=-1:0:201", "usage.answer_tokens=300:900:3", "--x: N must be from 2 to 200, not 201"),
        ("market.price_elasticity=-1:0:3", "usage.answer_tokens=300:900", "--y: expected PATH=LOW:HIGH:N"),
        ("market.price_elasticity=-9:0:3", "usage.answer_tokens=300:900:3", "--x: -9 is impossible for market.price_elasticity"),
        ("market.price_elasticity=-1:0:3", "model.moe.shared_experts=1:3:3", "--y: model.moe.shared_experts cannot vary"),
    ],
)
def test_bad_input_gets_one_line_naming_the_option(x: str, y: str, message: str) -> None:
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", x, "--y", y, "--samples", "10")
    assert result.returncode == 2
    assert result.stderr.startswith(f"jevons sweep: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_the_scenario_must_exist_and_not_be_the_baseline() -> None:
    result = jevons("sweep", QUESTION, "--scenario", "nobody", "--x", "market.price_elasticity=-1:0:3",
                    "--y", "usage.answer_tokens=300:900:3")
    assert result.returncode == 2 and result.stderr.startswith("jevons sweep: --scenario: no scenario 'nobody'")
    result = jevons("sweep", QUESTION, "--scenario", "Llama 3.1 405B (dense) on H100",
                    "--x", "market.price_elasticity=-1:0:3", "--y", "usage.answer_tokens=300:900:3")
    assert result.returncode == 2 and "is the baseline" in result.stderr


def test_the_sweep_table_names_inputs_in_words_with_a_true_minus() -> None:
    """The table printed raw paths and hyphen-minus ("usage.efficiency_gain_per_year", "-1.11")."""
    result = jevons("sweep", "deepseek-question", "--scenario", "DeepSeek-V3 (mixture of experts) on H800",
                    "--samples", "20", "--x", "market.price_elasticity=-1.11:0:3",
                    "--y", "usage.efficiency_gain_per_year=0.1:0.5:3")
    assert result.returncode == 0, result.stderr
    assert "rows: Efficiency gain per year (usage) (fraction/year); columns: Price elasticity" in result.stdout
    assert "usage.efficiency" not in result.stdout and "−1.11" in result.stdout and "-1.11" not in result.stdout


def test_a_grid_value_that_makes_an_impossible_deployment_is_refused_as_validate_refuses_it() -> None:
    """DeepSeek's deployment spreads its data parallelism over 144 accelerators: a sweep of 8 to 16 of them
    printed a verdict of 62.7x for a deployment its preset file could not hold (a reviewer's finding)."""
    result = jevons("sweep", QUESTION, "--scenario", V3, "--x", "deployment.accelerators_per_replica=8:16:2",
                    "--y", "market.price_elasticity=-1:0:2", "--samples", "10")
    assert result.returncode == 2 and result.stdout == ""
    assert ("--x: deployment.accelerators_per_replica = 8 makes an impossible deployment: "
            "Data parallel (144 replicas) cannot exceed Accelerators per replica (8)") in result.stderr
