"""Curves that scenarios of one evaluation compute from the very same input arrays, computed once.

Common random numbers make the draws of an input that scenarios share (the comparison's market,
a usage profile's efficiency trend and retraining schedule) one array object
(:mod:`app.engine.sampling`), so a months x samples curve that depends on such arrays alone is
the same for every scenario that reads them: :class:`Shared` keeps it for one evaluation, keyed
by the paths and identities of the arrays it was computed from. An entry holds those arrays, so
no id in its key can be reused by another array while it is kept. The curves are lent read-only.

A figure of arrays the engine derives (a server's rates, a context) is kept by the values it was
computed from instead (:meth:`Shared.equal`): scenarios served alike, such as a model and its
reasoning variant on one deployment, search their batch once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar

import numpy as np

T = TypeVar("T")

Read = tuple[tuple[str, "np.ndarray | None"], ...]
"""(path, array) of every input a curve reads (None: the scenario does not set it)."""


class Shared:
    """A memo of input-only curves for the scenarios of one evaluation (not thread-safe: one evaluation)."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[Read, np.ndarray]] = {}
        self._by_value: dict[str, list[tuple[tuple, object]]] = {}

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

    def equal(self, name: str, arguments: tuple, compute: Callable[[], T]) -> T:
        """``compute()``, a figure of ``arguments`` alone, computed once for the scenarios of this evaluation
        whose arguments are the same bit for bit (arrays, and the dataclasses of arrays the engine derives
        from its inputs, such as a server's rates): scenarios that serve alike (one chip, deployment, usage
        and architecture, whatever their market or post-training) find what the first of them computed.
        Arguments are compared in order, so the ones most likely to differ come first."""
        kept = self._by_value.setdefault(name, [])
        for known, value in kept:
            if same(known, arguments):
                return value  # type: ignore[return-value]
        value = compute()
        for array in ([value] if isinstance(value, np.ndarray) else
                      [getattr(value, f.name) for f in fields(value)] if is_dataclass(value) else []):
            if isinstance(array, np.ndarray):
                array.setflags(write=False)  # lent: no scenario may change another's figures
        kept.append((arguments, value))
        return value


def inputs_under(values: dict[str, np.ndarray], prefix: str | tuple[str, ...]) -> Read:
    """Every input whose path starts with ``prefix`` (a preset's, or any of several), by path: what a curve of
    those presets reads."""
    return tuple((path, array) for path, array in values.items() if path.startswith(prefix))


_COPIED_BELOW = 4096
"""Arrays of at most this many values are compared by their bytes (two copies and one memcmp, well
inside the allocator's small blocks); larger ones as unsigned integers, without copies."""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _names(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass type, in order (``dataclasses.fields`` works them out on every call)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def same(a: object, b: object) -> bool:
    """Whether ``a`` and ``b`` are the same bit for bit: arrays by their bytes (NaN and -0 included), tuples and
    dataclasses field by field, anything else by ``==``."""
    if a is b:
        return True
    if type(a) is np.ndarray and type(b) is np.ndarray and a.dtype == np.float64 and b.dtype == np.float64:
        if a.shape != b.shape:
            return False
        if a.flags.c_contiguous and b.flags.c_contiguous:
            if a.size <= _COPIED_BELOW:  # their bytes, copied and compared in C: a sixth of the time of an == array
                return a.tobytes() == b.tobytes()
            return bool((a.view(np.uint64) == b.view(np.uint64)).all())
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        x, y = np.asarray(a), np.asarray(b)
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        return np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes()
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    kind = type(a)
    if kind is type(b) and is_dataclass(a):
        return all(same(getattr(a, name), getattr(b, name)) for name in _names(kind))
    return type(a) is type(b) and a == b
