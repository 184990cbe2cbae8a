"""The answer at the top of the window: a headline per scenario and its dot-and-whisker chart."""

from __future__ import annotations

import re

from gui_fixtures import make_window, wait_settled, window  # fixtures
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QGuiApplication

from app.engine.results import Band
from app.numbers import number, signed, span, times
from app.report.headline import HeadlineRow, headline_detail, headline_title
from app.report.verdict import verdict


def show_at(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height, timeout=5000)
    wait_settled(qtbot, window)


def test_the_headline_and_its_chart_are_in_view_at_laptop_size(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    strip = window.charts.headline
    assert strip.isVisible() and strip.height() >= 60
    top_left = strip.mapTo(window, strip.rect().topLeft())
    bottom_right = strip.mapTo(window, strip.rect().bottomRight())
    assert window.rect().contains(top_left) and window.rect().contains(bottom_right)
    assert bottom_right.y() < window.height() / 2  # the answer first, the charts after
    text = strip.text()
    assert len(strip.rows) == len(window.comparison.scenarios) - 1
    assert re.search(r"DeepSeek-V3 uses [\d.]+× \([\d.]+–[\d.]+×\) the energy of Llama 3\.1 405B over 5 years",
                     text), text
    assert "% of plausible cases" in text


def test_the_headline_is_the_verdicts_figure(window) -> None:
    inputs = window.charts.inputs
    expected = verdict(inputs.figures, 1)
    row = window.charts.headline.rows[0]
    assert row.ratio == expected.energy_ratio and row.probability_more == expected.probability_more_energy


def test_the_refined_headline_names_the_elasticity_at_which_it_flips(qtbot, window) -> None:
    wait_settled(qtbot, window)
    v3 = window.charts.headline.rows[0]
    assert v3.flip is not None and v3.flip.label == "price elasticity"
    assert -5 < v3.flip.value < 0
    # The most visible line names a price elasticity; its tooltip says in plain words what that is.
    assert "price elasticity of demand is how strongly use responds to price" in window.charts.headline.toolTip()
    inside = "within" if v3.flip.within_range else "outside"
    assert f"flips at a price elasticity of {signed(v3.flip.value)} ({inside} its range" in window.charts.headline.text()


def test_copy_verdict_puts_the_headline_and_its_details_on_the_clipboard(window) -> None:
    window.charts.headline.copyRequested.emit()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(window.charts.headline.text())
    assert "Rebound: price elasticity" in copied


def test_the_details_are_folded_until_asked_for(qtbot, window) -> None:
    assert not window.charts.details.isVisible()
    window.charts.details_button.click()
    qtbot.waitUntil(window.charts.details.isVisible, timeout=2000)
    details = window.charts.verdict.text().splitlines()
    assert any(line.startswith("Price per query at launch") for line in details)
    assert not any(line.startswith("Over 5 years") for line in details)  # the headline says it once


@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False))
def test_a_number_never_reads_in_e_notation(value: float) -> None:
    for text in (times(value), number(value), number(-value, 2), span(-value, value)):
        assert "e" not in text and "E" not in text, text
    assert float(number(value, 6).replace(",", "").split(" ")[0]) > 0


def test_numbers_use_a_true_minus_and_en_dashes() -> None:
    row = HeadlineRow("B", "#009e73", "A", 5.0, Band(1.37, 0.62, 3.07), True, 0.74)
    # A Monte Carlo median to two significant figures, as its band (it read 1.37×, a precision the sampling
    # does not have: the DeepSeek question's V3 reads 0.441-0.454× over seeds 0-7); a central value to three.
    assert headline_title(row) == "B uses 1.4× (0.62–3.1×) the energy of A over 5 years"
    central = HeadlineRow("B", "#009e73", "A", 5.0, Band(1.37, 1.37, 1.37), False, 0.0)
    assert headline_title(central) == "B uses 1.37× the energy of A over 5 years"
    assert headline_detail(row) == "More energy in 74 % of plausible cases."
    assert signed(-0.397) == "−0.40" and signed(0.0) == "0.00" and signed(-0.001) == "0.00"
    assert span(-0.69, -0.029) == "−0.69 to −0.029" and span(200, 5000) == "200 to 5,000"
    assert number(3.8e25, 2) == "3.8 × 10²⁵" and number(160.2) == "160" and number(45.6e6) == "45,600,000"


def test_the_comparisons_own_description_is_one_click_away(qtbot, window) -> None:
    charts = window.charts
    assert charts.about_button.isVisible() and charts.about_button.text() == "About: The DeepSeek question"
    assert not charts.about.isVisible()
    charts.about_button.click()
    qtbot.waitUntil(charts.about.isVisible, timeout=2000)
    assert charts.about.text() == window.comparison.description


def test_a_share_near_none_or_all_is_not_rounded_to_never_or_always() -> None:
    from app.numbers import percent

    assert [percent(s) for s in (0.0, 0.001, 0.74, 0.996, 1.0)] == ["0 %", "<1 %", "74 %", ">99 %", "100 %"]


def test_a_ratio_far_below_the_baseline_is_drawn_where_it_is_not_at_the_axis_edge() -> None:
    """V3 at 0.003x was drawn at 0.01x, the axis's end, without a word."""
    from app.render.verdict_strip import ratio_range

    row = HeadlineRow("B", "#009e73", "A", 5.0, Band(0.003, 0.002, 0.005), True, 0.0)
    low, high = ratio_range([row])
    assert low <= 0.002 and high >= 2.0


def test_the_strip_s_axis_names_the_baseline_in_a_narrow_window(qapp) -> None:
    """At 800 px the axis read "energy relative to Llama …", hiding which model 1× is (a review's finding;
    fails before): the words around the name give way first."""
    from PySide6.QtGui import QFont, QFontMetrics

    from app.render.verdict_strip import axis_caption

    metrics = QFontMetrics(QFont())
    full = "energy relative to Llama 3.1 405B (log scale)"
    assert axis_caption("Llama 3.1 405B", metrics, metrics.horizontalAdvance(full)) == full
    narrow = metrics.horizontalAdvance("energy relative to Llama") + 4
    assert axis_caption("Llama 3.1 405B", metrics, narrow) == "× Llama 3.1 405B"
