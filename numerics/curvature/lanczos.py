"""Lanczos with full reorthogonalisation for ||H||_2, with a certified bracket.

Both ends of the spectrum are tracked (the Ritz value of largest modulus may be negative).
Stopping rules: ``stop="bracket"`` (default): the probabilistic upper bound of
:mod:`numerics.curvature.certificate` is within ``tol`` (relative) of the largest |Ritz value|;
``stop="residual"``: the Ritz residual estimate beta_m |s_{m,top}| of the Ritz value theta of
largest modulus is <= tol |theta| (there is then an eigenvalue within that residual of theta; the
certified upper bound is computed once at the end and is usually much wider than tol). After stopping, one explicit HVP on the Ritz
vector y gives the deterministic lower bound ||H y|| <= ||H||_2 and the true residual
||H y - (y^T H y) y|| (not the recurrence's estimate beta_m |s_mj|).

Memory: the m Lanczos vectors are kept in float64 (8 m n bytes).

>>> import torch
>>> H = torch.diag(torch.tensor([3.0, 1.0, -5.0, 0.5], dtype=torch.float64))
>>> out = lanczos_norm(lambda v: H @ v, 4, tol=1e-10, max_hvps=20, v0=None,
...                    generator=torch.Generator().manual_seed(0), delta=1e-3)
>>> round(out["value"], 12), out["eigenvalue"] < 0, out["certificate"]
(5.0, True, 'deterministic')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.linalg
import torch

from numerics.curvature.certificate import lanczos_upper_bound, start_vector

__all__ = ["lanczos_norm"]

_EPS = float(np.finfo(np.float64).eps)


def lanczos_norm(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, *, tol: float, max_hvps: int,
                 v0: torch.Tensor | None, generator: torch.Generator | None, delta: float,
                 device: torch.device | str = "cpu", stop: str = "bracket",
                 history: list[tuple[int, float, float]] | None = None) -> dict[str, Any]:
    """Run Lanczos on ``matvec`` (symmetric, size n); returns the fields of a SpectralNormResult.

    ``history`` (optional list) receives (hvps, max |theta|, upper or inf) after every step.

    ``max_hvps`` counts every product, including the final explicit one (so at most
    ``max_hvps - 1`` Lanczos steps).
    """
    if stop not in ("bracket", "residual"):
        raise ValueError(f"stop must be 'bracket' or 'residual', got {stop!r}")
    device = torch.device(device)
    q, log_c_delta = start_vector(n, v0, generator, device)
    log_c = log_c_delta + math.log(delta)
    steps_max = min(max_hvps - 1, n)
    cap = min(steps_max + 1, 32)
    Q = torch.empty(cap, n, dtype=torch.float64, device=device)
    Q[0] = q
    alpha: list[float] = []
    beta: list[float] = []
    hvps = 0
    upper = math.inf
    certificate = "probabilistic"
    theta = np.zeros(1)
    S = np.ones((1, 1))
    upper_at = -1  # number of Lanczos steps at which `upper` was computed
    allowance = 0.0
    for j in range(steps_max):
        w = matvec(Q[j]).to(dtype=torch.float64, device=device).reshape(-1)
        hvps += 1
        if not bool(torch.isfinite(w).all()):
            raise ValueError("the Hessian-vector product is not finite at the given parameters")
        a = float(Q[j] @ w)
        alpha.append(a)
        w -= a * Q[j]
        if j > 0:
            w -= beta[-1] * Q[j - 1]
        for _ in range(2):  # full reorthogonalisation, twice is enough (Kahan-Parlett)
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = float(torch.linalg.vector_norm(w))
        theta, S = scipy.linalg.eigh_tridiagonal(np.array(alpha), np.array(beta))
        scale = float(np.max(np.abs(theta)))
        # Rounding allowance on Ritz values (backward stability of Lanczos with full
        # reorthogonalisation): 16 (j+1) u ||T||. See certificate.py.
        allowance = 16.0 * (j + 1) * _EPS * max(scale, float(np.max(np.abs(alpha))), b)
        if b <= allowance or j + 1 == n:  # invariant Krylov subspace: theta are eigenvalues
            upper, upper_at = scale + allowance, j + 1
            if j + 1 == n:
                certificate = "deterministic"
            break
        beta.append(b)
        if stop == "residual":
            top = int(np.argmax(np.abs(theta)))
            if b * abs(S[-1, top]) <= tol * scale:
                break
        elif j >= 2 and b * float(np.max(np.abs(S[-1, np.abs(theta) >= scale * (1 - tol)]))) \
                <= 1.5 * math.sqrt(2.0 * tol) * scale + allowance:
            # Skip test (saves time only): if ||H|| <= (1 + tol) theta_top then the extreme Ritz
            # residual obeys r^2 <= (lambda_max - theta)(theta - lambda_min) <= 2 tol theta^2.
            upper, upper_at = lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance), j + 1
            if history is not None:
                history.append((hvps, scale, upper))
            if upper - scale <= tol * scale:
                break
        if history is not None and (not history or history[-1][0] != hvps):
            history.append((hvps, scale, math.inf))
        if j + 1 >= Q.shape[0]:
            grown = torch.empty(min(2 * Q.shape[0], steps_max + 1), n, dtype=torch.float64, device=device)
            grown[: Q.shape[0]] = Q
            Q = grown
        Q[j + 1] = w / b
    m = len(alpha)
    if upper_at != m:
        upper = lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance)
    top = int(np.argmax(np.abs(theta)))
    s = torch.as_tensor(S[:, top], dtype=torch.float64, device=device)
    y = s @ Q[:m]
    y = y / torch.linalg.vector_norm(y)
    hy = matvec(y).to(dtype=torch.float64, device=device).reshape(-1)
    hvps += 1
    rho = float(y @ hy)
    lower = float(torch.linalg.vector_norm(hy))  # ||H y|| <= ||H||, deterministic
    residual = float(torch.linalg.vector_norm(hy - rho * y))
    upper = max(upper, lower)
    if stop == "residual":
        converged = residual <= tol * lower
    else:
        converged = upper - lower <= tol * lower
    return dict(value=lower, lower=lower, upper=upper, residual=residual, hvps=hvps,
                converged=bool(converged), certificate=certificate,
                delta=0.0 if certificate == "deterministic" else delta, eigenvalue=rho, vector=y,
                steps=m)
