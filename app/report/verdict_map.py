"""The verdict map: a scenario's paired energy ratio to the baseline over a grid of two inputs.

Each cell holds the median (and 5-95 % band) of the paired ratio of
cumulative energy and the probability of using more energy than the
baseline; the window and ``jevons sweep --png`` colour the cells by the
median, contoured where it crosses 1 and by the probability.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.domain.library import ResolvedComparison, ResolvedScenario
from app.engine.paired import probability_more
from app.engine.results import percentiles
from app.engine.variants import VARIANT_SAMPLES, Sweep, input_info
from app.report.metadata import csv_comment_lines

MAX_POINTS = 200
"""Points along one axis of a verdict map (a 200 x 200 map is 40,000 scenarios)."""


@dataclass(frozen=True, slots=True)
class Axis:
    path: str
    unit: str
    values: np.ndarray
    label: str
    """The input in words, naming the scenario whose input it is when the map moves that side alone
    (:meth:`app.engine.variants.Sweep.label`); an input shared with the baseline moves both."""
    asked: int
    """The points asked for; a count's axis may hold fewer (:meth:`app.engine.variants.InputInfo.grid`)."""

    def fewer_note(self) -> str:
        """"Layers: 21 whole values, of the 30 points asked", or "" when the axis holds every point asked."""
        drawn = len(self.values)
        return "" if drawn == self.asked else f"{self.label}: {drawn} whole values, of the {self.asked} points asked"

    def document(self) -> dict[str, Any]:
        """The axis in ``jevons sweep --json``: its input, the values drawn and the points asked."""
        return {"path": self.path, "label": self.label, "unit": self.unit, "values": self.values.tolist(),
                "points_asked": self.asked}


@dataclass(frozen=True, slots=True)
class VerdictMap:
    """Figures of the map; 2-D arrays are indexed [y, x]."""

    comparison: str
    scenario: str
    baseline: str
    samples: int
    x: Axis
    y: Axis
    median: np.ndarray
    p5: np.ndarray
    p95: np.ndarray
    probability_more_energy: np.ndarray

    def document(self) -> dict[str, Any]:
        """The JSON document of ``jevons sweep --json``."""

        def rows(grid: np.ndarray) -> list[list[float | None]]:
            return [[None if not np.isfinite(v) else float(v) for v in row] for row in grid]

        return {
            "comparison": self.comparison,
            "scenario": self.scenario,
            "baseline": self.baseline,
            "samples": self.samples,
            "x": self.x.document(),
            "y": self.y.document(),
            "energy_ratio": {"median": rows(self.median), "p5": rows(self.p5), "p95": rows(self.p95)},
            "probability_more_energy": rows(self.probability_more_energy),
        }

    def csv_comments(self) -> list[str]:
        """``#`` lines above the CSV's header: what was mapped against what, and each axis in words (whose
        input it is, :attr:`Axis.label`) and units; the header names the axes by path, for a program."""
        return csv_comment_lines({
            "comparison": self.comparison, "scenario": self.scenario, "baseline": self.baseline,
            "samples": f"{self.samples} per cell",
            **{name: f"{axis.path} = {axis.label} ({axis.unit})" for name, axis in (("x", self.x), ("y", self.y))},
        })

    def csv_rows(self) -> list[list[object]]:
        """One row per cell: both inputs (by path), the ratio's median and band, the probability of more energy."""
        rows: list[list[object]] = [
            [self.x.path, self.y.path, "energy_ratio_median", "energy_ratio_p5", "energy_ratio_p95",
             "probability_more_energy"]
        ]
        for j, y in enumerate(self.y.values):
            for i, x in enumerate(self.x.values):
                rows.append([f"{x:.6g}", f"{y:.6g}", f"{self.median[j, i]:.6g}", f"{self.p5[j, i]:.6g}",
                             f"{self.p95[j, i]:.6g}", f"{self.probability_more_energy[j, i]:.4g}"])
        return rows


def compute_map(
    comparison: ResolvedComparison,
    index: int,
    x: tuple[str, float, float, int],
    y: tuple[str, float, float, int],
    samples: int = VARIANT_SAMPLES,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> VerdictMap:
    """The map of scenario ``index`` over ``x`` and ``y``, each (path, low, high, points): an input the
    scenario shares with its baseline is set on both (:func:`app.engine.variants.shared_inputs`).

    Run by the latest-wins scheduler (the window's View > Verdict Map), it stops between chunks of
    points when its job is superseded or cancelled (:class:`app.cancellation.Cancelled`).
    """
    scenario = comparison.scenarios[index]
    sweep = Sweep(comparison, index, samples, seed)
    axes = []
    for path, low, high, points in (x, y):
        info = input_info(scenario, path)
        axes.append(Axis(info.path, info.unit, info.grid(low, high, points), sweep.label(info.path), points))
    ax, ay = axes
    grid_x, grid_y = np.meshgrid(ax.values, ay.values)  # [y, x]
    ratios = sweep.ratios({ax.path: grid_x.ravel(), ay.path: grid_y.ravel()}, progress).energy
    p5, median, p95 = (values.reshape(grid_x.shape) for values in percentiles(ratios))
    more = probability_more(ratios).reshape(grid_x.shape)
    return VerdictMap(
        comparison=comparison.name,
        scenario=scenario.name,
        baseline=comparison.scenarios[comparison.baseline_index].name,
        samples=ratios.shape[1],
        x=ax,
        y=ay,
        median=median,
        p5=p5,
        p95=p95,
        probability_more_energy=more,
    )


def impossible_point(
    scenario: ResolvedScenario, path: str, low: float, high: float, points: int, level: int, named: str = ""
) -> str:
    """"" when every value of the grid ``low..high`` (``points`` of them, as the map draws them) makes a
    scenario its preset file could hold, else the first problem. The input's part is re-validated at each
    point, so a rule between fields (a deployment's data parallelism within its accelerators) refuses the
    axis as ``jevons validate`` refuses the file, instead of mapping a deployment that cannot exist; and the
    deployment the scenario is served with (at boundary ``level``, searched once as the map serves it) must
    hold the model at every point (:mod:`app.engine.memory_fit`), as ``validate`` requires of the file. The
    problem calls the input ``named`` (the window's words for it), else ``path`` (as the command line gave it)."""
    from pydantic import ValidationError

    from app.domain.errors import validation_text
    from app.engine import memory_fit
    from app.engine.operating_point import served_as

    grid = input_info(scenario, path).grid(low, high, points)
    if grid.size < 2:
        return (f"{named or path} counts whole things, and {low:g} to {high:g} holds fewer than two whole numbers: "
                "widen the span")
    root, *inner = path.split(".")
    part = getattr(scenario, root, None)
    if part is None or not inner:
        return ""
    document = part.model_dump()
    for value in grid:
        node = document
        for key in inner[:-1]:
            node = node[key]
        node[inner[-1]] = float(value)
        try:
            type(part).model_validate(document)
        except ValidationError as error:
            return f"{named or path} = {value:g} makes an impossible {root}: {validation_text(error)[0]}"
    unfit = memory_fit.first_unfit(served_as(scenario, level), path, grid)
    if unfit is not None:
        return f"{named or path} = {unfit[0]:g} makes a deployment that cannot hold its model: {unfit[1]}"
    return ""
