"""Inputs drawn together get exactly the draws each would get alone (common random numbers hold)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine import sampling
from app.paths import presets_dir


def test_a_scenario_s_inputs_drawn_together_equal_each_drawn_alone() -> None:
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    scenario = resolved.scenarios[2]
    sampling._ranged_draws.cache_clear()
    together = sampling.draw(scenario, 500, seed=7)
    ranged = 0
    same_chip = scenario.training_hardware == scenario.hardware
    for path, quantity in sampling.flatten(scenario).items():
        sampling._ranged_draws.cache_clear()
        stream = path.replace("training_hardware.", "hardware.", 1) if same_chip else path  # one chip, one draw
        span = quantity.sampled_range
        alone = (np.full(500, quantity.value) if span is None
                 else sampling._ranged_draws.get({path: (stream, quantity.value, *span)}, 500, 7)[path])
        np.testing.assert_array_equal(together[path], alone, err_msg=path)
        ranged += quantity.has_range
        assert not together[path].flags.writeable  # shared between scenarios and recomputations
    assert ranged > 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=1, max_size=5),
       st.integers(1, 300))
def test_a_draw_is_the_inverse_cdf_on_the_side_of_its_mode(ranges, samples):
    """Each draw is the triangular distribution's inverse CDF on its side of the mode, bit for bit as
    ``np.where`` picks it between the two sides' formulas: at the cut, at 0, and with the mode at either end."""
    specs = np.array([(low, low + (mode_share * span) * 1e3, low + span * 1e3)
                      for low, mode_share, span in ((lo, m, max(s, 1e-3)) for lo, m, s in ranges)])
    low, mode, high = specs[:, 0:1], specs[:, 1:2], specs[:, 2:3]
    u = np.random.default_rng(samples).random((len(specs), samples))
    width = high - low
    u[:, 0], u[:, -1] = 0.0, ((mode - low) / width)[:, 0]  # the lowest draw and one exactly at the cut
    left = np.sqrt(u * width * (mode - low)) + low
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    assert np.array_equal(sampling.triangular(u, low, mode, high), np.where(u < (mode - low) / width, left, right))
