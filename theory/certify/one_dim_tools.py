"""Sympy and interval helpers of the one-variable engine: limits, finite solution sets, the algebraic
forms whose interval enclosures are intersected, and the domain check (f'' continuous on R)."""

from __future__ import annotations

import contextlib
import functools
import math
import signal
import threading
from collections.abc import Iterator
from typing import Any

import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import interval as civ


class _Timeout(BaseException):
    """Raised by :func:`deadline` (a BaseException, so sympy's ``except Exception`` cannot swallow it)."""


_SYMPY_SECONDS = 1.0  # one sympy limit / solveset / simplify call; past it the call counts as "not found"


@contextlib.contextmanager
def deadline(seconds: float = _SYMPY_SECONDS) -> Iterator[None]:
    """Interrupt the block with :class:`_Timeout` after ``seconds`` (SIGALRM).  The block runs without
    a limit where SIGALRM cannot be borrowed safely: outside the main thread, on platforms without
    ``setitimer`` (Windows), while another interval timer runs (an enclosing ``deadline``,
    pytest-timeout, the caller's own alarm), or when the current SIGALRM handler was installed
    outside Python (it could not be put back).

    sympy's ``solveset`` and ``limit`` can run for minutes on transcendental equations in e^w; a call
    that is interrupted is treated exactly like one sympy cannot do (the engine falls back to the
    interval branch-and-bound), so the deadline changes speed, never a certified value.
    """
    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
              and signal.getsignal(signal.SIGALRM) is not None)
    if not usable:
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, _raise)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        # nested, so that the caller's handler is put back even if the alarm fires after the block
        # ended but before the timer is cleared (the _Timeout then leaves from here)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.0)
        finally:
            signal.signal(signal.SIGALRM, old)


def _simp(e: Any) -> Any:
    """sympy.simplify under :func:`deadline`; the expression unchanged if it takes too long."""
    try:
        with deadline():
            return sp.simplify(e)
    except (Exception, _Timeout):
        return e


def _is_num(v: Any) -> bool:
    return isinstance(v, sp.Basic) and v.is_number and v.is_real is True and v.is_finite is True


@functools.lru_cache(maxsize=4096)
def _lim(e: sp.Expr, w: sp.Symbol, end: Any) -> Any:
    """sympy limit if it is a real number or ±oo, else None (unknown / oscillating).

    Expressions with sin / cos of w are not passed to sympy (oscillating: slow, and
    sympy answers with AccumBounds at best).
    """
    if any(t.args[0].has(w) for t in e.atoms(sp.sin, sp.cos, sp.tan)):
        return None
    try:
        with deadline():
            v = sp.limit(e, w, end)
    except (Exception, _Timeout):
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


@functools.lru_cache(maxsize=4096)
def _solve(e: sp.Expr, w: sp.Symbol, dom: sp.Set = sp.S.Reals) -> list | None:
    try:
        with deadline():
            return _finite_real_set(sp.solveset(e, w, dom))
    except (Exception, _Timeout):
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

    from warmup_theory.theory.certify.stable import smooth_stand_in
    f2 = sp.diff(f, w, 2)
    if f2.has(sp.DiracDelta, sp.Heaviside, sp.Derivative, sp.Subs):
        raise ValueError(f"expr {f}: sympy's f'' = {f2} has DiracDelta/Heaviside terms; certify needs "
                         "f twice continuously differentiable on R and does not simplify such terms "
                         "(even where they vanish, e.g. |w|³)")
    g = smooth_stand_in(f, w)  # log-sum-exp terms are smooth on R: sympy's domain search cannot see it
    for what, e in (("f", g), ("f''", sp.diff(g, w, 2))):
        try:
            dom = continuous_domain(e, w, sp.S.Reals)
        except Exception:
            continue
        if dom != sp.S.Reals:
            raise ValueError(f"expr {f}: {what} must be defined and continuous on all of R, "
                             f"but is so only on {dom}")


def trig_sequence(f: sp.Expr, f2: sp.Expr, w: sp.Symbol, fbr: tuple[float, float]) -> str:
    """A proof that f is (H0,H1)-smooth for no constants, for trigonometric terms sin/cos(c·w + b):
    along w_k = ±(θ + kP) (P a common period, k integer) the trigonometric factors are constant and
    |f''|/(1 + |f| + |f*|) -> ∞ (sympy limit in k); "" if no such sequence is found."""
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
    C = sp.Rational(max(abs(fbr[0]), abs(fbr[1]))) if all(map(math.isfinite, fbr)) else None
    if C is None:
        return ""
    for s in (1, -1):
        for j in range(4 * L):
            theta = j * sp.pi / (2 * abs(c0))
            wk = s * (theta + k * P)
            fk, f2k = _simp(f.subs(w, wk)), _simp(f2.subs(w, wk))
            if fk.has(sp.sin, sp.cos) or f2k.has(sp.sin, sp.cos):
                continue
            r = _lim(sp.Abs(f2k) / (1 + sp.Abs(fk) + C), k, sp.oo)
            if r is sp.oo:
                return (f"along w_k = {wk} (k -> oo, integer) |f''|/(1 + |f| + |f*|) -> oo "
                        f"(f(w_k) = {fk}, f''(w_k) = {f2k})")
    return ""
