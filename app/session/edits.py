"""Edits of a comparison, each returning a new validated snapshot. No Qt.

The window turns every user action into one of these functions; an edit that
would make an invalid comparison raises :class:`EditError` with the reason,
and the current snapshot is left as it was.

A scenario refers to shipped presets by id; editing a field of such a preset
embeds an edited copy in the scenario (with any overrides of that preset
folded in), so the shipped file itself is never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.domain.datacenter import DatacenterPreset
from app.domain.deployment import DeploymentPreset
from app.domain.errors import validation_text
from app.domain.hardware import HardwarePreset
from app.domain.library import SCENARIO_PRESET_KINDS, PresetLibrary
from app.domain.limits import scenario_count_problem
from app.domain.market import ListPrice, MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.quantity import Quantity
from app.domain.scenario import SCENARIO_INPUTS, Comparison, Scenario, launch_problem
from app.domain.scenario_names import copy_name, follow
from app.domain.training_path import TrainingPath, cadence_problem
from app.domain.usage import UsagePreset
from app.report.palette import next_free_color, scenario_colors

PART_CLASSES: dict[str, type[BaseModel]] = {
    "model": ModelPreset,
    "hardware": HardwarePreset,
    "training_hardware": HardwarePreset,
    "datacenter": DatacenterPreset,
    "usage": UsagePreset,
    "deployment": DeploymentPreset,
    "market": MarketPreset,
    "list_price": ListPrice,
    "training_path": TrainingPath,
}
"""Part -> class of the preset it holds. Every part belongs to a scenario except
the market, which the comparison holds for all of its scenarios. A scenario's
list prices are edited in place; a scenario without list prices is priced at
its serving cost, and editing one of its prices is refused (see
:func:`apply_changes`) rather than inventing prices it never had. A scenario
without a training path gets :data:`NEUTRAL_TRAINING_PATH` when one of its
values is edited: absent and neutral train alike."""

OPTIONAL_PARTS = ("training_hardware", "training_path")
"""Parts a scenario may go without (:func:`set_part` with None): training on the serving
hardware, training with no path beyond its launch run."""

NEUTRAL_TRAINING_PATH = TrainingPath(
    compute_growth_per_year=Quantity(
        value=0, assumption=True,
        source="Neutral: successors of the launch run's compute, as without a training path (0)"),
    reinvested_share=Quantity(
        value=0, assumption=True,
        source="Neutral: the training saving banked, as without a training path (0)"),
)
"""What a scenario without a training path trains as, labelled as such: the values its editor shows,
and where a path added by editing one of them starts. Entrant elasticity unset: no labs enter."""

SCENARIO_PART = "scenario"
"""The part of a change that sets one of the scenario's own inputs (``SCENARIO_INPUTS``: its share of
the market and its launch), held by the scenario itself rather than by one of its presets."""

Path_ = tuple[str, ...]
Change = tuple[str, Path_, Any]
"""(scenario part, field path inside that preset, new JSON-ready value or None)."""


class EditError(ValueError):
    """An edit was refused; ``field`` is the dotted path it concerns ("" for the whole)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _error_from_validation(error: ValidationError) -> EditError:
    return EditError(*validation_text(error))


# ---------------------------------------------------------------- presets


def effective_part(scenario: Scenario, part: str, library: PresetLibrary) -> Any:
    """The preset a scenario uses for ``part``, overrides applied (None if unset)."""
    ref = getattr(scenario, part)
    if ref is None:
        return None
    preset = library.get(SCENARIO_PRESET_KINDS[part], ref) if isinstance(ref, str) else ref
    prefix = f"{part}."
    overrides = {key[len(prefix) :]: q for key, q in scenario.overrides.items() if key.startswith(prefix)}
    if overrides:
        preset = set_values(preset, [(tuple(key.split(".")), q.model_dump()) for key, q in overrides.items()])
    return preset


def market_of(comparison: Comparison, library: PresetLibrary) -> MarketPreset:
    """The market the comparison's scenarios serve (a shipped one when named by id)."""
    ref = comparison.market
    return library.get("market", ref) if isinstance(ref, str) else ref


