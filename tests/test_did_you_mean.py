"""A misspelt field or preset id gets the closest valid name as a suggestion, and nothing when none is close."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import PresetFileError
from app.domain.files import validate_document
from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.paths import presets_dir
from tests.factories import MODEL, changed, comparison, write

SHIPPED = [presets_dir() / "models" / "deepseek-v3.json", presets_dir() / "comparisons" / "deepseek-question.json",
           presets_dir() / "hardware" / "h800-sxm.json", presets_dir() / "markets" / "chat-2025.json"]


def problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PresetFileError) as caught:
        validate_document(document, "f.json")
    return [str(p) for p in caught.value.problems]


def _keys(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """(path of an object, one of its keys) for every field written in a document: the keys of ``overrides``
    are override paths, not fields, and ``kind`` picks the kind of preset before any field is read."""
    found: list[tuple[tuple[Any, ...], str]] = []
    items = enumerate(node) if isinstance(node, list) else node.items() if isinstance(node, dict) else []
    for key, inner in items:
        if isinstance(node, dict) and path[-1:] != ("overrides",) and key not in ("kind", "format_version"):
            found.append((path, key))
        found += _keys(inner, (*path, key))
    return found


DOCUMENTS = [json.loads(path.read_text()) for path in SHIPPED]
SLIPS = [(index, path, key) for index, document in enumerate(DOCUMENTS) for path, key in _keys(document)]


@settings(max_examples=80)
@given(slip=st.sampled_from(SLIPS), dropped=st.integers(min_value=0))
def test_a_field_with_a_letter_left_out_gets_a_suggestion_that_is_a_field_there(
    slip: tuple[int, tuple[Any, ...], str], dropped: int
) -> None:
    """Any field of a shipped file, one letter short, is named back: loading the file with the suggested
    name in its place has no unknown field there."""
    index, path, key = slip
    document = copy.deepcopy(DOCUMENTS[index])
    node = document
    for part in path:
        node = node[part]
    typo = key[: dropped % len(key)] + key[dropped % len(key) + 1 :]
    if typo in node or not typo:
        return
    node[typo] = node.pop(key)
    (line,) = [p for p in problems(document) if f".{typo}: unknown field" in p or f" {typo}: unknown field" in p]
    assert "; did you mean '" in line, line
    suggestion = line.rsplit("did you mean '", 1)[1].removesuffix("'?")
    node[suggestion] = node.pop(typo)
    try:
        validate_document(document, "f.json")
    except PresetFileError as error:
        assert not [p for p in error.problems if p.message.startswith("unknown field")], error


def test_a_misspelt_field_is_named_with_the_closest_field_at_its_place() -> None:
    document = changed(MODEL, "training.mfu", None)
    document["training"]["mfuu"] = 0.4
    assert "f.json: training.mfuu: unknown field; did you mean 'mfu'?" in problems(document)
    document = changed(comparison(), "scenarios.1.hardware.memory_gbb", 80)
    assert "f.json: scenarios[1] ('B').hardware.memory_gbb: unknown field; did you mean 'memory_gb'?" in problems(document)


def test_a_field_like_no_other_gets_no_guess() -> None:
    document = changed(MODEL, "zqxw", 1)
    assert problems(document) == ["f.json: zqxw: unknown field (not part of this format; check the spelling)"]


def test_a_misspelt_kind_is_named_with_the_closest_kind() -> None:
    (line,) = problems(changed(MODEL, "kind", "modle"))
    assert line.startswith("f.json: kind: 'modle' is not a preset kind; did you mean 'model'? one of: model, ")


def test_a_misspelt_shipped_id_or_override_is_named_with_the_closest(tmp_path: Path) -> None:
    document = comparison()
    document["scenarios"][0]["hardware"] = "h100-sxn"
    document["scenarios"][1]["hardware"] = "h100"  # the one shipped id it begins
    document["scenarios"][1]["overrides"] = {"datacenter.pue_": 1.2, "datacentre.pue": 1.2, "usage.zzzz": 1}
    path = write(tmp_path / "c.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_comparison(path, PresetLibrary())
    said = {p.field: p.message for p in caught.value.problems}
    assert "did you mean 'h100-sxm'? known: a100-40gb" in said["scenarios[0].hardware"]
    assert "did you mean 'h100-sxm'? known: a100-40gb" in said["scenarios[1].hardware"]
    document["scenarios"][0]["hardware"] = document["scenarios"][1]["hardware"] = "h100-sxm"
    with pytest.raises(PresetFileError) as caught:
        load_comparison(write(path, document), PresetLibrary())
    said = {p.field: p.message for p in caught.value.problems}
    assert said["scenarios[1].overrides.datacenter.pue_"] == "'pue_' is not a field here; did you mean 'pue'?"
    assert said["scenarios[1].overrides.datacentre.pue"].startswith("did you mean 'datacenter'? must start with one of:")
    assert said["scenarios[1].overrides.usage.zzzz"] == "'zzzz' is not a field here"

