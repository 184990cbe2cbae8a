"""The main window's menus and toolbar, and the dialogs behind Help.

Kept apart from ``main_window`` so the window only wires them in. An action
reaches the window's parts when triggered (``window.files`` ...), so the
menus exist before the content they act on is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
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


def _action(window: MainWindow, text: str, handler, shortcut: QKeySequence | str | None = None,  # noqa: ANN001
            tip: str = "") -> QAction:
    item = QAction(text, window)
    if shortcut is not None:
        item.setShortcut(QKeySequence(shortcut))
    item.setStatusTip(tip)
    run = guarded(window, text.replace("&", "").removesuffix("…"), handler)
    item.triggered.connect(lambda _checked=False: run())
    return item


def install_file_menu(window: MainWindow) -> None:
    """File: new, open, recent, save, export, quit."""
    keys = QKeySequence.StandardKey
    window.new_action = _action(window, "&New Comparison", lambda: window.files.new(), keys.New,
                                "Start again from the DeepSeek question, untitled")
    window.new_action.setIconText("New")
    window.open_action = _action(window, "&Open…", lambda: window.files.choose_and_open(), keys.Open)
    window.save_action = _action(window, "&Save", lambda: window.files.save(), keys.Save)
    window.save_as_action = _action(window, "Save &As…", lambda: window.files.choose_and_save_as(), keys.SaveAs)
    window.export_action = _action(window, "&Export Charts…", lambda: window.exports.open_export_dialog(), "Ctrl+E",
                                   "Export charts as PNG, SVG or PDF and their data as CSV")
    window.print_action = _action(window, "&Print…", lambda: window.when_ready(lambda: print_results(window)),
                                  QKeySequence.StandardKey.Print, "Print the headline, the summary and the charts")
    window.report_action = _action(window, "Export &Report…", lambda: window.exports.choose_and_export_report(),
                                   "Ctrl+Shift+R", "One self-contained HTML file (verdict, summary, every chart, "
                                   "every input with its source) and a PDF beside it")
    quit_action = _action(window, "&Quit", window.close, keys.Quit)
    menu = window.menuBar().addMenu("&File")
    menu.addAction(window.new_action)
    window.examples_menu = menu.addMenu("New from E&xample")
    window.examples_menu.setToolTipsVisible(True)
    window.examples_menu.aboutToShow.connect(lambda: window.files.fill_examples_menu(window.examples_menu))
    menu.addAction(window.open_action)
    window.recent_menu = menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(lambda: window.files.fill_recent_menu(window.recent_menu))
    for group in ((window.save_action, window.save_as_action),
                  (window.export_action, window.report_action, window.print_action),
                  (quit_action,)):
        menu.addSeparator()
        menu.addActions(list(group))


def install_edit_menu(window: MainWindow) -> None:
    """Edit: undo and redo, named after the edit they undo or redo. Scenario: the scenario list's actions."""
    keys = QKeySequence.StandardKey
    window.undo_action = _action(window, "&Undo", lambda: window.undo(), keys.Undo)
    window.redo_action = _action(window, "&Redo", lambda: window.redo(), keys.Redo)
    # The toolbar says "Undo"/"Redo" (it never widens); the menu and tooltip say what.
    window.undo_action.setIconText("Undo")
    window.redo_action.setIconText("Redo")
    menu = window.menuBar().addMenu("&Edit")
    menu.addActions([window.undo_action, window.redo_action])
    menu.addSeparator()
    window.copy_verdict_action = _action(window, "Copy &Verdict", lambda: window.when_ready(window.charts.copy_verdict),
                                         "Ctrl+Shift+C", "The headline and its details as text, to quote")
    window.copy_table_action = _action(window, "Copy &Table", lambda: window.when_ready(window.charts.summary.copy),
                                       "Ctrl+Shift+T", "The summary table, tab-separated, to paste into a spreadsheet")
    menu.addActions([window.copy_verdict_action, window.copy_table_action])
    scenario_menu = window.menuBar().addMenu("&Scenario")
    window.when_ready(lambda: scenario_menu.addActions(list(window.scenario_list.actions_.values())))


