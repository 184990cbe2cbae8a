"""A scenario's training over the horizon: successor runs, their growth, and the saving re-spent.

* Successors: a run lands every ``usage.retrain_every_months``; run k costs the launch run's energy
  times ``(f g)^(k every / 12)``, f being the yearly efficiency factor of energy per FLOP
  (``1 - usage.efficiency_gain_per_year``) and g the yearly growth of a run's compute
  (``1 + training_path.compute_growth_per_year``): a geometric series, summed in closed form.
  At a fixed budget (``usage.retrain_at_fixed_budget``) every run costs the launch run's energy.
* Re-spending: a scenario whose training path costs less than the baseline's (spend over the
  horizon, USD) spends ``training_path.reinvested_share`` of the difference again on training, on
  its own hardware (1: the baseline's spend, Amodei's case). Never below its own path: a dearer
  scenario has no saving to re-spend.
* Entrants: with ``training_path.entrant_elasticity`` e, the labs training frontier-class models
  scale as (cost / the baseline's)^-e when training is cheaper; each extra lab trains a path like
  the scenario's own, and the market is shared among them (demand, hence inference, is unchanged).

Everything is arrays over samples (and months): no loop over either.
"""

from __future__ import annotations

import numpy as np

from app.engine.inputs import Inputs
from app.engine.results import TrainingResult

EFFICIENCY_GAIN = "usage.efficiency_gain_per_year"
HORIZON = "usage.horizon_years"
EVERY = "usage.retrain_every_months"
GROWTH = "training_path.compute_growth_per_year"
"""The inputs of a scenario's training schedule, by path."""


def schedule_inputs(inp: Inputs) -> tuple[tuple[str, np.ndarray | None], ...]:
    """Every input the retraining schedule (:func:`retrainings` of :func:`done_by`) reads, by path: scenarios
    whose schedule reads the very same arrays share it (``app.engine.shared``)."""
    return tuple((path, inp.values.get(path)) for path in (EFFICIENCY_GAIN, HORIZON, EVERY, GROWTH))


def log_efficiency_step(inp: Inputs) -> np.ndarray:
    """Log of the monthly factor on energy per query and per FLOP (the usage's efficiency trend), (samples,)."""
    gain = np.clip(inp.opt(EFFICIENCY_GAIN, 0.0), 0.0, 0.999)
    return np.log1p(-gain) / 12.0


def horizon_months(inp: Inputs) -> np.ndarray:
    """Months each sample serves, (samples,)."""
    return inp[HORIZON] * 12


def _every(inp: Inputs) -> np.ndarray:
    return np.maximum(inp[EVERY], 1e-3)


def retrainings(inp: Inputs, log_step: np.ndarray, done: np.ndarray) -> np.ndarray:
    """Training runs so far in launch-run energies (the launch's included) after ``done`` retrainings:
    each at its month's efficiency and compute (a geometric series in closed form), or at a fixed
    budget (a count). ``done`` is a fresh array, used up."""
    if inp.choices.retrain_at_fixed_budget:
        done += 1.0
        return done
    log_per_month = log_step
    if GROWTH in inp:
        log_per_month = log_step + np.log1p(inp[GROWTH]) / 12.0
    log_between = _every(inp) * log_per_month  # log of the factor on a run's energy between retrainings
    step = np.exp(log_between)
    moving = step != 1.0
    all_moving = bool(moving.all())
    scale = step / np.where(moving, 1.0 - step, 1.0)
    runs = np.multiply(done, log_between, out=done if all_moving else None)  # done is not read again
    np.expm1(runs, out=runs)
    runs *= -scale
    runs += 1.0
    if not all_moving:  # neither efficiency gain nor growth: every retraining costs the launch's
        done += 1.0
        runs = np.where(moving, runs, done)
    return runs


def done_by(inp: Inputs, horizon: np.ndarray, end: np.ndarray | float) -> np.ndarray:
    """Retrainings done by month ``end``: one lands every ``retrain_every_months``, and one landing
    on the horizon's last month would serve no query within it, so is not counted."""
    done = np.minimum(end, horizon - 1e-9)
    done /= _every(inp)
    return np.floor(done, out=done)


def horizon_runs(inp: Inputs) -> np.ndarray:
    """Training runs over the whole horizon in launch-run energies, (samples,)."""
    if not inp.choices.retrains:
        return np.ones(inp.samples)
    return retrainings(inp, log_efficiency_step(inp), done_by(inp, horizon_months(inp), np.inf))


def training_spend(inp: Inputs, trained: TrainingResult) -> np.ndarray:
    """USD spent on the scenario's own training path over the horizon (nothing re-spent), (samples,)."""
    return horizon_runs(inp) * trained.total("cost_usd")


def respent(inp: Inputs, own_usd: np.ndarray, baseline_usd: np.ndarray) -> np.ndarray:
    """Training re-spent (reinvested saving plus entrants) as a multiple of the scenario's own path, (samples,).

    ``own_usd`` and ``baseline_usd``: each side's spend on its own training path over the horizon.
    0 for the baseline against itself, for a scenario without a training path, and where either
    spend is not positive (no cost to compare)."""
    if not any(path in inp for path in ("training_path.reinvested_share", "training_path.entrant_elasticity")):
        return np.zeros(inp.samples)
    valid = (own_usd > 0) & (baseline_usd > 0)
    dearer_baseline = np.maximum(baseline_usd / np.where(valid, own_usd, 1.0), 1.0)  # >= 1: the saving's size
    extra = inp.opt("training_path.reinvested_share", 0.0) * (dearer_baseline - 1.0)
    if "training_path.entrant_elasticity" in inp:
        extra = extra + np.expm1(inp["training_path.entrant_elasticity"] * np.log(dearer_baseline))
    return np.where(valid, extra, 0.0)
