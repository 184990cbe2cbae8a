"""A faster answer to PySide6's "does this module use PySide6?" question, asked at every import.

Once PySide6 is imported, its ``__feature__`` support (``shibokensupport.feature``)
asks of every module imported afterwards whether its source mentions
"PySide6", through ``inspect.getsource``: linecache, tokenizer, the whole
file split into lines. The window imports about 500 modules after PySide6
(pyqtgraph, numpy, pydantic, its own), and those checks took 60-200 ms of its
start on a 2-core machine. :func:`install` replaces the check with one that
reads the ``.py`` file's bytes and looks for the same word: the same answer
(``True`` only when the source names PySide6), without the line splitting.
Anything else (no file, not a ``.py`` file read from disk) keeps PySide6's own
check. If a PySide6 release no longer has that check, nothing is replaced.
"""

from __future__ import annotations

import sys
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def install() -> bool:
    """Replace PySide6's per-import source check (after ``import PySide6``); True if replaced."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_bytes", False):
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

    mod_uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]
    return True
