"""Strict pydantic base class shared by every domain model, and validation closed to pydantic plugins."""

from __future__ import annotations

import sys
from types import ModuleType

PLUGIN_LOADER = "pydantic.plugin._loader"


def without_pydantic_plugins() -> None:
    """Validate the presets with pydantic alone: no plugin found in the environment joins in.

    pydantic looks for plugins (entry points of the ``pydantic`` group: hooks that may
    observe or change every validation) when it builds its first validator, by reading the
    metadata of every installed package, which also imports ``importlib.metadata`` and the
    ``email`` and ``socket`` packages: about 75 million instructions, 10-15 ms, of the
    window's start and of every command, for plugins the app does not use. Its loader is
    given a stand-in that finds none, before any model is built (unless pydantic loaded its
    own already: then nothing changes).
    """
    if PLUGIN_LOADER in sys.modules:
        return
    loader = ModuleType(PLUGIN_LOADER, "No pydantic plugins: see app.domain.base.without_pydantic_plugins.")
    loader.get_plugins = tuple  # type: ignore[attr-defined] # no plugins
    sys.modules[PLUGIN_LOADER] = loader


without_pydantic_plugins()

from pydantic import BaseModel, ConfigDict  # noqa: E402 - after the plugin loader's stand-in


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
