"""The market a comparison serves: demand, how it answers to price, and list prices.

Demand belongs to the comparison, not to a scenario's usage profile: every
scenario serves the same market (or a stated share of it), so a comparison is
like for like. Shipped markets live in ``presets/markets``. Demand is given in queries per day, directly (a logistic or an
exponential curve) or as users times queries per user.

The rebound (Jevons) acts on the deviation of a scenario's price from the
baseline's price path (see ``app.engine.adoption``): the demand curve is the
demand met at the baseline's prices, so the baseline itself never rebounds.
"""


from typing import Annotated, Literal

from pydantic import Field

from app.domain.base import StrictModel
from app.domain.limits import GROWTH, MONTHS, QUERIES_PER_DAY
from app.domain.quantity import Q, Quantity
from app.domain.text import Description, Name


class LogisticDemand(StrictModel):
    """S-shaped adoption: queries/day rise to a ceiling around a midpoint month."""

    curve: Literal["logistic"] = "logistic"
    peak_queries_per_day: Annotated[Quantity, Q("queries/day", "Saturation demand.", gt=0, **QUERIES_PER_DAY)]
    midpoint_month: Annotated[Quantity, Q("month", "Month at which demand reaches half its peak.", ge=0, **MONTHS)]
    growth_rate_per_month: Annotated[Quantity, Q("1/month", "Steepness of the logistic curve.", gt=0, **GROWTH)]


class ExponentialDemand(StrictModel):
    """Demand growing at a constant annual rate from its level in the curve's first month."""

    curve: Literal["exponential"] = "exponential"
    initial_queries_per_day: Annotated[Quantity, Q("queries/day", "Demand in the curve's first month (the comparison's first month when start_month is 0).", gt=0, **QUERIES_PER_DAY)]
    growth_per_year: Annotated[Quantity, Q("fraction/year", "Annual growth rate of demand (1 = doubling).", gt=-1, **GROWTH)]


class UsersDemand(StrictModel):
    """Users (a logistic curve) times the queries each of them asks a day."""

    curve: Literal["users"] = "users"
    peak_users: Annotated[Quantity, Q("users", "Saturation number of daily users.", gt=0, **QUERIES_PER_DAY)]
    midpoint_month: Annotated[Quantity, Q("month", "Month at which users reach half their peak.", ge=0, **MONTHS)]
    growth_rate_per_month: Annotated[Quantity, Q("1/month", "Steepness of the logistic curve of users.", gt=0, **GROWTH)]
    queries_per_user_per_day: Annotated[Quantity, Q("queries/day", "Queries a daily user asks each day.", gt=0, **QUERIES_PER_DAY)]


Demand = Annotated[LogisticDemand | ExponentialDemand | UsersDemand, Field(discriminator="curve")]

DemandShare = Annotated[Quantity, Q("fraction", "Share of the comparison's demand this scenario serves.", gt=0, le=1)]
"""A scenario serves all of the market (1) or a stated share of it."""

LaunchMonths = Annotated[Quantity, Q(
    "month",
    "Months after the comparison's start at which this scenario's model is released: it serves no queries "
    "before then and the market's demand from then on (the curve is the market's, shared by every scenario, "
    "so a later launch misses the early months). 0: serving from the start (a model released before the "
    "comparison starts serves from its start too). Must end before the horizon does.",
    ge=0,
    **MONTHS,
)]
"""When a scenario starts serving the comparison's market (``app.engine.adoption``)."""

PriceBasis = Literal["cost", "cost_plus_margin", "list"]
"""What users pay per query: the provider's cost of serving it, that cost with the provider's margin on
top (``markup_on_cost``), or list prices per token."""


class ServiceLevel(StrictModel):
    """What every scenario must give each user, so that the comparison is like for like."""

    tokens_per_second_per_user: Annotated[Quantity, Q(
        "tokens/s",
        "Output speed each user gets while an answer is written. An automatic deployment serves the largest "
        "batch that still gives it (a bigger batch uses less energy per token but is slower for each user).",
        gt=0,
        le=1e4,
    )]
    time_to_first_token_s: Annotated[Quantity, Q(
        "s",
        "Longest mean wait for the first token of an answer (the prompt's prefill); an automatic deployment "
        "that keeps users waiting longer is not chosen, and a scenario that cannot meet it is flagged.",
        gt=0,
        le=3600,
    )] | None = None


