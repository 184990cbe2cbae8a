"""The shipped preset library and resolution of scenarios against it.

Shipped presets live in ``presets/<folder>/<id>.json``; a scenario refers to
one by its id (the file name without ``.json``). Resolution replaces ids by the
presets they name and applies the scenario's overrides, giving the engine
fully embedded, validated inputs.
"""


from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from app import paths
from app.domain.base import StrictModel
from app.domain.datacenter import DatacenterPreset
from app.domain.deployment import DeploymentPreset
from app.domain.errors import PresetFileError, Problem, did_you_mean, problems_from_validation
from app.domain.field_labels import PARTS
from app.domain.files import load_preset
from app.domain.hardware import HardwarePreset
from app.domain.market import DemandShare, LaunchMonths, ListPrice, MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.published import PublishedFigure
from app.domain.quantity import Quantity
from app.domain.scenario import SCENARIO_INPUTS, Boundary, Comparison, Scenario, launch_problem
from app.domain.training_path import TrainingPath, cadence_problem
from app.domain.usage import UsagePreset

FOLDERS = {
    "model": "models",
    "hardware": "hardware",
    "datacenter": "datacenters",
    "usage": "usage",
    "deployment": "deployments",
    "market": "markets",
    "comparison": "comparisons",
}
SCENARIO_PRESET_KINDS = {
    "model": "model",
    "hardware": "hardware",
    "training_hardware": "hardware",
    "datacenter": "datacenter",
    "usage": "usage",
    "deployment": "deployment",
}
"""Scenario field -> preset kind it refers to."""

OVERRIDE_ROOTS = (*SCENARIO_PRESET_KINDS, "market", "list_price", "training_path")
"""What an override path may start with: a preset of the scenario, the market
(a value of the comparison's market for this scenario alone), its list price or its training path."""


class PresetLibrary:
    """Shipped presets by kind and id, loaded lazily and cached."""

    def __init__(self, root: Path | None = None):
        self.root = root if root is not None else paths.presets_dir()
        self._cache: dict[tuple[str, str], Any] = {}

    @cached_property
    def _files(self) -> dict[str, dict[str, Path]]:
        return {
            kind: {p.stem: p for p in sorted((self.root / folder).glob("*.json"))}
            for kind, folder in FOLDERS.items()
        }

    def ids(self, kind: str) -> list[str]:
        """Ids of the shipped presets of ``kind``, sorted."""
        return list(self._files[kind])

    def path(self, kind: str, preset_id: str) -> Path:
        """The file of a shipped preset; KeyError naming the known ids on a typo."""
        try:
            return self._files[kind][preset_id]
        except KeyError:
            known = ", ".join(self.ids(kind)) or "none"
            guess = did_you_mean(preset_id, self.ids(kind))
            raise KeyError(f"no shipped {kind} preset {preset_id!r}; {guess + ' ' if guess else ''}known: {known}") from None

    def get(self, kind: str, preset_id: str) -> Any:
        """The shipped preset ``preset_id`` of ``kind``."""
        key = (kind, preset_id)
        if key not in self._cache:
            preset = load_preset(self.path(kind, preset_id))
            if preset.kind != kind:
                raise PresetFileError(
                    [Problem(str(self.path(kind, preset_id)), "kind", f"is {preset.kind!r} but lives in the {kind} folder")]
                )
            self._cache[key] = preset
        return self._cache[key]


class ResolvedScenario(StrictModel):
    """A scenario with every preset embedded and its overrides applied."""

    name: str
    color: str | None
    model: ModelPreset
    hardware: HardwarePreset
    training_hardware: HardwarePreset
    datacenter: DatacenterPreset
    usage: UsagePreset
    deployment: DeploymentPreset = Field(default_factory=lambda: DeploymentPreset(name="Automatic"))
    """Automatic (every field unset) when a scenario is built in code without one."""
    market: MarketPreset
    """The comparison's market, with this scenario's overrides of it."""
    demand_share: DemandShare
    launch_months_after_start: LaunchMonths = Quantity(value=0)
    list_price: ListPrice | None = None
    training_path: TrainingPath | None = None

    @property
    def reasoning_share_path(self) -> str:
        """Where this scenario's share of reasoning queries is set: the market's, when it sets one
        (every scenario of a comparison then faces the same mix of questions), else the usage profile's."""
        return "market.reasoning_share" if self.market.reasoning_share is not None else "usage.reasoning_share"

    @property
    def reasoning_share(self) -> Quantity:
        """The share of queries this scenario answers in reasoning mode, from :attr:`reasoning_share_path`."""
        return self.market.reasoning_share if self.market.reasoning_share is not None else self.usage.reasoning_share


class ResolvedComparison(StrictModel):
    """A comparison ready for the engine."""

    name: str
    scenarios: list[ResolvedScenario]
    baseline_index: int
    boundary: Boundary
    description: str = ""
    """The comparison's own words (the report's brief quotes them)."""
    published: list[PublishedFigure] = Field(default_factory=list)
    """Published results to set beside the baseline's figures."""


