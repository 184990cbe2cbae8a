"""The desktop application: a thin PySide6 + pyqtgraph view over the domain and engine.

Qt-free logic lives in ``app.session`` (document, edits, form fields) and
``app.report`` (chart tables, units, colours, formats). ``app.gui.export`` is
the one rendering module the headless ``jevons export`` also uses.
"""
