"""Global activation constants C1, C2, C3 for Prop 3.3 (v2), certified where possible.

For an activation φ : R → R (a sympy expression in one real symbol, twice continuously
differentiable) the two-layer bound of :mod:`warmup_theory.theory.architectures.two_layer_ce` needs

    C1 = sup_{s≠0} |φ(s)/s|,   C2 = sup_s |φ'(s)|,   C3 = sup_s |φ''(s)|.

C1 exists only if φ(0) = 0 (otherwise |φ(s)| <= C1|s| fails at s = 0: softplus, sigmoid).
How each supremum is obtained (``ActivationConstants.methods``):

1. sympy limits at ±∞; an infinite limit means the bound does not exist → ``ValueError``
   naming the bound (e.g. φ = s² has φ' = 2s unbounded);
2. ``[−R, R]`` (R = 20): rigorous interval branch-and-bound (``mpmath.iv``, outward
   rounding; :mod:`warmup_theory.theory.certify.interval`) on ±g, with a centred (mean-value) form; for
   C1 also the enclosure φ(s)/s ∈ φ'(hull{0, s}) (mean value theorem, φ(0) = 0), which
   removes the 0/0 at s = 0.  ``erf``/``erfc`` (monotone) are enclosed from their endpoint
   values, computed by mpmath at 30 digits and widened by 1e-20 (``mpmath.iv.erf`` does not
   converge on wide intervals) — the one step that is not outward-rounded arithmetic;
3. tails |s| >= R: the same interval enclosure on [R, ∞) (dyadic splitting) — certified
   when finite; otherwise, if g' = (positive constants, exp factors) × a polynomial, whose
   real roots sympy finds exactly (GELU: φ_N(s)(2 − s²)), sup over the tail = max(|g(±R)|, |g(critical)|, |limit|),
   each enclosed by interval arithmetic; or, for g rational in (s, e^s) (SiLU), with
   r = |s|, T = e^{−r}: monomials r^k T^j are enclosed by (0, R^k e^{−jR}] (decreasing for
   r >= k/j) — all certified ("tails certified").  Only when every route fails is the tail
   covered by the sympy limit plus a log-spaced sample out to 10^12 (method says "tails
   sampled (not certified)").

The reported constant is the UPPER end of the bracket ``[lower, upper]`` (``lower`` is a
rigorously evaluated value or an exact limit).  Presets (``ACTIVATIONS``): tanh, softplus
(C1 fails), gelu = s·Φ(s) (exact erf form), silu = s·sigmoid(s).  Known closed forms
(checked in ``proofs_checks``): tanh (1, 1, 4√3/9); gelu C1 = 1, C2 = Φ(√2) + √2·φ_N(√2),
C3 = √(2/π).

>>> c = activation_constants(sp.tanh(S))            # C3 = 4√3/9 = 0.76980035...
>>> round(c.C1, 9), round(c.C2, 9), round(c.C3, 7), c.certified
(1.0, 1.0, 0.7698004, True)
>>> activation_constants("softplus")
Traceback (most recent call last):
...
ValueError: activation softplus: C1 = sup|φ(s)/s| does not exist: φ(0) = log(2) ≠ 0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

__all__ = [
    "ACTIVATIONS",
    "ActivationConstants",
    "activation_constants",
    "sin_perturbed_identity",
    "S",
]

S = sp.Symbol("s", real=True)
_R = 20.0
_TOL = 1e-8

ACTIVATIONS: dict[str, sp.Expr] = {
    "tanh": sp.tanh(S),
    "softplus": sp.log(1 + sp.exp(S)),
    "gelu": S * (1 + sp.erf(S / sp.sqrt(2))) / 2,
    "silu": S / (1 + sp.exp(-S)),
}


def sin_perturbed_identity(a: Any, omega: Any, s: sp.Symbol = S) -> sp.Expr:
    """φ(s) = s + (a/ω)·sin(ωs): C1 = C2 = 1 + a, C3 = a·ω (the Eq. (31) witness activation).

    >>> sin_perturbed_identity(sp.Rational(1, 10), 1000)
    s + sin(1000*s)/10000
    """
    a, omega = sp.nsimplify(a), sp.nsimplify(omega)
    return s + (a / omega) * sp.sin(omega * s)


@dataclass(frozen=True)
class ActivationConstants:
    """C1, C2, C3 (upper ends of certified brackets), the brackets and how they were found."""

    name: str
    phi: str
    C1: float
    C2: float
    C3: float
    brackets: tuple  # (("C1", lo, hi), ("C2", lo, hi), ("C3", lo, hi))
    methods: tuple   # (("C1", text), ...)
    certified: bool  # all three brackets rigorous on all of R

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"name": self.name, "phi": self.phi, "C1": self.C1, "C2": self.C2, "C3": self.C3,
                "brackets": {k: [lo, hi] for k, lo, hi in self.brackets},
                "methods": dict(self.methods), "certified": self.certified}


_BAD = (sp.Heaviside, sp.DiracDelta, sp.sign, sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.floor,
        sp.ceiling)


def _compile(expr: sp.Expr, s: sp.Symbol) -> Callable:
    """Interval enclosure of expr(s); erf/erfc handled by composition with mpmath.iv."""
    from mpmath import iv

    from warmup_theory.theory.certify.interval import compile_iv

    specials = sorted(expr.atoms(sp.erf, sp.erfc), key=sp.default_sort_key)
    if not specials:
        return compile_iv(expr, (s,))
    dummies = [sp.Dummy(f"e{i}") for i in range(len(specials))]
    outer = compile_iv(expr.xreplace(dict(zip(specials, dummies))), (s, *dummies))
    inners = [(_iv_erf if isinstance(e, sp.erf) else _iv_erfc, _compile(e.args[0], s)) for e in specials]

    def fn(x):
        try:
            vals = [f(inner(x)) for f, inner in inners]
        except (ValueError, ZeroDivisionError, OverflowError):
            return iv.mpf(["-inf", "inf"])
        return outer(x, *vals)
    return fn


def _erf_point(x: Any, up: bool) -> Any:
    """erf at an endpoint, rounded outward: 30-digit mpmath value widened by 1e-20 (abs+rel)."""
    import mpmath

    if mpmath.isinf(x):
        return mpmath.mpf(1 if x > 0 else -1)
    with mpmath.workdps(30):
        v = mpmath.erf(mpmath.mpf(x))
        w = mpmath.mpf("1e-20") * (1 + abs(v))
        v = v + w if up else v - w
    return min(max(v, mpmath.mpf(-1)), mpmath.mpf(1))


def _iv_erf(x: Any) -> Any:
    """Enclosure of erf on an interval (erf is increasing): [erf(a)↓, erf(b)↑]."""
    from mpmath import iv

    return iv.mpf([_erf_point(x.a, False), _erf_point(x.b, True)])


def _iv_erfc(x: Any) -> Any:
    """erfc = 1 − erf (decreasing)."""
    from mpmath import iv

    return iv.mpf(1) - _iv_erf(x)


def _hull0(fn: Callable) -> Callable:
    """x ↦ fn(hull(x ∪ {0})): encloses φ(s)/s = φ'(ξ), ξ between 0 and s."""
    from mpmath import iv

    def h(x):
        a, b = float(x.a), float(x.b)
        return fn(iv.mpf([min(a, 0.0), max(b, 0.0)]))
    return h


