"""The serving model's residual spread per class: shared by scenarios of one class (their ratio
band does not widen), drawn independently for scenarios of different classes (it does)."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.library import PresetLibrary, resolve_comparison
from app.domain.loading import load_any
from app.engine import calibration
from app.engine.evaluate import evaluate
from app.engine.hardware import boundary_level
from app.engine.inputs import MODEL_ERROR
from app.engine.operating_point import operated
from app.engine.sampling import draw, error_class_of
from app.paths import presets_dir


def _question():
    library = PresetLibrary()
    return resolve_comparison(load_any(presets_dir() / "comparisons" / "deepseek-question.json", library), library)


def _by_name(resolved, word):
    return next(s for s in resolved.scenarios if word in s.name)


def test_scenarios_of_one_class_share_their_model_error_draws():
    resolved = _question()
    v3, r1 = _by_name(resolved, "V3"), _by_name(resolved, "R1")
    assert error_class_of(v3) == error_class_of(r1) == "H100 MoE several nodes"  # H800 is a Hopper H100
    first, second = draw(v3, 4000, seed=3), draw(r1, 4000, seed=3)
    assert np.array_equal(first[MODEL_ERROR], second[MODEL_ERROR])
    assert MODEL_ERROR not in draw(v3, 1, seed=3)


def test_scenarios_of_different_classes_draw_independent_errors_each_with_its_class_spread():
    resolved = _question()
    llama, v3 = _by_name(resolved, "Llama"), _by_name(resolved, "V3")
    assert error_class_of(llama) != error_class_of(v3)
    a, b = (np.log10(draw(s, 4000, seed=3)[MODEL_ERROR]) for s in (llama, v3))
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.06
    cal = calibration.active()
    for values, scenario in ((a, llama), (b, v3)):
        assert abs(np.std(values) - cal.sigma_for(error_class_of(scenario))) < 0.01


def test_a_class_the_calibration_measured_draws_its_own_spread_and_an_unmeasured_one_the_widest():
    cal = calibration.shipped()
    measured = cal.document["residuals"]["by_class"]
    assert set(measured) == {f"{f} {k} one node" for f in ("H100", "B200") for k in ("dense", "MoE")}
    assert cal.sigma_for("H100 dense one node") == measured["H100 dense one node"]["sigma_log10"]
    assert cal.sigma_for("H100 MoE several nodes") == max(c["sigma_log10"] for c in measured.values())
    assert cal.sigma_for("H100 dense one node") < cal.sigma_for("B200 MoE one node")


def _ratio_width(resolved, first, second, seed=1):
    result = evaluate(resolved, samples=2000, seed=seed)
    by_name = {s.name: s.inference.wh_per_query for s in result.scenarios}
    ratio = by_name[first.name] / by_name[second.name]
    return np.log10(np.percentile(ratio, 95) / np.percentile(ratio, 5))


def test_model_error_widens_the_ratio_band_across_classes_and_leaves_it_within_a_class(monkeypatch):
    resolved = _question()
    llama, v3, r1 = (_by_name(resolved, w) for w in ("Llama", "V3", "R1"))
    with_error = _ratio_width(resolved, v3, llama), _ratio_width(resolved, r1, v3)
    exact = calibration.Calibration(calibration.shipped().families, calibration.shipped().shared, 0.0, "test")
    monkeypatch.setattr(calibration, "active", lambda: exact)
    without = _ratio_width(resolved, v3, llama), _ratio_width(resolved, r1, v3)
    assert with_error[0] > without[0] * 1.1  # different classes: both errors in the ratio
    assert np.isclose(with_error[1], without[1], rtol=1e-9)  # one class: the shared error cancels


def test_energy_per_query_carries_its_class_model_error_draw_by_draw(monkeypatch):
    """Each draw's energy per query is the exact model's times a lognormal factor of the scenario's class:
    over 2,000 draws the log10 factor has the class's sigma (within sampling error) and a median near 0."""
    resolved = _question()
    served = operated(resolved.scenarios[0], boundary_level(resolved.boundary))[0]  # the class of how it is served
    with_error = evaluate(resolved, samples=2000, seed=1).scenarios[0].inference.wh_per_query
    exact = calibration.Calibration(calibration.shipped().families, calibration.shipped().shared, 0.0, "test")
    monkeypatch.setattr(calibration, "active", lambda: exact)
    without = evaluate(resolved, samples=2000, seed=1).scenarios[0].inference.wh_per_query
    factor = np.log10(with_error / without)
    sigma = calibration.shipped().sigma_for(error_class_of(served))
    assert sigma > 0.03
    assert np.std(factor) == pytest.approx(sigma, rel=0.1)
    assert abs(np.median(factor)) < 0.1 * sigma


def test_hopper_variants_take_the_h100_constants_and_unknown_chips_the_shared_ones():
    cal = calibration.shipped()
    assert cal.for_hardware("NVIDIA H800 SXM 80GB") == cal.families["H100"]
    assert cal.for_hardware("NVIDIA H200 SXM 141GB") == cal.families["H100"]
    assert cal.for_hardware("NVIDIA B200") == cal.families["B200"]
    assert cal.for_hardware("AMD MI300X") == cal.shared
