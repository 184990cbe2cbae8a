"""Saves write through links, keep permissions, and clean up after a save that was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.domain.atomic_save import TEMPORARY_TAG
from app.domain.files import load_preset, save_preset
from tests.conftest import REPO
from tests.factories import MODEL, write

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and kill -9 are POSIX here")


@pytest.fixture
def preset(tmp_path: Path):  # noqa: ANN201
    return load_preset(write(tmp_path / "source.json", MODEL)).model_copy(update={"name": "Saved"})


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_a_save_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path: Path, preset) -> None:  # noqa: ANN001
    real = write(tmp_path / "real.json", MODEL)
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_preset(link, preset)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_preset(real).name == "Saved"
    assert real.stat().st_mode & 0o777 == 0o640  # the target's permissions, not the link's


@posix_only
def test_a_save_through_a_chain_of_relative_links_reaches_the_end(tmp_path: Path, preset) -> None:  # noqa: ANN001
    (tmp_path / "data").mkdir()
    real = write(tmp_path / "data" / "real.json", MODEL)
    (tmp_path / "first.json").symlink_to("data/real.json")
    (tmp_path / "second.json").symlink_to("first.json")
    save_preset(tmp_path / "second.json", preset)
    assert (tmp_path / "second.json").is_symlink() and (tmp_path / "first.json").is_symlink()
    assert load_preset(real).name == "Saved"


@posix_only
def test_a_save_through_a_dangling_link_creates_the_file_it_points_to(tmp_path: Path, preset) -> None:  # noqa: ANN001
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "missing.json")
    save_preset(link, preset)
    assert link.is_symlink()
    assert load_preset(tmp_path / "missing.json").name == "Saved"


@posix_only
def test_a_hard_linked_file_is_replaced_under_the_name_saved_to(tmp_path: Path, preset) -> None:  # noqa: ANN001
    first = write(tmp_path / "first.json", MODEL)
    os.link(first, tmp_path / "second.json")
    save_preset(first, preset)
    assert load_preset(first).name == "Saved"
    assert load_preset(tmp_path / "second.json").name == MODEL["name"]  # documented: never written in place


def test_stale_temporaries_of_the_same_file_are_removed_and_nothing_else(tmp_path: Path, preset) -> None:  # noqa: ANN001
    target = write(tmp_path / "c.json", MODEL)
    stale = tmp_path / f".c.json{TEMPORARY_TAG}{dead_pid()}-abc123.tmp"
    ours = tmp_path / f".c.json{TEMPORARY_TAG}{os.getpid()}-inuse.tmp"
    other_file = tmp_path / f".other.json{TEMPORARY_TAG}{dead_pid()}-abc123.tmp"
    foreign = tmp_path / ".c.json.something-else.tmp"
    for path in (stale, ours, other_file, foreign):
        path.write_text("partial")
    save_preset(target, preset)
    assert not stale.exists()
    assert ours.exists() and other_file.exists() and foreign.exists()
    assert load_preset(target).name == "Saved"


KILLED_SAVER = """
import sys
from app.domain.files import load_preset, save_preset
preset = load_preset(sys.argv[1])
print("ready", flush=True)
while True:
    save_preset(sys.argv[2], preset.model_copy(update={"description": "x" * 19_000}))
"""


@posix_only
@pytest.mark.parametrize("delay_s", [0.05, 0.2, 0.4])
def test_a_save_killed_midway_loses_nothing_and_the_next_save_leaves_nothing_behind(
    tmp_path: Path, preset, delay_s: float  # noqa: ANN001
) -> None:
    source = write(tmp_path / "source.json", MODEL)
    target = write(tmp_path / "target.json", MODEL)
    saver = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVER, str(source), str(target)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert saver.stdout.readline().strip() == "ready"
    time.sleep(delay_s)
    saver.send_signal(signal.SIGKILL)
    saver.wait()
    saver.stdout.close()
    assert load_preset(target).name == MODEL["name"]  # the old file or a whole new one, never half
    save_preset(target, preset)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.json", "target.json"]
