"""The charts: pyqtgraph views of ``app.report.chart_data`` tables."""

import PySide6  # noqa: F401 - before pyqtgraph, so that pyqtgraph binds to PySide6

from app.render.plots.adoption_totals import AdoptionTotalsPlot
from app.render.plots.base import ChartView
from app.render.plots.inference_cost import InferenceCostPlot
from app.render.plots.training_spend import TrainingSpendPlot

CHART_CLASSES: tuple[type[ChartView], ...] = (TrainingSpendPlot, InferenceCostPlot, AdoptionTotalsPlot)

__all__ = ["CHART_CLASSES", "AdoptionTotalsPlot", "ChartView", "InferenceCostPlot", "TrainingSpendPlot"]
