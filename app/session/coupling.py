"""Settings that override or contradict others, said in words for the editors. No Qt.

Two couplings surprise users: published training figures make the model's
architecture irrelevant to training (switching MoE on then changes inference
only), a market's share of reasoning queries replaces the usage profile's, and a usage profile may ask no reasoning queries of a reasoning model
(or reasoning queries of a model that does not reason).
"""

from __future__ import annotations

from app.domain.market import MarketPreset
from app.domain.model_preset import ModelPreset
from app.domain.usage import UsagePreset
from app.numbers import percent


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.4g}"


def architecture_note(model: ModelPreset) -> str:
    """Why the architecture does not move training energy, or "" when it does."""
    run = model.training
    if run.published_accelerator_hours is not None:
        what = f"published accelerator-hours ({_amount(run.published_accelerator_hours.value)})"
    elif run.published_training_flops is not None:
        what = f"published training compute ({run.published_training_flops.value:.3g} FLOP)"
    else:
        return ""
    return (f"Pre-training is counted from the {what}, so the architecture (mixture of experts, parameters, "
            "tokens) changes only inference here. Clear that figure under Pre-training run to estimate it instead.")


def reasoning_note(model: ModelPreset, usage: UsagePreset, market: MarketPreset | None = None) -> str:
    """How the usage profile, the market and the reasoning switch disagree, or "" when they agree."""
    if market is not None and market.reasoning_share is not None:
        if model.reasoning is None:
            return ""
        return (f"The market sets the share of reasoning queries ({percent(market.reasoning_share.value)}) for "
                "every scenario, so this usage profile's share is not used: change it on the Market tab.")
    share = usage.reasoning_share.value
    if model.reasoning is not None and share == 0:
        return ("The usage profile asks no reasoning queries (share 0), so the chain of thought costs nothing "
                "here: raise the share of reasoning queries to count it.")
    if model.reasoning is None and share > 0:
        return (f"The usage profile asks {percent(share)} reasoning queries, but this model does not reason: "
                "they are answered without a chain of thought.")
    return ""
