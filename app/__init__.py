"""Jevons: compare the lifecycle energy of AI models.

``app.__version__`` is looked up on first use: ``importlib.metadata`` costs
about 40-70 ms to import, which ``jevons evaluate`` would otherwise pay for nothing.
"""

from functools import cache


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jevons")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.1.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'app' has no attribute {name!r}")
