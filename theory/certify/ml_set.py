"""A set of one-variable functions ML uses (softplus, logistic and cross-entropy losses, log-sum-exp,
log cosh, their sums with polynomials and exponentials), and an independent mpmath reference for
their frontier φ(H1) = sup_w(|f''(w)| − H1·(f(w) − f*)) (Definition 3.1, v2).

The reference shares nothing with :func:`~warmup_theory.theory.certify.certify` but sympy's
differentiation: it evaluates the *elementary* f, f', f'', f''' (no stable normal form, no interval
arithmetic) in mpmath at 40 digits, locates the extrema on a float grid over [−40, 40], refines each
by ``mpmath.findroot`` on the derivative, and adds far points (|w| = 60 … 10⁴, where every function
of the set is within e^{−50} of its limit or already past its extremum).  Its values are attained
(up to the root's 40-digit accuracy) or limits approached exponentially, so they sit inside a correct
certified bracket up to ~1e-15; a reference can only fall short of the true supremum if the grid
misses a peak narrower than its spacing 0.01 (none of these functions has one).

>>> import sympy as sp
>>> name, f = ML_SET[0]
>>> name, f
('softplus', log(exp(w) + 1))
>>> round(reference_phi(f, 0.0), 12)      # sup σ(w)σ(−w) = 1/4 at w = 0
0.25
>>> len(ML_SET) >= 40
True

:func:`decided` and :func:`agrees` are the two criteria the tests and ``benchmarks/certify.py`` apply to
``certify``'s answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import sympy as sp

from warmup_theory.theory.certify.results import BRACKET, EXACT, Answer

__all__ = ["ML_SET", "agrees", "decided", "reference_fstar", "reference_phi", "w"]

w = sp.Symbol("w", real=True)
E, L, C = sp.exp, sp.log, sp.cosh
R = sp.Rational


def _sp(u: sp.Expr) -> sp.Expr:  # softplus as a user writes it
    return L(1 + E(u))


ML_SET: list[tuple[str, sp.Expr]] = [
    ("softplus", _sp(w)),
    ("logistic", _sp(-w)),
    ("softplus+w²/10 (issue 15 Q1)", _sp(w) + w**2 / 10),
    ("logistic+w²/2", _sp(-w) + w**2 / 2),
    ("logistic+w²/100", _sp(-w) + w**2 / 100),
    ("logistic+w⁴/100", _sp(-w) + w**4 / 100),
    ("two samples, opposite labels", _sp(-2 * w) + _sp(w)),
    ("two samples, shifted", _sp(-w) + _sp(w - 3)),
    ("imbalanced labels 3:1", 3 * _sp(-w) + _sp(w)),
    ("mean of two margins", R(1, 2) * _sp(-w) + R(1, 2) * _sp(-w / 2)),
    ("softplus(3w)+softplus(−3w)", _sp(3 * w) + _sp(-3 * w)),
    ("softplus(w−2)+w²/4", _sp(w - 2) + w**2 / 4),
    ("softplus−w/2 = log 2cosh(w/2)", _sp(w) - w / 2),
    ("softplus(w²)", _sp(w**2)),
    ("softplus²", _sp(w) ** 2),
    ("logistic+e^w/10", _sp(-w) + E(w) / 10),
    ("softplus+e^{−w}", _sp(w) + E(-w)),
    ("logistic+log cosh", _sp(-w) + L(C(w))),
    ("double well+softplus", w**4 / 4 - w**2 + _sp(w)),
    ("log(e^w + e^{−w})", L(E(w) + E(-w))),
    ("CE, 3 logits (0, −w, 2w)", L(E(2 * w) + E(-w) + 1)),
    ("CE, 3 logits, class w correct", L(1 + E(w) + E(2 * w)) - w),
    ("CE, 3 logits + w²/10", L(1 + E(w) + E(-2 * w)) + w**2 / 10),
    ("CE with bias, 2 logits", L(E(w + 1) + E(-w)) - w - 1),
    ("logsumexp(w, 2w−1, −w+1)", L(E(w) + E(2 * w - 1) + E(1 - w))),
    ("log(1/(1+e^{−w}))·(−1)", -L(1 / (1 + E(-w)))),
    ("sigmoid squared error", (1 / (1 + E(-w)) - 1) ** 2),
    ("sigmoid squared error+w²/10", (1 / (1 + E(-w))) ** 2 + w**2 / 10),
    ("log cosh", L(C(w))),
    ("log cosh(w−1)+log cosh(w+1)", L(C(w - 1)) + L(C(w + 1))),
    ("log cosh+w²/2", L(C(w)) + w**2 / 2),
    ("log cosh(2w)+w⁴/10", L(C(2 * w)) + w**4 / 10),
    ("(w−1)²+log cosh", (w - 1) ** 2 + L(C(w))),
    ("log(2 cosh w)", L(2 * C(w))),
    ("w²/2", w**2 / 2),
    ("w⁴", w**4),
    ("w⁴+w²", w**4 + w**2),
    ("(w²−1)²", (w**2 - 1) ** 2),
    ("e^w+e^{−w}", E(w) + E(-w)),
    ("e^w+w²", E(w) + w**2),
    ("e^w−w", E(w) - w),
    ("e^{−w}+w", E(-w) + w),
    ("cosh", C(w)),
    ("e^w+e^{−2w}", E(w) + E(-2 * w)),
    ("softplus+softplus(−w)", _sp(w) + _sp(-w)),
    ("0.3·logistic+0.7·softplus(w−1)", R(3, 10) * _sp(-w) + R(7, 10) * _sp(w - 1)),
]


def _fns(f: sp.Expr, module: str) -> list[Callable[..., Any]]:
    ds = [f]
    for _ in range(3):
        ds.append(sp.diff(ds[-1], w))
    return [sp.lambdify(w, d, module) for d in ds]


_FAR = [s * 10.0**k for k in (1.8, 2.0, 2.5, 3.0, 3.5, 4.0) for s in (1, -1)]
_GRID = [-40.0 + 0.01 * i for i in range(8001)]


def _argext(g: Callable[[float], float]) -> list[float]:
    """Grid points that are local maxima of g (float64 evaluation, only to place the seeds)."""
    vals: list[float | None] = []
    for t in _GRID:
        try:
            vals.append(float(g(t)))
        except (OverflowError, ValueError, ZeroDivisionError):
            vals.append(None)
    out = []
    for i in range(1, len(_GRID) - 1):
        a, b, c = vals[i - 1], vals[i], vals[i + 1]
        if a is not None and b is not None and c is not None and b >= a and b >= c and (b > a or b > c):
            out.append((b, _GRID[i]))
    return [t for _, t in sorted(out, reverse=True)[:12]]  # the 12 highest local maxima


def _best(k: Callable[[Any], Any], dk: Callable[[Any], Any], seeds: list[float]) -> Any:
    """max of k over the seeds, their findroot refinements (roots of dk) and the far points; +inf if
    k grows along the far points of one side past 1e6 (a divergent end: φ = ∞)."""
    best = mp.mpf("-inf")
    for t in seeds:
        pts = [mp.mpf(t)]
        try:
            pts.append(mp.findroot(dk, mp.mpf(t)))
        except (ValueError, ZeroDivisionError, TypeError):
            pass
        for p in pts:
            v = k(p)
            if mp.im(p) == 0 and mp.isfinite(v) and v > best:
                best = v
    for s in (1, -1):
        far = [k(mp.mpf(t)) for t in _FAR if t * s > 0]
        if all(b > a for a, b in zip(far, far[1:])) and far[-1] > 1e6:
            return mp.inf
        best = max([best] + [v for v in far if mp.isfinite(v)])
    return best


def reference_fstar(f: sp.Expr) -> float:
    """inf f by the independent route (mpmath, 40 digits): grid minima refined by findroot of f'."""
    Ff = _fns(f, "math")[0]
    with mp.workdps(40):
        F, F1, _, _ = _fns(f, "mpmath")
        return float(-_best(lambda t: -F(t), F1, _argext(lambda t: -Ff(t))))


