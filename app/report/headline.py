"""The headline: per scenario, the answer in one quotable line, for the window's top and the report.

Each scenario other than the baseline gets its paired energy ratio to the
baseline over the horizon (median and 5-95 % band, from
:func:`app.report.verdict.verdict`, so the headline and the verdict are one
figure), the share of plausible cases in which it uses more energy, and, when
it was searched, the price elasticity at which the median verdict flips: the
assumption the answer turns on. Tables of numbers and text only, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.library import ResolvedComparison
from app.engine.results import Band
from app.numbers import percent, signed, times, years_text

if TYPE_CHECKING:
    from app.engine.variants import BreakEven

ELASTICITY = "market.price_elasticity"
"""The input whose break-even value the headline names: the rebound's strength."""


def elasticity_flip(resolved: ResolvedComparison, index: int) -> BreakEven:
    """Where along the price elasticity scenario ``index``'s median verdict flips, and whether that
    lies within the elasticity's range (its value None: nowhere in the searched interval), drawn
    with :data:`app.report.metadata.SEED` like the figures beside it."""
    from app.engine.variants import break_even  # the engine, only where a flip is searched
    from app.report import metadata

    return break_even(resolved, index, ELASTICITY, seed=metadata.SEED)


def elasticity_flips(
    resolved: ResolvedComparison, flip: Callable[[int], BreakEven] | None = None
) -> dict[int, BreakEven]:
    """:func:`elasticity_flip` of every scenario but the baseline, or ``flip(index)`` where the caller keeps
    the searches; one whose search fails names no flip."""
    found: dict[int, BreakEven] = {}
    for index in range(len(resolved.scenarios)):
        if index != resolved.baseline_index:
            try:
                found[index] = flip(index) if flip is not None else elasticity_flip(resolved, index)
            except Exception:  # the headline then names no flip; the verdict still stands
                continue
    return found


@dataclass(frozen=True, slots=True)
class Flip:
    """Where the median verdict flips along one input, and that input's own range."""

    label: str
    value: float
    within_range: bool
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class HeadlineRow:
    name: str
    color: str
    baseline: str
    years: float
    ratio: Band
    """Paired ratio of the scenario's cumulative energy to the baseline's."""
    ranged: bool
    probability_more: float
    """Share of the sampled cases in which the scenario uses more energy (NaN when undefined)."""
    flip: Flip | None = None
    not_like_for_like: tuple[str, ...] = ()


def band_text(ratio: Band) -> str:
    """"0.62–3.1×": the 5-95 % band to two significant figures, with an en dash."""
    return f"{times(ratio.p5, 2).removesuffix('×')}–{times(ratio.p95, 2)}"


def ratio_text(ratio: Band, ranged: bool) -> str:
    """"1.4× (0.62–3.1×)": the median paired ratio, with its band when inputs carried ranges. A Monte Carlo
    median is given to two significant figures, as its band is: the DeepSeek question's V3 reads 0.441-0.454x
    over seeds 0-7, so a third figure would claim a precision the sampling does not have."""
    return times(ratio.median, 2 if ranged else 3) + (f" ({band_text(ratio)})" if ranged else "")


def more_energy_text(probability: float, ranged: bool) -> str:
    """"more energy in 74 % of plausible cases"; "" without ranges (no cases to count) or when undefined (NaN)."""
    return f"more energy in {percent(probability)} of plausible cases" if ranged and math.isfinite(probability) else ""


def headline_title(row: HeadlineRow) -> str:
    """The bold part: "DeepSeek-V3 uses 1.37× (0.62–3.07×) the energy of Llama 3.1 405B over 5 years"."""
    return f"{row.name} uses {ratio_text(row.ratio, row.ranged)} the energy of {row.baseline} over {years_text(row.years)}"


def headline_detail(row: HeadlineRow) -> str:
    """How sure, and what it turns on: "more energy in 74 % of plausible cases; flips at ..."."""
    parts = []
    more = more_energy_text(row.probability_more, row.ranged)
    if more:
        parts.append(more)
    if row.flip is not None:
        flip = row.flip
        where = ""
        if flip.low is not None and flip.high is not None:
            inside = "within" if flip.within_range else "outside"
            where = f" ({inside} its range, {signed(flip.low)} to {signed(flip.high)})"
        parts.append(f"the answer flips at a {flip.label} of {signed(flip.value)}{where}")
    if row.not_like_for_like:
        parts.append("not like for like: " + "; ".join(row.not_like_for_like))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


def headline_text(rows: list[HeadlineRow]) -> str:
    """Every row as plain text, one paragraph each (copy, accessibility, the report)."""
    return "\n".join(f"{headline_title(row)}. {headline_detail(row)}".strip() for row in rows)
