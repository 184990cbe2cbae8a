"""Whose a scenario's preset is, for the editor's preset picker. No Qt.

A part may be a shipped preset as shipped, or a version of one: embedded in
the comparison, or a shipped preset with overrides. Such a version is either
the comparison's own (the file as opened or last saved sets it so: the
DeepSeek question's Llama 3.1 405B counts its training without R&D) or the
user's edit since. The picker says which, so a fresh launch never tells a
user they edited something they did not.
"""

from __future__ import annotations

from typing import Any, Literal

from app.domain.field_labels import path_label
from app.domain.scenario import Comparison, Scenario

Origin = Literal["shipped", "comparison", "edited"]


def part_spec(scenario: Scenario, part: str) -> tuple[Any, dict[str, Any]]:
    """What a scenario says of one part: its preset (a shipped id or an embedded preset) and its overrides."""
    return getattr(scenario, part), {k: v for k, v in scenario.overrides.items() if k.startswith(f"{part}.")}


def saved_twin(scenario: Scenario, index: int, saved: Comparison | None) -> Scenario | None:
    """The scenario of ``saved`` this one was: the one of its name, else the one at its place."""
    if saved is None:
        return None
    named = next((s for s in saved.scenarios if s.name == scenario.name), None)
    if named is not None:
        return named
    return saved.scenarios[index] if index < len(saved.scenarios) else None


def part_origin(scenario: Scenario, index: int, part: str, saved: Comparison | None) -> Origin:
    """Whose scenario ``index``'s ``part`` is, against ``saved``, the comparison as opened or last saved
    (None when that is no longer known: every version then counts as edited)."""
    ref, overrides = part_spec(scenario, part)
    if isinstance(ref, str) and not overrides:
        return "shipped"
    twin = saved_twin(scenario, index, saved)
    return "comparison" if twin is not None and part_spec(twin, part) == (ref, overrides) else "edited"


def market_origin(comparison: Comparison, saved: Comparison | None) -> Origin:
    """Whose the comparison's market is: shipped, the comparison's own embedded market, or edited since."""
    if isinstance(comparison.market, str):
        return "shipped"
    return "comparison" if saved is not None and saved.market == comparison.market else "edited"


def overridden_fields(scenario: Scenario, part: str) -> list[str]:
    """The fields of ``part`` the scenario sets over its shipped preset, as people read them."""
    return [path_label(key.split(".", 1)[1]) for key in part_spec(scenario, part)[1]]


def version_note(name: str, origin: Origin, fields: list[str]) -> str:
    """The picker's tooltip for a version of a preset: whose it is and, for overrides, what they set."""
    what = f": {', '.join(fields)}" if fields else ""
    if origin == "comparison":
        return (f"{name} as this comparison sets it{what}. Not an edit of yours; choose the shipped preset "
                "from the list to use it as shipped.")
    return f"{name}, edited since the comparison was opened or last saved{what}."
