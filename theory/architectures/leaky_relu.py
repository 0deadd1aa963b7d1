"""One hidden leaky-ReLU unit with squared loss (Prop D.1, v2 — the toolkit's own statement).

The paper's statement and constants for Prop D.1 (v1 Prop 3.2) are not known; this is the
toolkit's own, proved in ``proofs_checks/claims/architectures.py`` (claim "Prop D.1").

Model: ``X ∈ R^{d×m}`` (columns are samples), ``Y ∈ R^{c×m}``, first-layer weights
``w ∈ R^d`` (ONE hidden unit), output weights ``v ∈ R^c``, leaky ReLU
``σ_α(t) = max(t, α t)`` with slope ``α ∈ (0, 1]`` (α = 1: linear), and

    f(w, v) = ½‖v·σ_α(wᵀX) − Y‖²_F        (sum over samples, factor ½).

Balancedness ("equal layer norms"): ``‖w‖₂ = ‖v‖₂``.  It costs nothing: σ_α is positively
homogeneous, so (c·v, w/c) gives the same outputs and every f-value, hence f* = inf f, is
reached on balanced points.  ``x_norm = ‖X‖₂``, ``x_lambda_min = λ_min(XXᵀ) > 0`` (full
row rank), ``y_norm = ‖Y‖_F``, ``f_star = inf f``.

Differentiability.  f is not twice differentiable where some pre-activation ``wᵀx_j`` is
0 (the kinks).  On the open set ``Ω = {(w, v) : wᵀx_j ≠ 0 for all j}`` — the complement of
finitely many hyperplanes in w, so of full measure — f is C^∞ (locally σ_α(wᵀX) = (wᵀX)⊙D
with a fixed D ∈ {α, 1}^m).  The statement is: for every balanced point of Ω,

    ‖∇²f(w, v)‖₂ <= g(f),  g(f) = 2‖X‖²·(√(2f) + ‖Y‖_F)/(α·√λ_min) + ‖X‖·√(2f),

and since g is concave (affine in √(2f)), its tangent at ``f_ref >= f*`` gives
``H1 = g'(f_ref)``, ``H0 = g(f_ref) − g'(f_ref)(f_ref − f*)`` (default ``f_ref = ½‖Y‖²_F``).
Nothing is claimed at kinks (no Hessian exists there); every Clarke-type limit of
Hessians from Ω satisfies the same bound by continuity of g.

Proof sketch (details in the claim): Gauss–Newton part ``‖Z'‖² <= 2r²‖X‖²‖U‖²`` with
``r = ‖w‖ = ‖v‖``; residual part ``|⟨R, 2v'(D⊙w'ᵀX)⟩| <= ‖R‖_F‖X‖‖U‖²``; and
``‖Z‖_F = ‖v‖·‖σ_α(wᵀX)‖ >= α r²√λ_min`` gives ``r² <= (‖R‖_F + ‖Y‖_F)/(α√λ_min)``.

Width >= 2 is NOT covered, and no statement of this kind can hold there under equal layer
norms: two hidden units with equal input weights and opposite output weights give zero
output (f = ½‖Y‖² fixed) while the Hessian grows without bound as the weights grow.

>>> c = leaky_relu_constants(0.5, 2.0, 1.0, 3.0, 0.5)
>>> round(c.H0, 6), round(c.H1, 6)
(78.0, 6.0)
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from warmup_theory.theory.architectures.deep_linear import check_tangent_point
from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = ["leaky_relu_constants", "leaky_relu_bound_function"]


def _checked(alpha, x_norm, x_lambda_min, y_norm):
    al = check_scalar("alpha", alpha, low=0, high=1, low_open=True)
    x = check_scalar("x_norm", x_norm, low=0, low_open=True)
    try:
        lam = check_scalar("x_lambda_min", x_lambda_min, low=0, low_open=True)
    except ValueError as exc:
        raise ValueError(f"{exc}; x_lambda_min = λ_min(XXᵀ) must be > 0 (X of full row rank)") from None
    y = check_scalar("y_norm", y_norm, low=0)
    if not any(isinstance(v, sp.Basic) for v in (x, lam)) and lam > x * x * (1 + 1e-12):
        raise ValueError(f"x_lambda_min must be in (0, x_norm**2], got {lam!r} > {x * x!r}")
    return al, x, lam, y


def leaky_relu_bound_function(alpha: Any, x_norm: Any, x_lambda_min: Any, y_norm: Any, f: Any) -> Any:
    """g(f) = 2‖X‖²(√(2f) + ‖Y‖)/(α√λ_min) + ‖X‖√(2f) (module docstring).

    >>> leaky_relu_bound_function(1.0, 1.0, 1.0, 0.0, 0.5)
    3.0
    """
    al, x, lam, y = _checked(alpha, x_norm, x_lambda_min, y_norm)
    fv = check_scalar("f", f, low=0)
    if any(isinstance(v, sp.Basic) for v in (al, x, lam, y, fv)):
        al, x, lam, y, fv = map(to_sympy, (al, x, lam, y, fv))
        s = sp.sqrt(2 * fv)
        return 2 * x**2 * (s + y) / (al * sp.sqrt(lam)) + x * s
    s = math.sqrt(2 * fv)
    return float(2 * x**2 * (s + y) / (al * math.sqrt(lam)) + x * s)


def leaky_relu_constants(alpha: Any, x_norm: Any, x_lambda_min: Any, y_norm: Any, f_star: Any,
                         *, f_ref: Any = None) -> HSmooth:
    """(H0, H1) for one hidden leaky-ReLU unit on balanced points of Ω (toolkit's Prop D.1).

    ``H1 = g'(f_ref) = (2‖X‖²/(α√λ_min) + ‖X‖)/√(2 f_ref)``,
    ``H0 = g(f_ref) − H1·(f_ref − f*)``; requires ``0 <= f_star <= f_ref``, ``f_ref > 0``
    (default ``½ y_norm²``, which is >= f* because v = 0 gives f = ½‖Y‖²).

    Scope: the bound holds at balanced points (‖w‖ = ‖v‖) off the kinks (no wᵀx_j = 0), not on
    all of weight space; bounds of ``warmup_theory.theory.bounds`` fed with these constants are guarantees only
    along runs that stay in that set.

    >>> import sympy as sp
    >>> a, x, lam, y = sp.symbols("alpha x lambda y", positive=True)
    >>> sp.simplify(leaky_relu_constants(a, x, lam, y, 0).H1 - (2*x**2/(a*sp.sqrt(lam)) + x)/y)
    0
    """
    al, x, lam, y = _checked(alpha, x_norm, x_lambda_min, y_norm)
    fs = check_scalar("f_star", f_star, low=0)
    sym = any(isinstance(v, sp.Basic) for v in (al, x, lam, y, fs, f_ref))
    if f_ref is None:
        fr = to_sympy(y) ** 2 / 2 if sym else y * y / 2
    else:
        fr = check_scalar("f_ref", f_ref, low=0, low_open=True)
    if sym:
        al, x, lam, y, fs, fr = map(to_sympy, (al, x, lam, y, fs, fr))
        s = sp.sqrt(2 * fr)
        k = 2 * x**2 / (al * sp.sqrt(lam)) + x
        g = 2 * x**2 * (s + y) / (al * sp.sqrt(lam)) + x * s
        return HSmooth(g - (k / s) * (fr - fs), k / s)
    check_tangent_point(fs, fr, y)
    s = math.sqrt(2 * fr)
    k = 2 * x * x / (al * math.sqrt(lam)) + x
    g = 2 * x * x * (s + y) / (al * math.sqrt(lam)) + x * s
    h0 = g - (k / s) * (fr - fs)
    return HSmooth(max(h0, 0.0) if h0 > -1e-12 * g else h0, k / s)
