"""Test configuration shared by the whole suite.

Qt is forced offscreen before anything can import it, so the suite runs on a
machine without a screen, each test gets its own settings folder so that
nothing is read from or written to the user's real configuration, and property
tests are seeded (see below).
"""

from __future__ import annotations

import os
import subprocess
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from pathlib import Path

import pytest
from hypothesis import settings

from app.render.pyqtgraph_import import import_pyqtgraph

import_pyqtgraph()  # as the app imports it (its Qt classes made when first used), whichever test imports it first

settings.register_profile("seeded", derandomize=True)
settings.register_profile("random", derandomize=False)
settings.load_profile(os.environ.get("JEVONS_HYPOTHESIS_PROFILE", "seeded"))
"""Every property test draws the same seeded examples in every run (CI is a bounded, reproducible slice);
``JEVONS_HYPOTHESIS_PROFILE=random`` explores new ones on demand. A test's own settings inherit this."""

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def jevons(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``jevons ARGS`` as a user runs it (``python -m app`` from the repository): exit code, stdout, stderr.
    The timeout only stops a hang."""
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=300, cwd=REPO,
                          env=env)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Redirect per-user configuration (QSettings, recent files, autosaves) to a temporary folder.

    ``JEVONS_CONFIG_DIR`` wins over ``XDG_CONFIG_HOME`` in the app, so a value set
    in the user's shell would send every test's settings and autosaves into the
    user's real folder: it is removed for the test.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("JEVONS_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
