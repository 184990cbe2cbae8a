"""``jevons`` as a user starts it: screenshot mode, a file argument, bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parent.parent


def run(*arguments: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JEVONS_CONFIG_DIR": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "app", *arguments], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=180)


def test_screenshot_of_the_default_comparison(tmp_path, qapp) -> None:
    shot = tmp_path / "shot.png"
    done = run("--screenshot", str(shot), "--samples", "200", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colors) > 50  # charts, text and widgets, not a blank window
    assert "Traceback" not in done.stderr


def test_screenshot_of_a_file(tmp_path, qapp) -> None:
    shot = tmp_path / "shot.png"
    done = run("--screenshot", str(shot), "--samples", "100", "presets/comparisons/published-gpt-3.json",
               tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not QImage(str(shot)).isNull()


def test_screenshot_of_a_bad_file_fails_with_the_reason(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 2, "kind": "comparison"}')
    done = run("--screenshot", str(tmp_path / "shot.png"), str(bad), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "bad.json: name: required field is missing" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "shot.png").exists()


def test_unknown_options_are_refused(tmp_path) -> None:
    done = run("--no-such-option", tmp_path=tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr


def test_screenshot_of_a_comparison_without_uncertainty(tmp_path, qapp) -> None:
    """Nothing to sample means the first result is final: the screenshot must not wait for a refinement."""
    from tests.factories import comparison, write

    shot = tmp_path / "shot.png"
    done = run("--screenshot", str(shot), str(write(tmp_path / "plain.json", comparison())), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not QImage(str(shot)).isNull()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".shot")] == []  # no temporary left behind


def test_screenshot_to_an_unwritable_place_fails_with_the_reason(tmp_path, qapp) -> None:
    done = run("--screenshot", str(tmp_path / "missing-folder" / "shot.png"), "--samples", "50", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "cannot write the screenshot" in done.stderr and "Traceback" not in done.stderr


def test_the_app_opens_a_shipped_comparison_by_its_id() -> None:
    """``jevons published-gpt-3`` opens the shipped file, as ``jevons evaluate published-gpt-3`` reads it."""
    from app.session.options import launcher_parser

    opened = Path(launcher_parser().parse_args(["published-gpt-3"]).file)
    assert opened.name == "published-gpt-3.json" and opened.is_file()


def test_a_screenshot_prints_nothing_on_stderr(tmp_path) -> None:
    """Qt's offscreen plugin notes ('does not support propagateSizeHints()') are not the user's concern."""
    done = run("--screenshot", str(tmp_path / "shot.png"), "--samples", "50", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stderr == ""
