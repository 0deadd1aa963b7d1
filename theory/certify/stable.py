"""Stable primitives for the functions ML uses — log-sum-exp (softplus, cross-entropy), softmax
(the logistic sigmoid) and log cosh — as sympy functions whose derivatives stay in stable form,
with interval enclosures that are tight on unbounded boxes.

Why: sympy differentiates log(1 + e^w) to e^w/(e^w + 1) − e^{2w}/(e^w + 1)², and log cosh w to
1 − sinh²w/cosh²w.  On a tail [a, ∞) interval arithmetic evaluates both as ∞/∞ = [−∞, ∞], so a
branch-and-bound over the real line never closes its tails (issue 15: softplus "uncertified").
Written with

    LogSumExp(v_1, …, v_n) = log Σ_j e^{v_j},     Softmax(j; v) = e^{v_j} / Σ_k e^{v_k},
    LogCosh(u) = log cosh u,

(softplus(u) = LogSumExp(0, u), the logistic σ(u) = Softmax(1; 0, u)) and the exact rules

    ∂ LogSumExp / ∂v_j = Softmax(j; v),   ∂ Softmax(j; v)/∂v_j = p_j Σ_{k≠j} p_k,
    ∂ Softmax(j; v)/∂v_k = −p_j p_k (k ≠ j),   LogCosh' = tanh,  tanh' = sech²,

the second derivative of a log-sum-exp of affine v_j = α_j w + β_j comes out as
Σ_{j<k} (α_j − α_k)² p_j p_k (sympy merges the two ordered pairs): no cancellation, every factor in
[0, 1].  Enclosures use monotonicity: LogSumExp increases in each argument (evaluated at the
endpoints with the max-shift, cancellation-free); Softmax(j; v) = exp(−LogSumExp(v_k − v_j)_k) with
the differences v_k − v_j formed symbolically (so a common term such as α·w cancels before any
interval is formed); LogCosh is evaluated as |u| + log(1 + e^{−2|u|}) − log 2.  All in ``mpmath.iv``
with outward rounding; endpoints may be infinite.

:func:`normalise` rewrites an elementary expression into these primitives (each rule an identity on
R); :func:`elementary` rewrites back, for sympy's limits and solvers.

>>> import sympy as sp
>>> w = sp.Symbol("w", real=True)
>>> g = normalise(sp.log(1 + sp.exp(w)) + w**2/10, w)
>>> g
w**2/10 + LogSumExp(0, w)
>>> normalise(sp.log(1 + sp.exp(w)) - w/2, w)               # the line moves inside: log 2cosh(w/2)
LogSumExp(-w/2, w/2)
>>> stable_diff(g, w, 2)
Softmax(0, 0, w)*Softmax(1, 0, w) + 1/5
>>> normalise(sp.log(sp.exp(2*w) + sp.exp(-w) + 1), w)      # three logits (cross-entropy)
LogSumExp(0, -w, 2*w)
>>> sp.simplify(elementary(normalise(sp.log(2*sp.cosh(w)), w)) - sp.log(2*sp.cosh(w)))
0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from mpmath import iv

__all__ = ["LogSumExp", "Softmax", "LogCosh", "normalise", "elementary", "is_stable", "smooth_stand_in",
           "stable_diff"]

_PINF = float("inf")


def _endpoint_lse(vals: list[Any]) -> Any:
    """log Σ e^{v_j} at point intervals (infinite points allowed), shifted by the largest v."""
    fl = [float(v.a) for v in vals]
    if any(x == _PINF for x in fl):
        return iv.mpf(["inf", "inf"])
    keep = [v for v, x in zip(vals, fl) if x != -_PINF]
    if not keep:
        return iv.mpf(["-inf", "-inf"])
    m = max(keep, key=lambda v: float(v.a))
    return m + iv.log(sum((iv.exp(v - m) for v in keep), iv.mpf(0)))


_MEMO: dict[tuple[Any, ...], Any] = {}
_MEMO_MAX = 8192


def _memo(node: sp.Expr, fn: Callable[[tuple[Any, ...]], Any]) -> Callable[[tuple[Any, ...]], Any]:
    """Cache an enclosure per (primitive, box endpoints): the same LogSumExp / Softmax node occurs in
    f and its first three derivatives and in each algebraic form the branch-and-bound intersects, all
    evaluated on the same box.  The result depends only on the node and the box: no value changes."""
    def g(xs: tuple[Any, ...]) -> Any:
        key = (node, tuple((float(x.a), float(x.b)) for x in xs))
        hit = _MEMO.get(key)
        if hit is None:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            hit = _MEMO[key] = fn(xs)
        return hit
    return g


class LogSumExp(sp.Function):  # type: ignore[misc]  # sympy is untyped
    """LogSumExp(v_1, …, v_n) = log Σ_j e^{v_j}; increasing in each argument."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Softmax(sp.Integer(argindex - 1), *self.args)

    def _eval_is_real(self) -> bool | None:
        return all(a.is_real for a in self.args) or None

    def _eval_rewrite_as_log(self, *vs: sp.Expr, **kw: Any) -> sp.Expr:
        return sp.log(sp.Add(*[sp.exp(v) for v in vs]))

    def _iv_compile(self, build: Callable[[sp.Expr], Callable[..., Any]]) -> Callable[..., Any]:
        parts = [build(v) for v in self.args]

        def lse(xs: tuple[Any, ...]) -> Any:
            ys = [p(xs) for p in parts]
            lo_ = _endpoint_lse([iv.mpf(y.a) for y in ys])
            hi_ = _endpoint_lse([iv.mpf(y.b) for y in ys])
            return iv.mpf([lo_.a, hi_.b])
        return _memo(self, lse)


