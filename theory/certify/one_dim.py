"""One-variable engine of :func:`warmup_theory.theory.certify.certify` (see that module for the guarantees).

f* and φ(H1) = sup_w (|f''(w)| − H1(f(w) − f*)) exactly by sympy where it can
(finite real critical-point sets, limits at ±∞), otherwise by the interval
branch-and-bound of :mod:`warmup_theory.theory.certify.interval` over the whole real line.

Non-smoothness (no (H0,H1) valid) is proven by an end of the line where
|f''|/(1 + |f| + |f*|) -> ∞: a sympy limit in w, or, for trigonometric terms
sin/cos(c·w + b), a limit along an explicit sequence w_k = ±(θ + kP) (P a common
period, k integer) on which the trigonometric factors are constant.  Then for any
H0, H1: |f''| − H0 − H1(f − f*) >= |f''| − H0 − H1(|f| + |f*|) -> ∞.

>>> import sympy as sp
>>> from warmup_theory.theory.certify import certify
>>> w = sp.Symbol("w", real=True)
>>> c = certify(w**2 * (1 + sp.sin(w)), w)     # f'' = w² at w = 3π/2 + 2πk where f = 0
>>> c.smooth
False
"""

from __future__ import annotations

import functools
import math
import time
from typing import Any

import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.certify.one_dim_bnb import BranchAndBound1D
from warmup_theory.theory.certify.one_dim_tools import (
    _check_domain,
    _fnum,
    _forms,
    _is_num,
    _lim,
    _lohi_num,
    _simp,
    _solve,
    _tol_default,
    trig_sequence,
)
from warmup_theory.theory.certify.results import (
    BRACKET,
    EXACT,
    UNCERT,
    Answer,
    Bracket,
    Certificate,
    Verdict,
    bisect_min_h1,
    rational,
)
from warmup_theory.theory.certify.stable import elementary, is_stable, normalise, stable_diff

__all__ = ["build_1d"]

_EXACT_SECONDS = 1.0  # past this, a numeric-H1 query stops trying closed forms and bounds by intervals


