"""Units, bounds and meanings declared on fields reach the GUI and the engine, optional fields included."""

from __future__ import annotations

from app.domain.hardware import HardwarePreset
from app.domain.model_preset import ModelPreset, TrainingRun
from app.domain.quantity import quantity_field


def test_required_field_declares_unit_bounds_and_meaning() -> None:
    declared = quantity_field(TrainingRun, "mfu")
    assert declared.unit == "fraction"
    assert declared.bounds.describe() == ">= 0.0001 and <= 1"
    assert "utilisation" in declared.description


def test_optional_field_declares_them_too() -> None:
    assert quantity_field(ModelPreset, "kv_cache_bytes_per_token").unit == "bytes/token"
    assert quantity_field(HardwarePreset, "peak_tflops_fp8").bounds.describe() == ">= 0.001 and <= 10,000,000"
    assert quantity_field(TrainingRun, "measured_power_w").description.startswith("Measured average power")
