"""Relations of (H0,H1)-smoothness to other smoothness classes.

* ``from_l_smooth(L)`` — Prop B.1 (v2): an L-smooth f (‖∇f(x) − ∇f(y)‖ <= L‖x − y‖,
  equivalently ‖∇²f‖₂ <= L for twice differentiable f) is (L, 0)-smooth.
* ``from_l0_l1(L0, L1, x0=1)`` — (L0,L1)-smoothness (Zhang et al. 2020:
  ‖∇²f(w)‖₂ <= L0 + L1·‖∇f(w)‖₂ for all w) of a function bounded below implies
  (H0,H1)-smoothness.  The paper states such an inclusion with constants involving
  the omega constant W(1); those constants are unknown here, so **the constants
  below are the toolkit's own derivation** (claim "Lemma (L0,L1)⇒(H0,H1)").

Derivation of ``from_l0_l1`` (f twice continuously differentiable, f* > −∞, L1 > 0,
a = L0/L1).  Fix w with g = ‖∇f(w)‖ > 0, u = −∇f(w)/g, G(s) = ‖∇f(w + s·u)‖,
ψ(s) = f(w + s·u) − f* >= 0.

1. G(s) <= g + ∫₀ˢ ‖∇²f‖ <= g + ∫₀ˢ (L0 + L1·G), so by Grönwall's integral lemma
   G(s) + a <= (g + a)·e^{L1 s}.
2. ψ'' = uᵀ∇²f u <= L0 + L1·G <= L1(g + a)e^{L1 s}; integrating twice from
   ψ(0) = Δ, ψ'(0) = −g:  0 <= ψ(s) <= Δ − g s + (g + a)(e^{L1 s} − 1 − L1 s)/L1.
3. At s = log(1 + x0)/L1, x0 ∈ (0, 1]:  L1·Δ >= m·g − a·r with
   m = 2·log(1 + x0) − x0 > 0 and r = x0 − log(1 + x0) >= 0.
4. ‖∇²f(w)‖ <= L0 + L1·g <= L0 + L1(L1Δ + a r)/m = H0 + H1·Δ with

       H0 = L0·log(1 + x0) / (2·log(1 + x0) − x0),   H1 = L1² / (2·log(1 + x0) − x0).

x0 trades H0 against H1: x0 = 1 (default) minimises H1: H0 ≈ 1.7943·L0,
H1 ≈ 2.5887·L1²; x0 -> 0 gives H0 -> L0, H1 -> ∞.  For L1 = 0 the function is
L0-smooth and (L0, 0) is returned (Prop B.1).  These constants are valid, not
tight: exp(w) is (0, 1)-(L0,L1)-smooth and (0, 1)-(H0,H1)-smooth, the rule gives
(0, 2.5887).
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = ["from_l_smooth", "from_l0_l1"]


def from_l_smooth(L: Any) -> HSmooth:
    """Prop B.1 (v2): an L-smooth function is (L, 0)-smooth.

    ‖∇²f(w)‖₂ <= L <= L + 0·(f(w) − f*).

    >>> from_l_smooth(3.0)
    HSmooth(H0=3.0, H1=0.0)
    >>> import sympy as sp
    >>> from_l_smooth(sp.Symbol("L", nonnegative=True))
    HSmooth(H0=L, H1=0)
    """
    L = check_scalar("L", L, low=0)
    return HSmooth(L, sp.Integer(0) if isinstance(L, sp.Basic) else 0.0)


def from_l0_l1(L0: Any, L1: Any, *, x0: Any = 1) -> HSmooth:
    """(L0,L1)-smooth and bounded below ⇒ (H0,H1)-smooth (toolkit's own constants).

    H0 = L0·log(1 + x0)/(2 log(1 + x0) − x0), H1 = L1²/(2 log(1 + x0) − x0) for a
    free parameter x0 ∈ (0, 1] (default 1: H0 = L0·log2/(2log2 − 1),
    H1 = L1²/(2log2 − 1)).  For numeric L1 = 0 returns (L0, 0) (Prop B.1).  The
    paper's own constants (involving W(1)) are unknown; see the module docstring for
    the derivation, proved step by step in claim "Lemma (L0,L1)⇒(H0,H1)".

    >>> c = from_l0_l1(1.0, 1.0)
    >>> round(c.H0, 4), round(c.H1, 4)
    (1.7943, 2.5887)
    >>> from_l0_l1(2.0, 0.0)
    HSmooth(H0=2.0, H1=0.0)
    >>> import sympy as sp
    >>> L0, L1 = sp.symbols("L0 L1", nonnegative=True)
    >>> from_l0_l1(L0, L1)
    HSmooth(H0=L0*log(2)/(-1 + 2*log(2)), H1=L1**2/(-1 + 2*log(2)))
    """
    L0 = check_scalar("L0", L0, low=0)
    L1 = check_scalar("L1", L1, low=0)
    x0 = check_scalar("x0", x0, low=0, high=1, low_open=True)
    if any(isinstance(v, sp.Basic) for v in (L0, L1, x0)):
        L0, L1, x0 = map(to_sympy, (L0, L1, x0))
        if isinstance(x0, sp.Float) and float(x0).is_integer():
            x0 = sp.Integer(int(x0))
        m = 2 * sp.log(1 + x0) - x0
        return HSmooth(L0 * sp.log(1 + x0) / m, L1**2 / m)
    if L1 == 0.0:
        return HSmooth(L0, 0.0)
    lg = math.log1p(x0)
    m = 2.0 * lg - x0
    return HSmooth(L0 * lg / m, L1 * L1 / m)
