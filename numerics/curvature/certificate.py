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

Without reorthogonalisation (the toolkit's own derivation; ``reorth="none"`` in
:func:`~warmup_theory.numerics.curvature.lanczos.lanczos_norm`). The computed vectors Q_m = [q_1 .. q_m]
(unit, not orthogonal) satisfy A Q_m = Q_m T_m + beta_m q_{m+1} e_m^T + F_m, F_m the local rounding
of the recurrence (Paige). For deg q <= m - 1, induction on x^k (e_m^T T^k e_1 = 0 for k <= m - 2) gives
q(A) q_1 = Q_m q(T_m) e_1 + sum_j F_m s_j s_{1j} q[A, theta_j], q[lambda, theta] the divided difference,
s_j the eigenvectors of T_m. Taking u_*^T and Cauchy-Schwarz:
|c_*| |q(lambda_*)| <= ||Q_m|| (sum_j w_j q(theta_j)^2)^{1/2} + ||F_m|| (sum_j w_j q[lambda_*, theta_j]^2)^{1/2}.
For |lambda| >= U > max|theta| and all roots of q in [-U, U], |q[lambda, theta]| / |q(lambda)|
<= (1 + |q(theta)| / |q(+-U)|) / (U -+ theta) =: g(theta), so with rho^2 = sum_j w_j g(theta_j)^2 the
lemma holds with c replaced by c - ||F_m|| rho and the right side multiplied by ||Q_m||^2
(``basis_norm2`` >= ||Q_m||_F^2 >= ||Q_m||_2^2, ``recurrence_error`` >= ||F_m||_F). No orthogonality
is used; loss of it (ghost Ritz values) costs at most log m in the exponent.
Breakdown (``breakdown=True``: the run stopped because beta_m is at rounding level): take
F'_m = F_m + beta_m q_{m+1} e_m^T, so A Q_m = Q_m T_m + F'_m with no beta term; the induction then holds
for every k, the identity for q of any degree, and the candidates use deg q = m (one more root: all Ritz
values can be deflated). ``recurrence_error`` must then bound ||F'_m||_F (Lanczos adds beta_m to it).
Without this a Krylov space invariant at m (few distinct eigenvalues, a rank-one H) gave deg q <= m - 1:
no polynomial at m = 1 (upper = inf), a loose one for small m. Full reorthogonalisation uses the same form
when it breaks down before n steps (unit columns, ||F'_m|| <= beta_m + sqrt(m) e): beta_m small bounds only
the residual, and an eigenvalue with |c_*| >= c can sit ~ beta_m / c above every Ritz value (H = I + g u u^T
with <q_1, u> ~ c, tests/test_curvature_nonorth.py), so "Ritz values + e" is no bound there. The bound on F_m is an
allowance from the rounding model of the recurrence (as above), not interval arithmetic.

>>> import math, numpy as np
>>> # An outlier Ritz value 2 and 19 Ritz values in [-0.5, 0.5] (m = 20): with c = 1e-4 the
>>> # deflated Chebyshev polynomial of degree 17 certifies ||H|| < 2 + 1e-9.
>>> theta = np.r_[np.linspace(-0.5, 0.5, 19), 2.0]
>>> u = lanczos_upper_bound(theta, np.full(20, 0.05), log_c=math.log(1e-4), allowance=1e-14)
>>> 2.0 < u < 2.0 + 1e-9
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike

__all__ = ["start_vector", "check_warm_noise", "lanczos_upper_bound", "certifies_below", "certificate_margin",
           "margin_and_bound", "power_upper_bound",
           "WARM_NOISE"]

#: Relative size of the Gaussian perturbation added to a warm start: eps = WARM_NOISE / sqrt(n),
#: so the random part has norm ~ WARM_NOISE. It makes the probabilistic certificate valid for any
#: warm start at the price of a factor 1/WARM_NOISE in c (log(10) in the bound's exponent).
WARM_NOISE = 0.1

_SQRT_HALF_PI = math.sqrt(math.pi / 2)


def check_warm_noise(warm_noise: Any) -> float:
    """``warm_noise`` if it is a number in (0, 1], else ``ValueError`` (the argument of :func:`start_vector`)."""
    if not (isinstance(warm_noise, (int, float)) and math.isfinite(warm_noise) and 0 < warm_noise <= 1):
        raise ValueError(f"warm_noise must be a number in (0, 1], got {warm_noise!r}")
    return float(warm_noise)


def start_vector(n: int, v0: torch.Tensor | None, generator: torch.Generator | None,
                 device: torch.device, warm_noise: float = WARM_NOISE) -> tuple[torch.Tensor, float]:
    """Unit float64 start vector and log(c/delta) (c: the overlap bound of the module doc).

    ``v0`` (flat, any real dtype) is a warm-start direction; a Gaussian perturbation drawn from
    ``generator`` (on the CPU, so results do not depend on the device) is always added, of relative
    size ``warm_noise`` (eps = warm_noise / sqrt(n)); the bound's log c falls by log(1/warm_noise).
    """
    check_warm_noise(warm_noise)
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
        eps = warm_noise / math.sqrt(n)
        vu = vw / nrm + eps * g
    norm = float(torch.linalg.vector_norm(vu))
    return vu / norm, math.log(eps * _SQRT_HALF_PI / norm)


def _log_abs_cheb(k: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log |T_k(x)| elementwise (k broadcasts against x), stable for large |x|."""
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        phi = np.arccosh(np.maximum(ax, 1.0))
        outside: np.ndarray = k * phi + np.log1p(np.exp(-2.0 * k * phi)) - math.log(2.0)
        within = ax <= 1.0
        if not within.any():  # the search's points U >= U0 lie outside [lo, hi]
            return outside
        inside = np.log(np.abs(np.cos(k * np.arccos(np.clip(x, -1.0, 1.0)))))
    out: np.ndarray = np.where(within, inside, outside)
    return out


def _log_p(lam: np.ndarray, killed: np.ndarray, k: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """log P(lam) for C candidates at once: ``lam`` (C, L), ``killed`` (C, K) (NaN = no root),
    ``k``, ``lo``, ``hi`` (C,); P(lam) = prod_{t in killed} (lam - t)^2 * T_k((2 lam - lo - hi) / (hi - lo))^2."""
    root = ~np.isnan(killed)[:, None, :]
    logs = np.zeros((lam.shape[0], lam.shape[1], killed.shape[1]))
    with np.errstate(divide="ignore"):
        np.log(np.abs(lam[:, :, None] - killed[:, None, :]), out=logs, where=root)
    kill: np.ndarray = 2.0 * logs.sum(-1)
    x = (2.0 * lam - (lo + hi)[:, None]) / (hi - lo)[:, None]
    return kill + 2.0 * _log_abs_cheb(k[:, None], x)


#: Offsets U - U0 tried first (relative to U0), then refined in log scale by _search.
_GRID = np.logspace(-15, 3, 37)
#: The refinement of _search, (parts per round, rounds), 4096 parts either way: with an orthonormal basis a
#: gap call costs about the same for 1 or 15 points; without (recurrence_error > 0) its cost grows with the
#: points times m, and 4 x 6 was the fastest of 16 x 3, 8 x 4, 4 x 6 and 2 x 12 from m = 16 to 300.
_REFINE_ORTH, _REFINE_NONORTH = (16, 3), (4, 6)


@functools.lru_cache(maxsize=256)
def _layout(m: int, max_top: int, max_bottom: int, breakdown: bool) -> tuple[np.ndarray, ...]:
    """The candidates of m Ritz values, which depend on m, max_top, max_bottom and breakdown alone: s (top
    roots deflated), r (bottom roots), the (C, max_top + max_bottom) mask and indices (into the ascending Ritz
    values) of the deflated roots (columns < max_bottom hold the r smallest, the others the s largest), and the
    Chebyshev degree k (deg q = m - 1, or m at a breakdown, minus s + r; k >= 1). Cached: a Lanczos run asks for
    every m once per certificate test. The arrays are read-only."""
    s_grid, r_grid = np.meshgrid(np.arange(max_top + 1), np.arange(max_bottom + 1), indexing="ij")
    s_all, r_all = s_grid.ravel(), r_grid.ravel()
    deg = m if breakdown else m - 1  # the largest degree of q = sqrt(P)
    keep = (deg - s_all - r_all >= 1) & (s_all + r_all < m)
    sv, rv = s_all[keep], r_all[keep]
    cols = np.arange(max(max_top + max_bottom, 1))[None, :]
    low = (cols < max_bottom) & (cols < rv[:, None])
    high = (cols >= max_bottom) & (cols - max_bottom < sv[:, None])
    idx = np.clip(np.where(low, cols, m - 1 - (cols - max_bottom)), 0, max(m - 1, 0))
    out = (sv, rv, low | high, idx, (deg - sv - rv).astype(np.float64))
    for a in out:
        a.setflags(write=False)
    return out


class _Candidates:
    """The candidate polynomials of :func:`lanczos_upper_bound` for one Lanczos run, as arrays."""

    def __init__(self, theta: ArrayLike, weights: ArrayLike, *, log_c: float, allowance: float,
                 max_top: int, max_bottom: int, basis_norm2: float = 1.0, recurrence_error: float = 0.0,
                 breakdown: bool = False) -> None:
        th = np.asarray(theta, dtype=np.float64)
        w = np.asarray(weights, dtype=np.float64)
        m = th.size
        order = np.argsort(th, kind="stable")  # ascending
        theta_s, w_s = th[order], w[order]
        with np.errstate(divide="ignore"):
            logw = np.log(w_s)
        scale = float(np.max(np.abs(theta_s))) if m else 0.0
        self.tiny = tiny = max(allowance, 1e-300, 1e-12 * scale)
        self.log_c = log_c
        if not (basis_norm2 >= 1.0 and recurrence_error >= 0.0):
            raise ValueError(f"basis_norm2 must be >= 1 and recurrence_error >= 0, got {basis_norm2!r}, "
                             f"{recurrence_error!r}")
        self.log_q2, self.f_err, self.allowance = math.log(basis_norm2), float(recurrence_error), allowance
        self.theta_s, self.w_s = theta_s, w_s
        sv, rv, deflated, idx, k = _layout(m, max_top, max_bottom, breakdown)
        self.size = c = int(sv.size)
        if not c:  # m < 2 (m < 1 at a breakdown): no polynomial (callers return inf / False)
            self.u0 = np.empty(0)
            return
        self.killed = np.where(deflated, theta_s[idx], np.nan)
        self.k = k
        a, b = theta_s[rv], theta_s[m - 1 - sv]
        narrow = b - a < tiny
        self.lo, self.hi = np.where(narrow, a - tiny, a), np.where(narrow, b + tiny, b)
        kmax = np.where(np.isnan(self.killed), 0.0, np.abs(self.killed)).max(axis=1)
        self.u0 = np.maximum(np.maximum(np.abs(self.lo), np.abs(self.hi)), kmax)
        nodes = np.concatenate([theta_s - allowance, theta_s, theta_s + allowance])
        # log P at the nodes: the deflation part from running sums of log|node - theta| over the r smallest and
        # the s largest Ritz values (3m (max_top + max_bottom) logs, not C 3m K), plus the Chebyshev part
        with np.errstate(divide="ignore"):
            d_low = np.log(np.abs(nodes[:, None] - theta_s[None, :max_bottom]))
            d_high = np.log(np.abs(nodes[:, None] - theta_s[::-1][None, :max_top]))
        zero = np.zeros((3 * m, 1))
        kill_low = np.concatenate([zero, np.cumsum(d_low, axis=1)], axis=1)
        kill_high = np.concatenate([zero, np.cumsum(d_high, axis=1)], axis=1)
        x = (2.0 * nodes[None, :] - (self.lo + self.hi)[:, None]) / (self.hi - self.lo)[:, None]
        logp = 2.0 * (kill_low[:, rv] + kill_high[:, sv]).T + 2.0 * _log_abs_cheb(self.k[:, None], x)
        self.logp_theta = logp.reshape(c, 3, m).max(axis=1)  # (C, m): max of log P over theta_j, theta_j +- e
        terms = logw[None, :] + self.logp_theta
        mx = terms.max(axis=1)
        with np.errstate(invalid="ignore", over="ignore"):
            self.log_g = np.where(np.isfinite(mx), mx + np.log(np.exp(terms - mx[:, None]).sum(axis=1)), mx)

    def gap(self, u: np.ndarray, sel: np.ndarray) -> np.ndarray:
        """2 log c + log min(P(U), P(-U)) - log sum_j w_j P(theta_j) at U = u (rows: candidates sel);
        > 0 means the lemma certifies ||H|| < U (for U >= U0 of the row)."""
        lp = _log_p(np.concatenate([u, -u], axis=1), self.killed[sel], self.k[sel], self.lo[sel], self.hi[sel])
        lp_pos, lp_neg = lp[:, : u.shape[1]], lp[:, u.shape[1]:]
        log_c = self.log_c if self.f_err == 0.0 else self._log_c_eff(u, sel, lp_pos, lp_neg)
        with np.errstate(invalid="ignore"):
            out: np.ndarray = 2.0 * log_c + np.minimum(lp_pos, lp_neg) - self.log_g[sel][:, None] - self.log_q2
        # -inf - (-inf): no overlap left (c_eff <= 0) against G = 0 certifies nothing
        return np.where(np.isnan(out), -np.inf, out)

    def _log_c_eff(self, u: np.ndarray, sel: np.ndarray, lp_pos: np.ndarray, lp_neg: np.ndarray) -> np.ndarray:
        """log(c - ||F|| rho(U)) (-inf where <= 0): the overlap left after the recurrence error (module doc,
        "Without reorthogonalisation"); rho(U)^2 = sum_j w_j g_j(U)^2 bounds sum_j w_j (q[lambda, theta_j] /
        q(lambda))^2 for every |lambda| >= U, with q = sqrt(P) and
        g_j = max over the signs of (1 + |q(theta_j)| / |q(+-U)|) / (U -+ theta_j)."""
        th, e = self.theta_s[None, None, :], self.allowance
        lpt = self.logp_theta[sel][:, None, :]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            d_pos, d_neg = u[:, :, None] - th - e, u[:, :, None] + th - e
            g_pos = (1.0 + np.exp(0.5 * (lpt - lp_pos[:, :, None]))) / d_pos
            g_neg = (1.0 + np.exp(0.5 * (lpt - lp_neg[:, :, None]))) / d_neg
            g = np.where((d_pos > 0) & (d_neg > 0), np.maximum(g_pos, g_neg), np.inf)
            rho = np.sqrt((self.w_s[None, None, :] * g * g).sum(axis=-1))
            c_eff = math.exp(self.log_c) - self.f_err * rho
            out: np.ndarray = np.where(c_eff > 0, np.log(np.maximum(c_eff, 1e-300)), -np.inf)
        return out


def certifies_below(theta: ArrayLike, weights: ArrayLike, *, log_c: float, allowance: float, bound: float,
                    max_top: int = 6, max_bottom: int = 2, basis_norm2: float = 1.0,
                    recurrence_error: float = 0.0, breakdown: bool = False) -> bool:
    """True when some candidate of :func:`lanczos_upper_bound` certifies ||H|| <= ``bound``, i.e.
    ``lanczos_upper_bound(...) <= bound`` up to its search resolution, at the cost of one
    evaluation per candidate (no search): for U >= U0 the gap is increasing in U, so it suffices
    to test U = bound - allowance on the candidates with U0 <= U.

    >>> import math, numpy as np
    >>> theta = np.r_[np.linspace(-0.5, 0.5, 19), 2.0]
    >>> kw = dict(log_c=math.log(1e-4), allowance=1e-14)
    >>> w = np.full(20, 0.05)
    >>> certifies_below(theta, w, bound=2.0 + 1e-9, **kw), certifies_below(theta, w, bound=2.0, **kw)
    (True, False)
    """
    return certificate_margin(theta, weights, log_c=log_c, allowance=allowance, bound=bound, max_top=max_top,
                              max_bottom=max_bottom, basis_norm2=basis_norm2, recurrence_error=recurrence_error,
                              breakdown=breakdown) > 0


def certificate_margin(theta: ArrayLike, weights: ArrayLike, *, log_c: float, allowance: float, bound: float,
                       max_top: int = 6, max_bottom: int = 2, basis_norm2: float = 1.0,
                       recurrence_error: float = 0.0, breakdown: bool = False) -> float:
    """The largest log-margin 2 log c + log p_U - log sum_j w_j P(theta_j) (- log ||Q||^2) over the candidates
    at U = ``bound`` - allowance (``-inf`` when none applies); > 0 iff :func:`certifies_below`. Lanczos uses
    its growth from step to step to decide when to test next."""
    return margin_and_bound(theta, weights, log_c=log_c, allowance=allowance, bound=bound, max_top=max_top,
                            max_bottom=max_bottom, basis_norm2=basis_norm2, recurrence_error=recurrence_error,
                            breakdown=breakdown, search=False)[0]


def margin_and_bound(theta: ArrayLike, weights: ArrayLike, *, log_c: float, allowance: float, bound: float,
                     max_top: int = 6, max_bottom: int = 2, basis_norm2: float = 1.0, recurrence_error: float = 0.0,
                     breakdown: bool = False, search: bool = True) -> tuple[float, float]:
    """(:func:`certificate_margin`, U): when the margin is > 0 (``bound`` is certified) and ``search``, U is
    min(``bound``, :func:`lanczos_upper_bound`), found by searching only the candidates that certify ``bound``
    (the gap is increasing in U >= U0, so the others certify nothing below it), on the same candidate arrays;
    else U = inf. The same U as ``min(bound, lanczos_upper_bound(...))`` at a fraction of the cost.

    >>> import math, numpy as np
    >>> theta, w = np.r_[np.linspace(-0.5, 0.5, 19), 2.0], np.full(20, 0.05)
    >>> kw = dict(log_c=math.log(1e-4), allowance=1e-14)
    >>> margin, upper = margin_and_bound(theta, w, bound=2.0 + 1e-6, **kw)
    >>> margin > 0, upper == min(2.0 + 1e-6, lanczos_upper_bound(theta, w, **kw))
    (True, True)
    """
    cand = _Candidates(theta, weights, log_c=log_c, allowance=allowance, max_top=max_top, max_bottom=max_bottom,
                       basis_norm2=basis_norm2, recurrence_error=recurrence_error, breakdown=breakdown)
    u = bound - allowance
    sel = np.nonzero(cand.u0 < u)[0]
    if not sel.size:
        return -math.inf, math.inf
    gaps = cand.gap(np.full((sel.size, 1), u), sel)[:, 0]
    margin = float(np.max(gaps))
    if not margin > 0 or not search:
        return margin, math.inf
    return margin, min(bound, _search(cand, sel[gaps > 0]))


def lanczos_upper_bound(theta: ArrayLike, weights: ArrayLike, *, log_c: float,
                        allowance: float, max_top: int = 6, max_bottom: int = 2, basis_norm2: float = 1.0,
                        recurrence_error: float = 0.0, breakdown: bool = False) -> float:
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
    ``basis_norm2`` (>= ||Q_m||_2^2) and ``recurrence_error`` (>= ||F_m||_2): the run without
    reorthogonalisation (module doc); the defaults 1 and 0 are the orthonormal-basis case.
    ``breakdown``: the run stopped at a breakdown and ``recurrence_error`` includes beta_m (module doc,
    "Breakdown"): candidates of one degree more (deg q = m), so m = 1 already gives a bound.

    All candidates are evaluated together (one array call per grid or refinement round, not one
    per candidate and point): the cost is O(C m) numpy work for C <= 21 candidates.
    """
    cand = _Candidates(theta, weights, log_c=log_c, allowance=allowance, max_top=max_top, max_bottom=max_bottom,
                       basis_norm2=basis_norm2, recurrence_error=recurrence_error, breakdown=breakdown)
    if not cand.size:
        return math.inf
    return _search(cand, np.arange(cand.size))


def _search(cand: _Candidates, rows: np.ndarray) -> float:
    """The smallest certified U (plus the allowance) over the candidates ``rows``: a log grid of offsets above
    each U0, then, below the first certifying grid point, rounds that each split the log-offset bracket into
    equal parts and keep the part where the gap turns positive (_REFINE_ORTH / _REFINE_NONORTH: 4096 parts, the
    resolution of 12 bisection steps, in 3 or 6 array calls; the gap is increasing in U >= U0); inf if none."""
    u0 = cand.u0[rows]
    base = np.maximum(u0, cand.tiny)
    ok = cand.gap(u0[:, None] + base[:, None] * _GRID[None, :], rows) > 0
    found = ok.any(axis=1)
    if not found.any():
        return math.inf
    first = np.argmax(ok, axis=1)
    best = math.inf
    at_start = found & (first == 0)
    if at_start.any():
        best = float((u0 + base * _GRID[0])[at_start].min())
    sel = np.nonzero(found & (first > 0))[0]
    if sel.size:
        a = np.log(base[sel] * _GRID[first[sel] - 1])  # gap <= 0 at u0 + exp(a), > 0 at u0 + exp(b)
        b = np.log(base[sel] * _GRID[first[sel]])
        split, rounds = _REFINE_ORTH if cand.f_err == 0.0 else _REFINE_NONORTH
        frac, at = np.arange(1, split) / split, np.arange(sel.size)
        for _ in range(rounds):  # offset to ~0.1 % (the offset is what the bracket width is made of)
            t = a[:, None] + (b - a)[:, None] * frac[None, :]
            good = cand.gap(u0[sel][:, None] + np.exp(t), rows[sel]) > 0
            i = np.argmax(good, axis=1)  # the first certifying point, if any
            hit = good[at, i]
            a, b = (np.where(hit, np.where(i > 0, t[at, i - 1], a), t[:, -1]), np.where(hit, t[at, i], b))
        best = min(best, float((u0[sel] + np.exp(b)).min()))
    return best + cand.allowance if math.isfinite(best) else math.inf


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
