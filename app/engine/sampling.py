"""Turn resolved presets into flat numpy arrays, once per evaluation.

Every numeric input of a scenario is a :class:`~app.domain.quantity.Quantity`
reachable by a dotted path (``"model.moe.routed_experts"``,
``"market.demand.peak_queries_per_day"``, and the scenario's own ``"demand_share"`` and
``"launch_months_after_start"``). :func:`flatten` collects them;
:func:`draw` turns each into an array over the Monte Carlo sample axis, with the
serving model's error drawn for the scenario's class, as an :class:`~app.engine.inputs.Inputs`.
The engine's hot paths then see nothing but numpy arrays in a dict.

Sampling: a value with a range is drawn from a triangular distribution
(low, value as the mode, high) by the inverse of its CDF, vectorised.

Common random numbers: the uniform draws of an input are seeded by the run's
seed, the input's path and its (value, low, high). Two scenarios that share a
preset (the same H100 price range, say) therefore draw the *same* samples of
it, so a ratio between them is not blurred by noise in an input they share,
while inputs that differ are drawn independently.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pydantic import BaseModel

from app.domain.library import ResolvedScenario
from app.domain.precision import BYTES_PER_VALUE
from app.domain.quantity import Quantity
from app.domain.scenario import SCENARIO_INPUTS
from app.engine import calibration, hardware, inference
from app.engine.inputs import MODEL_ERROR, Choices, Inputs, constant
from app.remembered import remembered


def iter_quantities(obj: BaseModel, prefix: str) -> Iterator[tuple[str, Quantity]]:
    """Every Quantity inside a pydantic model, with its dotted path."""
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        path = f"{prefix}.{name}"
        if isinstance(value, Quantity):
            yield path, value
        elif isinstance(value, BaseModel):
            yield from iter_quantities(value, path)


def flatten(scenario: ResolvedScenario) -> dict[str, Quantity]:
    """All numeric inputs of a scenario by dotted path (a new dict; the walk through the
    presets is done once per scenario, which is frozen)."""
    return dict(_inputs_by_path(scenario))


def _inputs_by_path(scenario: ResolvedScenario) -> dict[str, Quantity]:
    return remembered((scenario,), "inputs by path", lambda: _flatten(scenario))


PARTS = ("model", "hardware", "training_hardware", "datacenter", "usage", "deployment", "market", "list_price",
         "training_path")
"""A resolved scenario's presets, in the order their inputs are listed."""


def _flatten(scenario: ResolvedScenario) -> dict[str, Quantity]:
    quantities: dict[str, Quantity] = {}
    for part, preset in _presets(scenario):
        quantities.update(_preset_inputs(preset, part).quantities)
    quantities.update((name, getattr(scenario, name)) for name in SCENARIO_INPUTS)
    return quantities


def _presets(scenario: ResolvedScenario) -> Iterator[tuple[str, BaseModel]]:
    for part in PARTS:
        preset = getattr(scenario, part)
        if preset is not None:
            yield part, preset


@dataclass(frozen=True, slots=True)
class _PresetInputs:
    """One preset's inputs by path: the quantities, their central values, and those with a range
    (stream path, value, low, high)."""

    quantities: dict[str, Quantity]
    central: dict[str, float]
    ranged: dict[str, tuple[str, float, float, float]]


def _preset_inputs(preset: BaseModel, part: str) -> _PresetInputs:
    """One (frozen) preset's inputs, walked once: a scenario the deployment search or an edit copies
    shares its other presets with the original, so only the changed one is walked again."""
    return remembered((preset,), f"inputs of {part}", lambda: _walk(preset, part))


def _walk(preset: BaseModel, part: str) -> _PresetInputs:
    quantities = dict(iter_quantities(preset, part))
    ranged = {path: (path, q.value, *span) for path, q in quantities.items() if (span := q.sampled_range) is not None}
    return _PresetInputs(quantities, {path: q.value for path, q in quantities.items()}, ranged)


