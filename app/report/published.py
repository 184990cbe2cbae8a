"""Each published result of a comparison beside the engine's figure, and the difference between them.

The figures are the baseline scenario's (a published case has one scenario),
read from the comparison's one reduction (``app.report.reduction``) by their
key in ``evaluate --json`` (``app.domain.published``).
The window, the report, the ``evaluate`` table and its JSON format these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.library import ResolvedComparison
from app.engine.results import Band
from app.numbers import band as band_text
from app.numbers import change, number
from app.report.reduction import ComparisonFigures

PUBLISHED_DIGITS = 6
"""A published value is written as published (1,287 MWh, not 1,290), up to six significant figures."""
ENGINE_DIGITS = 4
"""The engine's figure beside it, to enough figures to read a difference of a tenth of a percent."""


@dataclass(frozen=True, slots=True)
class PublishedCheck:
    """A published value, the engine's figure (median and band) and where the value is published."""

    figure: str
    """Its key in ``evaluate --json`` (``training.energy_mwh``)."""
    label: str
    unit: str
    published: float
    engine: Band
    source: str

    @classmethod
    def from_document(cls, item: dict[str, Any]) -> PublishedCheck:
        """The check back from its ``evaluate --json`` entry (the table is written from the JSON)."""
        engine = item["engine"]
        return cls(item["figure"], item["label"], item["unit"], item["published"],
                   Band(engine["median"], engine["p5"], engine["p95"]), item["source"])

    @property
    def error(self) -> float:
        """The engine's median against the published value: +0.05 reads 5 % above."""
        return self.engine.median / self.published - 1.0

    def sentence(self) -> str:
        """"Training energy: published 1,287 MWh; the engine 1,290 MWh (+0.2 %). Source: …"."""
        engine = number(self.engine.median, ENGINE_DIGITS)
        if self.engine.p95 - self.engine.p5 > 0.01 * abs(self.engine.median):  # a band worth reading
            engine += f" ({band_text(self.engine.p5, self.engine.p95)})"
        return (f"{self.label}: published {number(self.published, PUBLISHED_DIGITS)} {self.unit}; the engine "
                f"{engine} {self.unit} ({change(self.error)}). Source: {self.source}.")


def published_document(checks: list[PublishedCheck]) -> list[dict[str, Any]]:
    """``published`` in ``evaluate --json``: each published value beside the engine's figure."""
    return [{"figure": c.figure, "label": c.label, "unit": c.unit, "published": c.published,
             "engine": {"median": c.engine.median, "p5": c.engine.p5, "p95": c.engine.p95},
             "error": c.error, "source": c.source} for c in checks]


def published_checks(comparison: ResolvedComparison, figures: ComparisonFigures) -> list[PublishedCheck]:
    """The comparison's published results, each beside the baseline's reduced figure, in the file's order."""
    baseline = figures.baseline
    checks = []
    for item in comparison.published:
        part, name = item.figure.split(".", 1)
        engine = getattr(baseline, part).figures[name]
        checks.append(PublishedCheck(item.figure, item.label, item.unit, item.value, engine, item.source))
    return checks
