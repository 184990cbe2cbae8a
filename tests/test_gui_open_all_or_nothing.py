"""Issue 20: every file the command line accepts opens and edits in the window, opening is all or
nothing, no exception escapes an action, and quoted text stays readable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gui_fixtures import make_window, wait_settled, window  # fixtures
from test_gui_window import type_into

from app.domain.files import load_preset
from app.session.edits import EditError
from tests.conftest import jevons

SHIPPED = Path("presets/comparisons/deepseek-question.json")


def comparison_with(tmp_path: Path, overrides: dict, name: str = "c.json") -> Path:
    document = json.loads(SHIPPED.read_text())
    document["scenarios"][1]["overrides"] = overrides
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_an_old_override_path_in_a_current_file_opens_edits_and_round_trips(qtbot, window, tmp_path) -> None:
    """``usage.demand.midpoint_month`` in a format-3 file: validate and evaluate took it, the window raised
    'demand.midpoint_month is not a field here' from the editors and refused every later usage edit."""
    path = comparison_with(tmp_path, {"usage.demand.midpoint_month": 20})
    assert jevons("validate", str(path)).returncode == 0
    assert window.files.open_file(path)
    assert window.message_box is None or not window.message_box.isVisible()
    assert window.document.path == path
    window.scenario_list.list.setCurrentRow(1)  # the scenario with the old path
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "321")
    assert window.comparison.scenarios[1].overrides["market.demand.midpoint_month"].value == 20
    wait_settled(qtbot, window)
    saved = tmp_path / "saved.json"
    assert window.files.save_as(saved)
    assert load_preset(saved) == window.comparison


def test_a_path_given_in_both_forms_is_refused_with_both_named(tmp_path) -> None:
    path = comparison_with(tmp_path, {"usage.price_elasticity": -0.2, "market.price_elasticity": -0.3})
    done = jevons("validate", str(path))
    assert done.returncode == 2
    assert "usage.price_elasticity and market.price_elasticity name the same input" in done.stderr


def test_a_document_the_session_refuses_leaves_the_window_exactly_as_it_was(qtbot, window, tmp_path, monkeypatch) -> None:
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "777")
    before, title, undo = window.comparison, window.windowTitle(), window.document.can_undo
    path = comparison_with(tmp_path, {})

    def refuse(_comparison, _file) -> None:
        raise EditError("demand.midpoint_month is not a field here")

    monkeypatch.setattr(window.session, "check", refuse)
    assert not window.files.open_file(path)
    box = window.message_box
    assert box.isVisible() and "c.json" in box.windowTitle() and "not a field here" in box.text()
    assert window.comparison is before and window.windowTitle() == title and window.document.can_undo == undo
    assert window.editor.field("usage", "answer_tokens").value_edit.text() == "777"
    box.close()


def test_views_that_fail_to_redraw_put_the_previous_document_back(qtbot, window, tmp_path, monkeypatch) -> None:
    before, title = window.comparison, window.windowTitle()
    path = comparison_with(tmp_path, {})
    original = window.editor.set_scenario
    calls = []

    def fail_once(*args, **kwargs) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a view broke")
        original(*args, **kwargs)

    monkeypatch.setattr(window.editor, "set_scenario", fail_once)
    window.files.recent.add(path)
    window.files.fill_recent_menu(window.actions_.recent_menu)
    next(a for a in window.actions_.recent_menu.actions() if a.text().endswith("c.json")).trigger()  # a guarded action
    box = window.message_box
    assert box.isVisible() and "a view broke" in box.text() and "Traceback" in box.detailedText()
    assert window.comparison is before and window.windowTitle() == title and window.document.path is None
    box.close()


def test_an_action_that_raises_shows_a_dialog_and_changes_nothing(qtbot, window, monkeypatch) -> None:
    before = window.comparison

    def broken() -> None:
        raise ValueError("disk on fire")

    monkeypatch.setattr(window.files, "save", broken)
    window.actions_.save.trigger()
    box = window.message_box
    assert box.isVisible() and box.windowTitle() == "Save failed"
    assert "ValueError: disk on fire" in box.text() and "Traceback" in box.detailedText()
    assert window.comparison is before
    box.close()


def test_a_huge_override_key_is_clipped_in_the_dialog_and_whole_in_the_details(window, tmp_path) -> None:
    key = "usage." + "x" * 5000
    path = comparison_with(tmp_path, {key: 1})
    assert not window.files.open_file(path)
    box = window.message_box
    assert len(box.text()) < 1500 and "more characters" in box.text()
    assert key in box.detailedText()
    box.close()


def test_control_characters_in_a_name_do_not_reach_the_terminal(tmp_path) -> None:
    document = json.loads(SHIPPED.read_text())
    document["scenarios"][1]["name"] = "V3 \x1b[2J\x1b[31mred\x07"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document))
    done = jevons("evaluate", str(path), "--samples", "20")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "V3 \\x1b[2J\\x1b[31mred\\x07" in done.stdout