def install_toolbar(window: MainWindow) -> None:
    """The everyday actions and where energy is counted (``window.boundary``)."""
    toolbar = window.toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.addActions([window.new_action, window.open_action, window.save_action, window.undo_action,
                        window.redo_action, window.export_action])
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Energy counted at: "))
    window.boundary = QComboBox()
    window.boundary.setObjectName("boundary")
    window.boundary.addItems(BOUNDARIES)
    window.boundary.setToolTip(
        "What energy counts: accelerators only; plus their host server; plus idle fleet capacity; "
        "plus the facility overhead (PUE)"
    )
    toolbar.addWidget(window.boundary)
    window.addToolBar(toolbar)


def install_view_menu(window: MainWindow) -> None:
    """View: the inputs panel on or off, every chart back to its own ranges, the default layout, the verdict map."""
    menu = window.menuBar().addMenu("&View")
    window.inputs_panel_action = panel = QAction("&Inputs Panel", window)
    panel.setCheckable(True)
    panel.setChecked(True)
    panel.setShortcut(QKeySequence("F9"))
    panel.setStatusTip("Show or hide the scenarios and their inputs, to give the charts the whole window")
    panel.toggled.connect(lambda on: window.when_ready(lambda: window.inputs_panel.setVisible(on)))
    window.reset_views_action = reset = QAction("&Reset Chart Views", window)
    reset.setShortcut(QKeySequence("Ctrl+0"))
    reset.setStatusTip("Undo every zoom and pan: each chart back to its own ranges (double-click a chart for one)")
    reset.triggered.connect(lambda: window.when_ready(window.charts.reset_views))
    layout = QAction("Reset &Layout", window)
    layout.setStatusTip("Panel sizes back to their defaults for this window size")
    layout.triggered.connect(lambda: window.when_ready(window.reset_layout))
    window.verdict_map_action = verdict_map = QAction("Verdict &Map…", window)
    verdict_map.setShortcut(QKeySequence("Ctrl+M"))
    verdict_map.setStatusTip("Map a scenario's energy ratio to the baseline over two inputs, and where it flips")
    verdict_map.triggered.connect(lambda: window.when_ready(lambda: open_verdict_map(window)))
    panes = [_action(window, "Next &Pane", lambda: window.when_ready(lambda: focus_pane(window, 1)), "F6",
                     "Move the keyboard focus to the next part of the window: scenarios, inputs, results"),
             _action(window, "Previous Pa&ne", lambda: window.when_ready(lambda: focus_pane(window, -1)), "Shift+F6",
                     "Move the keyboard focus to the previous part of the window")]
    for action in (panel, reset, layout, *panes):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(verdict_map)


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


def print_results(window: MainWindow) -> None:
    """File > Print: the results side of the window, as shown, scaled to the page."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    paint_results(window, printer)


def paint_results(window: MainWindow, device) -> None:  # noqa: ANN001 - a QPrinter or any paint device
    """Paint the headline, the summary table and the charts on ``device``, fitted to its page."""
    from PySide6.QtGui import QPainter

    panel = window.charts.splitter
    painter = QPainter(device)
    try:
        page = painter.viewport()
        top = window.charts.headline
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


def install_help_menu(window: MainWindow) -> None:
    """Help: how to read the window (F1), the methodology in the app, the keyboard shortcuts, About."""
    menu = window.menuBar().addMenu("&Help")
    reading = QAction("&Reading the Results", window)
    reading.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    reading.triggered.connect(lambda: show_dialog(window, document_dialog(window, "reading.md", "Reading the results")))
    methodology = QAction("&Methodology", window)
    methodology.triggered.connect(lambda: show_dialog(window, methodology_dialog(window)))
    shortcuts = QAction("&Keyboard Shortcuts", window)
    shortcuts.triggered.connect(lambda: show_dialog(window, shortcuts_dialog(window)))
    about = QAction("&About Jevons", window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: show_dialog(window, about_box(window)))
    for action in (reading, methodology, shortcuts):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(about)
    window.help_actions = {"reading": reading, "methodology": methodology, "shortcuts": shortcuts, "about": about}


def show_dialog(window: MainWindow, dialog: QWidget) -> None:
    """Open ``dialog`` without blocking (kept on the window so tests can read and close it)."""
    window.help_dialog = dialog
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


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(action, keys) of every window action with a shortcut, in menu order, without duplicates."""
    rows: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        name = action.text().replace("&", "").removesuffix("…").strip()
        if keys and name:
            rows.setdefault(name.split("  ")[0], keys)
    return sorted(rows.items(), key=lambda row: row[0].lower())


def shortcuts_dialog(window: QWidget) -> QDialog:
    rows = shortcut_rows(window)
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
    return _dialog(window, "Keyboard shortcuts", table, (420, 460))
