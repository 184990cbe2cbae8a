"""Export Charts and Export Report: what the window shows, written as images, data and a report."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar

from app.gui import messages
from app.report.formats import DEFAULT_SCALE, ExportError

if TYPE_CHECKING:
    from app.gui.charts_panel import ChartsPanel
    from app.gui.engine_binding import EngineBinding
    from app.gui.engine_worker import EngineRunner


class ChartsWindow(Protocol):
    """What the exports use of the window (a QWidget, the parent of their dialogs): its charts, the
    sensitivity they show (``engine``) with the figures kept between computations (``runner``), its
    typing and its messages. Nothing of its document, files or menus."""

    charts: ChartsPanel | None
    engine: EngineBinding
    runner: EngineRunner

    def commit_typing(self) -> None: ...
    def show_message(self, title: str, text: str, details: str = "") -> QMessageBox: ...
    def statusBar(self) -> QStatusBar: ...  # Qt's name


class ExportActions(QObject):
    """Exports the window's charts (``window.charts``) and its report."""

    def __init__(self, window: ChartsWindow, last_folder: Callable[[], str]):
        """``last_folder()`` is where the file dialogs start (the folder of the last file opened or saved)."""
        super().__init__(window)
        self.window = window
        self.last_folder = last_folder

    def open_export_dialog(self, chart_id: str | None = None) -> None:
        """Choose charts (``chart_id`` preselected), formats and folder, then export."""
        from app.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self.window.charts.exportable, self.last_folder(), self.window,
                              chosen=chart_id)
        if dialog.exec():
            self.export(dialog.out_dir, dialog.formats, dialog.scale, dialog.chart_ids)

    def export(self, out_dir: str | Path, formats: list[str], scale: float = DEFAULT_SCALE,
               chart_ids: list[str] | None = None) -> list[Path]:
        """Export the charts (all, or those in ``chart_ids``) and their data."""
        from app.render.export import export_charts

        self.window.commit_typing()
        if chart_ids is None or "sensitivity" in chart_ids:
            self._bring_sensitivity_up_to_date()
        charts_panel = self.window.charts
        charts = [c for c in charts_panel.exportable if chart_ids is None or c.chart_id in chart_ids]
        extra = {"summary": charts_panel.summary.csv_rows} if chart_ids is None else {}
        try:
            written = export_charts(charts, Path(out_dir), formats, scale, extra)
        except ExportError as error:
            self.window.show_message("Export failed", str(error))
            return []
        self.window.statusBar().showMessage(f"Exported {len(written)} file(s) to {out_dir}", 8000)
        return written

    def choose_and_export_report(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Write the report into", self.last_folder())
        if not folder:
            return
        existing = [p for p in (Path(folder) / "report.html", Path(folder) / "report.pdf") if p.exists()]
        if existing and not messages.confirm_replace(self.window, "Replace the report?",
                                                     f"{folder} already holds a report; replace it?"):
            return
        self.export_report(folder)

    def export_report(self, out_dir: str | Path) -> list[Path]:
        """Write the report bundle (report.html, report.pdf) of what the window shows."""
        from app.render.report_bundle import write_report

        self.window.commit_typing()
        self._bring_sensitivity_up_to_date()
        try:
            written = write_report(self.window.charts.exportable, self.window.charts.summary, Path(out_dir))
        except ExportError as error:
            self.window.show_message("Report failed", str(error))
            return []
        self.window.statusBar().showMessage(f"Wrote the report to {written[0]}", 8000)
        return written

    def _bring_sensitivity_up_to_date(self) -> None:
        """What matters most is computed only while shown: compute it now for an export."""
        from app.session.compute import sensitivity

        charts = self.window.charts
        inputs = charts.inputs
        if inputs is None:
            return
        index, metric = self.window.engine.sensitivity_focus()
        if index >= len(inputs.resolved.scenarios):
            return
        data = sensitivity(inputs.resolved, index, metric, self.window.runner.results)  # kept: free when it was shown
        charts.set_inputs(dataclasses.replace(inputs, tornado=data))
