"""Does the replica hold the model? A deployment whose weights do not fit its accelerators is refused.

A published deployment (its ``accelerators_per_replica`` given) must hold the
model's weights, at the precision it serves them, and the KV cache of at least
one chat sequence (the usage's prompt and answer) in the usable share of its
accelerators' memory (:data:`app.engine.inference.USABLE_MEMORY_FRACTION`).
One that cannot is not a deployment that serves slowly: it cannot serve at all,
and the serving model would otherwise compute it at a batch of one, as if the
weights fitted, and turn it into a confident verdict. It is refused like any
other impossible input, as a problem of the comparison file naming the
scenario, the fields and the numbers (``jevons validate`` and every command
exit 2; the window refuses the edit and says why), and a sweep that crosses the
limit is refused at its first point that does not fit.

The check is on the central values: an operator sizes a deployment for its
model, not per Monte Carlo draw. Draws that do not fit (a range of memory,
parameters or context reaching past the limit while its central value fits)
are computed as the rest, at the batch the KV memory leaves, at least one
(:func:`app.engine.inference.effective_batch`), and counted: the engine marks each
draw (``InferenceResult.holds_one_sequence``, by :func:`app.engine.inference.holds_one_sequence`
as here) and the report warns of the share that misses. An
automatic deployment's search only tries replicas that hold the weights and one
sequence (:func:`app.engine.operating_point.searchable`); only when none does
(a context longer than any of them holds) is the replica it then serves checked.
"""

from __future__ import annotations

import math

import numpy as np

from app.domain.deployment import DeploymentPreset
from app.domain.errors import PresetFileError, Problem
from app.domain.hardware import HardwarePreset
from app.domain.library import ResolvedComparison, ResolvedScenario
from app.domain.quantity import shown
from app.engine import inference
from app.engine.hardware import accelerator, architecture
from app.engine.inputs import Inputs
from app.engine.operating_point import is_published, searchable
from app.engine.sampling import central, served_precision
from app.numbers import number
from app.remembered import remembered


def _unfit(inp: Inputs) -> np.ndarray:
    """Per column of ``inp``, whether its replica fails to hold the weights and one chat sequence's KV cache."""
    arch = architecture(inp)
    acc = accelerator(inp, "hardware", inp.choices.serving_peak_field)
    n = inference.layout_of(inp, arch, acc).accelerators
    return ~inference.holds_one_sequence(arch, acc, n, inference.chat_sequence_tokens(inp))


def _gb(value: float) -> str:
    return f"{number(value / 1e9, 3)} GB"


def _explained(scenario: ResolvedScenario, inp: Inputs, column: int) -> str:
    """Why column ``column`` of ``inp`` (``scenario``'s inputs) cannot be served, in its own numbers."""
    arch = architecture(inp)
    acc = accelerator(inp, "hardware", inp.choices.serving_peak_field)
    n = float(np.broadcast_to(inference.layout_of(inp, arch, acc).accelerators, (inp.samples,))[column])

    def at(values: np.ndarray) -> float:
        return float(np.broadcast_to(values, (inp.samples,))[column])

    weights, memory = at(arch.weight_bytes), at(acc.memory_bytes)
    context = at(inference.chat_sequence_tokens(inp))
    kv = context * at(arch.kv_bytes_per_token)
    usable = n * memory * inference.USABLE_MEMORY_FRACTION
    precision = served_precision(scenario)
    needed = math.ceil((weights + kv) / (memory * inference.USABLE_MEMORY_FRACTION))
    served_at = f"the deployment's {shown(DeploymentPreset, 'weight_precision')}"
    said = (
        f"{scenario.model.name}'s weights need {_gb(weights)} at {precision} ({served_at}, else the "
        f"publisher's, else the model's), and one sequence of the usage's {number(context, 4)}-token context "
        f"{_gb(kv)} of KV cache; "
        f"{number(n)} {scenario.hardware.name} of {_gb(memory)} each (the deployment's "
        f"{shown(DeploymentPreset, 'accelerators_per_replica')}, the hardware's {shown(HardwarePreset, 'memory_gb')}) "
        f"hold {_gb(n * memory)}, of which {_gb(usable)} "
        f"({number(inference.USABLE_MEMORY_FRACTION * 100)} %) is usable for weights and KV cache: this replica cannot "
        f"serve the model. {needed} of these accelerators would hold it"
    )
    published = scenario.model.published_serving
    if published is not None and published.weight_precision != precision:
        said += f", or serving it at {published.weight_precision}, as its publisher does ({served_at})"
    return said


def problem(scenario: ResolvedScenario) -> str | None:
    """Why the deployment ``scenario`` is served with cannot hold its model at its central values, or None
    when it can: a published deployment as given; an automatic one only when no replica its search tries
    holds it and the memory rule's replica it then serves does not either. Worked out once while the
    resolved scenario lives."""
    def found() -> str | None:
        if not is_published(scenario) and searchable(scenario):
            return None
        inp = central(scenario, 1)
        return _explained(scenario, inp, 0) if bool(_unfit(inp)[0]) else None

    return remembered((scenario,), "memory fit", found)


def problems(comparison: ResolvedComparison, file: str = "") -> list[Problem]:
    """One problem of ``file`` per scenario (by place and name) whose deployment cannot hold its model."""
    return [
        Problem(file, f"scenarios[{index}].deployment", said, item=scenario.name)
        for index, scenario in enumerate(comparison.scenarios)
        if (said := problem(scenario)) is not None
    ]


def check(comparison: ResolvedComparison, file: str = "") -> None:
    """Raise PresetFileError naming ``file``, each scenario whose deployment cannot hold its model, and why."""
    if found := problems(comparison, file):
        raise PresetFileError(found)


def first_unfit(served: ResolvedScenario, path: str, values: np.ndarray) -> tuple[float, str] | None:
    """The first of ``values`` of input ``path`` at which ``served`` (a scenario with the deployment it is
    served with) cannot hold its model, and why; None when every value can. All values in one vectorised
    check, as a sweep sets them point by point."""
    inp = central(served, len(values))
    if path not in inp.values:
        return None
    inp.values[path] = np.asarray(values, dtype=float)
    unfit = np.flatnonzero(_unfit(inp))
    if unfit.size == 0:
        return None
    return float(values[unfit[0]]), _explained(served, inp, int(unfit[0]))
