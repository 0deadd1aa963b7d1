"""Extremal 1-D members of the (H0,H1)-smooth class used by the bounds (NOTES §1, §5; v2 Thm 4.1(3)).

* :func:`pl_hard_function` — (μ/2)w² for |w| <= 1/√H1, (μ/H1)·e^{√H1|w| − 1} − μ/(2H1) otherwise.
  Certified (claim "Hard function (PL)"): C² at the junction (value μ/(2H1), slope μ/√H1, curvature μ on
  both sides), f'' = μ on the quadratic part and f'' = H1·f + μ/2 outside, so it is (μ, H1)-smooth and
  hence (H0, H1)-smooth **iff H0 >= μ** (at w = 0: f'' = μ, f = 0); μ-PL (equality on the quadratic
  part; outside, f'² − 2μf = H1(f + μ/(2H1) − μ/H1)² >= 0); θ-aiming for every θ <= 2; minimiser 0, f* = 0.
  H1 = 0 gives the quadratic (μ/2)w².
* :func:`cosh_function` — (H0/H1)(cosh(√H1 w) − 1): f'' = H0 + H1·f exactly, f* = 0 at w = 0, μ-PL with
  μ = H0 (f'²/(2f) = H0(cosh + 1)/2 >= H0), θ-aiming for θ <= 2 (x·sinh x >= 2(cosh x − 1)).
  H1 = 0 gives (H0/2)w².

>>> f, w = pl_hard_function(2, 1, 2)
>>> f.subs(w, 2)
-1 + 2*E
>>> g, w = cosh_function(1, 1)
>>> g
cosh(w) - 1
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, acosh_1p_ratio, checked
from warmup_theory.theory.validate import is_symbolic, to_sympy

__all__ = [
    "pl_hard_function", "cosh_function", "pl_hard_start", "cosh_start", "pl_hard_numeric", "cosh_numeric", "W",
]

#: the variable of every 1-D function here
W = sp.Symbol("w", real=True)


def _exact(v: Any) -> sp.Expr:
    """Integers and sympy values stay exact; floats become Float."""
    return to_sympy(v)


def pl_hard_function(H0: Any, H1: Any, mu: Any) -> tuple[sp.Expr, sp.Symbol]:
    """The PL hard function of Thm 4.1(3) (general form, NOTES §5) as ``(expr, w)``; minimiser 0, f* = 0.

    Raises ``ValueError`` if numeric μ > H0 (it is then not (H0, H1)-smooth).

    >>> f, w = pl_hard_function(1, 0, 1)
    >>> f
    w**2/2
    """
    checked(H0=(H0, NONNEG), H1=(H1, NONNEG), mu=(mu, POS))
    if not is_symbolic(H0, mu) and float(mu) > float(H0):
        raise ValueError(f"mu must be <= H0 (the hard function has f''(0) = mu), got mu={mu!r} > H0={H0!r}")
    H1s, mus = _exact(H1), _exact(mu)
    w = W
    quad = mus / 2 * w**2
    if not is_symbolic(H1) and float(H1) == 0:
        return quad, w
    r = sp.sqrt(H1s)
    outer = (mus / H1s) * sp.exp(r * sp.Abs(w) - 1) - mus / (2 * H1s)
    return sp.Piecewise((quad, sp.Abs(w) <= 1 / r), (outer, True)), w


def cosh_function(H0: Any, H1: Any) -> tuple[sp.Expr, sp.Symbol]:
    """The extremal function (H0/H1)(cosh(√H1·w) − 1) (f'' = H0 + H1 f) as ``(expr, w)``.

    >>> cosh_function(2, 0)
    (w**2, w)
    """
    checked(H0=(H0, NONNEG), H1=(H1, NONNEG))
    H0s, H1s = _exact(H0), _exact(H1)
    if not is_symbolic(H1) and float(H1) == 0:
        return H0s / 2 * W**2, W
    return H0s / H1s * (sp.cosh(sp.sqrt(H1s) * W) - 1), W


def pl_hard_start(H1: float, mu: float, gap0: float) -> float:
    """The w0 >= 0 with pl_hard_function(·, H1, mu)(w0) = gap0 (float).

    >>> pl_hard_start(1.0, 2.0, 1.0)
    1.0
    """
    checked(H1=(H1, NONNEG), mu=(mu, POS), gap0=(gap0, NONNEG))
    if H1 == 0 or gap0 == 0:
        return math.sqrt(2.0 * gap0 / mu)
    log_r = math.log(H1) + math.log(gap0) - math.log(mu)  # r = H1·gap0/μ may over- or underflow
    if log_r <= -math.log(2.0):
        return math.sqrt(2.0 * gap0 / mu)
    log_term = log_r + math.log1p(0.5 * math.exp(-log_r)) if log_r > 1.0 else math.log(math.exp(log_r) + 0.5)
    return (1.0 + log_term) / math.sqrt(H1)


def cosh_start(H0: float, H1: float, gap0: float) -> float:
    """The w0 >= 0 with cosh_function(H0, H1)(w0) = gap0 (float).

    >>> round(cosh_start(1.0, 1.0, math.cosh(1.0) - 1.0), 12)
    1.0
    """
    checked(H0=(H0, POS), H1=(H1, NONNEG), gap0=(gap0, NONNEG))
    if H1 == 0:
        return math.sqrt(2.0 * gap0 / H0)
    return acosh_1p_ratio(H1, gap0, H0) / math.sqrt(H1)


def pl_hard_numeric(H1: float, mu: float) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """Float64 ``(f, f')`` of the hard function, for GD runs (no sympy in the loop).

    >>> f, df = pl_hard_numeric(1.0, 2.0)
    >>> f(1.0), df(1.0)
    (1.0, 2.0)
    """
    checked(H1=(H1, NONNEG), mu=(mu, POS))
    if H1 == 0:
        return (lambda x: 0.5 * mu * x * x), (lambda x: mu * x)
    r = math.sqrt(H1)

    def f(x: float) -> float:
        ax = abs(x)
        return 0.5 * mu * x * x if ax * r <= 1.0 else (mu / H1) * math.exp(r * ax - 1.0) - mu / (2.0 * H1)

    def df(x: float) -> float:
        ax = abs(x)
        return mu * x if ax * r <= 1.0 else math.copysign((mu / r) * math.exp(r * ax - 1.0), x)

    return f, df


def cosh_numeric(H0: float, H1: float) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """Float64 ``(f, f')`` of the cosh function (H0/H1)(cosh(√H1·w) − 1), for GD runs (no sympy in the loop).

    Evaluated as (2H0/H1)·sinh²(√H1·w/2), which has no cancellation near the minimiser (cosh − 1 would
    overstate f there); f'(w) = (H0/√H1)·sinh(√H1·w). H1 = 0 gives (H0/2)w².

    >>> f, df = cosh_numeric(1.0, 1.0)
    >>> round(f(1.0) - (math.cosh(1.0) - 1.0), 15), round(df(1.0) - math.sinh(1.0), 15)
    (0.0, 0.0)
    """
    checked(H0=(H0, NONNEG), H1=(H1, NONNEG))
    if H1 == 0:
        return (lambda x: 0.5 * H0 * x * x), (lambda x: H0 * x)
    r = math.sqrt(H1)

    def f(x: float) -> float:
        return 2.0 * H0 / H1 * math.sinh(0.5 * r * x) ** 2

    def df(x: float) -> float:
        return H0 / r * math.sinh(r * x)

    return f, df
