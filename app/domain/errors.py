"""Readable errors for preset files: which file, which field, what is wrong."""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.domain.field_labels import path_label

# Tags pydantic puts in error locations for union branches; they are not fields.
_UNION_TAGS = frozenset({"embedded", "by-id", "logistic", "exponential", "function-after", "function-before"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one file: where it is and what is wrong."""

    file: str
    field: str
    message: str
    count: int = 0
    """Non-zero only on the line that stands for ``count`` problems left unlisted."""
    item: str = ""
    """The name of the list item ``field`` lies in (a scenario's): ``field`` numbers list items, which a
    program can follow, while people know them by name."""

    @property
    def is_count(self) -> bool:
        return self.count > 0

    @property
    def where(self) -> str:
        """``field`` for people: the item's name beside its index, ``scenarios[1] ('DeepSeek-R1').usage``."""
        end = self.field.find("]") + 1
        if not self.item or not end:
            return self.field
        return f"{self.field[:end]} ({self.item!r}){self.field[end:]}"

    def __str__(self) -> str:
        """"file: field: problem", leaving out what is not known (an untitled document has no file)."""
        return ": ".join(part for part in (self.file, self.where if self.field else "", self.message) if part)


MAX_PROBLEMS_PER_FILE = 20
"""More problems than this in one file are counted, not listed: a file of 100,000
unknown keys is not 100,000 lines worth reading."""


class PresetFileError(Exception):
    """A preset file could not be read; ``problems`` lists the reasons.

    At most MAX_PROBLEMS_PER_FILE problems per file are kept, followed by one
    that counts the rest; ``total`` counts them all.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = bounded(problems)
        self.total = sum(1 for p in problems if not p.is_count)
        super().__init__("\n".join(str(p) for p in self.problems))


def bounded(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS_PER_FILE problems of each file, then one counting the rest."""
    kept: list[Problem] = []
    listed: dict[str, int] = {}
    left_off: dict[str, int] = {}
    for problem in problems:
        if problem.is_count:
            left_off[problem.file] = left_off.get(problem.file, 0) + problem.count
        elif listed.get(problem.file, 0) < MAX_PROBLEMS_PER_FILE:
            listed[problem.file] = listed.get(problem.file, 0) + 1
            kept.append(problem)
        else:
            left_off[problem.file] = left_off.get(problem.file, 0) + 1
    for file, count in left_off.items():
        kept.append(Problem(file, "", f"… and {count} more problem{'s' if count != 1 else ''} not listed", count))
    return kept


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``scenarios[1].model.layers``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _UNION_TAGS or str(part).startswith("function-"):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """"did you mean 'gpu_hours'?" for the known name closest to a misspelt ``word`` (else the one known name
    it begins, 'h100' for 'h100-sxm'), or "" when none is close: difflib's ratio below 0.7 is a guess that
    would mislead more than help."""
    known = list(known)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.7)
    if not close and word:
        close = [name for name in known if name.startswith(word)]
    return f"did you mean {close[0]!r}?" if len(close) == 1 else ""


def _alternatives(annotation: Any) -> list[Any]:
    """The types a value of ``annotation`` may have: Annotated unwrapped, unions split."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [kind for arg in get_args(annotation) for kind in _alternatives(arg)]
    return [annotation]


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def fields_at(model: Any, loc: tuple[int | str, ...]) -> list[str]:
    """The field names the object at pydantic location ``loc`` of a ``model`` may have ([] where it is no model).
    A location part that is neither a field nor a list index or dict key is a union's tag and is passed over."""
    kinds = _alternatives(model)
    for part in loc:
        owners = [kind for kind in kinds if _is_model(kind) and part in kind.model_fields]
        containers = [kind for kind in kinds if get_origin(kind) in (list, dict)]
        if owners:
            kinds = [alt for owner in owners for alt in _alternatives(owner.model_fields[str(part)].annotation)]
        elif containers:
            kinds = [alt for container in containers for alt in _alternatives(get_args(container)[-1])]
    return sorted({name for kind in kinds if _is_model(kind) for name in kind.model_fields})


def _message(error: ErrorDetails, model: Any = None) -> str:
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "extra_forbidden":
        loc = tuple(error["loc"])
        guess = did_you_mean(str(loc[-1]), fields_at(model, loc[:-1])) if model is not None and loc else ""
        return f"unknown field; {guess}" if guess else "unknown field (not part of this format; check the spelling)"
    if error["type"] == "union_tag_invalid" or error["type"] == "literal_error":
        return message.replace("Input tag", "value").replace("Input should be", "must be")
    if error["type"].endswith(("_parsing", "_type")) and isinstance(error.get("input"), (str, int, float)):
        shown = repr(error["input"]) if len(repr(error["input"])) <= 40 else repr(error["input"])[:37] + "..."
        return f"{message} (got {shown})"
    return message


def item_name(document: Any, loc: tuple[int | str, ...]) -> str:
    """The name of the list item a pydantic error location first enters in ``document`` (the validated input),
    or "" when that item has no name. Keys the document does not hold are union tags and are passed over."""
    node = document
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            entry = node[part] if -len(node) <= part < len(node) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            return name if isinstance(name, str) else ""
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif not isinstance(node, dict):
            return ""
    return ""


def problems_from_validation(
    file: str | Path, error: ValidationError, prefix: tuple[int | str, ...] = (), document: Any = None,
    model: Any = None,
) -> list[Problem]:
    """One Problem per pydantic error, deduplicated, in the order reported; each names the list item of
    ``document`` (the input validated) it lies in, when that item has a name, and an unknown field the
    closest field of ``model`` (the type validated) at its place, when one is close."""
    seen: dict[tuple[str, str], Problem] = {}
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        problem = Problem(str(file), field_path(prefix + loc), _message(item, model), item=item_name(document, loc))
        seen.setdefault((problem.field, problem.message), problem)
    return list(seen.values())


def validation_text(error: ValidationError, limit: int = 3) -> tuple[str, str]:
    """A pydantic error as one line for a message beside a field or in the status bar, and the field of its
    first problem: the first ``limit`` problems of :func:`problems_from_validation`, each "field: problem"
    with the field as the editors label it ("Mixture of experts (MoE): ..." for ``moe``; the problem alone
    where it concerns the whole). The one formatter of validation errors besides files'."""
    problems = problems_from_validation("", error)
    text = "; ".join(f"{path_label(p.field)}: {p.message}" if p.field else p.message for p in problems[:limit])
    return text, problems[0].field if problems else ""
