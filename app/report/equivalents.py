"""Everyday equivalents of a total: "14.8 TWh = the yearly electricity of 1.4 million US homes".

The published figures (each with its year and source) ship in
``resources/equivalents.json``; nothing here holds a number of its own. Used by
the window's summary tooltips, ``jevons evaluate`` (text and ``--json``
``totals.equivalents``) and the report.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from app.numbers import number, years_text
from app.paths import resources_dir

if TYPE_CHECKING:
    from app.report.reduction import ComparisonFigures

QUANTITIES = ("energy_kwh", "co2e_kg")
"""What a figure measures: electricity (kWh) or greenhouse gas (kg)."""


@dataclass(frozen=True)
class EverydayFigure:
    """One published figure: ``value`` units of ``quantity`` make one of what ``text`` counts."""

    id: str
    quantity: str
    value: float
    year: int
    text: str
    cite: str
    label: str
    source: str


@dataclass(frozen=True)
class Equivalent:
    """A total over the horizon expressed as a count of one everyday yearly figure over as many years."""

    id: str
    quantity: str
    """What the total measures: one of :data:`QUANTITIES`."""
    count: float
    text: str
    cite: str
    source: str
    label: str
    """What one unit is, over the horizon ("US homes' electricity over the same 5 years")."""


@lru_cache(maxsize=1)
def shipped_figures() -> tuple[EverydayFigure, ...]:
    """The figures of ``resources/equivalents.json``, in file order."""
    path = resources_dir() / "equivalents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        EverydayFigure(entry["id"], quantity, float(entry["value"]), int(entry["year"]), entry["text"],
                       entry["cite"], entry["label"], entry["source"])
        for quantity in QUANTITIES
        for entry in data.get(quantity, [])
    )


def count_text(count: float) -> str:
    """A count for prose: three significant figures, words for millions and billions."""
    for scale, word in ((1e9, " billion"), (1e6, " million")):
        if count >= scale:
            return f"{number(count / scale)}{word}"
    return number(count, 3 if count >= 100 else 2)


def equivalents(energy_mwh: float, co2e_t: float, years: float,
                figures: tuple[EverydayFigure, ...] | None = None) -> list[Equivalent]:
    """``energy_mwh`` and ``co2e_t``, totals over ``years``, as counts of each yearly figure over as many years
    (a 5-year total is so many homes' electricity for those 5 years, not so many home-years, which a reader
    takes for a yearly rate five times too high); a missing or non-positive total gives none."""
    amounts = {"energy_kwh": energy_mwh * 1e3, "co2e_kg": co2e_t * 1e3}
    span = years_text(years)
    found = []
    for figure in shipped_figures() if figures is None else figures:
        amount = amounts[figure.quantity]
        if not math.isfinite(amount) or amount <= 0 or not years > 0:
            continue
        count = amount / (figure.value * years)
        text = figure.text.format(count=count_text(count), years=span)
        found.append(Equivalent(figure.id, figure.quantity, count, text, figure.cite, figure.source,
                                figure.label.format(years=span)))
    return found


def energy_equivalents_line(per_scenario: Sequence[Sequence[Equivalent]]) -> str:
    """The window's line under the verdict: each scenario's total energy (numbered as in the summary) as a count
    of the first energy figure, e.g. "Total energy in US homes' electricity over the same 5 years (US EIA,
    2020): 1 ≈ 187,000"; ``per_scenario`` holds each scenario's equivalents (``TotalsFigures.equivalents``)."""
    figure = first_energy_figure()
    found = [(number, e) for number, each in enumerate(per_scenario, start=1) for e in each if e.id == figure.id]
    if not found:
        return ""
    parts = "; ".join(f"{number} ≈ {count_text(e.count)}" for number, e in found)
    return f"Total energy in {found[0][1].label} ({figure.cite}): {parts}."


def first_energy_figure() -> EverydayFigure:
    """The energy figure named in the window's one-line summary (the first in the file)."""
    return next(f for f in shipped_figures() if f.quantity == "energy_kwh")


def scenario_equivalents(figures: ComparisonFigures) -> list[tuple[str, Equivalent]]:
    """Each scenario's median total energy and CO2e over the horizon as everyday equivalents (the report's table)."""
    return [(scenario.name, found) for scenario in figures.scenarios for found in scenario.totals.equivalents]


def equivalents_document(found: Sequence[Equivalent]) -> dict[str, dict[str, object]]:
    """``totals.equivalents`` of ``evaluate --json``: per figure id, its count, sentence and source."""
    return {e.id: {"count": e.count, "text": e.text, "cite": e.cite, "source": e.source} for e in found}
