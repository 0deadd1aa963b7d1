"""Lemmas of the (H0,H1)-smoothness class: gradient bound, comparison descent, safe step.

Setting (Definition 3.1, v2): f : R^d -> R twice differentiable, f* = inf f > -inf,
``||∇²f(w)||₂ <= H0 + H1·(f(w) − f*)`` for all w (spectral norm), H0, H1 >= 0.
Throughout, ``gap`` is Δ = f(w) − f* >= 0, ``grad_norm`` is g = ||∇f(w)||₂ (Euclidean
norm), ``eta`` the step of one gradient step w⁺ = w − η∇f(w).  These lemmas are
tagged [D] in the project notes (derived for this project); every one is proved as
a claim in ``proofs_checks/claims/smoothness.py`` ("Lemma gradient bound",
"Lemma gradient bound tightness", "Lemma comparison descent", "Lemma safe step").

The comparison principle behind all of them (toolkit's own proof, checked there):
for a unit vector u and ψ(s) = f(w + s·u) − f*, ψ''(s) = uᵀ∇²f u <= H0 + H1·ψ(s)
for every s.  Let y solve y'' = H0 + H1·y with y(0) = ψ(0), y'(0) = ψ'(0) and put
e = y − ψ, k = √H1; then e'' − k²e >= 0, e(0) = e'(0) = 0, and
(e^{−ks}(e' + k e))' = e^{−ks}(e'' − k²e) >= 0 gives e' + k e >= 0, then
(e^{ks} e)' = e^{ks}(e' + k e) >= 0 gives e >= 0: **ψ(s) <= y(s) for every s >= 0**.
Hypotheses: only f twice differentiable and (H0,H1)-smooth on the whole line
{w + s·u : s >= 0}; no sign condition on ψ or y is needed (the right-hand side
H0 + H1·y is linear and increasing in y), so the descent bound below is valid for
**every** η >= 0.

Every function accepts numbers (returns ``float``) or sympy expressions (returns a
sympy expression); H1 = 0 gives the classical L-smooth statements with L = H0.
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = [
    "gradient_norm_bound",
    "descent_bound",
    "safe_step_max",
    "quadratic_descent_bound",
]

# Relative slack allowed when checking that grad_norm respects the gradient bound:
# inputs measured in float64 on a function that attains the bound (the cosh function)
# land within a few ulps of it.
_GRAD_RTOL = 1e-9


def _symbolic(*values: Any) -> bool:
    return any(isinstance(v, sp.Basic) for v in values)


def _is_zero(v: Any) -> bool:
    return (v == 0) if not isinstance(v, sp.Basic) else bool(v.is_zero)


def _check_common(H0: Any, H1: Any, gap: Any) -> tuple[Any, Any, Any]:
    return (check_scalar("H0", H0, low=0), check_scalar("H1", H1, low=0),
            check_scalar("gap", gap, low=0))


def gradient_norm_bound(H0: Any, H1: Any, gap: Any) -> Any:
    """Bound on the gradient **norm** (not its square): ``sqrt(2·H0·Δ + H1·Δ²)``.

    Lemma (gradient bound, [D]): if f is (H0,H1)-smooth then for every w
    ``||∇f(w)||₂² <= 2·H0·Δ + H1·Δ²`` with Δ = f(w) − f*.  Proof: along
    u = −∇f/||∇f||, 0 <= ψ(s) <= y(s) with y(s) = −c + (Δ + c)cosh(√H1 s) −
    (g/√H1) sinh(√H1 s), c = H0/H1; the minimum of y over s >= 0 is
    −c + sqrt((Δ + c)² − g²/H1) (or −∞ / → −c < 0 when g/√H1 >= Δ + c), and it is
    >= 0 exactly when g² <= 2H0Δ + H1Δ².  H1 = 0: y = Δ − g s + H0 s²/2, giving the
    classical g² <= 2LΔ.  Equality holds at every point of the cosh function
    (H0/H1)(cosh(√H1·w) − 1) (claim "Lemma gradient bound tightness").

    >>> gradient_norm_bound(1.0, 0.0, 2.0)      # classical: sqrt(2 L Δ)
    2.0
    >>> gradient_norm_bound(2.0, 1.0, 3.0)      # sqrt(2*2*3 + 1*9)
    4.58257569495584
    >>> import sympy as sp
    >>> H0, H1, D = sp.symbols("H0 H1 Delta", nonnegative=True)
    >>> gradient_norm_bound(H0, H1, D)
    sqrt(Delta**2*H1 + 2*Delta*H0)
    """
    H0, H1, gap = _check_common(H0, H1, gap)
    if _symbolic(H0, H1, gap):
        H0, H1, gap = to_sympy(H0), to_sympy(H1), to_sympy(gap)
        return sp.sqrt(2 * H0 * gap + H1 * gap**2)
    v = 2.0 * H0 * gap + H1 * gap * gap
    if math.isfinite(v):
        return math.sqrt(v)
    # H1·gap² overflowed: sqrt(gap)·sqrt(H1)·sqrt(gap + 2H0/H1) (or sqrt(2H0)·sqrt(gap) at H1 = 0)
    if H1 == 0:
        return math.sqrt(2.0 * H0) * math.sqrt(gap)
    return math.sqrt(gap) * math.sqrt(H1) * math.sqrt(gap + 2.0 * H0 / H1)


def _check_grad(H0: float, H1: float, gap: float, grad_norm: float) -> None:
    limit2 = 2.0 * H0 * gap + H1 * gap * gap
    if grad_norm * grad_norm > limit2 * (1.0 + _GRAD_RTOL):
        raise ValueError(
            f"grad_norm must be in [0, gradient_norm_bound(H0, H1, gap) = {math.sqrt(limit2)!r}] "
            f"(Lemma gradient bound: no (H0,H1)-smooth function has these data), got {grad_norm!r}")


def descent_bound(H0: Any, H1: Any, gap: Any, grad_norm: Any, eta: Any) -> Any:
    """Comparison bound on f(w − η∇f(w)) − f*, valid for every η >= 0.

    Lemma (comparison descent, [D]): with g = ||∇f(w)||₂, Δ = f(w) − f*,
    c = H0/H1, t = √H1·η·g,

        f(w − η∇f(w)) − f*  <=  −c + (Δ + c)·cosh(t) − (g/√H1)·sinh(t)
                             =  Δ·cosh(t) + H0·η²g²·(cosh t − 1)/t² − η·g²·sinh(t)/t.

    It is the comparison solution y(η·g) of y'' = H0 + H1·y, y(0) = Δ, y'(0) = −g
    (module docstring: valid for all η >= 0, no sign condition), and it is an
    equality on the cosh function.  H1 = 0 gives the classical L-smooth descent
    lemma Δ − η·g² + H0·η²·g²/2 (L = H0); H0 = 0 gives Δcosh(t) − (g/√H1)sinh(t).

    Numeric inputs must satisfy the gradient bound g² <= 2H0Δ + H1Δ² (up to a
    relative 1e-9 for rounding), else ``ValueError`` naming ``grad_norm``: no
    (H0,H1)-smooth function has such data.  Floats are evaluated in a
    cancellation-free form; an overflowing cosh returns ``inf`` (a valid, vacuous
    bound).  Sympy input returns the first (paper) form, or the classical form when
    H1 is exactly 0.

    >>> descent_bound(1.0, 0.0, 2.0, 2.0, 0.5)   # classical: 2 - 0.5*4 + 1*0.25*4/2
    0.5
    >>> import math
    >>> H0, H1, w, eta = 2.0, 0.5, 1.3, 0.4     # exact on the cosh function
    >>> c, k = H0 / H1, math.sqrt(H1)
    >>> f = lambda x: c * (math.cosh(k * x) - 1)
    >>> g = c * k * math.sinh(k * w)
    >>> abs(descent_bound(H0, H1, f(w), g, eta) - f(w - eta * g)) < 1e-12
    True
    >>> import sympy as sp
    >>> h0, h1, d, g, e = sp.symbols("H0 H1 Delta g eta", positive=True)
    >>> descent_bound(h0, h1, d, g, e)
    -H0/H1 + (Delta + H0/H1)*cosh(sqrt(H1)*eta*g) - g*sinh(sqrt(H1)*eta*g)/sqrt(H1)
    """
    H0, H1, gap = _check_common(H0, H1, gap)
    grad_norm = check_scalar("grad_norm", grad_norm, low=0)
    eta = check_scalar("eta", eta, low=0)
    if _symbolic(H0, H1, gap, grad_norm, eta):
        H0, H1, gap, g, eta = map(to_sympy, (H0, H1, gap, grad_norm, eta))
        if H1.is_zero:
            return gap - eta * g**2 + H0 * eta**2 * g**2 / 2
        c, k = H0 / H1, sp.sqrt(H1)
        t = k * eta * g
        return -c + (gap + c) * sp.cosh(t) - (g / k) * sp.sinh(t)
    _check_grad(H0, H1, gap, grad_norm)
    g = grad_norm
    t = math.sqrt(H1) * eta * g
    if t <= 1.0:
        # Δcosh t + H0 η²g² C(t) − η g² S(t), C = (cosh t − 1)/t² = 2 sinh²(t/2)/t², S = sinh t / t
        if t < 1e-8:  # series: C = 1/2 + t²/24, S = 1 + t²/6, error O(t⁴) far below 1 ulp
            C, S = 0.5 + t * t / 24.0, 1.0 + t * t / 6.0
        else:
            C, S = 2.0 * math.sinh(t / 2.0) ** 2 / (t * t), math.sinh(t) / t
        return gap * math.cosh(t) + H0 * eta * eta * g * g * C - eta * g * g * S
    # t > 1 (so H1 > 0): −c + ((A − B)/2)e^t + ((A + B)/2)e^{−t}, A = Δ + c, B = g/√H1,
    # with A − B = (A² − B²)/(A + B) and A² − B² = c² + (2H0Δ + H1Δ² − g²)/H1 >= 0
    # computed without cancelling the large terms against each other.
    c, B = H0 / H1, g / math.sqrt(H1)
    A = gap + c
    diff2 = max(c * c + (2.0 * H0 * gap + H1 * gap * gap - g * g) / H1, 0.0)
    a_minus_b = diff2 / (A + B) if A + B > 0 else 0.0
    try:
        grow = 0.5 * a_minus_b * math.exp(t) if a_minus_b > 0 else 0.0
    except OverflowError:
        return math.inf
    return -c + grow + 0.5 * (A + B) * math.exp(-t)


def safe_step_max(H0: Any, H1: Any, gap: Any, grad_norm: Any) -> Any:
    """Largest η with ``descent_bound(H0, H1, gap, grad_norm, η) <= gap``.

    Lemma (safe step, [D]): with L = H0 + H1·Δ and z = g·√H1 / L ∈ [0, 1),

        η_max = (2 / L) · artanh(z) / z        (= 2/L when z = 0, i.e. H1 = 0 or g = 0),

    and for 0 <= η <= η_max the comparison bound is <= Δ (strictly < for
    0 < η < η_max when g > 0), for η > η_max it is > Δ.  Proof: with x = √H1·η·g,
    A = Δ + c, B = g/√H1: y − Δ = A(cosh x − 1) − B sinh x = sinh(x)·(A·tanh(x/2) − B),
    so y <= Δ iff x <= 2·artanh(B/A) (B <= A by the gradient bound).  Since
    artanh(z)/z >= 1, η_max >= 2/L: the region always contains the classical
    (0, 2/L].  The cosh function shows η_max cannot be enlarged for the class: on it
    the bound is an equality.  Returns ``inf`` when L = 0 (then g = 0 and f is
    constant along the step) or z = 1 (H0 = 0 and g = √H1·Δ, e.g. exp(w)).  The
    symbolic form assumes H1 > 0 and g > 0 unless H1 is exactly 0.

    >>> safe_step_max(1.0, 0.0, 2.0, 1.0)        # classical 2/L
    2.0
    >>> round(safe_step_max(1.0, 1.0, 1.0, 1.0), 6)   # (2/2)*artanh(1/2)/(1/2)
    1.098612
    >>> import sympy as sp
    >>> h0, h1, d, g = sp.symbols("H0 H1 Delta g", positive=True)
    >>> safe_step_max(h0, h1, d, g)
    2*atanh(sqrt(H1)*g/(Delta*H1 + H0))/(sqrt(H1)*g)
    """
    H0, H1, gap = _check_common(H0, H1, gap)
    grad_norm = check_scalar("grad_norm", grad_norm, low=0)
    if _symbolic(H0, H1, gap, grad_norm):
        H0, H1, gap, g = map(to_sympy, (H0, H1, gap, grad_norm))
        L = H0 + H1 * gap
        if H1.is_zero or g.is_zero:
            return 2 / L
        z = g * sp.sqrt(H1) / L
        return sp.simplify(2 * sp.atanh(z) / (z * L))
    _check_grad(H0, H1, gap, grad_norm)
    L = H0 + H1 * gap
    if L == 0.0:
        return math.inf
    z = grad_norm * math.sqrt(H1) / L
    if z >= 1.0:
        return math.inf
    if z < 1e-8:  # artanh(z)/z = 1 + z²/3 + O(z⁴)
        return 2.0 / L * (1.0 + z * z / 3.0)
    return 2.0 / L * math.atanh(z) / z


def quadratic_descent_bound(H0: Any, H1: Any, gap: Any, grad_norm: Any, eta: Any) -> Any:
    """Guaranteed-descent form: f(w − η∇f) − f* <= Δ − η(1 − Lη/2)·g², L = H0 + H1·Δ.

    Valid for 0 <= η <= ``safe_step_max(H0, H1, gap, grad_norm)`` (>= 2/L), in
    particular for η <= 1/L.  Proof ([D], claim "Lemma safe step"): for such η the
    comparison gives ψ(s) <= y(s) <= Δ on the whole segment s ∈ [0, η·g], so
    ψ'' <= H0 + H1·ψ <= L there, and the comparison with k = 0 gives
    ψ(ηg) <= Δ − ηg² + Lη²g²/2.  This is the L-smooth descent lemma with the local
    constant L = H0 + H1Δ (it also implies the weaker form with L = H0 + 2H1Δ and
    η <= 1/L).  Numeric ``eta`` beyond the safe step raises ``ValueError``.

    >>> quadratic_descent_bound(1.0, 1.0, 1.0, 1.0, 0.5)   # 1 - 0.5*(1 - 2*0.5/2)*1
    0.75
    >>> import sympy as sp
    >>> h0, h1, d, g, e = sp.symbols("H0 H1 Delta g eta", positive=True)
    >>> quadratic_descent_bound(h0, h1, d, g, e)
    Delta - eta*g**2*(-eta*(Delta*H1 + H0)/2 + 1)
    """
    H0, H1, gap = _check_common(H0, H1, gap)
    grad_norm = check_scalar("grad_norm", grad_norm, low=0)
    eta = check_scalar("eta", eta, low=0)
    if _symbolic(H0, H1, gap, grad_norm, eta):
        H0, H1, gap, g, eta = map(to_sympy, (H0, H1, gap, grad_norm, eta))
        L = H0 + H1 * gap
        return gap - eta * (1 - L * eta / 2) * g**2
    limit = safe_step_max(H0, H1, gap, grad_norm)
    if eta > limit * (1.0 + 1e-12):
        raise ValueError(f"eta must be in [0, safe_step_max(H0, H1, gap, grad_norm) = {limit!r}], got {eta!r}")
    L = H0 + H1 * gap
    return gap - eta * (1.0 - L * eta / 2.0) * grad_norm * grad_norm
