"""Engine results kept per scenario, so an edit recomputes only the scenario it changed.

:class:`ScenarioResults` is the ``memo`` of :func:`app.engine.evaluate`: the
engine asks it for each scenario's draws and figures under a key (boundary,
sample count, seed, and for the totals the baseline's price they are priced
against). A scenario is known by identity: the resolver hands back the same
resolved object for a scenario an edit did not touch. Draws depend on the
scenario and seed only, so common random numbers across scenarios hold
whether a scenario's figures were computed now or earlier.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.engine.evaluate import evaluate
from app.engine.results import ComparisonResult

T = TypeVar("T")

KEPT = 48
"""Entries kept (each a scenario's figures at one sample count): the scenarios of the
open comparison at the quick and the full sample count, with room for undo."""


class ScenarioResults:
    """A bounded, thread-safe memo of per-scenario engine figures."""

    def __init__(self, kept: int = KEPT):
        self.kept = kept
        self._entries: OrderedDict[tuple, tuple[ResolvedScenario, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0
        """How many values were computed rather than found (for tests and benchmarks)."""

    def __call__(self, scenario: ResolvedScenario, key: tuple, compute: Callable[[], T]) -> T:
        full = (id(scenario), *key)
        with self._lock:
            hit = self._entries.get(full)
            if hit is not None and hit[0] is scenario:
                self._entries.move_to_end(full)
                return hit[1]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self.computed += 1
            self._entries[full] = (scenario, value)  # the scenario is kept: its id stays unique
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        return value

    def evaluate(self, comparison: ResolvedComparison, samples: int = 1000, seed: int = 0) -> ComparisonResult:
        """:func:`app.engine.evaluate` reusing what is known."""
        return evaluate(comparison, samples=samples, seed=seed, memo=self)
