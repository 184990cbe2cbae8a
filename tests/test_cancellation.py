"""A superseded computation stops at its next checkpoint; closing does not wait for a long one to finish."""

from __future__ import annotations

import importlib
import threading

import pytest

from app.cancellation import Cancelled, cancellable, checkpoint
from app.domain.library import PresetLibrary
from app.domain.loading import load_comparison
from app.engine.evaluate import evaluate
from app.session.scheduler import LatestWins
from tests.conftest import REPO


@pytest.fixture(scope="module")
def resolved():
    return load_comparison(REPO / "presets/comparisons/deepseek-question.json", PresetLibrary())[1]


def spin(started: threading.Event) -> str:
    """A job that only ends when told to: like the engine, it works on between its checkpoints."""
    started.set()
    while True:
        checkpoint()


def test_a_checkpoint_outside_a_cancellable_block_never_raises() -> None:
    checkpoint()


def test_the_engine_stops_at_its_first_checkpoint_once_cancelled(resolved) -> None:
    event = threading.Event()
    event.set()
    with cancellable(event), pytest.raises(Cancelled):
        evaluate(resolved, samples=20_000)


def test_a_side_figure_that_fails_quietly_still_stops_when_cancelled(resolved) -> None:
    """The tornado and the elasticity flips catch their own failures so the main result still counts;
    they caught Cancelled too, and computed on after the request was superseded (fails before)."""
    from app.session.compute import flips, sensitivity
    from app.session.results import ScenarioResults

    event = threading.Event()
    event.set()
    with cancellable(event):
        with pytest.raises(Cancelled):
            sensitivity(resolved, 1, "cumulative_energy_mwh", ScenarioResults())
        with pytest.raises(Cancelled):
            flips(resolved, ScenarioResults())


def test_the_adoption_step_has_checkpoints_of_its_own(resolved, monkeypatch) -> None:
    """At 20,000 samples one scenario's adoption takes about 0.25 s: it must not run to its end
    once superseded. With every other checkpoint silenced, adoption's own ones stop it."""
    for module in ("app.engine.evaluate", "app.engine.results"):
        monkeypatch.setattr(importlib.import_module(module), "checkpoint", lambda: None)
    event = threading.Event()
    event.set()
    with cancellable(event), pytest.raises(Cancelled):
        evaluate(resolved, samples=50)


def test_a_newer_submission_stops_the_running_job(qtbot) -> None:
    delivered = []
    scheduler = LatestWins(lambda generation, future: delivered.append((generation, future.result())))
    started = threading.Event()
    try:
        first = scheduler.submit(spin, started)
        assert started.wait(30)
        second = scheduler.submit(lambda: "second")
        assert second.result(timeout=30) == "second"  # would never come if the first ran on
        assert isinstance(first.exception(timeout=30), Cancelled)
        assert delivered == [(2, "second")]  # the superseded one is never delivered
    finally:
        scheduler.shutdown()


def test_shutdown_stops_the_running_job_instead_of_waiting_for_it() -> None:
    scheduler = LatestWins()
    started = threading.Event()
    job = scheduler.submit(spin, started)
    assert started.wait(30)
    scheduler.shutdown()  # returns: the spinning job was told to stop
    assert isinstance(job.exception(timeout=1), Cancelled)
    assert scheduler.stopped


def test_a_window_closed_while_computing_stops_its_engine(qtbot, resolved) -> None:
    from app.gui.engine_worker import EngineRunner

    runner = EngineRunner(samples=20_000, quick_samples=20_000)
    futures = []
    submit = runner._scheduler.submit
    runner._scheduler.submit = lambda *args: futures.append(submit(*args)) or futures[-1]
    runner.request(resolved)
    qtbot.waitUntil(lambda: futures[0].running(), timeout=20_000)
    runner.stop()
    assert runner.stopped
    assert isinstance(futures[0].exception(timeout=1), Cancelled)  # stopped, not finished and dropped


def test_cancel_stops_the_running_job_delivers_it_as_cancelled_and_keeps_the_scheduler() -> None:
    delivered = []
    scheduler = LatestWins(lambda generation, future: delivered.append((generation, type(future.exception()))))
    started = threading.Event()
    try:
        job = scheduler.submit(spin, started)
        assert started.wait(30)
        scheduler.cancel()
        assert isinstance(job.exception(timeout=30), Cancelled)  # would never come if it ran on
        assert scheduler.submit(lambda: "next").result(timeout=30) == "next"  # still open for the next one
        assert delivered[0] == (1, Cancelled)
    finally:
        scheduler.shutdown()


def test_a_verdict_map_stops_between_its_chunks_of_points(resolved) -> None:
    """The verdict map runs through the same scheduler: its sweep has the engine's checkpoints."""
    from app.report.verdict_map import compute_map

    chunks = []
    event = threading.Event()

    def progress(done: int, total: int) -> None:
        chunks.append(done)
        event.set()  # cancelled after the first chunk

    x = ("market.price_elasticity", -1.5, -0.5, 60)
    y = ("usage.efficiency_gain_per_year", 0.0, 0.5, 60)
    with cancellable(event), pytest.raises(Cancelled):
        compute_map(resolved, 1, x, y, samples=20, progress=progress)
    assert len(chunks) == 1
