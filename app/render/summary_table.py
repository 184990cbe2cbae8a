"""The headline numbers of each scenario and their ratio to the baseline."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableWidget, QTableWidgetItem, QWidget

from app.domain.scenario_names import marker, short_names
from app.engine.results import Band
from app.numbers import change, percent, times
from app.report.chart_data import SUMMARY_RATIOS, ChartInputs, Row, SummaryRow, summary_rows
from app.report.equivalents import Equivalent
from app.report.figures import CO2e, Crossover
from app.report.units import choose_scale, format_value, number_in
from app.report.untrusted_text import plain_tooltip

COLUMNS = (
    ("Scenario (★ baseline)", None),
    ("Training + R&D", "training_wh"),
    ("Per query", "wh_per_query"),
    ("Energy, all", "lifetime_wh"),
    ("CO₂e, all", "lifetime_co2e_t"),
    ("Inference >\ntraining", None),
    ("Rebound", None),
)
"""Each column's title and the figure it shows. A title may break over two lines in the window's header,
as a figure's title does over its unit: headers, not cells, name the units, so that every column of
the DeepSeek question reads whole at 1280 x 720 without scrolling sideways."""
HEADER_TIPS = (
    "Scenario (★ the baseline the ratios compare against)",
    "Energy of the launch model's training, all phases, with its experiments and R&D (the experiment-overhead "
    "multiple of pre-training; × baseline); successors and re-spent training are counted in the energy over "
    "the horizon",
    "Energy of one average query (× baseline)",
    "Training plus inference energy over the whole horizon (× baseline)",
    "CO₂e of training plus inference over the whole horizon (× baseline)",
    "Month when cumulative inference energy overtakes training (5–95 % range)",
    "What the rebound does to cumulative inference energy, against the same scenario without it: "
    "cheaper queries than the baseline's invite more use (Jevons, positive); dearer ones are "
    "asked less than the demand alone would give (negative, never below -100 %).",
)


def header_texts(title: str, unit: str = "") -> tuple[str, str]:
    """A column's header as shown (its unit under its title) and as copied or reported (on one line)."""
    shown = f"{title}\n{unit}" if unit else title
    return shown, title.replace("\n", " ") + (f" ({unit})" if unit else "")


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def band_tooltip(band: Band, unit: str) -> str:
    return (
        f"median {format_value(band.median, unit)}\n"
        f"5–95 %: {format_value(band.p5, unit)} – {format_value(band.p95, unit)}"
    )


def deployment_tooltip(row: SummaryRow) -> str:
    """How the scenario is served: the replica and the batch the engine used (medians)."""
    return (
        f"served on {row.accelerators_per_replica:.0f} accelerators per replica, "
        f"{row.effective_batch.median:,.0f} sequences decoded together "
        f"(5–95 %: {row.effective_batch.p5:,.0f} to {row.effective_batch.p95:,.0f})"
    )


def crossover_text(crossing: Crossover) -> str:
    if not crossing.crosses:
        return "never"
    high = "never" if not math.isfinite(crossing.p95) else f"{crossing.p95:.0f}"
    return f"month {crossing.median:.0f} ({crossing.p5:.0f}–{high})"


def crossover_tooltip(crossing: Crossover) -> str:
    return f"{HEADER_TIPS[5]}\n{percent(crossing.share_never)} of samples never overtake within the horizon"


def equivalents_tooltip(found: Sequence[Equivalent], quantity: str) -> str:
    """The median total of one quantity (``energy_kwh`` or ``co2e_kg``) as everyday equivalents, each with its
    source ("" when there are none)."""
    return "".join(f"\n≈ {e.text}\n   Source: {e.source}" for e in found if e.quantity == quantity)


def ratio_tooltip(ratio: Band) -> str:
    """The paired ratio: taken sample by sample against the baseline, then its median and band."""
    return (
        f"× baseline, sample by sample: median {times(ratio.median)}\n"
        f"5–95 %: {times(ratio.p5)} to {times(ratio.p95)}"
    )


def co2e_tooltip(carbon: CO2e) -> str:
    return (
        f"operational (electricity) {format_value(carbon.operational.median, 'tCO2e')}, "
        f"embodied (hardware) {format_value(carbon.embodied.median, 'tCO2e')}\n"
        "published footprints count the operational part"
    )


