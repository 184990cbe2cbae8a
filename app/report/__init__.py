"""What the user is shown, computed from engine results without Qt.

Bands, chart tables, CSV rows, units, colours and export formats live here, so
the window, the exports and the command line report the same numbers.
"""
