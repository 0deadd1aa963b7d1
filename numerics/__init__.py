"""Numerical layer of warmup-theory: models, curvature, GD runs, fits, tables, CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("warmup-theory")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

__all__ = ["__version__"]
