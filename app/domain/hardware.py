"""An accelerator (GPU/TPU) and its share of the server around it."""


from typing import Annotated, Literal, Self

from pydantic import model_validator

from app.domain.base import StrictModel
from app.domain.limits import (
    ARCHITECTURE,
    BANDWIDTH_FLOOR,
    COUNT,
    EMBODIED,
    LIFETIME_FLOOR,
    LINK,
    LINK_FLOOR,
    MEMORY_FLOOR,
    PEAK,
    POWER_W,
    PRICE,
    YEARS,
    both,
)
from app.domain.precision import arithmetic
from app.domain.quantity import Q, Quantity, shown
from app.domain.text import Description, Name

PEAK_FALLBACK: dict[str, tuple[str, ...]] = {
    "fp4": ("peak_tflops_fp4", "peak_tflops_fp8", "peak_tflops_bf16"),
    "int4": ("peak_tflops_fp4", "peak_tflops_fp8", "peak_tflops_bf16"),
    "fp8": ("peak_tflops_fp8", "peak_tflops_bf16"),
    "int8": ("peak_tflops_fp8", "peak_tflops_bf16"),
    "bf16": ("peak_tflops_bf16",),
    "fp16": ("peak_tflops_bf16",),
    "fp32": ("peak_tflops_fp32", "peak_tflops_bf16"),
}
"""Hardware fields that give the peak at each precision, narrowest first."""


class HardwarePreset(StrictModel):
    """Accelerator specification, power, price and embodied emissions.

    Peak FLOP/s are dense (no structured sparsity). Precisions without a
    figure fall back to the next wider one the chip supports.
    """

    kind: Literal["hardware"] = "hardware"
    name: Name
    description: Description = ""
    peak_tflops_fp32: Annotated[Quantity, Q("TFLOP/s", "Dense FP32 peak (non-tensor-core where that is all there is).", **PEAK)] | None = None
    peak_tflops_bf16: Annotated[Quantity, Q("TFLOP/s", "Dense BF16/FP16 tensor peak.", **PEAK)]
    peak_tflops_fp8: Annotated[Quantity, Q("TFLOP/s", "Dense FP8/INT8 tensor peak.", **PEAK)] | None = None
    peak_tflops_fp4: Annotated[Quantity, Q("TFLOP/s", "Dense FP4 tensor peak.", **PEAK)] | None = None
    memory_gb: Annotated[Quantity, Q("GB", "High-bandwidth memory per accelerator.", **both(MEMORY_FLOOR, ARCHITECTURE))]
    memory_bandwidth_tb_s: Annotated[Quantity, Q("TB/s", "HBM bandwidth per accelerator.", **both(BANDWIDTH_FLOOR, ARCHITECTURE))]
    idle_power_w: Annotated[Quantity, Q("W", "Accelerator power when idle but powered.", ge=0, **POWER_W)]
    max_power_w: Annotated[Quantity, Q("W", "Accelerator power at full load (TDP).", gt=0, **POWER_W)]
    host_power_w: Annotated[Quantity, Q("W", "Share of the server (CPUs, memory, network, storage) per accelerator.", ge=0, **POWER_W)]
    accelerators_per_server: Annotated[Quantity, Q(
        "accelerators", "Accelerators in one server/node: the scale-up domain its fast links join.", ge=1, whole=True, **COUNT
    )]
    scale_up_bandwidth_gb_s: Annotated[Quantity, Q(
        "GB/s",
        "Bandwidth of one accelerator's links to the others in its server (NVLink, Infinity Fabric, ICI), both "
        "directions added as datasheets state it. Absent: 900 GB/s, the H100 SXM's NVLink (an H100-class "
        "server).",
        **both(LINK_FLOOR, LINK),
    )] | None = None
    scale_out_bandwidth_gb_s: Annotated[Quantity, Q(
        "GB/s",
        "Network bandwidth between servers per accelerator, one direction (its share of the InfiniBand/RoCE "
        "NICs: one 400 Gb/s NIC per GPU is 50 GB/s). Used when a tensor- or expert-parallel group spans "
        "servers. Absent: 50 GB/s, one 400 Gb/s NIC per accelerator as in DGX/HGX H100 servers.",
        **both(LINK_FLOOR, LINK),
    )] | None = None
    price_usd_per_hour: Annotated[Quantity, Q("USD/h", "Rental price per accelerator-hour.", ge=0, **PRICE)]
    embodied_kgco2e: Annotated[Quantity, Q("kgCO2e", "Manufacturing emissions per accelerator, with its share of the server.", ge=0, **EMBODIED)]
    lifetime_years: Annotated[Quantity, Q("years", "Service life over which embodied emissions are amortised.", **both(LIFETIME_FLOOR, YEARS))]

    @model_validator(mode="after")
    def _check_power(self) -> Self:
        if self.idle_power_w.value > self.max_power_w.value:
            raise ValueError(
                f"{shown(HardwarePreset, 'idle_power_w', self.idle_power_w)} cannot exceed "
                f"{shown(HardwarePreset, 'max_power_w', self.max_power_w)}"
            )
        return self

    def peak_field(self, precision: str) -> str:
        """Name of the field giving the dense peak at ``precision`` (wider ones stand in)."""
        return next(name for name in PEAK_FALLBACK[arithmetic(precision)] if getattr(self, name) is not None)
