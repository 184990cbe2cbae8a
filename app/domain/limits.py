"""Caps on inputs that physics leaves open, so that every figure the engine derives stays finite.

A parameter count, a token count or a price has no physical maximum, but a
value of 1e300 is a typo, not a model: multiplied by the next input it
overflows a float and turns a chart into NaN. Each cap below lies at least a
hundred times beyond any published figure (the shipped presets' largest value
is given for comparison) and comes with its reason, which the field's
description shows. Floors keep divisors away from zero for the same reason.

Use as ``Q(unit, description, ge=0, **TOKENS)``.
"""

from __future__ import annotations

from typing import Any

from app.numbers import number


def _cap(le: float, reason: str) -> dict[str, Any]:
    return {"le": le, "why": f"At most {number(le, 6)}: {reason}, so that no derived figure overflows."}


def _floor(ge: float, reason: str) -> dict[str, Any]:
    return {"ge": ge, "why": f"At least {number(ge, 6)}: {reason}; the engine divides by it."}


def both(floor: dict[str, Any], cap: dict[str, Any]) -> dict[str, Any]:
    """A floor and a cap on the same field, both reasons given."""
    return {"ge": floor["ge"], "le": cap["le"], "why": f"{floor['why']} {cap['why']}"}


def whole_number_problem(value: float) -> str:
    """"" when ``value`` is a whole number, else "2.5 is not a whole number": the one rule of a count, read by the
    preset fields that count layers, heads, experts, accelerators or sequences (``Q(..., whole=True)``) and by
    the measurements' count columns. The number is written in full (16.5, not 16 or 1.23e+06)."""
    return "" if float(value).is_integer() else f"{float(value)!r} is not a whole number"


TOKENS = _cap(1e9, "a thousand times the longest context window (about 1e6 tokens)")
TOKENS_BILLION = _cap(1e7, "ten thousand times the largest published fine-tuning set (about 1e3 B)")
TOKENS_TRILLION = _cap(1e4, "a hundred times the largest published pre-training set (about 70 T in the presets)")
PARAMETERS_BILLION = _cap(1e6, "a thousand times the largest published model (about 2e3 B)")
ARCHITECTURE = _cap(1e7, "layers, widths, heads and experts a thousand times beyond any published model")
COUNT = _cap(1e9, "far beyond any real cluster, server, batch or run")
PROMPTS = _cap(1e12, "a million times the largest published RL prompt set (about 1e6)")
FLOPS = _cap(1e32, "a million times the largest published training run (about 4e25 FLOP)")
HOURS = _cap(1e12, "ten thousand times the largest published run (about 3e7 accelerator-hours)")
POWER_W = _cap(1e6, "a thousand times the power of any accelerator or server share (about 1e3 W)")
PRICE = _cap(1e6, "ten thousand times any rental or labour price per hour")
EMBODIED = _cap(1e9, "a hundred thousand times any accelerator's manufacturing emissions")
SECONDS = _cap(1e6, "more than eleven days per sample")
RATE_FRACTION = _cap(1e3, "a thousand times the base it is a fraction of")
PER_KWH = _cap(1e3, "a thousand times the worst published grid or site")
QUERIES_PER_DAY = _cap(1e15, "a hundred thousand queries a day for every person alive")
GROWTH = _cap(1e2, "demand multiplied a hundredfold every year or month")
COMPUTE_GROWTH = _cap(1e2, "a run's compute multiplied a hundredfold every year, twenty times the frontier's 4-5x")
MONTHS = _cap(1.2e3, "a century")
YEARS = _cap(1e2, "a century")
LINK = _cap(1e6, "a thousand times any accelerator's link bandwidth (about 1.8e3 GB/s)")
PUE = _cap(10, "a facility using ten times its IT power; the worst published are about 2")

PEAK = both(_floor(1e-3, "one GFLOP/s"), _cap(1e7, "a thousand times any accelerator's peak (about 1e4 TFLOP/s)"))
BANDWIDTH_FLOOR = _floor(1e-6, "one MB/s")
MEMORY_FLOOR = _floor(1e-3, "one MB")
LINK_FLOOR = _floor(1e-3, "one MB/s")
MFU_FLOOR = _floor(1e-4, "a utilisation of 0.01%; no run is that idle")
UTILISATION_FLOOR = _floor(1e-3, "a fleet busy 0.1% of the time")
LIFETIME_FLOOR = _floor(0.1, "about five weeks of service")
HORIZON_FLOOR = _floor(1 / 12, "one month, the step of the adoption totals")
RETRAIN_FLOOR = _floor(1, "one month, the step of the adoption totals")

MIN_SCENARIOS = 1
"""A comparison holds at least one scenario: its baseline."""
MAX_SCENARIOS = 6
"""A comparison holds at most this many scenarios: each chart keeps one slot per scenario, and the
window reads it before the preset models load (this module imports no pydantic)."""


def scenario_count_problem(count: int) -> str:
    """"" when a comparison may hold ``count`` scenarios, else why not. The one rule the file format
    (``Comparison.scenarios``), the edits that add, duplicate and remove scenarios and the scenario
    list's buttons read."""
    if count < MIN_SCENARIOS:
        return "a comparison needs at least one scenario"
    if count > MAX_SCENARIOS:
        return f"a comparison holds at most {MAX_SCENARIOS} scenarios"
    return ""
