"""The window on a laptop screen: charts keep a readable size, names stay readable."""

from __future__ import annotations

import re

import pytest
from gui_fixtures import make_window, wait_laid_out, wait_settled, window  # fixtures

from app.domain.scenario_names import short_names
from app.gui.editors.preset_form import PresetForm
from app.gui.editors.quantity_field import QuantityField
from app.gui.main_window import inputs_panel_sizes
from app.render.plots.base import ChartView
from app.session.options import launcher_parser

LAPTOP_SIZES = [(1280, 720), (1366, 768)]


def show_at(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    window.splitter.setSizes(inputs_panel_sizes(width))
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height, timeout=5000)
    wait_laid_out(qtbot)


@pytest.mark.parametrize(("width", "height"), LAPTOP_SIZES)
def test_plot_panels_keep_a_readable_size_on_a_laptop_screen(qtbot, window, width, height) -> None:
    show_at(qtbot, window, width, height)
    for chart in window.charts.charts:
        for plot in chart._plots:
            box = plot.vb.sceneBoundingRect()
            assert box.height() >= 0.6 * ChartView.PANEL_MIN_HEIGHT, (chart.chart_id, box)
            assert box.width() >= 120, (chart.chart_id, box)
    # The charts scroll rather than squash: the panel is taller than the window shows.
    scroll = window.charts.scroll
    assert scroll.verticalScrollBar().maximum() > 0


@pytest.mark.parametrize("width", [800, 1280])
def test_the_charts_fit_the_panel_width_without_scrolling_sideways(qtbot, window, width) -> None:
    show_at(qtbot, window, width, 600)
    scroll = window.charts.scroll
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0  # every chart title is seen whole


def test_long_scenario_names_never_widen_the_window_past_800_pixels(qtbot, make_window) -> None:
    """The editors' sections are titled with the scenario's name, and a group box is as wide as its title:
    the training race's "DeepSeek-V3, re-spent and copied by new labs" made the window at least 822 px wide
    (fails before)."""
    window = make_window(example="training-race")
    show_at(qtbot, window, 800, 600)
    assert window.minimumSizeHint().width() <= 800 and window.width() == 800


def test_a_wide_inputs_panel_from_a_larger_screen_never_pushes_the_charts_sideways(qtbot, window) -> None:
    window.resize(800, 600)
    window.splitter.setSizes([600, 200])  # as restored from a session on a wider screen
    qtbot.waitUntil(lambda: window.width() == 800, timeout=5000)
    wait_laid_out(qtbot)
    scroll = window.charts.scroll
    assert scroll.horizontalScrollBar().maximum() == 0  # the inputs panel gave way, not the charts
    assert window.splitter.sizes()[0] >= 300


