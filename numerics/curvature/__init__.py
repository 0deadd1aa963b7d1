"""Curvature engine: Hessian spectral norms with a certified bracket, local-smoothness estimators,
and a tracker for training loops. See :func:`hessian_spectral_norm`, :func:`model_hessian_norm`,
:class:`CurvatureTracker`.
"""

from warmup_theory.numerics.curvature.estimators import (
    consecutive_batch_secant,
    directional_curvature,
    same_batch_secant,
)
from warmup_theory.numerics.curvature.model import model_hessian_norm, model_problem
from warmup_theory.numerics.curvature.result import SpectralNormResult
from warmup_theory.numerics.curvature.spectral_norm import AUTO_DENSE_MAX, METHODS, hessian_spectral_norm
from warmup_theory.numerics.curvature.tracker import CurvatureTracker

__all__ = [
    "AUTO_DENSE_MAX", "METHODS", "CurvatureTracker", "SpectralNormResult", "consecutive_batch_secant",
    "directional_curvature", "hessian_spectral_norm", "model_hessian_norm", "model_problem",
    "same_batch_secant",
]
