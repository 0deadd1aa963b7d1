"""Gallery of test functions with HAND-DERIVED (H0,H1)-frontier facts (Definition 3.1, v2).

Each :class:`GalleryEntry` holds a sympy expression in ``w`` (or ``x, y``), its
infimum f*, whether f* is attained, whether f is (H0,H1)-smooth for some
constants, and — where a closed form exists — φ(H1) = sup_w(|f''| − H1(f − f*))
as a Python function of H1 (``math.inf`` for "no H0 works").  The derivations
are written out in ``derivation``; none of them is produced by
:func:`warmup_theory.theory.certify.certify` (tests compare certify against them).

Hand derivations (u = w² >= 0 where used):

* ``quadratic`` (a/2)w², a = 3: f'' = a, f − f* = (a/2)w²; a − H1(a/2)w² <= a,
  equality at 0: φ ≡ a.
* ``exp`` e^w: f* = 0 not attained (w -> −∞); f'' = f, so f'' − H1 f = (1 − H1)e^w:
  sup = 0 (approached at −∞) if H1 >= 1, +∞ if H1 < 1.
* ``logcosh`` log cosh w: f* = 0 at 0; f'' = sech²w ∈ (0, 1]; both sech²w and
  −H1·log cosh w are maximal at w = 0: φ ≡ 1.
* ``logistic`` log(1 + e^{−w}): f* = 0, not attained (w -> +∞); f'' = σ(w)σ(−w)
  <= 1/4 (at 0), so φ(0) = 1/4.  With v = e^{−w}: f'' = v/(1+v)² <= v/(1+v)
  <= log(1+v) = f, so φ(H1) = 0 for H1 >= 1 (the sup 0 is the limit at +∞).
  For 0 < H1 < 1 no closed form (tests maximise with mpmath); φ > 0 there, as
  f'' − H1 f ~ (1 − H1)e^{−w} > 0 for large w.
* ``cosh_extremal`` (H0/H1)(cosh(√H1 w) − 1) with H0 = 2, H1 = 1/4, i.e.
  8(cosh(w/2) − 1): f'' = H0 cosh(√H1 w) = H0 + H1 f exactly, so for H1' the
  function f'' − H1' f = H0 + (H1 − H1') f: φ(H1') = H0 = 2 for H1' >= 1/4, +∞ below.
* ``quartic`` w⁴: 12u − H1u² is maximal at u = 6/H1: φ(H1) = 36/H1 (H1 > 0), +∞ at 0.
* ``double_well`` (w² − 1)², f* = 0 at ±1, f'' = 12u − 4 changes sign.  Branch
  u >= 1/3: 12u − 4 − H1(u − 1)² is maximal at u = 1 + 6/H1: 8 + 36/H1.  Branch
  u < 1/3: 4 − 12u − H1(u − 1)² <= 4 − H1(2/3)² < 8 (u in [0, 1/3)).  Hence
  φ(H1) = 8 + 36/H1 (H1 > 0), +∞ at 0.
* ``quartic_plus_quadratic`` w⁴ + (3/2)w²: 12u + 3 − H1(u² + 3u/2) =
  3 + (12 − 3H1/2)u − H1u²: maximal at u = (12 − 3H1/2)/(2H1) if H1 < 8, giving
  3 + (12 − 3H1/2)²/(4H1); for H1 >= 8 the maximum is 3 at u = 0.
* ``exp_sq`` e^{w²}: f* = 1 at 0; f''/(f − 1) = (4w² + 2)e^{w²}/(e^{w²} − 1) -> ∞:
  NOT (H0,H1)-smooth for any constants.
* ``exp_exp`` e^{e^w}: f* = 1 not attained (w -> −∞); f''/f = e^{2w} + e^w -> ∞ as
  w -> ∞: NOT smooth.
* ``oscillating`` w²(1 + sin w): f* = 0 (at w = 0 and at w = 3π/2 + 2πk);
  f'' = 2(1 + sin w) + 4w cos w − w² sin w equals w_k² at w_k = 3π/2 + 2πk where
  f − f* = 0: |f''| − H0 − H1·0 -> ∞: NOT smooth (unbounded oscillating curvature).
* ``wiggly_quadratic`` w² + sin(w²): f* = 0 at 0 (sin u >= −u).  f'' = 2 + 2cos u
  − 4u sin u.  At u = 3π/2 + 2πk: f'' = 2 + 4u, f = u − 1, so f'' − H1 f =
  (4 − H1)u + 2 + H1 -> ∞ when H1 < 4: φ(H1) = +∞ for H1 < 4.  For H1 >= 4:
  |f''| <= 4 + 4u and H1 f >= 4(u − 1), so φ(H1) <= 8 (smooth, with unbounded
  curvature).  At w = 0: f'' = 4, f − f* = 0, so φ(H1) >= 4.  Hence 4 <= φ(H1) <= 8
  for H1 >= 4 (exact value not derived).
* ``sep_logcosh`` (2-D) log cosh x + log cosh y: ∇²f = diag(sech²x, sech²y),
  ||∇²f||₂ = max(sech²x, sech²y) <= 1, = 1 at 0 where f = f* = 0: φ ≡ 1.
* ``quad_form`` (2-D) x² + xy + y²: constant Hessian [[2, 1], [1, 2]], eigenvalues
  1 and 3: φ ≡ 3, f* = 0 at 0.

>>> from warmup_theory.theory.gallery import GALLERY
>>> GALLERY["quartic"].phi(2.0)
18.0
>>> sorted(n for n, e in GALLERY.items() if e.smooth is False)
['exp_exp', 'exp_sq', 'oscillating']
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

__all__ = ["GalleryEntry", "GALLERY", "w", "x", "y"]

w = sp.Symbol("w", real=True)
x, y = sp.symbols("x y", real=True)
INF = math.inf


@dataclass(frozen=True)
class GalleryEntry:
    """A test function with hand-derived facts; ``phi`` is None where no closed form is known."""

    name: str
    expr: sp.Expr
    symbols: tuple
    f_star: float
    attained: bool
    smooth: bool
    phi: Callable[[float], float] | None
    derivation: str


def _e(name, expr, symbols, f_star, attained, smooth, phi, derivation) -> tuple[str, GalleryEntry]:
    return name, GalleryEntry(name, expr, symbols, f_star, attained, smooth, phi, derivation)


GALLERY: dict[str, GalleryEntry] = dict([
    _e("quadratic", sp.Rational(3, 2) * w**2, (w,), 0.0, True, True, lambda h: 3.0,
       "f'' = 3; 3 − H1·(3/2)w² <= 3 with equality at 0"),
    _e("exp", sp.exp(w), (w,), 0.0, False, True, lambda h: 0.0 if h >= 1 else INF,
       "f'' − H1 f = (1 − H1)e^w"),
    _e("logcosh", sp.log(sp.cosh(w)), (w,), 0.0, True, True, lambda h: 1.0,
       "sech² and −H1 log cosh both maximal at 0"),
    _e("logistic", sp.log(1 + sp.exp(-w)), (w,), 0.0, False, True,
       lambda h: 0.25 if h == 0 else (0.0 if h >= 1 else None),  # None: no closed form
       "f'' = v/(1+v)² <= v/(1+v) <= log(1+v), v = e^{−w}; f''(0) = 1/4"),
    _e("cosh_extremal", 8 * (sp.cosh(w / 2) - 1), (w,), 0.0, True, True,
       lambda h: 2.0 if h >= 0.25 else INF, "f'' = 2 + f/4 exactly (H0 = 2, H1 = 1/4)"),
    _e("quartic", w**4, (w,), 0.0, True, True, lambda h: 36.0 / h if h > 0 else INF,
       "12u − H1u² max at u = 6/H1"),
    _e("double_well", (w**2 - 1) ** 2, (w,), 0.0, True, True,
       lambda h: 8.0 + 36.0 / h if h > 0 else INF, "branch u >= 1/3 maximal at u = 1 + 6/H1"),
    _e("quartic_plus_quadratic", w**4 + sp.Rational(3, 2) * w**2, (w,), 0.0, True, True,
       lambda h: INF if h == 0 else (3.0 + (12 - 1.5 * h) ** 2 / (4 * h) if h < 8 else 3.0),
       "3 + (12 − 3H1/2)u − H1u²"),
    _e("exp_sq", sp.exp(w**2), (w,), 1.0, True, False, lambda h: INF,
       "f''/(f − 1) -> ∞"),
    _e("exp_exp", sp.exp(sp.exp(w)), (w,), 1.0, False, False, lambda h: INF,
       "f''/f = e^{2w} + e^w -> ∞"),
    _e("oscillating", w**2 * (1 + sp.sin(w)), (w,), 0.0, True, False, lambda h: INF,
       "f'' = w_k² where f = 0, w_k = 3π/2 + 2πk"),
    _e("wiggly_quadratic", w**2 + sp.sin(w**2), (w,), 0.0, True, True,
       lambda h: INF if h < 4 else None, "φ = ∞ for H1 < 4, φ <= 8 for H1 >= 4"),
    _e("sep_logcosh", sp.log(sp.cosh(x)) + sp.log(sp.cosh(y)), (x, y), 0.0, True, True,
       lambda h: 1.0, "||diag(sech²x, sech²y)|| <= 1, = 1 at 0"),
    _e("quad_form", x**2 + x * y + y**2, (x, y), 0.0, True, True, lambda h: 3.0,
       "constant Hessian with eigenvalues 1, 3"),
])