def test_panel_sizes_saved_in_a_narrow_window_never_stack_the_charts_of_a_wide_one(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    from app.gui.view_state import restore_splitters

    show_at(qtbot, window, 800, 600)
    top = window.charts.top
    assert top.orientation() == Qt.Orientation.Vertical  # stacked: too narrow for two
    window.save_layout()  # Qt's splitter state holds the orientation along with the sizes
    show_at(qtbot, window, 1280, 720)
    assert top.orientation() == Qt.Orientation.Horizontal
    restore_splitters(window._splitters, window.settings)  # as a new window restores them, after its resize
    assert top.orientation() == Qt.Orientation.Horizontal  # training and inference stay side by side


def test_a_long_range_is_shown_whole_not_cut_to_a_smaller_number(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Market"))
    field = next(f for f in window.editor.findChildren(QuantityField) if f.spec.name == "peak_queries_per_day")
    qtbot.waitUntil(field.isVisible, timeout=5000)
    assert field.high_edit.text() == "20,000,000,000"  # the shipped market's range
    for edit in (field.low_edit, field.high_edit):
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.text()), edit.text()
    short = next(f for f in window.editor.findChildren(QuantityField) if f.spec.name == "price_elasticity")
    assert short.low_edit.width() <= 76  # short numbers keep the compact box


def test_a_legend_never_takes_the_plots_room(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    for chart in window.charts.charts:
        legend_height = sum(legend.boundingRect().height() for legend in chart._legends)
        plot_height = max(plot.vb.sceneBoundingRect().height() for plot in chart._plots)
        assert legend_height < 1.5 * plot_height, chart.chart_id


def test_the_inputs_panel_is_narrower_on_a_laptop_yet_shows_every_unit_whole(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    assert window.splitter.sizes()[0] <= 440  # the charts keep their side-by-side width
    assert window.inputs_panel.width() >= 420
    fields = [f for f in window.editor.findChildren(QuantityField) if f.isVisible()]
    assert len(fields) > 10
    for field in fields:  # "B params", "bytes/token": a unit cut short misleads
        assert field.unit_label.width() >= field.unit_label.sizeHint().width(), field.spec.name


def test_narrow_bars_are_numbered_and_the_legend_names_them(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    chart = window.charts.training
    ticks = [label for _x, label in chart._panels[0].plot.getAxis("bottom")._jevons_ticks[0]]
    assert ticks == ["1", "2", "3"]
    legend = [label.text for _sample, label in chart._legend.items]
    assert "1  Llama 3.1 405B" in legend and "3  DeepSeek-R1" in legend
    # Every panel of the chart numbers alike, so one key serves them all.
    assert all(panel.numbered for panel in chart._panels)


def test_wide_bars_show_short_names_with_no_key(qtbot, window) -> None:
    window.charts.training.resize(1800, 700)
    qtbot.waitUntil(lambda: not window.charts.training._panels[0].numbered, timeout=5000)
    chart = window.charts.training
    ticks = [label for _x, label in chart._panels[0].plot.getAxis("bottom")._jevons_ticks[0]]
    assert ticks == ["Llama 3.1 405B", "DeepSeek-V3", "DeepSeek-R1"]
    assert not any(label.text.startswith("1 ") for _sample, label in chart._legend.items)


def test_summary_rows_are_told_apart_at_a_glance(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    table = window.charts.summary
    names = [table.cell_text(r, 0) for r in range(table.rowCount())]
    assert names[1].startswith("2  DeepSeek-V3") and names[2].startswith("3  DeepSeek-R1")
    assert "…" not in "".join(names)
    # The whole name is one hover away.
    assert "DeepSeek-R1 (reasoning) on H800" in table.item(2, 0).toolTip()


def test_every_summary_column_reads_whole_at_1280_by_720_without_scrolling(qtbot, window) -> None:
    """The reviewer had to scroll sideways to reach the Rebound column; units now head their columns."""
    show_at(qtbot, window, 1280, 720)
    table = window.charts.summary
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= table.viewport().width()
    for column in range(table.columnCount()):  # sized to its contents: nothing elided
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    assert table.horizontalHeaderItem(1).text() == "Training + R&D\nGWh"
    assert re.fullmatch(r"[\d.]+  \(0\.\d+×\)", table.cell_text(1, 1))  # '13.7  (0.087×)': the unit is above
    header, rows = table.display_rows()  # the report's table: headers on one line, the baseline starred as said
    assert header[:2] == ["Scenario (★ baseline)", "Training + R&D (GWh)"] and rows[0][0].endswith("on H100  ★")


def test_training_phase_legend_matches_the_bars(window) -> None:
    """Each phase is the same shade of its scenario's colour in every bar, and that shade of grey in the key."""
    import pyqtgraph as pg

    from app.render.plots.items import LEGEND_GREY, phase_shade

    panel = window.charts.training._panels[0]
    colors = [s.color for s in window.comparison.scenarios]
    for index, (bar, proxy) in enumerate(zip(panel.bars, panel.legend_proxies, strict=True)):
        assert [b.color() for b in bar.opts["brushes"]] == [phase_shade(c, index) for c in colors]
        assert pg.mkBrush(proxy.opts["brush"]).color() == phase_shade(LEGEND_GREY, index)


def test_a_model_that_does_not_reason_never_sets_the_reasoning_length_range(window) -> None:
    """Llama 3.1 405B does not reason: its what-if curve is dashed and drawn within the range DeepSeek-R1's
    curve sets (it read 200 Wh at 32k tokens, and R1's curve lay flat under it); R1's marker stays on its curve."""
    from PySide6.QtCore import Qt

    from app.render.plots.items import value_at

    chart = window.charts.inference
    data, (x_scale, y_scale) = chart._data, chart._scales
    llama, r1 = data.vs_reasoning[0], data.vs_reasoning[2]
    assert data.own_reasoning[0] is None and data.own_reasoning[2] is not None
    _, (_, top) = chart._curve_plot.vb.viewRange()
    assert float(r1.p95.max()) / y_scale.factor <= top < float(llama.median.max()) / y_scale.factor
    assert top * y_scale.factor < 2 * float(r1.p95.max())  # R1's curve fills the panel
    assert chart._curves[0].curve.opts["pen"].style() == Qt.PenStyle.DashLine
    assert chart._curves[2].curve.opts["pen"].style() == Qt.PenStyle.SolidLine
    tokens, wh = data.own_reasoning[2]
    marker = chart._own.data[0]
    assert (marker["x"] * x_scale.factor, marker["y"] * y_scale.factor) == pytest.approx((tokens, wh))
    assert value_at(r1, tokens) == pytest.approx(wh)
    legend = [label.text for _sample, label in chart._legend.items]
    assert "dashed: if the model reasoned (it does not)" in legend
    said = chart.readout(chart._curve_plot, 8000 / x_scale.factor, 1.0).splitlines()
    assert any(line.startswith("  Llama 3.1 405B") and line.endswith("per query if it reasoned (it does not)") for line in said)
    assert any(line.startswith("  DeepSeek-R1") and line.endswith("Wh per query") for line in said)


def test_a_what_if_curve_lying_on_a_reasoning_model_s_is_drawn_on_top(window) -> None:
    """DeepSeek-V3's what-if curve is R1's own (one model, one deployment): drawn beneath it, the V3 the legend
    listed could not be seen (a review's finding; fails before). Its dashes lie above every solid curve and
    below the own-reasoning marks."""
    from app.render.plots.items import value_at

    chart = window.charts.inference
    data = chart._data
    v3, r1 = data.vs_reasoning[1], data.vs_reasoning[2]
    assert data.own_reasoning[1] is None
    assert [value_at(v3, t) for t in (2000, 8000)] == pytest.approx([value_at(r1, t) for t in (2000, 8000)], rel=0.01)
    z = [chart._curves[i].curve.zValue() for i in range(3)]
    assert z[1] > z[2] and z[0] > z[2] and max(z) < chart._own.zValue()


def test_inference_part_legend_matches_the_bars(window) -> None:
    panel = window.charts.inference._bars
    for bar, proxy in zip(panel.bars, panel.legend_proxies, strict=True):
        assert bar.opts["brush"] is not None and bar.opts["brush"] == proxy.opts["brush"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Llama 3.1 405B (dense) on H100", "DeepSeek-V3 (mixture of experts) on H800"], ["Llama 3.1 405B", "DeepSeek-V3"]),
        (["DeepSeek-R1 on H800", "DeepSeek-R1 on B200"], ["DeepSeek-R1 on H800", "DeepSeek-R1 on B200"]),
        (["A (x)", "A (y)"], ["A (x)", "A (y)"]),
        (["Same", "Same", "Other"], ["Same #1", "Same #2", "Other"]),
    ],
)
def test_short_names_tell_scenarios_apart(names, expected) -> None:
    assert short_names(names) == expected


def test_screenshot_size_option() -> None:
    assert launcher_parser().parse_args(["--size", "1280x720"]).size == (1280, 720)
    with pytest.raises(SystemExit):
        launcher_parser().parse_args(["--size", "big"])


def test_the_summary_says_how_each_scenario_is_served(window) -> None:
    """The replica and batch the engine used are one hover away on the per-query figure."""
    tip = window.charts.summary.item(1, 2).toolTip()
    assert "accelerators per replica" in tip and "sequences decoded together" in tip
    assert "Deployment" in [window.editor.tabs.tabText(i) for i in range(window.editor.tabs.count())]


def test_names_follow_the_hardware_and_model_unless_renamed(qtbot, window) -> None:
    window.session.selected = 2
    window.editor.presetChosen.emit("hardware", "b200")
    assert window.comparison.scenarios[2].name == "DeepSeek-R1 (reasoning) on B200"
    window.editor.presetChosen.emit("model", "deepseek-v3")
    assert window.comparison.scenarios[2].name.endswith(" on B200")
    assert not window.comparison.scenarios[2].name.startswith("DeepSeek-R1")
    window.scenario_list.renameRequested.emit(2, "My own")
    window.editor.presetChosen.emit("hardware", "h100-sxm")
    assert window.comparison.scenarios[2].name == "My own"  # the user's name is kept
    window.undo()
    window.undo()
    assert window.comparison.scenarios[2].name.endswith(" on B200")
    wait_settled(qtbot, window)


def test_duplicates_are_numbered_not_stacked(qtbot, window) -> None:
    window.scenario_list.duplicateRequested.emit(0)
    window.scenario_list.duplicateRequested.emit(1)
    names = [s.name for s in window.comparison.scenarios]
    assert "Llama 3.1 405B (dense) on H100 (copy)" in names
    assert "Llama 3.1 405B (dense) on H100 (copy 2)" in names
    assert not any("(copy) (copy)" in name for name in names)
    wait_settled(qtbot, window)


@pytest.mark.parametrize(("name", "short"), [("NVIDIA H800 SXM 80GB", "H800"), ("NVIDIA B200 (HGX/DGX B200)", "B200"),
                                             ("Google TPU v5p", "TPU v5p"), ("AMD Instinct MI300X", "MI300X")])
def test_short_hardware_names(name, short) -> None:
    from app.domain.scenario_names import short_hardware

    assert short_hardware(name) == short


def _scroll_area_of(widget):
    from PySide6.QtWidgets import QScrollArea

    while widget is not None and not isinstance(widget, QScrollArea):
        widget = widget.parentWidget()
    return widget


def test_long_numbers_wrap_under_their_value_instead_of_pushing_the_form_sideways(qtbot, window) -> None:
    """At 1280x720 the Market tab's peak queries (three 11-digit numbers) used to make the whole form
    wider than the panel: it scrolled sideways and hid every row's unit. Now that row's range and
    unit go under its value, and every unit on the tab is in view."""
    show_at(qtbot, window, 1280, 720)
    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Market"))
    peak = next(f for f in window.editor.findChildren(QuantityField) if f.spec.name == "peak_queries_per_day")
    qtbot.waitUntil(peak.isVisible, timeout=5000)
    wait_laid_out(qtbot)
    scroll = _scroll_area_of(peak)
    assert scroll.horizontalScrollBar().maximum() == 0
    assert peak.low_edit.mapTo(peak, peak.low_edit.rect().topLeft()).y() > peak.value_edit.geometry().bottom()
    for edit in (peak.value_edit, peak.low_edit, peak.high_edit):
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.text()), edit.text()  # whole numbers
    viewport = scroll.viewport()
    for field in (f for f in scroll.widget().findChildren(QuantityField) if f.isVisible()):
        unit = field.unit_label
        right = unit.mapTo(viewport, unit.rect().topRight()).x()
        assert right <= viewport.width(), f"{field.spec.name}: its unit is out of view"


def test_a_short_quantity_keeps_value_range_and_unit_on_one_line(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    field = next(f for f in window.editor.findChildren(QuantityField) if f.isVisible() and f.spec.unit)
    top = field.value_edit.mapTo(field, field.value_edit.rect().topLeft()).y()
    assert field.low_edit.mapTo(field, field.low_edit.rect().topLeft()).y() == top
    assert field.unit_label.mapTo(field, field.unit_label.rect().topLeft()).y() >= top - 4
    assert field.height() < 2 * field.value_edit.height()


def test_a_long_preset_name_reads_from_its_start(qtbot, window) -> None:
    show_at(qtbot, window, 1280, 720)
    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Market"))

    def shown_names() -> list:  # the tab builds its form on first show
        return [f.texts[("name",)] for f in window.editor.findChildren(PresetForm) if ("name",) in f.texts and f.texts[("name",)].isVisible()]

    qtbot.waitUntil(lambda: bool(shown_names()), timeout=5000)
    name = shown_names()[0]
    assert name.fontMetrics().horizontalAdvance(name.text()) > name.width()  # the shipped market's name is long
    assert name.cursorPosition() == 0


def test_an_unset_precision_reads_not_set_and_can_be_set_and_unset(qtbot, window) -> None:
    """The automatic deployment leaves its precisions unset (the model's apply): the form said "fp32",
    the first choice, which was neither what it holds nor what the engine used."""
    from app.gui.editors.preset_form import NOT_SET

    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Deployment"))
    qtbot.waitUntil(lambda: ("weight_precision",) in window.editor._form("deployment").choices, timeout=5000)
    combo = window.editor._form("deployment").choices[("weight_precision",)]
    deployment = window.session.part("deployment")
    assert deployment.weight_precision is None
    assert combo.currentText() == NOT_SET
    combo.setCurrentIndex(combo.findText("fp8"))
    qtbot.waitUntil(lambda: window.session.part("deployment").weight_precision == "fp8", timeout=5000)
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.session.part("deployment").weight_precision is None, timeout=5000)
    window.undo()
    qtbot.waitUntil(lambda: combo.currentText() == "fp8", timeout=5000)


def test_a_choice_reads_in_words_and_stores_the_files_value(qtbot, window) -> None:
    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Deployment"))
    qtbot.waitUntil(lambda: ("per_server_dispatch",) in window.editor._form("deployment").choices, timeout=5000)
    combo = window.editor._form("deployment").choices[("per_server_dispatch",)]
    assert [combo.itemText(i) for i in range(combo.count())] == ["none", "prefill", "prefill and decode"]
    combo.setCurrentIndex(combo.findText("prefill and decode"))
    qtbot.waitUntil(lambda: window.session.part("deployment").per_server_dispatch == "prefill_and_decode", timeout=5000)


@pytest.mark.parametrize(("width", "height"), LAPTOP_SIZES)
def test_every_editor_tab_is_in_view_with_its_whole_name(qtbot, window, width, height) -> None:
    """The Market tab, which holds the price elasticity that decides the verdict, used to sit behind
    the tab bar's scroll arrows at 1280 px."""
    show_at(qtbot, window, width, height)
    bar = window.editor.tabs.tabBar()
    for index in range(bar.count()):
        rect = bar.tabRect(index)
        assert bar.rect().contains(rect), bar.tabText(index)
        assert rect.width() >= bar.fontMetrics().horizontalAdvance(bar.tabText(index)), bar.tabText(index)


def test_the_demand_curve_shows_its_midpoint_and_growth_rate(qtbot, window) -> None:
    """Both the logistic and the users curve have a midpoint month: the logistic page's boxes were
    left empty (the users page's hidden copies took the values) and typing there edited nothing."""
    show_at(qtbot, window, 1280, 720)
    tabs = window.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Market"))
    midpoint = window.editor.editors["market"].form.field("demand", "midpoint_month")
    qtbot.waitUntil(midpoint.isVisible, timeout=5000)
    assert (midpoint.value_edit.text(), midpoint.low_edit.text(), midpoint.high_edit.text()) == ("32", "28", "40")
    growth = window.editor.editors["market"].form.field("demand", "growth_rate_per_month")
    assert growth.isVisible() and growth.value_edit.text() == "0.2"
    before = window.comparison
    midpoint.value_edit.setText("30")
    midpoint.commit()
    wait_settled(qtbot, window)
    assert window.comparison != before
    assert window.editor.editors["market"].form.field("demand", "midpoint_month").value_edit.text() == "30"


def test_the_summary_fits_an_800_px_window_without_scrolling_sideways(qtbot, window) -> None:
    """At 800 x 720 the summary scrolled sideways (721 px of columns in a 392 px view): it now takes its narrow
    form, each name on a line of its own and each ratio or range under its figure, and leaves nothing out."""
    show_at(qtbot, window, 800, 720)
    table = window.charts.summary
    header = table.horizontalHeader()
    shown_columns = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown_columns) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    shown = "\n".join(table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                      if table.item(r, c) is not None)
    for row in range(3):  # every figure, ratio, range and name of the wide form is in view
        for column in range(table.columnCount()):
            for part in re.split(r" {2}|(?<=\d) (?=\()", table.cell_text(row, column)):
                assert part in shown, (row, column, part)
    assert "★ baseline" in shown  # the wide form's header says what the star means; the narrow form's names do
    assert all(re.search(r"\n(GWh|Wh|TWh|MtCO₂e)$", table.horizontalHeaderItem(c).text()) for c in range(1, 5))
    long_name = "DeepSeek-V3 served from a datacentre with a name far longer than the figures under it"
    window.scenario_list.renameRequested.emit(1, long_name)  # a name wider than the table
    wait_settled(qtbot, window)
    assert long_name in table.item(2, 0).text() and table.horizontalScrollBar().maximum() == 0
    window.undo()
    wait_settled(qtbot, window)
    show_at(qtbot, window, 1280, 720)  # room again: the wide form, one row per scenario
    assert not table.narrow and table.rowCount() == 3 and table.horizontalHeaderItem(1).text() == "Training + R&D\nGWh"
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) <= table.viewport().width()


def test_the_narrow_summary_spreads_its_columns_over_the_panel_so_long_names_read_whole(qtbot, make_window) -> None:
    """At 1280 x 720 the training race's four long names take the narrow form, which took only its columns'
    contents (about 790 of 830 px): the baseline's name row, across the table, was cut to "★ bas…" beside
    empty room (fails before). The figure columns now share the spare width; at 800 x 720 nothing scrolls."""
    window = make_window(example="training-race")
    show_at(qtbot, window, 1280, 720)
    table = window.charts.summary
    header = table.horizontalHeader()
    assert table.narrow
    shown_columns = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown_columns) == table.viewport().width()
    assert header.length() == table.viewport().width()  # from the left edge: the hidden name column takes no room
    for column in shown_columns:  # every figure still has at least its contents' width
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    baseline = table.item(0, 0)
    assert baseline.text().endswith("★ baseline")
    name_width = table.sizeHintForIndex(table.model().index(0, 0)).width()
    assert table.visualRect(table.model().index(0, 0)).width() >= name_width  # the name row reads whole
    show_at(qtbot, window, 800, 720)
    assert table.narrow and table.horizontalScrollBar().maximum() == 0
    assert sum(header.sectionSize(c) for c in shown_columns) <= table.viewport().width()


