"""Leave-one-model-out cross-validation: fit without a model, predict it.

It estimates the error on models the fit has never seen, which is how the
engine is used. Variants of one model (Instruct/Thinking, FP8) count as
separate models, as the measurements name them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.calibration.fit import MIN_FAMILY_ROWS, fit_constants, predict, scored
from app.calibration.measurements import Measurement
from app.calibration.rows import row_class

ROBUST_SIGMA = 1.4826
"""Standard deviation of a normal distribution per unit of its median absolute deviation."""


@dataclass(frozen=True, slots=True)
class HeldOut:
    """A held-out model's errors, one per scored row."""

    energy_log10: np.ndarray
    """log10(predicted / measured) energy per token."""
    itl_error: np.ndarray
    """predicted / measured median inter-token latency - 1 (NaN where the row has no latency)."""


def held_out_errors(rows: list[Measurement], models: list[str] | None = None) -> dict[str, HeldOut]:
    """Each held-out model's errors when the fit has not seen it."""
    used = scored(rows)
    errors = {}
    for model in models or sorted({m.model_id for m in used}):
        train = [m for m in used if m.model_id != model]
        test = [m for m in used if m.model_id == model]
        shared, _ = fit_constants(train)
        families = {}
        for family in sorted({m.gpu_model for m in train}):
            subset = [m for m in train if m.gpu_model == family]
            if len(subset) >= MIN_FAMILY_ROWS:
                families[family] = fit_constants(subset, shared)[0]
        predicted = predict(test, families, shared)
        itl = np.array([np.nan if m.median_itl_ms is None else m.median_itl_ms for m in test], dtype=float)
        errors[model] = HeldOut(
            np.log10(predicted.j_per_token / np.array([m.energy_per_token_j for m in test])), predicted.itl_ms / itl - 1.0
        )
    return errors


def median_itl_error(itl_errors: np.ndarray) -> float | None:
    """Median |predicted / measured - 1| inter-token latency over the rows that measured it."""
    measured = np.abs(itl_errors[np.isfinite(itl_errors)])
    return round(float(np.median(measured)), 4) if measured.size else None


def spread(errors_log10: np.ndarray) -> dict[str, float]:
    """Bias, median |error| and the robust standard deviation ``1.4826 x median |error|`` of log10 errors."""
    e = np.asarray(errors_log10, dtype=float)
    median_abs = float(np.median(np.abs(e)))
    return {
        "bias_log10": round(float(np.median(e)), 4),
        "median_abs_log10_error": round(median_abs, 4),
        "sigma_log10": round(ROBUST_SIGMA * median_abs, 4),
    }


def _grouped(rows: list[Measurement], errors: dict[str, HeldOut], key_of) -> dict[str, tuple[np.ndarray, np.ndarray, set[str]]]:
    """(energy errors, latency errors, models) of the held-out rows, grouped by ``key_of(row)``."""
    used = scored(rows)
    groups: dict[str, tuple[list[float], list[float], set[str]]] = {}
    for model, held in errors.items():
        test = [m for m in used if m.model_id == model]
        for m, e, t in zip(test, held.energy_log10, held.itl_error, strict=True):
            energy, latency, models = groups.setdefault(key_of(m), ([], [], set()))
            energy.append(float(e))
            latency.append(float(t))
            models.add(model)
    return {key: (np.array(e), np.array(t), models) for key, (e, t, models) in sorted(groups.items())}


def by_class(rows: list[Measurement], errors: dict[str, HeldOut]) -> dict[str, dict]:
    """Leave-one-model-out errors per model-error class: rows, models, :func:`spread` of the energy
    errors and the median latency error of each."""
    return {
        key: {"rows": energy.size, "models": len(models)} | spread(energy) | {"median_itl_error": median_itl_error(latency)}
        for key, (energy, latency, models) in _grouped(rows, errors, row_class).items()
    }


def by_family(rows: list[Measurement], errors: dict[str, HeldOut]) -> dict[str, dict]:
    """Leave-one-model-out median |log10 error| of energy and median latency error per accelerator family."""
    return {
        family: {
            "rows": energy.size,
            "median_abs_log10_error": round(float(np.median(np.abs(energy))), 4),
            "median_itl_error": median_itl_error(latency),
        }
        for family, (energy, latency, _) in _grouped(rows, errors, lambda m: m.gpu_model).items()
    }
