"""The serving model's residual spread widens per-query bands, not the ratios between scenarios."""

from __future__ import annotations

import numpy as np

from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.loading import load_any
from app.engine import calibration
from app.engine.evaluate import evaluate
from app.engine.sampling import MODEL_ERROR, draw
from app.paths import presets_dir


def _question():
    library = PresetLibrary()
    return resolve_comparison(load_any(presets_dir() / "comparisons" / "deepseek-question.json", library), library)


def test_model_error_is_drawn_with_the_calibrations_spread_and_shared_by_scenarios():
    resolved = _question()
    first, second = (draw(s, 4000, seed=3) for s in resolved.scenarios[:2])
    assert np.array_equal(first[MODEL_ERROR], second[MODEL_ERROR])
    spread = np.std(np.log10(first[MODEL_ERROR]))
    assert abs(spread - calibration.active().sigma_log10) < 0.01
    assert MODEL_ERROR not in draw(resolved.scenarios[0], 1, seed=3)


def test_the_band_of_energy_per_query_is_wider_with_model_error_than_without(monkeypatch):
    resolved = _question()
    with_error = evaluate(resolved, samples=2000, seed=1).scenarios[0].inference.wh_per_query
    exact = calibration.Calibration(calibration.shipped().families, calibration.shipped().shared, 0.0, "test")
    monkeypatch.setattr(calibration, "active", lambda: exact)
    without = evaluate(resolved, samples=2000, seed=1).scenarios[0].inference.wh_per_query
    width = lambda a: np.log10(np.percentile(a, 95) / np.percentile(a, 5))  # noqa: E731
    assert width(with_error) > width(without) * 1.05


def test_hopper_variants_take_the_h100_constants_and_unknown_chips_the_shared_ones():
    cal = calibration.shipped()
    assert cal.for_hardware("NVIDIA H800 SXM 80GB") == cal.families["H100"]
    assert cal.for_hardware("NVIDIA H200 SXM 141GB") == cal.families["H100"]
    assert cal.for_hardware("NVIDIA B200") == cal.families["B200"]
    assert cal.for_hardware("AMD MI300X") == cal.shared
