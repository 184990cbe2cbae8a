"""Hostile files: devices, pipes, folders, deep nesting, huge numbers, repeated keys, floods of problems."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pytest

from app.domain.errors import MAX_PROBLEMS_PER_FILE, PresetFileError
from app.domain.files import load_preset
from app.domain.guarded_json import MAX_DEPTH, MAX_NUMBER_CHARS
from tests.conftest import jevons
from tests.factories import HARDWARE, MODEL, comparison, write


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PresetFileError) as caught:
        load_preset(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages and all(m.startswith(str(path)) for m in messages), messages
    return messages


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_without_reading_it() -> None:
    (message,) = problems_of(Path("/dev/zero"))
    assert "is not a regular file" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    outcome: list[list[str]] = []
    reader = threading.Thread(target=lambda: outcome.append(problems_of(fifo)), daemon=True)
    reader.start()
    reader.join(10)  # generous: a hang is what this guards against, not a speed
    if reader.is_alive():  # unblock the reader so the test process can end
        with open(fifo, "wb"):
            pass
    assert outcome and "is not a regular file" in outcome[0][0]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (message,) = problems_of(tmp_path)
    assert "is a folder" in message


def test_arrays_nested_a_thousand_deep_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"format_version": 2, "kind": "model", "name": ' + "[" * 1000 + "]" * 1000 + "}")
    (message,) = problems_of(path)
    assert "nested too deeply" in message


def test_nesting_just_past_the_limit_names_where(tmp_path: Path) -> None:
    nested: object = 1
    for _ in range(MAX_DEPTH):
        nested = {"x": nested}
    (message,) = problems_of(write(tmp_path / "deep.json", {**MODEL, "description": nested}))
    assert f": description.x{'.x' * 10}" in message and "nested too deeply" in message


def test_a_number_of_five_thousand_digits_names_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text('{\n  "format_version": 2,\n  "kind": "model",\n  "layers": ' + "9" * 5000 + "\n}")
    (message,) = problems_of(path)
    assert f"a number of 5000 characters is too long (at most {MAX_NUMBER_CHARS})" in message
    assert "line 4, column 13" in message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literals_are_refused(tmp_path: Path, literal: str) -> None:
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(MODEL).replace('"layers": 40', f'"layers": {literal}'))
    (message,) = problems_of(path)
    assert f"{literal} is not a number JSON allows" in message


def test_a_repeated_key_is_named_with_its_field_path(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    text = json.dumps(MODEL).replace('"mfu": 0.4', '"mfu": 0.4, "mfu": 0.5')
    path.write_text(text)
    (message,) = problems_of(path)
    assert message == f"{path}: training.mfu: appears more than once in the same object; keep one"


def test_a_flood_of_unknown_keys_is_listed_briefly_and_counted(tmp_path: Path) -> None:
    document = {**HARDWARE, **{f"unknown_{i}": i for i in range(5000)}}
    path = write(tmp_path / "flood.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_preset(path)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert str(problems[-1]) == f"{path}: … and {5000 - MAX_PROBLEMS_PER_FILE} more problems not listed"
    assert caught.value.total == 5000


def test_validate_prints_a_bounded_list_and_the_true_count(tmp_path: Path) -> None:
    path = write(tmp_path / "flood.json", {**HARDWARE, **{f"unknown_{i}": i for i in range(300)}})
    result = jevons("validate", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 2  # the listed ones, the count of the rest, the summary
    assert lines[-1] == "1 of 1 file(s) invalid, 300 problem(s)"


def test_a_baseline_that_is_not_a_scenario_names_its_field(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "c.json", comparison(baseline="C")))
    assert message == f"{tmp_path / 'c.json'}: baseline: 'C' is not one of the scenarios: A, B"


def test_repeated_scenario_names_name_the_field(tmp_path: Path) -> None:
    document = comparison()
    document["scenarios"][1]["name"] = "A"
    (message,) = problems_of(write(tmp_path / "c.json", document))
    assert ": scenarios: scenario names must be unique: scenarios[1].name repeats scenarios[0].name 'A'" in message
