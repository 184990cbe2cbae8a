"""Structure-aware mutations of the shipped presets, and the checks every mutated file must pass.

Shared by the seeded fuzz tests (``tests/test_fuzz_files.py``, a bounded
slice for CI) and the long run on demand (``benchmarks/fuzz_files.py``).
A mutation starts from a shipped preset or comparison and changes what a
hostile or careless user would: a value to an extreme or the wrong type, a
field removed or added, overrides of any input, a deep nesting, a repeated key,
a truncated file. Mutators take a ``random.Random`` so that hypothesis (or a
plain seed) drives them reproducibly.
"""

from __future__ import annotations

import copy
import json
import math
import random
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.domain.datacenter import DatacenterPreset
from app.domain.deployment import DeploymentPreset
from app.domain.errors import PresetFileError
from app.domain.hardware import HardwarePreset
from app.domain.input_paths import LEGACY_PATHS, current_path
from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.loading import load_any
from app.domain.market import MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.quantity import Bounds, Quantity, quantity_field
from app.domain.scenario import Comparison
from app.domain.usage import UsagePreset
from app.engine.evaluate import evaluate
from app.engine.output_check import ResultOutOfRange
from app.report.evaluation import comparison_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "presets").glob("*/*.json"))
"""The seeds: every shipped preset and comparison."""

NUMBERS = (0, -1, 1, 0.5, -0.0, 1e-12, 1e-300, 5e-324, 1e12, 1e30, 1e300, 1e308, -1e308, 2**63, 10**30,
           float("nan"), float("inf"), float("-inf"), 1.7976931348623157e308)
TEXTS = ("", " ", "x" * 300, "<b>bold</b>", "=cmd|' /C calc'!A0", "\u202e\u0000", "deepseek-v3", "h100-sxm",
         "logistic", "human", "fp8", "facility")


def seeds() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in CORPUS]


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(10)
    if choice < 5:
        return rng.choice(NUMBERS)
    if choice < 7:
        return rng.choice(TEXTS)
    if choice == 7:
        return rng.choice((True, False, None))
    if choice == 8 and depth < 2:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {"value": rng.choice(NUMBERS), "low": rng.choice(NUMBERS), "high": rng.choice(NUMBERS)}


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every location inside a JSON document (keys and list indices)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


def _parent(document: Any, path: tuple) -> Any:
    node = document
    for key in path[:-1]:
        node = node[key]
    return node


PARTS = {"model": ModelPreset, "hardware": HardwarePreset, "datacenter": DatacenterPreset,
         "usage": UsagePreset, "deployment": DeploymentPreset, "market": MarketPreset}
"""The parts of a scenario a scenario's ``overrides`` reach (the market's on this scenario only)."""
_OVERRIDE_BOUNDS: dict[str, Bounds] = {}


def override_bounds() -> dict[str, Bounds]:
    """Every numeric input a scenario can have (optional ones included), with its declared bounds."""
    if not _OVERRIDE_BOUNDS:
        for part, model in PARTS.items():
            _collect_bounds(model, part)
    return _OVERRIDE_BOUNDS


def _collect_bounds(model: type[BaseModel], prefix: str) -> None:
    for name, info in model.model_fields.items():
        members = _annotation_types(info.annotation)
        if Quantity in members:
            _OVERRIDE_BOUNDS[f"{prefix}.{name}"] = quantity_field(model, name).bounds
        for member in members:
            if isinstance(member, type) and issubclass(member, BaseModel) and member is not Quantity:
                _collect_bounds(member, f"{prefix}.{name}")


def _annotation_types(annotation: Any) -> set[Any]:
    found = {annotation}
    for argument in typing.get_args(annotation):
        found |= _annotation_types(argument)
    return found


def within(bounds: Bounds, rng: random.Random) -> float:
    """A value the bounds admit: at an edge, or log-uniform between them (edges far from zero); a whole
    number where the bounds count."""
    value = _within(bounds, rng)
    return float(min(max(round(value), math.ceil(bounds.lower or 0)), math.floor(bounds.upper or 1e15))) if bounds.whole else value


def _within(bounds: Bounds, rng: random.Random) -> float:
    low = next((b for b in (bounds.ge, bounds.gt) if b is not None), None)
    high = next((b for b in (bounds.le, bounds.lt) if b is not None), 1e15)
    floor = max(low if low is not None else 0.0, 1e-12) * (1.000001 if bounds.gt is not None else 1)
    ceiling = high * (0.999999 if bounds.lt is not None else 1)
    if ceiling <= floor:
        return floor
    roll = rng.random()
    if roll < 0.2:
        return floor
    if roll < 0.4:
        return ceiling
    value = 10 ** rng.uniform(math.log10(floor), math.log10(ceiling))
    return min(max(value, floor), ceiling)