class Softmax(sp.Function):  # type: ignore[misc]  # sympy is untyped
    """Softmax(j, v_1, …, v_n) = e^{v_{j+1}} / Σ_k e^{v_k} ∈ (0, 1) (j counts from 0)."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        j, vs = int(self.args[0]), self.args[1:]
        k = argindex - 2
        if k < 0:
            return sp.Integer(0)
        if k == j:
            return self * sp.Add(*[Softmax(sp.Integer(i), *vs) for i in range(len(vs)) if i != j])
        return -self * Softmax(sp.Integer(k), *vs)

    def _eval_is_real(self) -> bool | None:
        return all(a.is_real for a in self.args[1:]) or None

    def _eval_is_positive(self) -> bool | None:
        return self._eval_is_real()

    def _eval_rewrite_as_log(self, j: sp.Expr, *vs: sp.Expr, **kw: Any) -> sp.Expr:
        return sp.exp(vs[int(j)]) / sp.Add(*[sp.exp(v) for v in vs])

    def _iv_compile(self, build: Callable[[sp.Expr], Callable[..., Any]]) -> Callable[..., Any]:
        j, vs = int(self.args[0]), self.args[1:]
        diffs = [sp.expand(v - vs[j]) for i, v in enumerate(vs) if i != j]
        lse = LogSumExp(sp.Integer(0), *diffs)._iv_compile(build)

        def softmax(xs: tuple[Any, ...]) -> Any:
            y = iv.exp(-lse(xs))
            return iv.mpf([max(float(y.a), 0.0), min(float(y.b), 1.0)])
        return _memo(self, softmax)


class LogCosh(sp.Function):  # type: ignore[misc]  # sympy is untyped
    """LogCosh(u) = log cosh u >= 0 (decreasing on u <= 0, increasing on u >= 0); derivative tanh u."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.tanh(self.args[0])

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _eval_is_nonnegative(self) -> bool | None:
        return self.args[0].is_real  # type: ignore[no-any-return]

    def _eval_rewrite_as_log(self, u: sp.Expr, **kw: Any) -> sp.Expr:
        return sp.log(sp.cosh(u))

    def _iv_compile(self, build: Callable[[sp.Expr], Callable[..., Any]]) -> Callable[..., Any]:
        inner = build(self.args[0])

        def point(p: Any) -> Any:
            if float(p.a) in (_PINF, -_PINF):
                return iv.mpf(["inf", "inf"])
            q = abs(p)  # log cosh q = q + log(1 + e^{−2q}) − log 2: no overflow
            return q + iv.log(1 + iv.exp(-2 * q)) - iv.log(2)

        def logcosh(xs: tuple[Any, ...]) -> Any:
            x = inner(xs)
            a, b = float(x.a), float(x.b)
            pa, pb = point(iv.mpf(x.a)), point(iv.mpf(x.b))
            top = max(pa.b, pb.b)
            if a >= 0:
                return iv.mpf([max(float(pa.a), 0.0), pb.b])
            if b <= 0:
                return iv.mpf([max(float(pb.a), 0.0), pa.b])
            return iv.mpf([0, top])
        return _memo(self, logcosh)


_PRIMS = (LogSumExp, Softmax, LogCosh)


