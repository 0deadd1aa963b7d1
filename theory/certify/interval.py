"""Rigorous interval enclosures of sympy expressions, and branch-and-bound on them.

Helper of :mod:`warmup_theory.theory.certify`.  ``compile_iv(expr, symbols)`` turns a sympy
expression into a function of ``mpmath.iv`` intervals that returns an interval
*containing* every value of ``expr`` on the box (outward-rounded 53-bit interval
arithmetic; endpoints may be infinite).  Supported: + − × ÷, integer / rational /
symbolic powers, exp, log, sin, cos, sinh, cosh, tanh, sech, Abs, sqrt, rational
and float constants, pi, E.  Anything else raises ``NotImplementedError`` (the
caller then reports the answer as uncertified).

``maximize_1d`` is a best-first branch-and-bound for ``sup_{w in R} k(w)``: the
real line is cut into ``(-inf, -R] ∪ [-R, R] ∪ [R, inf)``; finite boxes are
bisected, infinite ones split dyadically (``[a, inf) -> [a, 2a] ∪ [2a, inf)``).
Its ``upper`` is rigorous (the largest interval upper bound over the boxes still
open); its ``lower`` is rigorous (interval-evaluated points and caller-supplied
exact values such as limits at ±inf).

>>> import sympy as sp
>>> w = sp.Symbol("w", real=True)
>>> f = compile_iv(w**2 - 2*w, (w,))
>>> from mpmath import iv
>>> f(iv.mpf([0, 1]))
mpi('-2.0', '1.0')
>>> r = maximize_1d([compile_iv(1 - (w - 1)**2, (w,))], tol=1e-6)
>>> r.lower <= 1.0 <= r.upper, r.upper - r.lower < 1e-5
(True, True)
"""

from __future__ import annotations

import functools
import heapq
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from mpmath import iv
from mpmath.libmp import finf, fninf

__all__ = ["IvFn", "compile_iv", "BnBResult", "maximize_1d", "maximize_box", "to_iv", "hi", "lo"]

IvFn = Callable[..., "iv.mpf"]
iv.prec = 53
_ALL = iv.mpf(["-inf", "inf"])


def lo(x) -> float:
    """Lower endpoint as a float (exact: 53-bit endpoints); a finite endpoint beyond the
    float range becomes the largest finite float, never inf (stays a valid lower bound)."""
    v = float(x.a)
    if v == math.inf and x._mpi_[0] != finf:
        return sys.float_info.max
    return v


def hi(x) -> float:
    """Upper endpoint as a float (a finite endpoint below -max float becomes -max float)."""
    v = float(x.b)
    if v == -math.inf and x._mpi_[1] != fninf:
        return -sys.float_info.max
    return v


def to_iv(value) -> iv.mpf:
    """Interval enclosing a sympy / Python number (exact rationals enclosed rigorously)."""
    if isinstance(value, sp.Basic):
        if value is sp.oo:
            return iv.mpf(["inf", "inf"])
        if value is sp.S.NegativeInfinity:
            return iv.mpf(["-inf", "-inf"])
        if value.is_Integer:
            return iv.mpf(int(value))
        if value.is_Rational:
            return iv.mpf(int(value.p)) / iv.mpf(int(value.q))
        if value.is_Float:
            return iv.mpf(float(value))
        return compile_iv(value, ())()
    return iv.mpf(value)


def _cosh(x):
    a, b = iv.mpf(x.a), iv.mpf(x.b)
    ca, cb = (iv.exp(a) + iv.exp(-a)) / 2, (iv.exp(b) + iv.exp(-b)) / 2
    if lo(x) >= 0:
        return iv.mpf([ca.a, cb.b])
    if hi(x) <= 0:
        return iv.mpf([cb.a, ca.b])
    return iv.mpf([1, max(hi(ca), hi(cb))])


def _sinh(x):
    a, b = iv.mpf(x.a), iv.mpf(x.b)
    sa, sb = (iv.exp(a) - iv.exp(-a)) / 2, (iv.exp(b) - iv.exp(-b)) / 2
    return iv.mpf([sa.a, sb.b])


