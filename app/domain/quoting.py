"""Text from files quoted back to people: clipped in dialogs, escaped for terminals. No pydantic, no Qt
(the window frame imports this before the domain models load)."""

from __future__ import annotations

CLIPPED_CHARS = 120
"""Quoted names, keys and values longer than this are clipped in dialogs and status lines."""


def clipped(text: str, limit: int = CLIPPED_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis and the count left out, so a 5,000-character
    key does not fill a dialog; the full text goes in the dialog's details."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def terminal_safe(text: str) -> str:
    """``text`` for a terminal, line by line: control characters (escape sequences, carriage returns,
    bells) shown as escapes, so a scenario name from a shared file cannot move the cursor, recolour or
    clear the screen."""
    return "\n".join("".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in line)
                     for line in text.split("\n"))
