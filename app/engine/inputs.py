"""What the engine's computations read: a scenario's inputs as arrays over the Monte Carlo sample axis.

:mod:`app.engine.sampling` builds an :class:`Inputs` from a resolved scenario (its draws and its
:class:`Choices`); hardware, training, inference, pricing and adoption read nothing else. Kept apart
from the sampling so that drawing may itself use the engine (the model-error class of a scenario is
sized by the memory rule's replica) without the engine importing the sampling back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import numpy as np

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choices:
    """The non-numeric inputs of a scenario (precisions, switches, variants)."""

    weight_bytes: float | np.ndarray
    """Bytes per served weight: the deployment's precision, else the model's (per column when the deployment
    search serves candidates at several precisions in one run)."""
    kv_bytes: float
    dispatch_bytes: float
    """Bytes per activation value in expert parallelism's all-to-all dispatch (the deployment's, else 16-bit)."""
    per_server_prefill: bool | np.ndarray
    """Whether prefill tokens' all-to-all is sent once per destination server (the deployment's ``per_server_dispatch``;
    per column in the deployment search)."""
    per_server_decode: bool
    kv_scale: float
    """Served KV bytes over the model's (scales a published KV size per token to the served precision)."""
    training_peak_field: str
    serving_peak_field: str
    """The serving hardware's input that holds its peak at the served precision (the deployment search's
    candidates, served at several precisions in one run, each read their own: ``operating_point.CANDIDATE_PEAK``)."""
    rollout_peak_field: str
    """Peak of the training hardware at the weight precision (RL rollouts are inference)."""
    hardware_name: str
    training_hardware_name: str
    """Name of the serving hardware: picks the accelerator family's serving constants."""
    is_moe: bool
    has_rl: bool
    has_reasoning: bool
    reasoning_share_path: str
    """Where the share of reasoning queries is set (the market's or the usage profile's)."""
    rl_reward: str
    rl_reference_model: bool
    demand_curve: str
    price_basis: str
    """Price per query seen by users: "cost" or "list" (the market's choice)."""
    retrains: bool
    retrain_at_fixed_budget: bool



@dataclass(frozen=True, slots=True)
class Inputs:
    """A scenario's inputs as arrays over the sample axis, plus its choices.

    ``inputs["model.layers"]`` is an array of shape (samples,);
    ``inputs.opt(path, default)`` returns ``default`` (broadcast) for an
    optional input the scenario does not set.
    """

    values: dict[str, np.ndarray]
    choices: Choices
    samples: int
    _derived: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, a figure of these inputs alone, computed once: training and inference
        describe the same model and chips, so they share its architecture and accelerators.
        (Inputs are not changed once the engine has read them.)"""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = compute()
        return found  # type: ignore[return-value]

    def __getitem__(self, path: str) -> np.ndarray:
        return self.values[path]

    def __contains__(self, path: object) -> bool:
        return path in self.values

    def opt(self, path: str, default: float) -> np.ndarray:
        """The input at ``path``, or ``default`` everywhere (a shared, read-only :func:`constant`) when it
        is not set."""
        value = self.values.get(path)
        return constant(float(default), self.samples) if value is None else value


@lru_cache(maxsize=4096)
def constant(value: float, samples: int) -> np.ndarray:
    """``value`` at every sample, read-only and shared, as every input array is: most inputs have no range
    (a comparison of four scenarios has some three hundred of them), and an optional input a scenario does
    not set is its default at every sample."""
    values = np.full(samples, value)
    values.setflags(write=False)
    return values



MODEL_ERROR = "serving.model_error_factor"
"""Inputs key of the serving model's error: a factor on the modelled serving time (and so
energy) of every query, drawn log-normally with the residual spread of the scenario's class."""