def test_what_matters_most_names_every_input_in_an_800_px_window_and_keeps_1280_as_it_was(qtbot, window) -> None:
    """At 800 x 720 What matters most is 380 px wide and its labels wanted 403 px: the label axis took them
    whole and the chart cut them at its edge, leaving 40 px for the bars. The labels now take at most about
    half the chart, each cut at its end to fit (the range kept where it leaves the name room), their full text
    in the readout over them; at 1280 x 720 they are whole on an axis as wide as before."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFont, QFontMetrics

    from app.render.plots.interaction import readout_at
    from app.render.plots.tornado import TICK_LABEL_MARGIN, tick_parts

    window.charts.bottom.setCurrentIndex(1)
    wait_settled(qtbot, window)
    tornado = window.charts.tornado
    bars = window.charts.inputs.tornado.bars
    parts = [tick_parts(bar.label, bar.low, bar.high, bar.unit) for bar in bars]
    axis = tornado._plot.getAxis("left")
    metrics = QFontMetrics(axis.style["tickFont"] or QFont())

    def labels() -> list[str]:
        return [text for _, text in axis._tickLevels[0]]

    show_at(qtbot, window, 800, 720)
    box = axis.sceneBoundingRect()
    assert box.left() >= 0 and box.right() <= tornado.viewport().width()  # the labels end inside the chart
    assert tornado._plot.vb.width() >= 0.35 * tornado.width()  # and the bars keep room
    shown = labels()
    assert len(shown) == len(bars)
    assert all(metrics.horizontalAdvance(text) + 2 * TICK_LABEL_MARGIN <= axis.width() for text in shown)
    assert any(text.endswith("…") for text in shown)  # cut, not dropped: each starts as its name does
    assert all(text.startswith(name.removesuffix("…")[:8]) for text, (name, _) in zip(shown, parts, strict=True))
    top = tornado._plot.vb.mapViewToScene(QPointF(0, len(bars) - 1))  # the first bar's row
    over_label = readout_at(tornado, QPointF(box.center().x(), top.y()))
    assert over_label.startswith(bars[0].label)  # its full name, over its label
    show_at(qtbot, window, 1280, 720)
    whole = [f"{name} {values}" for name, values in parts]
    assert labels() == whole
    assert axis.width() == max(120, max(metrics.horizontalAdvance(text) for text in whole) + 2 * TICK_LABEL_MARGIN)


def test_the_fold_titles_read_whole_in_an_800_px_window(qtbot, window) -> None:
    """At 800 x 720 the two folds above the summary shared a line and read "About: The…k question" and
    "Rebound, prices …yday equivalents" (fails before): they now go one under the other and read whole, and
    a title too long even for its own line is cut at a word on the right, whole in its tooltip."""
    charts = window.charts
    about, details = charts.about_button, charts.details_button
    show_at(qtbot, window, 800, 720)
    assert about.text() == "About: The DeepSeek question" == about.toolTip()
    assert details.text() == "Rebound, prices and everyday equivalents" == details.toolTip()
    assert all(button.width() >= button.sizeHint().width() for button in (about, details))  # room for the whole
    assert details.geometry().top() >= about.geometry().bottom()  # on a line of its own
    name = "DeepSeek V3 and R1 against Llama 3.1 405B on the same racks"
    charts.set_about(name, window.comparison.description)
    wait_laid_out(qtbot)
    shown, title = about.text(), f"About: {name}"
    assert shown.endswith("…") and title.startswith(shown[:-1]) and title[len(shown) - 1] == " "  # at a word
    assert about.toolTip() == title == about.accessibleName() and about.geometry().right() <= charts.folds.width()
    show_at(qtbot, window, 1280, 720)  # room: side by side, whole
    assert about.text() == title and details.text() == "Rebound, prices and everyday equivalents"
    assert about.geometry().top() == details.geometry().top() and about.geometry().right() < details.geometry().left()
