"""Interval branch-and-bound for φ(h) = sup_w(|f''(w)| − h·f(w)) + h·f*, the one-variable engine's
fallback when no closed form is found (a mixin of :class:`~warmup_theory.theory.certify.one_dim.Engine1D`)."""

from __future__ import annotations

import functools
import math
from typing import Any

import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.certify.one_dim_tools import _forms, _lohi_num, _tightest

_BNB_SECONDS = 3.0  # wall-time cap of one branch-and-bound (the bracket stays valid, only wider)


class BranchAndBound1D:
    """φ(h) by interval branch-and-bound over the real line (mixed into ``Engine1D``)."""

    w: sp.Symbol
    f: sp.Expr
    f2: sp.Expr
    f2s: sp.Expr
    bf: sp.Expr
    bf2: sp.Expr
    stable: bool
    sign: int
    fstar: sp.Expr | None
    fstar_method: str
    fbr: tuple[float, float]
    minimizers: list
    iv_f1: Any
    iv_f2: Any
    iv_f3: Any
    _h: sp.Symbol

    def _end_limit(self, s: int, H1: sp.Expr, end: Any) -> Any:  # provided by Engine1D
        raise NotImplementedError

    @functools.cached_property
    def _branches(self) -> list:
        """Interval enclosures of k± = ±f'' − h·f as functions of (w, h), built once.

        Forms: as given, expanded, collected on the non-polynomial atoms, Horner in w
        (polynomial part), the same from the simplified f'' and f, and a centred form.
        """
        w, h = self.w, self._h
        out = []
        for s in ((1,) if self.sign == 1 else (-1,) if self.sign == -1 else (1, -1)):
            forms = _forms(s * self.bf2 - h * self.bf, w)
            if self.f2s != self.f2 and not self.stable:
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
        stop_below: float | None = None
        stop_above: float | None = None
        if H0 is not None:  # decision mode: φ <= H0 certified, or φ > H0 certified
            hf = float(h)
            stop_below = civ.lo(iv.mpf(H0) - hk * iv.mpf(self.fbr[1])) if hf else H0
            stop_above = civ.hi(iv.mpf(H0) - hk * iv.mpf(self.fbr[0])) if hf else H0
        res = civ.maximize_1d([enclose], tol=tol, known_lower=known, seeds=seeds,
                               max_boxes=1500 if H0 is not None else 3000, max_seconds=_BNB_SECONDS,
                               stop_below=stop_below, stop_above=stop_above)
        if res.lower == math.inf:
            lower = math.inf
        else:
            lower = civ.lo(iv.mpf(res.lower) + hk * iv.mpf(self.fbr[0])) if math.isfinite(res.lower) else 0.0
        upper = civ.hi(iv.mpf(res.upper) + hk * iv.mpf(self.fbr[1])) if math.isfinite(res.upper) else math.inf
        note = (f"interval branch-and-bound on R ({res.boxes} boxes, converged={res.converged}); "
                f"f* {self.fstar_method}")
        return max(lower, 0.0), max(upper, 0.0), note

    # -- derived queries ------------------------------------------------------------------
