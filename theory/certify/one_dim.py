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
from typing import Any

import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import BRACKET, EXACT, UNCERT, Answer, Bracket, Certificate, bisect_min_h1, rational
from warmup_theory.theory.certify import interval as civ

__all__ = ["build_1d"]


def _is_num(v: Any) -> bool:
    return isinstance(v, sp.Basic) and v.is_number and v.is_real is True and v.is_finite is True


def _lim(e: sp.Expr, w: sp.Symbol, end: Any) -> Any:
    """sympy limit if it is a real number or ±oo, else None (unknown / oscillating).

    Expressions with sin / cos of w are not passed to sympy (oscillating: slow, and
    sympy answers with AccumBounds at best).
    """
    if any(t.args[0].has(w) for t in e.atoms(sp.sin, sp.cos, sp.tan)):
        return None
    try:
        v = sp.limit(e, w, end)
    except Exception:
        return None
    if v in (sp.oo, sp.S.NegativeInfinity) or _is_num(v):
        return v
    return None


def _finite_real_set(s: Any) -> list | None:
    if s is sp.S.EmptySet:
        return []
    if isinstance(s, sp.FiniteSet) and all(x.is_real is True and x.is_finite for x in s):
        items = list(s)
        try:
            return sorted(items, key=lambda x: float(x))
        except TypeError:  # symbolic (a parameter such as H1): order not needed
            return items
    return None


def _solve(e: sp.Expr, w: sp.Symbol, dom: sp.Set = sp.S.Reals) -> list | None:
    try:
        return _finite_real_set(sp.solveset(e, w, dom))
    except Exception:
        return None


def _fnum(v: sp.Expr) -> float:
    return float(sp.N(v, 30))


def _forms(k: sp.Expr, w: sp.Symbol) -> list[sp.Expr]:
    """Algebraically equal forms of k; interval enclosures of each are intersected.

    As given; expanded; polynomial part (in w) in Horner form plus the rest collected
    on its non-polynomial atoms (so that e.g. e^w − h·e^w becomes (1 − h)·e^w and
    12w² − h·w⁴ becomes w²(12 − h·w²), which interval arithmetic bounds on [a, ∞)).
    """
    out = [k]
    ex = sp.expand(k)
    terms = sp.Add.make_args(ex)
    poly = sp.Add(*[t for t in terms if t.is_polynomial(w)])
    rest = sp.Add(*[t for t in terms if not t.is_polynomial(w)])
    atoms = [a for a in rest.atoms(sp.Function, sp.Pow) if a.has(w) and not a.is_polynomial(w)]
    ph = sp.horner(poly, wrt=w) if poly.has(w) else poly
    out.append(ph + (sp.collect(rest, atoms) if atoms else rest))
    if any(t.has(sp.sin, sp.cos) for t in terms):
        out.append(sp.collect(ex, w))  # e.g. w²·(−4 sin(w²) − 8) + ... bounded above on [a, ∞)
    uniq: list[sp.Expr] = []
    for e in out:
        if e not in uniq:
            uniq.append(e)
    return uniq


