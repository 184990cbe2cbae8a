"""Bounded free text: names, descriptions and sources.

Names are drawn in every legend, list and table, so a name of megabytes
would freeze the window; files are shared, so their text is never trusted
as markup (the window shows it as plain text). The caps sit far above any
shipped text (names up to about 50 characters, descriptions about 800,
sources about 300).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 20_000
MAX_SOURCE_CHARS = 4_000

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
"""A non-empty name of at most MAX_NAME_CHARS characters."""
Description = Annotated[str, Field(max_length=MAX_DESCRIPTION_CHARS)]
Source = Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]


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
