"""Curvature engine: Hessian spectral norms with a certified bracket, local-smoothness estimators,
and a tracker for training loops. See :func:`hessian_spectral_norm`, :func:`model_hessian_norm`,
:class:`CurvatureTracker`.
"""

from numerics.curvature.estimators import (
    consecutive_batch_secant,
    directional_curvature,
    same_batch_secant,
)
from numerics.curvature.model import model_hessian_norm, model_problem
from numerics.curvature.result import SpectralNormResult
from numerics.curvature.spectral_norm import AUTO_DENSE_MAX, METHODS, hessian_spectral_norm
from numerics.curvature.tracker import CurvatureTracker

__all__ = [
    "AUTO_DENSE_MAX", "METHODS", "CurvatureTracker", "SpectralNormResult", "consecutive_batch_secant",
    "directional_curvature", "hessian_spectral_norm", "model_hessian_norm", "model_problem",
    "same_batch_secant",
]
