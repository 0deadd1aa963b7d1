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
  points (exact up to rounding).  The value is a :class:`BoxBracket` (``box`` in its
  repr, str and ``to_dict``): nothing is claimed outside B, ``smooth`` is left
  undecided (None) and ``holds`` gives only its ``on_box`` verdict, except where a
  ray proves a global fact: if vᵀ∇²f(tv)v/|v|² -> ∞ along an axis or a diagonal,
  φ(0) = ∞ on R^d (``sympy.oo``, exact) and ``holds(H0, 0)`` is False.

>>> import sympy as sp
>>> from warmup_theory.theory.certify import certify
>>> x, y = sp.symbols("x y", real=True)
>>> c = certify(x**2 + x*y + y**2, x, y)          # A = [[2, 1], [1, 2]], ||A|| = 3
>>> c.min_H0(5.0).value, c.f_star
(3, 0)
>>> q = certify(x**4 + y**4, x, y)                 # φ(0) = ∞ on R² (along the x-axis 12t² -> ∞)
>>> q.min_H0(0.0).value, q.holds(1e3, 0.0).state
(oo, 'false')
>>> type(q.min_H0(1.0).value).__name__, q.holds(1e3, 1.0).state
('BoxBracket', 'undecided')
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.certify import results as cres
from warmup_theory.theory.certify.one_dim_tools import _lim
from warmup_theory.theory.certify.results import BOX, EXACT, UNCERT, Answer, BoxBracket, Bracket, Certificate, Verdict

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

    @functools.cached_property
    def ray(self) -> str:
        """A ray t·v (v an axis or a diagonal) along which the curvature vᵀ∇²f(tv)v/|v|² -> ∞ (sympy
        limit), as a sentence; "" if none is found.  ‖∇²f(tv)‖₂ >= |vᵀ∇²f(tv)v|/|v|², so then
        φ(0) = sup ‖∇²f‖ = ∞ on R^d, whatever f* is."""
        t = sp.Symbol("t", real=True)
        d = len(self.ws)
        dirs = [tuple(1 if j == i else 0 for j in range(d)) for i in range(d)]
        dirs += [tuple(1 if j == i else (sgn if j == k else 0) for j in range(d))
                 for i in range(d) for k in range(i + 1, d) for sgn in (1, -1)]
        for v in dirs:
            sub = {x: vi * t for x, vi in zip(self.ws, v)}
            vv = sp.Matrix(v)
            curv = sp.expand((vv.T * self.H.subs(sub) * vv)[0, 0] / sum(c * c for c in v))
            for end in (sp.oo, sp.S.NegativeInfinity):
                lim = _lim(curv, t, end)
                if lim in (sp.oo, sp.S.NegativeInfinity):
                    return (f"along w = t·{v}, t -> {end}: vᵀ∇²f v/|v|² = {curv} -> {lim} (sympy), "
                            "and ‖∇²f‖₂ >= |vᵀ∇²f v|/|v|²")
        return ""

    def phi(self, H1: Any) -> Answer:
        """φ(H1) = sup_w(‖∇²f(w)‖₂ − H1·(f(w) − f*)): exact for quadratics, ``oo`` at H1 = 0 when a
        ray proves it (:attr:`ray`), else a :class:`BoxBracket` over the certification box only."""
        if self.quadratic:
            return Answer(self.norm, EXACT, "constant Hessian: φ(H1) = ||A||₂ for every H1")
        if isinstance(H1, sp.Basic) and H1.free_symbols:
            raise NotImplementedError("φ(H1) with a symbolic H1 is supported in 2-3 variables only for "
                                      "quadratics (constant Hessian); pass a number H1 for a box bracket")
        if float(H1) == 0.0 and self.ray:
            return Answer(sp.oo, EXACT, "φ(0) = oo on R^d: " + self.ray)
        lo, up = self._phi_box(float(H1), 1e-4)
        meth = BOX if math.isfinite(up) and self.fstar_method != UNCERT else UNCERT
        return Answer(BoxBracket(lo, up, box=self.box), meth,
                      f"on the box {self.box} only: f* and the supremum are taken over the box")

    @functools.lru_cache(maxsize=128)  # noqa: B019
    def _phi_box(self, H1: float, tol: float, H0: float | None = None) -> tuple[float, float]:
        h = civ.to_iv(cres.rational(H1))

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
            ok = cres.rational(H0) >= self.norm
            return Answer(sp.Integer(0) if ok else sp.oo, EXACT, "constant Hessian")
        def decide(h: float, h0: float) -> bool | None:
            lo, up = self._phi_box(h, 1e-4, h0)
            return True if up <= h0 else False if lo > h0 else None
        a = cres.bisect_min_h1(decide, H0, None, BOX, rtol=1e-3)
        if isinstance(a.value, Bracket):
            return Answer(BoxBracket(a.value.lower, a.value.upper, box=self.box), a.method,
                          f"on the box {self.box} only; " + a.note)
        return Answer(a.value, a.method, f"on the box {self.box} only; " + a.note)

    def holds(self, H0: float, H1: float) -> Verdict:
        """Whether ‖∇²f‖ <= H0 + H1·(f − f*) on R^d, as a :class:`Verdict`.

        Quadratics: decided exactly.  Otherwise the box verdict (``on_box``) is not a global one: the
        global value is False only where the box proves it — H1 = 0 and a ray with unbounded
        curvature, or H1 = 0 and ‖∇²f(p)‖ > H0 at an evaluated point p (float64 eigenvalues, with a
        1e-9 relative margin for rounding) — and undecided otherwise.
        """
        a = self.phi(H1)
        if a.method == EXACT:
            if a.value is sp.oo:
                return Verdict(False, a.note)
            return Verdict(bool(cres.rational(H0) >= a.value), f"φ({H1!r}) = {a.value} exactly ({a.note})")
        on_box: bool | None = None
        lo = up = math.nan
        for tol in (1e-4, 1e-7):
            lo, up = self._phi_box(H1, tol)
            if H0 >= up:
                on_box = True
                break
            if H0 < lo:
                on_box = False
                break
        glob: bool | None = None
        why = f"box bracket [{lo!r}, {up!r}] of φ_box({H1!r}); nothing is known outside the box"
        if on_box is False and H1 == 0 and H0 < lo * (1 - 1e-9):
            glob, why = False, f"H1 = 0 and ‖∇²f‖ >= {lo!r} > H0 at a point of the box"
        return Verdict(glob, why, on_box=on_box, box=self.box)


def build_nd(f: sp.Expr, ws: tuple, symbols: tuple, original: sp.Expr) -> Certificate:
    """Certificate of (H0,H1)-smoothness for f of 2–3 variables (box brackets; see :class:`EngineND`)."""
    eng = EngineND(f, ws)
    fstar = eng.fstar if eng.quadratic else BoxBracket(*eng.fbr, box=eng.box)
    return Certificate(
        expr=original, symbols=symbols, f_star=fstar, f_star_method=eng.fstar_method,
        f_star_attained=eng.attained, smooth=eng.smooth, smooth_reason=eng.smooth_reason,
        curvature=eng.norm_expr if len(ws) == 2 or eng.quadratic else None,
        method=EXACT if eng.quadratic else BOX, box=None if eng.quadratic else eng.box, _engine=eng)
