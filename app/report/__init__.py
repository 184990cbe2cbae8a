"""What the user is shown, computed from engine results without Qt.

:func:`app.report.reduction.reduce` reduces every reported figure once; chart
tables, CSV rows, the verdict and ``evaluate --json`` format those figures, and
units, colours and export formats live here too, so the window, the exports and
the command line report the same numbers.
"""