class Engine1D:
    """Holds f, its derivatives and f*; answers φ(H1), min_H1(H0), holds(H0, H1)."""

    def __init__(self, f: sp.Expr, w: sp.Symbol) -> None:
        self.f, self.w = f, w
        self.f1 = sp.diff(f, w)
        self.f2 = sp.diff(f, w, 2)
        self.f3 = sp.diff(f, w, 3)
        f2s = sp.simplify(self.f2)
        self.f2s = f2s
        if f2s.is_nonnegative or self.f2.is_nonnegative:
            self.sign = 1
        elif f2s.is_nonpositive or self.f2.is_nonpositive:
            self.sign = -1
        else:
            self.sign = 0
        self.g = self.f2 if self.sign == 1 else -self.f2 if self.sign == -1 else sp.Abs(self.f2)
        if sp.count_ops(f2s) > sp.count_ops(self.f2):
            self.f2s = f2s = self.f2  # keep the smaller form (interval cost, limits)
        self.fs = f
        self._h = sp.Symbol("_h_certify", nonnegative=True)
        self.iv_f = civ.compile_iv(f, (w,))
        self.iv_f1 = civ.compile_iv(self.f1, (w,))
        self.iv_f2 = civ.compile_iv(self.f2, (w,))
        self.iv_f3 = civ.compile_iv(self.f3, (w,))
        self.fstar: sp.Expr | None = None
        self.fbr = (-math.inf, math.inf)
        self.fstar_method = UNCERT
        self.attained: bool | None = None
        self.minimizers: list[sp.Expr] = []
        self.min_boxes: tuple = ()
        self.smooth: bool | None = None
        self.smooth_reason = ""
        self._find_fstar()
        self._find_smooth()

    # -- f* -------------------------------------------------------------------------------
    def _find_fstar(self) -> None:
        f, w = self.f, self.w
        lm, lp = _lim(f, w, -sp.oo), _lim(f, w, sp.oo)
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
                vals = [sp.simplify(f.subs(w, c)) for c in crit]
                ends = [v for v in (lm, lp) if v is not sp.oo]
                cands = vals + ends
                if cands:
                    fstar = sp.simplify(sp.Min(*cands))
                    if _is_num(fstar):
                        self.fstar = fstar
                        self.minimizers = [c for c, v in zip(crit, vals) if sp.simplify(v - fstar) == 0]
                        self.attained = bool(self.minimizers)
        if self.fstar is not None:
            self.fbr = _lohi_num(self.fstar)
            self.fstar_method = EXACT
            return
        # numeric: sup(-f) by branch and bound
        fns = [civ.compile_iv(-e, (w,)) for e in _forms(f, w)]
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
        f, w, f2 = self.f, self.w, self.f2s
        for end, lf in ((sp.oo, self.limits[1]), (sp.S.NegativeInfinity, self.limits[0])):
            if lf is sp.oo:
                r = _lim(f2 / f, w, end)
                why = f"f''/f -> {r} as w -> {end}"
            elif lf is not None:
                r = _lim(f2, w, end)
                why = f"f -> {lf} but f'' -> {r} as w -> {end}"
            else:
                continue
            if r in (sp.oo, sp.S.NegativeInfinity):
                self.smooth, self.smooth_reason = False, "not (H0,H1)-smooth for any constants: " + why
                return
        seq = self._trig_sequence()
        if seq:
            self.smooth, self.smooth_reason = False, "not (H0,H1)-smooth for any constants: " + seq
            return
        for h1 in (1.0, 8.0, 64.0):
            a = self.phi(h1)
            if math.isfinite(a.upper) and a.method != UNCERT:
                self.smooth = True
                self.smooth_reason = f"φ({h1:g}) <= {a.upper:.6g} ({a.method})"
                return
        self.smooth_reason = "undecided: no certified finite φ(H1) for H1 in {1, 8, 64} and no proof of divergence"

    def _trig_sequence(self) -> str:
        f, w = self.f, self.w
        trig = list(f.atoms(sp.sin, sp.cos))
        if not trig:
            return ""
        cs = []
        for t in trig:
            a = t.args[0]
            if not a.is_polynomial(w) or sp.degree(a, w) != 1:
                return ""
            cs.append(sp.diff(a, w))
        c0 = cs[0]
        qs = [sp.nsimplify(c / c0) for c in cs]
        if not all(q.is_Rational for q in qs):
            return ""
        L = functools.reduce(sp.ilcm, [q.q for q in qs], 1)
        if L > 4:
            return ""
        P = 2 * sp.pi * L / abs(c0)
        k = sp.Symbol("k", integer=True, positive=True)
        C = sp.Rational(max(abs(self.fbr[0]), abs(self.fbr[1]))) if all(map(math.isfinite, self.fbr)) else None
        if C is None:
            return ""
        for s in (1, -1):
            for j in range(4 * L):
                theta = j * sp.pi / (2 * abs(c0))
                wk = s * (theta + k * P)
                fk, f2k = sp.simplify(f.subs(w, wk)), sp.simplify(self.f2.subs(w, wk))
                if fk.has(sp.sin, sp.cos) or f2k.has(sp.sin, sp.cos):
                    continue
                r = _lim(sp.Abs(f2k) / (1 + sp.Abs(fk) + C), k, sp.oo)
                if r is sp.oo:
                    return (f"along w_k = {wk} (k -> oo, integer) |f''|/(1 + |f| + |f*|) -> oo "
                            f"(f(w_k) = {fk}, f''(w_k) = {f2k})")
        return ""

    # -- limits at the ends, cached per engine -------------------------------------------
    @functools.lru_cache(maxsize=64)  # noqa: B019
    def _plim(self, what: str, s: int, end: Any) -> Any:
        """Cached limits: ``g`` = lim s·f'', ``r`` = lim s·f''/f at ``end``."""
        e = s * self.f2s if what == "g" else s * self.f2s / self.f
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
        return _lim(s * self.f2 - H1 * (self.f - fs), self.w, end)

    # -- φ --------------------------------------------------------------------------------
    def phi(self, H1: Any) -> Answer:
        if self.smooth is False:
            return Answer(sp.oo, EXACT, self.smooth_reason)
        if isinstance(H1, sp.Basic) and H1.free_symbols:
            v = self._phi_exact(H1)
            if v is None:
                raise NotImplementedError(f"φ(H1) for symbolic H1 needs the exact path; sympy cannot do {self.f}")
            return Answer(v, EXACT, "sympy: critical points, roots of f'', limits at ±oo")
        h = sp.Rational(H1) if isinstance(H1, sp.Basic) else rational(float(H1))
        return self._phi_num(h)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - engines live in the certify cache
    def _phi_num(self, h: sp.Rational) -> Answer:
        if self.fstar is not None:
            v = self._phi_exact(h)
            if v is not None:
                return Answer(v, EXACT, "sympy: critical points, roots of f'', limits at ±oo")
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
        return sp.simplify(v) if H1.free_symbols else v

    @functools.cached_property
    def _branches(self) -> list:
        """Interval enclosures of k± = ±f'' − h·f as functions of (w, h), built once.

        Forms: as given, expanded, collected on the non-polynomial atoms, Horner in w
        (polynomial part), the same from the simplified f'' and f, and a centred form.
        """
        w, h = self.w, self._h
        out = []
        for s in ((1,) if self.sign == 1 else (-1,) if self.sign == -1 else (1, -1)):
            forms = _forms(s * self.f2 - h * self.f, w)
            if self.f2s != self.f2:
                forms += _forms(s * self.f2s - h * self.f, w)
            fns = []
            for e in dict.fromkeys(forms):
                try:
                    fns.append(civ.compile_iv(e, (w, h)))
                except NotImplementedError:
                    continue
            if fns:
                first = fns[0]

                def mv(x, hk, s=s, first=first):
                    a, b = civ.lo(x), civ.hi(x)
                    if math.isinf(a) or math.isinf(b):
                        return iv.mpf(["-inf", "inf"])
                    m = iv.mpf(0.5 * (a + b))
                    return first(m, hk) + (s * self.iv_f3(x) - hk * self.iv_f1(x)) * (x - m)
                fns.append(mv)
            out.append((s, fns))
        return out

    def _phi_bnb(self, h: sp.Rational, tol: float, use_limits: bool = True,
                 H0: float | None = None) -> tuple[float, float, str]:
        """Bracket of φ(h) = sup(|f''| − h f) + h f* by interval branch-and-bound.

        |f''| − h f = max(k+, k−), k± = ±f'' − h f: on a box where the enclosure of f''
        has a sign only one branch counts, else the larger upper bound.  Each k± is
        enclosed by several forms; the tightest enclosure is used.  φ >= 0 always.
        """
        w = self.w
        known = -math.inf
        if use_limits:  # limits of max(k+, k−) at ±oo; f* shift: k = |f''| − h f
            lims = []
            for end in (sp.S.NegativeInfinity, sp.oo):
                ls = [self._end_limit(sg, h, end) for sg in ((self.sign,) if self.sign else (1, -1))]
                ls = [None if v is None else (v if v in (sp.oo, sp.S.NegativeInfinity) else
                                              v - h * (self.fstar if self.fstar is not None else 0)) for v in ls]
                lims.append(None if None in ls else sp.Max(*ls))
            if sp.oo in lims:
                return 0.0, math.inf, "limit"
            known = max([_lohi_num(v)[0] for v in lims if v is not None and v is not sp.S.NegativeInfinity],
                        default=-math.inf)
        branches = self._branches
        if any(not fns for _, fns in branches):
            return 0.0, math.inf, "no interval rule for this expression"
        hk = civ.to_iv(h)

        def enclose(x):
            if x.a == x.b:  # a point: one form suffices (used for lower bounds)
                if len(branches) == 1:
                    return branches[0][1][0](x, hk)
                a, b = branches[0][1][0](x, hk), branches[1][1][0](x, hk)
                return iv.mpf([max(civ.lo(a), civ.lo(b)), max(civ.hi(a), civ.hi(b))])
            if len(branches) == 1:
                return _tightest(branches[0][1], x, hk)
            y = self.iv_f2(x)
            if civ.lo(y) > 0:
                return _tightest(branches[0][1], x, hk)
            if civ.hi(y) < 0:
                return _tightest(branches[1][1], x, hk)
            a, b = _tightest(branches[0][1], x, hk), _tightest(branches[1][1], x, hk)
            return iv.mpf([max(civ.lo(a), civ.lo(b)), max(civ.hi(a), civ.hi(b))])
        seeds = [float(m) for m in self.minimizers]
        stops = {}
        if H0 is not None:  # decision mode: φ <= H0 certified, or φ > H0 certified
            hf = float(h)
            stops = dict(stop_below=civ.lo(iv.mpf(H0) - hk * iv.mpf(self.fbr[1])) if hf else H0,
                         stop_above=civ.hi(iv.mpf(H0) - hk * iv.mpf(self.fbr[0])) if hf else H0)
        res = civ.maximize_1d([enclose], tol=tol, known_lower=known, seeds=seeds,
                               max_boxes=1500 if stops else 3000, **stops)
        if res.lower == math.inf:
            lower = math.inf
        else:
            lower = civ.lo(iv.mpf(res.lower) + hk * iv.mpf(self.fbr[0])) if math.isfinite(res.lower) else 0.0
        upper = civ.hi(iv.mpf(res.upper) + hk * iv.mpf(self.fbr[1])) if math.isfinite(res.upper) else math.inf
        note = (f"interval branch-and-bound on R ({res.boxes} boxes, converged={res.converged}); "
                f"f* {self.fstar_method}")
        return max(lower, 0.0), max(upper, 0.0), note

    # -- derived queries ------------------------------------------------------------------
    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def _decide(self, H1: float, H0: float, tol: float = 1e-12) -> bool | None:
        """True: φ(H1) <= H0 certified; False: φ(H1) > H0 certified; None: undecided."""
        lo, up, _ = self._phi_bnb(rational(H1), tol, use_limits=False, H0=H0)
        return True if up <= H0 else False if lo > H0 else None

    def min_h1(self, H0: float) -> Answer:
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

    def holds(self, H0: float, H1: float) -> bool:
        if self.smooth is False:
            return False
        a = self._phi_num(rational(H1))
        if a.method == EXACT:
            if a.value is sp.oo:
                return False
            return bool(rational(H0) >= a.value)
        if H0 >= a.upper:
            return True
        if H0 < a.lower:
            return False
        d = self._decide(H1, H0, 1e-15)
        if d is None:
            raise ValueError(f"H0 = {H0!r} lies inside the certified bracket [{a.lower!r}, {a.upper!r}] "
                             f"of φ({H1!r}); cannot decide")
        return d


