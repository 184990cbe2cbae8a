"""Jevons: compare the lifecycle energy of AI models."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jevons")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.1.0"
