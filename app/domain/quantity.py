"""A numeric input with its unit, uncertainty range and source.

In a preset file a value may be written as a bare number, or as an object::

    {"value": 37, "low": 30, "high": 40,
     "source": "DeepSeek-V3 Technical Report, arXiv 2412.19437, sec. 4.2",
     "assumption": false}

``low``/``high`` give a range the engine samples (a triangular distribution
with ``value`` as its mode). ``source`` says where the number comes from;
``assumption`` marks a value that is a modelling assumption rather than a
published figure.
"""


import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.fields import FieldInfo

from app.domain.base import StrictModel
from app.domain.field_labels import title
from app.domain.limits import whole_number_problem
from app.domain.text import Source
from app.numbers import number


def sampled_range(low: float | None, high: float | None) -> tuple[float, float] | None:
    """(low, high) when both are given and apart (a range worth sampling), else None."""
    return (low, high) if low is not None and high is not None and high > low else None


class Quantity(StrictModel):
    """A central value, an optional (low, high) range, and where it comes from."""

    value: float
    low: float | None = None
    high: float | None = None
    source: Source | None = None
    assumption: bool = False

    @field_validator("value", "low", "high", mode="before")
    @classmethod
    def _a_number(cls, number: Any) -> Any:
        """true/false and text are not numbers, though pydantic would read them as 1/0 and "80" as 80
        (a bare ``"80"`` in place of the whole object is refused too, and the JSON Schema wants a number)."""
        if isinstance(number, bool):
            raise ValueError(f"must be a number, not {str(number).lower()}")
        if isinstance(number, str):
            raise ValueError(f"must be a number, not the text {number!r}")
        return number

    @model_validator(mode="after")
    def _check_range(self) -> Self:
        for name in ("value", "low", "high"):
            number = getattr(self, name)
            if number is not None and not math.isfinite(number):
                raise ValueError(f"{name} must be a finite number, not {number}")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both 'low' and 'high' for a range, or neither")
        if self.low is not None and self.high is not None and not (self.low <= self.value <= self.high):
            raise ValueError(
                f"range must satisfy low <= value <= high (got low {self.low:g}, value {self.value:g}, high {self.high:g})"
            )
        return self

    @model_serializer(mode="wrap")
    def _serialize(self, handler: Any) -> Any:
        """Write a plain number when there is nothing but a value, else only what is set."""
        if self.low is None and self.source is None and not self.assumption:
            return self.value
        data = handler(self)
        return {key: v for key, v in data.items() if v is not None and (key != "assumption" or v)}

    @property
    def sampled_range(self) -> tuple[float, float] | None:
        """(low, high) when the value carries an uncertainty range worth sampling, else None."""
        return sampled_range(self.low, self.high)

    @property
    def has_range(self) -> bool:
        """True when the value carries an uncertainty range worth sampling."""
        return self.sampled_range is not None

    def with_value(self, value: float) -> "Quantity":
        """A copy with a new central value, its source kept and its range dropped if the value falls
        outside it (the rule of a value typed over a range). Validated: a non-finite value is refused."""
        kept = self.low is not None and self.high is not None and self.low <= value <= self.high
        return Quantity(value=value, low=self.low if kept else None, high=self.high if kept else None,
                        source=self.source, assumption=self.assumption)


def _coerce_number(raw: Any) -> Any:
    """Accept a bare number where a Quantity is expected (but not a boolean)."""
    if isinstance(raw, bool):
        raise ValueError("expected a number or a {value, low, high, source} object, not true/false")
    if isinstance(raw, (int, float)):
        return {"value": raw}
    if isinstance(raw, str):
        raise ValueError(f"expected a number, got the text {raw!r}")
    return raw


_NUMBER_OR_OBJECT = BeforeValidator(_coerce_number, json_schema_input_type=float | Quantity)

QuantityInput = Annotated[Quantity, _NUMBER_OR_OBJECT]
"""A Quantity that may also be written as a bare number."""


