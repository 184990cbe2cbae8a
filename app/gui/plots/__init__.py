"""The charts: pyqtgraph views of ``app.report.chart_data`` tables."""

import PySide6  # noqa: F401 - before pyqtgraph, so that pyqtgraph binds to PySide6

from app.gui.plots.adoption_totals import AdoptionTotalsPlot
from app.gui.plots.base import ChartView
from app.gui.plots.inference_cost import InferenceCostPlot
from app.gui.plots.training_spend import TrainingSpendPlot

CHART_CLASSES: tuple[type[ChartView], ...] = (TrainingSpendPlot, InferenceCostPlot, AdoptionTotalsPlot)

__all__ = ["CHART_CLASSES", "AdoptionTotalsPlot", "ChartView", "InferenceCostPlot", "TrainingSpendPlot"]
