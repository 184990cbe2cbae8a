"""Predict measured configurations with the serving physics, and fit its constants.

A row's prediction uses the engine's own step (:func:`app.engine.serving.step`):

* inter-token latency = one decode step of the measured batch at the mean
  context ``prompt + output / 2``;
* energy per output token = accelerators x energy of the *mean* step divided
  by the batch: a decode step, plus the share ``x / c`` of steps that carry a
  prompt chunk of ``c`` tokens (whole prompts, at most the scheduler's budget:
  :func:`app.engine.serving.prefill_chunk`; ``x = B prompt / output`` prompt
  tokens per step on average) times what such a step costs beyond decode.

The fit minimises one joint objective, the sum of the squared log errors of
energy per token and of inter-token latency (equal weights), with
Levenberg-Marquardt on a finite-difference Jacobian: numpy only, nine
constants per accelerator family, a few hundred rows, well under a second per
fit. Constants are fitted in transformed space
(logarithms of positive ones, logits of fractions) so they stay physical.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.calibration.measurements import Measurement
from app.calibration.rows import Batch, batch_of, unknown_model
from app.engine.inference import PREFILL_CHUNK_TOKENS
from app.engine.serving import CEILINGS, ServingConstants, prefill_chunk, rates, step

ITL_WEIGHT = 1.0
"""Weight of the latency residuals against the energy residuals. Equal: a constant that buys energy
accuracy with wrong step times is penalised as much as an energy error, and the automatic deployment
turns a latency error into a batch error (half the weight held out: 0.068 / 15.5 %, equal: 0.062 / 14.3 %
median |log10 error| of energy / latency error)."""

MIN_FAMILY_ROWS = 40
"""An accelerator family gets constants of its own when it has at least this many
scored rows; otherwise it uses the constants shared by all rows."""

START = ServingConstants(
    step_overhead_ms=3.0, sequence_overhead_us=20.0, bandwidth_efficiency=0.6, compute_efficiency=0.4,
    collective_latency_us=15.0, expert_imbalance=1.0, power_base=0.4, power_memory=0.3, power_compute=0.6,
)
"""Where the fit starts: the pre-calibration engine's efficiencies and round guesses for the rest."""

def _inside(x: float, ceiling: float) -> float:
    return min(max(x, 1e-9), ceiling * (1 - 1e-6))


def _to_free(c: ServingConstants) -> np.ndarray:
    v = c.as_vector()
    return np.array([
        np.log(_inside(x, CEILINGS[n]) / (CEILINGS[n] - _inside(x, CEILINGS[n]))) if n in CEILINGS else np.log(max(x, 1e-12))
        for n, x in zip(c.names(), v, strict=True)
    ])


def _from_free(theta: np.ndarray) -> ServingConstants:
    names = ServingConstants.names()
    return ServingConstants.from_vector(
        np.array([
            CEILINGS[n] / (1 + np.exp(-np.clip(t, -40, 40))) if n in CEILINGS else np.exp(np.clip(t, -30, 30))
            for n, t in zip(names, theta, strict=True)
        ])
    )


def _per_row(constants: dict[str, ServingConstants], shared: ServingConstants, family: np.ndarray) -> ServingConstants:
    """One ServingConstants whose fields are arrays over the rows (each row its family's value)."""
    names = ServingConstants.names()
    table = np.array([constants.get(f, shared).as_vector() for f in family]).reshape(len(family), len(names))
    return ServingConstants(*(table[:, i] for i in range(len(names))))


@dataclass(frozen=True, slots=True)
class Prediction:
    j_per_token: np.ndarray
    itl_ms: np.ndarray
    power_w: np.ndarray
    """Of all the row's accelerators, averaged over the run."""


