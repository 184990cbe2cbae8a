"""Chart export from the window and headless: PNG pixels, SVG curves, PDF pages, CSV data."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from gui_fixtures import QUICK_SAMPLES, SAMPLES, export_and_wait, make_window, wait_settled, window  # fixtures
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app import __version__
from app.cli import main as cli_main
from app.render.export import canvas_size
from app.report.tidy import SENSITIVITY_COLUMNS, TIDY_COLUMNS

CHARTS = ("training-spend", "inference-cost", "adoption-totals")
SVG = "{http://www.w3.org/2000/svg}"


def pixels(path: Path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return buffer.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].copy()


def check_png(path: Path, colors: list[str]) -> None:
    data = pixels(path)
    background = data[0, 0]
    assert (np.abs(data.astype(int) - background).sum(axis=2) > 30).mean() > 0.02, "the image is blank"
    flat = data.reshape(-1, 3)
    for color in colors:
        rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(flat.astype(int)[:, ::-1] - rgb).sum(axis=1) < 40).sum() > 50, f"no {color} in {path.name}"


def svg_strokes(path: Path) -> tuple[set[str], int]:
    """Stroke colours of the groups that hold polylines/paths, and the number of drawn points."""
    root = ET.parse(path).getroot()
    strokes, points = set(), 0
    for group in root.iter(f"{SVG}g"):
        drawn = [e for e in group if e.tag in (f"{SVG}polyline", f"{SVG}path")]
        if drawn and group.get("stroke", "none") != "none":
            strokes.add(group.get("stroke").lower())
            points += sum(len((e.get("points") or e.get("d") or "").split()) for e in drawn)
    return strokes, points


def svg_fills(path: Path) -> set[str]:
    """Fill colours of the groups that hold drawn shapes (bars filled in their scenario's colour)."""
    root = ET.parse(path).getroot()
    return {group.get("fill").lower() for group in root.iter(f"{SVG}g")
            if group.get("fill", "none") != "none" and any(e.tag in (f"{SVG}path", f"{SVG}rect") for e in group)}


def check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1


def check_csv(path: Path) -> list[dict[str, str]]:
    """Metadata comment lines, then a tidy table; returns its rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert {"# boundary: facility", "# seed: 0", f"# jevons_version: {__version__}"} <= set(comments), comments
    assert any(line.startswith("# samples: ") for line in comments)
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    columns = SENSITIVITY_COLUMNS if path.stem == "sensitivity" else TIDY_COLUMNS
    assert rows and tuple(rows[0]) == columns
    for row in rows:
        float(row["output_median" if path.stem == "sensitivity" else "median"])
    return rows


def test_window_exports_every_chart_in_every_format(qtbot, window, tmp_path) -> None:
    colors = [s.color for s in window.comparison.scenarios]
    written = export_and_wait(qtbot, window, tmp_path, ["png", "svg", "pdf", "csv"])
    names = sorted(p.name for p in written)
    exported = (*CHARTS, "sensitivity")
    assert names == sorted([f"{c}.{f}" for c in exported for f in ("png", "svg", "pdf", "csv")]
                           + ["summary.csv", "metadata.json"])
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind
    for chart in window.charts.charts:
        png = tmp_path / f"{chart.chart_id}.png"
        image = QImage(str(png))
        canvas = canvas_size(chart)  # the chart and its caption
        assert (image.width(), image.height()) == (canvas.width() * 2, canvas.height() * 2)
        assert canvas.height() > chart.viewport().height()
        check_png(png, colors)
        strokes, points = svg_strokes(tmp_path / f"{chart.chart_id}.svg")
        assert set(colors) <= strokes, f"{chart.chart_id}: scenario curves missing from the SVG"
        assert points > 20
        check_pdf(tmp_path / f"{chart.chart_id}.pdf")
    adoption = check_csv(tmp_path / "adoption-totals.csv")
    names_in_csv = {row["scenario"] for row in adoption}
    assert names_in_csv == {s.name for s in window.comparison.scenarios}
    inference_rows = [r for r in adoption if r["metric"] == "Cumulative inference energy"]
    assert len(inference_rows) == 3 * 60
    summary = check_csv(tmp_path / "summary.csv")
    assert any(r["metric"] == "Energy per query" for r in summary)
    # The training figure holds R&D and experiments (72 % of Llama's); the CSV names it as the window does.
    assert {r["metric"] for r in summary} >= {"Training + R&D energy"} and "Training energy" not in {r["metric"] for r in summary}
    training = check_csv(tmp_path / "training-spend.csv")
    assert {r["part"] for r in training if r["metric"] == "Energy"} == {"Pre-training", "SFT", "RL post-training", "total",
                                                                       "R&D and experiments"}
    # What matters most, from its hidden tab: with the baseline selected, the first verdict's bars (V3's colour).
    check_png(tmp_path / "sensitivity.png", [colors[1]])
    check_pdf(tmp_path / "sensitivity.pdf")
    assert len(check_csv(tmp_path / "sensitivity.csv")) == len(window.charts.inputs.tornado.bars)


def test_an_export_of_the_hidden_tornado_computes_it_on_the_engine_thread(qtbot, window, tmp_path, monkeypatch) -> None:
    """What matters most is computed only while shown; an export of it from its hidden tab computed it on the
    GUI thread (about 0.2 s, the window frozen). It now comes from the engine thread: the window keeps
    running and says what it waits for, and writes nothing until it can write everything."""
    import threading

    from app.gui.export_actions import COMPUTING
    from app.session import compute

    threads: list[threading.Thread] = []
    real = compute.tornado

    def recorded(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(compute, "tornado", recorded)
    assert not window.charts.sensitivity_shown
    with qtbot.waitSignal(window.exports.written, timeout=20_000) as blocker:
        window.exports.export(tmp_path / "hidden", ["csv"])
        assert window.exports.waiting and window.statusBar().currentMessage() == COMPUTING
        assert not (tmp_path / "hidden").exists()  # nothing written before the figures are in
    assert threads and threading.main_thread() not in threads
    assert "sensitivity.csv" in {p.name for p in blocker.args[0]}
    assert not window.exports.waiting and not window.charts.sensitivity_shown
    assert window.statusBar().currentMessage().startswith("Exported ")
    # The same files as an export with the tornado in view, computed there as the window shows it.
    window.charts.bottom.setCurrentIndex(1)
    wait_settled(qtbot, window)
    export_and_wait(qtbot, window, tmp_path / "shown", ["csv"])
    for name in ("sensitivity.csv", "summary.csv", "adoption-totals.csv"):
        hidden, shown = ([line for line in (tmp_path / where / name).read_text(encoding="utf-8").splitlines()
                          if not line.startswith("# created: ")] for where in ("hidden", "shown"))
        assert hidden == shown, name


def test_an_edit_while_an_export_waits_is_what_it_writes(qtbot, window, tmp_path) -> None:
    """Latest wins: an edit made while an export waits for the engine supersedes the export's request, and
    the export writes the edited comparison, its tornado included, once that is final."""
    window.exports.export_report(tmp_path)
    assert window.session.rename_scenario(1, "Edited while exporting")
    window.request_computation()
    with qtbot.waitSignal(window.exports.written, timeout=20_000) as blocker:
        pass
    assert [p.name for p in blocker.args[0]] == ["report.html", "report.pdf"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Edited while exporting" in page and "What matters most" in page
    assert window.charts.tornado._data.scenario == "Edited while exporting"  # the baseline's first verdict


def exported_figures(folder: Path, chart_id: str = "inference-cost") -> tuple[str, list[str]]:
    """The sample count line and the rows of one chart's CSV exported into ``folder``."""
    lines = (folder / f"{chart_id}.csv").read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.startswith("# samples: ")), [r for r in lines if r.startswith(chart_id)]


