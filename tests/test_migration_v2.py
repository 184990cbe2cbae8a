"""Files of format 2 (demand in the usage profile) still open, like for like, with their old override paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.domain.files import load_preset
from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.loading import load_comparison
from app.domain.quantity import Quantity
from app.engine.evaluate import evaluate
from tests.factories import DATACENTER, HARDWARE, MODEL, USAGE, write

V2_DEMAND = {"curve": "logistic", "peak_queries_per_day": 2e8, "midpoint_month": 18, "growth_rate_per_month": 0.3}


def _embedded(preset: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in preset.items() if k != "format_version"}


def _v2_comparison(**changes) -> dict:
    usage = dict(_embedded(USAGE), demand=V2_DEMAND, price_elasticity=-0.7)
    other = dict(usage, demand={"curve": "exponential", "initial_queries_per_day": 5, "growth_per_year": 0})
    parts = {"model": _embedded(MODEL), "hardware": _embedded(HARDWARE), "datacenter": _embedded(DATACENTER)}
    document = {
        "format_version": 2,
        "kind": "comparison",
        "name": "old",
        "scenarios": [{"name": "A", **parts, "usage": other}, {"name": "B", **copy.deepcopy(parts), "usage": usage}],
        "baseline": "B",
    }
    document.update(changes)
    return document


def test_a_v2_comparison_serves_its_baselines_demand_in_every_scenario(tmp_path: Path) -> None:
    comparison = load_preset(write(tmp_path / "c.json", _v2_comparison()))
    assert comparison.market.demand.peak_queries_per_day.value == 2e8
    assert comparison.market.price_elasticity.value == -0.7
    resolved = resolve_comparison(comparison, PresetLibrary())
    assert {s.market.demand.curve for s in resolved.scenarios} == {"logistic"}


def test_a_v2_usage_file_opens_without_its_demand(tmp_path: Path) -> None:
    document = dict(USAGE, format_version=2, demand=V2_DEMAND, price_elasticity=-0.5)
    usage = load_preset(write(tmp_path / "u.json", document))
    assert usage.kind == "usage" and not hasattr(usage, "demand")


def test_a_v2_comparison_naming_a_shipped_usage_takes_the_shipped_market_of_that_id(tmp_path: Path) -> None:
    document = _v2_comparison()
    for scenario in document["scenarios"]:
        scenario["usage"] = "chat-assistant"
    path = write(tmp_path / "c.json", document)
    _, resolved = load_comparison(path, PresetLibrary())
    assert resolved.scenarios[0].market.name == PresetLibrary().get("market", "chat-assistant").name


def test_old_override_paths_of_demand_keep_working(tmp_path: Path) -> None:
    document = _v2_comparison()
    document["scenarios"][1]["overrides"] = {"usage.demand.peak_queries_per_day": 4e8, "usage.batch_size": 8}
    document["scenarios"][0]["overrides"] = {"usage.price_elasticity": -0.2}
    comparison = load_preset(write(tmp_path / "c.json", document))
    # On the baseline the override changes the market itself; elsewhere it stays that scenario's own.
    assert comparison.market.demand.peak_queries_per_day.value == 4e8
    assert comparison.scenarios[1].overrides.keys() == {"usage.batch_size"}
    resolved = resolve_comparison(comparison, PresetLibrary())
    assert resolved.scenarios[0].market.price_elasticity.value == -0.2
    assert resolved.scenarios[1].market.price_elasticity.value == -0.7


def test_a_v3_file_may_still_write_the_old_override_path(tmp_path: Path) -> None:
    migrated = load_preset(write(tmp_path / "c.json", _v2_comparison()))
    document = json.loads(migrated.model_dump_json(exclude_none=True))
    document["format_version"] = 3
    document["scenarios"][0]["overrides"] = {"usage.price_elasticity": -0.1}
    comparison = load_preset(write(tmp_path / "v3.json", document))
    assert list(comparison.scenarios[0].overrides) == ["market.price_elasticity"]  # mapped once, on loading
    resolved = resolve_comparison(comparison, PresetLibrary())
    assert resolved.scenarios[0].market.price_elasticity.value == -0.1


def test_a_migrated_comparison_evaluates(tmp_path: Path) -> None:
    _, resolved = load_comparison(write(tmp_path / "c.json", _v2_comparison()), PresetLibrary())
    result = evaluate(resolved, samples=1)
    assert result.scenarios[1].totals.queries_per_day_no_rebound[-1, 0] == pytest.approx(
        result.scenarios[0].totals.queries_per_day_no_rebound[-1, 0]
    )


def test_a_scenario_without_list_prices_in_a_list_priced_market_is_priced_at_cost_and_flagged(tmp_path: Path) -> None:
    from app.domain.like_for_like import comparison_differences
    from app.domain.market import ListPrice

    comparison = load_preset(write(tmp_path / "c.json", _v2_comparison()))
    market = comparison.market.model_copy(update={"price_basis": "list"})
    priced = comparison.scenarios[1].model_copy(update={"list_price": ListPrice(
        usd_per_million_input_tokens=Quantity(value=1), usd_per_million_output_tokens=Quantity(value=1))})
    comparison = comparison.model_copy(update={"market": market, "scenarios": [comparison.scenarios[0], priced]})
    resolved = resolve_comparison(comparison, PresetLibrary())
    assert comparison_differences(resolved)[0] == ["priced at its serving cost (no list price)"]
    result = evaluate(resolved, samples=1)
    assert result.scenarios[0].totals.price_usd_per_query[0] == result.scenarios[0].inference.usd_per_query[0]
