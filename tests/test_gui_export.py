"""Chart export from the window and headless: PNG pixels, SVG curves, PDF pages, CSV data."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui_fixtures import make_window, window  # noqa: F401 - fixtures

from app.cli import main as cli_main
from app.report.chart_data import CSV_COLUMNS

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


def check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1


def check_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and tuple(rows[0]) == CSV_COLUMNS
    for row in rows:
        float(row["median"])
    return rows


def test_window_exports_every_chart_in_every_format(window, tmp_path) -> None:  # noqa: ANN001
    colors = [s.color for s in window.comparison.scenarios]
    written = window.export(tmp_path, ["png", "svg", "pdf", "csv"])
    names = sorted(p.name for p in written)
    exported = (*CHARTS, "sensitivity")
    assert names == sorted([f"{c}.{f}" for c in exported for f in ("png", "svg", "pdf", "csv")] + ["summary.csv"])
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind
    for chart in window.charts.charts:
        png = tmp_path / f"{chart.chart_id}.png"
        image = QImage(str(png))
        assert (image.width(), image.height()) == (chart.viewport().width() * 2, chart.viewport().height() * 2)
        check_png(png, colors)
        strokes, points = svg_strokes(tmp_path / f"{chart.chart_id}.svg")
        assert set(colors) <= strokes, f"{chart.chart_id}: scenario curves missing from the SVG"
        assert points > 20
        check_pdf(tmp_path / f"{chart.chart_id}.pdf")
    adoption = check_csv(tmp_path / "adoption-totals.csv")
    names_in_csv = {row["scenario"] for row in adoption}
    assert names_in_csv == {s.name for s in window.comparison.scenarios}
    inference_rows = [r for r in adoption if r["series"] == "Cumulative inference energy"]
    assert len(inference_rows) == 3 * 60
    summary = check_csv(tmp_path / "summary.csv")
    assert any(r["series"] == "Energy per query" for r in summary)
    # What matters most, from its hidden tab: the selected (baseline) scenario's bars.
    check_png(tmp_path / "sensitivity.png", [colors[0]])
    check_pdf(tmp_path / "sensitivity.pdf")
    assert len(check_csv(tmp_path / "sensitivity.csv")) == len(window.charts.inputs.tornado.bars)


def test_svg_holds_the_plotted_adoption_curve(window, tmp_path) -> None:  # noqa: ANN001
    window.export(tmp_path, ["svg"], chart_ids=["adoption-totals"])
    assert [p.name for p in tmp_path.iterdir()] == ["adoption-totals.svg"]
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


def test_png_scale_sets_the_pixel_size(window, tmp_path) -> None:  # noqa: ANN001
    chart = window.charts.training
    window.export(tmp_path / "one", ["png"], scale=1, chart_ids=[chart.chart_id])
    window.export(tmp_path / "three", ["png"], scale=3, chart_ids=[chart.chart_id])
    one = QImage(str(tmp_path / "one" / "training-spend.png"))
    three = QImage(str(tmp_path / "three" / "training-spend.png"))
    assert three.width() == 3 * one.width() and three.height() == 3 * one.height()


def test_export_to_an_unwritable_place_is_reported(window, tmp_path) -> None:  # noqa: ANN001
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert window.export(blocker / "sub", ["png"]) == []
    assert "cannot create the folder" in window.message_box.text()


def test_headless_export_writes_one_file_per_chart_and_format(tmp_path, capsys, qapp) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    code = cli_main(["export", "presets/comparisons/deepseek-question.json", "--out", str(out),
                     "--format", "png,svg,pdf,csv", "--scale", "1.5", "--samples", "200"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 4 * 4 + 1  # four charts in four formats, and the summary
    colors = ["#0072b2", "#009e73", "#d55e00"]
    for chart in CHARTS:
        image = QImage(str(out / f"{chart}.png"))
        assert (image.width(), image.height()) == (1500, 930)
        check_png(out / f"{chart}.png", colors)
        assert set(colors) <= svg_strokes(out / f"{chart}.svg")[0]
        check_pdf(out / f"{chart}.pdf")
        check_csv(out / f"{chart}.csv")
    check_csv(out / "summary.csv")
    check_png(out / "sensitivity.png", colors[:1])  # the baseline's inputs, ranked
    assert len(check_csv(out / "sensitivity.csv")) >= 5


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--format", "png,gif"], 2, "unknown format gif"),
        (["--scale", "0"], 2, "scale must be above 0"),
    ],
)
def test_headless_export_rejects_bad_options(tmp_path, capsys, arguments, code, message) -> None:  # noqa: ANN001
    assert cli_main(["export", "presets/comparisons/deepseek-question.json", "--out", str(tmp_path), *arguments]) == code
    assert message in capsys.readouterr().err


def test_headless_export_of_a_bad_file_fails_clearly(tmp_path, capsys) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 2, "kind": "comparison", "name": "x", "scenarios": []}')
    assert cli_main(["export", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bad.json: scenarios" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_export_dialog_offers_each_chart_or_all_with_png_scale_2_by_default(window, tmp_path) -> None:  # noqa: ANN001
    from app.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window.charts.charts, str(tmp_path), window)
    try:
        assert dialog.scale == 2.0 and dialog.chart_ids is None
        assert dialog.out_dir == tmp_path and set(dialog.formats) == {"png", "svg", "csv"}
        dialog.chart.setCurrentIndex(dialog.chart.findData("inference-cost"))
        dialog.format_checks["pdf"].setChecked(True)
        dialog.scale_box.setValue(3)
        assert dialog.chart_ids == ["inference-cost"] and "pdf" in dialog.formats and dialog.scale == 3
        written = window.export(dialog.out_dir, dialog.formats, dialog.scale, dialog.chart_ids)
        assert sorted(p.name for p in written) == [f"inference-cost.{f}" for f in ("csv", "pdf", "png", "svg")]
        for check in dialog.format_checks.values():
            check.setChecked(False)
        assert not dialog.ok_button.isEnabled()  # no format, nothing to export
        dialog.format_checks["svg"].setChecked(True)
        assert dialog.ok_button.isEnabled()
    finally:
        dialog.deleteLater()
