"""A scenario's lifecycle energy against the baseline's, split into what moved it.

Over the horizon, sample by sample (MWh; a negative part lowers the scenario's energy):

* ``training_efficiency_mwh``: its own training path (launch, successors, R&D) minus the baseline's;
* ``training_respent_mwh``: training spent again beyond its own path (reinvested saving, entrants)
  minus the baseline's (which re-spends nothing against itself);
* ``inference_efficiency_mwh``: its inference without rebound minus the baseline's;
* ``usage_rebound_mwh``: the extra use its price draws (more queries, longer answers) minus the baseline's.

The four add up to ``total_difference_mwh``, its energy over the horizon minus the baseline's, by
construction (each is one side's term minus the other's, and the terms make up the totals).
"""

from __future__ import annotations

import numpy as np

from app.engine.results import ScenarioResult, TotalsResult

PARTS = ("training_efficiency_mwh", "inference_efficiency_mwh", "training_respent_mwh", "usage_rebound_mwh")
"""The parts, in the order a waterfall draws them; they sum to :data:`TOTAL`."""
TOTAL = "total_difference_mwh"


def _terms(t: TotalsResult) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(own training, inference without rebound, re-spent training, rebound) over the horizon, (samples,) each."""
    respent = t.horizon_training_respent_mwh
    no_rebound = t.inference_energy_no_rebound_mwh[-1]
    return t.training_energy_mwh[-1] - respent, no_rebound, respent, t.inference_energy_mwh[-1] - no_rebound


def decomposition(scenario: ScenarioResult, baseline: ScenarioResult) -> dict[str, np.ndarray]:
    """Each of :data:`PARTS` and :data:`TOTAL`, sample by sample."""
    mine, theirs = _terms(scenario.totals), _terms(baseline.totals)
    own_training, no_rebound, respent, rebound = (np.asarray(a - b, dtype=float) for a, b in zip(mine, theirs, strict=True))
    parts = dict(zip(PARTS, (own_training, no_rebound, respent, rebound), strict=True))
    parts[TOTAL] = scenario.totals.horizon_energy_mwh - baseline.totals.horizon_energy_mwh
    return parts


def means(parts: dict[str, np.ndarray]) -> dict[str, float]:
    """Each part's mean over the draws: means add up as the parts do (the mean total difference is the sum
    of the parts' means), so a waterfall of them closes, and two scenarios whose part is the same in every
    draw read the same. Medians do not add up; the parts of the one draw at the median total did, but read
    that draw's noise (DeepSeek-V3's and R1's identical training read -7.9 and -1.4 TWh)."""
    return {name: float(np.mean(values)) for name, values in parts.items()}
