"""Export formats and their errors, without Qt (the CLI checks them before loading Qt)."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("png", "svg", "pdf", "csv")
DEFAULT_SCALE = 2.0
IMAGE_FORMATS = ("png", "svg", "pdf")
"""The formats one chart is written in as an image, told apart by the file's suffix."""


class ExportError(Exception):
    """An export could not be written; the message says which file and why."""


def parse_formats(text: str) -> list[str]:
    """``"png,svg"`` -> ``["png", "svg"]``; ExportError naming any unknown format."""
    formats = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def check_scale(scale: float) -> float:
    if not 0 < scale <= 10:
        raise ExportError(f"scale must be above 0 and at most 10, not {scale:g}")
    return scale


def image_format(path: Path) -> str:
    """The image format ``path``'s suffix names ("png", "svg" or "pdf"); ExportError for any other."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"{path}: unknown image format '{fmt or '(none)'}'; choose from {', '.join(IMAGE_FORMATS)}")
    return fmt
