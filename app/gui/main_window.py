"""The main window: scenario list and editors on the left, charts on the right.

The window assembles views over a Qt-free session controller
(:class:`app.session.controller.Session`: the document, its edits and undo
history, and what the engine is to compute) through thin Qt adapters: the
edit binding (views -> session edits -> redrawn views), the engine runner
(latest-wins computation on a worker thread) and the engine binding (its
results in the charts), the file and export actions (each through the narrow
interface it declares: ``DocumentWindow``, ``ChartsWindow``), and the menus,
toolbar and shortcuts (one :class:`app.gui.menus.WindowActions`). Its start,
frame first, is :mod:`app.gui.startup`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from app import paths
from app.gui import messages
from app.gui.accessibility import name_controls
from app.gui.engine_binding import EngineBinding
from app.gui.engine_worker import EngineRunner
from app.gui.export_actions import ExportActions
from app.gui.file_actions import FileActions
from app.gui.menus import WindowActions, install
from app.gui.recovery import Recovery, ask_restore
from app.gui.settings import open_settings
from app.gui.startup import Startup
from app.gui.status_bar import BusyIndicator, show_calibration_fallback
from app.gui.view_state import restore_geometry, restore_splitters, restore_view_state, save_layout, save_view_state
from app.session.options import QUICK_SAMPLES

if TYPE_CHECKING:
    from app.domain.errors import PresetFileError
    from app.domain.library import PresetLibrary, ResolvedComparison
    from app.domain.scenario import Comparison
    from app.gui.charts_panel import ChartsPanel
    from app.session.autosave import Orphan
    from app.session.controller import Session
    from app.session.document import Document


def inputs_panel_sizes(width: int) -> list[int]:
    """Widths of the inputs panel and the charts: the panel narrower on a laptop screen.

    From 1,200 px the panel is at least 420 px, where every field's unit shows whole beside its
    value and range; a narrower window keeps 380 px (its rows then wrap) so that the charts keep
    the width they need."""
    panel = min(480, max(round(width * 0.27), 420 if width >= 1200 else 380))
    return [panel, max(width - panel, 1)]


class MainWindow(QMainWindow):
    """Jevons' main window."""

    plotsUpdated = Signal(int)
    """The charts now show the result of this computation generation."""
    computationFailed = Signal(str)

    def __init__(
        self,
        library: PresetLibrary | None = None,
        samples: int = 1000,
        quick_samples: int = QUICK_SAMPLES,
        refine_delay_ms: int = 300,
        progressive: bool = False,
        opening: Callable[[MainWindow], None] | None = None,
        parent: QWidget | None = None,
    ):
        """``progressive`` paints the window frame before building its content (the app's start,
        :mod:`app.gui.startup`); ``opening`` opens the first document once the session exists."""
        super().__init__(parent)
        self.setObjectName("jevons-main")
        self.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "jevons.svg")))
        self.setAcceptDrops(True)
        self.library = library
        self.session: Session | None = None
        self.settings = open_settings()
        self.files = FileActions(self)
        self.exports = ExportActions(self, self.files.last_folder)
        self.recovery = Recovery(self)
        self.verdict_map_dialog = None
        self.message_box: QMessageBox | None = None
        self.startup = Startup(self, (lambda: opening(self)) if opening is not None else None)
        self.charts: ChartsPanel | None = None
        self._splitters: dict[str, QSplitter] = {}
        self.actions_ = WindowActions.of(self)
        """What the menus, the toolbar and the shortcuts trigger (``actions_``: ``actions()`` is Qt's)."""
        install(self, self.actions_)
        self.busy = BusyIndicator(self.statusBar())
        show_calibration_fallback(self.statusBar())
        self.resize(1600, 980)
        restore_geometry(self, self.settings)
        # Started before the content: a window that failed to build is closed by its owner,
        # which stops the thread (shutdown is idempotent).
        self.runner = EngineRunner(samples, quick_samples, refine_delay_ms, parent=self)
        self.runner.busyChanged.connect(self.busy.set_busy)
        self.engine = EngineBinding(self.runner, self)
        self.engine.plotsUpdated.connect(lambda _generation: self.startup.result_shown())
        self.engine.plotsUpdated.connect(self.plotsUpdated)
        self.engine.plotsUpdated.connect(lambda _generation: self.show_deployment_choice())
        self.engine.computationFailed.connect(lambda _message: self.startup.result_shown())
        self.engine.computationFailed.connect(self.computationFailed)
        if progressive:
            # Paint the frame first (app.gui.startup builds the rest after it).
            loading = QLabel("Loading…")
            loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setCentralWidget(loading)
            self.menuBar().setEnabled(False)
            self.actions_.toolbar.setEnabled(False)
        else:
            try:
                self.startup.build_now()
            except BaseException:
                self.runner.stop()  # never leave the thread running under a half-built window
                raise

    def open_session(self) -> None:
        """The preset library and the session the window edits (start-up step)."""
        from app.domain.library import PresetLibrary
        from app.session.controller import Session

        if self.library is None:
            self.library = PresetLibrary()
        self.session = self.engine.session = Session(self.library)

    def build_charts(self) -> None:
        """The charts on the right, the inputs panel (filled by ``build_inputs``) on the left (start-up step)."""
        from app.gui.charts_panel import ChartsPanel

        self.charts = self.engine.charts = ChartsPanel()
        self.charts.exportRequested.connect(self.exports.open_export_dialog)
        self.charts.tornadoMetricChanged.connect(self.request_computation)
        self.charts.sensitivityShown.connect(self.request_computation)
        self.inputs_panel = QSplitter(Qt.Orientation.Vertical)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.inputs_panel)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes(inputs_panel_sizes(self.width()))
        self._splitters = {"main/horizontal": self.splitter, "main/left": self.inputs_panel, **self.charts.splitters}
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.setCentralWidget(container)

    def build_inputs(self) -> None:
        """The scenario list and the editors, bound to the session (start-up step)."""
        from app.gui.edit_binding import EditBinding
        from app.gui.editors.scenario_editor import ScenarioEditor
        from app.gui.scenario_list import ScenarioListView

        self.scenario_list = ScenarioListView()
        self.editor = ScenarioEditor(self.library)
        self.editor.saveAsRequested.connect(self.files.choose_and_save_preset)
        self.inputs_panel.addWidget(self.scenario_list)
        self.inputs_panel.addWidget(self.editor)
        self.inputs_panel.setStretchFactor(0, 1)
        self.inputs_panel.setStretchFactor(1, 4)
        self.inputs_panel.setSizes([170, 730])
        self.edits = EditBinding(self.session, self.scenario_list, self.editor, self.actions_.boundary, self)
        self.edits.changed.connect(self._on_edits_changed)
        self.edits.selectionChanged.connect(self.request_computation)  # the sensitivity follows the scenario
        self.edits.refused.connect(lambda message: self.statusBar().showMessage(message, 8000))
        if self.document is not None:
            self.edits.redraw(force=True)
        self.document_changed()
        restore_splitters(self._splitters, self.settings)
        restore_view_state(self, self.settings)
        self.menuBar().setEnabled(True)
        self.actions_.toolbar.setEnabled(True)
        self.scenario_list.selectionChanged.connect(lambda _row: self.show_deployment_choice())
        name_controls(self)

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the editors are built (at once if they are)."""
        self.startup.when_ready(callback)

    # ------------------------------------------------------------ the document

    @property
    def document(self) -> Document | None:
        return self.session.document if self.session is not None else None

    @property
    def comparison(self) -> Comparison:
        assert self.session is not None
        return self.session.comparison

    @property
    def selected(self) -> int:
        """The scenario shown in the editors."""
        return self.session.selected if self.session is not None else 0

    def show_deployment_choice(self) -> None:
        """The Deployment tab says how the last result served the selected scenario, and why."""
        from app.report.chart_data import ChartInputs
        from app.report.verdict import deployment_summary

        inputs = self.charts.inputs
        if not self.startup.ready or not isinstance(inputs, ChartInputs):
            return
        scenarios = inputs.result.scenarios
        text = deployment_summary(scenarios[self.selected]) if self.selected < len(scenarios) else ""
        self.editor.deployment_choice.setText(text)

    def set_document(self, document: Document) -> None:
        """Edit ``document`` from now on: every view redrawn from it.

        All or nothing: a document the session refuses (PresetFileError, EditError)
        raises before anything changes, and should redrawing the views fail, the
        previous document (with its undo history and selection) is put back and
        redrawn before the error goes on to the caller's dialog.
        """
        assert self.session is not None
        previous, selected = self.session.document, self.session.selected
        self.session.open(document)
        if not self.startup.ready:  # the views are drawn from it once built
            self.request_computation()
            return
        try:
            self.edits.refresh(force=True)
        except Exception:
            self.session.restore(previous, selected)
            if previous is not None:
                self.edits.refresh(force=True)
            raise
        name_controls(self)  # editors made for this document's presets are named too

    def commit_typing(self) -> None:
        """Text still waiting for its typing pause belongs to the document before it is saved, exported or left."""
        if self.startup.ready:
            self.editor.commit_pending()

    def undo(self) -> None:
        self.when_ready(self.edits.undo)

    def redo(self) -> None:
        self.when_ready(self.edits.redo)

    def _on_edits_changed(self) -> None:
        self.request_computation()  # first: the engine computes while the views are redrawn
        self.document_changed()

    def document_changed(self) -> None:
        """The title, undo and redo, and the autosave follow the document."""
        document = self.document
        if document is None:
            self.setWindowTitle("Jevons")
            return
        where = document.path.name if document.path else "not saved"
        self.setWindowTitle(f"{document.comparison.name} — {where}[*] — Jevons")
        self.setWindowModified(document.dirty)
        self.actions_.undo.setEnabled(document.can_undo)
        self.actions_.redo.setEnabled(document.can_redo)
        self.actions_.undo.setText(f"&Undo {document.undo_label}".rstrip())
        self.actions_.redo.setText(f"&Redo {document.redo_label}".rstrip())
        self.charts.set_about(document.comparison.name, document.comparison.description)
        self.recovery.document_changed(document)

    # ------------------------------------------------------------ the engine

    def request_computation(self) -> int:
        """Ask the engine for the current snapshot (after the window's first paint)."""
        if not self.startup.allows_request():  # asked again once the frame has painted
            return self.runner.generation
        return self.engine.request()

    @property
    def resolved(self) -> ResolvedComparison | None:
        """The comparison the charts show."""
        return self.engine.resolved

    @property
    def shown_generation(self) -> int:
        """The computation generation the charts show."""
        return self.engine.shown_generation

    # ------------------------------------------------------------ messages

    def show_message(self, title: str, text: str, details: str = "") -> QMessageBox:
        """A non-blocking warning dialog (kept in ``message_box``)."""
        self.message_box = messages.warning(self, title, text, details)
        return self.message_box

    def show_file_error(self, title: str, error: PresetFileError) -> QMessageBox:
        """The foundation's problems, grouped by file: which field, what is wrong."""
        return self.show_message(title, *messages.file_problems(error))

    def ask_restore(self, name: str, orphan: Orphan) -> QMessageBox.StandardButton:
        """Yes to restore an autosave a crash left behind, No to discard it (tests replace this)."""
        return ask_restore(self, name, orphan)

    # ------------------------------------------------------------ window events

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        self.files.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.files.dropped(event)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.UpdateRequest:
            self.startup.window_painted()  # the whole window has just been painted
        return handled

    def reset_layout(self) -> None:
        """Panel sizes back to their defaults for the window's size; the inputs panel shown."""
        self.actions_.inputs_panel.setChecked(True)
        self.splitter.setSizes(inputs_panel_sizes(self.width()))
        self.charts.reset_layout()

    def save_layout(self) -> None:
        save_layout(self, self._splitters if self.startup.ready else {}, self.settings)
        if self.startup.ready:
            save_view_state(self, self.settings)
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop the engine thread (waits for a running computation to end). Idempotent."""
        self.runner.stop()
        if self.verdict_map_dialog is not None:
            self.verdict_map_dialog.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        if self.startup.ready and not self.files.maybe_discard():
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        self.recovery.discard()  # a clean exit: nothing to recover
        if self.message_box is not None:
            self.message_box.close()
        event.accept()
