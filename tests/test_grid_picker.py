"""The Datacenter editor's country grid picker: sourced figures, an undoable edit."""

from __future__ import annotations

import json

import pytest
from gui_fixtures import make_window, wait_settled, window  # fixtures

from app.paths import resources_dir
from app.session.grid_choices import grid_choices, matching_choice


def test_every_shipped_grid_has_a_sourced_published_figure():
    grids = json.loads((resources_dir() / "grids.json").read_text(encoding="utf-8"))["grids"]
    assert len(grids) == len(grid_choices()) >= 10
    assert len({g["id"] for g in grids}) == len(grids)
    for grid in grids:
        assert 0 < grid["g_co2e_per_kwh"] < 1500, grid["id"]
        assert len(grid["source"]) > 40 and str(grid["year"]) in grid["source"], grid["id"]
    # A pick is the published value in kg/kWh, with its source and no invented range.
    germany = next(g for g in grid_choices() if g.id == "germany")
    assert germany.quantity() == {"value": pytest.approx(0.381), "source": germany.source}
    assert matching_choice(0.381, germany.source) == germany
    assert matching_choice(0.381, "some other source") is None


def test_the_picker_sets_the_grid_and_undo_restores_it(qtbot, window):
    picker = window.editor.grid
    field = window.editor.field("datacenter", "grid_kgco2e_per_kwh")
    before = field._quantity
    assert picker.currentIndex() == 0  # the shipped datacenter's grid is none of the country figures
    france = picker.findData("france")
    picker.setCurrentIndex(france)
    wait_settled(qtbot, window)
    grid = window.editor.parts["datacenter"].grid_kgco2e_per_kwh
    assert grid.value == pytest.approx(0.056) and "Ember" in grid.source and grid.low is None
    assert field._quantity.value == pytest.approx(0.056)
    assert "Set grid to France" in window.actions_.undo.text()
    window.undo()
    wait_settled(qtbot, window)
    assert window.editor.parts["datacenter"].grid_kgco2e_per_kwh == before
    assert field._quantity == before
    assert picker.currentIndex() == 0
