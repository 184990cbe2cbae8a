"""An installed (non-editable) wheel finds its shipped presets and resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("jevons-*.whl")
    return built


def test_wheel_carries_presets_resources_and_entry_point(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/_data/presets/comparisons/deepseek-question.json" in names
    assert "app/_data/resources/preset-file.schema.json" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "jevons = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_validates_shipped_presets_away_from_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import app, app.paths, sys\n"
        "assert str(app.paths.presets_dir()).startswith(sys.argv[1]), app.paths.presets_dir()\n"
        "from app.cli import main\n"
        "sys.exit(main(['validate', *map(str, app.paths.presets_dir().glob('*/*.json'))]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(site)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "file(s) valid" in result.stdout
