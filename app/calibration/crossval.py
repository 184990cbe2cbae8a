"""Leave-one-model-out cross-validation: fit without a model, predict it.

It estimates the error on models the fit has never seen, which is how the
engine is used. Variants of one model (Instruct/Thinking, FP8) count as
separate models, as the measurements name them.
"""

from __future__ import annotations

import numpy as np

from app.calibration.fit import MIN_FAMILY_ROWS, fit_constants, predict, scored
from app.calibration.measurements import Measurement
from app.calibration.rows import row_class

ROBUST_SIGMA = 1.4826
"""Standard deviation of a normal distribution per unit of its median absolute deviation."""


def leave_one_model_out(rows: list[Measurement], models: list[str] | None = None) -> dict[str, np.ndarray]:
    """log10(predicted / measured) energy per token of each held-out model's rows."""
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
        errors[model] = np.log10(predicted.j_per_token / np.array([m.energy_per_token_j for m in test]))
    return errors


def spread(errors_log10: np.ndarray) -> dict[str, float]:
    """Bias, median |error| and the robust standard deviation ``1.4826 x median |error|`` of log10 errors."""
    e = np.asarray(errors_log10, dtype=float)
    median_abs = float(np.median(np.abs(e)))
    return {
        "bias_log10": round(float(np.median(e)), 4),
        "median_abs_log10_error": round(median_abs, 4),
        "sigma_log10": round(ROBUST_SIGMA * median_abs, 4),
    }


def by_class(rows: list[Measurement], errors: dict[str, np.ndarray]) -> dict[str, dict]:
    """Leave-one-model-out errors grouped by model-error class: rows, models and :func:`spread` of each."""
    used = scored(rows)
    grouped: dict[str, list[float]] = {}
    models: dict[str, set[str]] = {}
    for model, values in errors.items():
        for m, e in zip([m for m in used if m.model_id == model], values, strict=True):
            key = row_class(m)
            grouped.setdefault(key, []).append(float(e))
            models.setdefault(key, set()).add(model)
    return {key: {"rows": len(grouped[key]), "models": len(models[key])} | spread(np.array(grouped[key])) for key in sorted(grouped)}
