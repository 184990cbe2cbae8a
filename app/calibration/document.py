"""The calibration document ``jevons calibrate fit`` writes (read by :mod:`app.engine.calibration`).

It records the data it was fitted on (file name, SHA-256, rows used and left
out), the constants per accelerator family and shared, and two residual
spreads: in-sample, and leave-one-model-out (fit without a model, predict it),
which estimates the error on a model the fit has not seen. The engine's
model-error term uses the latter: ``sigma_log10 = 1.4826 x median |log10 error|``
(the standard deviation of a normal with that median absolute deviation, robust
to the few configurations the physics misses badly).
"""

from __future__ import annotations

import numpy as np

from app.calibration.crossval import ROBUST_SIGMA, by_class, by_family, held_out_errors, median_itl_error
from app.calibration.fit import MIN_FAMILY_ROWS, fit_constants, predict, residual_summary, scored, skip_reason
from app.calibration.measurements import Measurement
from app.engine.calibration import FORMAT_VERSION, KIND


def fit_calibration(rows: list[Measurement], source: str, digest: str) -> dict:
    """A calibration document (see :mod:`app.engine.calibration`) fitted on ``rows``."""
    used = scored(rows)
    if not used:
        raise ValueError("no row can be fitted: every row lacks measured energy per token or is a hybrid Mamba model")
    shared, _ = fit_constants(used)
    counts: dict[str, int] = {}
    for m in used:
        counts[m.gpu_model] = counts.get(m.gpu_model, 0) + 1
    families = {
        family: fit_constants([m for m in used if m.gpu_model == family], shared)[0]
        for family, count in sorted(counts.items())
        if count >= MIN_FAMILY_ROWS
    }
    predicted = predict(used, families, shared)
    errors = np.log10(predicted.j_per_token / np.array([m.energy_per_token_j for m in used]))
    models = sorted({m.model_id for m in used})
    per_model = held_out_errors(rows) if len(models) > 1 else {}
    held_out = np.concatenate([h.energy_log10 for h in per_model.values()]) if per_model else errors
    held_itl = np.concatenate([h.itl_error for h in per_model.values()]) if per_model else np.array([np.nan])
    in_sample, cross = residual_summary(errors), residual_summary(held_out)
    round6 = lambda c: {k: float(f"{v:.6g}") for k, v in zip(c.names(), c.as_vector(), strict=True)}  # noqa: E731
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "fitted_on": {
            "file": source,
            "sha256": digest,
            "rows": len(rows),
            "fitted_rows": len(used),
            "rows_per_family": counts,
            "left_out": [{"row": m.row, "reason": skip_reason(m)} for m in rows if m not in used],
        },
        "families": {family: round6(c) for family, c in families.items()},
        "shared": round6(shared),
        "residuals": {
            "in_sample": {k: round(v, 4) for k, v in in_sample.items()},
            "leave_one_model_out": {k: round(v, 4) for k, v in cross.items()} | {
                "models": len(models),
                "median_itl_error": median_itl_error(held_itl),
                "by_family": by_family(rows, per_model),
            },
            "sigma_log10": round(ROBUST_SIGMA * cross["median_abs_log10_error"], 4),
            "by_class": by_class(rows, per_model),
        },
    }


