"""What an editor form holds, read from the pydantic fields of a preset class. No Qt.

The editors are built from these specs rather than laid out by hand, so a
field added to a domain model appears in the GUI with its unit, bounds and
description.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel

from app.domain.field_labels import title
from app.domain.quantity import Bounds, Quantity, quantity_field

FIRST = {"moe": 0, "reasoning": 1}
"""Explicit options shown at the top of their form, before the plain fields."""
HIDDEN = {"kind", "curve"}
"""Discriminator tags: fixed by the class or chosen with a variant combo box."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Literal["quantity", "text", "choice", "bool", "group", "variants"]
    label: str
    description: str = ""
    optional: bool = False
    unit: str = ""
    bounds: Bounds = field(default_factory=Bounds)
    choices: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    variants: dict[str, type[BaseModel]] = field(default_factory=dict)
    """For a discriminated union: tag value -> model class."""


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return (args[0] if len(args) == 1 else typing.Union[tuple(args)]), True  # noqa: UP007
    return annotation, False


def _is_quantity(annotation: Any) -> bool:
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is Quantity


def field_specs(model: type[BaseModel], only: Sequence[str] | None = None) -> list[FieldSpec]:
    """The editable fields of ``model`` in display order (those named in ``only``, when given: a
    scenario's own inputs, say, without the presets it names)."""
    specs = []
    for name, info in model.model_fields.items():
        if name in HIDDEN or (only is not None and name not in only):
            continue
        annotation, optional = _unwrap_optional(info.annotation)
        label = title(name)
        description = info.description or ""
        if _is_quantity(annotation):
            declared = quantity_field(model, name)
            specs.append(
                FieldSpec(name, "quantity", label, declared.description, optional, declared.unit, declared.bounds)
            )
        elif typing.get_origin(annotation) is Literal:
            specs.append(FieldSpec(name, "choice", label, description, optional, choices=typing.get_args(annotation)))
        elif annotation is bool:
            specs.append(FieldSpec(name, "bool", label, description, optional))
        elif annotation is str or (typing.get_origin(annotation) is Annotated and typing.get_args(annotation)[0] is str):
            specs.append(FieldSpec(name, "text", label, description, optional))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            specs.append(FieldSpec(name, "group", label, description or (annotation.__doc__ or "").strip(), optional,
                                   model=annotation))
        else:
            members = typing.get_args(annotation)
            if typing.get_origin(annotation) is Annotated:
                members = typing.get_args(typing.get_args(annotation)[0])
            variants = {}
            for member in members:
                if isinstance(member, type) and issubclass(member, BaseModel):
                    tag_field = next(iter(member.model_fields.values()))
                    variants[str(tag_field.default)] = member
            if not variants:
                raise TypeError(f"{model.__name__}.{name}: no editor for {annotation!r}")
            specs.append(FieldSpec(name, "variants", label, description, optional, variants=variants))
    return sorted(specs, key=lambda s: FIRST.get(s.name, 99))


def range_text(bounds: Bounds) -> str:
    described = bounds.describe()
    return f"valid: {described}" if described else "any value"
