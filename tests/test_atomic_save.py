"""Saves write through links, keep permissions, and clean up after a save that was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.atomic_save import TEMPORARY_TAG
from app.domain.files import load_preset, save_preset
from tests.conftest import REPO
from tests.factories import MODEL, write

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and kill -9 are POSIX here")


@pytest.fixture
def preset(tmp_path: Path):
    return load_preset(write(tmp_path / "source.json", MODEL)).model_copy(update={"name": "Saved"})


def dead_pid() -> int:
    """The id of a process that has ended (a save or a session it left behind is stale)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_a_save_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path: Path, preset) -> None:
    real = write(tmp_path / "real.json", MODEL)
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_preset(link, preset)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_preset(real).name == "Saved"
    assert real.stat().st_mode & 0o777 == 0o640  # the target's permissions, not the link's


@posix_only
def test_a_save_through_a_chain_of_relative_links_reaches_the_end(tmp_path: Path, preset) -> None:
    (tmp_path / "data").mkdir()
    real = write(tmp_path / "data" / "real.json", MODEL)
    (tmp_path / "first.json").symlink_to("data/real.json")
    (tmp_path / "second.json").symlink_to("first.json")
    save_preset(tmp_path / "second.json", preset)
    assert (tmp_path / "second.json").is_symlink() and (tmp_path / "first.json").is_symlink()
    assert load_preset(real).name == "Saved"


@posix_only
def test_a_save_through_a_dangling_link_creates_the_file_it_points_to(tmp_path: Path, preset) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "missing.json")
    save_preset(link, preset)
    assert link.is_symlink()
    assert load_preset(tmp_path / "missing.json").name == "Saved"


@posix_only
def test_a_hard_linked_file_is_replaced_under_the_name_saved_to(tmp_path: Path, preset) -> None:
    first = write(tmp_path / "first.json", MODEL)
    os.link(first, tmp_path / "second.json")
    save_preset(first, preset)
    assert load_preset(first).name == "Saved"
    assert load_preset(tmp_path / "second.json").name == MODEL["name"]  # documented: never written in place


def test_stale_temporaries_of_the_same_file_are_removed_and_nothing_else(tmp_path: Path, preset) -> None:
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
import os, signal, sys
from app.domain import atomic_save
from app.domain.files import load_preset, save_preset

source, target, stage = sys.argv[1:]

def stop(name):
    if name == stage:
        print(name, flush=True)
        signal.pause()  # until the test kills it

def wrapped(function, before, after):
    def call(*args, **kwargs):
        stop(before)
        result = function(*args, **kwargs)
        stop(after)
        return result
    return call

atomic_save.tempfile.mkstemp = wrapped(atomic_save.tempfile.mkstemp, "", "temporary created")
os.fsync = wrapped(os.fsync, "text written", "")
os.replace = wrapped(os.replace, "before the rename", "after the rename")
save_preset(target, load_preset(source).model_copy(update={"description": "x" * 19_000}))
"""
"""Saves ``argv[1]`` to ``argv[2]``, stopping at the point of the save ``argv[3]`` names to be killed there."""

KILL_POINTS = ["temporary created", "text written", "before the rename", "after the rename"]
"""Each step of a save, in order: the next save must clean up after a kill at any of them."""


@posix_only
@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_save_killed_midway_loses_nothing_and_the_next_save_leaves_nothing_behind(
    tmp_path: Path, preset, point: str
) -> None:
    source = write(tmp_path / "source.json", MODEL)
    target = write(tmp_path / "target.json", MODEL)
    saver = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVER, str(source), str(target), point], cwd=REPO, stdout=subprocess.PIPE,
        text=True,
    )
    assert saver.stdout.readline().strip() == point
    saver.send_signal(signal.SIGKILL)
    saver.wait()
    saver.stdout.close()
    renamed = KILL_POINTS.index(point) >= KILL_POINTS.index("after the rename")
    assert load_preset(target).description == ("x" * 19_000 if renamed else MODEL.get("description", ""))  # never half
    assert any(TEMPORARY_TAG in p.name for p in tmp_path.iterdir()) != renamed  # a killed save left its temporary
    save_preset(target, preset)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.json", "target.json"]
