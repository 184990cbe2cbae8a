"""Names and text from a file stay text: no markup in the window, no formula in a spreadsheet, no megabyte names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from gui_fixtures import make_window, wait_settled, window  # fixtures
from PySide6.QtCore import Qt

from app.domain.errors import PresetFileError
from app.domain.files import load_preset
from app.domain.text import MAX_NAME_CHARS
from app.render.export import csv_text
from app.report.tidy import tidy
from app.report.untrusted_text import markup_escaped, plain_tooltip, spreadsheet_safe
from tests.factories import comparison, write

HOSTILE = "<b>bold</b> =HYPERLINK(\"http://x\")"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-1.5", "-1.5"),
        ("+2e3", "+2e3"),
        ("DeepSeek-R1", "DeepSeek-R1"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(cell: str, written: str) -> None:
    assert spreadsheet_safe(cell) == written


def test_the_csv_export_escapes_formula_names_but_not_numbers() -> None:
    rows = [("summary", "=cmd()", "energy", "-3", "month", -1.5, 0.0, 2.0, "Wh")]
    (_header, row) = list(csv.reader(io.StringIO(csv_text(tidy(rows)))))
    assert row[1] == "'=cmd()" and row[4] == "-3" and row[6] == "-1.5"


def test_markup_is_escaped_for_html_widgets_and_tooltips() -> None:
    assert markup_escaped("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert plain_tooltip("plain\ntext") == "plain\ntext"
    assert "&lt;b&gt;" in plain_tooltip("<b>x</b>\nsecond") and "<br>" in plain_tooltip("<b>x</b>\nsecond")


def test_a_name_longer_than_the_cap_is_refused_naming_the_field(tmp_path: Path) -> None:
    document = comparison()
    document["scenarios"][1]["name"] = "x" * 4_000_000
    with pytest.raises(PresetFileError) as caught:
        load_preset(write(tmp_path / "c.json", document))
    (problem,) = caught.value.problems
    assert problem.field == "scenarios[1].name"
    assert f"at most {MAX_NAME_CHARS} characters" in problem.message


def test_a_hostile_scenario_name_is_shown_as_plain_text(qtbot, make_window, tmp_path: Path) -> None:
    document = comparison()
    document["scenarios"][0]["name"] = HOSTILE
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    window = make_window(open_default=False)
    assert window.files.open_file(path)
    wait_settled(qtbot, window)
    title = window.editor.title
    assert title.textFormat() == Qt.TextFormat.PlainText and HOSTILE in title.text()
    labels = [label.text for chart in window.charts.charts for legend in chart._legends
              for _sample, label in legend.items]
    assert labels and not any("<b>" in text for text in labels)
    assert any("&lt;b&gt;" in text for text in labels)