def type_layers(qtbot, window, text: str) -> None:
    """Type ``text`` into the selected scenario's Layers (its typing pause not yet passed: not in the document)."""
    field = window.editor.field("model", "layers")
    field.value_edit.setFocus()
    field.value_edit.selectAll()
    qtbot.keyClicks(field.value_edit, text)


@pytest.mark.parametrize("chart_ids", [None, ["inference-cost"]], ids=["all", "one chart"])
def test_an_export_made_while_typing_writes_the_edited_figures(qtbot, window, tmp_path, chart_ids) -> None:
    """Review 21, finding 1: an export made within the typing pause committed the typing, then wrote the charts
    as drawn, from before the edit (Llama at 1.00 Wh per query where its 30 layers give about 0.5 Wh). Since
    61559ba an export with What matters most waited for a final result; one without it still wrote at once."""
    before = exported_figures(export_and_wait(qtbot, window, tmp_path / "before", ["csv"], chart_ids=chart_ids)[0].parent)
    type_layers(qtbot, window, "30")
    assert window.resolved.scenarios[0].model.layers.value != 30
    with qtbot.waitSignal(window.exports.written, timeout=20_000) as blocker:
        window.exports.export(tmp_path / "typed", ["csv"], chart_ids=chart_ids)
        assert window.exports.waiting and not (tmp_path / "typed").exists()  # nothing stale written meanwhile
    assert window.statusBar().currentMessage().startswith("Exported ")
    assert window.resolved.scenarios[0].model.layers.value == 30  # what the export drew
    typed = exported_figures(blocker.args[0][0].parent)
    wait_settled(qtbot, window)
    settled = exported_figures(export_and_wait(qtbot, window, tmp_path / "settled", ["csv"], chart_ids=chart_ids)[0].parent)
    assert typed == settled and typed[1] != before[1]


