"""The automatic deployment: the least energy per query that still gives users the service level.

A scenario whose deployment leaves the replica size unset (the shipped
``automatic``) is served the way a competent operator would serve it: among
replicas of whole powers of two within a server and of whole servers, at the
model's own weight precision and at any lower one its publisher ships
(``model.published_serving``), with attention split by tensor parallelism or
replicated per accelerator (data-parallel attention, for a mixture of experts,
whose experts are always spread over the whole replica) and with or without the
model's own multi-token prediction (``model.multi_token_prediction``) drafting
for speculative decoding, and, for a mixture of experts spread over several
servers, with prefill's expert copies sent over the network one by one or one
per server forwarded there (per-server dispatch, DeepEP's normal kernels), the layout whose query uses the least energy
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

from dataclasses import dataclass, replace

import numpy as np

from app.domain.library import ResolvedScenario
from app.domain.precision import BYTES_PER_VALUE
from app.domain.quantity import Quantity
from app.engine import inference
from app.engine.hardware import accelerator, architecture
from app.engine.inputs import Inputs
from app.engine.results import InferenceResult
from app.engine.sampling import central, served_precision

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
    dispatch: str
    """The deployment's ``per_server_dispatch``: "none", "prefill" or "prefill_and_decode"."""
    draft_tokens: int
    """Tokens drafted per step by the model's multi-token prediction (0: none)."""
    chosen_by: str
    """"automatic" (searched here) or "preset" (a published deployment, used as given)."""
    wh_per_query: float
    tokens_per_second_per_user: float
    speed_target: float | None
    """The comparison's service level: the per-user speed every scenario must give (None: it sets none)."""
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
        """"8 accelerators at fp8": what a reader needs to know of the deployment, with its attention layout
        when that is data-parallel and its drafting when it drafts."""
        said = f"{self.accelerators_per_replica} accelerators at {self.precision}"
        if self.data_parallel > 1:
            said += ", data-parallel attention"
        if self.draft_tokens:
            said += f", multi-token prediction drafting {self.draft_tokens}"
        if self.dispatch != "none":
            said += f", per-server dispatch for {self.dispatch.replace('_', ' ')}"
        return said


def is_published(scenario: ResolvedScenario) -> bool:
    """Whether the scenario's deployment is a published one (its replica size given), served as it is."""
    return scenario.deployment.accelerators_per_replica is not None


def served_as(scenario: ResolvedScenario, level: int) -> ResolvedScenario:
    """``scenario`` with the deployment it is served with (:func:`operated`'s), without measuring a
    published deployment's figures."""
    return scenario if is_published(scenario) else operated(scenario, level)[0]


def operated(scenario: ResolvedScenario, level: int) -> tuple[ResolvedScenario, DeploymentChoice]:
    """``scenario`` with the deployment it is served with, and that choice."""
    if is_published(scenario):
        inp = central(scenario, 1)
        return scenario, published_choice(scenario, inp, inference.compute(inp, level, grid=False))
    candidates = _candidates(scenario, [(precision, dispatch) for precision in _precisions(scenario)
                                        for dispatch in _dispatches(scenario)])
    measured = [] if candidates is None else _measured(*candidates, level, "automatic")
    if not measured:  # nothing holds the weights with room for one sequence: the memory rule's replica
        inp = central(scenario, 1)
        return scenario, _measured(inp, [(served_precision(scenario), scenario.deployment.per_server_dispatch)], level, "automatic")[0]
    fast = [i for i, m in enumerate(measured) if m.meets_service_level]
    if fast:
        ranked = sorted(fast, key=lambda i: (measured[i].wh_per_query, measured[i].accelerators_per_replica))
    else:  # none meets the service level: the closest to it, flagged by what it misses
        ranked = sorted(range(len(measured)), key=lambda i: _shortfall_of(measured[i]))
    best = measured[ranked[0]]
    runner_up = measured[ranked[1]] if len(ranked) > 1 else None
    chosen = DeploymentChoice(**{**_fields(best), "runner_up": runner_up})
    return _deployed(scenario, best), chosen


def _shortfall_of(choice: DeploymentChoice) -> float:
    """How far a candidate falls short of the service level: its worse ratio of target to reach (1 or less
    meets it), so the candidate the search serves when none meets it is the one that comes closest."""
    slow = 0.0 if choice.speed_target is None else choice.speed_target / max(choice.tokens_per_second_per_user, 1e-12)
    late = 0.0 if choice.first_token_target is None else choice.time_to_first_token_s / choice.first_token_target
    return max(slow, late)


def _fields(choice: DeploymentChoice) -> dict:
    return {name: getattr(choice, name) for name in DeploymentChoice.__dataclass_fields__}


def _precisions(scenario: ResolvedScenario) -> list[str]:
    """The precisions the search tries: the one the scenario is served at (:func:`served_precision`) and,
    unless its deployment names one, the model's own too."""
    precisions = [served_precision(scenario)]
    own = scenario.model.weight_precision
    if scenario.deployment.weight_precision is None and own not in precisions:
        precisions.append(own)
    return precisions


