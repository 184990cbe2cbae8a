"""Files in the window: save and reopen, bad files, recent files, layout, closing, drops."""

from __future__ import annotations

import json
from pathlib import Path

from gui_fixtures import make_window, wait_settled, window  # fixtures
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from test_gui_window import type_into

from app.domain.files import load_preset
from app.gui.settings import settings_path


def test_save_and_reopen_gives_the_same_comparison(qtbot, window, make_window, tmp_path) -> None:
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "1234")
    window.editor.editors["model"].form.groups[("moe",)].setChecked(True)
    assert window.isWindowModified()
    target = tmp_path / "mine.json"
    assert window.files.save_as(target)
    assert not window.isWindowModified()
    assert "mine.json" in window.windowTitle()
    assert load_preset(target) == window.comparison
    other = make_window(open_default=False)
    assert other.files.open_file(target)
    wait_settled(qtbot, other)
    wait_settled(qtbot, window)  # both refined: a quick result of one against the other's refined one differs
    assert other.comparison == window.comparison
    assert other.editor.field("usage", "answer_tokens").value_edit.text() == "1234"
    assert other.charts.summary.cell_text(0, 2) == window.charts.summary.cell_text(0, 2)
    assert not other.isWindowModified()


def test_the_shipped_comparison_opens_untitled_so_save_never_overwrites_it(window) -> None:
    assert window.document.path is None
    assert "not saved" in window.windowTitle()


def test_a_bad_file_shows_the_problem_and_leaves_the_work_untouched(qtbot, window, tmp_path) -> None:
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "777")
    before, dirty, generation = window.comparison, window.document.dirty, window.runner.generation
    document = json.loads(Path("presets/comparisons/deepseek-question.json").read_text())
    document["scenarios"][0]["model"] = {"kind": "model", "name": "half a model"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    assert not window.files.open_file(bad)
    box = window.message_box
    assert box is not None and box.isVisible()
    text, details = box.text(), box.detailedText()
    assert "bad.json" in text and "scenarios[0] ('Llama 3.1 405B (dense) on H100').model.layers: required field is missing" in text
    assert "Traceback" not in text + details
    assert window.comparison is before and window.document.dirty == dirty
    assert window.runner.generation == generation
    assert window.editor.field("usage", "answer_tokens").value_edit.text() == "777"
    box.close()
    document = json.loads(Path("presets/comparisons/deepseek-question.json").read_text())
    document["scenarios"][1]["usage"] = "no-such-usage"
    bad.write_text(json.dumps(document))
    assert not window.files.open_file(bad)
    assert "scenarios[1] ('DeepSeek-V3 (mixture of experts) on H800').usage: no shipped usage preset 'no-such-usage'" in window.message_box.text()
    assert window.comparison is before
    not_json = tmp_path / "notes.json"
    not_json.write_text("{ this is not json")
    assert not window.files.open_file(not_json)
    assert "is not valid JSON" in window.message_box.text()
    assert window.comparison is before


def test_a_single_preset_file_is_used_in_the_selected_scenario(window, tmp_path) -> None:
    from app.domain.files import save_preset

    site = load_preset(Path("presets/datacenters/hyperscale-china.json"))
    save_preset(tmp_path / "site.json", site)
    window.scenario_list.list.setCurrentRow(1)
    assert window.files.open_file(tmp_path / "site.json")
    assert window.comparison.scenarios[1].datacenter == site
    window.undo()
    assert window.comparison.scenarios[1].datacenter == "hyperscale-us"


def test_dropping_a_file_on_the_window_opens_it(qtbot, window, tmp_path) -> None:
    target = tmp_path / "dropped.json"
    renamed = window.comparison.model_copy(update={"name": "Dropped comparison"})
    from app.domain.files import save_preset

    save_preset(target, renamed)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.comparison.name == "Dropped comparison"
    assert window.document.path == target


def test_recent_files_and_layout_are_remembered_in_isolated_settings(qtbot, make_window, tmp_path) -> None:
    first = make_window()
    first.files.save_as(tmp_path / "a.json")
    first.files.save_as(tmp_path / "b.json")
    first.splitter.setSizes([333, 900])
    sizes = first.splitter.sizes()
    first.close()
    assert settings_path().is_file()
    assert not str(settings_path()).startswith(str(Path("~").expanduser() / ".config"))
    second = make_window(open_default=False)
    assert [p.name for p in second.files.recent.paths()][:2] == ["b.json", "a.json"]
    assert second.splitter.sizes()[0] == sizes[0]  # the offscreen screen is too small to test the window size
    assert second.settings.value("window/geometry") is not None
    second.actions_.recent_menu.aboutToShow.emit()
    assert any("b.json" in a.text() for a in second.actions_.recent_menu.actions())


def test_closing_with_unsaved_changes_asks_first(qtbot, window, tmp_path) -> None:
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "901")
    asked = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    window.files.ask_save_changes = cancel
    assert not window.close()
    assert asked and window.isVisible()
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Save
    window.document.path = tmp_path / "kept.json"
    assert window.close()
    assert load_preset(tmp_path / "kept.json").scenarios[0].usage.answer_tokens.value == 901


