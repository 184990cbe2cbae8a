"""Migration of files of format 2 to format 3: demand moves from the usage profile to the comparison.

Format 2 gave every usage profile its own demand curve and price elasticity, so
two scenarios of a comparison could serve different markets. Format 3 holds
one market per comparison (``app.domain.market``). A format-2 comparison takes
the market of its baseline's usage profile, so every scenario then serves the
same demand, like for like: a shipped usage profile named by id becomes the
shipped market of the same id (``presets/markets`` keeps the format-2 demand
of each), an embedded one an embedded market. Overrides of ``usage.demand.*``
and ``usage.price_elasticity`` become overrides of ``market.*`` (on the
baseline they change the market itself). A format-2 usage file loses its
demand and elasticity, which have no place in a usage profile any more.
"""

from __future__ import annotations

import copy
from typing import Any

from app.domain.input_paths import LEGACY_PATHS, current_path

_MARKET_FIELDS = ("demand", "price_elasticity")


def _market_of(usage: Any) -> Any:
    """The market a format-2 usage profile implied: a shipped id, an embedded market or None."""
    if isinstance(usage, str):
        return usage
    if isinstance(usage, dict) and "demand" in usage:
        market = {"name": usage.get("name", "Market"), "demand": copy.deepcopy(usage["demand"])}
        market["price_elasticity"] = copy.deepcopy(usage.get("price_elasticity", 0))
        return market
    return None


def _strip(usage: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in usage.items() if key not in _MARKET_FIELDS}


def _set(market: dict[str, Any], path: str, value: Any) -> None:
    node: Any = market
    keys = path.split(".")[1:]
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[keys[-1]] = value


def migrate_2_to_3(document: Any) -> Any:
    """A format-2 document as format 3 (see the module's docstring)."""
    if not isinstance(document, dict):
        return document
    kind = document.get("kind")
    if kind == "usage":
        return _strip(document)
    scenarios = document.get("scenarios")
    if kind != "comparison" or not isinstance(scenarios, list) or "market" in document:
        return document
    names = [s.get("name") if isinstance(s, dict) else None for s in scenarios]
    baseline = names.index(document["baseline"]) if document.get("baseline") in names else 0
    first = scenarios[baseline] if baseline < len(scenarios) else None
    market = _market_of(first.get("usage")) if isinstance(first, dict) else None
    migrated_scenarios = []
    for index, scenario in enumerate(scenarios):
        if not isinstance(scenario, dict):
            migrated_scenarios.append(scenario)
            continue
        scenario = dict(scenario)
        if isinstance(scenario.get("usage"), dict):
            scenario["usage"] = _strip(scenario["usage"])
        overrides = scenario.get("overrides")
        if isinstance(overrides, dict):
            renamed: dict[str, Any] = {}
            for path, value in overrides.items():
                if not any(path.startswith(old) for old in LEGACY_PATHS):
                    renamed[path] = value
                elif index == baseline and isinstance(market, dict):
                    _set(market, current_path(path), value)
                else:
                    renamed[current_path(path)] = value
            scenario["overrides"] = renamed
        migrated_scenarios.append(scenario)
    migrated = dict(document)
    migrated["scenarios"] = migrated_scenarios
    if market is not None:
        migrated["market"] = market
    return migrated
