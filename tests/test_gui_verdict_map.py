"""View > Verdict Map: computed off the GUI thread with progress, cancellable, with the break-even values."""

from __future__ import annotations

import pytest
from gui_fixtures import make_window, wait_settled, window  # fixtures


def _open(qtbot, window):
    wait_settled(qtbot, window)
    window.actions_.verdict_map.trigger()
    dialog = window.verdict_map_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_map_is_computed_with_progress_and_says_where_the_verdict_flips(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    assert dialog.x.path.currentData() == "market.price_elasticity"
    steps = []
    dialog.progressed.connect(lambda done, total: steps.append((done, total)))
    dialog.x.points.setValue(4)
    dialog.y.points.setValue(3)
    dialog.samples.setValue(20)
    dialog.compute()
    assert dialog.busy and not dialog.compute_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert steps and steps[-1] == (12, 12)
    assert dialog.progress.value() == 12
    assert "flips" in dialog.status.text() and "Price elasticity = −" in dialog.status.text()  # words, not paths
    assert dialog.status.text().startswith("Other inputs drawn across their ranges: ")  # as the search draws them
    dialog.close()


def test_an_input_the_map_moves_on_the_scenario_alone_is_named_after_it(qtbot, window) -> None:
    """The chip's rental price is the DeepSeek scenario's own (Llama's H100 rents at another price): the map's
    axis and the flip line say whose input moved; the shared price elasticity is named alone."""
    dialog = _open(qtbot, window)
    dialog.y.path.setCurrentIndex(dialog.y.path.findData("hardware.price_usd_per_hour"))
    dialog.x.points.setValue(3)
    dialog.y.points.setValue(3)
    dialog.samples.setValue(20)
    dialog.compute()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    left, bottom = (dialog.plot._plot.getAxis(side).labelText for side in ("left", "bottom"))
    assert left.startswith("Rental price (hardware) (DeepSeek-") and left.endswith(") (USD/h)")
    assert bottom.startswith("Price elasticity (")
    assert "Rental price (hardware) (DeepSeek-" in dialog.status.text()
    dialog.close()


def test_a_map_can_be_cancelled(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    dialog.x.points.setValue(200)
    dialog.y.points.setValue(200)
    dialog.compute()
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.status.text() == "Cancelled."
    assert dialog.compute_button.isEnabled()
    dialog.close()


def test_closing_the_dialog_stops_a_long_map_at_its_next_checkpoint(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    dialog.x.points.setValue(200)
    dialog.y.points.setValue(200)
    steps = []
    dialog.progressed.connect(lambda done, total: steps.append(done))
    dialog.compute()
    qtbot.waitUntil(lambda: bool(steps), timeout=60_000)  # running, 40,000 points to go
    dialog.close()  # returns once the map has stopped, long before its end
    assert dialog._scheduler.stopped


def test_a_bad_span_is_refused_in_the_dialog(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    dialog.x.low.setValue(0)
    dialog.x.high.setValue(-1)
    dialog.compute()
    assert not dialog.busy and "'from' must be below 'to'" in dialog.status.text()
    dialog.close()


def test_the_map_reads_in_words_with_a_labelled_colour_bar_and_contours(qtbot, window) -> None:
    """No colour scale, unlabelled contours and raw dotted paths made the map unreadable."""
    from app.engine.variants import Sweep  # the engine the dialog runs
    from app.gui.menus import open_verdict_map

    open_verdict_map(window)
    dialog = window.verdict_map_dialog
    assert all("." not in dialog.x.path.itemText(i) or "(" in dialog.x.path.itemText(i)
               for i in range(dialog.x.path.count()) if dialog.x.path.itemData(i))
    labels = {dialog.x.path.itemText(i) for i in range(dialog.x.path.count()) if dialog.x.path.itemData(i)}
    assert "Price elasticity (dimensionless)" in labels
    dialog.x.points.setValue(6)
    dialog.y.points.setValue(6)
    dialog.samples.setValue(30)
    dialog.compute()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    plot = dialog.plot
    ticks = [label for _value, label in plot.color_bar.axis._tickLevels[0]]
    assert ticks == ["0.1×", "0.3×", "1×", "3×", "10×"]
    bottom = plot._plot.getAxis("bottom").labelText
    assert "." not in bottom.split("(")[0] and "(" in bottom  # words, then the unit
    # The view is the requested span: no cell past an input's bound (the map reached elasticity +0.05).
    (x_low, x_high), (y_low, y_high) = plot._plot.vb.viewRange()
    assert (x_low, x_high) == pytest.approx((dialog.x.low.value(), dialog.x.high.value()))
    assert (y_low, y_high) == pytest.approx((dialog.y.low.value(), dialog.y.high.value()))
    dialog.close()


def test_the_map_and_its_flips_are_drawn_with_the_seed_the_exports_state(monkeypatch) -> None:
    """The dialog's map and flip values use :data:`app.report.metadata.SEED`, the seed of the figures beside it
    (and ``jevons sweep``'s default), so the same map is reproducible from the command line."""
    import numpy as np

    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine.variants import break_even
    from app.gui.verdict_map_dialog import MapJob, run_map
    from app.paths import presets_dir
    from app.report import metadata
    from app.report.verdict_map import compute_map

    question = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())[1]
    x, y = ("market.price_elasticity", -2.0, -0.2, 3), ("usage.efficiency_gain_per_year", 0.0, 0.5, 3)
    monkeypatch.setattr(metadata, "SEED", 3)
    shown, flips = run_map(MapJob(question, 1, x, y, 30), lambda _done, _total: None)
    assert not np.array_equal(compute_map(question, 1, x, y, 30, 0).median, compute_map(question, 1, x, y, 30, 3).median)
    np.testing.assert_array_equal(shown.median, compute_map(question, 1, x, y, 30, 3).median)
    assert flips[0] == break_even(question, 1, x[0], 30, 3)


def test_a_map_drawn_on_its_own_is_in_the_palette_s_colours(qtbot) -> None:
    """``jevons sweep --png`` draws the map alone: its background, its colour bar's ticks and its label are
    the palette's (the map was left on pyqtgraph's black with grey colour-bar text)."""
    from app.render.plots.theme import current_theme
    from app.render.plots.verdict_map import VerdictMapPlot

    view = VerdictMapPlot()
    qtbot.addWidget(view)
    view.show()
    theme = current_theme(view)
    assert view.backgroundBrush().color().name() == theme.background
    for side in ("right", "left"):  # the ticks, and the label on the bar's other side
        axis = view.color_bar.getAxis(side)
        assert axis.textPen().color().name() == theme.foreground
    assert view.color_bar.getAxis("left").labelStyle["color"] == theme.foreground


def test_an_axis_through_impossible_deployments_is_refused_before_computing(qtbot, window) -> None:
    """The map shares jevons sweep's rule: a grid value that makes a part its file could not hold (8 of
    DeepSeek's 144 accelerators) is named, and nothing is computed."""
    dialog = _open(qtbot, window)
    dialog.scenario.setCurrentIndex(dialog.scenario.findData(1))
    dialog.x.path.setCurrentIndex(dialog.x.path.findData("deployment.accelerators_per_replica"))
    dialog.x.low.setValue(8)
    dialog.x.high.setValue(16)
    dialog.compute()
    assert not dialog.busy
    assert ("Across: Accelerators per replica = 8 makes an impossible deployment: "
            "Data parallel (144 replicas) cannot exceed Accelerators per replica (8)") in dialog.status.text()
    assert "_" not in dialog.status.text()  # the window's words, not the file's field names (review 21, finding 13)
    dialog.close()


def test_a_count_axis_at_the_default_points_is_mapped_at_distinct_whole_values(qtbot, window) -> None:
    """Layers from 40 to 60 at the dialog's 30 points: mapped at the 21 whole numbers, and the dialog says so
    (before, it was refused at 40.6897 layers, which is not a whole number)."""
    dialog = _open(qtbot, window)
    dialog.scenario.setCurrentIndex(dialog.scenario.findData(1))
    dialog.x.path.setCurrentIndex(dialog.x.path.findData("model.layers"))
    dialog.x.low.setValue(40)
    dialog.x.high.setValue(60)
    assert dialog.x.points.value() == 30
    dialog.y.points.setValue(2)
    dialog.samples.setValue(20)
    shown = []
    draw = dialog.plot.show_map
    dialog.plot.show_map = lambda verdict_map: (shown.append(verdict_map), draw(verdict_map))
    dialog.compute()
    assert dialog.busy, dialog.status.text()
    assert dialog.progress.maximum() == 21 * 2
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert list(shown[0].x.values) == list(range(40, 61))
    assert "Layers (model) (DeepSeek-V3): 21 whole values, of the 30 points asked." in dialog.status.text()
    dialog.close()
