"""Lanczos with full reorthogonalisation for ||H||_2, with a certified bracket.

Both ends of the spectrum are tracked (the Ritz value of largest modulus may be negative).
Stopping rules: ``stop="bracket"`` (default): the probabilistic upper bound of
:mod:`warmup_theory.numerics.curvature.certificate` is within ``tol`` (relative) of the largest |Ritz value|;
``stop="residual"``: the Ritz residual estimate beta_m |s_{m,top}| of the Ritz value theta of
largest modulus is <= tol |theta| (there is then an eigenvalue within that residual of theta; the
certified upper bound is computed once at the end and is usually much wider than tol). After
stopping, one explicit HVP on the Ritz vector y gives the deterministic lower bound ||H y|| <= ||H||_2
and the true residual ||H y - (y^T H y) y|| (not the recurrence's estimate beta_m |s_mj|).

Scale. When the first product ||H q_1|| is outside [2^-300, 2^300] the run is on H / 2^k (a
power of two, exact) and the results are multiplied back; norms are scale-safe
(:mod:`warmup_theory.numerics.curvature.scaling`), so a Hessian of size 1e-250 or 1e160 gives the same
bracket (relative) as one of size 1. A breakdown (beta = 0) is only taken when the
reorthogonalised vector is really (numerically) zero. ``converged`` is never True with an infinite end.

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

from warmup_theory.numerics.curvature.certificate import lanczos_upper_bound, start_vector
from warmup_theory.numerics.curvature.scaling import operator_exponent, safe_norm, scale_back

__all__ = ["lanczos_norm"]

_EPS = float(np.finfo(np.float64).eps)
_MAX = float(np.finfo(np.float64).max)


def _times_pow2(w: torch.Tensor, k: int) -> torch.Tensor:
    """w * 2**k exactly (two steps, so 2**k itself need not be representable)."""
    if k == 0:
        return w
    h = k // 2
    return (w * 2.0 ** h) * 2.0 ** (k - h)


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
    k = 0  # the run is on H / 2**k (scaling.operator_exponent of the first product; 0 at normal scales)
    for j in range(steps_max):
        w = matvec(Q[j]).to(dtype=torch.float64, device=device).reshape(-1)
        hvps += 1
        if not bool(torch.isfinite(w).all()):
            raise ValueError("the Hessian-vector product is not finite at the given parameters")
        if j == 0:
            k = operator_exponent(safe_norm(w))
        w = _times_pow2(w, -k)
        a = float(Q[j] @ w)
        alpha.append(a)
        w -= a * Q[j]
        if j > 0:
            w -= beta[-1] * Q[j - 1]
        for _ in range(2):  # full reorthogonalisation, twice is enough (Kahan-Parlett)
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = safe_norm(w)  # b > 0 whenever w != 0 (no underflow to a false breakdown)
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
                history.append((hvps, scale_back(scale, k), scale_back(upper, k)))
            if upper - scale <= tol * scale:
                break
        if history is not None and (not history or history[-1][0] != hvps):
            history.append((hvps, scale_back(scale, k), math.inf))
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
    if not bool(torch.isfinite(hy).all()):
        raise ValueError("the Hessian-vector product is not finite at the given parameters")
    hy = _times_pow2(hy, -k)
    rho = float(y @ hy)
    lower = safe_norm(hy)  # ||H y|| <= ||H||, deterministic (all in units of 2**k)
    residual = safe_norm(hy - rho * y)
    upper = max(upper, lower)
    if stop == "residual":
        converged = residual <= tol * lower
    else:
        converged = upper - lower <= tol * lower
    lower, upper, residual = scale_back(lower, k), scale_back(upper, k), scale_back(residual, k)
    rho = math.copysign(scale_back(abs(rho), k), rho)
    if math.isinf(lower):  # ||H|| beyond the float64 range: the largest float is still a lower bound
        lower = _MAX
    converged = bool(converged) and math.isfinite(upper) and 0.0 <= lower <= upper
    return dict(value=lower, lower=lower, upper=upper, residual=residual, hvps=hvps,
                converged=converged, certificate=certificate,
                delta=0.0 if certificate == "deterministic" else delta, eigenvalue=rho, vector=y,
                steps=m, hv=hy, scale_exp=k)
