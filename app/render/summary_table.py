"""The headline numbers of each scenario and their ratio to the baseline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableWidget, QTableWidgetItem, QWidget

from app.domain.scenario_names import marker, short_names
from app.engine.results import Band
from app.numbers import change, percent, times
from app.report.chart_data import SUMMARY_RATIOS, ChartInputs, Row, SummaryRow, summary_rows
from app.report.equivalents import Equivalent
from app.report.figures import CO2e, Crossover
from app.report.units import Scale, choose_scale, format_value, number_in
from app.report.untrusted_text import plain_tooltip

COLUMNS = (
    ("Scenario (★ baseline)", "", None),
    ("Training + R&D", "Training\n+ R&D", "training_wh"),
    ("Per query", "Per\nquery", "wh_per_query"),
    ("Energy, all", "Energy\nall", "lifetime_wh"),
    ("CO₂e, all", "CO₂e\nall", "lifetime_co2e_t"),
    ("Inference >\ntraining", "Inference\n> training", None),
    ("Rebound", "Rebound", None),
)
"""Each column's title, its title in the narrow form, and the figure it shows. Headers, not cells, name
the units (under the title), so that every column of the DeepSeek question reads whole at 1280 x 720
without scrolling sideways; where even that is too wide (800 px), the table takes its narrow form
(:class:`SummaryTable`), whose titles break over more lines."""
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


@dataclass(frozen=True, slots=True)
class Header:
    """A column's header as shown in the wide and the narrow form (its unit under its title), and as copied
    or reported (on one line)."""

    wide: str
    narrow: str
    copied: str


def header_texts(title: str, narrow: str = "", unit: str = "") -> Header:
    under = f"\n{unit}" if unit else ""
    return Header(title + under, (narrow or title) + under, title.replace("\n", " ") + (f" ({unit})" if unit else ""))


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure and what qualifies it (its ratio to the baseline, its range), side by side in the wide form
    and one under the other in the narrow one."""

    text: str
    qualifier: str = ""
    tip: str = ""
    right: bool = False
    sep: str = "  "

    @property
    def wide(self) -> str:
        """As shown in the wide form, copied and reported."""
        return f"{self.text}{self.sep}{self.qualifier}" if self.qualifier else self.text

    @property
    def narrow(self) -> str:
        return f"{self.text}\n{self.qualifier}" if self.qualifier else self.text


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


def crossover_text(crossing: Crossover) -> tuple[str, str]:
    """The month inference overtakes training and its range ("never" without a range when it does not)."""
    if not crossing.crosses:
        return "never", ""
    high = "never" if not math.isfinite(crossing.p95) else f"{crossing.p95:.0f}"
    return f"month {crossing.median:.0f}", f"({crossing.p5:.0f}–{high})"


def crossover_tooltip(crossing: Crossover) -> str:
    return f"{HEADER_TIPS[5]}\n{percent(crossing.share_never)} of samples never overtake within the horizon"


def equivalents_tooltip(found: Sequence[Equivalent], quantity: str) -> str:
    """The median total of one quantity (``energy_kwh`` or ``co2e_kg``) as everyday equivalents, each with its
    source ("" when there are none)."""
    return "".join(f"\n≈ {e.text}\n   Source: {e.source}" for e in found if e.quantity == quantity)


