"""Domain model of Jevons: presets, scenarios, comparisons and their files. No Qt.

The names below are loaded on first use (PEP 562): importing a light module
of the package (``app.domain.atomic_save``, ``app.domain.limits``) does not
load pydantic and every preset model, which the window's start-up draws its
first result without (``app.session.first_result``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "DatacenterPreset": "datacenter",
    "PresetFileError": "errors",
    "Problem": "errors",
    "FORMAT_VERSION": "files",
    "dump_preset": "files",
    "load_preset": "files",
    "save_preset": "files",
    "HardwarePreset": "hardware",
    "PresetLibrary": "library",
    "ResolvedComparison": "library",
    "ResolvedScenario": "library",
    "resolve_comparison": "library",
    "ModelPreset": "model_preset",
    "Quantity": "quantity",
    "Comparison": "scenario",
    "Scenario": "scenario",
    "UsagePreset": "usage",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


if TYPE_CHECKING:
    from app.domain.datacenter import DatacenterPreset
    from app.domain.errors import PresetFileError, Problem
    from app.domain.files import FORMAT_VERSION, dump_preset, load_preset, save_preset
    from app.domain.hardware import HardwarePreset
    from app.domain.library import PresetLibrary, ResolvedComparison, ResolvedScenario, resolve_comparison
    from app.domain.model_preset import ModelPreset
    from app.domain.quantity import Quantity
    from app.domain.scenario import Comparison, Scenario
    from app.domain.usage import UsagePreset
