"""Charts under the mouse, and the menus, shortcuts and dialogs around them."""

from __future__ import annotations

from gui_fixtures import make_window, wait_settled, window  # fixtures
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolButton

from app import __version__
from app.gui import menus
from app.gui.export_dialog import ExportDialog
from app.render.plots.interaction import context_menu, readout_at


def wheel(chart, plot, notches: int = 1) -> None:
    """Turn the mouse wheel over the middle of ``plot`` as a user would."""
    centre = chart.mapFromScene(plot.vb.sceneBoundingRect().center())
    event = QWheelEvent(QPointF(centre), QPointF(chart.viewport().mapToGlobal(centre)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(chart.viewport(), event)


def ranges(plot) -> list[list[float]]:
    return [list(r) for r in plot.vb.viewRange()]


def test_wheel_zooms_and_a_double_click_brings_the_chart_back(qtbot, window) -> None:
    chart = window.charts.adoption
    plot = chart._cumulative
    home = ranges(plot)
    button = chart.findChild(QToolButton, "adoption-totals.reset")
    assert not button.isVisible()
    wheel(chart, plot)
    assert ranges(plot) != home and chart.zoomed
    assert button.isVisible()  # a visible way back
    qtbot.mouseDClick(chart.viewport(), Qt.MouseButton.LeftButton,
                      pos=chart.mapFromScene(plot.vb.sceneBoundingRect().center()))
    assert ranges(plot) == home and not chart.zoomed
    assert not button.isVisible()


def test_the_view_menu_and_the_button_reset_every_chart(qtbot, window) -> None:
    training = window.charts.training
    home = ranges(training._plots[0])
    wheel(training, training._plots[0], 2)
    wheel(window.charts.adoption, window.charts.adoption._rebound)
    assert training.zoomed and window.charts.adoption.zoomed
    window.actions_.reset_views.trigger()
    assert ranges(training._plots[0]) == home
    assert not training.zoomed and not window.charts.adoption.zoomed
    wheel(training, training._plots[0])
    training.findChild(QToolButton, "training-spend.reset").click()
    assert not training.zoomed


def test_a_zoom_survives_a_recompute_and_never_reaches_an_export(qtbot, window, tmp_path) -> None:
    chart = window.charts.adoption
    wheel(chart, chart._cumulative, 2)
    zoomed = ranges(chart._cumulative)
    window.request_computation()
    wait_settled(qtbot, window)
    assert ranges(chart._cumulative) == zoomed  # the user's zoom is kept while they look
    window.exports.export(tmp_path / "zoomed", ["png"], scale=1, chart_ids=["adoption-totals"])
    assert ranges(chart._cumulative) == zoomed  # and given back after the export
    chart.reset_view()
    window.exports.export(tmp_path / "home", ["png"], scale=1, chart_ids=["adoption-totals"])
    exported = QImage(str(tmp_path / "zoomed" / "adoption-totals.png"))
    assert exported == QImage(str(tmp_path / "home" / "adoption-totals.png"))


def test_hover_readout_names_the_series_and_value(qtbot, window) -> None:
    training = window.charts.training
    panel = training._panels[0]
    at_bar = panel.plot.vb.mapViewToScene(QPointF(2, 1))
    text = readout_at(training, at_bar)
    assert "DeepSeek-R1 (reasoning) on H800" in text
    assert "RL post-training" in text and "Wh" in text and "5–95 %" in text
    adoption = window.charts.adoption
    text = readout_at(adoption, adoption._cumulative.vb.mapViewToScene(QPointF(24, 1)))
    assert text.startswith("Month 24") and "Llama 3.1 405B (dense) on H100: inference" in text
    assert readout_at(adoption, QPointF(-50, -50)) == ""  # outside every panel: nothing
    window.charts.bottom.setCurrentIndex(1)  # What matters most is computed once shown
    wait_settled(qtbot, window)
    tornado = window.charts.tornado
    top = len(tornado._data.bars) - 1
    text = tornado.readout(tornado._plot, 0.0, top)
    assert text.startswith(tornado._data.bars[0].label) and "median over 200 samples, no input pinned" in text


def test_context_menu_resets_copies_and_exports_this_chart(qtbot, window, monkeypatch) -> None:
    chart = window.charts.inference
    menu = context_menu(chart)
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Reset view", "Copy image", "Export this chart…"]
    assert not menu.actions()[0].isEnabled()  # nothing to reset yet
    menu.actions()[1].trigger()
    assert not QApplication.clipboard().image().isNull()
    chosen = []
    monkeypatch.setattr(window.exports, "open_export_dialog", chosen.append)
    window.charts.exportRequested.disconnect()
    window.charts.exportRequested.connect(window.exports.open_export_dialog)
    menu.actions()[2].trigger()
    assert chosen == ["inference-cost"]


def test_export_dialog_says_export_preselects_and_asks_before_replacing(qtbot, window, tmp_path) -> None:
    dialog = ExportDialog(window.charts.exportable, str(tmp_path), window, chosen="sensitivity")
    qtbot.addWidget(dialog)
    assert dialog.ok_button.text() == "Export"
    assert dialog.chart_ids == ["sensitivity"]
    for check in dialog.format_checks.values():
        check.setChecked(False)
    dialog.format_checks["csv"].setChecked(True)
    asked = []
    dialog.confirm_overwrite = lambda existing: asked.append(existing) or False
    dialog.accept()
    assert asked == [] and dialog.result() == ExportDialog.DialogCode.Accepted  # nothing to replace: no question
    (tmp_path / "sensitivity.csv").write_text("kept")
    dialog.setResult(0)
    dialog.accept()
    assert [p.name for p in asked[0]] == ["sensitivity.csv"]
    assert dialog.result() != ExportDialog.DialogCode.Accepted  # refused: nothing replaced
    assert (tmp_path / "sensitivity.csv").read_text() == "kept"


def test_help_menu_about_methodology_and_shortcuts(qtbot, window) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Scenario", "&View", "&Help"]
    window.actions_.about.trigger()
    text = window.actions_.help_dialog.text()
    assert __version__ in text and "MIT" in text
    window.actions_.help_dialog.close()
    window.actions_.methodology.trigger()
    browser = window.actions_.help_dialog.findChild(menus.QTextBrowser, "methodology")
    assert browser.toPlainText().startswith("How Jevons computes")  # rendered: no Markdown "#" left
    window.actions_.help_dialog.close()
    window.actions_.reading.trigger()  # F1: how to read the window, for a first-time reader
    reading = window.actions_.help_dialog.findChild(menus.QTextBrowser, "reading").toPlainText()
    assert reading.startswith("Reading the results") and "Glossary" in reading
    for term in ("Mixture of experts", "PUE", "Price elasticity", "Boundary", "Plausible cases", "Service level"):
        assert term in reading, term
    window.actions_.help_dialog.close()
    listed = menus.shortcut_rows(window.actions_, window.scenario_list.actions_.values())
    names = [name for name, _keys in listed]
    # In menu order, as the dialog says: File first, the Scenario menu after Edit, Help last.
    assert names[0] == "New Comparison" and names[-1] == "Reading the Results"
    assert names.index("Copy Table") < names.index("Add Scenario") < names.index("Inputs Panel")
    rows = dict(listed)
    assert rows["Reading the Results"] == "F1"
    assert rows["New Comparison"] == "Ctrl+N" and rows["Add Scenario"] == "Ctrl+Shift+N"
    assert rows["Duplicate Scenario"] == "Ctrl+D"
    assert rows["Remove Scenario"] == "Del" and rows["Reset Chart Views"] == "Ctrl+0"
    window.actions_.shortcuts.trigger()
    assert window.actions_.help_dialog.findChild(menus.QTableWidget, "shortcuts").rowCount() == len(rows)
    window.actions_.help_dialog.close()


def test_scenario_keys_add_duplicate_and_delete(qtbot, window) -> None:
    window.activateWindow()
    window.scenario_list.list.setFocus()
    qtbot.keyClick(window.scenario_list.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(window.comparison.scenarios) == 4 and window.selected == 1
    qtbot.keyClick(window.scenario_list.list, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window.edits.add_dialog.accept()
    assert len(window.comparison.scenarios) == 5
    window.scenario_list.list.setFocus()
    qtbot.keyClick(window.scenario_list.list, Qt.Key.Key_Delete)
    assert len(window.comparison.scenarios) == 4
    wait_settled(qtbot, window)


def test_delete_in_a_text_field_deletes_text_not_the_scenario(qtbot, window) -> None:
    edit = window.editor.editors["model"].form.texts[("name",)]
    edit.setFocus()
    edit.setCursorPosition(0)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert len(window.comparison.scenarios) == 3


def test_toolbar_keeps_its_width_as_the_undo_label_grows(qtbot, window) -> None:
    width = window.actions_.toolbar.sizeHint().width()
    window.scenario_list.renameRequested.emit(0, "A much longer name for the first scenario")
    assert window.actions_.undo.text().startswith("&Undo ")
    assert window.actions_.toolbar.sizeHint().width() == width
    wait_settled(qtbot, window)


def test_busy_indicator_only_while_busy_and_window_icon(qtbot, window) -> None:
    assert not window.busy.bar.isVisible() and not window.busy.shown
    assert not window.windowIcon().isNull()


def test_inputs_panel_hides_and_layout_resets(qtbot, window) -> None:
    window.actions_.inputs_panel.trigger()
    assert not window.inputs_panel.isVisible()
    window.splitter.setSizes([100, 1400])
    window.reset_layout()
    assert window.inputs_panel.isVisible() and window.splitter.sizes()[0] >= 330


def test_every_control_has_an_accessible_name(qtbot, window) -> None:
    from app.gui.accessibility import controls

    window.charts.bottom.setCurrentIndex(1)  # What matters most is built once shown
    wait_settled(qtbot, window)
    found = controls(window)
    assert len(found) > 60
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in found if not w.accessibleName().strip()]
    assert unnamed == []
    field = window.editor.field("model", "training", "mfu")
    assert field.value_edit.accessibleName() == "MFU, value (fraction)"
    assert field.low_edit.accessibleName() == "MFU, low end of range (fraction)"
    names = {w.accessibleName() for w in found}
    assert {"Add", "Duplicate", "Remove"} <= names


def test_open_tabs_metric_and_panels_are_remembered(qtbot, make_window) -> None:
    first = make_window()
    first.editor.tabs.setCurrentIndex(3)
    first.charts.bottom.setCurrentIndex(1)
    first.charts.tornado_metric.setCurrentIndex(first.charts.tornado_metric.findData("wh_per_query"))
    first.charts.training.shares_button.setChecked(True)
    first.actions_.inputs_panel.setChecked(False)
    wait_settled(qtbot, first)
    first.close()
    second = make_window()
    assert second.editor.tabs.currentIndex() == 3
    assert second.charts.bottom.currentIndex() == 1
    assert second.charts.tornado_metric.currentData() == "wh_per_query"
    assert second.charts.training.show_shares
    assert not second.actions_.inputs_panel.isChecked() and not second.inputs_panel.isVisible()


def test_f6_cycles_the_focus_through_the_windows_parts(qtbot, window) -> None:
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    parts = menus.panes(window)
    window.scenario_list.list.setFocus()
    seen = []
    for _ in range(len(parts)):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F6)
        seen.append(QApplication.focusWidget())
    assert seen == [*parts[1:], parts[0]]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is parts[-1]


def test_every_chart_has_a_name_and_a_text_alternative(window) -> None:
    for chart in window.charts.charts:
        assert chart.accessibleName() == chart.title
        said = chart.accessibleDescription()
        assert said.startswith(chart.title + ": ") and "Llama 3.1 405B" in said and "no result" not in said
    training = window.charts.training.accessibleDescription()
    assert "Energy: Pre-training: 44 GWh (43 to 45.9 GWh)" in training  # words and units, as a reader says them
    # One unit for a value and its band ("948 mWh (284 mWh to 2.55 Wh)" mixed prefixes within one figure).
    inference = window.charts.inference.accessibleDescription()
    assert "mWh" not in inference and " Wh (" in inference


def test_copy_table_gives_tab_separated_cells_with_the_header(window) -> None:
    from PySide6.QtGui import QGuiApplication

    window.actions_.copy_table.trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["Scenario (★ baseline)", "Training + R&D (GWh)", "Per query (Wh)"]
    assert len(lines) == 1 + len(window.comparison.scenarios)
    assert lines[1].split("\t")[2] == window.charts.summary.cell_text(0, 2)
    window.actions_.copy_verdict.trigger()
    assert QGuiApplication.clipboard().text().startswith(window.charts.headline.text())


def test_print_paints_the_results_on_the_page(window, tmp_path) -> None:
    from PySide6.QtGui import QImage

    page = QImage(1200, 1600, QImage.Format.Format_RGB32)
    page.fill(0xFFFFFF)
    menus.paint_results(window.charts, page)
    colours = {page.pixel(x, y) for x in range(0, 1200, 9) for y in range(0, 1600, 9)}
    assert len(colours) > 30  # headline, table and charts, not a blank page
