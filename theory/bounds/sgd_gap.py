"""Expected-gap iteration counts for SGD under interpolation — the **toolkit's own** (claim "Thm SGD expected gap").

The calculators of :mod:`warmup_theory.theory.bounds.sgd` take ``guarantee=``; this module computes the values
for ``"expected-gap"`` (PL, last iterate) and ``"random-iterate"`` (aiming).  Notation as there: X_k =
dist(w_k, X*)², X0 its start, M the sampling ratio, c = 2θ − max(2/a, 1/b), G = h(X0) with
h(X) = (H0/H1)(cosh(√(H1X)) − 1) (:func:`~warmup_theory.theory.bounds.sgd_common.gap_from_distance`).

Pathwise facts (claims "Lemma SGD distance step", "Lemma SGD gap from distance"): X_k <= X0 on every path, so
f(w_k) − f* <= h(X_k) <= G for every k, and h is convex with h(0) = 0, so h(X) <= (G/X0)·X on [0, X0].

* **PL, adaptive step, last iterate.**  E[X_{k+1} | F_k] <= X_k − Ψ(X_k) with Ψ(x) = cμx/(2aH0 + bH1Mμx) >= r·x
  on [0, X0], r = cμ/(2aH0 + bH1MμX0); the tower property gives E[X_K] <= (1 − r)^K·X0, hence
  E[f(w_K) − f*] <= G·(1 − r)^K <= ε for K >= log(G/ε)/(−log(1 − r)).  (The Markov route
  ε/2 + G·E[τ_{ε/2}]/K needs K >= 2G·K_E(ε/2)/ε, always larger.)
* **PL, fixed step** η: E[X_K] <= ρ^K·X0 (claim "Thm SGD PL fixed") gives E[f(w_K) − f*] <= G·ρ^K, so
  K >= log(G/ε)/(−log ρ).
* **Aiming only: a uniformly random iterate.**  The gap need not stay small after τ_ε (no PL: a small gap does
  not pin the distance), so the last iterate is **not** covered.  Summing the expected decrement,
  c·Σ_{j<K} E[φ_M(Δ_j)] <= X0 (φ_M(x) = x/(aH0 + bH1Mx)), and x <= (aH0 + bH1MG)·φ_M(x) on [0, G]; so for J
  uniform on {0, …, K−1}, independent of the run, E[f(w_J) − f*] <= X0(aH0 + bH1MG)/(cK) <= ε for
  K >= X0·(aH0 + bH1·M·G)/(c·ε).

Every count is 0 when G <= ε (no iterate can exceed ε).

>>> pl_adaptive_gap_count(1.0, 1.0, 0.5, 10, 20, 1.0, 4.0, 4.0, 1e-3)
2849.0
>>> aiming_random_iterate_count(1.0, 0.0, 10, 20, 1.0, 1.0, 1.0, 1e-2)   # X0·a·H0/(c·ε) at H1 = 0
1000.0
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import backend
from warmup_theory.theory.bounds.sgd_common import float_or_inf, gap_from_distance_exact

__all__ = ["pl_adaptive_gap_count", "pl_fixed_gap_count", "aiming_random_iterate_count", "GUARANTEES",
           "check_guarantee"]

#: the values of the calculators' ``guarantee=`` keyword
GUARANTEES = ("hitting", "expected-gap", "random-iterate")


def check_guarantee(guarantee: Any, delta: Any, allowed: tuple[str, ...]) -> None:
    """``guarantee`` in ``allowed``; ``delta`` only with ``"hitting"``."""
    if not isinstance(guarantee, str) or guarantee not in allowed:
        raise ValueError(f"guarantee must be one of {allowed}, got {guarantee!r}")
    if guarantee != "hitting" and delta is not None:
        raise ValueError(f"delta applies to guarantee='hitting' only (P[tau > K] <= delta), got delta={delta!r} "
                         f"with guarantee={guarantee!r}")


def _rate_count(G: Any, eps: Any, one_minus_rate: Any, symbolic: bool) -> Any:
    """ceil(log(G/ε)/(−log q)) for a contraction factor q (1 when q <= 0), 0 when G <= ε."""
    if symbolic:
        return sp.Piecewise((0, G <= eps), (sp.ceiling(sp.log(G / eps) / (-sp.log(one_minus_rate))), True))
    if G <= eps:
        return 0.0
    if one_minus_rate <= 0:
        return 1.0
    with mpmath.workdps(40):
        k = mpmath.ceil(mpmath.log(mpmath.mpf(G) / mpmath.mpf(eps)) / (-mpmath.log(mpmath.mpf(one_minus_rate))))
    return float_or_inf(k)


def pl_adaptive_gap_count(H0: Any, H1: Any, mu: Any, a: Any, b: Any, c: Any, M: Any, X0: Any, eps: Any) -> Any:
    """K with E[f(w_K) − f*] <= ε for the adaptive step under PL: ceil(log(G/ε)/(−log(1 − r))),
    r = cμ/(2aH0 + bH1MμX0) (module docstring; arguments already validated by the calculator).

    >>> pl_adaptive_gap_count(1.0, 1.0, 0.5, 10, 20, 1.0, 4.0, 1e-4, 1e-3)   # G = h(X0) <= ε
    0.0
    """
    ops, (H0, H1, mu, a, b, c, M, X0, eps) = backend(H0, H1, mu, a, b, c, M, X0, eps)
    G = gap_from_distance_exact(H0, H1, X0)
    if ops.symbolic:
        return _rate_count(G, eps, 1 - c * mu / (2 * a * H0 + b * H1 * M * mu * X0), True)
    with mpmath.workdps(40):
        r = mpmath.mpf(c) * mu / (2 * a * mpmath.mpf(H0) + b * mpmath.mpf(H1) * M * mu * mpmath.mpf(X0))
        return _rate_count(G, eps, 1 - r, False)


def pl_fixed_gap_count(H0: Any, H1: Any, X0: Any, rho: Any, eps: Any) -> Any:
    """K with E[f(w_K) − f*] <= ε for a fixed step with E[X_K] <= ρ^K·X0: ceil(log(G/ε)/(−log ρ)).

    >>> pl_fixed_gap_count(1.0, 0.0, 4.0, 0.5, 1e-3)    # G = 2: ceil(log2(2000))
    11.0
    """
    ops, (H0, H1, X0, eps) = backend(H0, H1, X0, eps)
    return _rate_count(gap_from_distance_exact(H0, H1, X0), eps, rho, ops.symbolic or isinstance(rho, sp.Basic))


def aiming_random_iterate_count(H0: Any, H1: Any, a: Any, b: Any, c: Any, M: Any, X0: Any, eps: Any) -> Any:
    """K with E[f(w_J) − f*] <= ε, J uniform on {0, …, K−1}: ceil(X0(aH0 + bH1MG)/(cε)), 0 when G <= ε.

    >>> aiming_random_iterate_count(1.0, 0.0, 10, 20, 1.0, 1.0, 0.01, 1e-2)
    0.0
    """
    ops, (H0, H1, a, b, c, M, X0, eps) = backend(H0, H1, a, b, c, M, X0, eps)
    G = gap_from_distance_exact(H0, H1, X0)
    if ops.symbolic:
        return sp.Piecewise((0, G <= eps), (sp.ceiling(X0 * (a * H0 + b * H1 * M * G) / (c * eps)), True))
    if G <= eps:
        return 0.0
    with mpmath.workdps(40):
        k = mpmath.ceil(mpmath.mpf(X0) * (a * mpmath.mpf(H0) + b * mpmath.mpf(H1) * M * G) / (c * mpmath.mpf(eps)))
    return float_or_inf(k)
