"""The desktop application: a thin PySide6 + pyqtgraph view over the domain and engine.

Modules that hold no widgets (``units``, ``palette``, ``chart_data``,
``document``, ``edits``, ``form_spec``, ``formats``) import no Qt, so they are
tested without a screen and shared with the headless ``jevons export`` command.
"""
