"""The automatic deployment: the least energy per query that still gives users the service level.

A scenario whose deployment leaves the replica size unset (the shipped
``automatic``) is served the way a competent operator would serve it: among
replicas of whole powers of two within a server and of whole servers, at the
model's own weight precision and at any lower one its publisher ships
(``model.published_serving``), the layout whose query uses the least energy
while each user still gets the comparison's per-user speed
(``market.service_level``) and waits no longer for its first token than
the service level allows; the batch is the largest that speed and the KV
memory allow. The choice is made once per scenario on the central values of
its inputs (an operator picks one deployment, not one per Monte Carlo draw), by
a batched single-sample run of the serving model for every candidate, and kept
with the scenario's figures. A published deployment (its replica size given) is
used as it is. When no candidate is fast enough, the fastest is served and
:class:`DeploymentChoice` says by how much it misses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.library import ResolvedScenario
from app.domain.quantity import Quantity
from app.engine import inference
from app.engine.hardware import accelerator, architecture
from app.engine.sampling import draw

SIZES = (1, 2, 4, 8)
"""Accelerators per replica within one server (powers of two, as tensor parallelism splits heads)."""
MOST_SERVERS = 4
"""Whole servers tried beyond the fewest that hold the weights."""
SPEED_TOLERANCE = 0.9
"""A candidate meets the service level when its users' mean speed over the whole answer is at least this
share of the target: the batch is chosen at the chat context, and long reasoning traces decode slower."""


@dataclass(frozen=True, slots=True)
class DeploymentChoice:
    """How a scenario is served, and why (the JSON's ``inference.deployment``)."""

    accelerators_per_replica: int
    tensor_parallel: int
    expert_parallel: int
    data_parallel: int
    precision: str
    chosen_by: str
    """"automatic" (searched here) or "preset" (a published deployment, used as given)."""
    wh_per_query: float
    tokens_per_second_per_user: float
    speed_target: float | None
    time_to_first_token_s: float
    first_token_target: float | None
    """The service level's longest wait for the first token (None: it sets none)."""
    runner_up: DeploymentChoice | None = None

    @property
    def fast_enough(self) -> bool:
        """Whether users get the service level's output speed (within :data:`SPEED_TOLERANCE`)."""
        return self.speed_target is None or self.tokens_per_second_per_user >= SPEED_TOLERANCE * self.speed_target

    @property
    def answers_soon_enough(self) -> bool:
        """Whether the first token comes within the service level's wait."""
        return self.first_token_target is None or self.time_to_first_token_s <= self.first_token_target

    @property
    def meets_service_level(self) -> bool:
        return self.fast_enough and self.answers_soon_enough

    def summary(self) -> str:
        """"8 accelerators at fp8": what a reader needs to know of the deployment."""
        return f"{self.accelerators_per_replica} accelerators at {self.precision}"


def operated(scenario: ResolvedScenario, level: int) -> tuple[ResolvedScenario, DeploymentChoice]:
    """``scenario`` with the deployment it is served with, and that choice."""
    if scenario.deployment.accelerators_per_replica is not None:
        return scenario, _measured(scenario, level, "preset")
    candidates = _candidates(scenario)
    if not candidates:  # nothing holds the weights with room for one sequence: the memory rule's replica
        return scenario, _measured(scenario, level, "automatic")
    measured = [_measured(c, level, "automatic") for c in candidates]
    fast = [i for i, m in enumerate(measured) if m.meets_service_level]
    if fast:
        ranked = sorted(fast, key=lambda i: (measured[i].wh_per_query, measured[i].accelerators_per_replica))
    else:  # none meets the service level: the closest to it, flagged by what it misses
        ranked = sorted(range(len(measured)), key=lambda i: _shortfall_of(measured[i]))
    best = measured[ranked[0]]
    runner_up = measured[ranked[1]] if len(ranked) > 1 else None
    chosen = DeploymentChoice(**{**_fields(best), "runner_up": runner_up})
    return candidates[ranked[0]], chosen


def _shortfall_of(choice: DeploymentChoice) -> float:
    """How far a candidate falls short of the service level: its worse ratio of target to reach (1 or less
    meets it), so the candidate the search serves when none meets it is the one that comes closest."""
    slow = 0.0 if choice.speed_target is None else choice.speed_target / max(choice.tokens_per_second_per_user, 1e-12)
    late = 0.0 if choice.first_token_target is None else choice.time_to_first_token_s / choice.first_token_target
    return max(slow, late)


def _fields(choice: DeploymentChoice) -> dict:
    return {name: getattr(choice, name) for name in DeploymentChoice.__dataclass_fields__}


def _candidates(scenario: ResolvedScenario) -> list[ResolvedScenario]:
    model = scenario.model
    precisions = [scenario.deployment.weight_precision or model.weight_precision]
    if model.published_serving is not None and model.published_serving.weight_precision not in precisions:
        precisions.append(model.published_serving.weight_precision)
    per_server = int(scenario.hardware.accelerators_per_server.value)
    sizes = [s for s in SIZES if s < per_server] + [per_server * k for k in range(1, 64)]
    found = []
    for precision in precisions:
        kept = 0
        for size in sizes:
            deployment = scenario.deployment.model_copy(update={
                "name": f"Automatic: {size} accelerators at {precision}",
                "accelerators_per_replica": Quantity(value=size, source="Chosen by the automatic deployment"),
                "weight_precision": precision,
            })
            candidate = scenario.model_copy(update={"deployment": deployment})
            if _holds(candidate):
                found.append(candidate)
                kept += 1
                if size >= per_server and kept >= MOST_SERVERS:
                    break
    return found


def _holds(scenario: ResolvedScenario) -> bool:
    """Whether the replica holds the weights and one chat sequence's KV cache."""
    inp = draw(scenario, 1, 0)
    arch = architecture(inp)
    acc = accelerator(inp, "hardware", inp.choices.serving_peak_field)
    n = float(scenario.deployment.accelerators_per_replica.value)
    context = float(inp["usage.prompt_tokens"][0] + inp["usage.answer_tokens"][0])
    free = n * float(np.max(acc.memory_bytes)) * inference.USABLE_MEMORY_FRACTION - float(np.max(arch.weight_bytes))
    return free >= context * float(np.max(arch.kv_bytes_per_token))


def _measured(scenario: ResolvedScenario, level: int, chosen_by: str) -> DeploymentChoice:
    inp = draw(scenario, 1, 0)
    served = inference.compute(inp, level, grid=False)
    layout = inference.layout_of(inp, architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field))
    n, dp = int(np.max(layout.accelerators)), int(np.max(layout.data_parallel))
    target = inference.speed_target(inp)
    first_token = inp.values.get(inference.SERVICE_LEVEL_FIRST_TOKEN)
    return DeploymentChoice(
        accelerators_per_replica=n,
        tensor_parallel=max(n // dp, 1),
        expert_parallel=int(np.max(layout.expert_parallel)),
        data_parallel=dp,
        precision=scenario.deployment.weight_precision or scenario.model.weight_precision,
        chosen_by=chosen_by,
        wh_per_query=float(served.wh_per_query[0]),
        tokens_per_second_per_user=float(served.tokens_per_second[0]),
        speed_target=None if target is None else float(np.max(target)),
        time_to_first_token_s=float(served.time_to_first_token_s[0]),
        first_token_target=None if first_token is None else float(np.min(first_token)),
    )