def _limit(g: sp.Expr, s: sp.Symbol, end: Any) -> Any:
    try:
        return sp.limit(g, s, end)
    except Exception:
        return None


class _Bound:
    """One supremum sup_R |g| being bracketed: enclosures, then tails, then the interior."""

    def __init__(self, label: str, g: sp.Expr, s: sp.Symbol, extra: list[Callable]) -> None:
        self.label, self.g, self.s = label, g, s
        forms = [g]
        for alt in (sp.cancel(g),):  # (sympy.simplify is avoided: it can take minutes on tanh forms)
            if alt not in forms:
                forms.append(alt)
        self.extra = list(extra)
        self.base = [_compile(e, s) for e in forms] + self.extra
        self.notes: list[str] = []
        self.lower, self.upper, self.certified = 0.0, 0.0, True

    def tails(self) -> None:
        """|s| >= R: interval enclosure (certified) or sympy limit + sampling; ValueError if unbounded."""
        from warmup_theory.theory.certify.interval import maximize_1d

        gl = None
        for dom, end in (((_R, math.inf), sp.oo), ((-math.inf, -_R), -sp.oo)):
            ok = True
            for sign in (1, -1):
                fns = [_neg(f) if sign < 0 else f for f in self.base]
                t = maximize_1d(fns, domain=dom, tol=1e-6, max_boxes=30)
                if math.isfinite(t.upper):
                    self.lower, self.upper = max(self.lower, t.lower), max(self.upper, t.upper)
                else:
                    ok = False
            if ok:
                continue
            L = _limit(self.g, self.s, end)
            if L is None or L.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or (
                    isinstance(L, sp.AccumBounds) and not (L.min.is_finite and L.max.is_finite)):
                raise ValueError(f"{self.label} does not exist: the limit as s → {end} is {L}")
            if not isinstance(L, sp.AccumBounds) and (self._tail_by_exp_monomials(end)
                                                      or self._tail_by_critical_points(dom, end, L)):
                continue
            self.certified = False
            self.notes.append(f"tail s→{end} sampled")
            Lv = max(abs(float(L.min)), abs(float(L.max))) if isinstance(L, sp.AccumBounds) else abs(float(L))
            gl = gl or sp.lambdify(self.s, self.g, "mpmath")
            sgn = 1 if end is sp.oo else -1
            vals = [Lv] + [abs(float(gl(sgn * _R * 10 ** (k / 10)))) for k in range(121)]
            self.upper = max(self.upper, max(vals))

    def _tail_by_exp_monomials(self, end: Any) -> bool:
        """Rigorous tail for g rational in (s, e^s) (SiLU-type): monomial-wise enclosure.

        With r = |s| >= R and T = e^{−r} ∈ (0, e^{−R}], write g = N(r, T)/D(r, T) (polynomials).
        Each monomial r^k T^j with j >= 1 and k <= jR has range (0, R^k e^{−jR}] on the tail
        (r^k e^{−jr} decreases for r >= k/j); r^k alone has range [R^k, ∞).  Summing the
        monomial enclosures encloses N and D; a finite N/D (D bounded away from 0) bounds |g|.
        """
        from mpmath import iv

        from warmup_theory.theory.certify.interval import hi, lo, to_iv

        if any(not isinstance(f, sp.exp) for f in self.g.atoms(sp.Function)):
            return False
        r, T = sp.Symbol("r", positive=True), sp.Symbol("T", positive=True)
        try:
            h = sp.powsimp(sp.expand(self.g.subs(self.s, r if end is sp.oo else -r).rewrite(sp.exp)))
            h = h.subs(sp.exp(r), 1 / T).subs(sp.exp(-r), T)
            num, den = sp.fraction(sp.together(h))
            polys = [sp.Poly(sp.expand(e), r, T) for e in (num, den)]
        except Exception:
            return False
        if any(c.free_symbols for p in polys for c in p.coeffs()):
            return False
        R = iv.mpf(_R)

        def encl(p: sp.Poly) -> Any:
            tot = iv.mpf(0)
            for (k, j), c in p.terms():
                if j == 0:
                    m = iv.mpf(1) if k == 0 else iv.mpf([float((R**k).a), "inf"])
                elif k <= j * _R:
                    m = iv.mpf([0, hi(R**k * iv.exp(-j * R))])
                else:
                    return iv.mpf(["-inf", "inf"])
                tot = tot + to_iv(c) * m
            return tot
        N, D = encl(polys[0]), encl(polys[1])
        if not (math.isfinite(lo(N)) and math.isfinite(hi(N)) and (lo(D) > 0 or hi(D) < 0)):
            return False
        q = N / D
        if not (math.isfinite(lo(q)) and math.isfinite(hi(q))):
            return False
        self.upper = max(self.upper, abs(lo(q)), abs(hi(q)))
        self.notes.append(f"s→{end}: rational in (s, e^s), monomial enclosure")
        return True

    def _tail_by_critical_points(self, dom: tuple, end: Any, L: sp.Expr) -> bool:
        """Rigorous tail when sympy solves g' = 0 on the tail exactly (a finite set, possibly empty).

        g is continuous on the closed tail, with finitely many critical points c and a finite
        limit L at the open end, so sup_tail |g| = max(|g(±R)|, |g(c)|, |L|); each value is
        enclosed by interval arithmetic.  Skipped (returns False) unless the numerator of g' is
        (positive constants, exp factors) × a polynomial in s (GELU's φ_N(s)(2 − s²)).
        """
        from mpmath import iv

        from warmup_theory.theory.certify.interval import hi, lo, to_iv

        s = self.s
        num = sp.numer(sp.together(sp.diff(self.g, s)))
        if any(not isinstance(f, sp.exp) for f in num.atoms(sp.Function)):
            return False
        # keep only the case (positive factors: constants, exp(·)) × polynomial in s, whose real
        # roots sympy finds exactly and fast (GELU); anything else is skipped, so the cost stays bounded
        poly_part = sp.Integer(1)
        for fac in sp.Mul.make_args(sp.factor(num)):
            base = fac.base if isinstance(fac, sp.Pow) and fac.exp.is_Integer else fac
            if isinstance(base, sp.exp) or (fac.is_number and fac.is_positive):
                continue
            if not fac.is_polynomial(s):
                return False
            poly_part *= fac
        interval = sp.Interval(_R, sp.oo) if end is sp.oo else sp.Interval(-sp.oo, -_R)
        if poly_part.free_symbols:
            crit = [c for c in sp.real_roots(sp.Poly(poly_part, s)) if c in interval]
        else:
            crit = []
        g = self.base[0]
        try:
            pts = [iv.mpf(_R if end is sp.oo else -_R)] + [to_iv(c) for c in crit]
        except (NotImplementedError, ValueError, TypeError):
            return False
        encl = [g(p) for p in pts] + [to_iv(L)]
        if not all(math.isfinite(lo(e)) and math.isfinite(hi(e)) for e in encl):
            return False
        self.upper = max(self.upper, max(max(abs(lo(e)), abs(hi(e))) for e in encl))
        self.lower = max(self.lower, max(min(abs(lo(e)), abs(hi(e))) if lo(e) * hi(e) > 0 else 0.0
                                         for e in encl))
        self.notes.append(f"s→{end}: g' = 0 solved exactly by sympy ({len(crit)} points), values enclosed")
        return True

    def interior(self) -> None:
        """[−R, R]: rigorous best-first branch-and-bound on ±g (plain, simplified, centred forms)."""
        from warmup_theory.theory.certify.interval import maximize_1d, mean_value_form

        mv = mean_value_form(_compile(self.g, self.s), _compile(sp.diff(self.g, self.s), self.s))
        for sign in (1, -1):
            fns = [_neg(f) if sign < 0 else f for f in self.base[:1] + self.extra + [mv]]
            r = maximize_1d(fns, domain=(-_R, _R), tol=_TOL, max_boxes=1500, seeds=(0.0, 1.0, -1.0),
                            known_lower=self.lower)  # only sup|g| matters: a value below it is enough
            if not math.isfinite(r.upper):
                raise ValueError(f"{self.label}: could not bound it on [−{_R:g}, {_R:g}] (interval enclosure "
                                 "infinite: a singularity or an unbounded term)")
            self.lower, self.upper = max(self.lower, r.lower), max(self.upper, r.upper)

    def result(self) -> tuple[float, float, str, bool]:
        method = (f"interval branch-and-bound on [−{_R:g}, {_R:g}] + " +
                  (f"tails |s| >= {_R:g} certified (" + ("; ".join(self.notes) if self.notes else
                                                        "interval enclosure") + ")" if self.certified else
                   "tails sampled (not certified): sympy limit + log grid to 1e12 ("
                   + ", ".join(self.notes) + ")"))
        return self.lower, self.upper, method, self.certified


