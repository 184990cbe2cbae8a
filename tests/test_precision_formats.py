"""Bits per value of every weight format, block scales included, and where each computes."""

from __future__ import annotations

import pytest

from app.domain.files import load_preset
from app.domain.precision import BITS_PER_VALUE, BYTES_PER_VALUE
from app.paths import presets_dir


@pytest.mark.parametrize(
    ("precision", "bits"),
    [("fp32", 32), ("bf16", 16), ("fp16", 16), ("fp8", 8), ("int8", 8), ("mxfp8", 8.25), ("mxfp6", 6.25),
     ("mxfp4", 4.25), ("nvfp4", 4.5), ("fp4", 4), ("int4", 4)],
)
def test_block_scaled_formats_count_their_shared_scales(precision: str, bits: float) -> None:
    assert BITS_PER_VALUE[precision] == bits
    assert BYTES_PER_VALUE[precision] == bits / 8


def test_gpt_oss_weights_are_mxfp4_and_hold_a_quarter_bit_more_than_plain_fp4() -> None:
    model = load_preset(presets_dir() / "models" / "gpt-oss-120b.json")
    assert model.weight_precision == "mxfp4"


@pytest.mark.parametrize(("precision", "field"), [("mxfp4", "peak_tflops_fp4"), ("nvfp4", "peak_tflops_fp4"),
                                                  ("mxfp8", "peak_tflops_fp8"), ("mxfp6", "peak_tflops_fp8")])
def test_block_scaled_formats_compute_at_their_element_widths_peak(precision: str, field: str) -> None:
    b200 = load_preset(presets_dir() / "hardware" / "b200.json")
    assert b200.peak_field(precision) == field
    h100 = load_preset(presets_dir() / "hardware" / "h100-sxm.json")
    assert h100.peak_field(precision) == "peak_tflops_fp8"  # Hopper has no FP4 tensor cores
