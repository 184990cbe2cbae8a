"""A scenario's training over the horizon beyond its first run: successors' growth, re-spending, entrants.

The cadence of successor runs is the usage profile's ``retrain_every_months`` and the fall in energy per
FLOP its ``efficiency_gain_per_year`` (the trend the app already applies to a retraining); R&D and
experiment compute is the model's ``training.experiment_overhead_fraction``. This section adds what the
training side of the Jevons argument needs (``app.engine.training_path``):

* each successor run's compute grows every year (frontier training compute grows several-fold a year);
* a share of the scenario's training saving against the baseline is spent again on training (Amodei:
  efficiency gains "end up entirely devoted to training smarter models");
* cheaper training draws more labs into training frontier-class models (an elasticity of entrants).

Absent, a scenario trains as before: successors of the same compute, nothing re-spent, no entrants.
"""


from typing import Annotated

from app.domain.base import StrictModel
from app.domain.limits import COMPUTE_GROWTH
from app.domain.quantity import Q, Quantity, shown
from app.domain.usage import UsagePreset


class TrainingPath(StrictModel):
    """How a scenario's training spending evolves over the horizon."""

    compute_growth_per_year: Annotated[Quantity, Q(
        "fraction/year",
        "Yearly growth of each successor run's compute (3.5: 4.5x a year). Applies to retrainings at a cadence "
        "(usage.retrain_every_months), not at a fixed budget; each run's energy also falls with the usage's "
        "efficiency_gain_per_year.",
        ge=0,
        **COMPUTE_GROWTH,
    )] = Quantity(value=0)
    reinvested_share: Annotated[Quantity, Q(
        "fraction",
        "Share of the scenario's training spend saved against the baseline's that is spent again on training "
        "(0 banks the saving; 1 spends as much on training as the baseline: budget parity).",
        ge=0,
        le=1,
    )] = Quantity(value=0)
    entrant_elasticity: Annotated[Quantity, Q(
        "dimensionless",
        "Elasticity of the number of labs training frontier-class models to the cost of training one: labs "
        "scale as (training cost / the baseline's)^-elasticity when training is cheaper, each new lab training "
        "a run like this scenario's while the market is shared among them. Unset: no entry.",
        ge=0,
        le=5,
    )] | None = None


def cadence_problem(usage: UsagePreset) -> str | None:
    """Why a training path cannot follow this usage's cadence, or None: a successor run every N months
    needs N within the horizon (a longer cadence trains no successor, and the path would do nothing).
    Central values: a range reaching beyond the horizon only leaves some draws without a successor."""
    cadence = usage.retrain_every_months
    horizon = usage.horizon_months
    if cadence is None or cadence.value <= horizon + 1e-9:
        return None
    return (f"successor runs every {cadence.value:g} months (the usage's {shown(UsagePreset, 'retrain_every_months')}) "
            f"is longer than its {shown(UsagePreset, 'horizon_years', usage.horizon_years)}: must be at most "
            f"{horizon:g} months")