class Engine1D(BranchAndBound1D):
    """Holds f, its derivatives and f*; answers φ(H1), min_H1(H0), holds(H0, H1)."""

    def __init__(self, f: sp.Expr, w: sp.Symbol) -> None:
        self.f, self.w = f, w
        self._h = sp.Symbol("_h_certify", nonnegative=True)
        self.fs = f
        # interval work uses the stable normal form (theory.certify.stable) where one applies; sympy's
        # limits and solvers get its derivatives rewritten back to elementary functions, which are
        # smaller than sympy's own (e.g. e^w/(1 + e^w)² for softplus'' instead of a difference of two
        # fractions) and several times faster in its limits
        sf = normalise(f, w)
        self.stable = is_stable(sf)
        if self.stable:
            self.bf, sf1 = sf, stable_diff(sf, w)
            self.bf2 = stable_diff(sf1, w)
            sf3 = stable_diff(self.bf2, w)
            self.f1, self.f2, self.f3 = elementary(sf1, True), elementary(self.bf2), elementary(sf3)
            self.flim = elementary(sf, True)  # the same function as f, in the form sympy's limits do fastest
            f2s = self.f2
        else:
            self.f1, self.f2, self.f3 = sp.diff(f, w), sp.diff(f, w, 2), sp.diff(f, w, 3)
            self.flim = f
            f2s = _simp(self.f2)
        self.f2s = f2s
        if f2s.is_nonnegative or self.f2.is_nonnegative or (self.stable and self.bf2.is_nonnegative):
            self.sign = 1
        elif f2s.is_nonpositive or self.f2.is_nonpositive:
            self.sign = -1
        else:
            self.sign = 0
        self.g = self.f2 if self.sign == 1 else -self.f2 if self.sign == -1 else sp.Abs(self.f2)
        if sp.count_ops(f2s) > sp.count_ops(self.f2):
            self.f2s = f2s = self.f2  # keep the smaller form (interval cost, limits)
        if not self.stable:
            self.bf, sf1, self.bf2, sf3 = f, self.f1, self.f2, self.f3
        self.iv_f = civ.compile_iv(self.bf, (w,))
        self.iv_f1 = civ.compile_iv(sf1, (w,))
        self.iv_f2 = civ.compile_iv(self.bf2, (w,))
        self.iv_f3 = civ.compile_iv(sf3, (w,))
        self.fstar: sp.Expr | None = None
        self.fbr = (-math.inf, math.inf)
        self.fstar_method = UNCERT
        self.attained: bool | None = None
        self.minimizers: list[sp.Expr] = []
        self.min_boxes: tuple = ()
        self.smooth: bool | None = None
        self.smooth_reason = ""
        self._exact_hopeless = False
        self._find_fstar()
        self._find_smooth()

    # -- f* -------------------------------------------------------------------------------
    def _find_fstar(self) -> None:
        f, w = self.f, self.w
        lm, lp = _lim(self.flim, w, -sp.oo), _lim(self.flim, w, sp.oo)
        if sp.S.NegativeInfinity in (lm, lp):
            raise ValueError(f"expr {f} is unbounded below (limit -oo at "
                             f"{'-oo' if lm is sp.S.NegativeInfinity else 'oo'}); "
                             "(H0,H1)-smoothness needs f bounded below")
        self.limits = (lm, lp)
        if self.f1 == 0:
            self.fstar, self.attained, self.minimizers = f, True, [sp.Integer(0)]
        else:
            crit = _solve(self.f1, w)
            if crit is not None and lm is not None and lp is not None:
                vals = [_simp(f.subs(w, c)) for c in crit]
                ends = [v for v in (lm, lp) if v is not sp.oo]
                cands = vals + ends
                if cands:
                    fstar = _simp(sp.Min(*cands))
                    if _is_num(fstar):
                        self.fstar = fstar
                        self.minimizers = [c for c, v in zip(crit, vals) if _simp(v - fstar) == 0]
                        self.attained = bool(self.minimizers)
        if self.fstar is not None:
            self.fbr = _lohi_num(self.fstar)
            self.fstar_method = EXACT
            return
        # numeric: sup(-f) by branch and bound
        fns = [civ.compile_iv(-e, (w,)) for e in _forms(self.bf, w)]
        fns.append(civ.mean_value_form(civ.compile_iv(-f, (w,)), lambda x: -self.iv_f1(x)))
        res = civ.maximize_1d(fns, tol=1e-12, max_boxes=4000)
        self.fbr = (-res.upper, -res.lower)
        self.min_boxes = res.candidates
        if math.isinf(res.upper):
            self.fstar_method = UNCERT
            return
        self.fstar_method = BRACKET
        fu = self.fbr[1]
        if all(v is not None and (v is sp.oo or _fnum(v) > fu) for v in (lm, lp)):
            self.attained = True  # both end limits exceed an attained value: inf is attained
        elif res.candidates and all(math.isfinite(a) and math.isfinite(b) for a, b in res.candidates):
            # every box where f may come within the bracket of f* is bounded (all others have
            # f > f*'s upper end on them): inf over R = inf over a compact set, hence attained
            self.attained = True

    # -- smoothness -----------------------------------------------------------------------
    def _find_smooth(self) -> None:
        w, f2 = self.w, self.f2s
        bound = self.iv_f2(iv.mpf(["-inf", "inf"]))
        if math.isfinite(civ.lo(bound)) and math.isfinite(civ.hi(bound)):
            # the stable form's enclosure over the whole line is finite: |f''| <= B on R, so f is (B, 0)-smooth
            B = max(abs(civ.lo(bound)), abs(civ.hi(bound)))
            self.smooth = True
            self.smooth_reason = f"|f''| <= {B:.6g} on R (interval enclosure over the whole line): (H0, 0)-smooth"
            return
        finite_ends = []
        for end, lf in ((sp.oo, self.limits[1]), (sp.S.NegativeInfinity, self.limits[0])):
            if lf is sp.oo:
                r = _lim(f2 / self.flim, w, end)
                why = f"f''/f -> {r} as w -> {end}"
            elif lf is not None:
                r = _lim(f2, w, end)
                why = f"f -> {lf} but f'' -> {r} as w -> {end}"
            else:
                continue
            if r in (sp.oo, sp.S.NegativeInfinity):
                self.smooth, self.smooth_reason = False, "not (H0,H1)-smooth for any constants: " + why
                return
            if r is not None:
                finite_ends.append(why)
        seq = self._trig_sequence()
        if seq:
            self.smooth, self.smooth_reason = False, "not (H0,H1)-smooth for any constants: " + seq
            return
        if len(finite_ends) == 2 and all(map(math.isfinite, self.fbr)):
            # at each end f''/f (f -> oo) or f'' (f bounded) has a finite limit, so |f''|/(1 + f − f*)
            # — continuous on R, denominator >= 1 — has finite limits at both ends: it is bounded
            self.smooth = True
            self.smooth_reason = ("|f''|/(1 + f − f*) is continuous on R with finite limits at ±oo (sympy: "
                                  + "; ".join(finite_ends) + ")")
            return
        for h1 in (1.0, 8.0, 64.0):
            a = self.phi(h1)
            if math.isfinite(a.upper) and a.method != UNCERT:
                self.smooth = True
                self.smooth_reason = f"φ({h1:g}) <= {a.upper:.6g} ({a.method})"
                return
        self.smooth_reason = "undecided: no certified finite φ(H1) for H1 in {1, 8, 64} and no proof of divergence"

    def _trig_sequence(self) -> str:
        return trig_sequence(self.f, self.f2, self.w, self.fbr)

    # -- limits at the ends, cached per engine -------------------------------------------
    @functools.lru_cache(maxsize=64)  # noqa: B019
    def _plim(self, what: str, s: int, end: Any) -> Any:
        """Cached limits: ``g`` = lim s·f'', ``r`` = lim s·f''/f at ``end``."""
        e = s * self.f2s if what == "g" else s * self.f2s / self.flim
        return _lim(e, self.w, end)

    def _end_limit(self, s: int, H1: sp.Expr, end: Any) -> Any:
        """lim of s·f'' − H1·(f − f*) at ``end`` from cached limits of f, s·f'', s·f''/f;
        a direct sympy limit only when these do not decide it (None: unknown)."""
        lf = self.limits[1] if end is sp.oo else self.limits[0]
        lg = self._plim("g", s, end)
        fs = self.fstar if self.fstar is not None else sp.Integer(0)
        if lf is not None and lg is not None and not H1.free_symbols:
            if lf is not sp.oo and lg not in (sp.oo, sp.S.NegativeInfinity):
                return lg - H1 * (lf - fs)
            if lf is not sp.oo:  # f finite, s·f'' -> ±oo
                return lg
            if lg is not sp.oo:  # f -> oo, s·f'' bounded above or -> -oo
                return sp.S.NegativeInfinity if (H1 > 0 or lg is sp.S.NegativeInfinity) else lg
            r = self._plim("r", s, end)  # both -> oo: sign of f·(s f''/f − H1)
            if r is not None and r != H1:
                return sp.oo if (r is sp.oo or r > H1) else sp.S.NegativeInfinity
        return _lim(s * self.f2 - H1 * (self.flim - fs), self.w, end)

    # -- φ --------------------------------------------------------------------------------
    def phi(self, H1: Any) -> Answer:
        """φ(H1) = sup_w(|f''(w)| − H1·(f(w) − f*)): exact when sympy finds it, else a certified bracket."""
        if self.smooth is False:
            return Answer(sp.oo, EXACT, self.smooth_reason)
        if isinstance(H1, sp.Basic) and H1.free_symbols:
            v = None
            if self.fstar is not None:
                try:
                    v = self._phi_exact(H1)
                except (TypeError, ValueError):
                    v = None
            if v is None:
                why = "f* has no closed form (" + self.fstar_method + ")" if self.fstar is None else \
                    "sympy finds no finite set of critical points of |f''| − H1·(f − f*) in H1"
                raise NotImplementedError(
                    f"φ(H1) with a symbolic H1 is supported only where sympy finds it in closed form "
                    f"(f* exact and finitely many critical points, e.g. polynomials, w⁴ -> 36/H1); for {self.f}: "
                    f"{why}. Pass a number H1 for a certified bracket")
            return Answer(v, EXACT, "sympy: critical points, roots of f'', limits at ±oo")
        h = sp.Rational(H1) if isinstance(H1, sp.Basic) else rational(float(H1))
        return self._phi_num(h)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - engines live in the certify cache
    def _phi_num(self, h: sp.Rational) -> Answer:
        if self.fstar is not None and not self._exact_hopeless:
            v = self._phi_exact(h)
            if v is not None:
                return Answer(v, EXACT, "sympy: critical points, roots of f'', limits at ±oo")
            # sympy failed on a transcendental f for this H1: it will for the others too, and each
            # try costs its time limits (one_dim_tools.deadline); polynomials keep trying
            self._exact_hopeless = not self.f.is_polynomial(self.w)
        lo, up, note = self._phi_bnb(h, _tol_default())
        if up == math.inf and note == "limit":
            return Answer(sp.oo, EXACT, "sympy: |f''| − H1·f -> +oo at an end of the line")
        meth = BRACKET if (math.isfinite(up) and self.fstar_method != UNCERT) else UNCERT
        return Answer(Bracket(lo, up), meth, note)

    def _phi_exact(self, H1: sp.Expr) -> sp.Expr | None:
        f, w, fstar = self.f, self.w, self.fstar
        d = f - fstar
        if self.f2s == 0:
            return sp.Integer(0)
        until = time.monotonic() + _EXACT_SECONDS  # sympy's share of one φ query
        roots = _solve(self.f2, w) if self.sign == 0 else []
        if roots is None:
            return None
        cands: list[sp.Expr] = [-H1 * d.subs(w, r) for r in roots]
        edges = [sp.S.NegativeInfinity] + roots + [sp.oo]
        for a, b in zip(edges[:-1], edges[1:]):
            if self.sign:
                s = self.sign
            else:
                m = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 if a.is_infinite and b.is_finite else
                                                                        a + 1 if a.is_finite else sp.Integer(0))
                s = 1 if _fnum(self.f2.subs(w, m)) > 0 else -1
            k = s * self.f2 - H1 * d
            dk = sp.expand(sp.diff(k, w))
            if dk == 0:
                cands.append(k.subs(w, 0 if not roots else (a + b) / 2 if a.is_finite and b.is_finite
                                                  else (b - 1 if b.is_finite else a + 1)))
            else:
                if time.monotonic() > until and not H1.free_symbols:
                    return None
                crit = _solve(dk, w, sp.Interval.open(a, b))
                if crit is None:
                    return None
                cands += [k.subs(w, c) for c in crit]
            for end in (a, b):
                if end.is_infinite:
                    L = self._end_limit(s, H1, end)
                    if L is None:
                        return None
                    if L is sp.oo:
                        return sp.oo
                    if L is not sp.S.NegativeInfinity:
                        cands.append(L)
        try:
            v = sp.Max(*cands) if cands else None
        except (TypeError, ValueError):
            return None
        if v is None or (isinstance(v, sp.Max) and not H1.free_symbols):
            return None
        return _simp(v) if H1.free_symbols else v

    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def _decide(self, H1: float, H0: float, tol: float = 1e-12) -> bool | None:
        """True: φ(H1) <= H0 certified; False: φ(H1) > H0 certified; None: undecided."""
        lo, up, _ = self._phi_bnb(rational(H1), tol, use_limits=False, H0=H0)
        return True if up <= H0 else False if lo > H0 else None

    def min_h1(self, H0: float) -> Answer:
        """Smallest H1 with φ(H1) <= H0 (inf{H1 : f is (H0,H1)-smooth}): exact or a certified bracket."""
        if self.smooth is False:
            return Answer(sp.oo, EXACT, self.smooth_reason)
        floor = None
        if self.fstar_method == EXACT and self.minimizers:
            floor = max(_lohi_num(sp.Abs(self.f2.subs(self.w, m)))[0] for m in self.minimizers)
        exact = self._min_h1_exact(H0)
        if exact is not None:
            return exact
        meth = EXACT if self.fstar_method == EXACT else BRACKET
        if floor is None and self.attained and self.min_boxes and all(
                math.isfinite(a) and math.isfinite(b) for a, b in self.min_boxes):
            # every minimiser lies in these boxes, and f − f* = 0 there: φ(H1) >= min |f''| on them
            floor = min(civ.lo(abs(self.iv_f2(iv.mpf([a, b])))) for a, b in self.min_boxes)
            if H0 < floor:
                return Answer(sp.oo, BRACKET, f"H0 < {floor:.6g} <= |f''| on the boxes {self.min_boxes[:3]} "
                              "that hold every minimiser (interval arithmetic); f − f* = 0 there")
        return bisect_min_h1(self._decide, H0, floor, meth)

    @functools.cached_property
    def _phi_symbolic(self) -> tuple[sp.Symbol, sp.Expr] | None:
        """Closed form of φ in a positive symbol H1 (exact path), cross-checked against the
        numeric-H1 exact path at H1 = 1/3, 1, 3; None if sympy cannot give one."""
        if self.fstar is None:
            return None
        H = sp.Symbol("H1", positive=True)
        try:
            ps = self._phi_exact(H)
        except Exception:
            return None
        if ps is None or ps is sp.oo or ps.has(sp.Max, sp.Min, sp.Piecewise) or ps.free_symbols - {H}:
            return None
        for t in (sp.Rational(1, 3), sp.Integer(1), sp.Integer(3)):
            v = self._phi_num(t)
            if v.method != EXACT or v.value is sp.oo:
                return None
            a, b = _fnum(ps.subs(H, t)), _fnum(v.value)
            if abs(a - b) > 1e-12 * (1 + abs(b)):
                return None
        return H, ps

    def _min_h1_exact(self, H0: float) -> Answer | None:
        """min_H1 from the closed form of φ (solve φ(H1) = H0), if there is one."""
        if self._phi_symbolic is None:
            return None
        H, ps = self._phi_symbolic
        h0 = rational(H0)
        note = f"sympy: φ(H1) = {ps} for H1 > 0 (cross-checked at H1 = 1/3, 1, 3)"
        p0 = self._phi_num(sp.Integer(0))
        if p0.method == EXACT and p0.value is not sp.oo and bool(p0.value <= h0):
            return Answer(sp.Integer(0), EXACT, "φ(0) <= H0: H1 = 0 is valid")
        if H not in ps.free_symbols:
            if bool(ps <= h0):
                return Answer(sp.Integer(0), EXACT, note + "; every H1 > 0 valid, H1 = 0 not (infimum)")
            return Answer(sp.oo, EXACT, note + "; constant above H0")
        roots = _solve(ps - h0, H, sp.Interval.open(0, sp.oo))
        if roots is None:
            return None
        if roots:
            return Answer(min(roots, key=_fnum), EXACT, note)
        if _fnum(ps.subs(H, 1)) > float(h0):
            return Answer(sp.oo, EXACT, note + " > H0 for every H1")
        return Answer(sp.Integer(0), EXACT, note + " < H0 for every H1 > 0 (infimum 0)")

    def holds(self, H0: float, H1: float) -> Verdict:
        """Whether |f''| <= H0 + H1·(f − f*) on R: True / False, or undecided when H0 lies inside
        the certified bracket of φ(H1) at the finest tolerance tried."""
        if self.smooth is False:
            return Verdict(False, self.smooth_reason)
        a = self._phi_num(rational(H1))
        if a.method == EXACT:
            if a.value is sp.oo:
                return Verdict(False, f"φ({H1!r}) = oo ({a.note})")
            ok = bool(rational(H0) >= a.value)
            return Verdict(ok, f"φ({H1!r}) = {a.value} exactly ({a.note})")
        if H0 >= a.upper and a.method != UNCERT:
            return Verdict(True, f"H0 >= {a.upper!r}, the certified upper end of φ({H1!r})")
        if H0 < a.lower:
            return Verdict(False, f"H0 < {a.lower!r}, a certified lower end of φ({H1!r}) (a point value)")
        d = self._decide(H1, H0, 1e-15)
        if d is None:
            return Verdict(None, f"H0 = {H0!r} lies inside the certified bracket [{a.lower!r}, {a.upper!r}] "
                           f"of φ({H1!r})")
        return Verdict(d, f"branch-and-bound decision at tolerance 1e-15: φ({H1!r}) {'<=' if d else '>'} H0")


def build_1d(f: sp.Expr, w: sp.Symbol, symbols: tuple, original: sp.Expr) -> Certificate:
    """Certificate of (H0,H1)-smoothness for f of one variable on all of R (exact, bracket or uncertified)."""
    _check_domain(f, w)
    eng = Engine1D(f, w)
    fstar = eng.fstar if eng.fstar is not None else Bracket(*eng.fbr)
    exact_ok = eng.fstar is not None and (eng.sign != 0 or _solve(eng.f2, w) is not None)
    return Certificate(
        expr=original, symbols=symbols, f_star=fstar, f_star_method=eng.fstar_method,
        f_star_attained=eng.attained, smooth=eng.smooth, smooth_reason=eng.smooth_reason,
        curvature=sp.Abs(eng.f2s) if eng.sign == 0 else eng.sign * eng.f2s,
        method=EXACT if exact_ok else (BRACKET if eng.fstar_method != UNCERT else UNCERT),
        _engine=eng)
