"""Host power under load, checked against Google's measured split of serving energy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.engine import host_power
from app.paths import resources_dir
from tests.engine_support import datacenter, evaluated, scenario, serving_model, shipped_h100, usage

GOOGLE_TOLERANCE = 0.30
"""How far the engine's host/accelerator energy ratio may sit from Google's 25/58.
Google's split is for TPUs serving a median Gemini prompt; ours is Llama 3.1 70B on H100s,
so the comparison checks the order of the host's share, not a fit. Measured: 0.547 against
0.431 at batch 64 (+27 %); the nameplate host share read 0.996 (+131 %); 0.579 (+34 %, a recorded miss)
while the H100's compute activity was fitted with NVLink's and narrow weights' efficiencies; 0.535 (+24 %)
once those were stated (issue 16, item 7)."""


def _host_to_accelerator(batch: float) -> float:
    case = scenario(serving_model("llama_3_1_70b"), shipped_h100(), datacenter(), usage(1000, 500, batch))
    accelerators = evaluated(case, "accelerator").inference.wh_per_query[0]
    server = evaluated(case, "server").inference.wh_per_query[0]
    return (server - accelerators) / accelerators


def test_validation_host_share_at_a_typical_serving_point_matches_googles_measured_split():
    split = json.loads((resources_dir() / "calibration" / "host_power.json").read_text())["reference_split"]
    google = split["host"] / split["accelerators"]
    engine = _host_to_accelerator(64)
    assert abs(engine / google - 1.0) <= GOOGLE_TOLERANCE, f"host/accelerator {engine:.3f} against Google's {google:.3f}"


def test_host_power_under_load_is_below_nameplate_and_rises_with_activity():
    nameplate, idle_chip, max_chip = 575.0, 70.0, 700.0
    # One second of work with the accelerators idle, then at their maximum: the host's power at each.
    idle, busy = host_power.joules(np.array([idle_chip, max_chip]), 1.0, nameplate, idle_chip, max_chip)
    assert host_power.idle_w(nameplate) == pytest.approx(idle) and idle < busy < nameplate
    assert busy == pytest.approx(nameplate * (8400 - 5600) / (10200 - 5600))  # the measured node peak's host share


def test_host_energy_does_not_depend_on_how_work_is_split():
    joules, seconds = np.array([300.0, 50.0]), np.array([1.0, 0.0])  # the second piece adds energy, no time
    pieces = host_power.joules(joules, seconds, 575.0, 70.0, 700.0).sum()
    whole = host_power.joules(joules.sum(), seconds.sum(), 575.0, 70.0, 700.0)
    assert pieces == pytest.approx(whole) and host_power.joules(50.0, 0.0, 575.0, 70.0, 700.0) > 0
