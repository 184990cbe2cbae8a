"""Domain model of Jevons: presets, scenarios, comparisons and their files. No Qt."""

from app.domain.datacenter import DatacenterPreset
from app.domain.errors import PresetFileError, Problem
from app.domain.files import FORMAT_VERSION, dump_preset, load_preset, save_preset
from app.domain.hardware import HardwarePreset
from app.domain.library import PresetLibrary, ResolvedComparison, ResolvedScenario, resolve_comparison
from app.domain.model_preset import ModelPreset
from app.domain.quantity import Quantity
from app.domain.scenario import Comparison, Scenario
from app.domain.usage import UsagePreset

__all__ = [
    "FORMAT_VERSION",
    "Comparison",
    "DatacenterPreset",
    "HardwarePreset",
    "ModelPreset",
    "PresetFileError",
    "PresetLibrary",
    "Problem",
    "Quantity",
    "ResolvedComparison",
    "ResolvedScenario",
    "Scenario",
    "UsagePreset",
    "dump_preset",
    "load_preset",
    "resolve_comparison",
    "save_preset",
]
