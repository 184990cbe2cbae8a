"""Preset files: every kind of bad input gets a message naming file, field and problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import PresetFileError
from app.domain.files import FORMAT_VERSION, dump_preset, load_preset, save_preset
from app.domain.guarded_json import MAX_FILE_BYTES
from app.domain.model_preset import ModelPreset
from tests.factories import DATACENTER, HARDWARE, MARKET, MODEL, USAGE, changed, comparison, write


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PresetFileError) as caught:
        load_preset(path)
    messages = [str(p) for p in caught.value.problems]
    assert all(m.startswith(str(path)) for m in messages), messages
    return messages


@pytest.mark.parametrize("document", [MODEL, HARDWARE, DATACENTER, USAGE, comparison()])
def test_valid_documents_load_and_survive_save_and_load(tmp_path: Path, document: dict) -> None:
    preset = load_preset(write(tmp_path / "in.json", document))
    save_preset(tmp_path / "out.json", preset)
    assert load_preset(tmp_path / "out.json") == preset


def test_malformed_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format_version": 2,\n  "kind": "model"\n  "name": "x"\n}\n')
    (message,) = problems_of(path)
    assert "not valid JSON" in message
    assert "line 4, column 3" in message


def test_an_unterminated_string_says_where_it_starts_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{\n  "format_version": 2,\n  "name": "x')
    (message,) = problems_of(path)
    assert "Unterminated string starting at line 3, column 11" in message and "at at" not in message


def test_true_or_false_is_not_a_number_even_inside_a_value_object(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "layers", {"value": True})))
    assert ": layers.value: must be a number, not true" in message


@pytest.mark.parametrize("text", ["3.5 dollars", "80"])
def test_a_text_where_a_number_goes_is_refused_and_quoted_in_the_message(tmp_path: Path, text: str) -> None:
    """Text that reads as a number ("80") was read as one inside a value object, though refused as a bare
    value and by the shipped JSON Schema (fails before)."""
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "layers", {"value": text})))
    assert f": layers.value: must be a number, not the text '{text}'" in message


def test_wrong_type_names_the_field(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "layers", "forty")))
    assert ": layers: " in message
    assert "expected a number" in message


def test_missing_field_is_named(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "hidden_size", None)))
    assert message.endswith("hidden_size: required field is missing")


def test_unknown_field_is_named(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "h.json", changed(HARDWARE, "max_powr_w", 700)))
    assert ": max_powr_w: unknown field" in message


def test_negative_parameters_are_impossible(tmp_path: Path) -> None:
    messages = problems_of(write(tmp_path / "m.json", changed(MODEL, "total_parameters_billion", -5)))
    assert any("total_parameters_billion: value −5 is negative: total parameters must be > 0" in m for m in messages)


def test_active_above_total_parameters_is_rejected(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "active_parameters_billion", 150)))
    assert message.endswith(": Active parameters (150 B params) cannot exceed Total parameters (100 B params)")


def test_more_experts_per_token_than_experts_is_rejected(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "moe.experts_per_token", 32)))
    assert ": moe: Experts per token (32) cannot exceed Routed experts (16)" in message


def test_pue_below_one_is_rejected(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "d.json", changed(DATACENTER, "pue", 0.9)))
    assert ": pue: value 0.9 is impossible here: must be >= 1" in message


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_shares_outside_zero_and_one_are_rejected(tmp_path: Path, share: float) -> None:
    (message,) = problems_of(write(tmp_path / "u.json", changed(USAGE, "reasoning_share", share)))
    assert ": reasoning_share: value" in message and "must be >= 0 and <= 1" in message


def test_range_bounds_are_checked_like_values(tmp_path: Path) -> None:
    document = changed(USAGE, "fleet_utilisation", {"value": 0.5, "low": 0.2, "high": 1.4})
    (message,) = problems_of(write(tmp_path / "u.json", document))
    assert ": fleet_utilisation: high 1.4 is impossible here" in message


def test_value_outside_its_range_is_rejected(tmp_path: Path) -> None:
    document = changed(MODEL, "layers", {"value": 10, "low": 20, "high": 30})
    (message,) = problems_of(write(tmp_path / "m.json", document))
    # The values are quoted by name, not as an inequality that is false ('20 <= 10 <= 30').
    assert ": layers: range must satisfy low <= value <= high (got low 20, value 10, high 30)" in message


@pytest.mark.parametrize("price", [
    {"value": -2, "low": -3, "high": 1},  # a range around it, in order
    {"value": -2, "low": -1, "high": 1},  # and a range it lies outside: still a negative price first
    -2,
])
def test_a_negative_price_is_named_as_one_with_or_without_a_range(tmp_path: Path, price: object) -> None:
    (message,) = problems_of(write(tmp_path / "h.json", changed(HARDWARE, "price_usd_per_hour", price)))
    assert message == f"{tmp_path / 'h.json'}: price_usd_per_hour: value −2 is negative: rental price must be >= 0 and <= 1,000,000"
    document = changed(comparison(), "scenarios.0.list_price", {
        "usd_per_million_input_tokens": price, "usd_per_million_output_tokens": 1})
    (message,) = problems_of(write(tmp_path / "c.json", document))
    assert ": scenarios[0] ('A').list_price.usd_per_million_input_tokens: value −2 is negative: input price must be >= 0" in message


def test_a_negative_end_of_a_range_is_named_as_negative(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "h.json", changed(HARDWARE, "price_usd_per_hour", {"value": 2, "low": -3, "high": 3})))
    assert message.endswith(": price_usd_per_hour: low −3 is negative: rental price must be >= 0 and <= 1,000,000")


def test_nested_errors_carry_the_whole_field_path(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.1.model.moe.routed_experts", 0)
    (message,) = problems_of(write(tmp_path / "c.json", document))
    assert ": scenarios[1] ('B').model.moe.routed_experts: value 0 is impossible here: must be a whole number >= 1" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    document = changed(changed(HARDWARE, "memory_gb", -1), "lifetime_years", None)
    messages = problems_of(write(tmp_path / "h.json", document))
    assert len(messages) == 2


def test_format_version_from_the_future_is_refused(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "format_version", FORMAT_VERSION + 1)))
    assert f"format_version: version {FORMAT_VERSION + 1} was written by a newer Jevons" in message


def test_missing_format_version_is_named(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "format_version", None)))
    assert message.endswith("format_version: required field is missing")


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "m.json", changed(MODEL, "kind", "modle")))
    assert "kind: 'modle' is not a preset kind; did you mean 'model'? one of: model, hardware, datacenter, usage, deployment, market, comparison" in message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (message,) = problems_of(path)
    assert "is not a text file" in message


def test_non_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    (message,) = problems_of(path)
    assert "is not UTF-8 text" in message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    (message,) = problems_of(path)
    assert "preset files are at most 5 MB" in message


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]")
    (message,) = problems_of(path)
    assert "must hold a JSON object" in message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    (message,) = problems_of(tmp_path / "nope.json")
    assert message.endswith("file not found")


def test_version_1_ranges_are_migrated(tmp_path: Path) -> None:
    document = changed(MODEL, "format_version", 1)
    document["layers"] = {"value": 40, "range": [32, 48], "source": "a paper"}
    preset = load_preset(write(tmp_path / "old.json", document))
    assert (preset.layers.value, preset.layers.low, preset.layers.high) == (40, 32, 48)
    assert preset.layers.source == "a paper"
    assert json.loads(dump_preset(preset))["format_version"] == FORMAT_VERSION


def test_a_failed_save_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "keep.json", MODEL)
    before = target.read_bytes()
    preset = load_preset(target).model_copy(update={"name": "Changed"})

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_preset(target, preset)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]


def test_saved_files_start_with_their_version_and_kind(tmp_path: Path) -> None:
    save_preset(tmp_path / "m.json", load_preset(write(tmp_path / "in.json", MODEL)))
    keys = list(json.loads((tmp_path / "m.json").read_text()))
    assert keys[:2] == ["format_version", "kind"]


finite = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=finite, share=st.floats(min_value=0.01, max_value=1.0), spread=st.floats(min_value=0, max_value=0.5))
def test_any_valid_model_survives_save_and_load(tmp_path: Path, total: float, share: float, spread: float) -> None:
    active = total * share
    document = changed(MODEL, "total_parameters_billion", total)
    document["active_parameters_billion"] = {
        "value": active,
        "low": active * (1 - spread),
        "high": min(active * (1 + spread), total),
        "source": "property test",
    }
    document["moe"]["parameters_per_expert_billion"] = total / 32
    preset = ModelPreset.model_validate({k: v for k, v in document.items() if k != "format_version"})
    save_preset(tmp_path / "p.json", preset)
    assert load_preset(tmp_path / "p.json") == preset


@settings(max_examples=200)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_never_escape_as_anything_but_a_clear_error(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.json"
    path.write_bytes(raw)
    try:
        load_preset(path)
    except PresetFileError as error:
        assert error.problems and all(str(p).startswith(str(path)) for p in error.problems)


def test_a_saved_file_gets_ordinary_permissions_and_keeps_existing_ones(tmp_path: Path) -> None:
    preset = load_preset(write(tmp_path / "in.json", MODEL))
    save_preset(tmp_path / "new.json", preset)
    assert (tmp_path / "new.json").stat().st_mode & 0o044 == 0o044  # readable by others, as the umask allows
    (tmp_path / "shared.json").write_text("{}")
    os.chmod(tmp_path / "shared.json", 0o664)
    save_preset(tmp_path / "shared.json", preset)
    assert (tmp_path / "shared.json").stat().st_mode & 0o777 == 0o664


def test_an_elasticity_beyond_minus_five_is_refused(tmp_path: Path) -> None:
    (message,) = problems_of(write(tmp_path / "u.json", changed(MARKET, "price_elasticity", -200)))
    assert ": price_elasticity: value −200 is impossible here: must be >= −5 and <= 0" in message


def test_a_problem_in_a_scenario_names_it_as_well_as_its_place(tmp_path: Path) -> None:
    """People know scenarios by name, not by their place in the list; the field path a program reads stays as it was."""
    document = changed(comparison(), "scenarios.1.model.moe.routed_experts", 0)
    document["scenarios"][1]["name"] = "DeepSeek-R1"
    path = write(tmp_path / "c.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_preset(path)
    (problem,) = caught.value.problems
    assert problem.field == "scenarios[1].model.moe.routed_experts"
    assert str(problem) == (f"{path}: scenarios[1] ('DeepSeek-R1').model.moe.routed_experts: "
                            "value 0 is impossible here: must be a whole number >= 1 and <= 10,000,000")


def test_a_problem_found_resolving_a_scenario_names_it(tmp_path: Path) -> None:
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison

    document = changed(comparison(), "scenarios.0.overrides", {"datacenter.pue": 0.5})
    document["scenarios"][0]["name"] = "Llama 3.1 405B (dense)"
    path = write(tmp_path / "c.json", document)
    with pytest.raises(PresetFileError) as caught:
        load_comparison(path, PresetLibrary())
    (problem,) = caught.value.problems
    assert problem.field == "scenarios[0].overrides.datacenter.pue"
    assert str(problem).startswith(f"{path}: scenarios[0] ('Llama 3.1 405B (dense)').overrides.datacenter.pue: value 0.5")


def test_a_scenario_without_a_usable_name_is_named_by_its_place_alone(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.1.model.moe.routed_experts", 0)
    document["scenarios"][1]["name"] = 42
    messages = problems_of(write(tmp_path / "c.json", document))
    assert any(": scenarios[1].model.moe.routed_experts: value 0 is impossible here" in m for m in messages)
    assert any(": scenarios[1].name: " in m for m in messages)