def searchable(scenario: ResolvedScenario) -> bool:
    """Whether some replica the search tries holds the weights and one chat sequence at a precision it tries;
    when none does, it serves the memory rule's replica (:func:`app.engine.inference.replica_size`)."""
    precisions = _precisions(scenario)
    holding = _holding_at(scenario, precisions, int(scenario.hardware.accelerators_per_server.value))
    return any(sizes.size for sizes in holding.values())


def _drafting(scenario: ResolvedScenario) -> tuple[Quantity, Quantity] | None:
    """The drafted tokens and their acceptance a candidate may decode with: the deployment's own drafting
    (speculative decoding it sets itself, always kept), else the model's multi-token prediction, else None."""
    own = scenario.deployment
    if own.draft_tokens.value > 0:
        return own.draft_tokens, own.draft_acceptance
    mtp = scenario.model.multi_token_prediction
    return None if mtp is None else (mtp.draft_tokens, mtp.acceptance)


def _dispatches(scenario: ResolvedScenario) -> tuple[str, ...]:
    """The all-to-all dispatches tried: per copy, and for a mixture of experts per server for prefill (they
    differ only on replicas spanning servers). Per-server dispatch in decode is not tried: DeepSeek decodes
    with DeepEP's per-copy low-latency kernels because the per-server (normal) kernels cost latency at
    decode's small per-step batches (they cannot be captured in CUDA graphs; deepseek-ai/DeepEP README), a
    cost the serving physics has no term for, so the search would choose it for a cost it does not see
    (0.065 against 0.110 Wh for DeepSeek-V3 on 24 H800s at 21 tokens/s, below DeepSeek's own 0.097 Wh)."""
    return ("none", "prefill") if scenario.model.moe is not None else ("none",)


def _deployed(scenario: ResolvedScenario, choice: DeploymentChoice) -> ResolvedScenario:
    """``scenario`` served as ``choice`` says: its replica size, precision, attention layout and drafting."""
    size, precision = choice.accelerators_per_replica, choice.precision
    chosen = Quantity(value=size, source="Chosen by the automatic deployment")
    update: dict = {
        "name": f"Automatic: {choice.summary()}",
        "accelerators_per_replica": chosen,
        "weight_precision": precision,
        "data_parallel": chosen if choice.data_parallel > 1 else Quantity(value=1),
        "per_server_dispatch": choice.dispatch,
    }
    drafting = _drafting(scenario)
    if choice.draft_tokens and drafting is not None:
        update |= {"draft_tokens": drafting[0], "draft_acceptance": drafting[1]}
    else:
        update |= {"draft_tokens": Quantity(value=0), "draft_acceptance": Quantity(value=0)}
    return scenario.model_copy(update={"deployment": scenario.deployment.model_copy(update=update)})


Run = tuple[str, str]
"""What a candidate is served at beyond its layout: its weights' precision and its all-to-all dispatch."""

CANDIDATE_PEAK = "candidate_peak_tflops"
"""The hardware input the search's candidates read their serving peak from: each column's chip at that
column's precision (the columns of one run of the serving model mix precisions)."""


def _candidates(scenario: ResolvedScenario, runs: list[Run]) -> tuple[Inputs, list[Run]] | None:
    """Central inputs with one column per candidate of every run (precision and dispatch), and each column's
    run: each replica that holds the weights and one chat sequence's KV cache at the run's precision (powers
    of two within a server, then whole servers up to :data:`MOST_SERVERS` that hold them), with
    tensor-parallel attention and, for a mixture of experts, data-parallel attention, each without drafting
    and, for a model with multi-token prediction, with it (a deployment that drafts by itself keeps its own
    drafting on every candidate). A per-server dispatch keeps only the replicas spanning servers (within one
    it changes nothing). All of them are served in one vectorised run of the serving model: the precision
    and the dispatch are per column (the weights' bytes, the chip's peak at that precision, and whether
    prefill dispatches per server)."""
    per_server = int(scenario.hardware.accelerators_per_server.value)
    attention = [False, True] if scenario.model.moe is not None else [False]
    drafting = _drafting(scenario)
    if drafting is None:
        drafts = [False]
    elif scenario.deployment.draft_tokens.value > 0:
        drafts = [True]  # the deployment's own drafting is a given, not a choice
    else:
        drafts = [False, True]
    first = central(scenario, 1)
    holding = _holding_at(scenario, [precision for precision, _ in runs], per_server)
    grid: list[tuple[float, bool, bool, Run]] = []
    for precision, dispatch in runs:
        kept = holding[precision]
        if dispatch != "none":
            kept = kept[kept > per_server]
        grid += [(n, dp, draft, (precision, dispatch)) for dp in attention for draft in drafts for n in kept
                 if not (dp and n == 1)]
    if not grid:
        return None
    # The scenario's central values at every precision and dispatch, served as each candidate says: its replica,
    # attention layout and drafting (the rest of its deployment as it is).
    values = central(scenario, len(grid)).values
    values["deployment.accelerators_per_replica"] = np.array([n for n, _, _, _ in grid])
    values["deployment.data_parallel"] = np.array([n if dp else 1.0 for n, dp, _, _ in grid])
    drafted = np.array([draft for _, _, draft, _ in grid])
    for path, quantity in zip(("deployment.draft_tokens", "deployment.draft_acceptance"), drafting or (None, None),
                              strict=True):
        values[path] = np.where(drafted, 0.0 if quantity is None else quantity.value, 0.0)
    served_at = [run for *_, run in grid]
    values[f"hardware.{CANDIDATE_PEAK}"] = np.array([first[f"hardware.{scenario.hardware.peak_field(p)}"][0] for p, _ in served_at])
    choices = replace(
        first.choices, serving_peak_field=CANDIDATE_PEAK,
        weight_bytes=np.array([BYTES_PER_VALUE[p] for p, _ in served_at]),
        per_server_prefill=np.array([d != "none" for _, d in served_at]), per_server_decode=False,
    )
    return Inputs(values, choices, len(grid)), served_at


