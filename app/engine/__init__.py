"""The lifecycle energy engine: pure numpy, no Qt, no pydantic in the hot paths.

Import what you use from its modules: :func:`app.engine.evaluate.evaluate`
computes every scenario of a resolved comparison,
:func:`app.engine.sensitivity.sensitivity` ranks inputs by their effect on one
output, and results are the immutable dataclasses of
:mod:`app.engine.results`. The package itself imports nothing: a module
loads only what it uses.
"""