class SummaryTable(QTableWidget):
    """One row per scenario: median headline figures, × baseline, bands in tooltips."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("summary")
        self._headers = [header_texts(title) for title, _ in COLUMNS]
        self.setHorizontalHeaderLabels([shown for shown, _ in self._headers])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        for column, tip in enumerate(HEADER_TIPS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        header = self.horizontalHeader()
        # Full names, never elided: a narrow window scrolls the table sideways instead.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._rows: list[SummaryRow] = []

    def tab_separated(self) -> str:
        """The table as shown, tab-separated with its header (pastes into a spreadsheet as cells)."""
        header = self.header_titles()
        rows = [[self.cell_text(r, c).replace("\t", " ") for c in range(self.columnCount())] for r in range(self.rowCount())]
        return "\n".join("\t".join(cells) for cells in [header, *rows])

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.tab_separated())

    def contextMenuEvent(self, event) -> None:  # Qt override
        menu = QMenu(self)
        menu.addAction("Copy Table", self.copy)
        menu.exec(event.globalPos())
        event.accept()

    def _cell(self, row: int, column: int, text: str, tip: str = "", right: bool = False) -> QTableWidgetItem:
        """Reuse the cell's item and touch it only where it changes (setItem is slow)."""
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)
        if item.text() != text:
            item.setText(text)
        if item.toolTip() != tip:
            item.setToolTip(tip)
        return item

    def set_inputs(self, inputs: ChartInputs) -> None:
        rows = inputs.summary
        self._rows = rows
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        model = self.model()
        # One change notice for the whole table: per-cell notices each re-measure every column.
        blocker = QSignalBlocker(model)
        units = {key: ratio.unit for key, ratio in SUMMARY_RATIOS.items()}
        short = short_names([row.name for row in rows])
        scales = {key: choose_scale([getattr(row, key).median for row in rows], unit) for key, unit in units.items()}
        for r, row in enumerate(rows):
            label = f"{marker(r)}  {short[r]}"
            name = self._cell(r, 0, f"{label}  ★" if row.baseline else label, plain_tooltip(f"{row.name}\n{HEADER_TIPS[0]}"))
            if name.data(Qt.ItemDataRole.UserRole) != row.color:
                name.setData(Qt.ItemDataRole.UserRole, row.color)
                name.setIcon(swatch(row.color))
            if name.font().bold() != row.baseline:
                font = QFont(name.font())
                font.setBold(row.baseline)
                name.setFont(font)
            for c, (title, key) in enumerate(COLUMNS[1:5], start=1):
                band: Band = getattr(row, key)
                ratio = row.ratios[key]
                text = number_in(band.median, scales[key])
                tip = f"{title}\n{band_tooltip(band, units[key])}"
                if not row.baseline and math.isfinite(ratio.median):
                    text += f"  ({times(ratio.median, 2)})"
                    tip += f"\n{ratio_tooltip(ratio)}"
                if key == "lifetime_co2e_t":
                    tip += f"\n{co2e_tooltip(row.lifetime_co2e)}"
                    tip += equivalents_tooltip(row.equivalents, "co2e_kg")
                if key == "lifetime_wh":
                    tip += equivalents_tooltip(row.equivalents, "energy_kwh")
                if key == "wh_per_query":
                    tip += f"\n{deployment_tooltip(row)}"
                self._cell(r, c, text, tip, right=True)
            self._cell(r, 5, crossover_text(row.crossover), crossover_tooltip(row.crossover))
            self._cell(
                r, 6, change(row.rebound_change.median, 0),
                "Cumulative inference energy with rebound against without it (Jevons)\n"
                f"5–95 %: {change(row.rebound_change.p5, 0)} to {change(row.rebound_change.p95, 0)}",
                right=True,
            )
        blocker.unblock()
        model.dataChanged.emit(model.index(0, 0), model.index(len(rows) - 1, len(COLUMNS) - 1), [])
        self.setMinimumHeight(self.fitted_height())
        months = rows[0].horizon_months if rows else 0
        titles = {3: f"Energy, {months} mo", 4: f"CO₂e, {months} mo"}
        for column, (title, key) in enumerate(COLUMNS[1:5], start=1):
            self._headers[column] = header_texts(titles.get(column, title), scales[key].label)
            header = self.horizontalHeaderItem(column)
            if header.text() != self._headers[column][0]:
                header.setText(self._headers[column][0])

    def header_titles(self) -> list[str]:
        """Each column's header on one line, with its unit: as copied and reported."""
        return [copied for _shown, copied in self._headers]

    def fitted_height(self) -> int:
        """Height that shows the header and every row (and a sideways scroll bar)."""
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        return self.horizontalHeader().height() + rows + 2 * self.frameWidth() + self.horizontalScrollBar().sizeHint().height()

    def csv_rows(self) -> list[Row]:
        return summary_rows(self._rows)

    def display_rows(self) -> tuple[list[str], list[list[str]]]:
        """The header and every row as shown (for the report), full names in the first column."""
        header = self.header_titles()
        rows = []
        for r, row in enumerate(self._rows):
            cells = [self.cell_text(r, c) for c in range(self.columnCount())]
            cells[0] = f"{row.name}  ★" if row.baseline else row.name  # as the header says
            rows.append(cells)
        return header, rows

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""
