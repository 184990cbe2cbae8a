"""A sweep reuses training and per-query figures only at the points that set no input they read."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine import variants
from app.paths import presets_dir


def recompute_everywhere(known, reads, compute, inp, block, points):
    """``variants._refreshed`` without reuse: every point computed afresh."""
    return compute(inp)


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
    monkeypatch.setattr(variants, "_refreshed", recompute_everywhere)
    full = variants.Sweep(question, index, samples=60).ratios({path: grid})
    np.testing.assert_allclose(reused.energy, full.energy, rtol=1e-12)
    np.testing.assert_allclose(reused.co2e, full.co2e, rtol=1e-12)
    assert not np.allclose(full.energy[0], full.energy[-1])  # the input matters: a reuse would have shown


def test_points_that_pin_different_inputs_reuse_only_where_nothing_they_read_is_pinned(monkeypatch) -> None:
    """The tornado's grid: each point pins one input (NaN: as drawn), a serving input at some points, a market
    or training input at others; the figures reused point by point equal a full recomputation."""
    _, question = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    nan = float("nan")
    own = {"usage.answer_tokens": [nan, 100.0, nan, nan], "market.price_elasticity": [nan, nan, -2.0, nan],
           "model.training.mfu": [nan, nan, nan, 0.2]}
    base = {"market.price_elasticity": own["market.price_elasticity"]}

    def measure(mine, reference):
        return mine.inference.wh_per_query, mine.training.total("energy_mwh"), reference.totals.horizon_energy_mwh

    reused = variants.Sweep(question, 1, samples=60).measured(own, base, measure)
    monkeypatch.setattr(variants, "_refreshed", recompute_everywhere)
    full = variants.Sweep(question, 1, samples=60).measured(own, base, measure)
    for got, want in zip(reused, full, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    wh, trained, _ = full
    assert not np.allclose(wh[1], wh[0]) and np.allclose(wh[2], wh[0])  # answer length moves the query, not the market
    assert not np.allclose(trained[3], trained[0]) and np.allclose(trained[1], trained[0])
