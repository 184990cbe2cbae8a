"""The presets are validated by pydantic alone: a pydantic plugin installed beside the app is not used.

pydantic finds plugins through the entry points of every installed package, which
costs the start a read of all their metadata and the import of ``importlib.metadata``
(with the ``email`` package); the app validates without them (app.domain.base).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PLUGIN = """
import os

class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        with open(os.environ["PLUGIN_CALLS"], "a") as calls:
            calls.write("called\\n")
        return None, None, None

plugin = Plugin()
"""


def test_a_plugin_installed_beside_the_app_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "jevons_test_plugin.py").write_text(PLUGIN)
    info = tmp_path / "jevons_test_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jevons-test-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nrecorder = jevons_test_plugin:plugin\n")
    calls = tmp_path / "calls.txt"
    code = textwrap.dedent("""
        import json, sys
        from app.domain.files import load_preset
        from app.paths import presets_dir
        model = load_preset(next((presets_dir() / "models").glob("*.json")))
        print(json.dumps({"loaded": bool(model), "metadata_read": "importlib.metadata" in sys.modules}))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": f"{tmp_path}:{REPO}", "PLUGIN_CALLS": str(calls), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"loaded": True, "metadata_read": False}
    assert not calls.exists()  # pydantic never asked the plugin for a validator
