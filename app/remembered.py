"""Figures kept as long as the engine results they were computed from.

After an edit the engine hands back the very result objects of the scenarios
the edit did not touch (``app.session.results``), so their output check, chart
tables, summary bands and verdicts need not be computed again: :func:`remembered`
keys a value by the identity of the result objects it was computed from and
forgets it when any of them is freed. Thread-safe in the sense that matters:
two threads asking at once may both compute, and either value is kept.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_kept: dict[tuple, tuple[tuple[weakref.ref, ...], object]] = {}


def remembered(owners: tuple[object, ...], name: str, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per ``name`` while every object of ``owners`` lives."""
    key = (name, *map(id, owners))
    hit = _kept.get(key)
    if hit is not None and all(ref() is owner for ref, owner in zip(hit[0], owners, strict=True)):
        return hit[1]  # type: ignore[return-value]
    value = compute()

    def forget(_: weakref.ref, key: tuple = key) -> None:
        _kept.pop(key, None)

    # Each reference forgets the value when its owner dies (a weak reference's callback: a twentieth of the
    # cost of a weakref.finalize, which also registers itself for the interpreter's exit).
    _kept[key] = (tuple(weakref.ref(owner, forget) for owner in owners), value)
    return value


def kept() -> int:
    """How many values are kept (for tests)."""
    return len(_kept)
