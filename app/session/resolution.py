"""Resolution of the open comparison for the engine, re-resolving only what an edit changed.

Snapshots of a comparison share the scenario objects an edit did not touch,
so a scenario already resolved is found again by identity: an edit re-resolves
(and re-validates) one scenario, and undo finds the scenarios it returns to.
The resolution itself is :func:`app.domain.library.resolve_comparison`.
"""

from __future__ import annotations

from collections import OrderedDict

from app.domain.library import PresetLibrary, ResolvedComparison, ResolvedScenario, resolve_comparison, resolve_scenario
from app.domain.market import MarketPreset
from app.domain.scenario import Comparison, Scenario

REMEMBERED = 64
"""Resolved scenarios kept (most recently used first out last): enough for undo to find its way back."""


class Resolver:
    """Resolves comparisons against one library, remembering resolved scenarios by identity."""

    def __init__(self, library: PresetLibrary):
        self.library = library
        self._resolved: OrderedDict[int, tuple[Scenario, ResolvedScenario]] = OrderedDict()

    def __call__(self, comparison: Comparison, file: str = "") -> ResolvedComparison:
        """The comparison resolved; raises PresetFileError naming ``file`` and the fields at fault, a deployment
        that cannot hold its model among them (:mod:`app.engine.memory_fit`)."""
        from app.engine import memory_fit  # the engine loads only once a comparison is resolved

        resolved = self.resolve(comparison, file)
        memory_fit.check(resolved, file)
        return resolved

    def resolve(self, comparison: Comparison, file: str = "") -> ResolvedComparison:
        """The comparison resolved, without asking whether each replica holds its model."""
        return resolve_comparison(comparison, self.library, file, resolve=self._scenario)

    def _scenario(
        self, scenario: Scenario, library: PresetLibrary, market: MarketPreset, file: str, where: str
    ) -> ResolvedScenario:
        hit = self._resolved.get(id(scenario))
        # Only failures depend on file and place (never kept); the market is the comparison's, compared by value.
        if hit is not None and hit[0] is scenario and hit[1].market == market:
            self._resolved.move_to_end(id(scenario))
            return hit[1]
        resolved = resolve_scenario(scenario, library, market, file, where)
        self._resolved[id(scenario)] = (scenario, resolved)  # the scenario is kept: its id stays unique
        while len(self._resolved) > REMEMBERED:
            self._resolved.popitem(last=False)
        return resolved
