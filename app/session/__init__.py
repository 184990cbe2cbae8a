"""The application core without Qt: the open comparison, its edits and the fields they change.

The window binds to these modules through thin Qt adapters and the command line
uses them directly, so nothing here imports Qt or the GUI package.
"""
