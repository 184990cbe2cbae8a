"""Charts and what is made of them: the pyqtgraph charts, the headline strip and the summary table
(``plots``, ``verdict_strip``, ``summary_table``), the chart as a picture (``chart_picture``), the
files written from them (``export``, ``report_bundle``) and their offscreen drawing for the commands
(``offscreen``).

The window (``app.gui``) and the commands (``app.commands``) both draw through this package, so a
chart looks the same on screen, in a file and in the report. It imports Qt, and below it only the
Qt-free layers (``app.report``, ``app.engine``, ``app.domain``); never the window.
"""
