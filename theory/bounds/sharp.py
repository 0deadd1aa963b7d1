r"""Bounds that reduce to the classical L-smooth counts at H1 = 0 (the toolkit's own; claims in ``sharp_bounds``).

**θ-aiming, fixed step** (:func:`aiming_fixed_sharp_count`, used by ``aiming_fixed_iterations``).  For a
θ-aiming (H0,H1)-smooth f (θ > 1/2), Δ0 <= gap0, dist0 = d, L0 = H0 + H1·gap0 and a fixed step
0 < η <= (2 − 1/θ)/L0 (so η < 2/L0: the gap never increases):

* descent (claim "Lemma safe step" with L <= L0): Δ_k − Δ_{k+1} >= c·g_k², c = η(1 − L0·η/2);
* distance (p_k = proj_S(w_k), aiming ⟨g_k, w_k − p_k⟩ >= θΔ_k):
  Δ_{k+1} <= (D_k − D_{k+1})/(2ηθ) − β·g_k², D = dist², β = c − η/(2θ) >= 0 — so D never increases;
* gradient from aiming and Cauchy–Schwarz: g_k >= θΔ_k/d.

Summing: K·Δ_K + (θ²Δ_K²/d²)·(c·K(K−1)/2 + β·K) <= d²/(2ηθ) (every Δ_k >= Δ_K).  The left side is
increasing in Δ_K, so Δ_K <= ε as soon as q(K) = ε·K + (θ²ε²/d²)(c·K(K−1)/2 + β·K) >= d²/(2ηθ):

    K = the least integer K >= 0 with q(K) >= d²/(2ηθ)      (0 when gap0 <= ε or d = 0).

H1 = 0, θ = 1, η = 1/L: ≈ L·d²/(2.23·ε), within 2x of PEPit's tight L·d²/(4N + 2) once N >= 8.

**μ-PL, warm-up family** (:func:`pl_adaptive_contraction_iterations`).  By claim "Lemma PL recursion",
Δ_{k+1} <= Δ_k·(1 − (2 − r)μ/(a·H0 + b·H1·Δ_k)), r = max(1/a, 1/b), and Δ_k <= gap0, so every step contracts by
ρ = 1 − (2 − r)μ/(a·H0 + b·H1·gap0): K = ceil(log(gap0/ε)/(−log ρ)) (1 if ρ <= 0).  At H1 = 0 the step is the
fixed 1/(a·H0) and ρ = 1 − (2a − 1)μ/(a²H0) is the classical rate 1 − 2μη(1 − Lη/2); continuous in H1 → 0.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked

__all__ = ["aiming_fixed_sharp_count", "aiming_sharp_eta_max", "pl_adaptive_contraction_iterations"]


def aiming_sharp_eta_max(L0: Any, theta: Any) -> Any:
    """(2 − 1/θ)/L0: the largest step of the sharp aiming bound (0 when θ <= 1/2: none).

    >>> aiming_sharp_eta_max(1.0, 1.0)
    1.0
    """
    ops, (L0, theta) = backend(L0, theta)
    return ops.max(0, 2 - 1 / theta) / L0


def aiming_fixed_sharp_count(L0: Any, theta: Any, dist0: Any, eps: Any, eta: Any) -> Any:
    """The least K >= 0 with q(K) >= d²/(2ηθ) (module docstring); the caller checks 0 < η <= (2 − 1/θ)/L0.

    Floats are evaluated in mpmath (50 digits) and the root is checked against q, so rounding cannot make
    the count too small.  Symbolic inputs give ``ceiling`` of the positive root of q(K) = d²/(2ηθ).

    >>> aiming_fixed_sharp_count(1.0, 1.0, 1.0, 0.01, 1.0)       # PEPit's tight count here is 25
    46.0
    """
    c = eta * (1 - L0 * eta / 2)
    beta = c - eta / (2 * theta)
    if backend(L0, theta, dist0, eps, eta)[0].symbolic:
        A2 = theta**2 * eps**2 * c / (2 * dist0**2)
        B1 = eps + theta**2 * eps**2 * (beta - c / 2) / dist0**2
        C = dist0**2 / (2 * eta * theta)
        return sp.ceiling((-B1 + sp.sqrt(B1**2 + 4 * A2 * C)) / (2 * A2))
    if float(dist0) == 0.0:
        return 0.0
    with mpmath.workdps(50):
        L0m, th, d, e, et = (mpmath.mpf(float(v)) for v in (L0, theta, dist0, eps, eta))
        cm = et * (1 - L0m * et / 2)
        bm = cm - et / (2 * th)
        A2 = th**2 * e**2 * cm / (2 * d**2)
        B1 = e + th**2 * e**2 * (bm - cm / 2) / d**2
        C = d**2 / (2 * et * th)

        def q(k: Any) -> Any:
            return A2 * k * k + B1 * k

        root = (-B1 + mpmath.sqrt(B1 * B1 + 4 * A2 * C)) / (2 * A2)
        if root > 2**53:  # beyond exact float integers: round the (50-digit) root up, or inf past the range
            return math.inf if root > sys.float_info.max else math.nextafter(float(root), math.inf)
        K = mpmath.ceil(root)
        while K > 0 and q(K - 1) >= C:
            K -= 1
        while q(K) < C:
            K += 1
        return float(K)


def pl_adaptive_contraction_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, a: Any = 10,
                                       b: Any = 20) -> Any:
    """Warm-up family η_k = 1/(a·H0 + b·H1·Δ_k) on μ-PL f: K = ceil(log(gap0/ε)/(−log ρ)),
    ρ = 1 − (2 − r)μ/(a·H0 + b·H1·gap0), r = max(1/a, 1/b); a, b > 1/2 (toolkit's own, module docstring).

    At H1 = 0 this is the classical count of the fixed step 1/(a·H0); ``pl_adaptive_iterations`` (Thm 4.3,
    corrected) is better when H1·gap0 >> H0 and 2x worse at H1 = 0 (its phase split).

    >>> pl_adaptive_contraction_iterations(1.0, 0.0, 0.5, 1.0, 1e-3)     # rho = 1 - 0.095
    70.0
    """
    checked(H0=(H0, POS), H1=(H1, NONNEG), mu=(mu, POS), gap0=(gap0, NONNEG), eps=(eps, POS), a=(a, POS),
            b=(b, POS))
    ops, (H0, H1, mu, gap0, eps, a, b) = backend(H0, H1, mu, gap0, eps, a, b)
    if not ops.symbolic:
        if min(a, b) <= 0.5:
            raise ValueError(f"a and b must be > 1/2 (the descent lemma's factor 1 - max(1/a, 1/b)/2 > 0), "
                             f"got a={a!r}, b={b!r}")
        if gap0 <= eps:
            return 0.0
        with mpmath.workdps(50):
            r = max(1 / mpmath.mpf(a), 1 / mpmath.mpf(b))
            x = (2 - r) * mpmath.mpf(mu) / (mpmath.mpf(a) * H0 + mpmath.mpf(b) * H1 * mpmath.mpf(gap0))
            if x >= 1:
                return 1.0
            return float(mpmath.ceil((mpmath.log(gap0) - mpmath.log(eps)) / (-mpmath.log1p(-x))))
    rho = 1 - (2 - ops.max(1 / a, 1 / b)) * mu / (a * H0 + b * H1 * gap0)
    return ops.where((gap0 <= eps, lambda: 0), (rho <= 0, lambda: 1),
                     otherwise=lambda: ops.ceil(ops.log(gap0 / eps) / (-ops.log(rho))))
