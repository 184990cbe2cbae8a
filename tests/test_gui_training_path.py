"""The training path edited in the Usage tab: per scenario, the verdict and the waterfall follow, undo
restores, the file keeps it, bad values are refused at the field, and a scenario without one gets one."""

from __future__ import annotations

import json

import pytest
from gui_fixtures import *  # noqa: F403 - pytest fixtures
from gui_fixtures import assert_titled, wait_settled
from PySide6.QtCore import Qt
from test_gui_window import type_into

from app.domain.library import PresetLibrary
from app.domain.loading import load_any

BANKED, COPIED = 1, 3
"""DeepSeek-V3 with its saving banked, and re-spent and copied by new labs, in the shipped training race."""
RESPENT = 2
"""The waterfall's step "Training re-spent" (``DECOMPOSITION_STEPS``)."""


@pytest.fixture
def race(qtbot, make_window):
    """A shown main window on the shipped training race, its charts drawn."""
    return make_window(example="training-race")


def show_training_path_of(window, row: int):
    window.scenario_list.list.setCurrentRow(row)
    window.editor.tabs.setCurrentWidget(window.editor.editors["usage"])
    return window.editor.training_path


def respent_bar(window, row: int) -> float:
    """Height of scenario ``row``'s "Training re-spent" bar as the waterfall draws it (its axis's unit)."""
    waterfall = window.charts.adoption._waterfall
    k = waterfall.shown.index(row)
    return float(waterfall.bars.opts["height"][k * 5 + RESPENT])


def total_difference(window, row: int) -> float:
    """Scenario ``row``'s energy over the horizon minus the baseline's (Wh), as the waterfall's last step."""
    return window.charts.adoption._waterfall.data.decomposition[row][-1].mean


def test_reinvesting_the_whole_saving_moves_the_verdict_and_the_respent_bar_and_undo_restores(qtbot, race) -> None:
    section = show_training_path_of(race, BANKED)
    assert_titled(section, f"Training path of {race.session.comparison.scenarios[BANKED].name}")
    assert section.remove_button.isVisible() and not section.absent_note.isVisible()
    share = race.editor.field("training_path", "reinvested_share")
    assert share.value_edit.text() == "0"
    assert "Banked" in share.toolTip() and "valid: &gt;= 0 and &lt;= 1" in share.toolTip()  # its source and bounds
    verdict, bar, total = race.charts.verdict.text(), respent_bar(race, BANKED), total_difference(race, BANKED)
    assert bar == 0  # the saving banked: nothing re-spent
    type_into(qtbot, share.value_edit, "1")
    wait_settled(qtbot, race)
    assert race.session.part("training_path").reinvested_share.value == 1
    assert race.session.part("training_path").compute_growth_per_year.value == 3.5  # the rest of the path kept
    assert race.charts.verdict.text() != verdict
    assert respent_bar(race, BANKED) > 0  # budget parity: the saving is spent on training again
    assert total_difference(race, BANKED) > total + 10e12  # tens of TWh more (0.10x -> about 1x of 81 TWh)
    assert race.actions_.undo.text() == "&Undo Edit Training saving re-spent (training path)"
    race.actions_.undo.trigger()
    wait_settled(qtbot, race)
    assert race.charts.verdict.text() == verdict
    assert respent_bar(race, BANKED) == bar and share.value_edit.text() == "0"


def test_the_saved_file_carries_the_edited_path_and_loads_back_equal(qtbot, race, tmp_path) -> None:
    show_training_path_of(race, BANKED)
    type_into(qtbot, race.editor.field("training_path", "reinvested_share").value_edit, "0.5")
    wait_settled(qtbot, race)
    target = tmp_path / "race.json"
    assert race.files.save_as(target)
    saved = json.loads(target.read_text())["scenarios"][BANKED]["training_path"]
    assert saved["reinvested_share"]["value"] == 0.5
    assert saved["compute_growth_per_year"]["source"].startswith("Epoch AI")
    assert load_any(target, PresetLibrary()) == race.session.comparison


