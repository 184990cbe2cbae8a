"""Numbers and names as a reader expects them: one unit per column, separators, human labels."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from gui_fixtures import make_window, wait_settled, window  # fixtures
from PySide6.QtCore import Qt

from app.domain.field_labels import path_label
from app.gui.editors.quantity_field import QuantityField, format_number, parse_number
from app.report.chart_data import sampled_median
from app.report.units import choose_scale, format_in


def test_each_summary_column_uses_one_unit_named_in_its_header(window) -> None:
    table = window.charts.summary
    for column in range(1, 5):
        unit = table.horizontalHeaderItem(column).text().split("\n")[1]
        assert unit in ("GWh", "Wh", "TWh", "MtCO₂e"), unit
        for r in range(table.rowCount()):  # a number (and its ratio), in the header's unit
            float(table.cell_text(r, column).split("  (")[0].replace(",", ""))


def test_the_training_cell_says_what_it_is_made_of(window) -> None:
    """Llama's 159 GWh of training is 72 % experiment overhead, an assumed multiple of pre-training, and
    44 GWh its published run: a reader quoting the total should see that (a reviewer's finding; fails before)."""
    tip = window.charts.summary.item(0, 1).toolTip()
    assert tip.startswith("Training + R&D\nmedian ")
    phases = dict(line.strip().split(": ") for line in tip.split("By phase")[1].splitlines()[1:5])
    assert list(phases) == ["Pre-training", "SFT", "RL post-training", "R&D and experiments"]
    assert all(value.endswith("Wh") for value in phases.values())
    assert "(R&D and experiments: an assumed multiple of pre-training)" in tip


def test_a_value_in_a_column_unit() -> None:
    scale = choose_scale([0.934, 3.22, 16.6], "Wh")
    assert [format_in(v, scale) for v in (0.934, 3.22)] == ["0.934 Wh", "3.22 Wh"]


@pytest.mark.parametrize(("number", "text"), [(5e9, "5,000,000,000"), (30_840_000, "30,840,000"), (8192, "8192"),
                                              (0.35, "0.35"), (3.8e25, "3.8e+25"), (-12_500, "-12,500")])
def test_large_numbers_show_thousands_separators_and_read_back(number, text) -> None:
    assert format_number(number) == text
    assert parse_number(text, "value") == number


def test_field_paths_read_as_words() -> None:
    assert path_label("hardware.price_usd_per_hour") == "Rental price (hardware)"
    assert path_label("usage.demand.peak_queries_per_day") == "Peak queries per day (usage)"
    assert path_label("model.reasoning.reasoning_tokens_per_query") == "Reasoning tokens per query (model)"


def show_what_matters_most(qtbot, window) -> None:
    window.charts.bottom.setCurrentIndex(1)  # What matters most is computed once shown
    wait_settled(qtbot, window)


def test_sensitivity_labels_are_words_not_paths(qtbot, window) -> None:
    show_what_matters_most(qtbot, window)
    labels = [bar.label for bar in window.charts.inputs.tornado.bars]
    assert labels and not any("_" in label or re.search(r"[a-z]\.[a-z]", label) for label in labels)


def test_what_matters_most_is_centred_on_the_tables_median(qtbot, window) -> None:
    """At the flip's 200 samples (the window's here) the bars' centre is the table's median itself: one line."""
    show_what_matters_most(qtbot, window)
    inputs = window.charts.inputs
    # The baseline selected, it shows the first verdict: the table's paired ratio of the next scenario.
    verdict = next(row for row in inputs.summary if row.name == inputs.tornado.scenario)
    assert math.isclose(inputs.tornado.central, verdict.ratios["lifetime_wh"].median, rel_tol=1e-9)
    legend = [label.text for _sample, label in window.charts.tornado._legend.items]
    assert any(text.startswith("median over 200 samples, no input pinned (as in the table)") for text in legend)
    assert not window.charts.tornado._median.isVisible()


def test_over_other_samples_the_tables_median_is_drawn_beside_the_centre(qtbot, make_window) -> None:
    window = make_window(samples=120, quick_samples=50)
    show_what_matters_most(qtbot, window)
    inputs = window.charts.inputs
    verdict = next(row for row in inputs.summary if row.name == inputs.tornado.scenario)
    assert math.isclose(sampled_median(inputs), verdict.ratios["lifetime_wh"].median, rel_tol=1e-9)
    legend = [label.text for _sample, label in window.charts.tornado._legend.items]
    assert any(text.startswith("median over 200 samples, no input pinned: ") for text in legend)
    assert any(text.startswith("median over 120 samples (as in the table)") for text in legend)
    assert window.charts.tornado._median.isVisible()


def test_phase_shares_make_small_phases_visible(qtbot, window) -> None:
    chart = window.charts.training
    r1 = 2
    rl = chart._panels[0].bars[2]
    axis_top = chart._panels[0].plot.vb.viewRange()[1][1]
    hairline = float(np.asarray(rl.opts["height"])[r1]) / axis_top
    assert hairline < 0.01  # R1's RL stage: a hairline beside Llama
    chart.shares_button.click()
    assert chart._panels[0].scale.label == "%"
    # Now a share of R1's own total on a 0-100 % axis: ten times taller at least (R&D, drawn with its
    # range since issue 18, takes most of each total, so the share itself is under 1 %).
    assert float(np.asarray(rl.opts["height"])[r1]) / chart._panels[0].plot.vb.viewRange()[1][1] > 10 * hairline
    heights = sum(float(np.asarray(bar.opts["height"])[r1]) for bar in chart._panels[0].bars)
    assert heights == pytest.approx(100.0)


def test_a_value_outside_its_range_drops_the_range_and_says_so(qtbot, window) -> None:
    field = window.editor.field("model", "training", "mfu")
    assert field._quantity.has_range
    field.value_edit.setFocus()
    field.value_edit.selectAll()
    qtbot.keyClicks(field.value_edit, "0.4")  # within 0.34 - 0.43: the range and its source stay
    qtbot.keyClick(field.value_edit, Qt.Key.Key_Return)
    assert (field._quantity.value, field._quantity.low, field._quantity.high) == (0.4, 0.34, 0.43)
    assert field._quantity.source is not None and field.note_label.isHidden()
    wait_settled(qtbot, window)
    field.value_edit.selectAll()
    qtbot.keyClicks(field.value_edit, "0.6")
    qtbot.keyClick(field.value_edit, Qt.Key.Key_Return)
    assert not field.note_label.isHidden()
    assert "0.34 – 0.43" in field.note_label.text() and "removed" in field.note_label.text()
    wait_settled(qtbot, window)
    window.undo()
    assert field._quantity.has_range
    # Undo brings the range back, and with it the note about its removal goes (it stayed on screen).
    assert field.note_label.isHidden() and field.value_edit.text() == "0.4"


def test_undo_clears_a_refused_value_and_its_error(qtbot, window) -> None:
    """An error on refused text stayed on screen, over the value Undo brought back."""
    answer = window.editor.field("usage", "answer_tokens")
    answer.value_edit.setFocus()
    answer.value_edit.selectAll()
    qtbot.keyClicks(answer.value_edit, "600")
    qtbot.keyClick(answer.value_edit, Qt.Key.Key_Return)
    wait_settled(qtbot, window)
    prompt = window.editor.field("usage", "prompt_tokens")
    prompt.value_edit.setFocus()
    prompt.value_edit.selectAll()
    qtbot.keyClicks(prompt.value_edit, "abc")
    qtbot.keyClick(prompt.value_edit, Qt.Key.Key_Return)
    assert prompt.error
    window.undo()
    wait_settled(qtbot, window)
    assert not prompt.error and prompt.value_edit.text() == "1000" and answer.value_edit.text() == "500"


def test_coupled_settings_are_explained_where_they_bite(qtbot, window) -> None:
    notes = window.editor.notes
    # Llama's pre-training is counted from its published accelerator-hours.
    assert not notes["architecture"].isHidden()
    assert "published accelerator-hours (30,840,000)" in notes["architecture"].text()
    assert "changes only inference" in notes["architecture"].text()
    assert notes["reasoning"].isHidden()
    window.scenario_list.selectionChanged.emit(2)  # DeepSeek-R1, a reasoning model, on the chat profile
    assert window.editor.parts["model"].reasoning is not None
    assert window.editor.parts["usage"].reasoning_share.value == 0
    # The market's share of reasoning queries applies, and the Model tab says so.
    assert "market sets the share of reasoning queries (11 %)" in notes["reasoning"].text()
    assert not notes["reasoning"].isHidden()
    wait_settled(qtbot, window)


@pytest.mark.parametrize(("text", "suggestion"), [("14,8", "write 14.8"), ("0,35", "write 0.35"),
                                                  ("1,50,000", "commas only separate thousands"),
                                                  ("3,8e25", "write 3.8e25")])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_with_a_suggestion(text, suggestion) -> None:
    with pytest.raises(ValueError, match="ambiguous") as refused:
        parse_number(text, "value")
    assert suggestion in str(refused.value)


def test_a_single_thousands_comma_is_ambiguous_only_where_decimals_take_a_comma() -> None:
    assert parse_number("1,500", "value") == 1500
    assert parse_number("1,500.5", "value") == 1500.5
    with pytest.raises(ValueError, match="write 1.500 for a decimal"):
        parse_number("1,500", "value", decimal_comma=True)
    assert parse_number("1,500,000", "value", decimal_comma=True) == 1_500_000


def test_typing_14_comma_8_in_the_window_is_refused_and_kept(qtbot, window) -> None:
    """The silent ten-fold trap: '14,8' used to be committed as 148."""
    field = next(f for f in window.editor.findChildren(QuantityField) if f.isVisibleTo(window))
    before = window.comparison
    field.value_edit.setText("14,8")
    field.commit()
    assert "ambiguous" in field.error and "14.8" in field.error
    assert field.value_edit.text() == "14,8" and window.comparison == before


def test_a_sensitivity_tick_says_whose_input_it_is_and_its_unit() -> None:
    """An exported tornado read 'Input price (list prices)… (1 to 3.5)': neither whose price nor its unit
    (a reviewer's finding). The name keeps its trailing scenario and the range its unit; the axis, not a
    character count, decides what is cut (review 21, finding 15)."""
    from app.render.plots.tornado import tick_parts

    assert tick_parts("Input price (list prices) (Llama 3.1 405B)", 1, 3.5, "USD/Mtoken") == (
        "Input price (list prices) (Llama 3.1 405B)", "(1 to 3.5 USD/Mtoken)")
    long = "An input whose name runs on and on past the room (DeepSeek-V3)"
    assert tick_parts(long, 0, 1, "fraction") == (long, "(0 to 1)")