def _tanh(x):
    def t(p):  # enclosure of tanh at a point interval, in [-1, 1]
        if math.isinf(lo(p)):
            return iv.mpf(-1 if lo(p) < 0 else 1)
        if lo(p) >= 0:
            e = iv.exp(-2 * p)
            return (1 - e) / (1 + e)
        e = iv.exp(2 * p)
        return (e - 1) / (e + 1)
    ta, tb = t(iv.mpf(x.a)), t(iv.mpf(x.b))
    return iv.mpf([max(lo(ta), -1.0), min(hi(tb), 1.0)])


def _log(x):
    if hi(x) <= 0:
        raise ValueError("log of a non-positive interval")
    if lo(x) <= 0:
        return iv.mpf(["-inf", iv.log(iv.mpf(x.b)).b])
    return iv.log(x)


def _abs(x):
    return abs(x)


def _sign(x):
    if lo(x) > 0:
        return iv.mpf(1)
    if hi(x) < 0:
        return iv.mpf(-1)
    return iv.mpf([-1 if lo(x) < 0 else 0, 1 if hi(x) > 0 else 0])


def _pow(base, e: sp.Expr):
    if e.is_Integer:
        n = int(e)
        if n >= 0:
            return base**n
        d = base ** (-n)
        if lo(d) <= 0 <= hi(d):
            if lo(d) >= 0:  # [0, b]: 1/d in [1/b, inf]
                return iv.mpf([(1 / iv.mpf(d.b)).a, "inf"]) if hi(d) > 0 else _ALL
            return _ALL
        return 1 / d
    if e.is_Rational:
        if lo(base) < 0:
            raise ValueError("fractional power of a possibly negative interval")
        q = to_iv(e)
        if e > 0:
            return iv.exp(q * _log(base)) if lo(base) > 0 else iv.mpf([0, hi(iv.exp(q * iv.log(iv.mpf(base.b))))])
        if lo(base) <= 0:
            return iv.mpf([0, "inf"]) if hi(base) > 0 else _ALL
        return iv.exp(q * iv.log(base))
    raise NotImplementedError(f"power with exponent {e}")


_FUNCS: dict[type, Callable] = {
    sp.exp: iv.exp,
    sp.log: _log,
    sp.sin: iv.sin,
    sp.cos: iv.cos,
    sp.cosh: _cosh,
    sp.sinh: _sinh,
    sp.tanh: _tanh,
    sp.Abs: _abs,
    sp.sign: _sign,
}


