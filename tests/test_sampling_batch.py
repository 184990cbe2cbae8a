"""Inputs drawn together get exactly the draws each would get alone (common random numbers hold)."""

from __future__ import annotations

import numpy as np

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
