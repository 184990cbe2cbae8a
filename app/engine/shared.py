"""Curves that scenarios of one evaluation compute from the very same input arrays, computed once.

Common random numbers make the draws of an input that scenarios share (the comparison's market,
a usage profile's efficiency trend and retraining schedule) one array object
(:mod:`app.engine.sampling`), so a months x samples curve that depends on such arrays alone is
the same for every scenario that reads them: :class:`Shared` keeps it for one evaluation, keyed
by the paths and identities of the arrays it was computed from. An entry holds those arrays, so
no id in its key can be reused by another array while it is kept. The curves are lent read-only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Read = tuple[tuple[str, "np.ndarray | None"], ...]
"""(path, array) of every input a curve reads (None: the scenario does not set it)."""


class Shared:
    """A memo of input-only curves for the scenarios of one evaluation (not thread-safe: one evaluation)."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[Read, np.ndarray]] = {}

    def get(self, name: str, read: Read, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``compute()``, the curve ``name`` of the inputs ``read``, computed once for this evaluation."""
        key = (name, *((path, id(values)) for path, values in read))
        hit = self._kept.get(key)
        if hit is not None:
            return hit[1]
        value = compute()
        value.setflags(write=False)
        self._kept[key] = (read, value)
        return value


def inputs_under(values: dict[str, np.ndarray], prefix: str) -> Read:
    """Every input whose path starts with ``prefix`` (a preset's), by path: what a curve of that preset reads."""
    return tuple((path, array) for path, array in values.items() if path.startswith(prefix))
