"""Dense reference: the full Hessian (vmap of exact HVPs over unit vectors, in chunks) and
``torch.linalg.eigh`` in float64.

||H||_2 = max_i |lambda_i| of the symmetrised computed Hessian (H + H^T)/2. The bracket is
[value - e, value + e] with e = 8 n u ||H||_F + ||H - H^T||_F / 2 (u the float64 unit round-off:
backward stability of eigh; the asymmetry term is the rounding visible in the autodiff
Hessian). Cost: n HVPs (one per column) and O(n^3) for eigh; refused for n > DENSE_MAX.

>>> import torch
>>> A = torch.tensor([[2., 1.], [1., -3.]], dtype=torch.float64)
>>> out = dense_norm(lambda: A)
>>> round(out["value"], 12), round(out["eigenvalue"], 12)  # lambda = (-1 +- sqrt(29))/2
(3.192582403567, -3.192582403567)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

__all__ = ["dense_norm", "DENSE_MAX"]

#: Largest n for which the dense method builds the n x n Hessian (8 n^2 bytes: 0.5 GB at 8192).
DENSE_MAX = 8192

_EPS = torch.finfo(torch.float64).eps


def dense_norm(build: Callable[[], torch.Tensor]) -> dict[str, Any]:
    """Spectral norm of the dense matrix returned by ``build()``; fields of a SpectralNormResult."""
    H = build().to(torch.float64)
    n = H.shape[0]
    if not bool(torch.isfinite(H).all()):
        raise ValueError("the Hessian is not finite at the given parameters")
    asym = float(torch.linalg.matrix_norm(H - H.T)) / 2.0
    Hs = (H + H.T) / 2.0
    evals, evecs = torch.linalg.eigh(Hs)
    i = int(torch.argmax(evals.abs()))
    lam = float(evals[i])
    y = evecs[:, i]
    value = abs(lam)
    e = 8.0 * n * _EPS * float(torch.linalg.matrix_norm(Hs)) + asym
    residual = float(torch.linalg.vector_norm(Hs @ y - lam * y))
    return dict(value=value, lower=max(value - e, 0.0), upper=value + e, residual=residual, hvps=n,
                converged=True, certificate="deterministic", delta=0.0, eigenvalue=lam, vector=y,
                steps=n)
