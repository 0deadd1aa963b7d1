"""Two- and three-variable engine of :func:`warmup_theory.theory.certify.certify`.

* Quadratics (constant Hessian A): f bounded below iff A is positive semidefinite
  and ∇f(w) = 0 is solvable; then f* = f(w0) (attained) and φ(H1) = ||A||₂ for
  every H1 >= 0 (sup of ||A|| − H1(f − f*) is at w0).  Method ``exact``.
* Anything else: ``box-bracket`` on the box B = [-R, R]^d (R = 4): f*_B = inf_B f
  and φ_B(H1) = sup_B(||∇²f|| − H1(f − f*_B)) are bracketed by interval
  branch-and-bound.  Upper bounds are rigorous on B (interval enclosure of the
  spectral norm: closed form |a+c|/2 + sqrt(((a−c)/2)² + b²) for d = 2, the
  Frobenius norm for d = 3, which can exceed ||·||₂ by up to sqrt(3), so d = 3
  brackets can stay wide); lower bounds are float64 eigenvalues at evaluated
  points (exact up to rounding).  Nothing is claimed outside B, and ``smooth`` is
  left undecided (None).

>>> import sympy as sp
>>> from warmup_theory.theory.certify import certify
>>> x, y = sp.symbols("x y", real=True)
>>> c = certify(x**2 + x*y + y**2, x, y)          # A = [[2, 1], [1, 2]], ||A|| = 3
>>> c.min_H0(5.0).value, c.f_star
(3, 0)
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.certify.results import (
    BOX,
    EXACT,
    UNCERT,
    Answer,
    Bracket,
    Certificate,
    bisect_min_h1,
    rational,
)

__all__ = ["build_nd"]


class EngineND:
    """Holds f of 2–3 variables and its Hessian; answers φ(H1), min_H1(H0), holds(H0, H1) on a box
    (the answer is a box bracket: it does not certify a global property)."""

    def __init__(self, f: sp.Expr, ws: tuple) -> None:
        self.f, self.ws = f, ws
        self.H = sp.hessian(f, ws)
        self.box = tuple((-4.0, 4.0) for _ in ws)
        self.quadratic = all(not e.free_symbols for e in self.H)
        self.smooth: bool | None = None
        self.smooth_reason = "undecided: only a box is examined for d >= 2"
        self.attained: bool | None = None
        if self.quadratic:
            self._quadratic()
            return
        self.norm_expr = self._norm_expr()
        self.iv_f = civ.compile_iv(f, ws)
        if len(ws) == 2:
            self.iv_norm = civ.compile_iv(self.norm_expr, ws)
        else:  # min of the Frobenius and Gershgorin (max absolute row sum) bounds
            entries = [[civ.compile_iv(self.H[i, j], ws) for j in range(3)] for i in range(3)]

            def norm3(*xs):
                m = [[entries[i][j](*xs) for j in range(3)] for i in range(3)]
                frob = civ.hi(iv.sqrt(sum((abs(m[i][j]) ** 2 for i in range(3) for j in range(3)), iv.mpf(0))))
                gersh = max(civ.hi(abs(m[i][0]) + abs(m[i][1]) + abs(m[i][2])) for i in range(3))
                return iv.mpf([0, min(frob, gersh)])
            self.iv_norm = norm3
        self.np_f = sp.lambdify(ws, f, "numpy")
        self.np_H = sp.lambdify(ws, self.H, "numpy")
        res = civ.maximize_box(lambda *x: -self.iv_f(*x),
                               lambda p: civ.lo(-self.iv_f(*(iv.mpf(t) for t in p))),
                               self.box, tol=1e-9, max_boxes=3000)
        self.fbr = (-res.upper, -res.lower)
        self.fstar_method = BOX if math.isfinite(res.upper) else UNCERT

    def _norm_expr(self) -> sp.Expr:
        H = self.H
        if H.shape == (2, 2):
            a, b, c = H[0, 0], H[0, 1], H[1, 1]
            return sp.Abs(a + c) / 2 + sp.sqrt(((a - c) / 2) ** 2 + b**2)
        return sp.sqrt(sum(e**2 for e in H))

    def _quadratic(self) -> None:
        A = np.array(self.H.tolist(), dtype=float)
        ev = [sp.nsimplify(v) for v in sp.Matrix(self.H).eigenvals(multiple=True)]
        if any(sp.N(v) < 0 for v in ev):
            raise ValueError(f"expr {self.f} is unbounded below (its constant Hessian has a negative "
                             "eigenvalue); (H0,H1)-smoothness needs f bounded below")
        sol = sp.solve(list(sp.Matrix([self.f]).jacobian(self.ws)), self.ws, dict=True)
        if not sol:
            raise ValueError(f"expr {self.f} is unbounded below (no critical point of a convex "
                             "quadratic); (H0,H1)-smoothness needs f bounded below")
        pt = {s: sol[0].get(s, 0) for s in self.ws}
        self.fstar = sp.simplify(self.f.subs(pt))
        self.fbr = (float(self.fstar), float(self.fstar))
        self.fstar_method = EXACT
        self.attained = True
        self.norm = sp.Max(*[sp.Abs(v) for v in ev]) if ev else sp.Integer(0)
        self.norm_expr = self.norm
        self.smooth, self.smooth_reason = True, f"constant Hessian: φ ≡ ||A||₂ = {self.norm}"
        del A

    def phi(self, H1: Any) -> Answer:
        """φ(H1) = sup_w(‖∇²f(w)‖₂ − H1·(f(w) − f*)) over the certification box, as an :class:`Answer`."""
        if self.quadratic:
            return Answer(self.norm, EXACT, "constant Hessian: φ(H1) = ||A||₂ for every H1")
        if isinstance(H1, sp.Basic) and H1.free_symbols:
            raise NotImplementedError("symbolic H1 is supported for d >= 2 only for quadratics")
        lo, up = self._phi_box(float(H1), 1e-4)
        meth = BOX if math.isfinite(up) and self.fstar_method != UNCERT else UNCERT
        return Answer(Bracket(lo, up), meth, f"on the box {self.box}")

    @functools.lru_cache(maxsize=128)  # noqa: B019
    def _phi_box(self, H1: float, tol: float, H0: float | None = None) -> tuple[float, float]:
        h = civ.to_iv(rational(H1))

        def upper(*x):
            return self.iv_norm(*x) - h * self.iv_f(*x)

        def point(p):
            Hm = np.array(self.np_H(*p), dtype=float)
            return float(np.max(np.abs(np.linalg.eigvalsh(Hm)))) - H1 * float(self.np_f(*p))
        stops = {} if H0 is None else dict(stop_below=H0 - H1 * self.fbr[1] - 1e-12 * (1 + abs(H0)),
                                           stop_above=H0 - H1 * self.fbr[0] + 1e-12 * (1 + abs(H0)))
        res = civ.maximize_box(upper, point, self.box, tol=tol, max_boxes=1500, **stops)
        lower = res.lower + H1 * self.fbr[0]
        up = civ.hi(iv.mpf(res.upper) + h * iv.mpf(self.fbr[1])) if math.isfinite(res.upper) else math.inf
        return max(lower, 0.0), max(up, 0.0)

    def min_h1(self, H0: float) -> Answer:
        """Certified bracket of inf{H1 : φ(H1) <= H0} on the box (bisection on certified decisions)."""
        if self.quadratic:
            ok = rational(H0) >= self.norm
            return Answer(sp.Integer(0) if ok else sp.oo, EXACT, "constant Hessian")
        def decide(h: float, h0: float) -> bool | None:
            lo, up = self._phi_box(h, 1e-4, h0)
            return True if up <= h0 else False if lo > h0 else None
        return bisect_min_h1(decide, H0, None, BOX, rtol=1e-3)

    def holds(self, H0: float, H1: float) -> bool:
        """Whether ‖∇²f‖ <= H0 + H1·(f − f*) on the box; raises ValueError when undecidable at this precision."""
        a = self.phi(H1)
        if a.method == EXACT:
            return bool(rational(H0) >= a.value)
        for tol in (1e-4, 1e-7):
            lo, up = self._phi_box(H1, tol)
            if H0 >= up:
                return True
            if H0 < lo:
                return False
        raise ValueError(f"H0 = {H0!r} lies inside the box bracket [{lo!r}, {up!r}] of φ({H1!r}); cannot decide")


def build_nd(f: sp.Expr, ws: tuple, symbols: tuple, original: sp.Expr) -> Certificate:
    """Certificate of (H0,H1)-smoothness for f of 2–3 variables (box brackets; see :class:`EngineND`)."""
    eng = EngineND(f, ws)
    fstar = eng.fstar if eng.quadratic else Bracket(*eng.fbr)
    return Certificate(
        expr=original, symbols=symbols, f_star=fstar, f_star_method=eng.fstar_method,
        f_star_attained=eng.attained, smooth=eng.smooth, smooth_reason=eng.smooth_reason,
        curvature=eng.norm_expr if len(ws) == 2 or eng.quadratic else None,
        method=EXACT if eng.quadratic else BOX, box=None if eng.quadratic else eng.box, _engine=eng)
