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
