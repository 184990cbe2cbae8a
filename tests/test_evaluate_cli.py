"""``jevons evaluate`` as a user runs it: tables, JSON documents and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import presets_dir
from tests.conftest import jevons
from tests.factories import HARDWARE, MODEL, changed, comparison, write

SHIPPED = sorted((presets_dir() / "comparisons").glob("*.json"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_comparison_evaluates_to_a_json_document(path: Path) -> None:
    result = jevons("evaluate", str(path), "--samples", "100", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["samples"] == 100  # every shipped comparison carries uncertainty ranges
    for scenario in doc["scenarios"]:
        assert scenario["name"]
        for key in ("flops", "accelerator_hours", "energy_mwh", "co2e_t", "cost_usd"):
            assert scenario["training"][key]["median"] > 0
        for key in ("wh_per_query", "prefill_wh", "answer_wh", "reasoning_wh", "accelerators_per_replica", "usd_per_query"):
            assert scenario["inference"][key]["median"] >= 0
        assert scenario["totals"]["months"] >= 1
        assert 0 <= scenario["launch_months_after_start"]["median"] < scenario["totals"]["months"]
        assert scenario["totals"]["cumulative_energy_mwh"]["median"] > 0
        crossover = scenario["totals"]["crossover_month"]
        if crossover["median"] is None:
            assert crossover["share_never"] >= 0.5
        else:
            assert 1 <= crossover["median"] <= scenario["totals"]["months"]


def test_ranged_inputs_give_p5_and_p95(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.0.usage.answer_tokens", {"value": 400, "low": 200, "high": 900})
    result = jevons("evaluate", str(write(tmp_path / "c.json", document)), "--samples", "300", "--json")
    assert result.returncode == 0, result.stderr
    wh = json.loads(result.stdout)["scenarios"][0]["inference"]["wh_per_query"]
    assert wh["p5"] < wh["median"] < wh["p95"]


def test_without_ranges_figures_have_only_a_median(tmp_path: Path) -> None:
    result = jevons("evaluate", str(write(tmp_path / "c.json", comparison())), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["samples"] == 1
    assert set(doc["scenarios"][0]["inference"]["wh_per_query"]) == {"median"}


def test_default_output_is_a_readable_table(tmp_path: Path) -> None:
    result = jevons("evaluate", str(write(tmp_path / "c.json", comparison())))
    assert result.returncode == 0, result.stderr
    assert "Inference, per query" in result.stdout and "energy (Wh)" in result.stdout
    assert "boundary: facility" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_a_broken_file_lists_its_problems_and_exits_two_without_traceback(tmp_path: Path) -> None:
    bad = changed(comparison(), "scenarios.0.hardware.max_power_w", -5)
    result = jevons("evaluate", str(write(tmp_path / "bad.json", bad)))
    assert result.returncode == 2
    assert "max_power_w" in result.stderr and "Traceback" not in result.stderr


def test_a_preset_that_is_not_a_comparison_is_refused(tmp_path: Path) -> None:
    result = jevons("evaluate", str(write(tmp_path / "m.json", MODEL)))
    assert result.returncode == 2
    assert "comparison file is needed" in result.stderr


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    result = jevons("evaluate", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2 and "file not found" in result.stderr


def test_samples_must_be_positive(tmp_path: Path) -> None:
    result = jevons("evaluate", str(write(tmp_path / "h.json", HARDWARE)), "--samples", "0")
    assert result.returncode == 2 and "--samples" in result.stderr


def test_too_many_samples_is_refused_before_computing(tmp_path: Path) -> None:
    result = jevons("evaluate", str(write(tmp_path / "h.json", HARDWARE)), "--samples", "10000000")
    assert result.returncode == 2 and "must be from 1 to 20,000" in result.stderr


@pytest.mark.parametrize(("seed", "message"), [
    ("4294967296", "must be from 0 to 4,294,967,295, not 4294967296"),
    ("-1", "must be from 0 to 4,294,967,295, not -1"),
    ("1.5", "must be a whole number, not '1.5'"),
])
def test_a_seed_the_sampler_cannot_honour_is_refused(seed: str, message: str) -> None:
    """The sampler keys its draws with 32 bits of the seed: --seed 4294967296 silently gave seed 0's
    figures, and a negative seed was accepted (fails before)."""
    result = jevons("evaluate", "deepseek-question", "--seed", seed, "--samples", "10")
    assert result.returncode == 2 and f"argument --seed: {message}" in result.stderr
    assert result.stdout == ""


def test_the_table_fits_the_terminal_in_blocks_of_scenarios() -> None:
    """The evaluate table was 145 columns wide whatever the terminal."""
    from app.commands.evaluate import table

    result = jevons("evaluate", "deepseek-question", "--json", "--samples", "50")
    doc = json.loads(result.stdout)
    narrow = table(doc, width=100).split("\nHorizon:")[0].splitlines()[1:]
    assert max(len(line) for line in narrow) <= 100
    assert sum(line.startswith("----") for line in narrow) == 3  # one block per scenario at this width
    wide = table(doc, width=400).split("\nHorizon:")[0].splitlines()[1:]
    assert sum(line.startswith("----") for line in wide) == 1 and all(s["name"] in wide[0] for s in doc["scenarios"])
    # The sentences too: verdicts and sources ran to 279 characters in an 80-column terminal.
    at_80 = table(doc, width=80).splitlines()
    assert max(len(line) for line in at_80) <= 80
    assert any(line.startswith("    the energy of") or line.startswith("    energy of") for line in at_80)


def test_the_json_states_the_service_level_and_each_deployments_first_token_wait() -> None:
    result = jevons("evaluate", "deepseek-question", "--samples", "20", "--json")
    doc = json.loads(result.stdout)
    level = doc["service_level"]
    assert level["tokens_per_second_per_user"]["median"] == 21
    assert (level["time_to_first_token_s"]["median"], level["time_to_first_token_s"]["p5"]) == (2, 0.45)
    assert "MLPerf" in level["time_to_first_token_s"]["source"]
    for scenario in doc["scenarios"]:
        deployment = scenario["inference"]["deployment"]
        assert 0 < deployment["time_to_first_token_s"] <= 2 and deployment["meets_service_level"]


def test_a_crossover_whose_band_reaches_never_says_so_as_the_window_does() -> None:
    """The table printed V3's crossover as a bare '4' where the window says 'month 4 (1–never)': a band
    whose top end never comes is written with 'never', not dropped."""
    from app.commands.evaluate import _cell

    assert _cell({"median": 4.0, "p5": 1.0, "p95": None}, "never") == "4 (1–never)"
    assert _cell({"median": None, "p5": 1.0, "p95": None}, "never") == "never"
    assert _cell({"median": 3.0, "p5": 1.0, "p95": 10.0}, "never") == "3 (1–10)"


def test_a_reader_that_stops_reading_gets_no_traceback() -> None:
    """``jevons evaluate deepseek-question | head -3`` printed a BrokenPipeError traceback once head had
    its lines (a reviewer's finding): the command now stops quietly."""
    from tests.conftest import REPO

    process = subprocess.Popen([sys.executable, "-m", "app", "evaluate", "published-gpt-3", "--samples", "20"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    process.stdout.close()  # the reader is gone before the first line
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=300) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
