"""The engine reuses freed memory instead of faulting fresh pages in on every computation."""

from __future__ import annotations

import sys

import pytest

from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.allocator import keep_freed_memory
from app.engine.evaluate import evaluate
from app.engine.sampling import _ranged_draws
from app.paths import presets_dir

resource = pytest.importorskip("resource")


@pytest.mark.skipif(not sys.platform.startswith("linux") or not keep_freed_memory(), reason="glibc's malloc only")
def test_a_repeated_comparison_does_not_fault_its_arrays_in_afresh() -> None:
    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())

    def compute() -> None:
        _ranged_draws.cache_clear()  # every input drawn afresh, as on opening a file
        evaluate(resolved, samples=1000)

    compute()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        compute()
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 5
    # Without the allocator's tuning, ~4,000 per computation (its months x samples arrays, page by page).
    assert faults < 400
