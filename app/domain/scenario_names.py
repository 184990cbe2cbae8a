"""Readable scenario labels: short names for tight places, numbers as a last resort.

Scenario names such as "DeepSeek-V3 (mixture of experts) on H800" are too long
for a bar's axis label or a narrow table. ``short_names`` keeps what tells the
scenarios apart (usually the model), and ``marker`` numbers a scenario for
places where even that does not fit (the chart's key then names it in full).
"""

from __future__ import annotations

import re

_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def _without_parentheses(name: str) -> str:
    return _PARENTHESES.sub("", name).strip() or name


def short_names(names: list[str]) -> list[str]:
    """The shortest labels that still tell every scenario apart, in ``names``' order.

    Tried in turn: the model part (before " on "), without parenthesised
    notes; the whole name without them; the whole name. Names that are equal
    even in full get their position appended ("#2"), so no two labels match.
    """
    stripped = [_without_parentheses(n) for n in names]
    candidates = ([s.split(" on ")[0].strip() or s for s in stripped], stripped, list(names))
    for labels in candidates:
        if len(set(labels)) == len(labels):
            return labels
    seen: dict[str, int] = {}
    labels = []
    for index, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 and names.count(name) == 1 else f"{name} #{index + 1}")
    return labels


def marker(index: int) -> str:
    """The number shown for scenario ``index`` (0-based) where no name fits: "1", "2", ..."""
    return str(index + 1)