def predict_batch(b: Batch, c: ServingConstants) -> Prediction:
    context = b.prompt + b.output / 2.0
    r = rates(b.arch, b.acc, b.layout, c)
    decode = step(r, b.batch, context)
    per_step = b.batch * b.prompt / b.output
    chunk = prefill_chunk(b.prompt, per_step, PREFILL_CHUNK_TOKENS)
    mixed = step(r, b.batch, context, chunk, b.prompt / 2.0)
    share = per_step / chunk  # of the decode steps that carry a prompt chunk
    joules = decode.joules + share * (mixed.joules - decode.joules)
    seconds = decode.seconds + share * (mixed.seconds - decode.seconds)
    n = b.layout.accelerators
    return Prediction(
        j_per_token=n * joules / b.batch,
        itl_ms=decode.seconds * 1e3,
        power_w=n * joules / seconds,
    )


def predict(rows: list[Measurement], families: dict[str, ServingConstants], shared: ServingConstants) -> Prediction:
    b = batch_of(rows)
    return predict_batch(b, _per_row(families, shared, b.family))


def scored(rows: list[Measurement]) -> list[Measurement]:
    """Rows the fit and the scores use: measured energy, and a model, precision and accelerator the physics describes."""
    return [m for m in rows if not skip_reason(m)]


def _residuals(b: Batch, c: ServingConstants, j: np.ndarray, itl: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", over="ignore"):  # a trial step's extreme constants: its cost is not finite, refused
        p = predict_batch(b, c)
        r_j = np.log(p.j_per_token / j)
        has_itl = np.isfinite(itl)
        r_itl = np.where(has_itl, np.log(p.itl_ms / np.where(has_itl, itl, 1.0)), 0.0) * np.sqrt(ITL_WEIGHT)
    return np.concatenate([r_j, r_itl])


def fit_constants(rows: list[Measurement], start: ServingConstants = START, iterations: int = 60) -> tuple[ServingConstants, float]:
    """Levenberg-Marquardt on log errors; returns the constants and the final cost."""
    b = batch_of(rows)
    j = np.array([m.energy_per_token_j for m in rows], dtype=float)
    itl = np.array([np.nan if m.median_itl_ms is None else m.median_itl_ms for m in rows], dtype=float)
    theta = _to_free(start)
    r = _residuals(b, _from_free(theta), j, itl)
    cost = float(r @ r)
    damping = 1e-2
    for _ in range(iterations):
        jac = np.empty((r.size, theta.size))
        for i in range(theta.size):
            shifted = theta.copy()
            shifted[i] += 1e-5
            jac[:, i] = (_residuals(b, _from_free(shifted), j, itl) - r) / 1e-5
        g = jac.T @ r
        h = jac.T @ jac
        improved = False
        for _ in range(8):
            delta = np.linalg.solve(h + damping * np.diag(np.diag(h) + 1e-9), -g)
            candidate = theta + delta
            r_new = _residuals(b, _from_free(candidate), j, itl)
            new_cost = float(r_new @ r_new)
            if np.isfinite(new_cost) and new_cost < cost:
                theta, r, improved = candidate, r_new, True
                damping = max(damping / 3.0, 1e-7)
                converged = cost - new_cost < 1e-9 * max(cost, 1.0)
                cost = new_cost
                break
            damping *= 4.0
        if not improved or converged:
            break
    return _from_free(theta), cost


def residual_summary(errors_log10: np.ndarray) -> dict[str, float]:
    """Spread of log10(predicted / measured): what a user should expect on a new configuration."""
    e = np.asarray(errors_log10, dtype=float)
    ratio = 10.0**e
    return {
        "median_abs_log10_error": float(np.median(np.abs(e))),
        "sigma_log10": float(np.sqrt(np.mean(e**2))),
        "within_25_percent": float(np.mean(np.abs(ratio - 1.0) <= 0.25)),
        "within_50_percent": float(np.mean(np.abs(ratio - 1.0) <= 0.5)),
        "within_2x": float(np.mean(np.abs(e) <= np.log10(2.0))),
    }


def skip_reason(m: Measurement) -> str:
    """Why a row is neither fitted nor scored; "" when it is."""
    if m.unusable:
        return m.unusable
    if m.is_hybrid:
        return "hybrid Mamba-Transformer model: the serving physics has no state-space layers"
    if unknown_model(m):
        return unknown_model(m)
    if m.energy_per_token_j is None:
        return "no measured energy per token (nor power and throughput)"
    return ""
