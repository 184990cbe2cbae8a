"""No e-notation where people read: the window's text, the evaluate table, the report's visible text."""

from __future__ import annotations

import re

from gui_fixtures import make_window, window  # fixtures
from PySide6.QtWidgets import QLabel

from app.cli import main as cli_main

E_NOTATION = re.compile(r"\d[eE][+-]?\d")


def test_the_window_text_has_no_e_notation(window) -> None:
    texts = [label.text() for label in window.findChildren(QLabel)]
    table = window.charts.summary
    texts += [table.cell_text(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
    texts += [table.item(r, c).toolTip() for r in range(table.rowCount()) for c in range(table.columnCount())
              if table.item(r, c) is not None]
    texts.append(window.charts.headline.text())
    found = [t for t in texts if E_NOTATION.search(t)]
    assert not found, found


def test_the_evaluate_table_has_no_e_notation(capsys) -> None:
    assert cli_main(["evaluate", "deepseek-question", "--samples", "100"]) == 0
    out = capsys.readouterr().out
    assert "× 10²⁵" in out  # training compute, as a power of ten
    assert not E_NOTATION.search(out), [line for line in out.splitlines() if E_NOTATION.search(line)]
    words = [line for line in out.splitlines() if set(line.strip()) != {"-"}]  # not the rule under the header
    assert not any(" -0." in line or "--" in line for line in words)  # a true minus, no "-0.69--0.029"


def test_the_reports_visible_text_has_no_e_notation(tmp_path, qapp) -> None:
    """The appendix printed inputs as "3.8e+25"; its visible text is what is outside tags and SVG markup."""
    assert cli_main(["report", "deepseek-question", "--out", str(tmp_path), "--samples", "50"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    visible = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S)
    assert "Published training flops (model)" in visible or "Published training FLOP" in visible
    assert not E_NOTATION.search(visible), [m.group(0) for m in E_NOTATION.finditer(visible)][:5]


def test_a_ratio_keeps_its_significant_zeros_so_one_reads_apart_from_its_neighbours() -> None:
    """A review's finding: 1.02 read "1×" beside "0.96×", uneven exactly where a verdict flips, and 0.50 read
    "0.5×"; a ratio keeps the figures it is given, an axis's round ticks do not need them."""
    from app.numbers import times

    assert [times(x, 2) for x in (1.02, 0.96, 0.5, 0.087, 160)] == ["1.0×", "0.96×", "0.50×", "0.087×", "160×"]
    assert times(1.0, 2, zeros=False) == "1×"


def test_the_training_race_headline_reads_its_ratio_near_one_to_two_figures(capsys) -> None:
    """At its 1,000 samples the re-spent scenario's median is 1.02: "1.0×", where it had read "1×"."""
    assert cli_main(["evaluate", "training-race"]) == 0
    out = capsys.readouterr().out
    assert "saving re-spent on training uses 1.0× (0.67–1.6×)" in out, out