def compile_iv(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> IvFn:
    """Compile ``expr`` to ``fn(*intervals) -> interval`` enclosing its range on the box."""
    index = {s: i for i, s in enumerate(symbols)}

    def build(e: sp.Expr) -> Callable[[tuple], iv.mpf]:
        if e in index:
            i = index[e]
            return lambda xs: xs[i]
        if e.is_Number or e in (sp.pi, sp.E) or (e.is_number and not e.free_symbols and e.is_Atom):
            if e is sp.pi:
                c = iv.pi
            elif e is sp.E:
                c = iv.e
            else:
                c = to_iv(e)
            return lambda xs: c
        if e.free_symbols and not e.free_symbols <= set(index):
            raise NotImplementedError(f"free symbols {e.free_symbols - set(index)} not in {symbols}")
        if isinstance(e, sp.Add):
            parts = [build(a) for a in e.args]

            def add(xs):
                s = parts[0](xs)
                for p in parts[1:]:
                    s = s + p(xs)
                return s
            return add
        if isinstance(e, sp.Mul):
            parts = [build(a) for a in e.args]

            def mul(xs):
                # every factor encloses a finite real value, so an exact zero factor gives 0
                # (avoids 0·[a, inf] = [-inf, inf] on unbounded boxes)
                vals = [p(xs) for p in parts]
                for v in vals:
                    if v.a == 0 and v.b == 0:
                        return iv.mpf(0)
                s = vals[0]
                for v in vals[1:]:
                    s = s * v
                return s
            return mul
        if isinstance(e, sp.Pow):
            b, ex = e.args
            fb = build(b)
            if ex.free_symbols or not ex.is_Rational:  # b**ex = exp(ex*log(b))
                fe, flb = build(ex), build(sp.log(b))
                return lambda xs: iv.exp(fe(xs) * flb(xs))
            if ex == sp.Rational(1, 2):
                return lambda xs: _pow(fb(xs), ex)
            return lambda xs: _pow(fb(xs), ex)
        if hasattr(e, "_iv_compile"):  # stable primitives (theory.certify.stable) bring their own rule
            return e._iv_compile(build)
        if isinstance(e, sp.sech):
            inner = build(e.args[0])
            return lambda xs: _pow(_cosh(inner(xs)), sp.Integer(-1))
        if isinstance(e, sp.exp):
            inner = build(e.args[0])
            return lambda xs: iv.exp(inner(xs))
        for cls, fn in _FUNCS.items():
            if isinstance(e, cls) and len(e.args) == 1:  # type: ignore[attr-defined]
                inner = build(e.args[0])  # type: ignore[attr-defined]
                return functools.partial(_apply, fn, inner)
        if e.is_number:
            v = sp.N(e, 30)
            if v.is_real and v.is_finite:
                c = iv.mpf([float(v) - abs(float(v)) * 1e-15 - 1e-300, float(v) + abs(float(v)) * 1e-15 + 1e-300])
                return lambda xs: c
        raise NotImplementedError(f"no interval rule for {type(e).__name__}: {e}")

    f = build(sp.sympify(expr))

    def call(*xs):
        try:
            return f(xs)
        except (ValueError, ZeroDivisionError, OverflowError):
            return _ALL
    return call


@dataclass(frozen=True)
class BnBResult:
    """Bracket ``lower <= sup <= upper`` from branch-and-bound; ``argmax`` a best point found."""

    lower: float
    upper: float
    argmax: tuple[float, ...]
    boxes: int
    converged: bool
    candidates: tuple = ()  # boxes that may still contain a maximiser (1-D only)


def _upper(fns: Sequence[IvFn], box: tuple) -> float:
    best = math.inf
    for fn in fns:
        best = min(best, hi(fn(*box)))
    return best


def _point_lower(fns: Sequence[IvFn], pt: tuple[float, ...]) -> float:
    box = tuple(iv.mpf(p) for p in pt)
    return max(lo(fn(*box)) for fn in fns)


def _apply(fn: Callable, inner: Callable, xs: Sequence) -> Any:
    return fn(inner(xs))


def maximize_1d(
    fns: Sequence[IvFn],
    *,
    radius: float = 8.0,
    tol: float = 1e-9,
    max_boxes: int = 3000,
    max_seconds: float = math.inf,
    known_lower: float = -math.inf,
    seeds: Sequence[float] = (),
    domain: tuple[float, float] = (-math.inf, math.inf),
    stop_below: float | None = None,
    stop_above: float | None = None,
) -> BnBResult:
    """Rigorous bracket of ``sup k`` over ``domain`` (default the real line).

    ``fns`` are interval enclosures of the same function ``k`` (different algebraic
    forms); each box uses the tightest.  Stops when ``upper - lower <= tol*(1+|lower|)``
    or after ``max_boxes`` evaluations or ``max_seconds`` of wall time (``converged=False``; the
    bracket stays valid).
    Decision mode: also stop as soon as ``upper <= stop_below`` or ``lower > stop_above``.
    """
    stop_at = time.monotonic() + max_seconds
    a0, b0 = domain
    cuts = sorted({x for x in (a0, -radius, radius, b0) if a0 <= x <= b0})
    boxes = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]
    best, arg = known_lower, (math.nan,)
    for s in seeds:
        if a0 <= s <= b0:
            v = _point_lower(fns, (s,))
            if v > best:
                best, arg = v, (s,)
    heap: list[tuple[float, float, float]] = []
    count = 0

    def push(a: float, b: float) -> None:
        nonlocal best, arg, count
        count += 1
        ub = _upper(fns, (iv.mpf([a, b]),))
        m = _mid(a, b)
        pv = _point_lower(fns, (m,))
        if pv > best:
            best, arg = pv, (m,)
        heapq.heappush(heap, (-ub, a, b))

    for a, b in boxes:
        push(a, b)
    frozen_boxes: list[tuple[float, float, float]] = []
    frozen = -math.inf  # upper bounds of boxes that cannot be split further (|w| > 1e9 tails)
    while heap:
        ub = max(-heap[0][0], frozen)
        if ub - best <= tol * (1 + abs(best)) or count >= max_boxes or frozen >= -heap[0][0] \
                or time.monotonic() > stop_at:
            break
        if (stop_below is not None and ub <= stop_below) or (stop_above is not None and best > stop_above):
            break
        _, a, b = heapq.heappop(heap)
        m = _mid(a, b)
        if not (a < m < b) or abs(m) > 1e9:  # cannot split further
            frozen = max(frozen, -_)
            frozen_boxes.append((-_, a, b))
            continue
        push(a, m)
        push(m, b)
    upper = max(-heap[0][0] if heap else -math.inf, frozen)
    upper = max(upper, best) if math.isfinite(best) else upper
    cands = tuple(sorted([(a, b) for nub, a, b in heap if -nub >= best]
                         + [(a, b) for ub_, a, b in frozen_boxes if ub_ >= best]))
    return BnBResult(best, upper, arg, count, upper - best <= tol * (1 + abs(best)), cands)


