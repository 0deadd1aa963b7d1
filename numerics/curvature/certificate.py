r"""Upper bounds on ||H||_2 from a Lanczos run with a random start (the toolkit's own derivation).

Setting. H is symmetric n x n with eigenpairs (lambda_i, u_i); L = ||H||_2 = |lambda_*| and u_* a
fixed unit eigenvector of lambda_*. Lanczos from the unit start v runs m steps and returns the
tridiagonal T_m with eigenpairs (theta_j, s_j). The spectral measure of v,
mu = sum_i c_i^2 delta_{lambda_i} with c_i = <v, u_i>, and the Gauss rule of T_m,
sum_j w_j delta_{theta_j} with w_j = s_{1j}^2, agree on every polynomial of degree <= 2m-1.

Lemma (polynomial certificate). Let P be a real polynomial of degree <= 2m-1 with P >= 0 on R
and P(lambda) >= p_U whenever |lambda| >= U. If |c_*| >= c and c^2 p_U > sum_j w_j P(theta_j),
then L < U.
Proof: if L >= U, then c^2 p_U <= c_*^2 P(lambda_*) <= sum_i c_i^2 P(lambda_i)
= sum_j w_j P(theta_j) (P >= 0, Gauss exactness), a contradiction. []

The lemma holds simultaneously for every admissible (P, U), so P may be chosen after looking at
the Ritz values. We use P(lambda) = prod_{j in K} (lambda - theta_j)^2 * T_k(x(lambda))^2, where
K are a few extreme Ritz values at either end ("deflated", P vanishes on them), x maps the
interval [lo, hi] spanned by the other Ritz values onto [-1, 1], T_k is the Chebyshev polynomial
and k = m - 1 - |K| (so deg P = 2|K| + 2k <= 2m - 1). P is a square; for
U >= max(|lo|, |hi|, max_K |theta|) it is increasing on [U, inf) and decreasing on (-inf, -U],
so the lemma applies with p_U = min(P(U), P(-U)).
Deflating the converged extreme Ritz values makes the bound converge like the Chebyshev
polynomial on the gap between them and the rest of the spectrum, instead of the gap-free
O((log n / m)^2) rate.

The event |c_*| >= c. The start is v = v_u / ||v_u|| with v_u = v_w + eps g, g ~ N(0, I_n)
drawn inside the solver, v_w a fixed warm-start direction (0 for a cold start, then eps = 1).
Since <g, u_*> ~ N(0, 1), P(|<v_u, u_*>| < t) <= 2t / (eps sqrt(2 pi)); with
t = delta eps sqrt(pi/2) the event |<v, u_*>| >= t / ||v_u|| =: c has probability >= 1 - delta.
So `upper` holds with probability >= 1 - delta over g, for any H, any warm start.

Floating point. The argument is exact-arithmetic. Lanczos with full reorthogonalisation is
backward stable (T_m is exact for a perturbation of H of size O(m u ||H||)); we evaluate
P at theta_j +- e with e = 16 m u max|theta| (u the unit round-off of float64, in which the
Lanczos vectors are kept) and add e to the final bound. This is an allowance, not an
interval-arithmetic proof. Rounding inside the Hessian-vector products themselves (e.g. float32
models) is not covered here; :func:`warmup_theory.numerics.curvature.spectral_norm.solve_problem` widens the
bracket for it (a measured or estimated allowance, field ``rounding`` of the result).

>>> import math, numpy as np
>>> # An outlier Ritz value 2 and 19 Ritz values in [-0.5, 0.5] (m = 20): with c = 1e-4 the
>>> # deflated Chebyshev polynomial of degree 17 certifies ||H|| < 2 + 1e-9.
>>> theta = np.r_[np.linspace(-0.5, 0.5, 19), 2.0]
>>> u = lanczos_upper_bound(theta, np.full(20, 0.05), log_c=math.log(1e-4), allowance=1e-14)
>>> 2.0 < u < 2.0 + 1e-9
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import ArrayLike

__all__ = ["start_vector", "lanczos_upper_bound", "power_upper_bound", "WARM_NOISE"]

#: Relative size of the Gaussian perturbation added to a warm start: eps = WARM_NOISE / sqrt(n),
#: so the random part has norm ~ WARM_NOISE. It makes the probabilistic certificate valid for any
#: warm start at the price of a factor 1/WARM_NOISE in c (log(10) in the bound's exponent).
WARM_NOISE = 0.1

_SQRT_HALF_PI = math.sqrt(math.pi / 2)


def start_vector(n: int, v0: torch.Tensor | None, generator: torch.Generator | None,
                 device: torch.device) -> tuple[torch.Tensor, float]:
    """Unit float64 start vector and log(c/delta) (c: the overlap bound of the module doc).

    ``v0`` (flat, any real dtype) is a warm-start direction; a Gaussian perturbation drawn from
    ``generator`` (on the CPU, so results do not depend on the device) is always added.
    """
    g = torch.randn(n, generator=generator, dtype=torch.float64).to(device)
    if v0 is None:
        eps = 1.0
        vu = g
    else:
        vw = v0.detach().reshape(-1).to(device=device, dtype=torch.float64)
        if vw.numel() != n:
            raise ValueError(f"v0 must have {n} entries, got {vw.numel()}")
        nrm = float(torch.linalg.vector_norm(vw))
        if not math.isfinite(nrm) or nrm == 0.0:
            raise ValueError("v0 must be a finite, non-zero vector")
        eps = WARM_NOISE / math.sqrt(n)
        vu = vw / nrm + eps * g
    norm = float(torch.linalg.vector_norm(vu))
    return vu / norm, math.log(eps * _SQRT_HALF_PI / norm)


def _log_abs_cheb(k: int, x: np.ndarray) -> np.ndarray:
    """log |T_k(x)|, stable for large |x|."""
    x = np.asarray(x, dtype=np.float64)
    ax = np.abs(x)
    out: np.ndarray = np.empty_like(ax)
    inside = ax <= 1.0
    with np.errstate(divide="ignore"):
        out[inside] = np.log(np.abs(np.cos(k * np.arccos(np.clip(x[inside], -1.0, 1.0)))))
    phi = np.arccosh(ax[~inside])
    out[~inside] = k * phi + np.log1p(np.exp(-2.0 * k * phi)) - math.log(2.0)
    return out


def _log_p(lam: np.ndarray, killed: np.ndarray, k: int, lo: float, hi: float) -> np.ndarray:
    """log P(lam), P(lam) = prod_{t in killed} (lam - t)^2 * T_k((2 lam - lo - hi) / (hi - lo))^2."""
    lam = np.asarray(lam, dtype=np.float64)
    with np.errstate(divide="ignore"):
        kill: np.ndarray = 2.0 * np.log(np.abs(lam[..., None] - killed)).sum(-1)
    return kill + 2.0 * _log_abs_cheb(k, (2.0 * lam - lo - hi) / (hi - lo))


def _logsumexp(x: np.ndarray) -> float:
    mx = np.max(x)
    if not np.isfinite(mx):
        return float(mx)
    return float(mx + np.log(np.sum(np.exp(x - mx))))


#: Offsets U - U0 tried first (relative to U0), then refined by bisection in log scale.
_GRID = np.logspace(-15, 3, 37)


def lanczos_upper_bound(theta: ArrayLike, weights: ArrayLike, *, log_c: float,
                        allowance: float, max_top: int = 6, max_bottom: int = 2) -> float:
    """Smallest U over the candidate polynomials with c^2 min(P(U), P(-U)) > sum_j w_j P(theta_j).

    Candidates: deflate the s largest and r smallest Ritz values (s <= max_top, r <= max_bottom;
    P has them as double roots), Chebyshev T_k on the interval [lo, hi] spanned by the remaining
    Ritz values, k = m - 1 - s - r (deg P = 2(s + r) + 2k <= 2m - 1). For
    U >= U0 = max(|lo|, |hi|, |deflated|), P is increasing on [U, inf) and decreasing on
    (-inf, -U], so the lemma of the module docstring applies with p_U = min(P(U), P(-U)).
    ``theta``: Ritz values of T_m; ``weights``: squared first components of its eigenvectors;
    ``log_c``: log of the overlap bound c; ``allowance``: rounding allowance e on the Ritz values
    (P is evaluated at theta_j - e, theta_j, theta_j + e and the largest value used; e is added
    to the result). Returns ``inf`` when no candidate certifies anything (e.g. m = 1).
    """
    th = np.asarray(theta, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    m = th.size
    order = np.argsort(th, kind="stable")  # ascending
    theta_s, w_s = th[order], w[order]
    with np.errstate(divide="ignore"):
        logw = np.log(w_s)
    nodes = np.stack([theta_s - allowance, theta_s, theta_s + allowance])
    scale = float(np.max(np.abs(theta_s))) if m else 0.0
    tiny = max(allowance, 1e-300, 1e-12 * scale)
    best = math.inf
    for s in range(max_top + 1):
        for r in range(max_bottom + 1):
            k = m - 1 - s - r
            if k < 1 or s + r >= m:
                continue
            killed = np.concatenate([theta_s[:r], theta_s[m - s:]])
            rest = theta_s[r:m - s]
            lo, hi = float(rest[0]), float(rest[-1])
            if hi - lo < tiny:
                lo, hi = lo - tiny, hi + tiny
            u0 = max(abs(lo), abs(hi), float(np.abs(killed).max()) if killed.size else 0.0)
            log_g = _logsumexp(logw + _log_p(nodes, killed, k, lo, hi).max(axis=0))

            def gap(u: np.ndarray, killed: np.ndarray = killed, k: int = k, lo: float = lo, hi: float = hi,
                    log_g: float = log_g) -> np.ndarray:
                out: np.ndarray = 2.0 * log_c + np.minimum(_log_p(u, killed, k, lo, hi),
                                                           _log_p(-u, killed, k, lo, hi)) - log_g
                return out

            offsets = max(u0, tiny) * _GRID
            ok = gap(u0 + offsets) > 0
            if not ok.any():
                continue
            i = int(np.argmax(ok))
            if i == 0:
                best = min(best, u0 + offsets[0])
                continue
            a, b = math.log(offsets[i - 1]), math.log(offsets[i])
            for _ in range(12):  # offset to ~0.1 % (the offset is what the bracket width is made of)
                mid = 0.5 * (a + b)
                if gap(np.array([u0 + math.exp(mid)]))[0] > 0:
                    b = mid
                else:
                    a = mid
            best = min(best, u0 + math.exp(b))
    return best + allowance if math.isfinite(best) else math.inf


def power_upper_bound(log_norms: Sequence[float], *, log_c: float) -> float:
    """Upper bound from power iteration with the same random start.

    With v_{j+1} = H v_j / ||H v_j||, ||H^k v_0|| = prod_{j<k} ||H v_j|| and
    ||H^k v_0||^2 = sum_i c_i^2 lambda_i^{2k} >= c^2 L^{2k}; hence L <= (||H^k v_0|| / c)^{1/k}
    on the event |c_*| >= c (the lemma with P = lambda^{2k}). The best k is taken.

    >>> round(power_upper_bound([math.log(2.0)] * 10, log_c=math.log(1e-3)), 3)  # 2 * 1000**0.1
    3.991
    """
    best, acc = math.inf, 0.0
    for k, ln in enumerate(log_norms, start=1):
        acc += ln
        best = min(best, math.exp((acc - log_c) / k))
    return best
