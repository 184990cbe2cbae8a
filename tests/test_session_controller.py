"""The session controller without Qt: documents, edits with undo, the selection, and what to compute."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.domain.errors import PresetFileError, validation_text
from app.domain.library import PresetLibrary
from app.domain.quantity import Quantity
from app.session.controller import DEFAULT_COMPARISON, Session
from app.session.edits import EditError

LIBRARY = PresetLibrary()
ANSWER_TOKENS = ("usage", ("answer_tokens",), {"value": 700.0})


@pytest.fixture
def session() -> Session:
    opened = Session(LIBRARY)
    opened.open(opened.example_document(DEFAULT_COMPARISON))
    return opened


def test_the_default_comparison_opens_untitled_unmodified_and_coloured(session: Session) -> None:
    assert session.document.path is None and not session.document.dirty and not session.document.can_undo
    assert session.selected == 0
    assert all(scenario.color for scenario in session.comparison.scenarios)


def test_an_edit_is_recorded_under_its_label_and_undone_and_redone(session: Session) -> None:
    before = session.comparison
    assert session.change_fields([ANSWER_TOKENS], "Edit answer tokens")
    assert session.part("usage").answer_tokens.value == 700.0
    assert session.document.dirty and session.document.undo_label == "Edit answer tokens"
    assert session.undo() and session.comparison is before and not session.document.dirty
    assert session.redo() and session.part("usage").answer_tokens.value == 700.0
    assert not session.redo()


def test_an_edit_that_changes_nothing_records_nothing(session: Session) -> None:
    assert session.change_fields([ANSWER_TOKENS], "Edit answer tokens")
    assert not session.change_fields([ANSWER_TOKENS], "Edit answer tokens again")
    assert session.document.undo_label == "Edit answer tokens"


def test_a_refused_edit_says_why_and_leaves_the_comparison_as_it_was(session: Session) -> None:
    before, selected = session.comparison, session.selected
    with pytest.raises(EditError) as refused:
        session.change_fields([("usage", ("answer_tokens",), {"value": -5.0})], "Edit answer tokens")
    assert "answer_tokens" in refused.value.field
    assert session.comparison is before and session.selected == selected and not session.document.can_undo


def test_a_pydantic_error_reads_as_field_and_problem_wherever_it_is_shown(session: Session) -> None:
    """One formatter for the editors' messages and refused edits (the quantity field scraped pydantic's text and
    showed its "For further information visit https://..." line for an error in one of a quantity's fields)."""
    too_long = {"value": 700.0, "source": "x" * 5000}
    with pytest.raises(ValidationError) as invalid:
        Quantity.model_validate(too_long)
    text, field = validation_text(invalid.value)
    assert (text, field) == ("Source: String should have at most 4000 characters", "source")
    with pytest.raises(EditError) as refused:
        session.change_fields([("usage", ("answer_tokens",), too_long)], "Edit answer tokens")
    assert refused.value.message == "Source: String should have at most 4000 characters"  # beside Answer tokens
    assert refused.value.field == "answer_tokens.source"


def test_the_selection_follows_scenarios_added_removed_and_undone(session: Session) -> None:
    count = len(session.comparison.scenarios)
    assert session.add_scenario(session.new_scenario_like_selected()) and session.selected == count
    assert session.undo() and session.selected == count - 1  # the added scenario is gone
    assert session.select(1) and not session.select(1) and not session.select(99)
    assert session.remove_scenario(1) and session.selected == 1
    assert session.remove_scenario(len(session.comparison.scenarios) - 1)
    assert session.selected == len(session.comparison.scenarios) - 1


def test_a_preset_edits_the_selected_scenario_only(session: Session) -> None:
    session.select(2)
    others = [session.comparison.scenarios[i] for i in (0, 1)]
    assert session.use_preset("hardware", "b200")
    assert session.comparison.scenarios[2].hardware == "b200"
    assert [session.comparison.scenarios[i] for i in (0, 1)] == others
    assert session.document.undo_label == "Use hardware preset b200"


def test_an_edit_asks_to_recompute_only_the_scenario_it_changed(session: Session) -> None:
    first = session.request()
    assert first.focus is None
    session.select(1)
    session.change_fields([ANSWER_TOKENS], "Edit answer tokens")
    second = session.request("energy")
    assert second.focus == (1, "energy")
    same = [a is b for a, b in zip(first.resolved.scenarios, second.resolved.scenarios, strict=True)]
    assert same == [True, False, True]
    session.undo()
    assert session.request().resolved.scenarios[1] is first.resolved.scenarios[1]  # undo finds it again


def test_save_writes_a_file_that_opens_as_the_same_comparison(session: Session, tmp_path: Path) -> None:
    session.set_boundary("server")
    target = session.save(tmp_path / "mine.json")
    assert session.document.path == target and not session.document.dirty
    again = Session(LIBRARY)
    loaded = again.load(target)
    assert loaded == session.comparison


def test_a_failed_save_keeps_the_document_unsaved(session: Session, tmp_path: Path) -> None:
    session.set_boundary("server")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        session.save(blocker / "mine.json")
    assert session.document.dirty and session.document.path is None


def test_a_file_that_does_not_resolve_is_refused_naming_it(session: Session, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(session.example_document(DEFAULT_COMPARISON).comparison.model_dump_json().replace('"h800"', '"no-such-chip"'),
                      encoding="utf-8")
    with pytest.raises(PresetFileError) as refused:
        session.load(broken)
    assert any("broken.json" in str(problem) for problem in refused.value.problems)


def test_no_open_comparison_is_said_plainly() -> None:
    with pytest.raises(LookupError, match="no comparison is open"):
        _ = Session(LIBRARY).comparison
