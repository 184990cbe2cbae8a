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


VENDORS = {"NVIDIA", "AMD", "Instinct", "Google", "Intel", "AWS"}
"""Words a scenario name leaves out of a chip's name."""
COPY = re.compile(r"\s*\(copy(?: \d+)?\)$")


def short_hardware(name: str) -> str:
    """"NVIDIA H800 SXM 80GB" -> "H800"; "Google TPU v5p" -> "TPU v5p": how scenario names call a chip."""
    words = [w for w in name.split() if w not in VENDORS] or name.split()
    return " ".join(words[:2]) if words and words[0] == "TPU" else (words[0] if words else name)


def copy_name(name: str, taken: list[str]) -> str:
    """The name of a duplicate: "X (copy)", then "X (copy 2)" ..., never "X (copy) (copy)"."""
    base = COPY.sub("", name)
    wanted, number = f"{base} (copy)", 2
    while wanted in taken:
        wanted, number = f"{base} (copy {number})", number + 1
    return wanted


def follow(name: str, old_model: str, new_model: str, old_hardware: str, new_hardware: str) -> str:
    """The scenario's name after its model or serving hardware changed, where the name said them.

    "DeepSeek-R1 (reasoning) on H800" moved to a B200 becomes "DeepSeek-R1
    (reasoning) on B200"; given another model it becomes "<model> on H800" (the
    note in parentheses described the old model). A name that mentions neither
    (the user's own) is kept.
    """
    old_chip, new_chip = short_hardware(old_hardware), short_hardware(new_hardware)
    if old_chip != new_chip and name.endswith(f" on {old_chip}"):
        name = f"{name[: -len(old_chip)]}{new_chip}"
    if old_model != new_model and name.startswith(old_model):
        rest = name[len(old_model):]
        if rest.startswith(" (") and ")" in rest:
            rest = rest[rest.index(")") + 1 :]
        name = f"{new_model}{rest}"
    return name
