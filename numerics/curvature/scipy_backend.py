"""SciPy ``eigsh`` (ARPACK, implicitly restarted Lanczos) on a ``LinearOperator``; comparison back-end.

``which='LM'`` returns the eigenvalue of largest modulus, i.e. ||H||_2 up to sign. ARPACK gives
no upper bound on ||H||_2, so the result is ``certificate='lower-only'`` with ``upper = inf``;
``lower`` is the explicit ||H y|| of the returned unit vector, ``converged`` is ARPACK's own
flag (Ritz residual <= tol |theta|). HVPs are counted through the operator.

>>> import torch
>>> H = torch.diag(torch.tensor([3.0, 1.0, -5.0, 0.5, 2.0], dtype=torch.float64))
>>> out = eigsh_norm(lambda v: H @ v, 5, tol=1e-10, max_hvps=200, v0=None,
...                  generator=torch.Generator().manual_seed(0), delta=1e-3)
>>> round(out["value"], 10), out["upper"]
(5.0, inf)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigsh

from warmup_theory.numerics.curvature.certificate import start_vector
from warmup_theory.numerics.curvature.scaling import safe_norm

__all__ = ["eigsh_norm"]


def eigsh_norm(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, *, tol: float, max_hvps: int,
               v0: torch.Tensor | None, generator: torch.Generator | None, delta: float,
               device: torch.device | str = "cpu") -> dict[str, Any]:
    """ARPACK's largest-modulus eigenpair of ``matvec``; fields of a SpectralNormResult."""
    device = torch.device(device)
    count = [0]

    def mv(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        t = torch.as_tensor(np.ascontiguousarray(x).reshape(-1), dtype=torch.float64, device=device)
        out = matvec(t).to(dtype=torch.float64).reshape(-1).cpu().numpy()
        if not np.isfinite(out).all():  # as the other methods: never a NaN value
            raise ValueError("the Hessian-vector product is not finite at the given parameters")
        return out

    start, _ = start_vector(n, v0, generator, device)
    op = LinearOperator((n, n), matvec=mv, dtype=np.float64)
    ncv = min(n - 1, 20)
    converged = True
    try:
        vals, vecs = eigsh(op, k=1, which="LM", tol=tol, v0=start.cpu().numpy(), ncv=ncv,
                           maxiter=max(1, (max_hvps - 1) // max(ncv - 1, 1)))
    except ArpackNoConvergence as err:
        converged = False
        vals, vecs = err.eigenvalues, err.eigenvectors
        if len(vals) == 0:
            vals, vecs = np.zeros(1), start.cpu().numpy()[:, None]
    except ArpackError:  # e.g. H v = 0 for the start ("starting vector is zero"): report, not raise
        converged = False
        vals, vecs = np.zeros(1), start.cpu().numpy()[:, None]
    y = torch.as_tensor(vecs[:, 0], dtype=torch.float64, device=device)
    y = y / torch.linalg.vector_norm(y)
    hy = matvec(y).to(dtype=torch.float64, device=device).reshape(-1)
    rho = float(y @ hy)
    lower = safe_norm(hy)
    residual = safe_norm(hy - rho * y)
    # converged is never True with an infinite end (SpectralNormResult's promise): ARPACK's own flag is kept
    return dict(value=lower, lower=lower, upper=math.inf, residual=residual, hvps=count[0] + 1,
                converged=False, arpack_converged=converged, certificate="lower-only", delta=1.0, eigenvalue=rho,
                vector=y,
                steps=count[0], hv=hy, scale_exp=0)
