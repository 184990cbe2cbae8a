"""Read and write preset files: versioned JSON, migrations, atomic saves (``atomic_save``).

A preset file is one JSON object: ``format_version``, a ``kind`` ("model",
"hardware", "datacenter", "usage", "market" or "comparison") and that preset's fields.

Format versions (bump ``FORMAT_VERSION`` whenever a file written by this
version could not be read by the previous one, and register a migration):

1. First public draft: an uncertainty range was written ``"range": [low, high]``.
2. Ranges are ``"low"`` and ``"high"`` beside ``"value"``.
3. Current: demand and price elasticity move from the usage profile to the
   comparison's ``market`` (``app.domain.migrate_v2``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from app.domain.atomic_save import atomic_target, write_text_atomic  # noqa: F401 - atomic_target re-exported
from app.domain.datacenter import DatacenterPreset
from app.domain.deployment import DeploymentPreset
from app.domain.errors import PresetFileError, Problem, did_you_mean, problems_from_validation
from app.domain.guarded_json import parse_json, read_text
from app.domain.hardware import HardwarePreset
from app.domain.market import MarketPreset
from app.domain.migrate_v2 import migrate_2_to_3
from app.domain.model_preset import ModelPreset
from app.domain.scenario import Comparison
from app.domain.usage import UsagePreset

FORMAT_VERSION = 3

Preset = Annotated[
    ModelPreset | HardwarePreset | DatacenterPreset | UsagePreset | DeploymentPreset | MarketPreset | Comparison,
    Field(discriminator="kind"),
]
PRESET_ADAPTER: TypeAdapter[Any] = TypeAdapter(Preset)
PRESET_CLASSES: dict[str, type[BaseModel]] = {
    kind.model_fields["kind"].default: kind for kind in get_args(get_args(Preset)[0])
}
"""Each ``kind`` of preset file and the model that reads it."""
KINDS = tuple(PRESET_CLASSES)


def _migrate_1_to_2(document: Any) -> Any:
    """Version 1 wrote ranges as ``"range": [low, high]``; version 2 as low/high."""
    if isinstance(document, list):
        return [_migrate_1_to_2(item) for item in document]
    if not isinstance(document, dict):
        return document
    migrated = {key: _migrate_1_to_2(value) for key, value in document.items()}
    bounds = migrated.get("range")
    if "value" in migrated and isinstance(bounds, list) and len(bounds) == 2:
        del migrated["range"]
        migrated["low"], migrated["high"] = bounds
    return migrated


MIGRATIONS: dict[int, Callable[[Any], Any]] = {1: _migrate_1_to_2, 2: migrate_2_to_3}
"""``MIGRATIONS[n]`` turns a version-n document into a version n+1 document."""


def parse_document(text: str, name: str) -> dict[str, Any]:
    """Parse JSON text into a current-version document, migrating older versions."""
    document = parse_json(text, name)
    if not isinstance(document, dict):
        raise PresetFileError([Problem(name, "", "must hold a JSON object { ... } at the top level")])
    version = document.get("format_version")
    if version is None:
        raise PresetFileError([Problem(name, "format_version", "required field is missing")])
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PresetFileError([Problem(name, "format_version", f"must be a whole number >= 1, not {version!r}")])
    if version > FORMAT_VERSION:
        raise PresetFileError(
            [
                Problem(
                    name,
                    "format_version",
                    f"version {version} was written by a newer Jevons; this one reads versions up to "
                    f"{FORMAT_VERSION}. Update Jevons to open it.",
                )
            ]
        )
    while version < FORMAT_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    document = dict(document)
    document["format_version"] = version
    return document


def validate_document(document: dict[str, Any], name: str) -> Any:
    """Validate a parsed, current-version document into a preset or comparison."""
    body = {key: value for key, value in document.items() if key != "format_version"}
    kind = body.get("kind")
    if kind is None:
        raise PresetFileError(
            [Problem(name, "kind", f"required field is missing; one of: {', '.join(KINDS)}")]
        )
    if kind not in KINDS:
        guess = did_you_mean(kind, KINDS) if isinstance(kind, str) else ""
        raise PresetFileError([Problem(name, "kind", f"{kind!r} is not a preset kind; {guess + ' ' if guess else ''}"
                                                     f"one of: {', '.join(KINDS)}")])
    try:
        return PRESET_ADAPTER.validate_python(body)
    except ValidationError as error:
        problems = problems_from_validation(name, error, document=body, model=PRESET_CLASSES[kind])
        # The first location item is the union tag (the kind); drop it from field paths.
        prefix = f"{kind}."
        raise PresetFileError(
            [replace(p, field=p.field.removeprefix(prefix) if p.field != kind else "") for p in problems]
        ) from None


def load_preset(path: str | Path) -> Any:
    """Load and validate one preset file; raise PresetFileError with every problem."""
    path = Path(path)
    return validate_document(parse_document(read_text(path), str(path)), str(path))


def dump_preset(preset: Any) -> str:
    """The JSON text of a preset file for ``preset`` (format_version first)."""
    # Defaults are written out (a reader sees every assumption); absent options are not.
    document = {"format_version": FORMAT_VERSION}
    document.update(preset.model_dump(mode="json", exclude_none=True))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save_preset(path: str | Path, preset: Any) -> None:
    """Save a preset or comparison atomically in the current format."""
    write_text_atomic(path, dump_preset(preset))
