"""Read a CSV of measured serving configurations (the ML.ENERGY v3 columns).

Every problem is collected (file, row, column, what is wrong) before anything
is raised, so a user fixes a file in one pass. Row numbers count the header as
row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import PresetFileError, Problem
from app.domain.guarded_json import read_text
from app.domain.limits import COUNT, PARAMETERS_BILLION, TOKENS, whole_number_problem
from app.numbers import number

REQUIRED = (
    "task", "model_id", "architecture", "total_params_billions", "activated_params_billions",
    "weight_precision", "gpu_model", "num_gpus", "avg_batch_size", "avg_output_len",
)
"""Columns every row needs: what was served, on what, at which batch."""

OPTIONAL_NUMBERS = (
    "tensor_parallel", "expert_parallel", "data_parallel", "max_num_seqs", "avg_input_len",
    "avg_power_watts", "energy_per_token_joules", "energy_per_request_joules",
    "output_throughput_tokens_per_sec", "median_itl_ms", "p95_itl_ms",
)
"""Columns that may be absent or empty: parallelism (default: tensor parallel over
all GPUs), the measured figures (a row without them is predicted, not scored)."""

NUMBERS = ("total_params_billions", "activated_params_billions", "num_gpus", "avg_batch_size", "avg_output_len")

CAPS = {
    "total_params_billions": PARAMETERS_BILLION, "activated_params_billions": PARAMETERS_BILLION,
    "num_gpus": COUNT, "tensor_parallel": COUNT, "expert_parallel": COUNT, "data_parallel": COUNT,
    "max_num_seqs": COUNT, "avg_batch_size": COUNT, "avg_output_len": TOKENS, "avg_input_len": TOKENS,
}
"""The caps of the preset fields these columns match (``app.domain.limits``): beyond them a value is a
typo, and the physics would overflow on it."""

WHOLE = ("num_gpus", "tensor_parallel", "expert_parallel", "data_parallel", "max_num_seqs")
"""Columns that count accelerators or sequences: whole numbers, each parallelism at most ``num_gpus``."""

ACCELERATORS = {
    "H100": "h100-sxm", "H800": "h800-sxm", "H200": "h200-sxm", "B200": "b200",
    "A100": "a100-80gb", "MI300X": "mi300x", "V100": "v100-sxm2",
}
"""``gpu_model`` names and the shipped hardware preset each one is served on."""

PRECISIONS = {
    "bfloat16": "bf16", "bf16": "bf16", "float16": "fp16", "fp16": "fp16", "half": "fp16",
    "fp8": "fp8", "float8": "fp8", "mxfp8": "mxfp8", "int8": "int8", "mxfp6": "mxfp6",
    "fp4": "fp4", "nvfp4": "nvfp4", "mxfp4": "mxfp4", "int4": "int4", "float32": "fp32", "fp32": "fp32",
}
"""``weight_precision`` names and the engine's precision each one is (bits per value in
:mod:`app.domain.precision`). A row in any other precision is skipped with its reason."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured configuration; measured figures are None when the file lacks them."""

    row: int
    task: str
    model_id: str
    architecture: str
    total_params_b: float
    active_params_b: float
    precision: str
    gpu_model: str
    hardware_id: str
    num_gpus: float
    tensor_parallel: float | None
    expert_parallel: float | None
    data_parallel: float | None
    max_num_seqs: float | None
    avg_batch_size: float
    avg_output_len: float
    avg_input_len: float | None
    avg_power_watts: float | None
    energy_per_token_j: float | None
    energy_per_request_j: float | None
    median_itl_ms: float | None
    unusable: str = ""
    """Why the physics cannot predict this row (an unknown precision); empty if it can."""

    @property
    def is_moe(self) -> bool:
        return "moe" in self.architecture.lower() or self.active_params_b < self.total_params_b

    @property
    def is_hybrid(self) -> bool:
        """Hybrid state-space (Mamba) models, which the serving physics does not describe."""
        return "mamba" in self.architecture.lower()


def _number(text: str, where: tuple[int, str], problems: list[Problem], file: str, required: bool) -> float | None:
    row, column = where
    text = (text or "").strip()
    if not text:
        if required:
            problems.append(Problem(file, f"row {row}, column {column}", "value is missing"))
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(file, f"row {row}, column {column}", f"{text!r} is not a number"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(file, f"row {row}, column {column}", f"{text!r} is not a finite number"))
        return None
    if value < 0:
        problems.append(Problem(file, f"row {row}, column {column}", f"{value:g} is negative"))
        return None
    if column in CAPS and value > CAPS[column]["le"]:
        problems.append(Problem(file, f"row {row}, column {column}", f"must be at most {number(CAPS[column]['le'], 6)}, not {value:g}"))
        return None
    if column in WHOLE and (problem := whole_number_problem(value)):
        problems.append(Problem(file, f"row {row}, column {column}", problem))
        return None
    return value