def part_of(comparison: Comparison, index: int, part: str, library: PresetLibrary) -> Any:
    """The preset shown for ``part`` while scenario ``index`` is selected (the market is shared)."""
    if part == "market":
        return market_of(comparison, library)
    return effective_part(comparison.scenarios[index], part, library)


def set_values(preset: BaseModel, changes: Sequence[tuple[Path_, Any]]) -> Any:
    """A re-validated copy of ``preset`` with each field path set to its value."""
    data = preset.model_dump()
    for path, value in changes:
        node = data
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                raise EditError(f"{'.'.join(path)} is not a field here", ".".join(path))
            node = node[key]
        node[path[-1]] = value
    try:
        return type(preset).model_validate(data)
    except ValidationError as error:
        raise _error_from_validation(error) from None


M = TypeVar("M", Scenario, Comparison)


def _revalidated(original: M, /, **update: Any) -> M:
    """A copy of a frozen model with ``update`` applied and the whole model validated again."""
    fields = {name: getattr(original, name) for name in type(original).model_fields}
    fields.update(update)
    try:
        return type(original)(**fields)
    except ValidationError as error:
        raise _error_from_validation(error) from None


def _replace_scenario(comparison: Comparison, index: int, scenario: Scenario) -> Comparison:
    scenarios = list(comparison.scenarios)
    scenarios[index] = scenario
    return _revalidated(comparison, scenarios=scenarios)


def apply_changes(
    comparison: Comparison, index: int, changes: Sequence[Change], library: PresetLibrary
) -> Comparison:
    """Set fields of scenario ``index``'s presets (or of the market); several parts may change at once."""
    by_part: dict[str, list[tuple[Path_, Any]]] = {}
    for part, path, value in changes:
        by_part.setdefault(part, []).append((tuple(path), value))
    market_changes = by_part.pop("market", None)
    if market_changes:
        comparison = _revalidated(comparison, market=set_values(market_of(comparison, library), market_changes))
    if not by_part:
        return comparison
    scenario = comparison.scenarios[index]
    update: dict[str, Any] = {}
    for path, value in by_part.pop(SCENARIO_PART, []):
        if len(path) != 1 or path[0] not in SCENARIO_INPUTS:
            raise EditError(f"{'.'.join(path)} is not one of the scenario's own inputs", ".".join(path))
        update[path[0]] = value
    overrides = dict(scenario.overrides)
    for part, part_changes in by_part.items():
        base = effective_part(scenario, part, library)
        if base is None and part == "training_path":
            base = NEUTRAL_TRAINING_PATH
        if base is None:
            raise EditError(_missing_part(scenario, part), part)
        update[part] = set_values(base, part_changes)
        overrides = {k: v for k, v in overrides.items() if not k.startswith(f"{part}.")}
    changed = _revalidated(scenario, overrides=overrides, **update)
    _check_horizon(changed, library)
    return _replace_scenario(comparison, index, changed)


def _check_horizon(scenario: Scenario, library: PresetLibrary) -> None:
    """Refuse a scenario whose training path cannot follow its usage's cadence (``cadence_problem``) or
    that launches at or after its horizon's end (``launch_problem``), as loading its file would: an edit
    of the path, the cadence, the launch or the horizon never reaches the engine."""
    usage = effective_part(scenario, "usage", library)
    if scenario.training_path is not None and (problem := cadence_problem(usage)) is not None:
        raise EditError(problem, "usage.retrain_every_months")
    if (problem := launch_problem(scenario.launch_months_after_start, usage)) is not None:
        raise EditError(problem, "launch_months_after_start")


def _missing_part(scenario: Scenario, part: str) -> str:
    if part == "list_price":
        return (f"scenario {scenario.name!r} has no list prices (it is priced at its serving cost); "
                "add a list_price to it in the comparison file to price it by the token")
    return f"scenario {scenario.name!r} has no {part} to edit"