class MarketPreset(StrictModel):
    """Demand every scenario of a comparison serves, and its response to price."""

    kind: Literal["market"] = "market"
    name: Name
    description: Description = ""
    demand: Demand
    start_month: Annotated[Quantity, Q(
        "month",
        "Month of the demand curve at which the comparison starts (0: the curve's own start, its month 0). "
        "The horizon's first month sees the demand of this month of the curve; a scenario released later "
        "states its launch_months_after_start.",
        ge=0,
        **MONTHS,
    )] = Quantity(value=0)
    price_basis: PriceBasis = Field(
        "cost",
        description="Price per query seen by users: 'cost' (the serving cost, which follows each "
        "scenario's efficiency gain), 'cost_plus_margin' (that cost times markup_on_cost, so prices follow "
        "each scenario's modelled cost with one margin for all) or 'list' (each scenario's list prices per token).",
    )
    markup_on_cost: Annotated[Quantity, Q(
        "ratio",
        "Price over serving cost when users pay 'cost_plus_margin': 1 sells at cost.",
        ge=1,
        le=1000,
    )] | None = None
    price_elasticity: Annotated[Quantity, Q(
        "dimensionless",
        "Elasticity of demand to a scenario's price relative to the baseline's (negative: cheaper means "
        "more use); only beyond -1 can a cheaper, leaner scenario use more energy (backfire). "
        "Bounded at -5 so that demand stays finite.",
        ge=-5,
        le=0,
    )] = Quantity(value=0)
    rebound_on_tokens_share: Annotated[Quantity, Q(
        "fraction",
        "Share of the rebound taken as longer answers and reasoning (more generated tokens per query) "
        "rather than more queries.",
        ge=0,
        le=1,
    )] = Quantity(value=0)
    prompt_cache_share: Annotated[Quantity, Q(
        "fraction",
        "Share of the market's prompt tokens that repeat an earlier prefix (system prompts, conversation "
        "history) and are served from a prefix cache, unless a deployment states its own share.",
        ge=0,
        le=1,
    )] | None = None
    reasoning_share: Annotated[Quantity, Q(
        "fraction",
        "Share of the market's queries that call for reasoning: a scenario whose model reasons answers this "
        "share with a chain of thought and the rest without, whatever its usage profile says. Unset, each "
        "usage profile's own share applies.",
        ge=0,
        le=1,
    )] | None = None
    service_level: ServiceLevel | None = Field(
        None,
        description="The per-user speed every scenario serves at; without one, an automatic deployment runs "
        "the largest batch its memory holds, however slow that is for each user.",
    )


class ListPrice(StrictModel):
    """A model's published API prices per million tokens."""

    quoted_for: Name | None = Field(
        None,
        description="Name of the model these prices were published for; a scenario serving another model is "
        "flagged as not like for like until its prices are changed.",
    )
    usd_per_million_input_tokens: Annotated[Quantity, Q("USD/Mtoken", "List price of prompt tokens (cache miss).", ge=0, le=1e4)]
    usd_per_million_cached_input_tokens: Annotated[Quantity, Q(
        "USD/Mtoken", "List price of prompt tokens served from the provider's cache; the input price when absent.", ge=0, le=1e4
    )] | None = None
    usd_per_million_output_tokens: Annotated[Quantity, Q(
        "USD/Mtoken", "List price of generated tokens (answer and reasoning alike).", ge=0, le=1e4
    )]
    cached_input_share: Annotated[Quantity, Q("fraction", "Share of prompt tokens billed at the cached price.", ge=0, le=1)] = Quantity(value=0)
    reasoning_price_multiple: Annotated[Quantity, Q(
        "ratio",
        "A query answered in reasoning mode is billed at these prices times this multiple (its trace as output); "
        "1 when a provider prices both modes alike. DeepSeek bills deepseek-reasoner (R1) at about 2x deepseek-chat (V3).",
        ge=0,
        le=100,
    )] = Quantity(value=1)
