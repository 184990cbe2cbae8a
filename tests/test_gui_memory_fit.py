"""The window refuses a deployment that cannot hold its model at the field that made it so, like any other
impossible input (:mod:`app.engine.memory_fit`): the typing stays, nothing is computed."""

from __future__ import annotations

from gui_fixtures import *  # noqa: F403 - pytest fixtures
from gui_fixtures import wait_settled
from test_gui_window import type_into


def test_the_window_refuses_memory_that_cannot_hold_the_model_at_the_field_and_keeps_the_typing(qtbot, make_window) -> None:
    """80 GB typed for the one-node scenario's H200s: the edit is refused at the field, with the numbers, the
    text stays as typed, nothing is recomputed or put on the undo stack; 100 GB is then applied."""
    window = make_window(example="deepseek-deployments")
    window.scenario_list.list.setCurrentRow(2)
    window.editor.tabs.setCurrentWidget(window.editor.editors["hardware"])
    wait_settled(qtbot, window)
    memory = window.editor.field("hardware", "memory_gb")
    generation = window.runner.generation
    type_into(qtbot, memory.value_edit, "80")
    assert "DeepSeek-V3's weights need 671 GB at fp8" in memory.error and "hold 640 GB" in memory.error
    assert memory.value_edit.text() == "80"
    assert not window.session.document.can_undo and window.runner.generation == generation
    type_into(qtbot, memory.value_edit, "100")
    wait_settled(qtbot, window)
    assert not memory.error and window.session.document.can_undo


def test_opening_a_file_whose_deployment_cannot_hold_its_model_names_the_file_in_the_dialog(window, tmp_path) -> None:
    """The dialog says which file, as the command line does: it had an empty line where the file belongs and
    details starting ": scenarios[2] ..." (review 21, finding 8)."""
    import json

    from app import paths

    data = json.loads((paths.presets_dir() / "comparisons" / "deepseek-deployments.json").read_text())
    data["scenarios"][2]["hardware"] = "h800-sxm"  # 671 GB of DeepSeek-V3 on 8 x 80 GB
    path = tmp_path / "on-h800.json"
    path.write_text(json.dumps(data))
    assert not window.files.open_file(path)
    box = window.message_box
    assert box.isVisible()
    assert box.text().splitlines()[1] == str(path)
    assert "DeepSeek-V3's weights need 671 GB" in box.text()
    assert box.detailedText().startswith(f"{path}: scenarios[2] ('")
    box.close()