def phases_tooltip(phases: Sequence[tuple[str, float]], unit: str) -> str:
    """The training figure's phases, each its median: the experiments and R&D, an assumed multiple of
    pre-training, often outweigh the published run itself, so a reader sees what the total is made of."""
    if not phases:
        return ""
    lines = "".join(f"\n   {label}: {format_value(value, unit)}" for label, value in phases)
    return (f"\nBy phase (medians, which need not add up to the total's):{lines}"
            "\n   (R&D and experiments: an assumed multiple of pre-training)")


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
    """One row per scenario: median headline figures, × baseline, bands in tooltips.

    Where its columns do not fit side by side (an 800 px window), the table takes a narrow form rather than
    scroll sideways: each scenario's name on a line of its own across the table, its figures on the line
    below, each ratio and range under its figure, the titles over more lines, the columns spread over the
    table's width (so a long name across them reads whole where there is room). Nothing is left out of
    either form; copies and the report read the wide one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("summary")
        self._headers = [header_texts(title, narrow) for title, narrow, _ in COLUMNS]
        self.setHorizontalHeaderLabels([h.wide for h in self._headers])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        for column, tip in enumerate(HEADER_TIPS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        header = self.horizontalHeader()
        # Full names, never elided: a narrow window gets the narrow form (a very narrow one scrolls).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._rows: list[SummaryRow] = []
        self._cells: list[list[Cell]] = []
        self.narrow = False
        """True while the table shows its narrow form."""
        self._wide_width = 0
        """Width the wide form's columns took when last shown."""

    def tab_separated(self) -> str:
        """The table in its wide form, tab-separated with its header (pastes into a spreadsheet as cells)."""
        header = self.header_titles()
        rows = [[cell.wide.replace("\t", " ") for cell in cells] for cells in self._cells]
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

    def _name(self, row: int, column: int, cell: Cell, scenario: SummaryRow) -> None:
        """The scenario's name with its colour and number, bold for the baseline (its star explained in the
        narrow form, which has no header over the names)."""
        name = self._cell(row, column, cell.wide + (" baseline" if self.narrow and scenario.baseline else ""), cell.tip)
        if name.data(Qt.ItemDataRole.UserRole) != scenario.color:
            name.setData(Qt.ItemDataRole.UserRole, scenario.color)
            name.setIcon(swatch(scenario.color))
        if name.font().bold() != scenario.baseline:
            font = QFont(name.font())
            font.setBold(scenario.baseline)
            name.setFont(font)

    def set_inputs(self, inputs: ChartInputs) -> None:
        rows = inputs.summary
        self._rows = rows
        units = {key: ratio.unit for key, ratio in SUMMARY_RATIOS.items()}
        short = short_names([row.name for row in rows])
        scales = {key: choose_scale([getattr(row, key).median for row in rows], unit) for key, unit in units.items()}
        self._cells = [self._row_cells(r, row, short[r], scales, units) for r, row in enumerate(rows)]
        months = rows[0].horizon_months if rows else 0
        titles = {3: (f"Energy, {months} mo", f"Energy\n{months} mo"), 4: (f"CO₂e, {months} mo", f"CO₂e\n{months} mo")}
        for column, (title, narrow, key) in enumerate(COLUMNS[1:5], start=1):
            self._headers[column] = header_texts(*titles.get(column, (title, narrow)), scales[key].label)
        self._show()

    @staticmethod
    def _row_cells(r: int, row: SummaryRow, short: str, scales: dict[str, Scale], units: dict[str, str]) -> list[Cell]:
        """One scenario's cells: its name, its four figures (× baseline), crossover and rebound."""
        label = f"{marker(r)}  {short}"
        cells = [Cell(f"{label}  ★" if row.baseline else label, tip=plain_tooltip(f"{row.name}\n{HEADER_TIPS[0]}"))]
        for title, _narrow, key in COLUMNS[1:5]:
            band: Band = getattr(row, key)
            ratio = row.ratios[key]
            tip = f"{title}\n{band_tooltip(band, units[key])}"
            qualifier = ""
            if not row.baseline and math.isfinite(ratio.median):
                qualifier = f"({times(ratio.median, 2)})"
                tip += f"\n{ratio_tooltip(ratio)}"
            if key == "lifetime_co2e_t":
                tip += f"\n{co2e_tooltip(row.lifetime_co2e)}"
                tip += equivalents_tooltip(row.equivalents, "co2e_kg")
            if key == "lifetime_wh":
                tip += equivalents_tooltip(row.equivalents, "energy_kwh")
            if key == "wh_per_query":
                tip += f"\n{deployment_tooltip(row)}"
            if key == "training_wh":
                tip += phases_tooltip(row.training_by_phase, units[key])
            cells.append(Cell(number_in(band.median, scales[key]), qualifier, tip, right=True))
        cells.append(Cell(*crossover_text(row.crossover), crossover_tooltip(row.crossover), sep=" "))
        cells.append(Cell(
            change(row.rebound_change.median, 0),
            tip="Cumulative inference energy with rebound against without it (Jevons)\n"
            f"5–95 %: {change(row.rebound_change.p5, 0)} to {change(row.rebound_change.p95, 0)}",
            right=True,
        ))
        return cells

    def _show(self) -> None:
        """Show the cells in the form that fits: the wide one when its columns fit side by side."""
        if self.narrow and self._wide_width <= self.maximumViewportSize().width():
            self._set_narrow(False)
        self._fill()
        if not self.narrow:
            self._wide_width = sum(self._content_widths())
            if self._wide_width > self.maximumViewportSize().width():
                self._set_narrow(True)
                self._fill()
        if self.narrow:
            self._spread_columns()
        self.setMinimumHeight(self.fitted_height())

    def _content_widths(self) -> list[int]:
        """Each column's width for its cells and its title, whole (0 for a hidden column)."""
        header = self.horizontalHeader()
        return [0 if self.isColumnHidden(c) else max(self.sizeHintForColumn(c), header.sectionSizeHint(c))
                for c in range(self.columnCount())]

    def _spread_columns(self) -> None:
        """The narrow form's columns at their contents' width, the view's spare width shared out among them:
        the names across the table then read whole, and no room is left empty beside the figures (a view
        narrower than the contents scrolls)."""
        widths = self._content_widths()
        shown = [c for c in range(self.columnCount()) if not self.isColumnHidden(c)]
        spare = max(0, self.viewport().width() - sum(widths))
        header = self.horizontalHeader()
        for i, column in enumerate(shown):
            width = widths[column] + spare // len(shown) + (1 if i < spare % len(shown) else 0)
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def _set_narrow(self, narrow: bool) -> None:
        self.narrow = narrow
        self.clearSpans()
        self.clearContents()
        # The wide form's columns fit their contents; the narrow form's are spread by _spread_columns.
        columns = QHeaderView.ResizeMode.Fixed if narrow else QHeaderView.ResizeMode.ResizeToContents
        self.horizontalHeader().setSectionResizeMode(columns)
        self.setColumnHidden(0, narrow)
        # A name longer than the figures under it ends in an ellipsis (the whole name is in its tooltip).
        self.setTextElideMode(Qt.TextElideMode.ElideRight if narrow else Qt.TextElideMode.ElideNone)
        mode = QHeaderView.ResizeMode.ResizeToContents if narrow else QHeaderView.ResizeMode.Interactive
        self.verticalHeader().setSectionResizeMode(mode)
        if not narrow:
            for row in range(self.rowCount()):
                self.setRowHeight(row, self.verticalHeader().defaultSectionSize())

    def _fill(self) -> None:
        """Put the cells into the items of the current form."""
        lines = 2 if self.narrow else 1
        if self.rowCount() != lines * len(self._cells):
            self.setRowCount(lines * len(self._cells))
        model = self.model()
        # One change notice for the whole table: per-cell notices each re-measure every column.
        blocker = QSignalBlocker(model)
        for r, (cells, scenario) in enumerate(zip(self._cells, self._rows, strict=True)):
            self._name(lines * r, 0, cells[0], scenario)
            # Across the table from the hidden first column: a long name then widens no column of figures.
            if self.narrow and self.columnSpan(2 * r, 0) != len(COLUMNS):
                self.setSpan(2 * r, 0, 1, len(COLUMNS))
            for c, cell in enumerate(cells[1:], start=1):
                self._cell(lines * r + lines - 1, c, cell.narrow if self.narrow else cell.wide, cell.tip, cell.right)
        blocker.unblock()
        if self.rowCount():
            model.dataChanged.emit(model.index(0, 0), model.index(self.rowCount() - 1, len(COLUMNS) - 1), [])
        for column, header in enumerate(self._headers):
            shown = header.narrow if self.narrow else header.wide
            if self.horizontalHeaderItem(column).text() != shown:
                self.horizontalHeaderItem(column).setText(shown)

    def resizeEvent(self, event) -> None:  # Qt override
        super().resizeEvent(event)
        if self._cells and (self.narrow != (self._wide_width > self.maximumViewportSize().width())):
            self._show()
        elif self.narrow:
            self._spread_columns()

    def header_titles(self) -> list[str]:
        """Each column's header on one line, with its unit: as copied and reported."""
        return [h.copied for h in self._headers]

    def fitted_height(self) -> int:
        """Height that shows the header and every row (and a sideways scroll bar)."""
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        return self.horizontalHeader().height() + rows + 2 * self.frameWidth() + self.horizontalScrollBar().sizeHint().height()

    def csv_rows(self) -> list[Row]:
        return summary_rows(self._rows)

    def display_rows(self) -> tuple[list[str], list[list[str]]]:
        """The header and every row in the wide form (for the report), full names in the first column."""
        header = self.header_titles()
        rows = []
        for cells, row in zip(self._cells, self._rows, strict=True):
            shown = [cell.wide for cell in cells]
            shown[0] = f"{row.name}  ★" if row.baseline else row.name  # as the header says
            rows.append(shown)
        return header, rows

    def cell_text(self, row: int, column: int) -> str:
        """Scenario ``row``'s cell in ``column`` as the wide form shows it."""
        return self._cells[row][column].wide
