"""Work around PySide6 6.12 dropping references to None (and True) on CPython < 3.12.

On CPython 3.11, each call of a PySide6 6.12 method that returns nothing
(``QLineEdit.setText``, ``QPainter.drawLine`` ...) decrements ``None``'s
reference count without having incremented it. ``None`` starts with a few
thousand references, so the app aborts with "Fatal Python error: none_dealloc"
after a few seconds of painting. From Python 3.12 ``None`` is immortal and the
bug is harmless. ``True`` loses references the same way on some paths
(booleans passed through signals), more slowly.

The workaround raises the reference counts of ``None``, ``True`` and ``False``
once by 2**48 (no memory is
used: they are static objects that are never freed). At millions of Qt
calls per second that lasts for years of run time.
"""

from __future__ import annotations

import sys

HEADROOM = 1 << 48


def protect_none() -> None:
    """Give None, True and False enough references to outlive the leak (once; CPython < 3.12)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    import ctypes

    for singleton in (None, True, False):
        if sys.getrefcount(singleton) < HEADROOM // 2:
            # ob_refcnt is the first field of every PyObject in a release build of CPython.
            ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
