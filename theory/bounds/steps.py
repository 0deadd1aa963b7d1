"""Step sizes for GD on the (H0,H1)-smooth class: the warm-up step and class-stable fixed steps.

Notation: Δ = f(w) − f* (the *gap*), g = ‖∇f(w)‖₂ (Euclidean norm), GD step w⁺ = w − η∇f(w).

**Descent lemma (toolkit's own, claim "Lemma descent (adaptive step)").** If f is (H0,H1)-smooth
(Definition 3.1, v2) and 0 < η <= 2/(H0 + H1Δ), then

    Δ⁺ <= Δ − η·g²·(1 − (H0 + H1Δ)·η/2)   (so Δ⁺ <= Δ).

Proof: φ(s) = f(w − s∇f) − f* has φ'' <= g²(H0 + H1φ). While φ <= Δ, φ'' <= g²L with L = H0 + H1Δ, so
φ(s) <= Δ − s g² + L g² s²/2 < Δ for 0 < s < 2/L; by continuity φ never reaches above Δ on [0, 2/L].

**Adaptive family** η(Δ) = 1/(a·H0 + b·H1·Δ).  Then (H0 + H1Δ)·η <= r := max(1/a, 1/b), and the lemma
gives Δ⁺ <= Δ − (2 − r)·η·g²/2.  Admissible region (descent with a strict guarantee): a > 1/2 and b > 1/2.
The paper's Eq. (1) is (a, b) = (10, 20).  Under μ-PL the proof of Thm 4.3 gets per-step rates
proportional to F(a, b) = (2 − r)/(a + b/2) in both phases; F is maximal at (a, b) = (1, 1) with
F = 2/3 (Eq. (1) has F = 0.095): :data:`BEST_ADAPTIVE_FAMILY`, claim "Lemma adaptive family".

**Class-stable fixed step.** A fixed step η is *class-stable* for (H0, H1, gap0) when, for every
(H0,H1)-smooth f of the class (μ-PL, resp. θ-aiming) and every start with f(w0) − f* <= gap0, the gap
never increases along the GD run: Δ_{k+1} <= Δ_k for all k.  By the descent lemma and induction
(Δ_k <= gap0 keeps L <= H0 + H1·gap0), every η <= 2/(H0 + H1·gap0) is class-stable:
:func:`pl_fixed_step` / :func:`aiming_fixed_step` return this largest *certified* step.  Conversely
(:func:`pl_fixed_step_upper`), no step above min(η_cosh, η_hard) is class-stable: started at gap gap0
on the cosh function (H0/H1)(cosh(√H1 w) − 1) or on the PL hard function (both even, increasing in |w|,
members of both classes), any larger step jumps past −w0 and increases the gap.  The exact class
threshold lies between the two (it is the toolkit's own bracket; the paper does not give it).
At gap0 = 0 every admissible start is a minimiser (∇f = 0, GD does not move), so every step is
class-stable and :func:`pl_fixed_step_upper` / :func:`aiming_fixed_step_upper` return inf.

>>> adaptive_step(1.0, 1.0, 0.5)
0.05
>>> adaptive_step_family(1.0, 1.0, 0.5, *BEST_ADAPTIVE_FAMILY)
0.6666666666666666
>>> pl_fixed_step(1.0, 1.0, 0.5, 3.0)
0.5
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, acosh_1p_ratio, backend, checked
from warmup_theory.theory.validate import check_scalar

__all__ = [
    "BEST_ADAPTIVE_FAMILY",
    "PAPER_ADAPTIVE_FAMILY",
    "adaptive_step",
    "adaptive_step_family",
    "adaptive_family_admissible",
    "adaptive_family_rate",
    "pl_fixed_step",
    "aiming_fixed_step",
    "pl_fixed_step_upper",
    "aiming_fixed_step_upper",
    "cosh_instability_step",
    "hard_instability_step",
]

#: Eq. (1) of the paper: η = 1/(10·H0 + 20·H1·Δ).
PAPER_ADAPTIVE_FAMILY: tuple[int, int] = (10, 20)
#: The (a, b) maximising the proven rate F(a, b) = (2 − max(1/a, 1/b))/(a + b/2); claim "Lemma adaptive family".
BEST_ADAPTIVE_FAMILY: tuple[int, int] = (1, 1)


def _check_H(H0: Any, H1: Any) -> None:
    checked(H0=(H0, NONNEG), H1=(H1, NONNEG))
    if not backend(H0, H1)[0].symbolic and float(H0) == 0 and float(H1) == 0:
        raise ValueError("H0 and H1 must not both be 0 (the class is then only constants; no step is defined)")


def adaptive_step_family(H0: Any, H1: Any, gap: Any, a: Any, b: Any) -> Any:
    """η = 1/(a·H0 + b·H1·gap), the warm-up family; admissible for a > 1/2, b > 1/2.

    ``gap`` = f(w) − f* >= 0.  Raises ``ValueError`` if a or b is outside (1/2, inf) or the step is
    undefined (H0 = 0 with H1·gap = 0).

    >>> adaptive_step_family(2.0, 1.0, 1.0, 1, 1)
    0.3333333333333333
    >>> import sympy as sp
    >>> h0, h1, d = sp.symbols("H0 H1 Delta", positive=True)
    >>> adaptive_step_family(h0, h1, d, 10, 20)
    1/(20*Delta*H1 + 10*H0)
    """
    _check_H(H0, H1)
    checked(gap=(gap, NONNEG), a=(a, {"low": 0.5, "low_open": True}), b=(b, {"low": 0.5, "low_open": True}))
    ops, (H0, H1, gap, a, b) = backend(H0, H1, gap, a, b)
    den = a * H0 + b * H1 * gap
    if not ops.symbolic and den == 0:
        raise ValueError("gap must be > 0 when H0 = 0 (the step 1/(b·H1·gap) is undefined at gap = 0)")
    return 1 / den if ops.symbolic else float(1.0 / den)


def adaptive_step(H0: Any, H1: Any, gap: Any) -> Any:
    """Eq. (1) (v2): η = 1/(10·H0 + 20·H1·gap), gap = f(w) − f*.

    >>> adaptive_step(1.0, 0.0, 3.0)
    0.1
    """
    return adaptive_step_family(H0, H1, gap, *PAPER_ADAPTIVE_FAMILY)


def adaptive_family_admissible(a: Any, b: Any) -> Any:
    """Whether (a, b) lies in the proven region a > 1/2, b > 1/2 (bool, or a sympy condition).

    >>> adaptive_family_admissible(10, 20), adaptive_family_admissible(0.5, 3)
    (True, False)
    """
    ops, (a, b) = backend(a, b)
    if ops.symbolic:
        return sp.And(a > sp.Rational(1, 2), b > sp.Rational(1, 2))
    return bool(a > 0.5 and b > 0.5)


def adaptive_family_rate(a: Any, b: Any) -> Any:
    """F(a, b) = (2 − max(1/a, 1/b))/(a + b/2), the proven rate factor of the family.

    Under μ-PL, with η = 1/(a·H0 + b·H1·Δ): Δ⁺ <= Δ·(1 − F·μ/H0) while H1Δ <= H0/2, and
    Δ⁺ <= Δ − F·μ/(2·H1) while H1Δ >= H0/2.  Maximum 2/3 at (1, 1).

    >>> adaptive_family_rate(1, 1), round(adaptive_family_rate(10, 20), 6)
    (0.6666666666666666, 0.095)
    """
    checked(a=(a, {"low": 0.5, "low_open": True}), b=(b, {"low": 0.5, "low_open": True}))
    ops, (a, b) = backend(a, b)
    r = ops.max(1 / a, 1 / b)
    val = (2 - r) / (a + b / 2)
    return val if ops.symbolic else float(val)


def _fixed_certified(H0: Any, H1: Any, gap0: Any) -> Any:
    _check_H(H0, H1)
    checked(gap0=(gap0, NONNEG))
    ops, (H0, H1, gap0) = backend(H0, H1, gap0)
    den = H0 + H1 * gap0
    if not ops.symbolic and den == 0:
        raise ValueError("gap0 must be > 0 when H0 = 0")
    return 2 / den if ops.symbolic else float(2.0 / den)


def pl_fixed_step(H0: Any, H1: Any, mu: Any, gap0: Any) -> Any:
    """Largest certified class-stable fixed step for the μ-PL class: 2/(H0 + H1·gap0).

    Stable = the gap never increases along the run, for every member and every start with gap <= gap0
    (see module docstring; claim "Lemma fixed-step stability").  ``mu`` only restricts the class.
    It is the open end of ``pl_fixed_iterations``' range (0, 2/L0): at it the guaranteed decrease is 0, so
    that bound is stated for η = 1/L0 (its default), not for this step.

    >>> pl_fixed_step(2.0, 0.0, 1.0, 100.0)
    1.0
    """
    checked(mu=(mu, POS))
    return _fixed_certified(H0, H1, gap0)


def aiming_fixed_step(H0: Any, H1: Any, theta: Any, gap0: Any) -> Any:
    """Largest certified class-stable fixed step for the θ-aiming class: 2/(H0 + H1·gap0).

    ``aiming_fixed_iterations`` needs η < 2θ/(2H0 + H1·gap0) as well (default min(1/L0, θ/(2H0 + H1·gap0))),
    which this step exceeds whenever θ <= 1 + H0/L0.

    >>> aiming_fixed_step(1.0, 1.0, 1.0, 1.0)
    1.0
    """
    checked(theta=(theta, POS))
    return _fixed_certified(H0, H1, gap0)


def cosh_instability_step(H0: Any, H1: Any, gap0: Any) -> Any:
    """η_cosh = 2·x/(H0·sinh x), x = acosh(1 + H1·gap0/H0): above it GD on the cosh function
    (H0/H1)(cosh(√H1 w) − 1), started where its gap is gap0, increases the gap (H1 = 0 or gap0 = 0: 2/H0).

    >>> round(cosh_instability_step(1.0, 1.0, 1.0), 6)
    1.520692
    """
    checked(H0=(H0, POS), H1=(H1, NONNEG), gap0=(gap0, NONNEG))
    ops, (H0, H1, gap0) = backend(H0, H1, gap0)
    y = 1 + H1 * gap0 / H0
    if not ops.symbolic:
        x = acosh_1p_ratio(H1, gap0, H0)  # accurate for tiny q and past the float range of q
        if x == 0.0:
            return 2.0 / H0
        if x < 700.0:
            return 2.0 / H0 * (x / math.sinh(x))  # not x/(H0·sinh x): that product can be subnormal
        return 2.0 * x * math.exp(math.log(2.0) - x) / H0  # sinh x = e^x/2 to 1e-600
    return ops.where((ops.eq0(H1 * gap0), lambda: 2 / H0),
                     otherwise=lambda: 2 * ops.acosh(y) / (H0 * ops.sqrt(y * y - 1)))


def hard_instability_step(H1: Any, mu: Any, gap0: Any) -> Any:
    """η_hard: above it GD on the PL hard function (warmup_theory.theory.hard_functions.pl_hard_function), started
    at gap gap0, increases the gap.  2/μ if H1·gap0 <= μ/2 (quadratic region), else
    2·(1 + log(H1·gap0/μ + 1/2))/(H1·gap0 + μ/2).

    >>> hard_instability_step(1.0, 2.0, 0.5)
    1.0
    """
    checked(H1=(H1, NONNEG), mu=(mu, POS), gap0=(gap0, NONNEG))
    ops, (H1, mu, gap0) = backend(H1, mu, gap0)
    if not ops.symbolic and H1 > 0 and gap0 > 0:
        log_r = math.log(H1) + math.log(gap0) - math.log(mu)  # r = H1·gap0/μ may over- or underflow
        if log_r <= -math.log(2.0):
            return 2.0 / mu
        log_u = math.log(H1) + math.log(gap0)
        if log_u > 700.0 or log_r > 230.0:  # u = H1·gap0 may overflow: the same formula from logs
            t = 0.5 * math.exp(-log_r)  # μ/(2u)
            return 2.0 * (1.0 + log_r + math.log1p(t)) * math.exp(-log_u) / (1.0 + t)
    u = H1 * gap0
    return ops.where((u <= mu / 2, lambda: 2 / mu),
                     otherwise=lambda: 2 * (1 + ops.log(u / mu + sp.Rational(1, 2) if ops.symbolic else u / mu + 0.5))
                     / (u + mu / 2))


def pl_fixed_step_upper(H0: Any, H1: Any, mu: Any, gap0: Any) -> Any:
    """η̄ = min(η_cosh(gap0), η_hard(gap0)): no fixed step above it is class-stable (μ-PL class, μ <= H0).

    For μ > H0 (or H0 = 0) the μ-PL class has no non-constant member (2μΔ <= g² <= 2H0Δ + H1Δ² for
    arbitrarily small Δ > 0), so no step is ever unstable: returns inf.  gap0 = 0: every start is a
    minimiser (GD never moves), every step is class-stable: inf (symbolically a ``Piecewise`` on gap0 = 0).

    >>> round(pl_fixed_step_upper(1.0, 1.0, 1.0, 10.0), 6)
    0.563966
    >>> pl_fixed_step_upper(1.0, 1.0, 1.0, 0.0)
    inf
    """
    _check_H(H0, H1)
    checked(mu=(mu, POS), gap0=(gap0, NONNEG))
    ops, (H0v, H1v, muv, g0) = backend(H0, H1, mu, gap0)
    if not ops.symbolic and (muv > H0v or g0 == 0):
        return float("inf")
    val = ops.where((ops.eq0(g0), lambda: ops.inf),
                    otherwise=lambda: ops.min(cosh_instability_step(H0v, H1v, g0), hard_instability_step(H1v, muv, g0)))
    return val if ops.symbolic else float(val)


def aiming_fixed_step_upper(H0: Any, H1: Any, theta: Any, gap0: Any) -> Any:
    """η̄ for the θ-aiming class (θ <= 2): min(η_cosh, η_hard with μ = H0); both are θ-aiming for θ <= 2.

    For θ > 2 no witness member is known here and inf is returned; for H0 = 0 the class has no
    non-constant member with an attained minimum (inf).  gap0 = 0: every start is a minimiser, every
    step is class-stable: inf (symbolically a ``Piecewise`` on gap0 = 0).

    >>> round(aiming_fixed_step_upper(1.0, 1.0, 1.0, 10.0), 6)
    0.563966
    >>> aiming_fixed_step_upper(1.0, 1.0, 1.0, 0.0)
    inf
    """
    _check_H(H0, H1)
    checked(theta=(theta, POS), gap0=(gap0, NONNEG))
    ops, (H0v, H1v, th, g0) = backend(H0, H1, theta, gap0)
    if not ops.symbolic and (th > 2 or H0v == 0 or g0 == 0):
        return float("inf")
    val = ops.where((ops.eq0(g0), lambda: ops.inf),
                    otherwise=lambda: ops.min(cosh_instability_step(H0v, H1v, g0), hard_instability_step(H1v, H0v, g0)))
    return val if ops.symbolic else float(val)


del check_scalar
