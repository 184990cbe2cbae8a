"""A sweep reuses training and per-query figures only for inputs they do not read."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine import variants
from app.paths import presets_dir


@pytest.mark.parametrize(("index", "path", "grid"), [
    (1, "market.price_elasticity", [-2.0, -0.5, 0.0]),
    (2, "usage.efficiency_gain_per_year", [0.0, 0.3, 0.6]),
    (2, "usage.answer_tokens", [100.0, 400.0, 1600.0]),  # read by the per-query model: recomputed
    (1, "market.demand.peak_queries_per_day", [1e8, 1e9, 1e10]),  # the baseline moves too
])
def test_reused_figures_give_the_ratios_of_a_full_recomputation(index: int, path: str, grid: list[float],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _, question = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    sweep = variants.Sweep(question, index, samples=60)
    reused = sweep.ratios({path: grid})
    monkeypatch.setattr(variants.Sweep, "_reusable", lambda self, side, settings: None)
    full = variants.Sweep(question, index, samples=60).ratios({path: grid})
    np.testing.assert_allclose(reused.energy, full.energy, rtol=1e-12)
    np.testing.assert_allclose(reused.co2e, full.co2e, rtol=1e-12)
    assert not np.allclose(full.energy[0], full.energy[-1])  # the input matters: a reuse would have shown
