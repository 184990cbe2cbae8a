"""Everyday equivalents: computed from the shipped, sourced figures, in evaluate's text and JSON."""

from __future__ import annotations

import json
import math

import pytest
from gui_fixtures import make_window, window  # fixtures

from app.paths import resources_dir
from app.report.equivalents import (
    QUANTITIES,
    EverydayFigure,
    count_text,
    energy_equivalents_line,
    equivalents,
    equivalents_document,
    shipped_figures,
)


def test_every_shipped_figure_has_a_value_a_year_and_a_source():
    data = json.loads((resources_dir() / "equivalents.json").read_text(encoding="utf-8"))
    entries = [entry for quantity in QUANTITIES for entry in data[quantity]]
    assert len(entries) == len(shipped_figures()) >= 3
    for entry in entries:
        assert entry["value"] > 0
        assert 1990 <= entry["year"] <= 2030
        assert len(entry["source"]) > 30, entry["id"]
        assert entry["cite"] and str(entry["year"]) in entry["cite"]
        assert "{count}" in entry["text"] and "{years}" in entry["text"] and "{years}" in entry["label"]


def test_counts_are_the_total_divided_by_the_published_yearly_figure_over_as_many_years():
    """A 5-year total read as "the yearly electricity of 936,000 US homes" reads as a yearly rate five times
    too high: the count is of homes over the same years (fails before)."""
    by_id = {e.id: e for e in equivalents(energy_mwh=10_715.0, co2e_t=46.0, years=1)}
    # 10,715 MWh = 10,715,000 kWh; an average US home used 10,715 kWh in 2020 (EIA).
    assert by_id["us_homes_year"].count == pytest.approx(1000.0)
    assert by_id["us_homes_year"].text == "the electricity 1,000 US homes use over the same 1 year"
    over_five = {e.id: e for e in equivalents(energy_mwh=5 * 10_715.0, co2e_t=46.0, years=5)}
    assert over_five["us_homes_year"].count == pytest.approx(1000.0)
    assert over_five["us_homes_year"].text == "the electricity 1,000 US homes use over the same 5 years"
    assert over_five["passenger_cars_year"].count == pytest.approx(2.0)
    # Ireland's data centres used 6,334 GWh in 2023 (CSO).
    assert by_id["ireland_data_centres_2023"].count == pytest.approx(10_715e3 / 6_334e6)
    # Ireland's whole metered consumption was 30,600 GWh in 2023 (CSO).
    assert by_id["ireland_metered_2023"].count == pytest.approx(10_715e3 / 30_600e6)
    # 46 t CO2e against 4.6 t CO2 per typical car and year (EPA).
    assert by_id["passenger_cars_year"].count == pytest.approx(10.0)
    assert "10 typical passenger cars" in by_id["passenger_cars_year"].text


def test_the_verdict_line_numbers_scenarios_as_the_summary_does():
    assert energy_equivalents_line([equivalents(53_575.0, math.nan, 5), equivalents(107_150.0, 46.0, 5)]) == (
        "Total energy in US homes' electricity over the same 5 years (US EIA, 2020): 1 ≈ 1,000; 2 ≈ 2,000."
    )
    assert energy_equivalents_line([equivalents(math.nan, 46.0, 5)]) == ""


def test_a_missing_or_zero_total_gives_no_equivalent():
    assert equivalents(float("nan"), 0.0, 5) == []
    assert equivalents(math.inf, -1.0, 5) == [] and equivalents_document([]) == {}


def test_counts_read_as_prose():
    assert count_text(1_382_000) == "1.38 million"
    assert count_text(2.5e9) == "2.5 billion"
    assert count_text(123_456) == "123,000"
    assert count_text(0.176) == "0.18"


def test_a_figure_file_of_its_own_can_be_used():
    figure = EverydayFigure("kettle", "energy_kwh", 0.1, 2024, "{count} kettles", "test", "kettles", "test")
    (found,) = equivalents(1.0, math.nan, 1, (figure,))
    assert found.count == pytest.approx(10_000) and found.text == "10,000 kettles"


def test_evaluate_prints_and_exports_the_equivalents(capsys):
    from app.cli import main

    assert main(["evaluate", "deepseek-question", "--samples", "1"]) == 0
    text = capsys.readouterr().out
    assert "Everyday equivalents of the median totals" in text
    assert "US homes" in text and "US EIA" in text
    assert main(["evaluate", "deepseek-question", "--samples", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    totals = doc["scenarios"][0]["totals"]
    homes = totals["equivalents"]["us_homes_year"]
    assert homes["count"] == pytest.approx(totals["cumulative_energy_mwh"]["median"] * 1e3 / (10_715 * 5))
    assert "EIA" in homes["source"]


def test_the_window_shows_the_equivalents_beside_the_totals(window):
    verdict = window.charts.verdict.text()
    assert "Total energy in US homes' electricity over the same 5 years (US EIA, 2020): 1 ≈ " in verdict
    table = window.charts.summary
    energy_tip = table.item(0, 3).toolTip()
    assert "US homes" in energy_tip and "Source: US EIA" in energy_tip
    co2e_tip = table.item(0, 4).toolTip()
    assert "typical passenger cars" in co2e_tip and "Source: US EPA" in co2e_tip
    assert "passenger cars" not in energy_tip and "US homes" not in co2e_tip  # each column its own quantity