def served_precision(scenario: ResolvedScenario) -> str:
    """The precision the scenario's weights are served at: its deployment's; else the one the model's publisher
    serves it at (``model.published_serving``: Meta serves Llama 3.1 405B in FP8), as an operator would; else the
    model's own. A fixed deployment that names no precision is so served like the automatic one, which tries
    both the publisher's and the model's own."""
    published = scenario.model.published_serving
    return (scenario.deployment.weight_precision
            or (published.weight_precision if published is not None else None)
            or scenario.model.weight_precision)


def choices(scenario: ResolvedScenario) -> Choices:
    model, usage = scenario.model, scenario.usage
    rl = model.post_training.rl if model.post_training is not None else None
    deployment = scenario.deployment
    weights = served_precision(scenario)
    kv = deployment.kv_precision or model.kv_precision

    return Choices(
        weight_bytes=BYTES_PER_VALUE[weights],
        kv_bytes=BYTES_PER_VALUE[kv],
        dispatch_bytes=BYTES_PER_VALUE[deployment.dispatch_precision or "bf16"],
        per_server_prefill=deployment.per_server_dispatch != "none",
        per_server_decode=deployment.per_server_dispatch == "prefill_and_decode",
        kv_scale=BYTES_PER_VALUE[kv] / BYTES_PER_VALUE[model.kv_precision],
        training_peak_field=scenario.training_hardware.peak_field(model.training_precision),
        serving_peak_field=scenario.hardware.peak_field(weights),
        rollout_peak_field=scenario.training_hardware.peak_field(model.weight_precision),
        hardware_name=scenario.hardware.name,
        training_hardware_name=scenario.training_hardware.name,
        is_moe=model.moe is not None,
        has_rl=rl is not None,
        has_reasoning=model.reasoning is not None,
        reasoning_share_path=scenario.reasoning_share_path,
        rl_reward=rl.reward if rl is not None else "rules",
        rl_reference_model=rl.reference_model if rl is not None else False,
        demand_curve=scenario.market.demand.curve,
        price_basis=scenario.market.price_basis,
        retrains=usage.retrain_every_months is not None,
        retrain_at_fixed_budget=usage.retrain_at_fixed_budget,
    )


