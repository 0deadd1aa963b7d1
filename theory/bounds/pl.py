"""Iteration bounds for GD on (H0,H1)-smooth μ-PL functions (Section 4, v2: Thms 4.3 and 4.1(3)).

Δ_k = f(w_k) − f*, PL (Definition 4.2): ‖∇f‖₂² >= 2μΔ.  gap0 = Δ_0.  Counts are integers K (a float
on the numeric path, ``ceiling`` on the symbolic path) with Δ_k <= eps for every k >= K; every count is
>= 0 and equals 0 when gap0 <= eps.

**Theorem 4.3, corrected** (:func:`pl_adaptive_iterations`).  With η_k = 1/(10H0 + 20H1Δ_k) and
T = H0/(2H1) (T = inf when H1 = 0):

    K = ceil( max(0, (gap0 − max(T, eps))·40·H1/μ) )
        + ( 0 if eps >= min(gap0, T) else ceil((20·H0/μ)·log(min(gap0, T)/eps)) ).

Phase 1 (Δ >= T): Δ⁺ <= Δ − μ/(40H1); phase 2 (Δ <= T): Δ⁺ <= (1 − μ/(20H0))Δ (claims "Thm 4.3 phase 1",
"Thm 4.3 phase 2"); the gap never increases, so the phases are consecutive.  H1 = 0: the classical
(20H0/μ)·log(gap0/eps); H0 = 0 < H1: T = 0, phase 1 only (the μ-PL class then has only constants, the
count is still what the proof gives); eps >= T: phase 1 only.
The printed form (``printed=True``) K = 40H1Δ0/μ + (20H0/μ)·log(H0/(2H1ε)) is real-valued and can be
negative (claim "Thm 4.3 (printed)").

**Theorem 4.1(3), corrected** (:func:`pl_fixed_lower_iterations`).  For every class-stable fixed step η
(η <= η̄ = :func:`warmup_theory.theory.bounds.steps.pl_fixed_step_upper`), GD on the member q(w) = (μ/2)w² (μ <= H0)
started at w0 = √(2·gap0/μ) has Δ_k = (1 − ημ)^{2k}·gap0, so it needs k >= log(gap0/eps)/(−2 log(1 − ημ));
with −log(1 − z) <= z/(1 − z) (claim "Lemma log inequality"), z = η̄μ < 1:

    K_lower = ceil( log(gap0/eps)·(1 − z)/(2z) )   (1 if z >= 1 and gap0 > eps; 0 if gap0 <= eps or μ > H0).

The printed form log(gap0/eps)/(2ημ) used −log(1 − z) >= z, the wrong direction (claim
"Thm 4.1(3) (printed)": an admissible step reaching the minimiser in one step).

>>> pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 1e-3)
1009.0
>>> pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 10.0)
0.0
>>> pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 10.0, printed=True) < 0
True
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked
from warmup_theory.theory.bounds.steps import (
    PAPER_ADAPTIVE_FAMILY,
    _check_H,
    pl_fixed_step,
    pl_fixed_step_upper,
)

__all__ = [
    "pl_adaptive_iterations",
    "pl_adaptive_family_iterations",
    "pl_fixed_iterations",
    "pl_fixed_lower_iterations",
    "pl_lower_bound_witness",
    "pl_adaptive_recursion_iterations",
    "pl_fixed_recursion_iterations",
    "PLLowerBoundWitness",
    "RecursionResult",
]


def _args(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any) -> None:
    _check_H(H0, H1)
    checked(mu=(mu, POS), gap0=(gap0, NONNEG), eps=(eps, POS))


def pl_adaptive_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, printed: bool = False) -> Any:
    """Thm 4.3 (v2), corrected: iterations of GD with Eq. (1) until Δ_k <= eps, μ-PL (module docstring).

    ``printed=True`` returns the paper's real-valued K = 40H1·gap0/μ + (20H0/μ)·log(H0/(2H1·eps))
    (ValueError if H0 = 0 or H1 = 0, where it is undefined).

    >>> pl_adaptive_iterations(2.0, 0.0, 1.0, 1.0, 1e-2)   # H1 = 0: ceil(40·log(100))
    185.0
    >>> import sympy as sp
    >>> h0, h1, mu, d, e = sp.symbols("H0 H1 mu Delta0 epsilon", positive=True)
    >>> pl_adaptive_iterations(h0, h1, mu, d, e, printed=True)
    40*Delta0*H1/mu + 20*H0*log(H0/(2*H1*epsilon))/mu
    """
    _check_printed(printed)
    _args(H0, H1, mu, gap0, eps)
    ops, (H0, H1, mu, gap0, eps) = backend(H0, H1, mu, gap0, eps)
    if printed:
        if not ops.symbolic and (H0 == 0 or H1 == 0):
            raise ValueError("printed Thm 4.3 is undefined for H0 = 0 or H1 = 0 (log of 0 or 1/0)")
        val = 40 * H1 * gap0 / mu + (20 * H0 / mu) * ops.log(H0 / (2 * H1 * eps))
        return val if ops.symbolic else float(val)

    def classical() -> Any:  # H1 = 0: contraction (1 − μ/(20H0)) from gap0
        return ops.where((eps >= gap0, lambda: 0), otherwise=lambda: ops.ceil(20 * H0 / mu * ops.log(gap0 / eps)))

    def general() -> Any:
        T = H0 / (2 * H1)
        k1 = ops.ceil(ops.max(0, (gap0 - ops.max(T, eps)) * 40 * H1 / mu))
        m = ops.min(gap0, T)
        k2 = ops.where((eps >= m, lambda: 0), otherwise=lambda: ops.ceil(20 * H0 / mu * ops.log(m / eps)))
        return k1 + k2

    val = ops.where((ops.eq0(H1), classical), otherwise=general)
    return val if ops.symbolic else float(val)


def pl_adaptive_family_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, a: Any = 1, b: Any = 1) -> Any:
    """Toolkit's own Thm 4.3 for the family η = 1/(a·H0 + b·H1·Δ) (a, b > 1/2), with the proven rate F(a, b).

    F = (2 − max(1/a, 1/b))/(a + b/2) (:func:`warmup_theory.theory.bounds.steps.adaptive_family_rate`);
    with T = H0/(2H1):
    phase 1 (Δ >= T): Δ⁺ <= Δ − F·μ/(2H1); phase 2 (Δ <= T): Δ⁺ <= (1 − F·μ/H0)·Δ, so

        K = ceil(max(0, (gap0 − max(T, eps))·2H1/(Fμ))) + (0 if eps >= min(gap0, T)
            else ceil((H0/(Fμ))·log(min(gap0, T)/eps))).

    (1, 1) (BEST_ADAPTIVE_FAMILY, F = 2/3) gives 3H1/μ and 1.5·H0/μ; Eq. (1) (F = 0.095) gives
    ≈ 21.05·H1/μ and 10.53·H0/μ, already below the printed 40 and 20 (claim "Lemma adaptive family").

    >>> pl_adaptive_family_iterations(1.0, 1.0, 0.5, 10.0, 1e-3)
    76.0
    >>> family = pl_adaptive_family_iterations(1.0, 1.0, 0.5, 10.0, 1e-3, 10, 20)
    >>> family <= pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 1e-3)
    True
    """
    from warmup_theory.theory.bounds.steps import adaptive_family_rate

    _args(H0, H1, mu, gap0, eps)
    F = adaptive_family_rate(a, b)
    ops, (H0, H1, mu, gap0, eps) = backend(H0, H1, mu, gap0, eps)
    if ops.symbolic:
        F = sp.sympify(F)

    def classical() -> Any:
        return ops.where((eps >= gap0, lambda: 0), otherwise=lambda: ops.ceil(H0 / (F * mu) * ops.log(gap0 / eps)))

    def general() -> Any:
        T = H0 / (2 * H1)
        k1 = ops.ceil(ops.max(0, (gap0 - ops.max(T, eps)) * 2 * H1 / (F * mu)))
        m = ops.min(gap0, T)
        k2 = ops.where((eps >= m, lambda: 0), otherwise=lambda: ops.ceil(H0 / (F * mu) * ops.log(m / eps)))
        return k1 + k2

    val = ops.where((ops.eq0(H1), classical), otherwise=general)
    return val if ops.symbolic else float(val)


def pl_fixed_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, eta: Any = None) -> Any:
    """Upper bound for fixed-step GD on μ-PL (H0,H1)-smooth f; the toolkit's own (paper: not given).

    Step η (default 1/L0, L0 = H0 + H1·gap0, the step maximising the guaranteed decrease); any
    0 < η < 2/L0 is accepted.  By the descent lemma with L <= L0 (the gap never increases) and PL,
    Δ⁺ <= ρΔ with ρ = 1 − 2μη(1 − L0η/2), so K = ceil(log(gap0/eps)/(−log ρ)) (1 if ρ <= 0; 0 if gap0 <= eps).
    η = 1/L0 gives ρ = 1 − μ/L0; H1 = 0 is the classical (1 − μ/L)^k rate.

    >>> pl_fixed_iterations(1.0, 0.0, 0.5, 1.0, 1e-3)
    10.0
    """
    _args(H0, H1, mu, gap0, eps)
    L0_eta_max = pl_fixed_step(H0, H1, mu, gap0)
    ops, (H0, H1, mu, gap0, eps) = backend(H0, H1, mu, gap0, eps)
    L0 = H0 + H1 * gap0
    if eta is None:
        eta = 1 / L0
    else:
        checked(eta=(eta, POS))
        if not backend(eta, L0_eta_max)[0].symbolic and float(eta) >= float(L0_eta_max):
            raise ValueError(f"eta must be in (0, 2/(H0 + H1*gap0)) = (0, {float(L0_eta_max)!r}), got {eta!r}; "
                             "pl_fixed_step() is that range's open end (stable, but the guaranteed decrease is 0 "
                             "there): pass eta=None for 1/(H0 + H1*gap0), the step this bound is stated for")
        eta = backend(eta)[1][0] if not ops.symbolic else sp.sympify(eta)
    if not ops.symbolic:
        return _contraction_count(H0, H1, mu, gap0, eps, eta)
    rho = 1 - 2 * mu * eta * (1 - L0 * eta / 2)
    return ops.where((gap0 <= eps, lambda: 0), (rho <= 0, lambda: 1),
                     otherwise=lambda: ops.ceil(ops.log(gap0 / eps) / (-ops.log(rho))))


def _contraction_count(H0: float, H1: float, mu: float, gap0: float, eps: float, eta: float) -> float:
    """``ceil(log(gap0/eps)/(−log ρ))``, ρ = 1 − 2μη(1 − L0·η/2), L0 = H0 + H1·gap0, evaluated exactly from the
    float inputs (mpmath, 50 digits, ``log1p``): in floats ρ rounds to 1 once μη < 1e-16, which divided by
    zero or shortened the count by up to 10 %. 0 if gap0 <= eps, 1 if ρ <= 0; ``inf`` past the float range."""
    if gap0 <= eps:
        return 0.0
    with mpmath.workdps(50):
        H0m, H1m, mum, etam = (mpmath.mpf(v) for v in (H0, H1, mu, eta))
        x = 2 * mum * etam * (1 - (H0m + H1m * mpmath.mpf(gap0)) * etam / 2)
        if x >= 1:
            return 1.0
        return float(mpmath.ceil((mpmath.log(gap0) - mpmath.log(eps)) / (-mpmath.log1p(-x))))


def pl_fixed_lower_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, printed: bool = False,
                              eta: Any = None) -> Any:
    """Thm 4.1(3) (v2), corrected: every class-stable fixed step needs >= K iterations on some member.

    ``eta=None``: the bound for *every* class-stable step (evaluated at η̄ = pl_fixed_step_upper, the count
    being decreasing in η).  ``eta`` given: the bound for that step (it must be <= η̄).  The member is
    q(w) = (μ/2)·w² started at √(2·gap0/μ) (see :func:`pl_lower_bound_witness`).
    ``printed=True``: the paper's log(gap0/eps)/(2ημ) (real-valued; defective, see module docstring).

    >>> pl_fixed_lower_iterations(1.0, 1.0, 0.01, 100.0, 1e-6)
    8753.0
    >>> pl_fixed_lower_iterations(1.0, 1.0, 2.0, 100.0, 1e-6)   # mu > H0: no non-constant member
    0.0
    """
    _check_printed(printed)
    _args(H0, H1, mu, gap0, eps)
    eta_bar = pl_fixed_step_upper(H0, H1, mu, gap0)
    ops, (H0v, H1v, muv, g0, e) = backend(H0, H1, mu, gap0, eps)
    if eta is not None:
        checked(eta=(eta, POS))
        if not ops.symbolic and not backend(eta)[0].symbolic and float(eta) > float(eta_bar):
            raise ValueError(f"eta must be in (0, {float(eta_bar)!r}] (class-stable steps), got {eta!r}")
        step = sp.sympify(eta) if ops.symbolic else float(eta)
    else:
        step = eta_bar
    if printed:
        val = ops.log(g0 / e) / (2 * step * muv)
        return val if ops.symbolic else float(val)
    if not ops.symbolic and muv > H0v:
        return 0.0
    z = step * muv
    val = ops.where((g0 <= e, lambda: 0), (muv > H0v, lambda: 0), (z >= 1, lambda: 1),
                    otherwise=lambda: ops.max(1, ops.ceil(ops.log(g0 / e) * (1 - z) / (2 * z))))
    return val if ops.symbolic else float(val)


@dataclass(frozen=True)
class PLLowerBoundWitness:
    """The class member behind Thm 4.1(3): GD with step ``eta`` on ``expr`` from ``w0``.

    ``stability_expr`` / ``stability_w0``: the hard function started at gap gap0, on which any step
    above ``eta_bar`` increases the gap (so no such step is class-stable).
    """

    expr: sp.Expr
    w: sp.Symbol
    w0: float
    eta: float
    eta_bar: float
    gap0: float
    exact_iterations: float  # ceil(log(gap0/eps)/(−2 log|1 − ημ|)), the exact count on expr (inf if never)
    stability_expr: sp.Expr
    stability_w0: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        d = asdict(self)
        for k in ("expr", "w", "stability_expr"):
            d[k] = str(d[k])
        return d


def pl_lower_bound_witness(H0: float, H1: float, mu: float, gap0: float, eta: float,
                           eps: float = 1e-6) -> PLLowerBoundWitness:
    """The member q(w) = (μ/2)w² and start w0 = √(2·gap0/μ) for Thm 4.1(3) (numeric inputs only).

    >>> wt = pl_lower_bound_witness(1.0, 1.0, 0.5, 1.0, 0.5)
    >>> wt.expr, wt.w0, wt.exact_iterations
    (0.25*w**2, 2.0, 25.0)
    """
    from warmup_theory.theory.hard_functions import pl_hard_function, pl_hard_start

    _args(H0, H1, mu, gap0, eps)
    checked(eta=(eta, POS))
    if mu > H0:
        raise ValueError(f"mu must be <= H0 for the witness to be (H0,H1)-smooth, got mu={mu!r} > H0={H0!r}")
    eta_bar = float(pl_fixed_step_upper(H0, H1, mu, gap0))
    w = sp.Symbol("w", real=True)
    em = mpmath.mpf(eta) * mpmath.mpf(mu)  # exact product: |1 − ημ| in floats loses ημ < 1e-16
    if gap0 <= eps:
        exact = 0.0
    elif em == 1:
        exact = 1.0
    elif em >= 2:
        exact = math.inf
    else:
        with mpmath.workdps(50):
            log_z = mpmath.log1p(-em) if em < 1 else mpmath.log(em - 1)
            exact = float(mpmath.ceil((mpmath.log(gap0) - mpmath.log(eps)) / (-2 * log_z)))
    hard, hw = pl_hard_function(H0, H1, mu)
    return PLLowerBoundWitness(
        expr=sp.Float(mu / 2) * w**2, w=w, w0=math.sqrt(2.0 * gap0 / mu), eta=float(eta), eta_bar=eta_bar,
        gap0=float(gap0), exact_iterations=exact, stability_expr=hard.subs(hw, w),
        stability_w0=pl_hard_start(H1, mu, gap0),
    )


@dataclass(frozen=True)
class RecursionResult:
    """Iterations of a worst-case one-step recursion D_{k+1} = max(0, Ψ(D_k)), D_0 = gap0, until D <= eps."""

    iterations: float
    final_gap: float
    converged: bool  # False: max_iter reached (iterations = max_iter) or no progress (iterations = inf)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return asdict(self)


# one-ulp safety: every computed D is inflated by this factor, so float rounding cannot make D too small
_UP = 1.0 + 4.0 * 2.0**-52


def _check_printed(printed: Any) -> None:
    if not isinstance(printed, bool):
        raise TypeError(f"printed must be True or False, got {printed!r}")


def _iterate(psi, gap0: float, eps: float, max_iter: int) -> RecursionResult:
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 0:
        raise ValueError(f"max_iter must be an integer >= 0, got {max_iter!r}")
    d = gap0
    k = 0
    while d > eps:
        if k >= max_iter:
            return RecursionResult(float(k), d, False)
        nd = max(0.0, psi(d)) * _UP
        if nd >= d:  # no proven progress (e.g. eta = 2/L0 at D = gap0): the recursion gives no bound
            return RecursionResult(math.inf, d, False)
        d = nd
        k += 1
    return RecursionResult(float(k), d, True)


def pl_adaptive_recursion_iterations(H0: float, H1: float, mu: float, gap0: float, eps: float,
                                     a: float = PAPER_ADAPTIVE_FAMILY[0], b: float = PAPER_ADAPTIVE_FAMILY[1],
                                     max_iter: int = 10**7) -> RecursionResult:
    """Beyond the paper: iterate the worst-case step of the family η = 1/(aH0 + bH1Δ) under μ-PL.

    Ψ(D) = D − (2 − r)·μ·D/(a·H0 + b·H1·D), r = max(1/a, 1/b) (descent lemma + PL).  Ψ is convex with
    Ψ(0) = 0, so sup_{[0, D]} Ψ = max(0, Ψ(D)) and the iteration dominates every GD run (claim
    "Lemma PL recursion").  For (a, b) = (10, 20) its count is <= :func:`pl_adaptive_iterations`.
    Numeric inputs only (floats, no torch).

    >>> pl_adaptive_recursion_iterations(1.0, 1.0, 0.5, 10.0, 1e-3).iterations
    305.0
    """
    _args(H0, H1, mu, gap0, eps)
    checked(a=(a, {"low": 0.5, "low_open": True}), b=(b, {"low": 0.5, "low_open": True}))
    H0, H1, mu, gap0, eps = map(float, (H0, H1, mu, gap0, eps))
    c = (2.0 - max(1.0 / a, 1.0 / b)) * mu
    return _iterate(lambda d: d - c * d / (a * H0 + b * H1 * d), gap0, eps, max_iter)


def pl_fixed_recursion_iterations(H0: float, H1: float, mu: float, gap0: float, eps: float,
                                  eta: float | None = None, max_iter: int = 10**7) -> RecursionResult:
    """Beyond the paper: worst-case recursion of fixed-step GD (η <= 2/(H0 + H1·gap0)) under μ-PL.

    Ψ(D) = D − 2μηD(1 − (H0 + H1D)η/2) (descent lemma with the current L = H0 + H1D, then PL); convex,
    Ψ(0) = 0.  Its count is <= :func:`pl_fixed_iterations` (which uses L0 >= H0 + H1D).

    >>> pl_fixed_recursion_iterations(1.0, 0.0, 0.5, 1.0, 1e-3).iterations
    10.0
    """
    _args(H0, H1, mu, gap0, eps)
    H0, H1, mu, gap0, eps = map(float, (H0, H1, mu, gap0, eps))
    eta_max = float(pl_fixed_step(H0, H1, mu, gap0))
    if eta is None:
        eta = 0.5 * eta_max  # = 1/L0, the step maximising the guaranteed decrease
    else:
        checked(eta=(eta, POS))
        eta = float(eta)
    if eta > eta_max:
        raise ValueError(f"eta must be in (0, {eta_max!r}], got {eta!r}")
    return _iterate(lambda d: d - 2.0 * mu * eta * d * (1.0 - (H0 + H1 * d) * eta / 2.0), gap0, eps, max_iter)
