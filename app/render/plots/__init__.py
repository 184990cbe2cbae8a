"""The charts: pyqtgraph views of ``app.report.chart_data`` tables."""

from app.render.pyqtgraph_import import import_pyqtgraph

import_pyqtgraph()  # PySide6 first, then pyqtgraph with its Qt classes made when used, before the charts import it

from app.render.plots.adoption_totals import AdoptionTotalsPlot  # noqa: E402
from app.render.plots.base import ChartView  # noqa: E402
from app.render.plots.inference_cost import InferenceCostPlot  # noqa: E402
from app.render.plots.training_spend import TrainingSpendPlot  # noqa: E402

CHART_CLASSES: tuple[type[ChartView], ...] = (TrainingSpendPlot, InferenceCostPlot, AdoptionTotalsPlot)

__all__ = ["CHART_CLASSES", "AdoptionTotalsPlot", "ChartView", "InferenceCostPlot", "TrainingSpendPlot"]
