"""The desktop application: the window, its editors, menus and workers.

Qt-free logic lives in ``app.session`` (document, edits, form fields) and
``app.report`` (chart tables, units, colours, formats); the charts, the
headline strip, the summary table and every file they are written to come
from ``app.render``, which the headless commands use too.
"""
