"""Deep linear network with squared loss on strongly balanced weights (Prop 3.2, v2; corrected).

Model (conventions shared with ``warmup_theory.numerics.models``):

* data ``X ∈ R^{d×m}`` (columns are samples), targets ``Y ∈ R^{c×m}``;
* weights ``W_1 ∈ R^{n_1×d}, …, W_l ∈ R^{c×n_{l−1}}``, end-to-end matrix ``P = W_l⋯W_1``;
* loss ``f(W) = ½‖W_l⋯W_1 X − Y‖²_F`` (SUM over samples, factor ½, no 1/m; for
  ``κ·f`` multiply H0 by κ, keep H1 — scaling rule of NOTES §3);
* Hessian w.r.t. all weights flattened, Frobenius geometry, ``‖·‖₂`` = spectral norm;
* strongly balanced: ``W_{i+1}ᵀW_{i+1} = W_iW_iᵀ`` (i = 1..l−1);
* ``x_norm = ‖X‖₂``, ``x_lambda_min = λ_min(XXᵀ) > 0`` (X of FULL ROW RANK: required),
  ``y_norm = ‖Y‖_F``, ``f_star = inf f`` over ALL weights of the given widths.

Theorem (toolkit's corrected Prop 3.2; proof in ``proofs_checks/claims/architectures.py``).
Let ``ρ = ‖R‖_F = √(2f)`` (R = PX − Y), ``q(f) = (√(2f) + ‖Y‖_F)/√λ_min``,
``a = 2(l−1)/l``, ``b = (l−2)/l`` and

    g(f) = l·‖X‖²·q(f)^a + (l−1)·‖X‖·√(2f)·q(f)^b .

For every strongly balanced W, ``‖∇²f(W)‖₂ <= g(f(W))`` (Gauss–Newton part
``<= l‖P‖^{2(l−1)/l}‖X‖²``, residual part ``<= (l−1)‖P‖^{(l−2)/l}‖R‖_F‖X‖`` — with the
½ normalisation the residual constant is (l−1), not the 2(l−1) of the un-halved loss —
and ``‖P‖₂ <= q(f)``).  g is concave on f >= 0, so for any reference level
``f_ref >= f*`` (f_ref > 0) its tangent is an affine majorant:

    H1 = g'(f_ref),    H0 = g(f_ref) − g'(f_ref)·(f_ref − f*) >= g(f*) >= 0.

Default ``f_ref = ½‖Y‖²_F`` (the loss at W = 0, always >= f*).  Note that
H0 + H1(f − f*) = g(f_ref) + g'(f_ref)(f − f_ref) does not depend on f*.  Depth 1 is
plain least squares: ∇²f = XXᵀ ⊗ I, constants (‖X‖², 0) exactly (no balancedness,
and full rank is not needed mathematically; the argument check is kept uniform).

The PRINTED Prop 3.2 omits the full-row-rank requirement; it is kept only as a defect
report, :func:`deep_linear_printed_defect`: with a rank-deficient X, the Hessian norm
is unbounded on strongly balanced points with f − f* = 0.

>>> c = deep_linear_constants(2, 2.0, 1.0, 3.0, 0.5)
>>> round(c.H0, 6), round(c.H1, 6)
(40.666667, 3.333333)
>>> deep_linear_constants(1, 2.0, 1.0, 3.0, 0.5)
HSmooth(H0=4.0, H1=0.0)
>>> import sympy as sp
>>> x, lam, y = sp.symbols("x lambda y", positive=True)
>>> sp.simplify(deep_linear_constants(2, x, lam, y, 0).H1)
x/y + 2*x**2/(sqrt(lambda)*y)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.validate import check_scalar, is_symbolic, to_sympy

__all__ = [
    "deep_linear_constants",
    "deep_linear_bound_function",
    "deep_linear_printed_defect",
    "DeepLinearDefect",
]


def _check_depth(depth: Any) -> int:
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral):
        raise TypeError(f"depth must be an integer >= 1, got {type(depth).__name__}")
    if depth < 1:
        raise ValueError(f"depth must be an integer >= 1, got {depth}")
    return int(depth)


def _check_data(x_norm: Any, x_lambda_min: Any, y_norm: Any) -> tuple[Any, Any, Any]:
    x = check_scalar("x_norm", x_norm, low=0, low_open=True)
    try:
        lam = check_scalar("x_lambda_min", x_lambda_min, low=0, low_open=True)
    except ValueError as exc:
        raise ValueError(
            f"{exc}; x_lambda_min = λ_min(XXᵀ) must be > 0 (X of full row rank): "
            "without it no finite constants exist (see deep_linear_printed_defect)"
        ) from None
    y = check_scalar("y_norm", y_norm, low=0)
    if not is_symbolic(x, lam) and float(lam) > float(x) ** 2 * (1 + 1e-12):
        raise ValueError(
            f"x_lambda_min must be in (0, x_norm**2] (λ_min(XXᵀ) <= ‖X‖₂²), got {lam!r} > {float(x) ** 2!r}"
        )
    return x, lam, y


def deep_linear_bound_function(depth: int, x_norm: Any, x_lambda_min: Any, y_norm: Any,
                               f: Any) -> Any:
    """The concave majorant g(f) of ‖∇²f‖₂ on strongly balanced weights (module docstring).

    ``f`` is the loss value ½‖PX − Y‖²_F >= 0.  Depth 1 returns ‖X‖².

    >>> deep_linear_bound_function(2, 2.0, 1.0, 3.0, 2.0)   # 2·4·(2+3) + 2·2 = 44
    44.0
    """
    l = _check_depth(depth)
    x, lam, y = _check_data(x_norm, x_lambda_min, y_norm)
    fv = check_scalar("f", f, low=0)
    if l == 1:
        return x**2
    sym = is_symbolic(x, lam, y, fv) or any(isinstance(v, sp.Basic) for v in (x, lam, y, fv))
    if sym:
        x, lam, y, fv = map(to_sympy, (x, lam, y, fv))
        s = sp.sqrt(2 * fv)
        q = (s + y) / sp.sqrt(lam)
        a, b = sp.Rational(2 * (l - 1), l), sp.Rational(l - 2, l)
        return l * x**2 * q**a + (l - 1) * x * s * q**b
    s = math.sqrt(2 * fv)
    q = (s + y) / math.sqrt(lam)
    a, b = 2 * (l - 1) / l, (l - 2) / l
    return float(l * x**2 * q**a + (l - 1) * x * s * (q**b if b else 1.0))


def _tangent(l: int, x: Any, lam: Any, y: Any, fr: Any, sym: bool) -> tuple[Any, Any]:
    """(g(fr), g'(fr)) for depth l >= 2 (closed form, s = √(2 fr) > 0)."""
    if sym:
        sqrt, a, b = sp.sqrt, sp.Rational(2 * (l - 1), l), sp.Rational(l - 2, l)
    else:
        sqrt, a, b = math.sqrt, 2 * (l - 1) / l, (l - 2) / l
    s = sqrt(2 * fr)
    u = s + y
    gn = l * x**2 * u**a / lam ** (a / 2)
    res = (l - 1) * x * s * u**b / lam ** (b / 2)
    # d/df = (1/s) d/ds ;  d/ds u^a = a u^(a-1) ;  d/ds [s u^b] = u^b + b s u^(b-1)
    dgn = l * x**2 * a * u ** (a - 1) / lam ** (a / 2) / s
    dres = (l - 1) * x * (u**b + b * s * u ** (b - 1)) / lam ** (b / 2) / s
    return gn + res, dgn + dres


def check_tangent_point(f_star: float, f_ref: float, y_norm: float) -> None:
    """Validate the tangent point of the concave bounds g(f) (deep linear, leaky ReLU):
    0 <= f_star <= ½·y_norm² (f(0) = ½‖Y‖² bounds f*), f_ref > 0 and f_ref >= f_star."""
    if f_star > y_norm * y_norm / 2 * (1 + 1e-12):
        raise ValueError(f"f_star must be in [0, y_norm**2/2] (f(0) = ½‖Y‖²), got {f_star!r}")
    if f_ref <= 0:
        raise ValueError("f_ref must be in (0, inf); with y_norm = 0 pass f_ref > 0 explicitly")
    if f_star > f_ref:
        raise ValueError(f"f_ref must be in [f_star, inf) = [{f_star!r}, inf), got {f_ref!r}")


def deep_linear_constants(depth: int, x_norm: Any, x_lambda_min: Any, y_norm: Any,
                          f_star: Any, *, f_ref: Any = None) -> HSmooth:
    """(H0, H1) of the deep linear network on strongly balanced weights (corrected Prop 3.2).

    ``H1 = g'(f_ref)``, ``H0 = g(f_ref) − g'(f_ref)(f_ref − f_star)`` with g of the module
    docstring (toolkit's own constants: the paper's exact H0, H1 are not known).  Requires
    ``0 < x_lambda_min <= x_norm²``, ``0 <= f_star <= ½ y_norm²`` (f(0) = ½‖Y‖²), and
    ``f_star <= f_ref``, ``f_ref > 0`` (default ``½ y_norm²``; pass ``f_ref`` when y_norm = 0).
    Floats in → floats out; sympy in → sympy out.

    Scope: the returned ``HSmooth`` bounds ‖∇²f(W)‖₂ <= H0 + H1(f(W) − f*) **on strongly
    balanced W only**, not on all of weight space. GD preserves balancedness only approximately
    (gradient flow preserves it exactly), so bounds of ``warmup_theory.theory.bounds`` fed with these constants
    are guarantees only along runs that stay balanced; ``warmup-theory table`` reports the drift.

    >>> c = deep_linear_constants(3, 1.0, 0.25, 2.0, 0.0)
    >>> round(c.H0, 4), round(c.H1, 4)
    (35.3333, 10.3333)
    >>> deep_linear_constants(2, 1.0, 0.0, 1.0, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: x_lambda_min must be in (0, inf), got 0.0; x_lambda_min = λ_min(XXᵀ) must be > 0 ...
    """
    l = _check_depth(depth)
    x, lam, y = _check_data(x_norm, x_lambda_min, y_norm)
    fs = check_scalar("f_star", f_star, low=0)
    if l == 1:
        return HSmooth(x**2, sp.Integer(0) if isinstance(x, sp.Basic) else 0.0)
    sym = any(isinstance(v, sp.Basic) for v in (x, lam, y, fs, f_ref))
    if f_ref is None:
        fr = (to_sympy(y) ** 2 / 2) if sym else y * y / 2
    else:
        fr = check_scalar("f_ref", f_ref, low=0, low_open=True)
    if not sym:
        check_tangent_point(fs, fr, y)
        g, dg = _tangent(l, x, lam, y, fr, False)
        h0 = g - dg * (fr - fs)  # >= g(f*) >= 0 by concavity; clamp float rounding only
        return HSmooth(max(h0, 0.0) if h0 > -1e-12 * g else h0, dg)
    x, lam, y, fs, fr = map(to_sympy, (x, lam, y, fs, fr))
    g, dg = _tangent(l, x, lam, y, fr, True)
    return HSmooth(g - dg * (fr - fs), dg)


# ----------------------------------------------------------------------------------------
# Printed Prop 3.2 without full row rank: defect witness (exact, sympy)
# ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeepLinearDefect:
    """Witness that the printed Prop 3.2 (no full-rank requirement) admits no finite constants.

    Depth 2, widths (d, n_1, c) = (2, 1, 1); X = [[1, 0], [0, 0]] (rank 1, λ_min(XXᵀ) = 0),
    Y = [[1, 0]] (realisable: f* = 0).  For t >= 0 the weights
    ``W_2 = [[c_t]]``, ``W_1 = [[1/c_t, t/c_t]]`` with ``c_t = (1 + t²)^{1/4}`` are strongly
    balanced (W_2ᵀW_2 = c_t² = W_1W_1ᵀ), P = W_2W_1 = [1, t], PX = Y so f = f* = 0, and

        ‖∇²f‖₂ = √(1+t²) + 1/√(1+t²)  → ∞   (t → ∞).

    ``points`` lists (t, W1, W2, f, exact Hessian norm, float) for the chosen t.
    """

    X: tuple
    Y: tuple
    widths: tuple
    formula: str
    points: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"X": [list(r) for r in self.X], "Y": [list(r) for r in self.Y],
                "widths": list(self.widths), "formula": self.formula,
                "points": [dict(p) for p in self.points]}