def is_stable(expr: sp.Expr) -> bool:
    """True if ``expr`` contains one of the stable primitives."""
    return bool(expr.has(*_PRIMS))


_HYP = (sp.cosh, sp.sinh, sp.tanh, sp.sech)


def elementary(expr: sp.Expr, exp_form: bool = False) -> sp.Expr:
    """The same function written with elementary functions (for sympy's limits and solvers); with
    ``exp_form`` also cosh / sinh / tanh / sech as exponentials (sympy's solveset and its limits of
    log cosh are several times faster so; its limits of sech² are faster without)."""
    e = expr.replace(lambda t: isinstance(t, _PRIMS), lambda t: t.rewrite(sp.log))
    if exp_form:
        e = e.replace(lambda t: isinstance(t, _HYP), lambda t: t.rewrite(sp.exp))
    return e


def smooth_stand_in(expr: sp.Expr, w: sp.Symbol) -> sp.Expr:
    """``expr`` with each stable primitive of :func:`normalise` replaced by a function that is smooth
    exactly where the primitive's arguments are (LogSumExp(v) -> Σ e^{v_j}, Softmax(j; v) -> e^{v_j},
    LogCosh(u) -> cosh u): same domain of continuity and of twice-differentiability, for sympy's
    domain search."""
    g = normalise(expr, w)
    return g.replace(lambda e: isinstance(e, (LogSumExp, Softmax)),
                     lambda e: sp.Add(*[sp.exp(v) for v in e.args[int(isinstance(e, Softmax)):]])) \
        .replace(lambda e: isinstance(e, LogCosh), lambda e: sp.cosh(e.args[0]))


def stable_diff(expr: sp.Expr, w: sp.Symbol, n: int = 1) -> sp.Expr:
    """n-th derivative keeping the stable form: tanh² is written 1 − sech², so that 1 − tanh²u
    (the derivative of tanh) collapses to sech²u, a nonnegative product."""
    e = expr
    for _ in range(n):
        e = sp.expand(sp.diff(e, w))
        e = e.replace(lambda t: t.is_Pow and isinstance(t.base, sp.tanh) and t.exp == 2,
                      lambda t: 1 - sp.sech(t.base.args[0]) ** 2)
        e = sp.expand(e)
    return e


# ---------------------------------------------------------------------------------------------
# normalisation


def _exp_terms(arg: sp.Expr, w: sp.Symbol) -> list[sp.Expr] | None:
    """Exponents v_j with arg = Σ_j e^{v_j} (a term c·e^{u}, c > 0 a number, gives u + log c;
    a positive constant c gives log c); None if ``arg`` is not a sum of that form."""
    out = []
    for t in sp.Add.make_args(sp.expand(arg)):
        c, rest = t.as_independent(w, as_Add=False)
        if not (c.is_number and c.is_positive):
            return None
        if rest == 1:
            v: sp.Expr = sp.Integer(0)
        else:
            factors = sp.Mul.make_args(rest)
            if not all(isinstance(f, sp.exp) for f in factors):
                return None
            v = sp.Add(*[f.args[0] for f in factors])
        out.append(sp.expand(v + sp.log(c)))
    return out


def _sorted(vs: list[sp.Expr]) -> list[sp.Expr]:
    return sorted(vs, key=sp.default_sort_key)


def _ratio(num: list[sp.Expr], den: sp.Expr, w: sp.Symbol) -> sp.Expr | None:
    """e^{x}/Σ_j e^{v_j} (numerator factors ``num`` exponentials or numbers) as Softmax(j; v) · c
    when x − v_j is a constant for some j; None otherwise."""
    vs = _exp_terms(den, w)
    if vs is None or len(vs) < 2:
        return None
    x = sp.Integer(0)
    for f in num:
        if isinstance(f, sp.exp):
            x += f.args[0]
        elif not f.is_number:
            return None
        elif f.is_positive:
            x += sp.log(f)
        else:
            return None
    vs = _sorted(vs)
    for j, v in enumerate(vs):
        d = sp.simplify(x - v)
        if not d.has(w):
            return sp.exp(d) * Softmax(sp.Integer(j), *vs)
    return None


