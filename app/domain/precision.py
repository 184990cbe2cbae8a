"""Numeric precisions of weights, KV cache and arithmetic, and what one value takes in memory.

Block-scaled formats store a shared scale with every block of values, and that
scale is memory the server reads: bits per value include it.

* ``mxfp8``, ``mxfp6``, ``mxfp4``: OCP Microscaling Formats (MX) Specification v1.0
  (Open Compute Project, 2023), sec. 5: blocks of 32 elements (FP8 E4M3/E5M2,
  FP6 E2M3/E3M2 or FP4 E2M1) share one 8-bit E8M0 scale, so 8.25, 6.25 and 4.25 bits.
  gpt-oss ships its MoE weights in MXFP4 (gpt-oss model card, arXiv 2508.10925, sec. 2.1).
* ``nvfp4``: NVIDIA's NVFP4 (NVIDIA technical blog "Introducing NVFP4 for efficient and
  accurate low-precision inference", 2025; Blackwell Transformer Engine): FP4 E2M1 values in
  blocks of 16 sharing one FP8 E4M3 scale (plus one FP32 scale per tensor, negligible), 4.5 bits.
* ``fp4`` and ``int4``: 4-bit values whose per-tensor or per-channel scales are negligible.
* ``fp8`` (E4M3/E5M2) and ``int8``: 8 bits; DeepSeek-V3's 128 x 128 weight blocks add one FP32
  scale per 16,384 values (arXiv 2412.19437, sec. 3.3.2), under 0.03 %, not counted.
* ``bf16``, ``fp16``: 16 bits; ``fp32``: 32 bits.
"""

from __future__ import annotations

from typing import Literal

Precision = Literal["fp32", "bf16", "fp16", "fp8", "mxfp8", "int8", "mxfp6", "fp4", "nvfp4", "mxfp4", "int4"]

BITS_PER_VALUE: dict[str, float] = {
    "fp32": 32.0,
    "bf16": 16.0,
    "fp16": 16.0,
    "fp8": 8.0,
    "mxfp8": 8.0 + 8.0 / 32.0,
    "int8": 8.0,
    "mxfp6": 6.0 + 8.0 / 32.0,
    "fp4": 4.0,
    "nvfp4": 4.0 + 8.0 / 16.0,
    "mxfp4": 4.0 + 8.0 / 32.0,
    "int4": 4.0,
}
"""Bits per stored value, block scales included (see the module docstring)."""

BYTES_PER_VALUE: dict[str, float] = {name: bits / 8.0 for name, bits in BITS_PER_VALUE.items()}

ARITHMETIC: dict[str, str] = {
    "mxfp8": "fp8",
    "mxfp6": "fp8",
    "nvfp4": "fp4",
    "mxfp4": "fp4",
}
"""The tensor-core rate a block-scaled format computes at, by its element width (Blackwell runs
MXFP8 and MXFP6 at its FP8 rate and MXFP4/NVFP4 at its FP4 rate, NVIDIA Blackwell architecture
technical brief; the GB200 NVL72 datasheet lists one "FP8/FP6" rate); every other precision is its own."""


def arithmetic(precision: str) -> str:
    """The precision whose peak FLOP rate applies to ``precision``."""
    return ARITHMETIC.get(precision, precision)
