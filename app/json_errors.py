"""How invalid JSON is described to a user, for every file the app reads (presets, calibration)."""

from __future__ import annotations

import json


def json_error_text(error: json.JSONDecodeError) -> str:
    """What is wrong with JSON text and where: Python's message ("Expecting ',' delimiter") with its line and
    column, without the dangling "at" some messages end in ("Unterminated string starting at")."""
    return f"{error.msg.removesuffix(' at')} at line {error.lineno}, column {error.colno}"