def _holding_at(scenario: ResolvedScenario, precisions: list[str], per_server: int) -> dict[str, np.ndarray]:
    """The replicas that hold the weights of ``scenario`` at each of ``precisions``, from one central input with
    a column per precision: a precision changes the weights' bytes and the chip's peak, nothing else the
    search reads (nor does the rest of the deployment)."""
    precisions = list(dict.fromkeys(precisions))
    first = central(scenario, 1)
    weight_bytes = np.array([BYTES_PER_VALUE[precision] for precision in precisions])
    columns = Inputs(central(scenario, len(precisions)).values, replace(first.choices, weight_bytes=weight_bytes),
                     len(precisions))
    return dict(zip(precisions, _holding(columns, per_server), strict=True))


def _holding(columns: Inputs, per_server: int) -> list[np.ndarray]:
    """Replica sizes that hold the weights and one chat sequence's KV cache, for each column of ``columns``
    (central values, a column per precision of the weights)."""
    sizes = np.array([s for s in SIZES if s < per_server] + [per_server * k for k in range(1, 64)], dtype=float)
    arch = architecture(columns)
    acc = accelerator(columns, "hardware", columns.choices.serving_peak_field)
    holds = inference.holds_one_sequence(arch, acc, sizes[:, None], inference.chat_sequence_tokens(columns)).T
    whole = holds & (sizes >= per_server)
    kept = (holds & (sizes < per_server)) | (whole & (np.cumsum(whole, axis=1) <= MOST_SERVERS))
    return [sizes[row] for row in kept]


def published_choice(scenario: ResolvedScenario, inp: Inputs, served: InferenceResult) -> DeploymentChoice:
    """A published deployment's choice, at its central values: the last column of ``inp`` (one column, or the
    draws and their central values, :func:`app.engine.sampling.with_central`), served as ``served`` says."""
    run = (served_precision(scenario), scenario.deployment.per_server_dispatch)
    return _choices(inp, served, {inp.samples - 1: run}, "preset")[0]


def _measured(inp: Inputs, served_at: list[Run], level: int, chosen_by: str) -> list[DeploymentChoice]:
    """Each column of ``inp`` served (at its precision and dispatch ``served_at``), in one vectorised run of
    the serving model."""
    return _choices(inp, inference.compute(inp, level, grid=False), dict(enumerate(served_at)), chosen_by)


def _choices(inp: Inputs, served: InferenceResult, served_at: dict[int, Run], chosen_by: str) -> list[DeploymentChoice]:
    """The choice of each column ``i`` of ``served_at`` (served at precision and dispatch ``served_at[i]``)."""
    layout = inference.layout_of(inp, architecture(inp), accelerator(inp, "hardware", inp.choices.serving_peak_field))
    # Judged against the comparison's service level, whatever speed a published deployment promises itself
    # (that promise sets its batch): every scenario must give users the same service.
    target = inp.values.get(inference.SERVICE_LEVEL_SPEED)
    first_token = inp.values.get(inference.SERVICE_LEVEL_FIRST_TOKEN)
    drafts = np.broadcast_to(inp.opt("deployment.draft_tokens", 0.0), (inp.samples,))
    expert_parallel = np.broadcast_to(layout.expert_parallel, (inp.samples,))
    choices = []
    for i in served_at:
        n, dp = int(layout.accelerators[i]), int(layout.data_parallel[i])
        choices.append(DeploymentChoice(
            accelerators_per_replica=n,
            tensor_parallel=max(n // dp, 1),
            expert_parallel=int(expert_parallel[i]),
            data_parallel=dp,
            precision=served_at[i][0],
            dispatch=served_at[i][1],
            draft_tokens=int(round(float(drafts[i]))),
            chosen_by=chosen_by,
            wh_per_query=float(served.wh_per_query[i]),
            tokens_per_second_per_user=float(served.tokens_per_second[i]),
            speed_target=None if target is None else float(target[i]),
            time_to_first_token_s=float(served.time_to_first_token_s[i]),
            first_token_target=None if first_token is None else float(first_token[i]),
        ))
    return choices
