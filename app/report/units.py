"""Choose a readable unit prefix for a set of values (kWh, MWh, GWh ...). No Qt."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from app.numbers import number

# Each ladder lists (factor from the base unit, label), smallest first.
LADDERS: dict[str, tuple[tuple[float, str], ...]] = {
    "Wh": ((1e-3, "mWh"), (1.0, "Wh"), (1e3, "kWh"), (1e6, "MWh"), (1e9, "GWh"), (1e12, "TWh"), (1e15, "PWh")),
    "tCO2e": ((1e-6, "gCO₂e"), (1e-3, "kgCO₂e"), (1.0, "tCO₂e"), (1e3, "ktCO₂e"), (1e6, "MtCO₂e")),
    "gCO2e": ((1.0, "gCO₂e"), (1e3, "kgCO₂e"), (1e6, "tCO₂e"), (1e9, "ktCO₂e")),
    "m3": ((1e-3, "L"), (1.0, "m³"), (1e3, "thousand m³"), (1e6, "million m³"), (1e9, "billion m³")),
    "USD": ((1e-3, "thousandths of USD"), (1.0, "USD"), (1e3, "thousand USD"), (1e6, "million USD"), (1e9, "billion USD")),
    "tokens": ((1.0, "tokens"), (1e3, "thousand tokens")),
    "%": ((1.0, "%"),),
}


@dataclass(frozen=True, slots=True)
class Scale:
    """Divide values by ``factor`` and label them ``label``."""

    factor: float
    label: str


def choose_scale(values: Iterable[float], base: str) -> Scale:
    """The largest prefix of ``base`` under which the biggest value is still >= 1."""
    ladder = LADDERS[base]
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    biggest = max(finite, default=0.0)
    chosen = next(step for step in ladder if step[0] == 1.0)  # the unprefixed unit
    if biggest > 0:
        for factor, label in ladder:
            if biggest / factor >= 1:
                chosen = (factor, label)
    return Scale(*chosen)


def format_value(value: float, base: str, digits: int = 3) -> str:
    """A single value with its own best prefix, e.g. ``2.79 GWh``."""
    return format_in(value, choose_scale([value], base), digits)


def format_in(value: float, scale: Scale, digits: int = 3) -> str:
    """A value in a given unit, e.g. ``0.934 Wh`` in a column whose largest value is ``16.6 Wh``.

    One unit per column of a table, rather than each value with its own prefix
    (``934 mWh`` beside ``3.22 Wh``), so values compare at a glance.
    """
    shown = number_in(value, scale, digits)
    return shown if shown == "–" else f"{shown} {scale.label}"


def number_in(value: float, scale: Scale, digits: int = 3) -> str:
    """:func:`format_in` without the unit, for a column whose header names it (``0.934`` under "Wh")."""
    if value is None or not math.isfinite(value):
        return "–"
    return number(value / scale.factor, digits)