def _apply_override(data: dict[str, Any], keys: list[str], value: Any) -> None:
    """Set ``data`` at the path ``keys``; KeyError saying which key is not a field, and the closest that is."""
    node = data
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        # model_dump() lists every field, optional ones as None, so a missing key is a typo.
        if key not in node or not (last or isinstance(node[key], dict)):
            guess = did_you_mean(key, [name for name, inner in node.items() if last or isinstance(inner, dict)])
            raise KeyError(f"{key!r} is not a field here{'; ' + guess if guess else ''}")
        if not last:
            node = node[key]
    node[keys[-1]] = value


def resolve_scenario(
    scenario: Scenario, library: PresetLibrary, market: MarketPreset, file: str = "", where: str = ""
) -> ResolvedScenario:
    """Embed the presets a scenario names, add the comparison's ``market``, apply the overrides.

    Raises PresetFileError naming ``file`` and the field path (prefixed by
    ``where``) when an id is unknown or an override does not fit.
    """
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    for field, kind in SCENARIO_PRESET_KINDS.items():
        ref = getattr(scenario, field)
        if ref is None:
            continue
        if isinstance(ref, str):
            try:
                ref = library.get(kind, ref)
            except KeyError as error:
                problems.append(Problem(file, f"{where}{field}", error.args[0]))
                continue
        parts[field] = ref
    if problems:
        raise PresetFileError(problems)
    dumped = {field: preset.model_dump() for field, preset in parts.items()}
    dumped["market"] = market.model_dump()
    if scenario.list_price is not None:
        dumped["list_price"] = scenario.list_price.model_dump()
    if scenario.training_path is not None:
        dumped["training_path"] = scenario.training_path.model_dump()
    for path, quantity in scenario.overrides.items():
        keys = path.split(".")  # in its current form since loading (Scenario.overrides)
        if keys[0] == "training_hardware" and keys[0] not in dumped:
            problems.append(
                Problem(file, f"{where}overrides.{path}", "this scenario trains on its serving hardware: override hardware.… instead")
            )
            continue
        if keys[0] in ("list_price", "training_path") and keys[0] not in dumped:
            part = PARTS[keys[0]].lower()  # as the editors name the part: "list prices", "training path"
            problems.append(Problem(file, f"{where}overrides.{path}", f"this scenario has no {part} to override"))
            continue
        if keys[0] not in dumped or len(keys) < 2:
            guess = did_you_mean(keys[0], OVERRIDE_ROOTS) if keys[0] not in OVERRIDE_ROOTS else ""
            problems.append(Problem(file, f"{where}overrides.{path}",
                                    f"{guess + ' ' if guess else ''}must start with one of: {', '.join(OVERRIDE_ROOTS)}"))
            continue
        try:
            _apply_override(dumped[keys[0]], keys[1:], quantity.model_dump())
        except KeyError as error:
            problems.append(Problem(file, f"{where}overrides.{path}", error.args[0]))
    if problems:
        raise PresetFileError(problems)
    # Without hardware of its own, training runs on the serving hardware, overrides included.
    dumped.setdefault("training_hardware", dumped["hardware"])
    try:
        resolved = ResolvedScenario(
            name=scenario.name, color=scenario.color, **{name: getattr(scenario, name) for name in SCENARIO_INPUTS},
            **dumped,
        )
    except ValidationError as error:
        problems = problems_from_validation(file, error, prefix=(f"{where}overrides",))
        if scenario.training_hardware is None:  # the serving hardware's problems, mirrored: say them once
            mirrored = f"{where}overrides.training_hardware"
            problems = [p for p in problems if not p.field.startswith(mirrored)] or problems
        raise PresetFileError(problems) from None
    if resolved.training_path is not None and (problem := cadence_problem(resolved.usage)) is not None:
        raise PresetFileError([Problem(file, f"{where}training_path", problem)])
    if (problem := launch_problem(resolved.launch_months_after_start, resolved.usage)) is not None:
        raise PresetFileError([Problem(file, f"{where}launch_months_after_start", problem)])
    return resolved


def resolve_market(comparison: Comparison, library: PresetLibrary, file: str = "") -> MarketPreset:
    """The comparison's market (a shipped one when named by id)."""
    market = comparison.market
    if isinstance(market, str):
        try:
            market = library.get("market", market)
        except KeyError as error:
            raise PresetFileError([Problem(file, "market", error.args[0])]) from None
    return market


def resolve_comparison(
    comparison: Comparison, library: PresetLibrary, file: str = "", resolve: Callable[..., ResolvedScenario] | None = None
) -> ResolvedComparison:
    """Resolve every scenario of a comparison; collect the problems of all of them.

    ``resolve`` stands in for :func:`resolve_scenario` (same arguments), e.g. to
    reuse the scenarios an edit left unchanged (``app.session.resolution``).
    """
    resolve = resolve or resolve_scenario
    market = resolve_market(comparison, library, file)
    problems: list[Problem] = []
    resolved: list[ResolvedScenario] = []
    for index, scenario in enumerate(comparison.scenarios):
        try:
            resolved.append(resolve(scenario, library, market, file, f"scenarios[{index}]."))
        except PresetFileError as error:  # named by the scenario's name as well as its place
            problems.extend(replace(problem, item=scenario.name) for problem in error.problems)
    if problems:
        raise PresetFileError(problems)
    return ResolvedComparison(
        name=comparison.name,
        description=comparison.description,
        published=comparison.published,
        scenarios=resolved,
        baseline_index=comparison.baseline_index,
        boundary=comparison.boundary,
    )
