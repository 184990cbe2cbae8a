"""The model shapes behind the calibration fit: complete, self-consistent and traceable.

``resources/calibration/architectures.json`` supplies what the ML.ENERGY columns do
not (layers, width, heads, experts). A row whose model is missing from it silently
falls back to a guessed shape, and a value copied wrongly into it moves every fitted
constant, so the table is checked here against itself, against the measurements it
serves and against the shipped presets that describe the same models.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from app.calibration import rows as calibration_rows
from app.calibration.measurements import read_measurements
from app.domain.files import load_preset
from app.paths import presets_dir, resources_dir

TABLE = json.loads((resources_dir() / "calibration" / "architectures.json").read_text(encoding="utf-8"))["models"]
SHAPE_FIELDS = ("layers", "hidden_size", "attention_heads", "kv_heads", "head_dim")
REPOSITORY_FILE = re.compile(r"[\w.-]+/[\w.-]+, [\w./-]+\.(json|yml|yaml|py|md|sh)\b")
"""'owner/repo, path/to/file.ext': how a source names the public copy it was checked against."""

PRESET_OF = {
    "meta-llama/Llama-3.1-8B": "llama-3.1-8b",
    "meta-llama/Llama-3.1-70B": "llama-3.1-70b",
    "meta-llama/Llama-4-Scout-17B-16E": "llama-4-scout",
    "meta-llama/Llama-4-Maverick-17B-128E": "llama-4-maverick",
}
"""Table entries that a shipped model preset also describes."""


@pytest.mark.parametrize("key", sorted(TABLE))
def test_every_shape_is_whole_positive_and_consistent(key: str) -> None:
    entry = TABLE[key]
    for field in SHAPE_FIELDS:
        assert isinstance(entry[field], int) and entry[field] > 0, (key, field)
    assert entry["attention_heads"] % entry["kv_heads"] == 0, f"{key}: KV heads must divide the query heads"
    if "routed_experts" in entry:
        assert 1 <= entry["experts_per_token"] <= entry["routed_experts"], key


@pytest.mark.parametrize("key", sorted(TABLE))
def test_every_shape_names_the_copy_it_was_checked_against(key: str) -> None:
    entry = TABLE[key]
    assert REPOSITORY_FILE.search(entry["source"]), f"{key}: source names no repository file: {entry['source']!r}"
    if "unverified" in entry:
        assert isinstance(entry["unverified"], str) and entry["unverified"].strip(), key


def test_every_modelled_measurement_finds_its_shape_in_the_table() -> None:
    measurements = read_measurements(resources_dir() / "calibration" / "ml_energy_v3_llm.csv")
    guessed = {m.model_id for m in measurements if not m.is_hybrid and calibration_rows.shape_of(m.model_id)[1] == "defaults"}
    assert guessed == set()


@pytest.mark.parametrize("key", sorted(PRESET_OF))
def test_the_table_and_the_shipped_preset_agree_on_a_model_they_share(key: str) -> None:
    preset = load_preset(presets_dir() / "models" / f"{PRESET_OF[key]}.json")
    entry = TABLE[key]
    for field in SHAPE_FIELDS:
        assert getattr(preset, field).value == entry[field], (key, field)
    if "routed_experts" in entry:
        assert preset.moe.routed_experts.value == entry["routed_experts"]
        assert preset.moe.experts_per_token.value == entry["experts_per_token"]


def test_an_entry_marked_unverified_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``unverified`` note travels with the entry; the loader uses the shape as given."""
    shape = {"layers": 7, "hidden_size": 896, "attention_heads": 7, "kv_heads": 1, "head_dim": 128,
             "source": "a test", "unverified": "no public copy of the config found"}
    monkeypatch.setattr(calibration_rows, "_table", lambda: {"example/Unverified-1B": shape})
    dense = next(m for m in read_measurements(resources_dir() / "calibration" / "ml_energy_v3_llm.csv")
                 if not m.is_moe and not m.is_hybrid)
    row = replace(dense, model_id="example/Unverified-1B-Instruct")
    assert calibration_rows.shape_of(row.model_id) == (shape, "table: example/Unverified-1B")
    batch = calibration_rows.batch_of([row])
    assert np.array_equal(batch.arch.layers, [7.0]) and np.array_equal(batch.arch.hidden, [896.0])