def test_an_export_right_after_enter_writes_every_sample_not_the_quick_pass(qtbot, make_window, tmp_path) -> None:
    """Review 21, finding 1: Enter, then an export before the refined pass, wrote the edit's quick pass (50
    samples). The export now asks for the final result at once, without waiting for the edits' pause."""
    window = make_window(refine_delay_ms=300)  # the window's own pause before the refined pass
    type_layers(qtbot, window, "30")
    with qtbot.waitSignal(window.engine.plotsUpdated, timeout=20_000):
        qtbot.keyClick(window.editor.field("model", "layers").value_edit, Qt.Key.Key_Return)
    assert window.charts.inputs.samples == QUICK_SAMPLES  # the edit's quick pass is drawn
    written = export_and_wait(qtbot, window, tmp_path, ["csv"], chart_ids=["inference-cost"])
    assert exported_figures(written[0].parent)[0] == f"# samples: {SAMPLES}"
    assert window.charts.inputs.samples == SAMPLES and window.resolved.scenarios[0].model.layers.value == 30


def test_an_export_when_the_engine_failed_writes_nothing_and_says_why(qtbot, window, tmp_path, monkeypatch) -> None:
    """The newest request failed (its banner shown, the charts still from before): an export does not write
    those stale charts; it asks again, and writes nothing when the engine fails again, saying why."""
    from app.session import compute

    def failing(*_args, **_kwargs):
        raise RuntimeError("no figures")

    monkeypatch.setattr(compute, "chart_inputs", failing)
    with qtbot.waitSignal(window.engine.computationFailed, timeout=20_000):
        window.request_computation()
    assert export_and_wait(qtbot, window, tmp_path / "out", ["csv"], chart_ids=["inference-cost"]) == []
    assert not (tmp_path / "out").exists()
    assert "no figures" in window.message_box.text()


def test_a_chart_painted_smaller_keeps_its_legend_within_it(window) -> None:
    """The printed report paints each chart scaled to the page's text width: every mark, the legend's too,
    must shrink with it. pyqtgraph's legends ignore transformations, so until stop 18 the report's legends
    were drawn at full size past the chart's right edge, their last entries cut off the page."""
    from PySide6.QtGui import QTransform

    halved = QTransform.fromScale(0.5, 0.5)
    for chart in window.charts.charts:
        for legend in chart._legends:
            box = legend.deviceTransform(chart.viewportTransform() * halved).mapRect(legend.boundingRect())
            assert box.width() == pytest.approx(legend.boundingRect().width() * 0.5), chart.chart_id


