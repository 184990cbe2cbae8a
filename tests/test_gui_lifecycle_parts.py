"""The adoption chart's waterfall of the difference to the baseline and its yearly parts, drawn."""

from __future__ import annotations

import PySide6  # before pyqtgraph
from test_training_path import _comparison

from app.domain.library import ResolvedComparison
from app.engine.evaluate import evaluate
from app.render.plots.adoption_totals import AdoptionTotalsPlot
from app.report.chart_data import ChartInputs


def _drawn(qtbot, resolved: ResolvedComparison) -> AdoptionTotalsPlot:  # pytest-qt's qtbot
    chart = AdoptionTotalsPlot()
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.set_inputs(ChartInputs(resolved, evaluate(resolved, samples=50)))
    return chart


def test_the_waterfall_floats_each_part_from_the_ones_before_and_stands_the_total_on_zero(qtbot) -> None:
    chart = _drawn(qtbot, _comparison(path={"reinvested_share": 1.0}))
    opts = chart._waterfall.bars.opts
    y0, height = list(opts["y0"]), list(opts["height"])
    assert len(y0) == 5  # one scenario against the baseline, five steps
    for step in range(1, 4):
        assert abs(y0[step] - (y0[step - 1] + height[step - 1])) < 1e-9 * abs(height[step - 1])
    assert y0[4] == 0 and abs(height[4] - (y0[3] + height[3])) < 1e-9 * abs(height[4])
    assert "Training re-spent" in chart._waterfall.readout(2.0)
    assert "training and R&D" in chart._annual.readout(1.0)


def test_a_comparison_of_the_baseline_alone_draws_no_waterfall_and_no_error(qtbot) -> None:
    resolved = _comparison()
    alone = ResolvedComparison(name="alone", scenarios=resolved.scenarios[:1], baseline_index=0, boundary="facility")
    chart = _drawn(qtbot, alone)  # pyqtgraph could not paint the empty bars: the window showed an error
    chart.grab()
    assert not chart._waterfall.bars.isVisible()