def set_part(comparison: Comparison, index: int, part: str, ref: str | BaseModel | None,
             library: PresetLibrary | None = None) -> Comparison:
    """Use the shipped preset ``ref`` (an id), an embedded preset, or none (an optional part).

    With ``library``, a name that says the scenario's model or hardware follows the change
    (``scenario_names.follow``); a name of the user's own is kept.
    """
    if part == "market":
        if ref is None:
            raise EditError("a comparison needs a market", part)
        return _revalidated(comparison, market=ref)
    scenario = comparison.scenarios[index]
    if ref is None and part not in OPTIONAL_PARTS:
        raise EditError(f"a scenario needs a {part} preset", part)
    overrides = {k: v for k, v in scenario.overrides.items() if not k.startswith(f"{part}.")}
    changed = _revalidated(scenario, overrides=overrides, **{part: ref})
    if library is not None:
        _check_horizon(changed, library)
    if library is not None and part in ("model", "hardware"):
        before = [effective_part(scenario, p, library).name for p in ("model", "hardware")]
        after = [effective_part(changed, p, library).name for p in ("model", "hardware")]
        name = follow(scenario.name, before[0], after[0], before[1], after[1])
        if name != scenario.name and name not in [s.name for s in comparison.scenarios]:
            scenarios = list(comparison.scenarios)
            scenarios[index] = _revalidated(changed, name=name)
            baseline = name if comparison.baseline == scenario.name else comparison.baseline
            return _revalidated(comparison, scenarios=scenarios, baseline=baseline)
    return _replace_scenario(comparison, index, changed)


# ---------------------------------------------------------------- explicit options

MOE_SEED = {"routed_experts": 64, "experts_per_token": 4, "shared_experts": 1}
REASONING_SEED_TOKENS = 2000


def moe_changes(model: ModelPreset, on: bool) -> list[Change]:
    """Switch mixture-of-experts on (with a plausible routing) or off.

    Active parameters follow the routing: a dense model uses all its
    parameters per token; the seeded MoE uses the always-read share plus
    ``experts_per_token`` of the routed experts.
    """
    total = model.total_parameters_billion.value
    if not on:
        return [("model", ("moe",), None), ("model", ("active_parameters_billion",), total)]
    routed, per_token = MOE_SEED["routed_experts"], MOE_SEED["experts_per_token"]
    per_expert = 0.9 * total / routed
    active = total - routed * per_expert * (1 - per_token / routed)
    return [
        ("model", ("moe",), {**MOE_SEED, "parameters_per_expert_billion": round(per_expert, 6)}),
        ("model", ("active_parameters_billion",), round(active, 6)),
    ]


def reasoning_changes(usage: UsagePreset, on: bool) -> list[Change]:
    """Switch chain-of-thought on (tokens per query, share of reasoning queries) or off."""
    if not on:
        return [("model", ("reasoning",), None), ("usage", ("reasoning_share",), 0)]
    changes: list[Change] = [("model", ("reasoning",), {"reasoning_tokens_per_query": REASONING_SEED_TOKENS})]
    if usage.reasoning_share.value == 0:
        changes.append(("usage", ("reasoning_share",), 1))
    return changes


OPTIONAL_SEEDS: dict[tuple[str, Path_], Any] = {
    ("model", ("post_training",)): {"sft_tokens_billion": 1},
    ("model", ("post_training", "rl")): {
        "prompts": 100000,
        "samples_per_prompt": 16,
        "prompt_tokens": 500,
        "response_tokens": 4000,
    },
}
"""Values a switched-on optional section starts from."""

DEMAND_SEEDS: dict[str, dict[str, Any]] = {
    "logistic": {"curve": "logistic", "peak_queries_per_day": 1e8, "midpoint_month": 18, "growth_rate_per_month": 0.3},
    "exponential": {"curve": "exponential", "initial_queries_per_day": 1e6, "growth_per_year": 1},
    "users": {
        "curve": "users",
        "peak_users": 1e8,
        "midpoint_month": 18,
        "growth_rate_per_month": 0.3,
        "queries_per_user_per_day": 5,
    },
}


# ---------------------------------------------------------------- scenarios


