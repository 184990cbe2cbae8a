"""A scenario's list prices edited without Qt: re-validated, folded overrides, undo, and a clear refusal."""

from __future__ import annotations

import pytest

from app.domain.library import PresetLibrary
from app.domain.quantity import Quantity
from app.session import edits
from app.session.controller import DEFAULT_COMPARISON, Session
from app.session.edits import EditError

LIBRARY = PresetLibrary()
V3 = 1
"""DeepSeek-V3's row in the shipped DeepSeek question."""
OUTPUT = ("list_price", ("usd_per_million_output_tokens",), {"value": 4.4, "source": "a user's what-if"})


@pytest.fixture
def session() -> Session:
    opened = Session(LIBRARY)
    opened.open(opened.example_document(DEFAULT_COMPARISON))
    opened.select(V3)
    return opened


def test_a_list_price_edit_reaches_the_resolved_scenario_and_is_undone(session: Session) -> None:
    before = session.comparison
    assert session.change_fields([OUTPUT], "Edit output price")
    assert session.part("list_price").usd_per_million_output_tokens.value == 4.4
    assert session.part("list_price").usd_per_million_input_tokens.value == 0.27  # the others are kept
    assert session.request().resolved.scenarios[V3].list_price.usd_per_million_output_tokens.value == 4.4
    assert session.comparison.scenarios[0].list_price == before.scenarios[0].list_price  # per scenario
    assert session.undo() and session.comparison is before
    assert session.part("list_price").usd_per_million_output_tokens.value == 1.1


def test_a_list_price_override_is_shown_and_folded_into_the_edited_prices(session: Session) -> None:
    scenario = session.comparison.scenarios[V3]
    overridden = scenario.model_copy(update={"overrides": {"list_price.cached_input_share": Quantity(value=0.2)}})
    comparison = session.comparison.model_copy(update={"scenarios": [
        overridden if i == V3 else s for i, s in enumerate(session.comparison.scenarios)]})
    assert edits.part_of(comparison, V3, "list_price", LIBRARY).cached_input_share.value == 0.2
    edited = edits.apply_changes(comparison, V3, [OUTPUT], LIBRARY).scenarios[V3]
    assert edited.overrides == {}
    assert edited.list_price.cached_input_share.value == 0.2
    assert edited.list_price.usd_per_million_output_tokens.value == 4.4


def test_an_invalid_price_is_refused_naming_the_field(session: Session) -> None:
    before = session.comparison
    with pytest.raises(EditError) as refused:
        session.change_fields([("list_price", ("usd_per_million_output_tokens",), {"value": -1})], "Edit")
    assert refused.value.field.startswith("usd_per_million_output_tokens")
    assert session.comparison is before and not session.document.can_undo


def test_a_scenario_priced_at_its_cost_says_it_has_no_list_prices(session: Session) -> None:
    assert session.add_scenario(session.new_scenario_like_selected())
    session.select(len(session.comparison.scenarios) - 1)
    assert session.part("list_price") is None
    with pytest.raises(EditError, match="no list prices"):
        session.change_fields([OUTPUT], "Edit output price")


def test_a_model_change_flags_the_list_price_it_keeps() -> None:
    """Putting another model into a scenario kept the old model's prices silently, and they drive the rebound."""
    from app.domain.library import PresetLibrary
    from app.domain.like_for_like import comparison_differences
    from app.session.controller import Session

    session = Session(PresetLibrary())
    session.open(session.example_document(DEFAULT_COMPARISON))
    session.select(1)
    assert comparison_differences(session.request().resolved)[1] == []
    assert session.use_preset("model", "llama-4-maverick", "Use Llama 4 Maverick")
    flags = comparison_differences(session.request().resolved)[1]
    assert "its list prices were published for DeepSeek-V3, not for Llama 4 Maverick (17B active, 128 experts)" in flags
