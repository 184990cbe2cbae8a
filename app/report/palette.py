"""Scenario colours: one colour per scenario, the same in every view. No Qt.

The Okabe-Ito colours stay distinguishable for colour-blind readers and read
on both light and dark backgrounds (its black and yellow are left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

SCENARIO_COLORS: tuple[str, ...] = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def next_free_color(used: Sequence[str | None]) -> str:
    """The first palette colour not already in ``used`` (cycling when all are taken)."""
    taken = {c.lower() for c in used if c}
    for color in SCENARIO_COLORS:
        if color not in taken:
            return color
    return SCENARIO_COLORS[len(taken) % len(SCENARIO_COLORS)]


def scenario_colors(colors: Sequence[str | None]) -> list[str]:
    """Explicit colours kept; missing ones filled with free palette colours in order."""
    result: list[str] = []
    for color in colors:
        result.append(color.lower() if color else next_free_color([*colors, *result]))
    return result


@lru_cache(maxsize=512)
def blend(color: str, background: str, amount: float) -> str:
    """``color`` mixed toward ``background`` by ``amount`` (0 keeps it, 1 gives the background)."""
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * amount) for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)