def _neg(f: Callable) -> Callable:
    return lambda x: -f(x)


def activation_constants(phi: Any, s: sp.Symbol | None = None, *, name: str | None = None) -> ActivationConstants:
    """Brackets and constants C1, C2, C3 of an activation (module docstring).

    ``phi``: a preset name (``"tanh"``, ``"softplus"``, ``"gelu"``, ``"silu"``) or a sympy
    expression in one real symbol ``s`` (inferred when it is the only free symbol).
    Raises ``ValueError`` naming every bound that does not exist (``φ(0) ≠ 0`` for C1, an
    infinite limit, a non-C² closed form), ``TypeError`` for non-expressions and
    ``NotImplementedError`` for functions without an interval rule (e.g. atan).

    >>> c = activation_constants(sp.sin(S))
    >>> round(c.C1, 9), round(c.C2, 9), round(c.C3, 9), c.certified
    (1.0, 1.0, 1.0, True)
    >>> activation_constants(S**2)
    Traceback (most recent call last):
    ...
    ValueError: activation s**2: C1 = sup|φ(s)/s| does not exist: the limit as s → oo is oo; C2 = ... is oo
    """
    if isinstance(phi, str):
        key = phi.lower()
        if key not in ACTIVATIONS:
            raise ValueError(f"phi must be one of {sorted(ACTIVATIONS)} or a sympy expression, got {phi!r}")
        return _cached(ACTIVATIONS[key], S, key)
    if isinstance(phi, bool) or not isinstance(phi, (sp.Basic, int, float)):
        raise TypeError(f"phi must be a sympy expression or a preset name, got {type(phi).__name__}")
    expr = sp.sympify(phi)
    if s is None:
        free = sorted(expr.free_symbols, key=str)
        if len(free) > 1:
            raise ValueError(f"phi must depend on one symbol; pass s explicitly (free symbols {free})")
        s = free[0] if free else S
    elif not isinstance(s, sp.Symbol):
        raise TypeError(f"s must be a sympy Symbol, got {type(s).__name__}")
    if expr.free_symbols - {s}:
        raise ValueError(f"phi has free symbols other than {s}: {expr.free_symbols - {s}}")
    return _cached(expr, s, name or str(expr))


