"""Iteration bounds for GD on (H0,H1)-smooth θ-aiming functions (Section 4, v2: Thms 4.2 and 4.1(1–2)).

Aiming (Definition 4.1): ⟨∇f(w), w − proj_S(w)⟩ >= θ·(f(w) − f*), S = minimisers; dist0 = ‖w0 − proj_S(w0)‖₂.
Counts are integers (float on the numeric path, ``ceiling`` symbolically), >= 0.

**Thm 4.2 — the toolkit's own direct proof** (:func:`aiming_adaptive_iterations`; the paper gives only
O(H0·d²/(θ²ε) + H1·d²/θ²)).  With η = 1/(10H0 + 20H1Δ) and the gradient bound g² <= 2H0Δ + H1Δ²:
η·g² <= Δ·max(2/10, 1/20) = Δ/5, so d_{k+1}² <= d_k² − 2ηθΔ + η²g² <= d_k² − η_kΔ_k(2θ − 1/5)
("Lemma aiming telescoping").  ηΔ = Δ/(10H0 + 20H1Δ) is increasing in Δ; if Δ_0..Δ_{K−1} > eps then
K·eps·(2θ − 1/5)/(10H0 + 20H1·eps) < d0², hence, for θ > 1/10,

    K = ceil( d0²·(10·H0/eps + 20·H1)/(2θ − 1/5) )

and the gap never increases afterwards (descent lemma).  H1 = 0: 10H0·d0²/(eps(2θ − 1/5)); H0 = 0:
ε-free 20H1·d0²/(2θ − 1/5).  For θ <= 1/10 this proof gives nothing (ValueError naming theta).

**Fixed step, upper** (:func:`aiming_fixed_iterations`, own): η <= 2/L0 with
c = 2θ − η(2H0 + H1·gap0) > 0 gives d⁺² <= d² − ηcΔ, so K = ceil(d0²/(η·c·eps)); for η <= (2 − 1/θ)/L0 the
sharp count of :mod:`warmup_theory.theory.bounds.sharp` (classical at H1 = 0) is taken when smaller.

**Thm 4.1(1–2), fixed-step lower bound** (:func:`aiming_fixed_lower_iterations`, own).  For θ <= 2 the
quadratic q_λ(w) = (λ/2)w² (λ <= H0) is θ-aiming; started at w0 = dist0 (gap λ·dist0²/2 <= gap0) GD needs
k >= log(λd0²/(2ε))/(−2 log(1 − ηλ)) >= log(λd0²/(2ε))(1 − ηλ)/(2ηλ).  We take η = η̄ (no class-stable
step is larger) and λ = min(H0, 2·gap0/d0², 2e·eps/d0²) (the last maximises log(u)/u at u = e):

    K_lower = ceil( log(λd0²/(2eps))·(1 − η̄λ)/(2η̄λ) )  when λd0²/2 > eps and η̄λ < 1 (1 if η̄λ >= 1; else 0).

For small eps this is ≈ d0²/(4e·η̄·eps) with η̄ ~ 2log(H1gap0/H0)/(H1gap0): **multiplicative** in H1·gap0,
while Thm 4.2 pays H1 additively.

>>> aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2)
567.0
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked
from warmup_theory.theory.bounds.pl import _check_printed
from warmup_theory.theory.bounds.sharp import aiming_fixed_sharp_count, aiming_sharp_eta_max
from warmup_theory.theory.bounds.steps import _check_H, aiming_fixed_step, aiming_fixed_step_upper

__all__ = [
    "aiming_adaptive_iterations",
    "aiming_adaptive_recursion_iterations",
    "aiming_fixed_default_step",
    "aiming_fixed_iterations",
    "aiming_fixed_lower_iterations",
]


def aiming_adaptive_iterations(H0: Any, H1: Any, theta: Any, dist0: Any, eps: Any, gap0: Any = None,
                               printed: bool = False) -> Any:
    """Thm 4.2 (v2), the toolkit's direct proof: ceil(dist0²·(10H0/eps + 20H1)/(2θ − 1/5)), θ > 1/10.

    ``gap0`` (optional): when given and gap0 <= eps the answer is 0.

    ``printed=True`` returns the paper's printed count at θ = 1 (NOTES §5: the O(·) statement with the
    constants 40 and 40), the real K = 40·H0·dist0²/eps + 40·H1·dist0² (no ceiling, ``gap0`` ignored);
    its θ-dependence is not known, so any θ other than 1 raises ValueError.  At θ = 1 it is a valid but looser
    bound: it is >= 3.6 times the real count above (claim "Thm 4.2 printed form (θ = 1)").

    >>> import sympy as sp
    >>> h0, h1, th, d, e = sp.symbols("H0 H1 theta d epsilon", positive=True)
    >>> aiming_adaptive_iterations(h0, h1, th, d, e)
    ceiling(d**2*(10*H0/epsilon + 20*H1)/(2*theta - 1/5))
    >>> aiming_adaptive_iterations(h0, h1, 1, d, e, printed=True)
    40*H0*d**2/epsilon + 40*H1*d**2
    >>> aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2, printed=True)   # vs 567 (toolkit's)
    4040.0
    """
    _check_printed(printed)
    _check_H(H0, H1)
    checked(theta=(theta, {"low": 0.1, "low_open": True}), dist0=(dist0, NONNEG), eps=(eps, POS))
    if gap0 is not None:
        checked(gap0=(gap0, NONNEG))
    if printed:
        if sp.sympify(theta).equals(1) is not True:
            raise ValueError(f"theta must be 1 with printed=True (the printed Thm 4.2 constants 40, 40 are known "
                             f"only at theta = 1), got {theta!r}")
        pops, (H0, H1, dist0, eps) = backend(H0, H1, dist0, eps)
        pval = 40 * H0 * (dist0 * dist0) / eps + 40 * H1 * (dist0 * dist0)
        return pval if pops.symbolic else float(pval)
    ops, (H0, H1, theta, dist0, eps) = backend(H0, H1, theta, dist0, eps)
    fifth = sp.Rational(1, 5) if ops.symbolic else 0.2
    val = ops.ceil((dist0 * dist0) * (10 * H0 / eps + 20 * H1) / (2 * theta - fifth))
    if gap0 is not None:
        g0 = sp.sympify(gap0) if ops.symbolic else float(gap0)
        val = ops.where((g0 <= eps, lambda: 0), otherwise=lambda: val)
    return val if ops.symbolic else float(val)


def aiming_fixed_default_step(H0: Any, H1: Any, theta: Any, gap0: Any) -> Any:
    """The step ``aiming_fixed_iterations`` is stated for by default: min(1, 2 − 1/θ)/L0 for θ >= 2/3 (the sharp
    form's range; 1/L0 for θ >= 1), else min(1/L0, θ/G); L0 = H0 + H1·gap0, G = 2H0 + H1·gap0.

    >>> aiming_fixed_default_step(1.0, 0.0, 1.0, 1.0), aiming_fixed_default_step(1.0, 0.0, 0.5, 1.0)
    (1.0, 0.25)
    """
    ops, (H0, H1, theta, gap0) = backend(H0, H1, theta, gap0)
    L0, G = H0 + H1 * gap0, 2 * H0 + H1 * gap0
    if ops.symbolic:
        return sp.Piecewise((ops.min(1, 2 - 1 / theta) / L0, theta >= sp.Rational(2, 3)),
                            (ops.min(1 / L0, theta / G), True))
    return min(1.0, 2.0 - 1.0 / theta) / L0 if theta >= 2 / 3 else min(1 / L0, theta / G)


def aiming_fixed_iterations(H0: Any, H1: Any, theta: Any, gap0: Any, dist0: Any, eps: Any,
                            eta: Any = None) -> Any:
    """Upper bound for fixed-step GD on θ-aiming (H0,H1)-smooth f, start gap <= gap0 (toolkit's own).

    Two proofs, the smaller count where both apply (L0 = H0 + H1·gap0, G = 2H0 + H1·gap0, d = dist0):

    * telescoping: η <= 2/L0 with c = 2θ − η·G > 0: K = ceil(d²/(η·c·eps));
    * sharp (:mod:`warmup_theory.theory.bounds.sharp`): θ > 1/2 and η <= (2 − 1/θ)/L0: the least K with
      eps·K + (θ²eps²/d²)(c'·K(K−1)/2 + β·K) >= d²/(2ηθ), c' = η(1 − L0η/2), β = c' − η/(2θ).  At H1 = 0,
      θ = 1 it accepts the classical η = 1/L and is within 2x of the tight L·d²/(4N + 2) (PEPit) once N >= 8.

    Default η = 1/L0·min(1, 2 − 1/θ) for θ >= 2/3, else min(1/L0, θ/G).  0 if gap0 <= eps.

    >>> aiming_fixed_iterations(1.0, 0.0, 1.0, 1.0, 1.0, 1e-2)
    46.0
    """
    _check_H(H0, H1)
    checked(theta=(theta, POS), gap0=(gap0, NONNEG), dist0=(dist0, NONNEG), eps=(eps, POS))
    eta_max = aiming_fixed_step(H0, H1, theta, gap0)
    ops, (H0, H1, theta, gap0, dist0, eps) = backend(H0, H1, theta, gap0, dist0, eps)
    L0, G = H0 + H1 * gap0, 2 * H0 + H1 * gap0
    if eta is None:
        eta = aiming_fixed_default_step(H0, H1, theta, gap0)
    else:
        checked(eta=(eta, POS))
        if not ops.symbolic:
            eta = float(eta)
            if eta > float(eta_max):
                raise ValueError(f"eta must be in (0, {float(eta_max)!r}] (certified stable), got {eta!r}")
            if 2 * theta - eta * G <= 0 and eta > aiming_sharp_eta_max(L0, theta):
                raise ValueError(f"eta must be < 2*theta/(2*H0 + H1*gap0) = {2 * theta / G!r} or <= "
                                 f"(2 - 1/theta)/(H0 + H1*gap0) = {aiming_sharp_eta_max(L0, theta)!r}, got {eta!r}; "
                                 "aiming_fixed_step() is the largest stable step, not one this bound covers: pass "
                                 "eta=None for the default step")
        else:
            eta = sp.sympify(eta)
    c = 2 * theta - eta * G
    if not ops.symbolic:
        if gap0 <= eps:
            return 0.0
        counts = [float(ops.ceil((dist0 * dist0) / (eta * c * eps)))] if c > 0 else []
        if eta <= aiming_sharp_eta_max(L0, theta):
            counts.append(aiming_fixed_sharp_count(L0, theta, dist0, eps, eta))
        return min(counts)
    old = ops.ceil((dist0 * dist0) / (eta * c * eps))
    sharp = aiming_fixed_sharp_count(L0, theta, dist0, eps, eta)
    val = ops.where((gap0 <= eps, lambda: 0), (sp.And(eta <= aiming_sharp_eta_max(L0, theta), c > 0),
                                                lambda: ops.min(old, sharp)),
                    (eta <= aiming_sharp_eta_max(L0, theta), lambda: sharp), otherwise=lambda: old)
    return val


def aiming_fixed_lower_iterations(H0: Any, H1: Any, theta: Any, gap0: Any, dist0: Any, eps: Any,
                                  eta: Any = None) -> Any:
    """Thm 4.1(1–2) (v2), the toolkit's own form: every class-stable fixed step needs >= K iterations
    on the member q_λ(w) = (λ/2)w² started at dist0 (module docstring).  0 when θ > 2, H0 = 0, or the
    member's start gap is <= eps.  *Class-stable* refers to the gap class (every θ-aiming member with start
gap <= gap0, no distance constraint): the instability witnesses (cosh / hard function at gap gap0) may
start farther than dist0.

    >>> aiming_fixed_lower_iterations(1.0, 1.0, 1.0, 100.0, 1.0, 1e-4)
    8749.0
    """
    _check_H(H0, H1)
    checked(theta=(theta, POS), gap0=(gap0, NONNEG), dist0=(dist0, NONNEG), eps=(eps, POS))
    ops, (H0, H1, theta, gap0, dist0, eps) = backend(H0, H1, theta, gap0, dist0, eps)
    eta_bar = aiming_fixed_step_upper(H0, H1, theta, gap0)
    if eta is not None:
        checked(eta=(eta, POS))
        if not ops.symbolic and not backend(eta)[0].symbolic and float(eta) > float(eta_bar):
            raise ValueError(f"eta must be in (0, {float(eta_bar)!r}] (class-stable steps), got {eta!r}")
        eta_bar = sp.sympify(eta) if ops.symbolic else float(eta)
    if not ops.symbolic and (theta > 2 or H0 == 0 or dist0 == 0 or math.isinf(eta_bar)):
        return 0.0
    e_const = sp.E if ops.symbolic else math.e
    lam = ops.min(H0, 2 * gap0 / (dist0 * dist0), 2 * e_const * eps / (dist0 * dist0))
    start = lam * (dist0 * dist0) / 2
    z = eta_bar * lam
    val = ops.where((theta > 2, lambda: 0), (ops.eq0(H0 * dist0), lambda: 0), (start <= eps, lambda: 0),
                    (z >= 1, lambda: 1),
                    otherwise=lambda: ops.max(1, ops.ceil(ops.log(start / eps) * (1 - z) / (2 * z))))
    return val if ops.symbolic else float(val)


def aiming_adaptive_recursion_iterations(H0: Any, H1: Any, theta: Any, dist0: Any, eps: Any,
                                         a: Any = 10, b: Any = 20) -> Any:
    """Beyond the paper: the worst case of the one-step aiming recursion, family η = 1/(aH0 + bH1Δ), a <= 2b.

    d⁺² <= d² − φ(Δ), φ(Δ) = u(Δ)·(2θ − v(Δ)), u = Δ/(aH0 + bH1Δ) (increasing), v = (2H0 + H1Δ)/(aH0 + bH1Δ)
    (gradient bound; decreasing when a <= 2b).  For 2θ > v(eps), φ is a product of two non-negative
    increasing functions on [eps, inf), so the adversary's best is Δ_k just above eps and

        K = ceil(dist0² / φ(eps)).

    For (a, b) = (10, 20) this is <= Thm 4.2's count (v(eps) <= 1/5) and needs only θ > v(eps)/2, which
    can be below 1/10 (claim "Lemma aiming recursion").

    >>> aiming_adaptive_recursion_iterations(1.0, 1.0, 1.0, 1.0, 1e-2)
    566.0
    >>> aiming_adaptive_recursion_iterations(1.0, 1.0, 0.1, 1.0, 1e-2)   # Thm 4.2 needs theta > 1/10
    346800.0
    """
    _check_H(H0, H1)
    checked(theta=(theta, POS), dist0=(dist0, NONNEG), eps=(eps, POS),
            a=(a, {"low": 0.5, "low_open": True}), b=(b, {"low": 0.5, "low_open": True}))
    ops, (H0, H1, theta, dist0, eps, a, b) = backend(H0, H1, theta, dist0, eps, a, b)
    if not ops.symbolic:
        if a > 2 * b:
            raise ValueError(f"a must be <= 2*b for this bound, got a={a!r}, b={b!r}")
    den = a * H0 + b * H1 * eps
    v = (2 * H0 + H1 * eps) / den
    c = 2 * theta - v
    if not ops.symbolic and c <= 0:
        raise ValueError(f"theta must be > v(eps)/2 = {v / 2!r} for this bound, got {theta!r}")
    val = ops.ceil((dist0 * dist0) * den / (eps * c))
    return val if ops.symbolic else float(val)