def normalise(expr: sp.Expr, w: sp.Symbol) -> sp.Expr:
    """Rewrite softplus / log-sum-exp / cross-entropy / logistic / log cosh terms exactly into the
    stable primitives (every rule an identity on R):

    * log(Σ_j c_j e^{v_j}) (c_j > 0 numbers, n >= 2) = LogSumExp(v_j + log c_j);
    * log(c·cosh u) = log c + LogCosh(u);  log(∏ positive factors) = Σ log(factor);
      log(1/g) = −log g;  log(e^u) = u;
    * c·e^{x}/Σ_j c_j e^{v_j} = (c e^{x − v_j}/c_j)·Softmax(j; v + log c) when x − v_j is constant
      (e.g. 1/(1 + e^{−u}) = σ(u) = Softmax(1; −u, 0)).

    Anything else is kept as it is.
    """
    def rw(e: sp.Expr) -> sp.Expr:
        if e.is_Atom or not e.has(w):
            return e
        if isinstance(e, sp.log):
            a = e.args[0]
            if isinstance(a, sp.cosh):
                return LogCosh(rw(a.args[0]))
            if isinstance(a, sp.Pow) and a.exp == -1:
                return -rw(sp.log(a.base))
            if isinstance(a, sp.Mul) and all(f.is_positive for f in a.args):
                return sp.Add(*[rw(sp.log(f)) for f in a.args])
            if isinstance(a, sp.exp):
                return rw(a.args[0])
            vs = _exp_terms(a, w)
            if vs is not None and len(vs) >= 2:
                return LogSumExp(*_sorted([rw(v) for v in vs]))
            return sp.log(rw(a))
        if isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp < -1 and e.base.is_Add:
            r = _ratio([], e.base, w)  # (1/Σ e^{v_j})^n = (c·Softmax)^n
            if r is not None:
                return r ** (-e.exp)
        if isinstance(e, (sp.Mul, sp.Pow)):
            factors = sp.Mul.make_args(e)
            dens = [f for f in factors if isinstance(f, sp.Pow) and f.exp == -1 and f.base.is_Add]
            if len(dens) == 1:
                num = [f for f in factors if f is not dens[0]]
                nums = [f for f in num if isinstance(f, sp.exp) or f.is_number]
                others = [rw(f) for f in num if not (isinstance(f, sp.exp) or f.is_number)]
                r = _ratio(nums, dens[0].base, w)
                if r is not None:
                    return sp.Mul(*others) * r
            if isinstance(e, sp.Mul):
                return sp.Mul(*[rw(g) for g in e.args])
        if isinstance(e, sp.Add):
            return _complement(sp.Add(*[rw(a) for a in e.args]))
        return e.func(*[rw(a) for a in e.args])
    return _absorb_affine(rw(expr), w)


def _complement(e: sp.Expr) -> sp.Expr:
    """b − b·Softmax(j; v) = b·Σ_{k≠j} Softmax(k; v) (b a number): e.g. 1 − σ(u) = σ(−u), without the
    cancellation 1 − [1 − ε, 1] = [0, ε] that interval arithmetic would widen."""
    if not isinstance(e, sp.Add):
        return e
    terms = list(e.args)
    const = sp.Add(*[t for t in terms if t.is_number])
    for t in terms:
        c, rest = t.as_independent(*t.free_symbols, as_Add=False) if t.free_symbols else (t, sp.S.One)
        if isinstance(rest, Softmax) and const != 0 and sp.simplify(c + const) == 0:
            j, vs = int(rest.args[0]), rest.args[1:]
            comp = sp.Add(*[Softmax(sp.Integer(k), *vs) for k in range(len(vs)) if k != j])
            others = [u for u in terms if u is not t and not u.is_number]
            return sp.Add(const * comp, *others)
    return e


def _absorb_affine(e: sp.Expr, w: sp.Symbol) -> sp.Expr:
    """c·LogSumExp(v) + a·w + b = c·LogSumExp(v + (a·w + b)/c) (c > 0): the affine part moves inside, so
    that e.g. softplus(w) − w/2 becomes LogSumExp(−w/2, w/2) and its interval lower bound stays finite
    on both tails (a growing LogSumExp minus a growing line is [x, ∞) − [y, ∞) = [−∞, ∞])."""
    terms = list(sp.Add.make_args(e))
    aff = [t for t in terms if t.is_polynomial(w) and sp.degree(t, w) <= 1]
    lin = sp.Add(*aff)
    if not lin.has(w):
        return e
    for i, t in enumerate(terms):
        c, rest = t.as_independent(w, as_Add=False)
        if isinstance(rest, LogSumExp) and c.is_number and c.is_positive:
            new = c * LogSumExp(*_sorted([sp.expand(v + lin / c) for v in rest.args]))
            others = [u for j, u in enumerate(terms) if j != i and u not in aff]
            return sp.Add(new, *others)
    return e