def triangular(u: np.ndarray, low: float | np.ndarray, mode: float | np.ndarray, high: float | np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution at uniform draws ``u``."""
    width = high - low
    cut = (mode - low) / width
    # low + sqrt(u w (mode - low)) below the mode, high - sqrt((1 - u) w (high - mode)) above,
    # each side built in one (inputs x samples) buffer instead of four or five.
    left = np.multiply(u, width)
    left *= mode - low
    left = np.sqrt(left, out=left)
    left += low
    right = np.subtract(1.0, u)
    right *= width
    right *= high - mode
    right = np.sqrt(right, out=right)
    right = np.subtract(high, right, out=right)
    return _select(u < cut, left, right)


def _select(mask: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``np.where(mask, first, second)`` for float64 arrays of one shape, bit for bit, in ``first``'s buffer:
    each value's bits taken through an integer mask rather than by a branch per value. numpy's ``where``
    branches on every value, and a draw below or above its mode is a coin toss, so half its branches were
    mispredicted: on the (inputs x samples) draws it took longer than both square roots."""
    bits = mask.view(np.uint8).astype(np.uint64)
    np.negative(bits, out=bits)  # all ones where the mask holds, zeros elsewhere
    chosen = np.bitwise_xor(first.view(np.uint64), second.view(np.uint64), out=first.view(np.uint64))
    chosen &= bits
    chosen ^= second.view(np.uint64)
    return first


GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
"""SplitMix64's increment: the odd 64-bit constant nearest 2^64 / the golden ratio."""


def _mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function (Steele, Lea & Flood 2014), in place on uint64: a bijection whose
    outputs for consecutive inputs pass BigCrush. Products wrap modulo 2^64, as intended."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _stream_keys(specs: list[tuple[str, float, float, float]], seed: int) -> np.ndarray:
    """One 64-bit key per input, from the run's seed, the input's stream path and its range (mixed,
    so that two inputs' streams start far apart in SplitMix64's sequence)."""
    names = [zlib.crc32(f"{path}|{value!r}|{low!r}|{high!r}".encode()) for path, value, low, high in specs]
    return _mix64((np.uint64(int(seed) & 0xFFFFFFFF) << np.uint64(32)) | np.array(names, dtype=np.uint64))


def _uniforms(specs: list[tuple[str, float, float, float]], samples: int, seed: int) -> np.ndarray:
    """Uniform draws in [0, 1), shape (inputs, samples): each input its own stream, a function of the
    run's seed, its path and range only, so it draws the same samples alone or with any others.

    SplitMix64 counter mode, vectorised over inputs and samples at once: sample j of a stream with
    key k is ``mix(k + (j + 1) gamma)``, its top 53 bits the fraction. Constructing one numpy
    Generator per input cost about 25 us each, more than drawing a thousand samples."""
    counters = (np.arange(1, samples + 1, dtype=np.uint64) * GOLDEN_GAMMA)[None, :]
    bits = _mix64(_stream_keys(specs, seed)[:, None] + counters)
    return (bits >> np.uint64(11)) * (1.0 / 9007199254740992.0)


class _RangedDraws:
    """Draws of ranged inputs, cached: an edit changes one input, so a recompute redraws only
    that one. Read-only, as every caller shares the arrays. At most ``kept`` arrays (32 MB at
    1,000 samples). Inputs drawn together share one vectorised inverse CDF."""

    def __init__(self, kept: int = 4096):
        self.kept = kept
        self._values: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def cache_clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get(self, wanted: dict[str, tuple[str, float, float, float]], samples: int, seed: int) -> dict[str, np.ndarray]:
        """Draws of each input ``path: (stream path, value, low, high)``, by path."""
        keys = {path: (*spec, samples, seed) for path, spec in wanted.items()}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for path, key in keys.items():
                if key in self._values:
                    self._values.move_to_end(key)
                    found[path] = self._values[key]
        missing = [path for path in keys if path not in found]
        if missing:
            # Inputs of one stream and range (a chip's serving and training inputs) draw one row, shared.
            streams = list(dict.fromkeys(keys[path] for path in missing))
            specs = np.array([key[1:4] for key in streams])  # (inputs, 3): value, low, high
            u = _uniforms([key[:4] for key in streams], samples, seed)
            draws = triangular(u, specs[:, 1:2], specs[:, 0:1], specs[:, 2:3])
            draws.setflags(write=False)
            rows = dict(zip(streams, draws, strict=True))
            with self._lock:
                self._values.update(rows)
                while len(self._values) > self.kept:
                    self._values.popitem(last=False)
            found.update((path, rows[keys[path]]) for path in missing)
        return found


_ranged_draws = _RangedDraws()


def has_ranges(scenario: ResolvedScenario) -> bool:
    return bool(_plan(scenario).ranged)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What drawing a scenario's inputs takes from its presets: worked out once per (frozen)
    scenario, so that the window's quick and refined passes walk the presets once."""

    central: dict[str, float]
    """Every numeric input's central value, by path."""
    ranged: dict[str, tuple[str, float, float, float]]
    """Each input with a range: (stream path, value, low, high), by path."""
    choices: Choices


def _plan(scenario: ResolvedScenario) -> _Plan:
    return remembered((scenario,), "draw plan", lambda: _make_plan(scenario))


def _make_plan(scenario: ResolvedScenario) -> _Plan:
    same_chip = scenario.training_hardware == scenario.hardware
    central: dict[str, float] = {}
    ranged: dict[str, tuple[str, float, float, float]] = {}
    for part, preset in _presets(scenario):
        inputs = _preset_inputs(preset, part)
        central.update(inputs.central)
        if same_chip and part == "training_hardware":  # one chip: the serving hardware's streams
            ranged.update({path: (f"hardware.{path.partition('.')[2]}", *spec[1:]) for path, spec in inputs.ranged.items()})
        else:
            ranged.update(inputs.ranged)
    for name in SCENARIO_INPUTS:
        quantity = getattr(scenario, name)
        central[name] = quantity.value
        if (span := quantity.sampled_range) is not None:
            ranged[name] = (name, quantity.value, *span)
    return _Plan(central, ranged, choices(scenario))


def draw(scenario: ResolvedScenario, samples: int, seed: int) -> Inputs:
    """The scenario's inputs as arrays of ``samples`` draws (central values if 1).

    A scenario trained on its serving hardware has one chip: its training
    inputs are the very draws of its serving inputs, not a second, independent
    sample of the same power and price.
    """
    plan = _plan(scenario)
    values = _central_values(scenario, max(samples, 1))
    if samples > 1 and plan.ranged:
        values.update(_ranged_draws.get(plan.ranged, samples, seed))  # in place: the plan's order kept
    if samples > 1:
        key = error_class_of(scenario)
        values[MODEL_ERROR] = model_error_draws(calibration.active().sigma_for(key), samples, seed, key)
    return Inputs(values, plan.choices, max(samples, 1))


def _central_values(scenario: ResolvedScenario, count: int) -> dict[str, np.ndarray]:
    """A new dict of every input of the scenario at its central value (a shared, read-only :func:`constant`) over
    ``count`` samples, in its draw plan's order: a copy of one kept per scenario and count, cheaper than looking
    up some three hundred constants on every draw, central run and column of central values."""
    plan = _plan(scenario)
    return dict(remembered((scenario,), f"central values over {count}",
                           lambda: {path: constant(value, count) for path, value in plan.central.items()}))


def with_central(scenario: ResolvedScenario, drawn: Inputs) -> Inputs:
    """``drawn`` (the scenario's :func:`draw` of more than one sample) and one more column: its central values,
    :func:`central`'s, and the serving model's error at the centre of its distribution (a factor of 1, as
    when it is not drawn). A published deployment's figures at its central values are read from that column,
    computed in the same run as its samples."""
    plan = _plan(scenario)
    count = drawn.samples + 1
    values = _central_values(scenario, count)
    for path in (*plan.ranged, MODEL_ERROR):
        if path in drawn.values:
            joined = values[path] = np.empty(count)
            joined[:-1] = drawn.values[path]
            joined[-1] = 1.0 if path == MODEL_ERROR else plan.central[path]
    return Inputs(values, plan.choices, count)


def error_class_of(scenario: ResolvedScenario) -> str:
    """The scenario's model-error class (:func:`app.engine.calibration.error_class`): its accelerator's
    fitted family, dense or MoE, and whether its replica spans servers (the deployment's size, else
    the memory rule's)."""
    per_server = scenario.hardware.accelerators_per_server.value
    given = scenario.deployment.accelerators_per_replica
    if given is not None:
        size = given.value
    else:  # the memory rule's replica, on central values
        inp = central(scenario)
        size = float(np.max(inference.replica_size(
            hardware.architecture(inp), hardware.accelerator(inp, "hardware", inp.choices.serving_peak_field))))
    family = calibration.active().family_of(scenario.hardware.name)
    return calibration.error_class(family, scenario.model.moe is not None, size > per_server)


@lru_cache(maxsize=64)
def model_error_draws(sigma_log10: float, samples: int, seed: int, key: str = "") -> np.ndarray:
    """``10 ** (sigma z)``, z standard normal, one stream per error class ``key``.

    The serving model errs alike on configurations of one class (the same
    constants, the same kind of kernels and communication), so scenarios of a
    class share the draws: the error widens each one's band but not the band of
    their ratio. Classes the calibration measured apart err independently, so the
    ratio of two scenarios of different classes carries both errors.
    """
    stream = zlib.crc32(f"{MODEL_ERROR}:{key}".encode())
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, stream])))
    draws = 10.0 ** (sigma_log10 * rng.standard_normal(samples))
    draws.setflags(write=False)
    return draws


def central(scenario: ResolvedScenario, columns: int = 1) -> Inputs:
    """Central values repeated over ``columns`` columns (for one-at-a-time studies and the deployment
    search). Read-only and shared like :func:`draw`'s constants: a caller that varies a column puts a
    copy in its place."""
    return Inputs(_central_values(scenario, columns), _plan(scenario).choices, columns)
