"""The suite never reads or writes the user's real Jevons settings folder."""

from __future__ import annotations

import os
from pathlib import Path

from app.gui.settings import settings_path


def test_a_users_jevons_config_dir_does_not_reach_the_tests() -> None:
    """Run with ``JEVONS_CONFIG_DIR=/some/where pytest``: the settings still land in the test's folder."""
    assert "JEVONS_CONFIG_DIR" not in os.environ
    assert Path(os.environ["XDG_CONFIG_HOME"]) in settings_path().parents
