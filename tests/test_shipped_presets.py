"""The shipped preset library: valid, sourced, and complete enough to answer the DeepSeek question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.files import dump_preset, load_preset, parse_document, validate_document
from app.domain.library import FOLDERS, PresetLibrary, resolve_comparison
from app.domain.scenario import Comparison
from app.paths import presets_dir

LIBRARY = PresetLibrary()
SHIPPED = sorted(presets_dir().glob("*/*.json"))
"""Every shipped preset file, whichever folder it is in."""


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def test_the_library_is_not_empty() -> None:
    assert len(SHIPPED) >= 5


@pytest.mark.parametrize("path", SHIPPED, ids=_ids(SHIPPED))
def test_shipped_preset_is_valid_and_survives_save_and_load(path: Path) -> None:
    preset = load_preset(path)
    assert FOLDERS[preset.kind] == path.parent.name, "preset kind and folder disagree"
    text = dump_preset(preset)
    assert validate_document(parse_document(text, "round trip"), "round trip") == preset
    if isinstance(preset, Comparison):
        resolve_comparison(preset, LIBRARY, str(path))


def _unsourced_numbers(node: Any, where: str = "") -> list[str]:
    """Paths of numbers in a preset document that carry no source."""
    if isinstance(node, dict):
        if "value" in node:
            return [] if str(node.get("source") or "").strip() else [where]
        found = []
        for key, value in node.items():
            if key != "format_version":
                found += _unsourced_numbers(value, f"{where}.{key}" if where else key)
        return found
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in _unsourced_numbers(item, f"{where}[{i}]")]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return [where]
    return []


@pytest.mark.parametrize("path", SHIPPED, ids=_ids(SHIPPED))
def test_every_shipped_number_carries_its_source(path: Path) -> None:
    assert _unsourced_numbers(json.loads(path.read_text(encoding="utf-8"))) == []


def test_unsourced_numbers_are_detected() -> None:
    document = {"format_version": 2, "a": 3, "b": {"value": 1}, "c": {"value": 2, "source": "paper"}}
    assert _unsourced_numbers(document) == ["a", "b"]


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        (
            "model",
            {
                "gpt-3-175b", "llama-65b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b",
                "llama-4-scout", "llama-4-maverick", "mixtral-8x7b", "deepseek-v3", "deepseek-r1",
                "gpt-oss-120b", "gpt-oss-20b",
            },
        ),
        (
            "hardware",
            {"v100-sxm2", "a100-40gb", "a100-80gb", "h100-sxm", "h800-sxm", "h200-sxm", "b200", "mi300x", "tpu-v3", "tpu-v5p"},
        ),
        ("usage", {"chat-assistant", "reasoning-assistant", "coding-agent"}),
        ("comparison", {"deepseek-question"}),
    ],
)
def test_the_library_holds_the_presets_users_expect(kind: str, required: set[str]) -> None:
    assert required <= set(LIBRARY.ids(kind))


def test_the_library_ships_a_small_reasoning_model() -> None:
    models = [LIBRARY.get("model", i) for i in LIBRARY.ids("model")]
    assert any(m.reasoning is not None and m.total_parameters_billion.value < 20 for m in models)


def test_each_published_training_case_has_its_comparison() -> None:
    published = {i for i in LIBRARY.ids("comparison") if i.startswith("published-")}
    assert {
        "published-gpt-3", "published-gshard-600b", "published-llama-65b",
        "published-llama-3.1-405b", "published-llama-4-scout", "published-deepseek-v3",
    } <= published


def test_the_deepseek_question_compares_dense_moe_and_reasoning() -> None:
    resolved = resolve_comparison(LIBRARY.get("comparison", "deepseek-question"), LIBRARY)
    models = [s.model for s in resolved.scenarios]
    assert any(m.moe is None for m in models)
    assert any(m.moe is not None and m.reasoning is None for m in models)
    reasoning = [s for s in resolved.scenarios if s.model.reasoning is not None]
    assert reasoning and all(s.reasoning_share.value > 0 for s in reasoning)
    colors = [s.color for s in resolved.scenarios]
    assert None not in colors and len(set(colors)) == len(colors)


def test_a_typo_in_a_preset_id_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"no shipped hardware preset 'h100'; did you mean 'h100-sxm'\? known: .*h100-sxm"):
        LIBRARY.path("hardware", "h100")
