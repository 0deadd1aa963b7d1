"""Certify the (H0,H1)-smoothness frontier of a sympy expression (Definition 3.1, v2).

For f : R^d -> R (d = 1, 2, 3), twice differentiable and bounded below with
f* = inf f (attained or not), the valid pairs are {(H0, H1) : H0 >= φ(H1)} with

    φ(H1) = sup_w ( ||∇²f(w)||₂ − H1·(f(w) − f*) ),   H1 >= 0,

||·||₂ the spectral norm (largest |eigenvalue|; |f''| in one variable).  φ is
convex and non-increasing (a supremum of affine, non-increasing functions of H1)
and φ >= 0 (along a minimising sequence f − f* -> 0).  ``min_H0(H1)`` = φ(H1);
``min_H1(H0)`` = inf{H1 : φ(H1) <= H0} (attained: φ is lower semicontinuous).
f is (H0,H1)-smooth for SOME constants iff sup_w ||∇²f||/(1 + f − f*) < ∞.

How each answer is obtained (``Answer.method``):

* ``"exact"`` — sympy: one variable, f* from the real critical points of f'
  (``solveset``, finite set) and the limits at ±∞; φ(H1) from the real roots of
  f'' (finite set), on each piece between them the critical points of
  ±f'' − H1(f − f*) (finite set), the values at the roots of f'', and the
  limits at ±∞ (so suprema approached only at infinity are found).  Quadratics
  in 2–3 variables: constant Hessian, φ ≡ ||A||₂.  Answers ``sympy.oo`` when the
  supremum is infinite (limit +∞, or f proven not (H0,H1)-smooth).
* ``"bracket"`` — a certified bracket ``[lower, upper]`` containing the true value
  (one variable): interval arithmetic (``mpmath.iv``, outward rounding) in a
  best-first branch-and-bound over the WHOLE real line (boxes [-R, R] bisected,
  tails [a, ∞) split dyadically; each box enclosed by several algebraic forms
  and a centred form).  ``upper`` is rigorous on all of R; ``lower`` is a
  rigorously evaluated point value (or an exact sympy limit at ±∞).
* ``"box-bracket"`` — two or three variables: the same bracket, but both the
  infimum f* and the supremum defining φ are taken over the stated box
  ``[-R, R]^d`` only (``Certificate.box``); nothing is claimed outside it.  The
  upper bound encloses the spectral norm by interval arithmetic on the closed
  form |a+c|/2 + sqrt(((a−c)/2)² + b²) (d = 2) or on the Frobenius norm (d = 3);
  the lower bound uses float64 eigenvalues (numpy) at evaluated points, exact
  up to float rounding only.
* ``"uncertified"`` — no rigorous upper bound could be obtained (e.g. an
  interval enclosure diverges on a tail); ``lower`` is still valid.

Functions ML uses — softplus, logistic and cross-entropy losses, log-sum-exp, sigmoids, log cosh —
are first rewritten exactly into stable primitives (:mod:`~warmup_theory.theory.certify.stable`:
``LogSumExp``, ``Softmax``, ``LogCosh``) whose derivatives have no ∞/∞ forms on the tails, so the
interval bounds close on unbounded boxes; sympy's limits and solvers see the elementary form.  Each
sympy call runs under a time limit (a call that runs out counts as "not found": it costs speed,
never a certified value).

Results are :class:`Answer` values.  In two or three variables a non-quadratic answer is a
:class:`BoxBracket` (its ``box`` printed in every form), never a global value, and ``smooth`` is
None; the one global fact taken from rays is φ(0) = ∞ (curvature unbounded along an axis or diagonal).
``holds(H0, H1)`` returns a three-valued :class:`Verdict`
(True / False proven, or undecided; ``bool()`` of an undecided verdict raises
:class:`UndecidedError`, a ValueError).  A symbolic H1 works where sympy finds φ in closed form and
raises ``NotImplementedError`` saying so otherwise.  Float arguments H0, H1 are read as their
shortest round-trip decimal (0.3 -> 3/10); Float coefficients inside ``expr`` likewise
(``sympy.nsimplify``-free, via ``repr``).

>>> import sympy as sp
>>> w = sp.Symbol("w", real=True)
>>> c = certify(w**4, w)
>>> c.f_star, c.f_star_attained, c.smooth
(0, True, True)
>>> a = c.min_H0(2.0)                  # φ(H1) = 36/H1 (max of 12w² − H1·w⁴ at w² = 6/H1)
>>> a.value, a.method
(18, 'exact')
>>> bool(c.holds(18.0, 2.0)), bool(c.holds(17.9, 2.0))
(True, False)
>>> q1 = certify(sp.log(1 + sp.exp(w)) + w**2/10, w)   # issue 15, question 1
>>> a = q1.min_H0(0.0)                   # φ(0) = 1/5 + 1/4 (sigmoid'(0) = 1/4)
>>> a.method, a.lower <= 0.45 <= a.upper, a.upper - a.lower < 1e-6
('bracket', True, True)
>>> q1.holds(0.46, 0.0).state, q1.holds(0.44, 0.0).state
('true', 'false')
>>> e = certify(sp.exp(w), w)          # f* = 0 not attained; φ = 0 for H1 >= 1, oo below
>>> e.f_star, e.f_star_attained, e.min_H0(0.5).value, e.min_H0(1.0).value
(0, False, oo, 0)
>>> certify(sp.exp(w**2), w).smooth
False
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from warmup_theory.theory.certify.results import (
    BOX,
    BRACKET,
    EXACT,
    UNCERT,
    Answer,
    BoxBracket,
    Bracket,
    Certificate,
    UndecidedError,
    Verdict,
    rational,
)

__all__ = ["Answer", "Bracket", "BoxBracket", "Certificate", "UndecidedError", "Verdict", "certify",
           "BOX", "BRACKET", "EXACT", "UNCERT"]


def certify(expr: Any, *symbols: sp.Symbol) -> Certificate:
    """Certificate of the (H0,H1)-smoothness frontier of ``expr`` in ``symbols`` (1 to 3).

    Raises ``TypeError`` if ``expr`` is not a sympy expression, ``ValueError`` naming
    ``symbols`` if they do not match the free symbols of ``expr`` (or are more than 3),
    and ``ValueError`` naming ``expr`` if f is unbounded below.

    >>> import sympy as sp
    >>> w = sp.Symbol("w", real=True)
    >>> certify(sp.log(1 + sp.exp(-w)), w).f_star_attained
    False
    """
    if not isinstance(expr, sp.Expr):
        raise TypeError(f"expr must be a sympy expression, got {type(expr).__name__}")
    if not symbols:
        raise ValueError("symbols must list the variables of expr (1 to 3 sympy Symbols), got none")
    if not all(isinstance(s, sp.Symbol) for s in symbols) or len(set(symbols)) != len(symbols):
        raise ValueError(f"symbols must be distinct sympy Symbols, got {symbols}")
    if len(symbols) > 3:
        raise ValueError(f"symbols: at most 3 variables are supported, got {len(symbols)}")
    if expr.free_symbols != set(symbols) and not (not expr.free_symbols and len(symbols) == 1):
        raise ValueError(f"symbols {symbols} must be exactly the free symbols of expr "
                         f"{sorted(map(str, expr.free_symbols))}")
    if expr.has(sp.I, sp.zoo, sp.nan, sp.oo, sp.Piecewise):
        raise ValueError(f"expr must be a real, finite, piecewise-free expression, got {expr}")
    # work with real symbols, so that sympy knows w is real
    real = tuple(sp.Symbol(s.name, real=True) for s in symbols)
    e = expr.xreplace(dict(zip(symbols, real)))
    e = e.xreplace({x: rational(float(x)) for x in e.atoms(sp.Float)})
    return _certify_cached(e, real, tuple(symbols), expr)


@functools.lru_cache(maxsize=128)
def _certify_cached(e: sp.Expr, real: tuple, symbols: tuple, original: sp.Expr) -> Certificate:
    if len(real) == 1:
        from warmup_theory.theory.certify.one_dim import build_1d
        return build_1d(e, real[0], symbols, original)
    from warmup_theory.theory.certify.multi_dim import build_nd
    return build_nd(e, real, symbols, original)
