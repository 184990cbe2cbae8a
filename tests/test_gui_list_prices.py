"""List prices edited in the Market tab: per scenario, the verdict follows, undo restores, the file keeps them."""

from __future__ import annotations

import json

from gui_fixtures import *  # noqa: F403 - pytest fixtures
from gui_fixtures import assert_titled, wait_settled
from test_gui_window import type_into

V3 = 1
"""DeepSeek-V3's row in the shipped DeepSeek question."""


def show_market_of(qtbot, window, row: int):
    window.scenario_list.list.setCurrentRow(row)
    window.editor.tabs.setCurrentWidget(window.editor.editors["market"])
    return window.editor.list_prices


def test_an_output_price_typed_for_deepseek_v3_moves_the_verdict_and_is_saved(qtbot, window, tmp_path) -> None:
    section = show_market_of(qtbot, window, V3)
    assert_titled(section, f"List prices of {window.session.comparison.scenarios[V3].name}")
    assert section.form.isVisible() and not section.basis_note.isVisible()  # the shipped market prices by list
    before = window.charts.verdict.text()
    output = window.editor.field("list_price", "usd_per_million_output_tokens")
    assert output.value_edit.text() == "1.1"
    type_into(qtbot, output.value_edit, "40")
    wait_settled(qtbot, window)
    assert window.session.part("list_price").usd_per_million_output_tokens.value == 40
    assert window.charts.verdict.text() != before  # V3 no longer 7x cheaper: its rebound changes
    assert window.actions_.undo.text() == "&Undo Edit Output price (list prices)"
    target = tmp_path / "priced.json"
    assert window.files.save_as(target)
    saved = json.loads(target.read_text())["scenarios"][V3]["list_price"]
    assert saved["usd_per_million_output_tokens"]["value"] == 40
    window.actions_.undo.trigger()
    wait_settled(qtbot, window)
    assert window.charts.verdict.text() == before
    assert output.value_edit.text() == "1.1"


def test_the_section_follows_the_selected_scenario_and_the_price_basis(qtbot, window) -> None:
    section = show_market_of(qtbot, window, 0)
    output = window.editor.field("list_price", "usd_per_million_output_tokens")
    assert_titled(section, f"List prices of {window.session.comparison.scenarios[0].name}")
    assert output.value_edit.text() == "3.5"
    window.scenario_list.list.setCurrentRow(V3)
    assert output.value_edit.text() == "1.1" and "DeepSeek-V3" in section.title()
    window.editor.editors["market"].form.choices[("price_basis",)].setCurrentText("cost")
    wait_settled(qtbot, window)
    assert section.basis_note.isVisible() and "not used" in section.basis_note.text()
    window.scenario_list.addRequested.emit()  # a new scenario has no list prices
    window.edits.add_dialog.accept()
    wait_settled(qtbot, window)
    window.scenario_list.list.setCurrentRow(len(window.session.comparison.scenarios) - 1)
    assert section.missing_note.isVisible() and not section.form.isVisible()


def test_a_negative_price_typed_is_refused_as_a_file_would_be(qtbot, window) -> None:
    show_market_of(qtbot, window, 0)  # Llama 3.1 405B, whose input price has a range (1 to 3.5)
    price = window.editor.field("list_price", "usd_per_million_input_tokens")
    assert price.low_edit.text() == "1"
    type_into(qtbot, price.value_edit, "-2")
    assert price.error == "value −2 is negative: input price must be >= 0 and <= 10,000"
    assert window.session.part("list_price").usd_per_million_input_tokens.value == 3.5
