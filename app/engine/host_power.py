"""Host power under load: what the server around the accelerators draws while serving.

The hardware presets give the host's *nameplate* share per accelerator (system
rating minus accelerator TDP). Measured nodes draw less: an 8 x H100 node peaked
at 8.4 kW against its 10.2 kW rating (Latif et al., arXiv 2412.08602). The host's
loaded power is the nameplate share scaled by the measured peak's host share
(``load_fraction``), and follows the same activity as the accelerators:

    P_host = host_power_w * load_fraction * (idle_fraction + (1 - idle_fraction) * activity)

with ``activity = (P_acc - idle) / (max - idle)`` of the accelerators' mean power
over the work. The constants and their sources are in
``resources/calibration/host_power.json``; Google's measured split of serving
energy (Elsworth et al., arXiv 2508.15734) checks the result in the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.paths import resources_dir


@dataclass(frozen=True, slots=True)
class HostPower:
    load_fraction: float
    """Host power at the node's measured peak over the nameplate host share."""
    idle_fraction: float
    """Host power of an idle server over its loaded host power."""


@cache
def constants() -> HostPower:
    """The shipped constants (``resources/calibration/host_power.json``)."""
    document = json.loads((resources_dir() / "calibration" / "host_power.json").read_text(encoding="utf-8"))
    rating, peak, chips = (document[k]["value"] for k in ("node_rating_w", "node_measured_peak_w", "accelerators_at_peak_w"))
    return HostPower(load_fraction=(peak - chips) / (rating - chips), idle_fraction=document["idle_fraction"]["value"])


@dataclass(frozen=True, slots=True)
class Host:
    """The host around some accelerators, with what does not depend on the work worked out once:
    a query's figures ask for the host's energy of a dozen pieces of work."""

    scale_w: np.ndarray
    """``host_power_w x load_fraction``."""
    idle_w: np.ndarray
    """The accelerators' idle power."""
    span_w: np.ndarray
    """The accelerators' idle-to-max range (1 where it is flat)."""
    flat: np.ndarray | None
    """Samples whose accelerator has a flat power (idle = max); None when there are none."""

    @classmethod
    def of(cls, host_w: np.ndarray, idle_w: np.ndarray, max_w: np.ndarray) -> Host:
        span = max_w - idle_w
        flat = span <= 1e-9 * np.maximum(max_w, 1.0)
        if np.any(flat):
            return cls(host_w * constants().load_fraction, idle_w, np.where(flat, 1.0, span), flat)
        return cls(host_w * constants().load_fraction, idle_w, span, None)

    def joules(self, joules: np.ndarray, accelerator_seconds: np.ndarray) -> np.ndarray:
        """The host's energy over some work of the accelerators (see :func:`joules`)."""
        c = constants()
        active_seconds = (joules - self.idle_w * accelerator_seconds) / self.span_w
        if self.flat is not None:
            active_seconds = np.where(self.flat, accelerator_seconds, active_seconds)
        return self.scale_w * (c.idle_fraction * accelerator_seconds + (1.0 - c.idle_fraction) * active_seconds)


def joules(joules: np.ndarray, accelerator_seconds: np.ndarray, host_w: np.ndarray, idle_w: np.ndarray, max_w: np.ndarray) -> np.ndarray:
    """The host's energy over some work of the accelerators (their ``joules`` over ``accelerator_seconds``).

    ``P_host x seconds`` with the activity of the work's mean accelerator power, written without
    dividing by the time: ``host x load x (idle_f S + (1 - idle_f) (J - idle S) / (max - idle))``.
    It is linear in the work's energy and time, so a query's host energy does not depend on how its
    work is cut into pieces, and a piece that adds energy but no time (prompt tokens absorbed by a
    memory-bound step) adds host energy too. An accelerator with a flat power (idle = max) is
    always at full activity.
    """
    return Host.of(host_w, idle_w, max_w).joules(joules, accelerator_seconds)


def idle_w(host_w: np.ndarray) -> np.ndarray:
    """Host power per accelerator of an idle server."""
    c = constants()
    return host_w * c.load_fraction * c.idle_fraction