def deep_linear_printed_defect(ts: tuple = (0, 10, 100, 1000, 10**6)) -> DeepLinearDefect:
    """Exact witness family for the printed Prop 3.2 defect (see :class:`DeepLinearDefect`).

    The Hessian is computed exactly by sympy (``sympy.hessian`` of the loss in the three
    weight entries, eigenvalues of the exact matrix).

    >>> d = deep_linear_printed_defect((0, 3))
    >>> [(p["t"], p["f"], p["hessian_norm"]) for p in d.points]
    [(0, '0', '2'), (3, '0', '11*sqrt(10)/10')]
    """
    a, b, c = sp.symbols("w1a w1b w2", real=True)
    X = sp.Matrix([[1, 0], [0, 0]])
    Y = sp.Matrix([[1, 0]])
    W1, W2 = sp.Matrix([[a, b]]), sp.Matrix([[c]])
    R = W2 * W1 * X - Y
    f = sp.Rational(1, 2) * sum(e**2 for e in R)
    H = sp.hessian(f, (a, b, c))
    pts = []
    for t in ts:
        t = sp.Integer(t) if isinstance(t, int) else sp.nsimplify(t)
        ct = (1 + t**2) ** sp.Rational(1, 4)
        sub = {c: ct, a: 1 / ct, b: t / ct}
        bal = sp.simplify((W2.T * W2 - W1 * W1.T).subs(sub))
        fv = sp.simplify(f.subs(sub))
        Hv = sp.simplify(H.subs(sub))
        eigs = [sp.simplify(e) for e in Hv.eigenvals()]
        norm = sp.simplify(sp.Max(*[sp.Abs(e) for e in eigs]))
        pts.append({"t": int(t) if t.is_Integer else str(t), "W1": [str(sp.simplify(1 / ct)), str(sp.simplify(t / ct))],
                    "W2": str(sp.simplify(ct)), "balance_residual": str(bal[0]), "f": str(fv),
                    "hessian_norm": str(sp.radsimp(norm)), "hessian_norm_float": float(norm)})
    return DeepLinearDefect(X=((1, 0), (0, 0)), Y=((1, 0),), widths=(2, 1, 1),
                            formula="||Hess f|| = sqrt(1+t^2) + 1/sqrt(1+t^2), f = f* = 0",
                            points=tuple(pts))
