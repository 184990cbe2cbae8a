"""Scenarios (one model on one hardware/site/usage) and comparisons of several.

A scenario names each of its presets either by the id of a shipped preset
(its file name without ``.json``, e.g. ``"deepseek-v3"``) or embeds the preset
itself. ``overrides`` change single values by dotted path, e.g.
``{"usage.reasoning_share": 1.0}``, without copying the whole preset.

A comparison holds the market its scenarios serve (``app.domain.market``):
demand and its response to price are the same for every scenario, which serves
all of that demand or a stated ``demand_share`` of it, from its launch
(``launch_months_after_start``) on.
"""


import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from app.domain.base import StrictModel
from app.domain.datacenter import DatacenterPreset
from app.domain.deployment import DeploymentPreset
from app.domain.hardware import HardwarePreset
from app.domain.input_paths import current_path
from app.domain.limits import MAX_SCENARIOS, MIN_SCENARIOS
from app.domain.market import DemandShare, LaunchMonths, ListPrice, MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.published import PublishedFigure
from app.domain.quantity import Bounds, Quantity, QuantityInput, shown
from app.domain.quoting import clipped
from app.domain.text import Description, Name
from app.domain.training_path import TrainingPath
from app.domain.usage import UsagePreset

Boundary = Literal["accelerator", "server", "fleet", "facility"]
"""What energy counts: accelerators only (as GPU-power measurements); plus the
host's share; plus the idle capacity of a fleet that is not fully busy; plus
the facility overhead (PUE). Each boundary includes the previous ones."""

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

P = TypeVar("P")


def _ref_or_embedded(raw: Any) -> str:
    return "by-id" if isinstance(raw, str) else "embedded"


PresetRef = Annotated[
    Annotated[P, Tag("embedded")] | Annotated[str, Tag("by-id")],
    Discriminator(_ref_or_embedded),
]
"""A preset given either by the id of a shipped preset or embedded whole: ``PresetRef[ModelPreset]``."""


class Scenario(StrictModel):
    """One model, served on one hardware in one datacenter, used one way."""

    name: Name
    color: str | None = Field(None, description="Colour used for this scenario in every view, '#rrggbb'.")
    model: PresetRef[ModelPreset]
    hardware: PresetRef[HardwarePreset]
    training_hardware: PresetRef[HardwarePreset] | None = Field(
        None, description="Hardware of the training cluster; the serving hardware when absent."
    )
    datacenter: PresetRef[DatacenterPreset]
    usage: PresetRef[UsagePreset]
    deployment: PresetRef[DeploymentPreset] = Field(
        "automatic", description="How the model is served: replica, parallelism, batch, precision, caching, drafting."
    )
    demand_share: DemandShare = Quantity(value=1)
    launch_months_after_start: LaunchMonths = Quantity(value=0)
    list_price: ListPrice | None = Field(
        None, description="The model's published API prices, used when the market prices queries at list prices "
        "(without them the scenario is priced at its serving cost, and flagged)."
    )
    training_path: TrainingPath | None = Field(
        None, description="Successor runs' growth, training saving re-spent and entrants; none when absent."
    )
    overrides: dict[str, QuantityInput] = Field(default_factory=dict)

    @field_validator("overrides", mode="before")
    @classmethod
    def _current_paths(cls, overrides: Any) -> Any:
        """Override paths in their current form, whatever format wrote them: the one place old
        paths (``usage.demand.…`` before format 3) are mapped, so the resolver, the editors, the
        edits and a saved file all read one path. A path given in both forms is refused."""
        if not isinstance(overrides, dict):
            return overrides
        mapped: dict[Any, Any] = {}
        written: dict[Any, Any] = {}
        for path, value in overrides.items():
            current = current_path(path) if isinstance(path, str) else path
            if current in mapped:
                raise ValueError(f"{clipped(str(written[current]))} and {clipped(str(path))} name the same input: "
                                 "keep one")
            mapped[current], written[current] = value, path
        return mapped

    @field_validator("color")
    @classmethod
    def _check_color(cls, color: str | None) -> str | None:
        if color is not None and not _COLOR.match(color):
            raise ValueError(f"colour must look like '#1f77b4', not {color!r}")
        return color


SCENARIO_INPUTS = ("demand_share", "launch_months_after_start")
"""A scenario's own numeric inputs (not inside one of its presets): its place in the comparison's market.
The engine reads each by its name, a sweep varies it, and the window edits it as the part "scenario"."""


def launch_bounds(usage: UsagePreset) -> Bounds:
    """Where a scenario's launch may lie: from the comparison's start to before its horizon ends (a launch
    at or beyond it would serve nothing, and the comparison would weigh training alone). Central horizon."""
    return Bounds(ge=0, lt=usage.horizon_months)


def launch_problem(launch: Quantity, usage: UsagePreset) -> str | None:
    """Why a scenario cannot launch when it says (``launch_bounds``), or None. The whole range is
    checked, so that no draw launches too late."""
    horizon = usage.horizon_months
    latest = launch.value if launch.high is None else max(launch.value, launch.high)
    if launch_bounds(usage).admits(latest):
        return None
    said = "the launch's range reaches" if latest > launch.value else "the launch is"
    return (f"{said} {latest:g} months after the comparison's start, at or beyond the end of the usage's "
            f"{shown(UsagePreset, 'horizon_years', usage.horizon_years)}: must be less than {horizon:g} months")


class Comparison(StrictModel):
    """Several scenarios side by side, compared against a baseline."""

    kind: Literal["comparison"] = "comparison"
    name: Name
    description: Description = ""
    market: PresetRef[MarketPreset] = Field(description="Demand every scenario serves and how it answers to price.")
    scenarios: list[Scenario] = Field(min_length=MIN_SCENARIOS, max_length=MAX_SCENARIOS)
    baseline: str | None = Field(None, description="Name of the baseline scenario; the first when absent.")
    boundary: Boundary = "facility"
    published: list[PublishedFigure] = Field(
        default_factory=list,
        description="Published results to set beside the baseline's figures (a published case's paper results).",
    )

    @field_validator("scenarios")
    @classmethod
    def _check_unique_names(cls, scenarios: list[Scenario]) -> list[Scenario]:
        first: dict[str, int] = {}
        for index, scenario in enumerate(scenarios):
            if scenario.name in first:
                raise ValueError(
                    f"scenario names must be unique: scenarios[{index}].name repeats "
                    f"scenarios[{first[scenario.name]}].name {scenario.name!r}"
                )
            first[scenario.name] = index
        return scenarios

    @field_validator("baseline")
    @classmethod
    def _check_baseline(cls, baseline: str | None, info: ValidationInfo) -> str | None:
        scenarios = info.data.get("scenarios")
        if baseline is not None and scenarios is not None:
            names = [s.name for s in scenarios]
            if baseline not in names:
                raise ValueError(f"{baseline!r} is not one of the scenarios: {', '.join(names)}")
        return baseline

    @property
    def baseline_index(self) -> int:
        """Index of the baseline scenario."""
        if self.baseline is None:
            return 0
        return [s.name for s in self.scenarios].index(self.baseline)
