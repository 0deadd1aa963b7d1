"""Dense reference: the full Hessian (vmap of exact HVPs over unit vectors, in chunks) and
``torch.linalg.eigh`` in float64.

||H||_2 = max_i |lambda_i| of the symmetrised computed Hessian (H + H^T)/2. The bracket is
[value - e, value + e] with e = 8 n u ||H||_F + ||H - H^T||_F / 2 (u the float64 unit round-off:
backward stability of eigh; the asymmetry term is the rounding visible in the autodiff
Hessian). Cost: n HVPs (one per column) and O(n^3) for eigh; refused for n > DENSE_MAX.
A Hessian whose largest entry is outside [2^-300, 2^300] is scaled by an exact power of two
first (``converged`` is False if an end is infinite).

>>> import torch
>>> A = torch.tensor([[2., 1.], [1., -3.]], dtype=torch.float64)
>>> out = dense_norm(lambda: A)
>>> round(out["value"], 12), round(out["eigenvalue"], 12)  # lambda = (-1 +- sqrt(29))/2
(3.192582403567, -3.192582403567)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from warmup_theory.numerics.curvature.scaling import operator_exponent, scale_back

__all__ = ["dense_norm", "DENSE_MAX"]

#: Largest n for which the dense method builds the n x n Hessian (8 n^2 bytes: 0.5 GB at 8192).
DENSE_MAX = 8192

_EPS = torch.finfo(torch.float64).eps
_MAX = torch.finfo(torch.float64).max


def dense_norm(build: Callable[[], torch.Tensor]) -> dict[str, Any]:
    """Spectral norm of the dense matrix returned by ``build()``; fields of a SpectralNormResult."""
    H = build().to(torch.float64)
    n = H.shape[0]
    if not bool(torch.isfinite(H).all()):
        raise ValueError("the Hessian is not finite at the given parameters")
    k = operator_exponent(float(H.abs().max())) if n else 0
    if k:  # work on H / 2**k (exact), so ||H||_F and eigh neither overflow nor underflow
        H = (H * 2.0 ** (-(k // 2))) * 2.0 ** (-(k - k // 2))
    asym = float(torch.linalg.matrix_norm(H - H.T)) / 2.0
    Hs = (H + H.T) / 2.0
    evals, evecs = torch.linalg.eigh(Hs)
    i = int(torch.argmax(evals.abs()))
    lam = float(evals[i])
    y = evecs[:, i]
    value = abs(lam)
    e = 8.0 * n * _EPS * float(torch.linalg.matrix_norm(Hs)) + asym
    residual = float(torch.linalg.vector_norm(Hs @ y - lam * y))
    lower, upper = max(value - e, 0.0), value + e
    value, lower, upper, residual = (scale_back(x, k) for x in (value, lower, upper, residual))
    lam = math.copysign(value, lam)
    if math.isinf(lower):
        lower = value = _MAX
    return dict(value=value, lower=lower, upper=upper, residual=residual, hvps=n,
                converged=math.isfinite(upper), certificate="deterministic", delta=0.0,
                eigenvalue=lam, vector=y, steps=n, hv=(Hs @ y) * 1.0, scale_exp=k)
