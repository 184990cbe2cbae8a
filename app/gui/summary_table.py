"""The headline numbers of each scenario and their ratio to the baseline."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.engine.results import Band
from app.gui.chart_data import ChartInputs, Row, SummaryRow, summary, summary_rows
from app.gui.units import format_value

COLUMNS = (
    ("Scenario", None),
    ("Training", "training_wh"),
    ("Per query", "wh_per_query"),
    ("Energy, all", "lifetime_wh"),
    ("CO₂e, all", "lifetime_co2e_t"),
    ("Inference > training", None),
    ("Rebound", None),
)
HEADER_TIPS = (
    "Scenario (★ the baseline the ratios compare against)",
    "Training energy, all phases (× baseline)",
    "Energy of one average query (× baseline)",
    "Training plus inference energy over the whole horizon (× baseline)",
    "CO₂e of training plus inference over the whole horizon (× baseline)",
    "Month when cumulative inference energy overtakes training (5–95 % range)",
    "Share of inference energy due to rebound: cheaper queries inviting more use (Jevons)",
)


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def band_tooltip(band: Band, unit: str) -> str:
    return (
        f"median {format_value(band.median, unit)}\n"
        f"5–95 %: {format_value(band.p5, unit)} – {format_value(band.p95, unit)}"
    )


def crossover_text(band: Band | None) -> str:
    if band is None:
        return "never"
    high = "never" if not math.isfinite(band.p95) else f"{band.p95:.0f}"
    return f"month {band.median:.0f} ({band.p5:.0f}–{high})"


class SummaryTable(QTableWidget):
    """One row per scenario: median headline figures, × baseline, bands in tooltips."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("summary")
        self.setHorizontalHeaderLabels([title for title, _ in COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        for column, tip in enumerate(HEADER_TIPS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._rows: list[SummaryRow] = []

    def set_inputs(self, inputs: ChartInputs) -> None:
        rows = summary(inputs)
        self._rows = rows
        baseline = next((r for r in rows if r.baseline), rows[0])
        self.setRowCount(len(rows))
        units = {"training_wh": "Wh", "wh_per_query": "Wh", "lifetime_wh": "Wh", "lifetime_co2e_t": "tCO2e"}
        for r, row in enumerate(rows):
            ratios = row.ratios(baseline)
            name = QTableWidgetItem(swatch(row.color), f"{row.name}  ★ baseline" if row.baseline else row.name)
            if row.baseline:
                font = QFont(name.font())
                font.setBold(True)
                name.setFont(font)
            self.setItem(r, 0, name)
            for c, (title, key) in enumerate(COLUMNS[1:5], start=1):
                band: Band = getattr(row, key)
                text = format_value(band.median, units[key])
                if not row.baseline and math.isfinite(ratios[key]):
                    text += f"  (×{ratios[key]:.2g})"
                item = QTableWidgetItem(text)
                item.setToolTip(f"{title}\n{band_tooltip(band, units[key])}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
            crossing = QTableWidgetItem(crossover_text(row.crossover))
            crossing.setToolTip(HEADER_TIPS[5])
            self.setItem(r, 5, crossing)
            share = QTableWidgetItem(f"{row.rebound_share.median:.0%}")
            share.setToolTip(
                "Share of cumulative inference energy due to rebound (Jevons)\n"
                f"5–95 %: {row.rebound_share.p5:.0%} – {row.rebound_share.p95:.0%}"
            )
            share.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, 6, share)
        months = rows[0].horizon_months if rows else 0
        for column, what in ((3, "Energy"), (4, "CO₂e")):
            item = QTableWidgetItem(f"{what}, {months} mo")
            item.setToolTip(HEADER_TIPS[column])
            self.setHorizontalHeaderItem(column, item)

    def csv_rows(self) -> list[Row]:
        return summary_rows(self._rows)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""
