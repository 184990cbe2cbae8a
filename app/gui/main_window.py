"""The main window: scenario list and editors on the left, charts on the right.

The window is a view of a :class:`Document` (frozen comparison snapshots)
and of the latest engine result. Every user action becomes a function of
``app.session.edits`` producing a new snapshot; the window then redraws the list
and editors from it and asks the :class:`EngineRunner` for a computation.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from typing import TYPE_CHECKING

from app import paths
from app.engine import calibration
from app.gui.accessibility import name_controls
from app.gui.engine_worker import EngineRunner
from app.gui.view_state import restore_view_state, save_view_state
from app.gui.menus import install_help_menu, install_view_menu
from app.report.formats import DEFAULT_SCALE, ExportError
from app.gui.recovery import Recovery, ask_restore
from app.gui.settings import RecentFiles, open_settings

if TYPE_CHECKING:
    from app.domain.library import PresetLibrary
    from app.report.chart_data import ChartInputs
    from app.domain.scenario import Comparison
    from app.session.autosave import Orphan
    from app.session.document import Document


def _import_content_modules() -> None:
    """Import the domain, editors and charts.

    Deferred so that a progressive window paints its frame before paying for
    pydantic's models and pyqtgraph (about half of the start-up time); every
    method that uses these names runs only once the content is built.
    """
    global PresetFileError, Problem, load_preset, save_preset, PresetLibrary, resolve_comparison  # noqa: PLW0603
    global ResolvedComparison  # noqa: PLW0603
    global Comparison, edits, ChartsPanel, Document, ScenarioEditor, export_charts  # noqa: PLW0603
    global ScenarioListView, Resolver, sensitivity  # noqa: PLW0603
    from app.domain.errors import PresetFileError, Problem
    from app.domain.files import load_preset, save_preset
    from app.domain.library import PresetLibrary, ResolvedComparison, resolve_comparison
    from app.domain.scenario import Comparison
    from app.session import edits
    from app.gui.charts_panel import ChartsPanel
    from app.session.document import Document
    from app.gui.editors.scenario_editor import ScenarioEditor
    from app.gui.export import export_charts
    from app.gui.scenario_list import ScenarioListView
    from app.session.compute import sensitivity
    from app.session.resolution import Resolver

DEFAULT_COMPARISON = "deepseek-question"
FILE_FILTER = "Jevons files (*.json);;All files (*)"
BOUNDARIES = ("facility", "fleet", "server", "accelerator")


def inputs_panel_sizes(width: int) -> list[int]:
    """Widths of the inputs panel and the charts: the panel narrower on a laptop screen."""
    panel = max(380, min(480, round(width * 0.27)))
    return [panel, max(width - panel, 1)]


def default_comparison_path() -> Path:
    return paths.presets_dir() / "comparisons" / f"{DEFAULT_COMPARISON}.json"


class MainWindow(QMainWindow):
    """Jevons' main window."""

    plotsUpdated = Signal(int)
    """The charts now show the result of this computation generation."""
    computationFailed = Signal(str)

    def __init__(
        self,
        library: PresetLibrary | None = None,
        samples: int = 1000,
        quick_samples: int = 100,
        refine_delay_ms: int = 300,
        progressive: bool = False,
        parent: QWidget | None = None,
    ):
        """``progressive`` paints the window frame before building its content (faster start)."""
        super().__init__(parent)
        self.setObjectName("jevons-main")
        self.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "jevons.svg")))
        self.setAcceptDrops(True)
        self.library = library
        self.settings = open_settings()
        self.recent = RecentFiles(self.settings)
        self.recovery = Recovery(self)
        self.document: Document | None = None
        self.selected = 0
        self.resolved: ResolvedComparison | None = None
        self.verdict_map_dialog = None
        self.message_box: QMessageBox | None = None
        self.shown_generation = 0
        self._painted = False
        self._computation_deferred = False

        self._content_built = False
        self._when_ready: list = []
        self._build_actions()
        self._build_status_bar()
        self.resize(1600, 980)
        self._restore_geometry()
        # Started before the content: a window that failed to build is closed by its owner,
        # which stops the thread (shutdown is idempotent).
        self.runner = EngineRunner(samples, quick_samples, refine_delay_ms, parent=self)
        self.runner.resultReady.connect(self._on_runner_result_ready)
        self.runner.computationFailed.connect(self._on_runner_computation_failed)
        self.runner.busyChanged.connect(self._on_runner_busy_changed)
        if progressive:
            # Paint the frame first; the editors and charts are built right after.
            loading = QLabel("Loading…")
            loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setCentralWidget(loading)
            self.menuBar().setEnabled(False)
            self.toolbar.setEnabled(False)
        else:
            try:
                self._build_content()
            except BaseException:
                self.runner.stop()  # never leave the thread running under a half-built window
                raise

    def _build_content_after_paint(self) -> None:
        try:
            self._build_content()
        except Exception as error:  # noqa: BLE001 - shown to the user instead of a silent blank window
            self.show_message("Jevons could not start", f"{type(error).__name__}: {error}")

    def _build_content(self) -> None:
        """The scenario list, editors and charts (after the first paint when progressive)."""
        if self._content_built:
            return
        _import_content_modules()
        if self.library is None:
            self.library = PresetLibrary()
        self.scenario_list = ScenarioListView()
        self.editor = ScenarioEditor(self.library)
        self.charts = ChartsPanel()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.scenario_list)
        left.addWidget(self.editor)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.charts)
        self.inputs_panel = left
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes(inputs_panel_sizes(self.width()))
        left.setSizes([170, 730])
        self._splitters = {"main/horizontal": self.splitter, "main/left": left, **self.charts.splitters}
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.setCentralWidget(container)
        self._connect_views()
        self.charts.exportRequested.connect(self.open_export_dialog)
        self.charts.tornadoMetricChanged.connect(self._on_charts_tornado_metric_changed)
        self.charts.sensitivityShown.connect(self.request_computation)
        self.resolver = Resolver(self.library)
        self._restore_splitters()
        restore_view_state(self, self.settings)
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self._content_built = True
        name_controls(self)
        callbacks, self._when_ready = self._when_ready, []
        for callback in callbacks:
            callback()

    def when_ready(self, callback) -> None:  # noqa: ANN001
        """Run ``callback`` once the content is built (at once if it is)."""
        if self._content_built:
            callback()
        else:
            self._when_ready.append(callback)

    # ------------------------------------------------------------ construction

    def _build_actions(self) -> None:
        def action(text: str, handler, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
            item = QAction(text, self)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
            item.setStatusTip(tip)
            item.triggered.connect(handler)
            return item

        # Ctrl+N adds a scenario (the everyday action); a fresh comparison is Ctrl+Shift+N.
        self.new_action = action("&New Comparison", self._on_new_triggered, "Ctrl+Shift+N",
                                 "Start again from the DeepSeek question, untitled")
        self.new_action.setIconText("New")
        self.open_action = action("&Open…", self._on_open_triggered, QKeySequence.StandardKey.Open)
        self.save_action = action("&Save", self._on_save_triggered, QKeySequence.StandardKey.Save)
        self.save_as_action = action("Save &As…", self._on_save_as_triggered, QKeySequence.StandardKey.SaveAs)
        self.export_action = action("&Export Charts…", self._on_export_triggered, "Ctrl+E",
                                    "Export charts as PNG, SVG or PDF and their data as CSV")
        self.report_action = action("Export &Report…", self._on_export_report_triggered, "Ctrl+Shift+R",
                                    "One self-contained HTML file (verdict, summary, every chart, every input "
                                    "with its source) and a PDF beside it")
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = action("&Undo", self._on_undo_triggered, QKeySequence.StandardKey.Undo)
        self.redo_action = action("&Redo", self._on_redo_triggered, QKeySequence.StandardKey.Redo)
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_action)
        menu.addAction(self.open_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.report_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        # The toolbar says "Undo"/"Redo" (it never widens); the menu and tooltip say what.
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        self.scenario_menu = self.menuBar().addMenu("&Scenario")
        self.when_ready(lambda: self.scenario_menu.addActions(list(self.scenario_list.actions_.values())))
        install_view_menu(self)
        install_help_menu(self)

        toolbar = self.toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for item in (self.new_action, self.open_action, self.save_action, self.undo_action, self.redo_action,
                     self.export_action):
            toolbar.addAction(item)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Energy counted at: "))
        self.boundary = QComboBox()
        self.boundary.setObjectName("boundary")
        self.boundary.addItems(BOUNDARIES)
        self.boundary.setToolTip(
            "What energy counts: accelerators only; plus their host server; plus idle fleet capacity; "
            "plus the facility overhead (PUE)"
        )
        self.boundary.currentIndexChanged.connect(self._on_boundary_index_changed)
        toolbar.addWidget(self.boundary)
        self.addToolBar(toolbar)

    def _show_calibration_fallback(self) -> None:
        """Say in the status bar, for as long as the window is open, that ``$JEVONS_CALIBRATION`` was refused."""
        problems = calibration.environment_problems()
        if not problems:
            return
        self.calibration_warning = QLabel(
            f"{calibration.ENVIRONMENT_VARIABLE} cannot be used: {problems[0]} - using the shipped calibration"
        )
        self.calibration_warning.setObjectName("calibration-fallback")
        self.calibration_warning.setTextFormat(Qt.TextFormat.PlainText)  # the problems quote the file
        self.calibration_warning.setToolTip("\n".join(problems))
        self.calibration_warning.setStyleSheet("color: #9a3412;")
        self.statusBar().addWidget(self.calibration_warning, 1)

    def _build_status_bar(self) -> None:
        # Always laid out at a fixed size: showing and hiding widgets in the status bar
        # would re-lay out the window, and so repaint every chart, twice per edit.
        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setFixedSize(120, 12)
        self.busy.setTextVisible(False)
        self.busy.setRange(0, 1)
        # Shown only while busy; hiding keeps its room, so nothing is laid out again.
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy.setSizePolicy(policy)
        self.busy.setVisible(False)
        self.busy.setAccessibleName("Computing")
        self.busy_label = QLabel()
        self.busy_label.setFixedWidth(90)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)
        self._show_calibration_fallback()
        # The bar animates only for computations long enough to notice.
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(250)
        self._busy_timer.timeout.connect(self._show_busy_bar)

    def _show_busy_bar(self) -> None:
        self.busy.setRange(0, 0)
        self.busy.setVisible(True)

    def _connect_views(self) -> None:
        lst = self.scenario_list
        lst.selectionChanged.connect(self._on_scenario_list_selection_changed)
        lst.addRequested.connect(lambda: self._edit(lambda c: edits.add_scenario(c, self.library), "Add scenario",
                                                    select=lambda c: len(c.scenarios) - 1))
        lst.duplicateRequested.connect(
            lambda i: self._edit(lambda c: edits.duplicate_scenario(c, i), "Duplicate scenario", select=lambda c: i + 1)
        )
        lst.removeRequested.connect(
            lambda i: self._edit(lambda c: edits.remove_scenario(c, i), "Remove scenario",
                                 select=lambda c: min(i, len(c.scenarios) - 1))
        )
        lst.renameRequested.connect(
            lambda i, name: self._edit(lambda c: edits.rename_scenario(c, i, name), "Rename scenario")
        )
        lst.moveRequested.connect(
            lambda i, j: self._edit(lambda c: edits.move_scenario(c, i, j), "Move scenario", select=lambda c: j)
        )
        lst.baselineRequested.connect(
            lambda i: self._edit(lambda c: edits.set_baseline(c, i), "Set baseline")
        )
        self.editor.changesRequested.connect(self._on_editor_changes_requested)
        self.editor.presetChosen.connect(self._on_editor_preset_chosen)
        self.editor.saveAsRequested.connect(self._on_editor_save_as_requested)

    # ------------------------------------------------------------ documents

    @property
    def comparison(self) -> Comparison:
        assert self.document is not None
        return self.document.comparison

    def set_document(self, document: Document) -> None:
        document = Document(edits.fill_colors(document.comparison), document.path,
                            saved=not document.dirty)
        self.document = document
        self.selected = 0
        self._refresh(force=True)
        name_controls(self)  # editors made for this document's presets are named too

    def open_default(self) -> bool:
        """Open the shipped "DeepSeek question" comparison, untitled so Save never overwrites it."""
        path = default_comparison_path()
        try:
            comparison = load_preset(path)
            if not isinstance(comparison, Comparison):
                raise PresetFileError([Problem(str(path), "kind", "is not a comparison")])
            resolve_comparison(comparison, self.library, str(path))
        except PresetFileError as error:
            self.show_file_error("The shipped comparison could not be opened", error)
            return False
        self.set_document(Document(comparison, None, saved=True))
        return True

    def open_file(self, path: str | Path, confirm: bool = False) -> bool:
        """Open a comparison file, or use a single preset file in the selected scenario.

        A file that cannot be read is reported in a dialog and changes nothing.
        With ``confirm``, unsaved changes are offered for saving before a
        comparison replaces them (a single preset only adds an undoable edit).
        """
        path = Path(path)
        try:
            preset = load_preset(path)
            if isinstance(preset, Comparison):
                resolve_comparison(preset, self.library, str(path))
        except PresetFileError as error:
            self.show_file_error(f"Cannot open {path.name}", error)
            return False
        except Exception as error:  # noqa: BLE001 - a file must never end in a traceback
            self.show_message(f"Cannot open {path.name}", f"{path}: {type(error).__name__}: {error}")
            return False
        if isinstance(preset, Comparison):
            if confirm and not self.maybe_discard():
                return False
            self.set_document(Document(preset, path))
            self.recent.add(path)
            return True
        if self.document is None and not self.open_default():
            return False  # nothing to put the preset in (the reason is already shown)
        part = preset.kind
        self._edit(lambda c: edits.set_part(c, self.selected, part, preset), f"Use {part} preset {path.name}")
        self.recent.add(path)
        return True

    def _commit_typing(self) -> None:
        """Text still waiting for its typing pause belongs to the document before it is saved, exported or left."""
        if self._content_built:
            self.editor.commit_pending()

    def save(self) -> bool:
        self._commit_typing()
        if self.document is None:
            return False
        if self.document.path is None:
            return self._on_save_as_triggered()
        return self.save_as(self.document.path)

    def save_as(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            save_preset(path, self.comparison)
        except OSError as error:
            self.show_message("Cannot save", f"{path}: {error.strerror or error}")
            return False
        assert self.document is not None
        self.document.mark_saved(path)
        self.recent.add(path)
        self._update_title()
        return True

    def save_preset_as(self, part: str, path: str | Path) -> bool:
        """Save the selected scenario's ``part`` preset (as edited) as a preset file."""
        preset = edits.part_of(self.comparison, self.selected, part, self.library)
        try:
            save_preset(Path(path), preset)
        except OSError as error:
            self.show_message("Cannot save the preset", f"{path}: {error.strerror or error}")
            return False
        self.statusBar().showMessage(f"Saved {preset.kind} preset {Path(path).name}", 5000)
        return True

    # ------------------------------------------------------------ edits

    def _edit(self, change, label: str, select=None) -> bool:
        """Apply ``change`` (comparison -> comparison); show why when it is refused."""
        if self.document is None:
            return False
        try:
            new = change(self.comparison)
        except edits.EditError as error:
            self.statusBar().showMessage(error.message, 8000)
            self._refresh(force=True)
            return False
        if select is not None:
            self.selected = select(new)
        if self.document.apply(new, label):
            self._refresh(force=False)
        else:
            self.scenario_list.set_comparison(self.comparison, self.selected, force=True)
        return True

    def _on_editor_changes_requested(self, changes, label: str, origin) -> None:
        try:
            new = edits.apply_changes(self.comparison, self.selected, changes, self.library)
        except edits.EditError as error:
            # Flag the field first so the redraw keeps its typed text, then restore
            # switches the user flipped, then flag again (a redraw clears section errors).
            self.editor.show_error(origin[0], origin[1], error.message)
            # The snapshot did not change, so redraw the form itself: a refused choice or
            # switch shows the snapshot's value again (typed text, flagged, is kept).
            self.editor.editors[origin[0]].form.set_preset(self.editor.parts[origin[0]])
            self.editor.show_error(origin[0], origin[1], error.message)
            return
        self.editor.clear_error(*origin)
        assert self.document is not None
        if self.document.apply(new, label):
            self._refresh(force=False)

    def _on_editor_preset_chosen(self, part: str, preset_id: str | None) -> None:
        label = f"Use {part} preset {preset_id}" if preset_id else "Train on the serving hardware"
        self._edit(lambda c: edits.set_part(c, self.selected, part, preset_id, self.library), label)
        self._show_scenario(force=True)

    def _show_scenario(self, force: bool) -> None:
        """Show the selected scenario's presets and the market it shares with the others."""
        comparison = self.comparison
        self.editor.set_scenario(comparison.scenarios[self.selected], force=force)
        self.editor.set_market(comparison.market, edits.market_of(comparison, self.library), force=force)

    def _on_scenario_list_selection_changed(self, row: int) -> None:
        if self.document is None or row == self.selected or row >= len(self.comparison.scenarios):
            return
        self.selected = row
        self.scenario_list.set_comparison(self.comparison, row)
        self._show_scenario(force=True)
        self.request_computation()  # the sensitivity follows the scenario being edited

    def _on_charts_tornado_metric_changed(self, _metric: str) -> None:
        self.request_computation()

    def _on_boundary_index_changed(self, _index: int) -> None:
        boundary = self.boundary.currentText()
        self._edit(lambda c: edits.set_boundary(c, boundary), f"Count energy at the {boundary}")

    def undo(self) -> None:
        if self.document is not None and self.document.undo():
            self._refresh(force=True)

    def redo(self) -> None:
        if self.document is not None and self.document.redo():
            self._refresh(force=True)

    _on_undo_triggered = undo
    _on_redo_triggered = redo

    # ------------------------------------------------------------ views and engine

    def _refresh(self, force: bool) -> None:
        """Recompute, then redraw list, editors and title from the current snapshot.

        The engine is asked first, so it computes while the views are redrawn.
        """
        comparison = self.comparison
        self.selected = min(self.selected, len(comparison.scenarios) - 1)
        self.request_computation()
        self.scenario_list.set_comparison(comparison, self.selected, force=force)
        self._show_scenario(force=force)
        with QSignalBlocker(self.boundary):
            self.boundary.setCurrentText(comparison.boundary)
        self._update_title()

    def request_computation(self) -> int:
        """Ask the engine for the current snapshot (after the window's first paint)."""
        if not self._painted:
            # The engine thread would compete with the first paint for the GIL; start it after.
            self._computation_deferred = True
            return self.runner.generation
        if self.document is None:
            return self.runner.generation
        shown = self._content_built and self.charts.sensitivity_shown
        self.runner.focus = self._sensitivity_focus() if shown else None
        try:
            resolved = self.resolver(self.comparison)
        except PresetFileError as error:
            self._on_runner_computation_failed(0, "\n".join(str(p) for p in error.problems))
            return self.runner.generation
        return self.runner.request(resolved)

    def _sensitivity_focus(self) -> tuple[int, str]:
        """(scenario, metric) of What matters most: the selected scenario, the chosen metric."""
        return self.selected, self.charts.tornado_metric.currentData()

    def _on_runner_result_ready(self, generation: int, resolved: ResolvedComparison, inputs: ChartInputs) -> None:
        try:
            self.charts.set_inputs(inputs)
        except Exception as error:  # noqa: BLE001 - a result that cannot be drawn is shown, not fatal
            self._on_runner_computation_failed(generation, f"Cannot draw the result: {type(error).__name__}: {error}")
            return
        self.resolved = resolved
        self.shown_generation = generation
        self.plotsUpdated.emit(generation)

    def _on_runner_computation_failed(self, generation: int, message: str) -> None:
        self.charts.show_error(f"The engine could not compute this comparison:\n{message}")
        self.computationFailed.emit(message)

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Computing…" if busy else "")
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.setRange(0, 1)
            self.busy.setVisible(False)

    @property
    def busy_shown(self) -> bool:
        """True while the busy indicator says a computation runs."""
        return bool(self.busy_label.text())

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle("Jevons")
            return
        where = self.document.path.name if self.document.path else "not saved"
        self.setWindowTitle(f"{self.comparison.name} — {where}[*] — Jevons")
        self.setWindowModified(self.document.dirty)
        self.undo_action.setEnabled(self.document.can_undo)
        self.redo_action.setEnabled(self.document.can_redo)
        self.undo_action.setText(f"&Undo {self.document.undo_label}".rstrip())
        self.redo_action.setText(f"&Redo {self.document.redo_label}".rstrip())
        self.recovery.document_changed(self.document)

    # ------------------------------------------------------------ messages

    def show_message(self, title: str, text: str, details: str = "") -> QMessageBox:
        """A non-blocking warning dialog (kept in ``message_box``)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names, fields and names quoted from files
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.message_box = box
        return box

    def show_file_error(self, title: str, error: PresetFileError) -> QMessageBox:
        """The foundation's problems, grouped by file: which field, what is wrong."""
        problems = error.problems or [Problem("", "", str(error))]
        lines: list[str] = []
        for file in dict.fromkeys(p.file for p in problems):
            lines.append(file)
            lines += [f"    {p.field}: {p.message}" if p.field else f"    {p.message}" for p in problems if p.file == file]
        shown = lines[:12]
        if len(lines) > 12:
            shown.append(f"… and {len(lines) - 12} more lines (Show Details)")
        count = len(problems)
        text = f"{count} problem{'s' if count != 1 else ''}:\n" + "\n".join(shown)
        return self.show_message(title, text, "\n".join(str(p) for p in problems))

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save the changes to {self.comparison.name!r} before closing?",
                          buttons.Save | buttons.Discard | buttons.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(buttons.Save)
        return QMessageBox.StandardButton(box.exec())

    def ask_restore(self, name: str, orphan: Orphan) -> QMessageBox.StandardButton:
        """Yes to restore an autosave a crash left behind, No to discard it (tests replace this)."""
        return ask_restore(self, name, orphan)

    def maybe_discard(self) -> bool:
        """True when it is fine to replace or close the current document."""
        self._commit_typing()
        if self.document is None or not self.document.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ------------------------------------------------------------ file actions

    def _on_new_triggered(self) -> None:
        if self.maybe_discard():
            self.open_default()  # a new, untitled copy of the DeepSeek question

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open comparison or preset", self._last_folder(), FILE_FILTER)
        if path:
            self.open_file(path, confirm=True)

    def _on_save_triggered(self) -> bool:
        return self.save()

    def _on_save_as_triggered(self) -> bool:
        self._commit_typing()
        if self.document is None:
            return False
        suggested = str(Path(self._last_folder()) / f"{self.comparison.name}.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save comparison", suggested, FILE_FILTER)
        return self.save_as(path) if path else False

    def _on_editor_save_as_requested(self, part: str) -> None:
        preset = edits.part_of(self.comparison, self.selected, part, self.library)
        suggested = str(Path(self._last_folder()) / f"{preset.name}.json")
        path, _ = QFileDialog.getSaveFileName(self, f"Save {preset.kind} preset", suggested, FILE_FILTER)
        if path:
            self.save_preset_as(part, path)

    def _on_export_triggered(self) -> None:
        self.open_export_dialog()

    def open_export_dialog(self, chart_id: str | None = None) -> None:
        """Choose charts (``chart_id`` preselected), formats and folder, then export."""
        from app.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self.charts.exportable, self._last_folder(), self, chosen=chart_id)
        if dialog.exec():
            self.export(dialog.out_dir, dialog.formats, dialog.scale, dialog.chart_ids)

    def export(self, out_dir: str | Path, formats: list[str], scale: float = DEFAULT_SCALE,
               chart_ids: list[str] | None = None) -> list[Path]:
        """Export the charts (all, or those in ``chart_ids``) and their data."""
        self._commit_typing()
        if chart_ids is None or "sensitivity" in chart_ids:
            self._bring_sensitivity_up_to_date()
        charts = [c for c in self.charts.exportable if chart_ids is None or c.chart_id in chart_ids]
        extra = {"summary": self.charts.summary.csv_rows} if chart_ids is None else {}
        try:
            written = export_charts(charts, Path(out_dir), formats, scale, extra)
        except ExportError as error:
            self.show_message("Export failed", str(error))
            return []
        self.statusBar().showMessage(f"Exported {len(written)} file(s) to {out_dir}", 8000)
        return written

    def export_report(self, out_dir: str | Path) -> list[Path]:
        """Write the report bundle (report.html, report.pdf) of what the window shows."""
        from app.gui.report_bundle import write_report

        self._commit_typing()
        self._bring_sensitivity_up_to_date()
        try:
            written = write_report(self.charts.exportable, self.charts.summary, Path(out_dir))
        except ExportError as error:
            self.show_message("Report failed", str(error))
            return []
        self.statusBar().showMessage(f"Wrote the report to {written[0]}", 8000)
        return written

    def _on_export_report_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Write the report into", self._last_folder())
        if folder:
            existing = [p for p in (Path(folder) / "report.html", Path(folder) / "report.pdf") if p.exists()]
            if existing and QMessageBox.question(
                self, "Replace the report?", f"{folder} already holds a report; replace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
            ) != QMessageBox.StandardButton.Yes:
                return
            self.export_report(folder)

    def _bring_sensitivity_up_to_date(self) -> None:
        """What matters most is computed only while shown: compute it now for an export."""
        inputs = self.charts.inputs
        if inputs is None:
            return
        index, metric = self._sensitivity_focus()
        if index >= len(inputs.resolved.scenarios):
            return
        data = sensitivity(inputs.resolved, index, metric, self.runner.results)  # kept: free when it was shown
        self.charts.set_inputs(dataclasses.replace(inputs, tornado=data))

    def _last_folder(self) -> str:
        if self.document is not None and self.document.path is not None:
            return str(self.document.path.parent)
        recent = self.recent.paths()
        return str(recent[0].parent) if recent else str(Path.home())

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths_ = self.recent.paths()
        for path in paths_:
            item = self.recent_menu.addAction(str(path))
            item.triggered.connect(lambda _=False, p=path: self._on_recent_triggered(p))
        if not paths_:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.recent.clear)

    def _on_recent_triggered(self, path: Path) -> None:
        if not self.open_file(path, confirm=True) and not path.exists():
            self.recent.remove(path)  # gone since it was last opened

    # ------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.open_file(Path(urls[0].toLocalFile()), confirm=True)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.UpdateRequest and not self._painted:
            self._painted = True  # the whole window has just been painted for the first time
            if not self._content_built:
                QTimer.singleShot(0, self._build_content_after_paint)
            if self._computation_deferred:
                self._computation_deferred = False
                QTimer.singleShot(0, self.request_computation)
        return handled

    # ------------------------------------------------------------ layout and closing

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _restore_splitters(self) -> None:
        for key, splitter in self._splitters.items():
            value = self.settings.value(f"splitters/{key}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                splitter.restoreState(value)

    def reset_layout(self) -> None:
        """Panel sizes back to their defaults for the window's size; the inputs panel shown."""
        self.inputs_panel_action.setChecked(True)
        self.splitter.setSizes(inputs_panel_sizes(self.width()))
        self.charts.reset_layout()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        for key, splitter in (self._splitters if self._content_built else {}).items():
            self.settings.setValue(f"splitters/{key}", splitter.saveState())
        if self._content_built:
            save_view_state(self, self.settings)
        self.settings.sync()

    def open_verdict_map(self) -> None:
        """View > Verdict Map: the dialog on the last computed comparison (kept so tests can drive it)."""
        from app.gui.verdict_map_dialog import VerdictMapDialog

        if self.resolved is None or len(self.resolved.scenarios) < 2:
            self.statusBar().showMessage("A verdict map needs a computed comparison of two scenarios or more", 8000)
            return
        if self.verdict_map_dialog is not None:
            self.verdict_map_dialog.close()
        self.verdict_map_dialog = VerdictMapDialog(self.resolved, self.selected, self)
        self.verdict_map_dialog.show()

    def shutdown(self) -> None:
        """Stop the engine thread (waits for a running computation to end). Idempotent."""
        self.runner.stop()
        if self.verdict_map_dialog is not None:
            self.verdict_map_dialog.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._content_built and not self.maybe_discard():
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        self.recovery.discard()  # a clean exit: nothing to recover
        if self.message_box is not None:
            self.message_box.close()
        event.accept()
