"""Dotted input paths (``usage.batch_size``, ``market.price_elasticity``) across format versions."""

from __future__ import annotations

LEGACY_PATHS = {"usage.demand.": "market.demand.", "usage.price_elasticity": "market.price_elasticity"}
"""Paths of format 2, when demand and elasticity were part of the usage profile."""


def current_path(path: str) -> str:
    """The current name of an input path; paths written by files of format 2 keep working."""
    for old, new in LEGACY_PATHS.items():
        if path.startswith(old):
            return new + path[len(old):]
    return path
