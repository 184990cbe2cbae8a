"""Is a comparison like for like? The usage assumptions in which scenarios differ from the baseline.

The market is shared, but each scenario keeps its own usage profile: a
different horizon, efficiency trend, retraining cadence or question (prompt
and answer length), a market override or a share of the demand makes the
comparison no longer one of the same service. How a model answers (its
reasoning, its batch, its fleet) may differ; that is what is compared.
"""

from __future__ import annotations

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import Quantity

COMPARED_USAGE = (
    ("horizon_years", "horizon"),
    ("efficiency_gain_per_year", "efficiency gain per year"),
    ("retrain_every_months", "retraining interval"),
    ("prompt_tokens", "prompt tokens"),
    ("answer_tokens", "answer tokens"),
)


def _shown(quantity: Quantity | None) -> str:
    if quantity is None:
        return "none"
    text = f"{quantity.value:g}"
    if quantity.has_range:
        text += f" ({quantity.low:g}-{quantity.high:g})"
    return text


def _same(a: Quantity | None, b: Quantity | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.value, a.low, a.high) == (b.value, b.low, b.high)


def differences(scenario: ResolvedScenario, baseline: ResolvedScenario) -> list[str]:
    """One short phrase per usage assumption in which ``scenario`` differs from ``baseline``."""
    found = []
    for field, label in COMPARED_USAGE:
        mine, theirs = getattr(scenario.usage, field), getattr(baseline.usage, field)
        if not _same(mine, theirs):
            found.append(f"{label} {_shown(mine)} vs {_shown(theirs)}")
    if scenario.usage.retrain_at_fixed_budget != baseline.usage.retrain_at_fixed_budget:
        found.append("retraining at a fixed budget differs")
    if scenario.market != baseline.market:
        found.append("its market differs from the baseline's (overrides on one of them)")
    if scenario.market.price_basis == "list" and (scenario.list_price is None) != (baseline.list_price is None):
        found.append("priced at its serving cost (no list price)" if scenario.list_price is None else "priced at list prices")
    quoted = scenario.list_price.quoted_for if scenario.list_price is not None else None
    if scenario.market.price_basis == "list" and quoted is not None and quoted != scenario.model.name:
        found.append(f"its list prices were published for {quoted}, not for {scenario.model.name}")
    if not _same(scenario.demand_share, baseline.demand_share):
        found.append(f"serves {scenario.demand_share.value:g} of the demand vs {baseline.demand_share.value:g}")
    return found


def comparison_differences(comparison: ResolvedComparison) -> list[list[str]]:
    """For each scenario, how its usage assumptions differ from the baseline's (empty: like for like)."""
    baseline = comparison.scenarios[comparison.baseline_index]
    return [differences(scenario, baseline) for scenario in comparison.scenarios]