def reference_phi(f: sp.Expr, H1: float) -> float:
    """φ(H1) = sup_w(|f''| − H1·(f − f*)) by the independent route (mpmath, 40 digits); ``math.inf``
    where k = |f''| − H1(f − f*) grows without bound along the far points."""
    fs = reference_fstar(f)
    Ff, _, F2f, _ = _fns(f, "math")
    with mp.workdps(40):
        F, F1, F2, F3 = _fns(f, "mpmath")
        fstar, h = mp.mpf(fs), mp.mpf(H1)

        def k(t: Any) -> Any:
            return abs(F2(t)) - h * (F(t) - fstar)

        def dk(t: Any) -> Any:
            return mp.sign(F2(t)) * F3(t) - h * F1(t)

        v = _best(k, dk, _argext(lambda t: abs(F2f(t)) - H1 * (Ff(t) - fs)))
        return math.inf if v == mp.inf else max(float(v), 0.0)


REL = 1e-6  # issue 15's target: exact, or a certified bracket of relative width <= 1e-6


def decided(a: Answer) -> bool:
    """Exact, or a finite certified bracket of relative width <= :data:`REL` (absolute 1e-9 for a
    value <= 1e-6): the criterion the tests and ``benchmarks/certify.py`` count."""
    if a.method == EXACT:
        return True
    if a.method != BRACKET or not math.isfinite(a.upper):
        return False
    return a.upper - a.lower <= max(REL * abs(a.upper), 1e-9 if a.upper <= 1e-6 else 0.0)


def agrees(a: Answer, ref: float) -> bool:
    """The certified value (exact or bracket) contains the reference ``ref``, up to the reference's
    rounding (slack 1e-9·(1 + |ref|)); an infinite reference needs ``a.value`` = ``sympy.oo``."""
    if ref == math.inf:
        return a.value is sp.oo
    if a.value is sp.oo:
        return False
    slack = 1e-9 * (1 + abs(ref))
    return a.lower - slack <= ref <= a.upper + slack
