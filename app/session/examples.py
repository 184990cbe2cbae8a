"""The shipped comparisons a user can start from (File > New from Example).

Only each file's ``name`` and ``description`` are read here, for the menu;
opening one loads and checks it like any file (:meth:`Session.example_document`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app import paths


@dataclass(frozen=True, slots=True)
class Example:
    ident: str
    """The file name without ``.json``: what ``jevons ID`` and ``jevons evaluate ID`` take."""
    name: str
    description: str


def shipped_examples() -> list[Example]:
    """Every shipped comparison, the DeepSeek question first, then by name.

    A file whose name cannot be read is still listed, by its id: opening it
    then reports what is wrong with it.
    """
    examples = []
    for ident in paths.shipped_comparison_ids():
        try:
            data = json.loads((paths.presets_dir() / "comparisons" / f"{ident}.json").read_text(encoding="utf-8"))
            name, description = str(data["name"]), str(data.get("description") or "")
        except (OSError, ValueError, KeyError, TypeError):
            name, description = ident, ""
        examples.append(Example(ident, name, description))
    return sorted(examples, key=lambda e: (e.ident != "deepseek-question", e.name.lower()))