def mutate(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One structural change to a copy of ``document``."""
    document = copy.deepcopy(document)
    paths = _paths(document)
    kind = rng.randrange(6)
    if kind == 0 and paths:  # a value replaced by an extreme, or by the wrong type
        path = rng.choice(paths)
        _parent(document, path)[path[-1]] = hostile_value(rng)
    elif kind == 1 and paths:  # a field removed
        path = rng.choice(paths)
        parent = _parent(document, path)
        if isinstance(parent, dict):
            del parent[path[-1]]
        elif parent:
            parent.pop(path[-1])
    elif kind == 2:  # a field added where fields live
        objects = [p for p in [()] + paths if isinstance(_parent(document, p + ("x",)), dict)]
        target = _parent(document, rng.choice(objects) + ("x",))
        target[rng.choice(("unknown_field", "value", "low", "high", "source", "moe", "reasoning"))] = hostile_value(rng)
    elif kind in (3, 4) and document.get("kind") == "comparison" and isinstance(document.get("scenarios"), list):
        # an override of any input, in its bounds or not
        scenario = rng.choice([s for s in document["scenarios"] if isinstance(s, dict)] or [{}])
        overrides = scenario.setdefault("overrides", {}) if isinstance(scenario, dict) else {}
        if isinstance(overrides, dict):
            bounds = override_bounds()
            path = rng.choice(sorted(bounds)) if rng.random() < 0.95 else "usage.nonsense"
            roll = rng.random()
            if roll < 0.25:
                overrides[path] = hostile_value(rng)
            elif path in bounds:  # in bounds: what the engine must compute without a NaN
                overrides[path] = within(bounds[path], rng)
    else:  # numbers scaled by orders of magnitude (inside or outside the bounds)
        numeric = [p for p in paths if isinstance(_parent(document, p)[p[-1]], (int, float))
                   and not isinstance(_parent(document, p)[p[-1]], bool) and p[-1] != "format_version"]
        if numeric:
            path = rng.choice(numeric)
            parent = _parent(document, path)
            parent[path[-1]] = parent[path[-1]] * 10.0 ** rng.choice((-30, -9, -3, -1, 1, 3, 9, 30))
    return document


def in_bounds_overrides(document: dict[str, Any], rng: random.Random, count: int) -> dict[str, Any]:
    """A comparison with ``count`` inputs overridden by values their bounds admit."""
    document = copy.deepcopy(document)
    bounds = override_bounds()
    for _ in range(count):
        scenario = rng.choice(document["scenarios"])
        path = rng.choice(sorted(bounds))
        if rng.random() < 0.3:  # as a format-2 file wrote it (usage.demand.…, usage.price_elasticity)
            path = next((old + path[len(new):] for old, new in LEGACY_PATHS.items() if path.startswith(new)), path)
        scenario.setdefault("overrides", {})[path] = within(bounds[path if path in bounds else current_path(path)], rng)
    return document


def mutated_text(rng: random.Random, documents: list[dict[str, Any]]) -> str:
    """A mutated seed as file text; now and then mangled at the text level too."""
    comparisons = [d for d in documents if d.get("kind") == "comparison"]
    if comparisons and rng.random() < 0.4:  # valid but extreme: every input anywhere in its bounds
        document = in_bounds_overrides(rng.choice(comparisons), rng, rng.randrange(1, 12))
    else:
        document = rng.choice(comparisons if comparisons and rng.random() < 0.6 else documents)
        for _ in range(rng.randrange(1, 5)):
            document = mutate(document, rng)
    text = json.dumps(document, indent=2, allow_nan=True)
    roll = rng.random()
    if roll < 0.05:  # truncated (a crash of another program while writing it)
        text = text[: rng.randrange(len(text) + 1)]
    elif roll < 0.08:  # a repeated key
        text = text.replace('"name":', '"name": "first", "name":', 1)
    elif roll < 0.10:  # nested past any reason
        text = text.replace('"description":', '"description": ' + "[" * 2000 + "]" * 2000 + ', "d2":', 1)
    elif roll < 0.12:  # a number of thousands of digits
        text = text.replace('"format_version": 2', '"format_version": 2' + "0" * 5000, 1)
    return text


def figures(document: Any) -> list[tuple[str, Any]]:
    """Every number (or null) in an ``evaluate --json`` document, with where it is."""
    found: list[tuple[str, Any]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")
        elif (node is None or (isinstance(node, (int, float)) and not isinstance(node, bool))) \
                and not any(part in where for part in NOT_FIGURES):
            found.append((where, node))

    walk(document, "")
    return found


SIGNED = ("rebound_change", "rebound_queries_mwh", "rebound_tokens_mwh", ".published[", ".decomposition.")
"""Figures that may be negative by meaning: a dearer scenario is used less (its rebound is negative); the
engine may read below a published result (its ``error``); the parts of a difference to the baseline are
negative where the scenario uses less."""
NOT_FIGURES = (".break_even[",)
"""Values of inputs, not figures: a break-even may be negative (an elasticity) or null (none in range)."""
MAY_BE_NULL = ("crossover_month.median", "crossover_month.p5", "crossover_month.p95", "service_level", "cost_to_list_price")
"""Null by meaning: inference never overtakes training; a market sets no service level; a scenario has no list price."""


def check_file(path: Path, library: PresetLibrary, samples: int = 20) -> str:
    """Load, and for an accepted comparison evaluate; returns "refused", "accepted" or "computed".

    Raises AssertionError when the file gets anything but a clear problem list or
    finite, non-negative figures; any other exception escaping is a failure too.
    """
    try:
        preset = load_any(path, library)
    except PresetFileError as error:
        assert error.problems, "a refusal must say why"
        assert all(str(p).startswith(str(path)) for p in error.problems), error.problems
        return "refused"
    if not isinstance(preset, Comparison):
        return "accepted"
    resolved = resolve_comparison(preset, library, str(path))
    try:
        result = evaluate(resolved, samples=samples, seed=0)
    except ResultOutOfRange as error:
        raise AssertionError(f"accepted file, engine refused its result: {error.message}") from None
    document = comparison_document(resolved.name, result)
    json.dumps(document, allow_nan=False)  # raises on NaN or infinity
    for where, value in figures(document):
        if value is None:
            assert where.endswith(MAY_BE_NULL), f"{where} is null"
            continue
        assert math.isfinite(value), f"{where} = {value}"
        assert value >= 0 or any(s in where for s in SIGNED), f"{where} = {value} < 0"
    return "computed"