@pytest.mark.parametrize(("field", "typed", "bound"), [
    ("reinvested_share", "1.5", "must be >= 0 and <= 1"),
    ("compute_growth_per_year", "-1", "must be >= 0 and <= 100"),
])
def test_a_value_out_of_bounds_is_refused_at_the_field_and_the_typing_kept(qtbot, race, field, typed, bound) -> None:
    show_training_path_of(race, BANKED)
    edit = race.editor.field("training_path", field)
    generation = race.runner.generation
    type_into(qtbot, edit.value_edit, typed)
    assert bound in edit.error and edit.value_edit.text() == typed
    assert not race.session.document.can_undo and race.runner.generation == generation  # never reached the engine


def test_a_cadence_longer_than_the_horizon_is_refused_at_the_usage_field(qtbot, race) -> None:
    show_training_path_of(race, BANKED)
    cadence = race.editor.field("usage", "retrain_every_months")
    type_into(qtbot, cadence.value_edit, "72")
    assert "longer than its Horizon (5 years)" in cadence.error and "must be at most 60" in cadence.error
    assert cadence.value_edit.text() == "72" and not race.session.document.can_undo


def test_a_scenario_without_a_path_shows_the_neutral_one_gets_one_by_an_edit_and_can_drop_it(qtbot, race) -> None:
    race.scenario_list.addRequested.emit()  # an added scenario has no training path
    race.edits.add_dialog.accept()
    wait_settled(qtbot, race)
    added = len(race.session.comparison.scenarios) - 1
    section = show_training_path_of(race, added)
    assert section.absent_note.isVisible() and not section.remove_button.isVisible()
    elasticity = race.editor.field("training_path", "entrant_elasticity")
    assert race.editor.field("training_path", "reinvested_share").value_edit.text() == "0"
    assert elasticity.value_edit.text() == "" and "Neutral" in race.editor.field("training_path", "reinvested_share").toolTip()
    type_into(qtbot, elasticity.value_edit, "0.5")
    wait_settled(qtbot, race)
    path = race.session.comparison.scenarios[added].training_path
    assert path is not None and path.entrant_elasticity.value == 0.5
    assert race.actions_.undo.text() == "&Undo Edit Labs' entry elasticity (training path)"
    assert section.remove_button.isVisible() and not section.absent_note.isVisible()
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    wait_settled(qtbot, race)
    assert race.session.comparison.scenarios[added].training_path is None
    assert race.actions_.undo.text() == "&Undo Remove the training path"
    assert section.absent_note.isVisible() and elasticity.value_edit.text() == ""


def test_clearing_the_entrant_elasticity_stops_entry_and_the_verdict_map_lists_the_paths_inputs_in_words(
    qtbot, race
) -> None:
    show_training_path_of(race, COPIED)
    elasticity = race.editor.field("training_path", "entrant_elasticity")
    verdict = race.charts.verdict.text()
    race.actions_.verdict_map.trigger()
    names = [race.verdict_map_dialog.x.path.itemText(i) for i in range(race.verdict_map_dialog.x.path.count())]
    assert "Labs' entry elasticity (training path) (dimensionless)" in names
    assert "Training saving re-spent (training path) (fraction)" in names
    assert "Compute growth per run (training path) (fraction/year)" in names
    race.verdict_map_dialog.close()
    for box in (elasticity.value_edit, elasticity.low_edit, elasticity.high_edit):  # the value and its range
        type_into(qtbot, box, "", enter=box is elasticity.high_edit)
    wait_settled(qtbot, race)
    assert race.session.part("training_path").entrant_elasticity is None and not elasticity.error
    assert race.actions_.undo.text() == "&Undo Edit Labs' entry elasticity (training path)"
    assert race.charts.verdict.text() != verdict  # no labs enter: less training industry-wide
