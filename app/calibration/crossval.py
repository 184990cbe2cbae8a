"""Leave-one-model-out cross-validation: fit without a model, predict it.

It estimates the error on models the fit has never seen, which is how the
engine is used. Variants of one model (Instruct/Thinking, FP8) count as
separate models, as the measurements name them.
"""

from __future__ import annotations

import numpy as np

from app.calibration.fit import MIN_FAMILY_ROWS, fit_constants, predict, scored
from app.calibration.measurements import Measurement


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
