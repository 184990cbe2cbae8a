"""The serving calibration the engine uses: fitted constants per accelerator family.

A calibration file (``jevons calibrate fit`` writes one; the app ships
``resources/calibration/serving.json``) holds, per accelerator family (``H100``,
``B200``), the :class:`~app.engine.serving.ServingConstants` fitted on measured
serving energy, the constants shared by every family (used for accelerators the
data do not cover), and the spread of the fit's residuals, which the engine
adds to per-query figures as model error.

The engine uses the shipped file unless ``JEVONS_CALIBRATION`` names another;
a file that cannot be used is reported on stderr and in the window's status
bar (:func:`environment_problems`), and the shipped one is used.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.engine.serving import CEILINGS, DIVISORS, ServingConstants
from app.paths import resources_dir

FORMAT_VERSION = 3
"""3: no fitted link or narrow-weight constants (stated ones in the serving physics instead); 2: the link constant an efficiency on the scale-up bandwidth, not GB/s."""
KIND = "serving-calibration"
ENVIRONMENT_VARIABLE = "JEVONS_CALIBRATION"


SAME_ARCHITECTURE = {"H800": "H100", "H200": "H100", "H20": "H100"}
"""Chips that are the H100's Hopper GPU with other memory or interconnect (NVIDIA H200 and
H800 datasheets; the H800 cuts NVLink to 400 GB/s, the H200 has 141 GB of HBM3e at 4.8 TB/s).
They share the H100's fitted constants; memory bandwidth and NVLink come from their own presets
(the link constant is an efficiency on the scale-up bandwidth)."""


class CalibrationFileError(Exception):
    """A calibration file that cannot be used; ``problems`` are ``file: field: problem`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Calibration:
    families: dict[str, ServingConstants]
    shared: ServingConstants
    sigma_log10: float
    """Standard deviation of log10(predicted / measured) energy per token over the fit's rows."""
    source: str
    """The file it was read from."""
    document: dict[str, Any] = field(default_factory=dict, compare=False)
    class_sigma_log10: dict[str, float] = field(default_factory=dict, compare=False)
    """The model error's spread per class (:func:`error_class`), from ``residuals.by_class``."""

    def family_of(self, hardware_name: str) -> str | None:
        """The fitted family named in ``hardware_name`` (e.g. "NVIDIA H100 SXM 80GB": "H100"), else None.

        A chip of the same architecture as a fitted family (:data:`SAME_ARCHITECTURE`) belongs to it.
        """
        words = hardware_name.upper().replace("-", " ").split()
        words += [SAME_ARCHITECTURE[w] for w in words if w in SAME_ARCHITECTURE]
        return next((w for w in words if w in self.families), None)

    def for_hardware(self, hardware_name: str) -> ServingConstants:
        """The constants of the family named in ``hardware_name``, else the shared ones.

        They describe the serving software on those cores; bandwidth, peak and power come from the
        chip's own preset.
        """
        family = self.family_of(hardware_name)
        return self.shared if family is None else self.families[family]

    def sigma_for(self, key: str) -> float:
        """The model error's spread for a class: its own, measured; for a class the calibration has no
        rows of, the widest measured class's (assumption: an unmeasured configuration is at least as
        uncertain as the worst measured one); without classes, the file's one spread."""
        if not self.class_sigma_log10:
            return self.sigma_log10
        return self.class_sigma_log10.get(key, max(self.class_sigma_log10.values()))


def error_class(family: str | None, moe: bool, several_servers: bool) -> str:
    """The class a serving configuration's model error belongs to: accelerator family x dense/MoE x
    one server/several ("H100 MoE one node"). Configurations of one class share their error (the same
    constants mispredict them alike); different classes err independently."""
    return f"{family or 'other'} {'MoE' if moe else 'dense'} {'several nodes' if several_servers else 'one node'}"


def _constant_problem(name: str, value: Any) -> str:
    """What is wrong with a serving constant's value ("" when nothing): a finite number, at least 0 (above
    0 for an efficiency a time is divided by), at most its physical ceiling where it has one."""
    lowest = "above 0" if name in DIVISORS else "at least 0"
    ceiling = CEILINGS.get(name)
    wanted = f"a number {lowest}" + (f" and at most {ceiling:g}" if ceiling is not None else "")
    sound = (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
             and (value > 0 if name in DIVISORS else value >= 0) and (ceiling is None or value <= ceiling))
    return "" if sound else f"must be {wanted}, not {value!r}"


def _constants(document: dict, where: str, file: str, problems: list[str]) -> ServingConstants | None:
    values = document.get(where) if "." not in where else document.get("families", {}).get(where.split(".", 1)[1])
    if not isinstance(values, dict):
        problems.append(f"{file}: {where}: must be an object of constants")
        return None
    numbers: list[float] = []
    for name in ServingConstants.names():
        if (problem := _constant_problem(name, values.get(name))):
            problems.append(f"{file}: {where}.{name}: {problem}")
        else:
            numbers.append(float(values[name]))
    return None if len(problems) else ServingConstants(*numbers)


def parse(document: Any, file: str) -> Calibration:
    """A calibration from its JSON document; raises CalibrationFileError with every problem."""
    if not isinstance(document, dict):
        raise CalibrationFileError([f"{file}: not a calibration file (expected a JSON object)"])
    problems: list[str] = []
    if document.get("kind") != KIND:
        problems.append(f"{file}: kind: must be {KIND!r}, not {document.get('kind')!r}")
    if document.get("format_version") != FORMAT_VERSION:
        problems.append(
            f"{file}: format_version: this Jevons reads calibration format {FORMAT_VERSION}, not {document.get('format_version')!r}"
        )
    if problems:
        raise CalibrationFileError(problems)
    shared = _constants(document, "shared", file, problems)
    families_doc = document.get("families")
    if not isinstance(families_doc, dict):
        problems.append(f"{file}: families: must be an object (accelerator family -> constants)")
        families_doc = {}
    families = {name: _constants(document, f"families.{name}", file, problems) for name in families_doc}
    sigma = document.get("residuals", {}).get("sigma_log10") if isinstance(document.get("residuals"), dict) else None
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or not 0 <= sigma < 5:
        problems.append(f"{file}: residuals.sigma_log10: must be a number from 0 to 5, not {sigma!r}")
    by_class = document["residuals"].get("by_class", {}) if not problems else {}
    classes = {}
    if not isinstance(by_class, dict):
        problems.append(f"{file}: residuals.by_class: must be an object (class -> residual spread)")
        by_class = {}
    for key, entry in by_class.items():
        value = entry.get("sigma_log10") if isinstance(entry, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 5:
            problems.append(f"{file}: residuals.by_class.{key}.sigma_log10: must be a number from 0 to 5, not {value!r}")
        else:
            classes[key] = float(value)
    if problems:
        raise CalibrationFileError(problems)
    return Calibration(families, shared, float(sigma), file, document, classes)  # type: ignore[arg-type]


def load(path: str | Path) -> Calibration:
    """A calibration file, read the guarded way a preset file is (a device or a huge file is refused
    unread); raises CalibrationFileError with every problem."""
    from app.domain.errors import PresetFileError  # here: the window's frame imports this module, not pydantic
    from app.domain.guarded_json import parse_json, read_text

    file = str(path)
    try:
        document = parse_json(read_text(Path(path), "calibration file"), file)
    except PresetFileError as error:
        raise CalibrationFileError([str(problem) for problem in error.problems]) from None
    return parse(document, file)


def shipped_path() -> Path:
    return resources_dir() / "calibration" / "serving.json"


@cache
def shipped() -> Calibration:
    return load(shipped_path())


@cache
def _from_environment(path: str) -> tuple[Calibration, tuple[str, ...]]:
    """The calibration at ``path``, or the shipped one with the reasons ``path`` cannot be used (also on stderr)."""
    try:
        return load(path), ()
    except CalibrationFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{ENVIRONMENT_VARIABLE}: using the shipped calibration ({shipped_path()}) instead", file=sys.stderr)
        return shipped(), tuple(error.problems)


def active() -> Calibration:
    """The calibration the engine uses now: ``$JEVONS_CALIBRATION`` if set and usable, else the shipped one."""
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    return _from_environment(path)[0] if path else shipped()


def environment_problems() -> tuple[str, ...]:
    """Why the calibration named by ``$JEVONS_CALIBRATION`` is not used (empty when it is, or none is named)."""
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    return _from_environment(path)[1] if path else ()