@functools.lru_cache(maxsize=64)
def _cached(expr: sp.Expr, s: sp.Symbol, name: str) -> ActivationConstants:
    try:
        return _compute(expr, s, name)
    except NotImplementedError as exc:
        raise NotImplementedError(f"activation {name}: cannot enclose it by interval arithmetic ({exc}); "
                                  "supported: + − × ÷, powers, exp, log, sin, cos, sinh, cosh, tanh, sech, "
                                  "sqrt, erf, erfc") from None


def _compute(expr: sp.Expr, s: sp.Symbol, name: str) -> ActivationConstants:
    d1, d2 = sp.diff(expr, s), sp.diff(expr, s, 2)
    for e in (expr, d1, d2):
        bad = [a for a in e.atoms(sp.Function) if isinstance(a, _BAD)] + (
            [e] if isinstance(e, sp.Piecewise) else [])
        if bad or e.has(sp.Piecewise):
            raise ValueError(f"activation {name}: φ must be C² on R in a closed form without "
                             f"Abs/Max/Heaviside/Piecewise (found {bad[0] if bad else 'Piecewise'})")
    errors: list[str] = []
    bounds: list[tuple[str, _Bound]] = []
    phi0 = _limit(expr, s, 0)
    if phi0 is None or phi0 != 0:
        errors.append(f"C1 = sup|φ(s)/s| does not exist: φ(0) = {phi0} ≠ 0")
    else:
        bounds.append(("C1", _Bound("C1 = sup|φ(s)/s|", expr / s, s, [_hull0(_compile(d1, s))])))
    bounds.append(("C2", _Bound("C2 = sup|φ'(s)|", d1, s, [])))
    bounds.append(("C3", _Bound("C3 = sup|φ''(s)|", d2, s, [])))
    for _, b in bounds:
        try:
            b.tails()
        except ValueError as exc:
            errors.append(str(exc))
    if not errors:
        for _, b in bounds:
            try:
                b.interior()
            except ValueError as exc:
                errors.append(str(exc))
    results = {k: b.result() for k, b in bounds}
    if errors:
        raise ValueError(f"activation {name}: " + "; ".join(errors))
    return ActivationConstants(
        name=name, phi=str(expr),
        C1=results["C1"][1], C2=results["C2"][1], C3=results["C3"][1],
        brackets=tuple((k, results[k][0], results[k][1]) for k in ("C1", "C2", "C3")),
        methods=tuple((k, results[k][2]) for k in ("C1", "C2", "C3")),
        certified=all(results[k][3] for k in ("C1", "C2", "C3")),
    )
