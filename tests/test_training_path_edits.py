"""A scenario's training path edited without Qt: through the session's edits, added by editing a value,
removed, refused with the field and the bound, undone, saved and loaded back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_training_path import _comparison

from app.domain.library import PresetLibrary
from app.engine.evaluate import evaluate
from app.session import edits
from app.session.controller import Session
from app.session.edits import EditError

LIBRARY = PresetLibrary()
BANKED = 1
"""DeepSeek-V3 with its training saving banked, in the shipped training race."""
SHARE = ("training_path", ("reinvested_share",))


@pytest.fixture
def session() -> Session:
    opened = Session(LIBRARY)
    opened.open(opened.example_document("training-race"))
    opened.select(BANKED)
    return opened


def _without_a_path(session: Session) -> None:
    """Select a scenario added to the race: Add gives it no training path."""
    assert session.add_scenario(session.new_scenario_like_selected())
    assert session.comparison.scenarios[session.selected].training_path is None


def test_a_reinvested_share_reaches_the_engine_keeps_the_rest_of_the_path_and_is_undone(session: Session) -> None:
    before = session.comparison
    growth = session.part("training_path").compute_growth_per_year
    assert session.change_fields([(*SHARE, {"value": 1, "source": "budget parity"})], "Edit share")
    assert session.request().resolved.scenarios[BANKED].training_path.reinvested_share.value == 1
    assert session.part("training_path").compute_growth_per_year == growth  # Epoch AI's growth and its source kept
    assert session.comparison.scenarios[2].training_path == before.scenarios[2].training_path  # per scenario
    assert session.undo() and session.comparison is before


def test_editing_a_value_of_a_scenario_without_a_path_gives_it_the_neutral_path_with_that_value(
    session: Session, tmp_path: Path
) -> None:
    _without_a_path(session)
    assert session.part("training_path") is None
    assert session.change_fields([("training_path", ("entrant_elasticity",), {"value": 0.5})], "Edit elasticity")
    path = session.part("training_path")
    assert path.entrant_elasticity.value == 0.5
    assert path.reinvested_share == edits.NEUTRAL_TRAINING_PATH.reinvested_share  # labelled, not a bare 0
    assert path.reinvested_share.assumption and "Neutral" in path.reinvested_share.source
    loaded = Session(LIBRARY).load(session.save(tmp_path / "race.json"))
    assert loaded == session.comparison
    assert loaded.scenarios[session.selected].training_path == path


def test_removing_the_path_is_one_named_edit_and_undo_brings_it_back(session: Session) -> None:
    before = session.comparison
    assert session.use_preset("training_path", None)
    assert session.comparison.scenarios[BANKED].training_path is None
    assert session.document.undo_label == "Remove the training path"
    assert session.undo() and session.comparison is before


def test_the_neutral_path_trains_as_no_path_does() -> None:
    absent = evaluate(_comparison(), samples=1).scenarios[1].totals
    neutral = evaluate(_comparison(path=edits.NEUTRAL_TRAINING_PATH.model_dump()), samples=1).scenarios[1].totals
    assert neutral.horizon_energy_mwh[0] == pytest.approx(absent.horizon_energy_mwh[0], rel=1e-12)
    assert neutral.training_energy_mwh[-1, 0] == pytest.approx(absent.training_energy_mwh[-1, 0], rel=1e-12)


@pytest.mark.parametrize(("field", "value", "bound"), [
    ("reinvested_share", 1.5, "<= 1"),
    ("reinvested_share", -0.1, ">= 0"),
    ("compute_growth_per_year", -0.5, ">= 0"),
])
def test_a_value_out_of_bounds_is_refused_naming_the_field_and_the_bound(
    session: Session, field: str, value: float, bound: str
) -> None:
    before = session.comparison
    with pytest.raises(EditError) as refused:
        session.change_fields([("training_path", (field,), {"value": value})], "Edit")
    assert refused.value.field.startswith(field) and bound in refused.value.message
    assert session.comparison is before and not session.document.can_undo


def test_a_cadence_longer_than_the_horizon_is_refused_for_a_scenario_with_a_path(session: Session) -> None:
    before = session.comparison
    with pytest.raises(EditError) as refused:
        session.change_fields([("usage", ("retrain_every_months",), {"value": 72})], "Edit cadence")
    assert refused.value.field == "usage.retrain_every_months"
    assert "(the usage's Retraining cadence)" in refused.value.message and "must be at most 60" in refused.value.message
    assert refused.value.field == "usage.retrain_every_months"
    assert session.comparison is before


def test_a_path_cannot_be_added_to_a_scenario_whose_cadence_is_longer_than_the_horizon(session: Session) -> None:
    _without_a_path(session)
    assert session.change_fields([("usage", ("retrain_every_months",), {"value": 72})], "Edit cadence")  # no path: allowed
    with pytest.raises(EditError) as refused:
        session.change_fields([(*SHARE, {"value": 1})], "Edit share")
    assert "must be at most 60" in refused.value.message
    assert session.comparison.scenarios[session.selected].training_path is None
