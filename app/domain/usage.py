"""How a model is used: tokens per query, serving batch, horizon and trends.

Demand and its response to price belong to the comparison (``app.domain.market``).
"""


from typing import Annotated, Literal

from pydantic import Field

from app.domain.base import StrictModel
from app.domain.limits import COUNT, HORIZON_FLOOR, MONTHS, RETRAIN_FLOOR, TOKENS, UTILISATION_FLOOR, both
from app.domain.quantity import Q, Quantity
from app.domain.text import Description, Name


class UsagePreset(StrictModel):
    """A usage profile: query shape, serving batch, horizon, efficiency trend and retraining."""

    kind: Literal["usage"] = "usage"
    name: Name
    description: Description = ""
    prompt_tokens: Annotated[Quantity, Q("tokens", "Prompt (input) tokens per query, context included.", ge=0, **TOKENS)]
    answer_tokens: Annotated[Quantity, Q("tokens", "Visible answer tokens per query.", ge=1, **TOKENS)]
    reasoning_tokens_per_query: Annotated[Quantity, Q(
        "tokens", "Reasoning tokens per reasoning-mode query; overrides the model's own figure.", ge=0, **TOKENS
    )] | None = None
    reasoning_share: Annotated[Quantity, Q("fraction", "Share of queries answered in reasoning mode.", ge=0, le=1)] = Quantity(value=0)
    batch_size: Annotated[Quantity, Q(
        "sequences",
        "Cap on the sequences one replica decodes together, kept for older files: shipped profiles set none, "
        "and the batch comes from the deployment, the service level and the KV memory.",
        ge=1,
        whole=True,
        **COUNT,
    )] | None = None
    fleet_utilisation: Annotated[Quantity, Q(
        "fraction", "Busy share of the provisioned serving fleet; idle capacity is charged to queries.", le=1, **UTILISATION_FLOOR
    )]
    horizon_years: Annotated[Quantity, Q("years", "Length of the adoption horizon.", le=30, **HORIZON_FLOOR)]
    efficiency_gain_per_year: Annotated[Quantity, Q(
        "fraction/year",
        "Yearly fall in energy, CO2e, water and price per query from hardware and software "
        "(the lower price also drives the rebound, and a retraining of the same compute needs less energy).",
        ge=0,
        lt=1,
    )] = Quantity(value=0)
    retrain_every_months: Annotated[Quantity, Q("months", "A new model is trained this often; none when absent.", **both(RETRAIN_FLOOR, MONTHS))] | None = None
    retrain_at_fixed_budget: bool = Field(
        False,
        description="Each retraining spends the same energy (efficiency buys more compute) "
        "instead of the same compute (efficiency saves energy).",
    )

    @property
    def horizon_months(self) -> float:
        """The central horizon in months: what a scenario's launch and a retraining cadence must fall within."""
        return self.horizon_years.value * 12
