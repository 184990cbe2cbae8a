"""The model shapes behind the calibration fit: complete, self-consistent and traceable.

A shipped model preset whose ``huggingface_id`` begins a row's model id gives that row
its shape (layers, width, heads, experts: what the ML.ENERGY columns do not give);
``resources/calibration/architectures.json`` only describes models no preset does. A
value copied wrongly moves every fitted constant, so the table is checked here against
itself and against the measurements it serves, and no model has two sources.
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


def test_every_modelled_measurement_finds_its_shape_in_a_preset_or_the_table() -> None:
    measurements = read_measurements(resources_dir() / "calibration" / "ml_energy_v3_llm.csv")
    sources = {m.model_id: calibration_rows.architecture_source(m) for m in measurements if not m.is_hybrid}
    assert {model for model, source in sources.items() if source == "none"} == set()
    assert sources["meta-llama/Llama-3.1-8B-Instruct"] == "preset: llama-3.1-8b"
    assert sources["meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8"] == "preset: llama-4-maverick"
    assert sources["Qwen/Qwen3-8B"] == "table: Qwen/Qwen3-8B"


def test_no_model_has_two_architecture_sources() -> None:
    presets = [load_preset(path) for path in sorted((presets_dir() / "models").glob("*.json"))]
    ids = [p.huggingface_id.lower() for p in presets if p.huggingface_id]
    clashes = [key for key in TABLE if any(key.lower().startswith(i) or i.startswith(key.lower()) for i in ids)]
    assert clashes == []


def test_a_row_takes_the_shape_of_the_preset_that_names_its_model() -> None:
    rows = read_measurements(resources_dir() / "calibration" / "ml_energy_v3_llm.csv")
    scout = next(m for m in rows if m.model_id.startswith("meta-llama/Llama-4-Scout"))
    preset = load_preset(presets_dir() / "models" / "llama-4-scout.json")
    batch = calibration_rows.batch_of([scout])
    assert batch.arch.layers[0] == preset.layers.value and batch.arch.hidden[0] == preset.hidden_size.value
    assert batch.arch.routed_experts[0] == preset.moe.routed_experts.value


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