def _text(record: dict[str, str], row: int, column: str, problems: list[Problem], file: str) -> str:
    text = (record.get(column) or "").strip()
    if not text:
        problems.append(Problem(file, f"row {row}, column {column}", "value is missing"))
    return text


def _parse_row(record: dict[str, str], row: int, file: str, problems: list[Problem]) -> Measurement | None:
    before = len(problems)
    texts = {c: _text(record, row, c, problems, file) for c in ("task", "model_id", "architecture", "weight_precision", "gpu_model")}
    numbers = {c: _number(record.get(c, ""), (row, c), problems, file, True) for c in NUMBERS}
    optional = {c: _number(record.get(c, ""), (row, c), problems, file, False) for c in OPTIONAL_NUMBERS}
    gpu = texts["gpu_model"]
    precision = texts["weight_precision"].lower()
    unusable = ""
    if precision and precision not in PRECISIONS:
        unusable = f"column weight_precision: unknown precision {precision!r} (known: {', '.join(PRECISIONS)})"
    if gpu and gpu.upper() not in ACCELERATORS:
        problems.append(Problem(file, f"row {row}, column gpu_model", f"unknown accelerator {gpu!r}; one of: {', '.join(ACCELERATORS)}"))
    for column in ("num_gpus", "avg_batch_size", "avg_output_len", "total_params_billions", "activated_params_billions"):
        if numbers[column] == 0:
            problems.append(Problem(file, f"row {row}, column {column}", "must be greater than 0"))
    gpus = numbers["num_gpus"]
    for column in ("tensor_parallel", "expert_parallel", "data_parallel"):
        parallel = optional[column]
        if gpus and parallel is not None and parallel > gpus:
            problems.append(Problem(file, f"row {row}, column {column}", f"{parallel:g} exceeds num_gpus ({gpus:g})"))
    total, active = numbers["total_params_billions"], numbers["activated_params_billions"]
    if total and active and active > total * (1 + 1e-9):
        problems.append(Problem(file, f"row {row}, column activated_params_billions", f"{active:g} exceeds total_params_billions ({total:g})"))
    if len(problems) > before:
        return None
    required = {c: value for c, value in numbers.items() if value is not None}  # each missing one is a problem above
    energy = optional["energy_per_token_joules"]
    if energy is None and optional["avg_power_watts"] and optional["output_throughput_tokens_per_sec"]:
        energy = optional["avg_power_watts"] / optional["output_throughput_tokens_per_sec"]
    return Measurement(
        row=row,
        task=texts["task"],
        model_id=texts["model_id"],
        architecture=texts["architecture"],
        total_params_b=required["total_params_billions"],
        active_params_b=required["activated_params_billions"],
        precision=PRECISIONS.get(precision, precision),
        gpu_model=gpu.upper(),
        hardware_id=ACCELERATORS[gpu.upper()],
        num_gpus=required["num_gpus"],
        tensor_parallel=optional["tensor_parallel"],
        expert_parallel=optional["expert_parallel"],
        data_parallel=optional["data_parallel"],
        max_num_seqs=optional["max_num_seqs"],
        avg_batch_size=required["avg_batch_size"],
        avg_output_len=required["avg_output_len"],
        avg_input_len=optional["avg_input_len"],
        avg_power_watts=optional["avg_power_watts"],
        energy_per_token_j=energy,
        energy_per_request_j=optional["energy_per_request_joules"],
        median_itl_ms=optional["median_itl_ms"],
        unusable=unusable,
    )


def read_measurements(path: str | Path) -> list[Measurement]:
    """Every row of a measurements CSV; raises PresetFileError listing every problem.

    A well-formed row in a precision the physics does not know is not
    a problem of the file: it is kept with its reason in ``unusable``, and the fit and the check
    skip it and say why."""
    file = str(path)
    text = read_text(Path(path), "measurements file")  # a device, pipe or huge file is refused unread
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PresetFileError([Problem(file, f"column {c}", "required column is missing") for c in missing])
        records = list(reader)
    except csv.Error as error:
        raise PresetFileError([Problem(file, "", f"not a readable CSV file: {error}")]) from None
    if not records:
        raise PresetFileError([Problem(file, "", "no rows: the file has a header but no measurements")])
    problems: list[Problem] = []
    rows = [_parse_row(record, index + 2, file, problems) for index, record in enumerate(records)]
    if problems:
        raise PresetFileError(problems)
    return [r for r in rows if r is not None]

