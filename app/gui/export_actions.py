"""Export Charts and Export Report: what the window shows, written as images, data and a report."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar

from app.gui import messages
from app.report.formats import DEFAULT_SCALE, ExportError

if TYPE_CHECKING:
    from app.gui.charts_panel import ChartsPanel
    from app.gui.engine_binding import EngineBinding
    from app.gui.engine_worker import EngineRunner


class ChartsWindow(Protocol):
    """What the exports use of the window (a QWidget, the parent of their dialogs): its charts, the
    engine that computes What matters most for them (``engine``, whose ``runner`` says when a result is
    final), its typing and its messages. Nothing of its document, files or menus."""

    charts: ChartsPanel | None
    engine: EngineBinding
    runner: EngineRunner

    def commit_typing(self) -> None: ...
    def show_message(self, title: str, text: str, details: str = "") -> QMessageBox: ...
    def statusBar(self) -> QStatusBar: ...  # Qt's name


COMPUTING = "Computing the figures to export…"
"""The status bar's message while an export waits for the engine."""


class ExportActions(QObject):
    """Exports the window's charts (``window.charts``) and its report, of the document as it is.

    An export first commits the typing. When the charts already show the newest request's final result
    (What matters most included, for an export of it) it writes at once. Otherwise (an edit's quick pass
    or no result yet drawn, or What matters most hidden and so not computed) it asks the engine thread
    for the newest snapshot, final and with its sensitivity when the export includes it (the window's
    own latest-wins runner), and writes once the charts show that result: the GUI thread never waits for
    the engine, and the files are written whole, at once, from what the window then shows.
    """

    written = Signal(list)
    """The files one export or report wrote (``[]`` when it failed): at once, or once its figures came."""

    def __init__(self, window: ChartsWindow, last_folder: Callable[[], str]):
        """``last_folder()`` is where the file dialogs start (the folder of the last file opened or saved)."""
        super().__init__(window)
        self.window = window
        self.last_folder = last_folder
        self._waiting: list[Callable[[], list[Path]]] = []
        """Writes waiting for the engine's final result, in the order asked."""
        self._listening = False

    @property
    def waiting(self) -> bool:
        """Whether an export waits for the engine."""
        return bool(self._waiting)

    def open_export_dialog(self, chart_id: str | None = None) -> None:
        """Choose charts (``chart_id`` preselected), formats and folder, then export."""
        from app.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self.window.charts.exportable, self.last_folder(), self.window,
                              chosen=chart_id)
        if dialog.exec():
            self.export(dialog.out_dir, dialog.formats, dialog.scale, dialog.chart_ids)

    def export(self, out_dir: str | Path, formats: list[str], scale: float = DEFAULT_SCALE,
               chart_ids: list[str] | None = None) -> None:
        """Export the charts (all, or those in ``chart_ids``) and their data; ``written`` says what was written."""
        self.window.commit_typing()
        self._when_current(partial(self._write_charts, Path(out_dir), formats, scale, chart_ids),
                           with_sensitivity=chart_ids is None or "sensitivity" in chart_ids)

    def choose_and_export_report(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Write the report into", self.last_folder())
        if not folder:
            return
        existing = [p for p in (Path(folder) / "report.html", Path(folder) / "report.pdf") if p.exists()]
        if existing and not messages.confirm_replace(self.window, "Replace the report?",
                                                     f"{folder} already holds a report; replace it?"):
            return
        self.export_report(folder)

    def export_report(self, out_dir: str | Path) -> None:
        """Write the report bundle (report.html, report.pdf) of what the window shows, What matters most
        included; ``written`` says what was written."""
        self.window.commit_typing()
        self._when_current(partial(self._write_report, Path(out_dir)), with_sensitivity=True)

    def _write_charts(self, out_dir: Path, formats: list[str], scale: float,
                      chart_ids: list[str] | None) -> list[Path]:
        from app.render.export import export_charts

        charts_panel = self.window.charts
        charts = [c for c in charts_panel.exportable if chart_ids is None or c.chart_id in chart_ids]
        extra = {"summary": charts_panel.summary.csv_rows} if chart_ids is None else {}
        try:
            written = export_charts(charts, out_dir, formats, scale, extra)
        except ExportError as error:
            self.window.show_message("Export failed", str(error))
            return []
        self.window.statusBar().showMessage(f"Exported {len(written)} file(s) to {out_dir}", 8000)
        return written

    def _write_report(self, out_dir: Path) -> list[Path]:
        from app.render.report_bundle import write_report

        try:
            written = write_report(self.window.charts.exportable, self.window.charts.summary, out_dir)
        except ExportError as error:
            self.window.show_message("Report failed", str(error))
            return []
        self.window.statusBar().showMessage(f"Wrote the report to {written[0]}", 8000)
        return written

    def _when_current(self, write: Callable[[], list[Path]], with_sensitivity: bool) -> None:
        """Run ``write`` now if the charts show the newest request's final result (``with_sensitivity``:
        and What matters most computed for it); otherwise once they do, asking the engine thread for it
        (one request serves every export waiting)."""
        engine = self.window.engine
        if engine.session is None or engine.session.document is None:  # nothing to compute: write what is shown
            self.written.emit(write())
            return
        if self._shows_newest_final() and (not with_sensitivity or self.window.charts.inputs.tornado is not None):
            self.written.emit(write())
            return
        self._waiting.append(write)
        if not self._listening:
            engine.plotsUpdated.connect(self._on_plots_updated)
            engine.computationFailed.connect(self._on_computation_failed)
            self._listening = True
        if with_sensitivity and not engine.sensitivity_wanted:
            engine.sensitivity_wanted = True  # and every request made meanwhile, by an edit, computes it too
        elif len(self._waiting) > 1:
            return  # asked already: the same result serves this one
        self.window.statusBar().showMessage(COMPUTING)
        engine.request(final=True)

    def _shows_newest_final(self) -> bool:
        """Whether the charts show the final result (every sample) of the newest request."""
        runner = self.window.runner
        return (self.window.charts.inputs is not None and runner.latest_is_final
                and self.window.engine.shown_generation == runner.generation)

    def _on_plots_updated(self, _generation: int) -> None:
        """A result is drawn: write the waiting exports if it is the newest request's final one (asked
        with What matters most when one of them includes it)."""
        if not self._waiting or not self._shows_newest_final():
            return
        waiting, self._waiting = self._waiting, []
        self.window.engine.sensitivity_wanted = False
        for write in waiting:
            self.written.emit(write())

    def _on_computation_failed(self, message: str) -> None:
        """The engine could not compute the snapshot: the waiting exports write nothing, and say why."""
        if not self._waiting:
            return
        waiting, self._waiting = self._waiting, []
        self.window.engine.sensitivity_wanted = False
        self.window.statusBar().clearMessage()
        self.window.show_message("Export failed", f"The engine could not compute what the export shows:\n{message}")
        for _write in waiting:
            self.written.emit([])