def test_svg_holds_the_plotted_adoption_curve(qtbot, window, tmp_path) -> None:
    export_and_wait(qtbot, window, tmp_path, ["svg"], chart_ids=["adoption-totals"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adoption-totals.svg", "metadata.json"]
    root = ET.parse(tmp_path / "adoption-totals.svg").getroot()
    color = window.comparison.scenarios[0].color
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    points: set[tuple[float, float]] = set()
    for group in root.iter(f"{SVG}g"):
        if (group.get("stroke") or "").lower() == color and "dasharray" not in str(group.attrib):
            assert "transform" not in group.attrib  # curves are written in page coordinates
            for line in group.iter(f"{SVG}polyline"):  # the solid median curve, drawn segment by segment
                points.update(tuple(float(v) for v in p.split(",")) for p in line.get("points").split())
    xs = sorted({round(x, 2) for x, _ in points})
    assert len(xs) >= 2 * 60  # the 60 monthly points, in both panels
    assert all(0 <= x <= width and 0 <= y <= height for x, y in points)


def test_png_scale_sets_the_pixel_size(qtbot, window, tmp_path) -> None:
    chart = window.charts.training
    export_and_wait(qtbot, window, tmp_path / "one", ["png"], scale=1, chart_ids=[chart.chart_id])
    export_and_wait(qtbot, window, tmp_path / "three", ["png"], scale=3, chart_ids=[chart.chart_id])
    one = QImage(str(tmp_path / "one" / "training-spend.png"))
    three = QImage(str(tmp_path / "three" / "training-spend.png"))
    assert three.width() == 3 * one.width() and three.height() == 3 * one.height()


def test_export_to_an_unwritable_place_is_reported(qtbot, window, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert export_and_wait(qtbot, window, blocker / "sub", ["png"]) == []
    assert "cannot create the folder" in window.message_box.text()


def test_headless_export_writes_one_file_per_chart_and_format(tmp_path, capsys, qapp) -> None:
    out = tmp_path / "out"
    code = cli_main(["export", "presets/comparisons/deepseek-question.json", "--out", str(out),
                     "--format", "png,svg,pdf,csv", "--scale", "1.5", "--samples", "200"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 4 * 4 + 2  # four charts in four formats, the summary and metadata.json
    colors = ["#0072b2", "#009e73", "#d55e00"]
    for chart in CHARTS:
        image = QImage(str(out / f"{chart}.png"))
        assert image.width() == 1500 and image.height() > 930  # 1000x620 at 1.5, and the caption
        check_png(out / f"{chart}.png", colors)
        assert set(colors) <= svg_strokes(out / f"{chart}.svg")[0] | svg_fills(out / f"{chart}.svg")
        check_pdf(out / f"{chart}.pdf")
        check_csv(out / f"{chart}.csv")
    check_csv(out / "summary.csv")
    check_png(out / "sensitivity.png", colors[1:2])  # the inputs ranked by the first verdict (V3 against Llama)
    assert len(check_csv(out / "sensitivity.csv")) >= 5


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--format", "png,gif"], 2, "unknown format gif"),
        (["--scale", "0"], 2, "scale must be above 0"),
    ],
)
def test_headless_export_rejects_bad_options(tmp_path, capsys, arguments, code, message) -> None:
    assert cli_main(["export", "presets/comparisons/deepseek-question.json", "--out", str(tmp_path), *arguments]) == code
    assert message in capsys.readouterr().err


def test_headless_export_of_a_bad_file_fails_clearly(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 2, "kind": "comparison", "name": "x", "scenarios": []}')
    assert cli_main(["export", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bad.json: scenarios" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_export_dialog_offers_each_chart_or_all_with_png_scale_2_by_default(qtbot, window, tmp_path) -> None:
    from app.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window.charts.charts, str(tmp_path), window)
    try:
        assert dialog.scale == 2.0 and dialog.chart_ids is None
        assert dialog.out_dir == tmp_path and set(dialog.formats) == {"png", "svg", "csv"}
        dialog.chart.setCurrentIndex(dialog.chart.findData("inference-cost"))
        dialog.format_checks["pdf"].setChecked(True)
        dialog.scale_box.setValue(3)
        assert dialog.chart_ids == ["inference-cost"] and "pdf" in dialog.formats and dialog.scale == 3
        written = export_and_wait(qtbot, window, dialog.out_dir, dialog.formats, dialog.scale, dialog.chart_ids)
        assert sorted(p.name for p in written) == [*(f"inference-cost.{f}" for f in ("csv", "pdf", "png", "svg")),
                                                   "metadata.json"]
        for check in dialog.format_checks.values():
            check.setChecked(False)
        assert not dialog.ok_button.isEnabled()  # no format, nothing to export
        dialog.format_checks["svg"].setChecked(True)
        assert dialog.ok_button.isEnabled()
    finally:
        dialog.deleteLater()


def test_every_exported_chart_says_what_it_shows(qtbot, window, tmp_path) -> None:
    export_and_wait(qtbot, window, tmp_path, ["svg", "csv"])
    for chart in window.charts.exportable:
        root = ET.parse(tmp_path / f"{chart.chart_id}.svg").getroot()
        text = " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))
        assert chart.title.split(":")[0] in text or chart.chart_id == "sensitivity"
        sampling = "medians of 200 samples" if chart.chart_id == "sensitivity" else "200 Monte Carlo samples"
        for needed in ("The DeepSeek question", "energy counted at the facility", sampling,
                       f"Jevons {__version__}", "Source: "):
            assert needed in text, (chart.chart_id, needed)
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert (meta["comparison"], meta["boundary"], meta["samples"], meta["seed"], meta["version"]) == (
        "The DeepSeek question", "facility", 200, 0, __version__)
    assert "summary.csv" in meta["files"]
    sensitivity = check_csv(tmp_path / "sensitivity.csv")
    bar = window.charts.tornado._data.bars[0]
    assert float(sensitivity[0]["output_at_input_low"]) == pytest.approx(bar.metric_low, rel=1e-5)
    assert float(sensitivity[0]["input_high"]) == pytest.approx(bar.high, rel=1e-5)


def test_crossover_stars_are_vector_paths_in_their_colours(qtbot, window, tmp_path) -> None:
    export_and_wait(qtbot, window, tmp_path, ["svg"], chart_ids=["adoption-totals"])
    root = ET.parse(tmp_path / "adoption-totals.svg").getroot()
    assert not list(root.iter(f"{SVG}image"))  # no raster sprite
    fills = {(group.get("fill") or "").lower() for group in root.iter(f"{SVG}g") if list(group.iter(f"{SVG}path"))}
    crossing = [s.color for s, data in zip(window.comparison.scenarios, window.charts.adoption._data.scenarios,
                                           strict=True) if data.crossover is not None]
    assert crossing and set(crossing) <= fills


def test_headless_export_takes_a_shipped_comparison_by_id(tmp_path, capsys, qapp) -> None:
    assert cli_main(["export", "deepseek-question", "--out", str(tmp_path), "--format", "csv", "--samples", "50"]) == 0
    assert (tmp_path / "summary.csv").is_file()
    assert cli_main(["export", "no-such-comparison", "--out", str(tmp_path / "x"), "--format", "csv"]) == 2
    assert "no shipped comparison has this id" in capsys.readouterr().err


def test_the_exported_tornado_names_every_input_whole(tmp_path, qapp) -> None:
    """Review 21, finding 15: the 1000-px export (2000 px in its PNG) cut each name past 44 characters in its
    middle, "Training saving re-spent (tra… (DeepSeek-V3) (0 to 1)", beside bars using half the width. The
    axis now decides: the training race's first verdict names each input whole (up to 513 px with its range)."""
    assert cli_main(["export", "training-race", "--out", str(tmp_path), "--format", "svg,csv", "--samples", "50"]) == 0
    with open(tmp_path / "sensitivity.csv", encoding="utf-8", newline="") as handle:
        names = [row["input"] for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    assert any(len(name) > 44 for name in names)  # names the old rule cut
    root = ET.parse(tmp_path / "sensitivity.svg").getroot()
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert all(any(text.startswith(f"{name} (") for text in texts) for name in names), (names, texts)


def check_report(folder: Path, scenarios: list[str]) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 5 and "<script" not in page and 'src="http' not in page  # 4 charts, the headline
    assert 'font-family="Sans Serif"' not in page  # browsers fall back to a serif font for Qt's generic name
    first = page.index("<h2>The answer</h2>")
    assert (first < page.index("<h2>Summary</h2>") < page.index("<h2>Caveats</h2>")
            < page.index("Appendix A: charts</h2>") < page.index("<h2>Appendix B: inputs and their sources</h2>"))
    assert page.count("Datacenter: ") == 1  # a preset every scenario shares is listed once
    # A chip used for training and serving is listed once; each source once, cited by its number.
    assert "Training hardware: " not in page and "Serving and training hardware: " in page
    sources = re.findall(r'<li id="source-(\d+)">', page)
    assert sources == [str(n) for n in range(1, len(sources) + 1)] and len(sources) > 20
    assert all(f'href="#source-{n}"' in page for n in sources)
    for needed in ("Verdict", "uses", f"Jevons {__version__}", "energy counted at the facility", "inputs",
                   "Rental price (hardware)", "Assumption:", "arXiv", "Everyday equivalents", "US homes",
                   "US EIA, FAQ", "typical passenger cars"):
        assert needed in page, needed
    assert all(name in page for name in scenarios)
    pdf = (folder / "report.pdf").read_bytes()
    assert 2 <= check_pdf_pages(folder / "report.pdf") <= MAX_REPORT_PAGES  # a brief, then its appendices
    assert not re.search(rb"/Subtype\s*/Image", pdf)  # charts and headline drawn as vectors, no raster
    return page


MAX_REPORT_PAGES = 14
"""The DeepSeek question's printed report: a brief of at most four pages, then every chart and every input
with its source (the appendices grow with the inputs: 12 pages until stop 19's reasoning price multiple).
It guards against the old 36 pages of raster charts and repeated preset tables."""


def check_pdf_pages(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_report_bundle_from_the_window(qtbot, window, tmp_path) -> None:
    written = export_and_wait(qtbot, window, tmp_path, report=True)
    assert [p.name for p in written] == ["report.html", "report.pdf"]
    page = check_report(tmp_path, [s.name for s in window.comparison.scenarios])
    assert "What matters most" in page


def test_the_printed_report_is_a_brief_of_at_most_four_pages_then_its_appendices(tmp_path, qapp, monkeypatch) -> None:
    """report.pdf was 36 pages of JPEG charts, with input tables repeating shared presets."""
    from PySide6.QtGui import QTextDocument

    from app.render import report_bundle

    printed: list[QTextDocument] = []
    real = report_bundle.printed_report

    def keep(*args):  # the real layout, kept for a look at its pages
        printed.append(real(*args))
        return printed[-1]

    monkeypatch.setattr(report_bundle, "printed_report", keep)
    assert cli_main(["report", "deepseek-question", "--out", str(tmp_path), "--samples", "100"]) == 0
    document = printed[0]
    appendix = document.find("Appendix A: charts")
    top = document.documentLayout().blockBoundingRect(appendix.block()).top()
    assert top // document.pageSize().height() + 1 <= 5  # the brief fills at most pages 1-4
    pages = check_pdf_pages(tmp_path / "report.pdf")
    assert pages == document.pageCount() <= MAX_REPORT_PAGES


def test_headless_report_by_id(tmp_path, capsys, qapp) -> None:
    assert cli_main(["report", "deepseek-question", "--out", str(tmp_path), "--samples", "100"]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / "report.html"), str(tmp_path / "report.pdf")]
    page = check_report(tmp_path, ["DeepSeek-R1 (reasoning) on H800"])
    # How each model is served, so a reader can check the comparison is like for like.
    served = page[page.index("How each model is served"):]
    assert "Served on 144 accelerators at fp8" in served and "as its deployment preset says" in served
    # DeepSeek's published deployment is modelled faster than the service level Llama is held to: said where
    # a reader checks the operating points (a reviewer's finding; fails before).
    assert "faster than the service level (21 tokens/s per user)" in served
    assert served.count("faster than the service level") == 2  # V3 and R1; Llama is searched to meet it
    assert "runner-up 16 accelerators at fp8" in served and "first token after" in served
    # Every model's energy at central values sits beside its median, not Llama's alone (a review's finding:
    # Llama read 0.633 Wh there and 1.01 Wh in the summary, with nothing to say why; fails before).
    assert served.count("Wh a query (over plausible inputs the median is") == 3
    # The headline names where each verdict flips, as the window's does (the CLI's report named none).
    answer = page[page.index("<h2>The answer</h2>"):page.index("<h2>Verdict</h2>")]
    assert answer.count("flips at a price elasticity of") == 2


def test_the_summary_csv_gives_the_engines_batch_band(tmp_path, capsys, qapp) -> None:
    """summary.csv wrote the batch as p5 = p95 = median while the engine's band was 41-203."""
    import csv
    import json

    assert cli_main(["export", "deepseek-question", "--out", str(tmp_path), "--format", "csv", "--samples", "60"]) == 0
    capsys.readouterr()
    assert cli_main(["evaluate", "deepseek-question", "--json", "--samples", "60"]) == 0
    engine = {s["name"]: s["inference"]["effective_batch"] for s in json.loads(capsys.readouterr().out)["scenarios"]}
    with (tmp_path / "summary.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(line for line in handle if not line.startswith("#"))]
    header = rows[0]
    batch = {r[header.index("scenario")]: r for r in rows[1:] if r[header.index("metric")] == "Sequences per replica (batch)"}
    assert batch
    for name, row in batch.items():
        p5, median, p95 = (float(row[header.index(c)]) for c in ("p5", "median", "p95"))
        assert p5 < median < p95
        want = (engine[name]["p5"], engine[name]["median"], engine[name]["p95"])
        assert (p5, median, p95) == pytest.approx(want, rel=1e-5)  # the CSV writes six significant figures


def test_the_exported_tornado_s_title_fits_its_chart(qtbot) -> None:
    """`jevons export` lays What matters most out at 1000 px: its title, with the long name of the first verdict's
    scenario and what the bars are, had run past both edges ('…t matters most to the verdict … the rest cent…',
    1,364 px on one line; 686 px on two)."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine.evaluate import evaluate
    from app.paths import presets_dir
    from app.render.offscreen import offscreen_charts
    from app.render.plots.tornado import TornadoPlot

    _, resolved = load_comparison(presets_dir() / "comparisons" / "deepseek-question.json", PresetLibrary())
    with offscreen_charts(resolved, evaluate(resolved, samples=50)) as (charts, _summary):
        chart = next(c for c in charts if isinstance(c, TornadoPlot))
        title = chart._title_label
        assert "medians of 200 samples" in title.text and "DeepSeek-V3" in title.text
        assert title.item.boundingRect().width() <= chart.width() - 12  # within the chart's margins
        lines = title.item.boundingRect().height()
        chart.resize(600, 620)  # narrower than the title's two lines: they wrap
        QApplication.processEvents()
        assert title.item.boundingRect().width() <= 600 - 12 and title.item.boundingRect().height() > lines
