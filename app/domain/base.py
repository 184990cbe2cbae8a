"""Strict pydantic base class shared by every domain model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Frozen, strict model: unknown fields are errors and defaults are validated.

    Domain objects are immutable so that an edit produces a new snapshot; the
    GUI keeps those snapshots for undo and hands them to the engine thread
    without copying or locking.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_default=True,
        str_strip_whitespace=True,
    )
