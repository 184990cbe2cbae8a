"""Country grids for the Datacenter editor's picker: published annual carbon intensities, each with its source.

The figures ship in ``resources/grids.json``. Choosing one is an ordinary,
undoable edit of the datacenter's ``grid_kgco2e_per_kwh``: the published value
with its source and no range (an annual national average).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.paths import resources_dir

GRID_PATH = ("grid_kgco2e_per_kwh",)
"""Where the pick lands in the datacenter preset."""


@dataclass(frozen=True)
class GridChoice:
    """One country's or region's grid."""

    id: str
    name: str
    g_co2e_per_kwh: float
    year: int
    source: str

    @property
    def kg_per_kwh(self) -> float:
        return self.g_co2e_per_kwh / 1000.0

    def quantity(self) -> dict[str, Any]:
        """The datacenter field's new value: the published figure and its source."""
        return {"value": self.kg_per_kwh, "source": self.source}

    def change(self) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        """The edit that sets a scenario's grid to this one."""
        return ("datacenter", GRID_PATH, self.quantity())


@lru_cache(maxsize=1)
def grid_choices() -> tuple[GridChoice, ...]:
    """The shipped grids, in file order."""
    data = json.loads((resources_dir() / "grids.json").read_text(encoding="utf-8"))
    return tuple(GridChoice(g["id"], g["name"], float(g["g_co2e_per_kwh"]), int(g["year"]), g["source"])
                 for g in data["grids"])


def matching_choice(kg_per_kwh: float, source: str | None) -> GridChoice | None:
    """The shipped grid a datacenter's value came from (same value and source), if any."""
    return next((g for g in grid_choices() if source == g.source and abs(g.kg_per_kwh - kg_per_kwh) < 1e-12), None)
