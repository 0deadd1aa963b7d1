"""Numerical layer of warmup-theory (numpy, scipy, torch): models, curvature, GD runs, fits, tables.

Imports ``warmup_theory.theory`` only; never the layers above it (``proofs_checks``, the CLI).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("warmup-theory")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.2.0"

__all__ = ["__version__"]
