"""The main window's menus and toolbar, and the dialogs behind Help.

Kept apart from ``main_window`` so the window only wires them in: every action
is a field of one :class:`WindowActions` (the window's ``actions_``), which the
menus, the toolbar and the shortcut list read. An action reaches the window's
parts when triggered (``window.files`` ...), so the menus exist before the
content they act on is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import app
from app import paths
from app.gui.slot_guard import guarded

if TYPE_CHECKING:
    from app.gui.charts_panel import ChartsPanel
    from app.gui.main_window import MainWindow

BOUNDARIES = ("facility", "fleet", "server", "accelerator")
"""Where energy is counted, widest first (the toolbar's choice)."""
LICENCE = "MIT"
ABOUT_TEXT = (
    "<h3>Jevons {version}</h3>"
    "<p>Compare the lifecycle energy of AI models: training, per-query inference and "
    "adoption-driven totals, with the rebound (Jevons) effect of cheaper queries.</p>"
    "<p>Every shipped number carries its source; Help &gt; Methodology gives the equations, "
    "assumptions and the engine's error on every published case.</p>"
    "<p>Licence: {licence}. Built with PySide6 (Qt, LGPLv3), pyqtgraph, NumPy and pydantic.</p>"
)


def _action(window: MainWindow, text: str, handler, shortcut: QKeySequence | str | None = None,
            tip: str = "") -> QAction:
    """An action whose errors are shown in a dialog (``guarded``), never a half-done window."""
    item = QAction(text, window)
    if shortcut is not None:
        item.setShortcut(QKeySequence(shortcut))
    item.setStatusTip(tip)
    run = guarded(window, text.replace("&", "").removesuffix("…"), handler)
    item.triggered.connect(lambda _checked=False: run())
    return item


@dataclass(eq=False)
class WindowActions:
    """Everything the window's menus, toolbar and shortcuts trigger, in one object (``window.actions_``).

    Built with the window's frame, before its content: an action reaches the
    window's parts only when triggered (``window.files`` ...), and one that
    needs the charts or editors waits for them (``window.when_ready``).
    :func:`install` lays the menus and the toolbar out from it.
    """

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    export: QAction
    report: QAction
    print: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    copy_verdict: QAction
    copy_table: QAction
    inputs_panel: QAction
    reset_views: QAction
    reset_layout: QAction
    verdict_map: QAction
    next_pane: QAction
    previous_pane: QAction
    reading: QAction
    methodology: QAction
    shortcuts: QAction
    about: QAction
    boundary: QComboBox
    """Where energy is counted (in the toolbar)."""
    examples_menu: QMenu | None = None
    recent_menu: QMenu | None = None
    toolbar: QToolBar | None = None
    help_dialog: QWidget | None = None
    """The Help dialog last opened (tests read and close it)."""

    @classmethod
    def of(cls, window: MainWindow) -> WindowActions:
        keys = QKeySequence.StandardKey
        ready = window.when_ready
        actions = cls(
            new=_action(window, "&New Comparison", lambda: window.files.new(), keys.New,
                        "Start again from the DeepSeek question, untitled"),
            open=_action(window, "&Open…", lambda: window.files.choose_and_open(), keys.Open),
            save=_action(window, "&Save", lambda: window.files.save(), keys.Save),
            save_as=_action(window, "Save &As…", lambda: window.files.choose_and_save_as(), keys.SaveAs),
            export=_action(window, "&Export Charts…", lambda: window.exports.open_export_dialog(), "Ctrl+E",
                           "Export charts as PNG, SVG or PDF and their data as CSV"),
            report=_action(window, "Export &Report…", lambda: window.exports.choose_and_export_report(),
                           "Ctrl+Shift+R", "One self-contained HTML file (verdict, summary, every chart, "
                           "every input with its source) and a PDF beside it"),
            print=_action(window, "&Print…", lambda: ready(lambda: print_results(window.charts, window)), keys.Print,
                          "Print the headline, the summary and the charts"),
            quit=_action(window, "&Quit", window.close, keys.Quit),
            undo=_action(window, "&Undo", lambda: window.undo(), keys.Undo),
            redo=_action(window, "&Redo", lambda: window.redo(), keys.Redo),
            copy_verdict=_action(window, "Copy &Verdict", lambda: ready(window.charts.copy_verdict), "Ctrl+Shift+C",
                                 "The headline and its details as text, to quote"),
            copy_table=_action(window, "Copy &Table", lambda: ready(window.charts.summary.copy), "Ctrl+Shift+T",
                               "The summary table, tab-separated, to paste into a spreadsheet"),
            inputs_panel=QAction("&Inputs Panel", window),
            reset_views=_action(window, "&Reset Chart Views", lambda: ready(window.charts.reset_views), "Ctrl+0",
                                "Undo every zoom and pan: each chart back to its own ranges (double-click a chart for one)"),
            reset_layout=_action(window, "Reset &Layout", lambda: ready(window.reset_layout), None,
                                 "Panel sizes back to their defaults for this window size"),
            verdict_map=_action(window, "Verdict &Map…", lambda: ready(lambda: open_verdict_map(window)), "Ctrl+M",
                                "Map a scenario's energy ratio to the baseline over two inputs, and where it flips"),
            next_pane=_action(window, "Next &Pane", lambda: ready(lambda: focus_pane(window, 1)), "F6",
                              "Move the keyboard focus to the next part of the window: scenarios, inputs, results"),
            previous_pane=_action(window, "Previous Pa&ne", lambda: ready(lambda: focus_pane(window, -1)), "Shift+F6",
                                  "Move the keyboard focus to the previous part of the window"),
            reading=_action(window, "&Reading the Results",
                            lambda: show_dialog(window, document_dialog(window, "reading.md", "Reading the results")),
                            keys.HelpContents),
            methodology=_action(window, "&Methodology", lambda: show_dialog(window, methodology_dialog(window))),
            shortcuts=_action(window, "&Keyboard Shortcuts", lambda: ready(lambda: show_dialog(
                window, shortcuts_dialog(window, shortcut_rows(window.actions_, window.scenario_list.actions_.values()))))),
            about=_action(window, "&About Jevons", lambda: show_dialog(window, about_box(window))),
            boundary=QComboBox(),
        )
        actions.new.setIconText("New")
        # The toolbar says "Undo"/"Redo" (it never widens); the menu and tooltip say what.
        actions.undo.setIconText("Undo")
        actions.redo.setIconText("Redo")
        panel = actions.inputs_panel
        panel.setCheckable(True)
        panel.setChecked(True)
        panel.setShortcut(QKeySequence("F9"))
        panel.setStatusTip("Show or hide the scenarios and their inputs, to give the charts the whole window")
        panel.toggled.connect(lambda on: ready(lambda: window.inputs_panel.setVisible(on)))
        actions.about.setMenuRole(QAction.MenuRole.AboutRole)
        actions.boundary.setObjectName("boundary")
        actions.boundary.addItems(BOUNDARIES)
        actions.boundary.setToolTip(
            "What energy counts: accelerators only; plus their host server; plus idle fleet capacity; "
            "plus the facility overhead (PUE)"
        )
        return actions


def install(window: MainWindow, actions: WindowActions) -> None:
    """The menus (File, Edit, Scenario, View, Help) and the toolbar, laid out from ``actions``."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    file.addAction(actions.new)
    actions.examples_menu = examples = file.addMenu("New from E&xample")
    examples.setToolTipsVisible(True)
    examples.aboutToShow.connect(lambda: window.files.fill_examples_menu(examples))
    file.addAction(actions.open)
    actions.recent_menu = recent = file.addMenu("Open &Recent")
    recent.aboutToShow.connect(lambda: window.files.fill_recent_menu(recent))
    for group in ((actions.save, actions.save_as), (actions.export, actions.report, actions.print), (actions.quit,)):
        file.addSeparator()
        file.addActions(list(group))
    edit = bar.addMenu("&Edit")
    edit.addActions([actions.undo, actions.redo])
    edit.addSeparator()
    edit.addActions([actions.copy_verdict, actions.copy_table])
    scenario = bar.addMenu("&Scenario")  # the scenario list's own actions, once it exists
    window.when_ready(lambda: scenario.addActions(list(window.scenario_list.actions_.values())))
    view = bar.addMenu("&View")
    view.addActions([actions.inputs_panel, actions.reset_views, actions.reset_layout, actions.next_pane,
                     actions.previous_pane])
    view.addSeparator()
    view.addAction(actions.verdict_map)
    help_ = bar.addMenu("&Help")
    help_.addActions([actions.reading, actions.methodology, actions.shortcuts])
    help_.addSeparator()
    help_.addAction(actions.about)
    actions.toolbar = toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.addActions([actions.new, actions.open, actions.save, actions.undo, actions.redo, actions.export])
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Energy counted at: "))
    toolbar.addWidget(actions.boundary)
    window.addToolBar(toolbar)


def panes(window: MainWindow) -> list[QWidget]:
    """The window's parts in reading order, each by the widget that takes the focus in it."""
    return [window.scenario_list.list, window.editor.tabs.tabBar(), window.charts.summary]


def focus_pane(window: MainWindow, step: int) -> None:
    """F6 / Shift+F6: the focus to the next (previous) part of the window, as in other desktop apps."""
    order = [w for w in panes(window) if w.isVisible()]
    if not order:
        return
    focused = QApplication.focusWidget()
    current = next((i for i, w in enumerate(order) if focused is not None and (w is focused or w.isAncestorOf(focused))),
                   -1 if step > 0 else 0)
    order[(current + step) % len(order)].setFocus(Qt.FocusReason.ShortcutFocusReason)


def print_results(charts: ChartsPanel, parent: QWidget) -> None:
    """File > Print: the results side of the window (``charts``), as shown, scaled to the page."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    paint_results(charts, printer)


def paint_results(charts: ChartsPanel, device) -> None:  # a QPrinter or any paint device
    """Paint the headline, the summary table and the charts on ``device``, fitted to its page."""
    from PySide6.QtGui import QPainter

    panel = charts.splitter
    painter = QPainter(device)
    try:
        page = painter.viewport()
        top = charts.headline
        height = top.height() + panel.height()
        scale = min(page.width() / max(panel.width(), top.width(), 1), page.height() / max(height, 1))
        painter.scale(scale, scale)
        top.render(painter, QPoint(0, 0))
        panel.render(painter, QPoint(0, top.height()))
    finally:
        painter.end()


def open_verdict_map(window: MainWindow) -> None:
    """The verdict map on the last computed comparison (kept in ``window.verdict_map_dialog``)."""
    from app.gui.verdict_map_dialog import VerdictMapDialog

    if window.resolved is None or len(window.resolved.scenarios) < 2:
        window.statusBar().showMessage("A verdict map needs a computed comparison of two scenarios or more", 8000)
        return
    if window.verdict_map_dialog is not None:
        window.verdict_map_dialog.close()
    window.verdict_map_dialog = VerdictMapDialog(window.resolved, window.selected, window)
    window.verdict_map_dialog.show()


def show_dialog(window: MainWindow, dialog: QWidget) -> None:
    """Open ``dialog`` without blocking (kept as ``window.actions_.help_dialog`` so tests can read and close it)."""
    window.actions_.help_dialog = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Jevons")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(ABOUT_TEXT.format(version=app.__version__, licence=LICENCE))  # looked up when asked: see app/__init__
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    return box


def _dialog(parent: QWidget, title: str, body: QWidget, size: tuple[int, int]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    return dialog


def document_text(name: str, title: str) -> str:
    """A shipped document of docs/ (Markdown), or why it is missing."""
    path = paths.docs_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        return f"# {title}\n\n{title} could not be read from {path}: {error.strerror or error}."


def document_dialog(parent: QWidget, name: str, title: str) -> QDialog:
    """A shipped Markdown document in a dialog of its own."""
    browser = QTextBrowser()
    browser.setObjectName(name.removesuffix(".md"))
    browser.setAccessibleName(title)
    browser.setOpenExternalLinks(True)
    browser.setMarkdown(document_text(name, title))
    return _dialog(parent, f"Jevons: {title.lower()}", browser, (820, 680))


def methodology_dialog(parent: QWidget) -> QDialog:
    return document_dialog(parent, "methodology.md", "Methodology")


def shortcut_rows(actions: WindowActions, scenario_actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(action, keys) of every action with a shortcut, in menu order (File, Edit, then the scenario
    list's own actions in the Scenario menu, View, Help), read from the one actions object."""
    own = [value for value in (getattr(actions, f.name) for f in fields(actions)) if isinstance(value, QAction)]
    edit_ends = own.index(actions.copy_table) + 1
    rows: dict[str, str] = {}
    for action in (*own[:edit_ends], *scenario_actions, *own[edit_ends:]):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        name = action.text().replace("&", "").removesuffix("…").strip()
        if keys and name:
            rows.setdefault(name.split("  ")[0], keys)
    return list(rows.items())


def shortcuts_dialog(parent: QWidget, rows: list[tuple[str, str]]) -> QDialog:
    """The shortcut list (:func:`shortcut_rows`) as a two-column table in a dialog of its own."""
    table = QTableWidget(len(rows), 2)
    table.setObjectName("shortcuts")
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Action", "Keys"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, (name, keys) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(name))
        table.setItem(r, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return _dialog(parent, "Keyboard shortcuts", table, (420, 460))
