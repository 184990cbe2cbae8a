"""PySide6's "does this module use PySide6?" question, asked at every import: asked only when it matters.

Once PySide6 is imported, its ``__feature__`` support (``shibokensupport.feature``)
records, for every module imported afterwards, whether its source mentions
"PySide6" (through ``inspect.getsource``: linecache, tokenizer, the whole file
split into lines). The answer only matters once some module selects a feature
(``from __feature__ import snake_case``): until then every module sees Qt's
API as it is, whatever its answer. PySide6 itself, when the first feature is
selected, asks the question of every module that has no answer yet.

:func:`install` therefore (1) leaves newly imported modules without an answer
until a feature has been selected (PySide6 then answers for all of them, as it
would have at their import), and (2) answers the question by reading the
``.py`` file's bytes and looking for the same word: the same answer, without
the line splitting. Anything else (no file, not a ``.py`` file read from disk)
keeps PySide6's own check. The window imports about 460 modules after
PySide6 (pyqtgraph, numpy, pydantic, its own) before its first results;
reading each one's source took 11-14 ms of processor time (25-60 ms of wall
time on a busy 2-core machine). If a PySide6 release no longer has these
functions, nothing is replaced.
"""

from __future__ import annotations

import sys
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def install() -> bool:
    """Replace PySide6's per-import source check (after ``import PySide6``); True if replaced.

    Each replacement keeps PySide6's own function as ``pysides_own``.
    """
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    original_imported = getattr(feature, "feature_imported", None)
    if original is None or original_imported is None or not hasattr(feature, "_is_initialized"):
        return False
    if hasattr(original, "pysides_own"):  # installed already
        return False

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    def feature_imported(module: ModuleType) -> None:
        if feature._is_initialized:  # type: ignore[union-attr] # a feature was selected: answer at once
            original_imported(module)

    mod_uses_pyside.pysides_own = original  # type: ignore[attr-defined]
    feature_imported.pysides_own = original_imported  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]
    feature.feature_imported = feature_imported  # type: ignore[union-attr]
    return True