@dataclass(frozen=True, slots=True)
class Bounds:
    """Physical bounds on a quantity, and whether it counts whole things; checked on value, low and high alike."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    whole: bool = False
    """A count (layers, heads, experts, accelerators, sequences): every end a whole number."""

    @property
    def lower(self) -> float | None:
        """The lower end, reached (``ge``) or approached (``gt``); None when unbounded below."""
        return self.ge if self.ge is not None else self.gt

    @property
    def upper(self) -> float | None:
        """The upper end, reached (``le``) or approached (``lt``); None when unbounded above."""
        return self.le if self.le is not None else self.lt

    def describe(self) -> str:
        """"a whole number >= 1 and <= 10,000,000": what a value must be, as messages and tooltips say it."""
        parts = []
        if self.gt is not None:
            parts.append(f"> {number(self.gt, 6)}")
        if self.ge is not None:
            parts.append(f">= {number(self.ge, 6)}")
        if self.lt is not None:
            parts.append(f"< {number(self.lt, 6)}")
        if self.le is not None:
            parts.append(f"<= {number(self.le, 6)}")
        described = " and ".join(parts)
        return f"a whole number {described}".rstrip() if self.whole else described

    def admits(self, number: float) -> bool:
        return not (
            (self.gt is not None and number <= self.gt)
            or (self.ge is not None and number < self.ge)
            or (self.lt is not None and number >= self.lt)
            or (self.le is not None and number > self.le)
        )

    def check(self, numbers: Mapping[str, Any], field: str | None = None) -> None:
        """Raise a ValueError naming the first of ``numbers``' value, low and high outside the bounds, or
        not a whole number where the quantity counts ("low 2.5 is not a whole number").

        Entries that are not finite numbers are left to the quantity's own validation. A negative number
        where nothing below zero is possible is called what it is, with the name people know ``field`` by
        ("value −2 is negative: rental price must be >= 0 ..." for ``price_usd_per_hour``).
        """
        for name in ("value", "low", "high"):
            given = numbers.get(name)
            if isinstance(given, bool) or not isinstance(given, (int, float)) or not math.isfinite(given):
                continue
            if self.admits(given):
                if self.whole and (problem := whole_number_problem(given)):
                    raise ValueError(f"{name} {problem}")
                continue
            floor = self.lower
            if given < 0 and floor is not None and floor >= 0:
                label = title(field) if field else "it"
                label = label[:1].lower() + label[1:] if label[1:2].islower() else label  # "PUE" stays
                raise ValueError(f"{name} {number(given, 6)} is negative: {label} must be {self.describe()}")
            raise ValueError(f"{name} {number(given, 6)} is impossible here: must be {self.describe()}")

    def __call__(self, raw: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Quantity:
        """A field's validation (a pydantic wrap validator): the quantity, then these bounds on its value,
        low and high. A number outside the bounds is the problem named even when the quantity is also
        inconsistent: ``{"value": -2, "low": -1, "high": 1}`` is a negative price first, a misordered
        range second."""
        try:
            quantity = handler(raw)
        except ValidationError:
            self.check(raw if isinstance(raw, Mapping) else {}, info.field_name)
            raise
        self.check({"value": quantity.value, "low": quantity.low, "high": quantity.high}, info.field_name)
        return quantity


def Q(  # short, as it is written in every field declaration
    unit: str,
    description: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    whole: bool = False,
    why: str = "",
) -> FieldInfo:
    """Declare a Quantity field's unit, meaning and physical bounds.

    Written as ``pue: Annotated[Quantity, Q("ratio", "...", ge=1)]``: type
    checkers read the field as a ``Quantity``, and pydantic reads the returned
    FieldInfo, which accepts a bare number (``QuantityInput``'s coercion),
    checks the bounds on value, low and high (:meth:`Bounds.__call__`), and stores the description. The
    unit and bounds are stored in the JSON Schema (``unit``, ``minimum`` ...)
    so that the GUI builds its editors, labels and tooltips from them. ``why``
    gives the reason for a bound that is not plain physics (a cap far beyond
    any real figure, so that no figure the engine derives overflows); it is
    appended to the description. ``whole`` marks a count (layers, heads, accelerators ...): a fraction of one
    is refused in its value and range alike (the schema's ``multipleOf: 1``).
    """
    bounds = Bounds(gt=gt, ge=ge, lt=lt, le=le, whole=whole)
    if why:
        description = f"{description} {why}"
    extra: dict[str, Any] = {"unit": unit}
    if gt is not None:
        extra["exclusiveMinimum"] = gt
    if ge is not None:
        extra["minimum"] = ge
    if lt is not None:
        extra["exclusiveMaximum"] = lt
    if le is not None:
        extra["maximum"] = le
    if whole:
        extra["multipleOf"] = 1
    declared: FieldInfo = Field(description=description, json_schema_extra=extra)
    # Validators in a FieldInfo's metadata run in order, as if written in the Annotated form.
    declared.metadata = [_NUMBER_OR_OBJECT, WrapValidator(bounds)]
    return declared


def shown(model: type[BaseModel], name: str, quantity: Quantity | None = None) -> str:
    """Field ``name`` of ``model`` as its editor labels it, with ``quantity``'s value and the field's unit when
    given: "Active parameters (500 B params)", "KV heads (16)" (a unit the label already says is not said
    again). How every message that sets fields against each other names them, so no internal name
    (``active_parameters_billion``) reaches a user."""
    label = title(name)
    if quantity is None:
        return label
    unit = quantity_field(model, name).unit
    said = f" {unit}" if unit and unit.lower() not in label.lower().split() else ""
    return f"{label} ({number(quantity.value, 6)}{said})"


@dataclass(frozen=True, slots=True)
class QuantityField:
    """What a ``Q(...)`` declaration says of a field: unit, bounds and meaning."""

    unit: str
    bounds: Bounds
    description: str


def quantity_field(model: type[BaseModel], name: str) -> QuantityField:
    """The unit, bounds and description declared for a Quantity field, optional or not.

    A required ``Annotated[Quantity, Q(...)]`` field has its metadata merged into
    its FieldInfo; an optional one (``... | None``) keeps Q's FieldInfo inside the
    Annotated member of the union.
    """
    info = model.model_fields[name]
    items: list[Any] = list(info.metadata)
    extra, description = info.json_schema_extra, info.description
    for member in typing.get_args(info.annotation):
        if typing.get_origin(member) is Annotated:
            for item in typing.get_args(member)[1:]:
                items.append(item)
                if isinstance(item, FieldInfo):
                    items.extend(item.metadata)
                    extra = extra or item.json_schema_extra
                    description = description or item.description
    bounds = next((m.func for m in items if isinstance(m, WrapValidator) and isinstance(m.func, Bounds)), Bounds())
    unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
    return QuantityField(unit, bounds, description or "")