def test_new_starts_an_untitled_comparison(qtbot, window) -> None:
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "902")
    window.actions_.new.trigger()  # the fixture discards the changes
    assert window.document.path is None and not window.document.can_undo
    assert window.comparison.scenarios[0].usage == "chat-assistant"


def test_shortcuts_are_the_usual_ones(window) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.actions_.save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.actions_.open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.actions_.undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.actions_.redo.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)


def test_a_vanished_recent_file_is_reported_and_forgotten(window, tmp_path) -> None:
    target = tmp_path / "gone.json"
    window.files.save_as(target)
    target.unlink()
    window.files.open_recent(target.resolve())
    assert "file not found" in window.message_box.text()
    assert target.resolve() not in window.files.recent.paths()


def test_launching_on_a_single_preset_file_uses_it_in_the_default_comparison(make_window, tmp_path) -> None:
    from app.domain.files import save_preset

    model = load_preset(Path("presets/models/mixtral-8x7b.json"))
    save_preset(tmp_path / "model.json", model)
    window = make_window(open_default=False)
    assert window.files.open_file(tmp_path / "model.json")
    assert "DeepSeek question" in window.windowTitle()
    assert window.comparison.scenarios[0].model == model


def test_dropping_a_comparison_over_unsaved_changes_asks_first(qtbot, window, tmp_path) -> None:
    from app.domain.files import save_preset

    other = tmp_path / "other.json"
    save_preset(other, window.comparison.model_copy(update={"name": "Other"}))
    type_into(qtbot, window.editor.field("usage", "answer_tokens").value_edit, "903")
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Cancel
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert window.comparison.name == "The DeepSeek question"  # cancelled: the edit is kept
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.dropEvent(drop)
    assert window.comparison.name == "Other"


def test_save_right_after_typing_keeps_what_was_typed(qtbot, window, tmp_path) -> None:
    """Ctrl+S does not move the focus: the value still waiting for its typing pause is saved too."""
    target = tmp_path / "typed.json"
    assert window.files.save_as(target)
    layers = window.editor.field("model", "layers")
    type_into(qtbot, layers.value_edit, "131", enter=False)  # no Enter, no pause
    assert window.files.save()
    saved = load_preset(target)
    assert saved.scenarios[0].model.layers.value == 131


def test_closing_right_after_typing_asks_to_save(qtbot, window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(window.files, "ask_save_changes", lambda: asked.append(True) or QMessageBox.StandardButton.Cancel)
    type_into(qtbot, window.editor.field("model", "layers").value_edit, "127", enter=False)
    assert not window.close()  # cancelled: the typed change is not lost
    assert asked and window.comparison.scenarios[0].model.layers.value == 127


def test_every_shipped_comparison_can_be_started_from_the_file_menu(qtbot, window) -> None:
    """File > New from Example lists every shipped comparison by name and opens it untitled."""
    from app import paths

    window.actions_.examples_menu.aboutToShow.emit()
    entries = {action.text(): action for action in window.actions_.examples_menu.actions()}
    assert len(entries) == len(paths.shipped_comparison_ids()) >= 8
    assert window.actions_.examples_menu.actions()[0].text() == "The DeepSeek question"
    entries["Published case: GPT-3 175B training"].trigger()
    assert window.comparison.name == "Published case: GPT-3 175B training"
    assert window.document.path is None and not window.document.dirty
    assert all(action.statusTip() for action in entries.values())  # each says what it is