def _tightest(fns: list, x: iv.mpf, hk: iv.mpf) -> iv.mpf:
    best = None
    for fn in fns:
        y = fn(x, hk)
        if best is None:
            best = y
        else:
            a, b = max(civ.lo(best), civ.lo(y)), min(civ.hi(best), civ.hi(y))
            best = iv.mpf([a, b]) if a <= b else y
    return best


def _tol_default() -> float:
    return 1e-9


def _lohi_num(v: sp.Expr) -> tuple[float, float]:
    if v is sp.oo:
        return math.inf, math.inf
    x = civ.to_iv(v)
    return civ.lo(x), civ.hi(x)


def _check_domain(f: sp.Expr, w: sp.Symbol) -> None:
    """f and f'' must be defined and continuous on all of R (Definition 3.1 needs f twice
    differentiable; we ask for a continuous f'' so that the interval layer applies)."""
    from sympy.calculus.util import continuous_domain
    f2 = sp.diff(f, w, 2)
    if f2.has(sp.DiracDelta, sp.Heaviside, sp.Derivative, sp.Subs):
        raise ValueError(f"expr {f}: sympy's f'' = {f2} has DiracDelta/Heaviside terms; certify needs "
                         "f twice continuously differentiable on R and does not simplify such terms "
                         "(even where they vanish, e.g. |w|³)")
    for what, e in (("f", f), ("f''", f2)):
        try:
            dom = continuous_domain(e, w, sp.S.Reals)
        except Exception:
            continue
        if dom != sp.S.Reals:
            raise ValueError(f"expr {f}: {what} must be defined and continuous on all of R, "
                             f"but is so only on {dom}")


def build_1d(f: sp.Expr, w: sp.Symbol, symbols: tuple, original: sp.Expr) -> Certificate:
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