def _mid(a: float, b: float) -> float:
    if math.isinf(a) and math.isinf(b):
        return 0.0
    if math.isinf(b):
        return max(2 * a, a + 1.0) if a >= 0 else 0.0 if a < 0 else a + 1
    if math.isinf(a):
        return min(2 * b, b - 1.0) if b <= 0 else 0.0
    return 0.5 * (a + b)


def maximize_box(
    fn_upper: IvFn,
    fn_point: Callable[[tuple[float, ...]], float],
    box: Sequence[tuple[float, float]],
    *,
    tol: float = 1e-3,
    max_boxes: int = 2000,
    stop_below: float | None = None,
    stop_above: float | None = None,
) -> BnBResult:
    """Bracket of ``sup`` over a finite box in R^d (d = 2, 3).

    ``fn_upper(*intervals)`` encloses an upper bound of the objective on a box;
    ``fn_point(pt)`` is the objective at a point (a valid lower bound for the sup
    when computed rigorously; see :mod:`warmup_theory.theory.certify` for what is guaranteed).
    """
    best, arg = -math.inf, tuple(0.5 * (a + b) for a, b in box)
    heap: list[tuple[float, int, tuple]] = []
    count = 0

    def push(bx: tuple) -> None:
        nonlocal best, arg, count
        count += 1
        ub = hi(fn_upper(*(iv.mpf([a, b]) for a, b in bx)))
        m = tuple(0.5 * (a + b) for a, b in bx)
        pv = fn_point(m)
        if pv > best:
            best, arg = pv, m
        heapq.heappush(heap, (-ub, count, bx))

    push(tuple(box))
    while heap:
        ub = -heap[0][0]
        if ub - best <= tol * (1 + abs(best)) or count >= max_boxes:
            break
        if (stop_below is not None and ub <= stop_below) or (stop_above is not None and best > stop_above):
            break
        _, _, bx = heapq.heappop(heap)
        j = max(range(len(bx)), key=lambda i: bx[i][1] - bx[i][0])
        a, b = bx[j]
        m = 0.5 * (a + b)
        for part in ((a, m), (m, b)):
            nb = list(bx)
            nb[j] = part
            push(tuple(nb))
    upper = max(-heap[0][0], best) if heap else best
    return BnBResult(best, upper, arg, count, upper - best <= tol * (1 + abs(best)))


def mean_value_form(k: IvFn, dk: IvFn) -> IvFn:
    """Centred form ``k(m) + k'(I)·(I − m)`` (m the midpoint): encloses k on I, width O(|I|²).

    Only for finite intervals; infinite ones get the whole line (harmless: the
    caller intersects it with other enclosures).
    """
    def fn(x):
        a, b = lo(x), hi(x)
        if math.isinf(a) or math.isinf(b):
            return _ALL
        m = iv.mpf(0.5 * (a + b))
        return k(m) + dk(x) * (x - m)
    return fn
