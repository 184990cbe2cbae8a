"""How a model is used: tokens per query, demand over time, rebound and trends."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from app.domain.base import StrictModel
from app.domain.limits import COUNT, GROWTH, HORIZON_FLOOR, MONTHS, QUERIES_PER_DAY, RETRAIN_FLOOR, TOKENS, UTILISATION_FLOOR, both
from app.domain.quantity import Q
from app.domain.text import Description, Name


class LogisticDemand(StrictModel):
    """S-shaped adoption: queries/day rise to a ceiling around a midpoint month."""

    curve: Literal["logistic"] = "logistic"
    peak_queries_per_day: Q("queries/day", "Saturation demand.", gt=0, **QUERIES_PER_DAY)
    midpoint_month: Q("month", "Month at which demand reaches half its peak.", ge=0, **MONTHS)
    growth_rate_per_month: Q("1/month", "Steepness of the logistic curve.", gt=0, **GROWTH)


class ExponentialDemand(StrictModel):
    """Demand growing at a constant annual rate from its level at launch."""

    curve: Literal["exponential"] = "exponential"
    initial_queries_per_day: Q("queries/day", "Demand in the first month.", gt=0, **QUERIES_PER_DAY)
    growth_per_year: Q("fraction/year", "Annual growth rate of demand (1 = doubling).", gt=-1, **GROWTH)


Demand = Annotated[LogisticDemand | ExponentialDemand, Field(discriminator="curve")]


class UsagePreset(StrictModel):
    """A usage profile: query shape, serving batch, adoption and its feedbacks."""

    kind: Literal["usage"] = "usage"
    name: Name
    description: Description = ""
    prompt_tokens: Q("tokens", "Prompt (input) tokens per query, context included.", ge=0, **TOKENS)
    answer_tokens: Q("tokens", "Visible answer tokens per query.", ge=1, **TOKENS)
    reasoning_tokens_per_query: Q(
        "tokens", "Reasoning tokens per reasoning-mode query; overrides the model's own figure.", ge=0, **TOKENS
    ) | None = None
    reasoning_share: Q("fraction", "Share of queries answered in reasoning mode.", ge=0, le=1) = 0
    batch_size: Q("sequences", "Concurrent sequences decoded together on one replica.", ge=1, **COUNT)
    fleet_utilisation: Q(
        "fraction", "Busy share of the provisioned serving fleet; idle capacity is charged to queries.", le=1, **UTILISATION_FLOOR
    )
    demand: Demand
    horizon_years: Q("years", "Length of the adoption horizon.", le=30, **HORIZON_FLOOR)
    price_elasticity: Q(
        "dimensionless",
        "Elasticity of demand to price per query (negative: cheaper means more use); "
        "bounded at -5 so that demand stays finite.",
        ge=-5,
        le=0,
    ) = 0
    efficiency_gain_per_year: Q(
        "fraction/year",
        "Yearly fall in energy, CO2e, water and price per query from hardware and software "
        "(the lower price also drives the rebound, and a retraining of the same compute needs less energy).",
        ge=0,
        lt=1,
    ) = 0
    retrain_every_months: Q("months", "A new model is trained this often; none when absent.", **both(RETRAIN_FLOOR, MONTHS)) | None = None
    retrain_at_fixed_budget: bool = Field(
        False,
        description="Each retraining spends the same energy (efficiency buys more compute) "
        "instead of the same compute (efficiency saves energy).",
    )