def unique_name(wanted: str, taken: Sequence[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} {number}" in taken:
        number += 1
    return f"{wanted} {number}"


def fill_colors(comparison: Comparison) -> Comparison:
    """Give every scenario an explicit colour so that reordering keeps it."""
    colors = scenario_colors([s.color for s in comparison.scenarios])
    if all(s.color == c for s, c in zip(comparison.scenarios, colors, strict=True)):
        return comparison
    scenarios = [_revalidated(s, color=c) for s, c in zip(comparison.scenarios, colors, strict=True)]
    return _revalidated(comparison, scenarios=scenarios)


def _check_count(comparison: Comparison, change: int) -> None:
    """Refuse an edit that would leave the comparison with a number of scenarios it may not hold."""
    problem = scenario_count_problem(len(comparison.scenarios) + change)
    if problem:
        raise EditError(problem)


@dataclass(frozen=True, slots=True)
class NewScenario:
    """What Add asks for: the model, the chip and the site, and a name (made from them when empty)."""

    model: str
    hardware: str
    datacenter: str
    name: str = ""


def add_scenario(comparison: Comparison, library: PresetLibrary, new: NewScenario, like: int) -> Comparison:
    """Append a scenario of ``new``'s shipped presets that answers the same questions as scenario ``like``:
    its usage profile (and so its prompts and answers) and an automatic deployment, so the comparison stays
    like for like. It has no list prices (the prices of ``like``'s model are not its own): in a market at
    list prices it is flagged until they are given."""
    _check_count(comparison, +1)
    template = comparison.scenarios[like]
    names = [s.name for s in comparison.scenarios]
    model = library.get("model", new.model)
    hardware = library.get("hardware", new.hardware)
    scenario = Scenario(
        name=unique_name(new.name.strip() or f"{model.name} on {hardware.name}", names),
        color=next_free_color([s.color for s in comparison.scenarios]),
        model=new.model, hardware=new.hardware, datacenter=new.datacenter, usage=template.usage,
        overrides={k: v for k, v in template.overrides.items() if k.startswith("usage.")},
    )
    return _revalidated(comparison, scenarios=[*comparison.scenarios, scenario])


def duplicate_scenario(comparison: Comparison, index: int) -> Comparison:
    _check_count(comparison, +1)
    source = comparison.scenarios[index]
    names = [s.name for s in comparison.scenarios]
    copy = _revalidated(
        source,
        name=copy_name(source.name, names),
        color=next_free_color([s.color for s in comparison.scenarios]),
    )
    scenarios = list(comparison.scenarios)
    scenarios.insert(index + 1, copy)
    return _revalidated(comparison, scenarios=scenarios)


def remove_scenario(comparison: Comparison, index: int) -> Comparison:
    _check_count(comparison, -1)
    removed = comparison.scenarios[index]
    scenarios = [s for i, s in enumerate(comparison.scenarios) if i != index]
    baseline = None if comparison.baseline == removed.name else comparison.baseline
    return _revalidated(comparison, scenarios=scenarios, baseline=baseline)


def rename_scenario(comparison: Comparison, index: int, name: str) -> Comparison:
    name = name.strip()
    if not name:
        raise EditError("a scenario needs a name", "name")
    old = comparison.scenarios[index].name
    if name != old and name in [s.name for s in comparison.scenarios]:
        raise EditError(f"another scenario is already called {name!r}", "name")
    baseline = name if comparison.baseline == old else comparison.baseline
    scenarios = list(comparison.scenarios)
    scenarios[index] = _revalidated(scenarios[index], name=name)
    return _revalidated(comparison, scenarios=scenarios, baseline=baseline)


def move_scenario(comparison: Comparison, index: int, target: int) -> Comparison:
    if not 0 <= target < len(comparison.scenarios):
        raise EditError("cannot move the scenario further")
    scenarios = list(comparison.scenarios)
    scenarios.insert(target, scenarios.pop(index))
    return _revalidated(comparison, scenarios=scenarios)


def set_baseline(comparison: Comparison, index: int) -> Comparison:
    return _revalidated(comparison, baseline=comparison.scenarios[index].name)


def set_boundary(comparison: Comparison, boundary: str) -> Comparison:
    return _revalidated(comparison, boundary=boundary)
