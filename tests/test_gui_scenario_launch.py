"""A scenario's launch after the comparison's start, edited in the Market tab: shown with its unit and
source, the verdict follows an edit, undo restores it, the file keeps it, and a launch at or beyond the
horizon is refused at the field."""

from __future__ import annotations

import json

import pytest
from gui_fixtures import *  # noqa: F403 - pytest fixtures
from gui_fixtures import assert_titled, wait_settled
from test_gui_window import type_into

from app.domain.library import PresetLibrary
from app.domain.loading import load_any

R1 = 2
"""DeepSeek-R1 in the DeepSeek question, released 0.82 months after V3 (the comparison's start)."""


@pytest.fixture
def question(qtbot, make_window):
    """A shown main window on the DeepSeek question, its charts drawn, R1 selected on the Market tab."""
    window = make_window(example="deepseek-question")
    window.scenario_list.list.setCurrentRow(R1)
    window.editor.tabs.setCurrentWidget(window.editor.editors["market"])
    wait_settled(qtbot, window)  # the selection asks for R1's sensitivity
    return window


def test_the_launch_shows_its_unit_and_source_and_an_edit_moves_the_verdict_and_undo_restores(qtbot, question) -> None:
    section = question.editor.scenario_inputs
    assert section.isVisible()
    assert_titled(section, f"{question.session.comparison.scenarios[R1].name} in this market")
    launch = question.editor.field("scenario", "launch_months_after_start")
    assert launch.value_edit.text() == "0.82" and launch.unit_label.text() == "month"
    assert "20 Jan 2025" in launch.toolTip() and "valid: &gt;= 0" in launch.toolTip()
    verdict = question.charts.verdict.text()
    type_into(qtbot, launch.value_edit, "24")
    wait_settled(qtbot, question)
    assert question.session.comparison.scenarios[R1].launch_months_after_start.value == 24
    assert question.charts.verdict.text() != verdict  # two years less serving: R1 uses less over the horizon
    assert question.actions_.undo.text() == "&Undo Edit Launch after the start"
    question.actions_.undo.trigger()
    wait_settled(qtbot, question)
    assert question.charts.verdict.text() == verdict and launch.value_edit.text() == "0.82"


def test_the_saved_file_carries_the_edited_launch_and_loads_back_equal(qtbot, question, tmp_path) -> None:
    type_into(qtbot, question.editor.field("scenario", "launch_months_after_start").value_edit, "6")
    wait_settled(qtbot, question)
    target = tmp_path / "question.json"
    assert question.files.save_as(target)
    saved = json.loads(target.read_text())["scenarios"][R1]["launch_months_after_start"]
    assert saved["value"] == 6
    assert load_any(target, PresetLibrary()) == question.session.comparison


@pytest.mark.parametrize(("typed", "said"), [("60", "must be less than 60"), ("-1", "must be >= 0")])
def test_a_launch_out_of_bounds_or_beyond_the_horizon_is_refused_at_the_field(qtbot, question, typed, said) -> None:
    launch = question.editor.field("scenario", "launch_months_after_start")
    generation = question.runner.generation
    type_into(qtbot, launch.value_edit, typed)
    assert said in launch.error and launch.value_edit.text() == typed
    assert not question.session.document.can_undo and question.runner.generation == generation
