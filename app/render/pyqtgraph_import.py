"""Import pyqtgraph without making every Qt class it never uses.

pyqtgraph keeps its own copies of PySide6's ``QtCore``, ``QtGui`` and ``QtWidgets``
(``pyqtgraph.Qt.QtCore`` and so on) and fills them when it is imported with every
name the PySide6 modules list. PySide6 makes a class, and a Python ``enum`` for
each of its enums, when the class is first asked for, so that copy makes all of
them: 642 enums, 60-80 ms of processor time on the window's start, of which the
window and its charts use fewer than 300.

:func:`import_pyqtgraph` hands pyqtgraph copies that take each name from the
PySide6 module when it is first asked for (and keep it), and lets pyqtgraph's own
copying find no names while it imports: the same classes, each made when first
used. Should a pyqtgraph release make its copies some other way, they are filled
afterwards as pyqtgraph would have filled them: it works as before, at the old cost.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

MODULES = ("QtCore", "QtGui", "QtWidgets")
"""The PySide6 modules pyqtgraph copies."""


def mirror(name: str, source: ModuleType) -> ModuleType:
    """``pyqtgraph.Qt.<name>``: every name is ``source``'s, looked up when first asked for."""
    module = ModuleType(f"pyqtgraph.Qt.{name}", source.__doc__)

    def __getattr__(attribute: str) -> object:  # a module's hook for the names it lacks (PEP 562)
        value = getattr(source, attribute)
        setattr(module, attribute, value)  # found directly next time
        return value

    def __dir__() -> list[str]:  # what pyqtgraph's own copy lists
        return sorted(set(dir(source)) | set(module.__dict__))

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    module.__dir__ = __dir__  # type: ignore[method-assign]
    return module


def fill(copy: ModuleType, source: ModuleType) -> None:
    """Copy into ``copy`` every name of ``source`` it lacks: pyqtgraph's own filling."""
    for attribute in dir(source):
        if not hasattr(copy, attribute):
            setattr(copy, attribute, getattr(source, attribute))


def import_pyqtgraph() -> ModuleType:
    """``import pyqtgraph`` bound to PySide6 (imported first), its Qt classes made when first used."""
    if "pyqtgraph" in sys.modules:
        return sys.modules["pyqtgraph"]
    sources = {name: importlib.import_module(f"PySide6.{name}") for name in MODULES}
    listings = {name: source.__dict__.get("__dir__") for name, source in sources.items()}
    lazy = all(callable(listing) for listing in listings.values())  # PySide6 makes its classes on first use
    if not lazy or os.environ.get("PYQTGRAPH_QT_LIB", "PySide6") != "PySide6":
        return importlib.import_module("pyqtgraph")
    mirrors = {name: mirror(name, source) for name, source in sources.items()}
    sys.modules.update({module.__name__: module for module in mirrors.values()})
    for source in sources.values():
        source.__dict__["__dir__"] = list  # pyqtgraph's copying lists no names
    try:
        pyqtgraph = importlib.import_module("pyqtgraph")
    except BaseException:
        for module in mirrors.values():
            sys.modules.pop(module.__name__, None)
        raise
    finally:
        for name, source in sources.items():
            source.__dict__["__dir__"] = listings[name]
    qt = sys.modules["pyqtgraph.Qt"]
    for name, source in sources.items():
        copy = getattr(qt, name, None)
        if isinstance(copy, ModuleType) and copy is not mirrors[name] and copy is not source:
            fill(copy, source)  # a pyqtgraph that made its copies some other way
    return pyqtgraph
