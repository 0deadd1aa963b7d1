"""Closure rules of the (H0,H1)-smoothness class (Prop B.2, v2, corrected; and [D] rules).

Every rule takes the constants of the pieces as :class:`~warmup_theory.theory.hsmooth.HSmooth`
and the infima they need, and returns the constants of the result as an
``HSmooth`` (numbers in -> floats, sympy in -> sympy expressions).  Norms are
spectral (Hessians) / operator 2-norms (matrices).  The infima matter: Definition
3.1 measures the gap from the *result's* infimum h*, while the pieces' bounds are
measured from their own infima, and the shift between them enters H0.  Each rule is
proved as a claim in ``proofs_checks/claims/smoothness.py`` ("Prop B.2",
"Closure scale", "Closure affine", "Closure average", "Closure add-smooth"), and the
printed Prop B.2 is reported defective there ("Prop B.2 (printed)").

About the infima passed in: ``h_star`` must be inf h, or any number above it (the
constants then stay valid, only looser); the impossible case h_star below the
guaranteed lower bound (e.g. h* < f* + g* for a sum) raises ``ValueError``.  A shift
that is negative only by float rounding (relative 1e-12) is clamped to 0, which is
valid because the true shift is >= 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.relations import from_l_smooth
from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = [
    "add",
    "add_printed",
    "PrintedConstants",
    "scale",
    "compose_affine",
    "average",
    "add_smooth",
]

_SHIFT_RTOL = 1e-12  # rounding slack on "h_star >= lower bound" for float inputs


def _hs(name: str, v: Any) -> HSmooth:
    if not isinstance(v, HSmooth):
        raise TypeError(f"{name} must be an HSmooth (warmup_theory.theory.HSmooth(H0, H1)), got {type(v).__name__}")
    return v


def _sym(*values: Any) -> bool:
    return any(isinstance(v, sp.Basic) for v in values)


def _max(*values: Any) -> Any:
    return sp.Max(*map(to_sympy, values)) if _sym(*values) else float(max(values))


def _star(name: str, value: Any) -> Any:
    return check_scalar(name, value)


def _shift(h_star: Any, lower: Any, what: str, scale: Sequence[Any]) -> Any:
    """h_star − lower, checked >= 0 (``ValueError`` naming h_star otherwise)."""
    if _sym(h_star, lower, *scale):
        s = to_sympy(h_star) - to_sympy(lower)
        if (s < 0) is sp.true:
            raise ValueError(f"h_star must be >= {what}, got h_star - ({what}) = {s}")
        return s
    s = float(h_star) - float(lower)
    if s < 0:
        tol = _SHIFT_RTOL * (1.0 + sum(abs(float(x)) for x in scale))
        if s < -tol:
            raise ValueError(f"h_star must be >= {what} = {float(lower)!r} "
                             f"(the infimum can be no lower), got {float(h_star)!r}")
        s = 0.0
    return s


def _result(H0: Any, H1: Any) -> HSmooth:
    if _sym(H0, H1):
        return HSmooth(sp.simplify(to_sympy(H0)), sp.simplify(to_sympy(H1)))
    return HSmooth(float(H0), float(H1))


def add(f: HSmooth, g: HSmooth, *, f_star: Any, g_star: Any, h_star: Any) -> HSmooth:
    """Sum rule, Prop B.2 (v2) **corrected**: h = f + g is (H0, H1)-smooth with

        H1 = max(H1f, H1g),   H0 = H0f + H0g + H1·(h* − f* − g*).

    Proof: ‖∇²h‖ <= ‖∇²f‖ + ‖∇²g‖ <= H0f + H1f(f − f*) + H0g + H1g(g − g*)
    <= H0f + H0g + H1(h − f* − g*) = H0 + H1(h − h*).  h* >= f* + g* always, so
    H0 >= 0; ``h_star < f_star + g_star`` raises ``ValueError``.  The paper's printed
    form is :func:`add_printed` (defective).

    >>> add(HSmooth(1.0, 1.0), HSmooth(1.0, 0.0), f_star=1.0, g_star=-1.0, h_star=0.0)
    HSmooth(H0=2.0, H1=1.0)
    >>> import sympy as sp
    >>> a, b, c, d = sp.symbols("a b c d", nonnegative=True)
    >>> fs, gs, s = sp.symbols("f_s g_s s", real=True)
    >>> add(HSmooth(a, b), HSmooth(c, d), f_star=fs, g_star=gs, h_star=fs + gs + s).H0
    a + c + s*Max(b, d)
    """
    f, g = _hs("f", f), _hs("g", g)
    f_star, g_star, h_star = _star("f_star", f_star), _star("g_star", g_star), _star("h_star", h_star)
    shift = _shift(h_star, to_sympy(f_star) + to_sympy(g_star) if _sym(f_star, g_star) else f_star + g_star,
                   "f_star + g_star", (f_star, g_star, h_star))
    H1 = _max(f.H1, g.H1)
    return _result(f.H0 + g.H0 + H1 * shift, H1)


@dataclass(frozen=True)
class PrintedConstants:
    """Constants as printed in the paper; **not** validated (H0 may be negative).

    Only :func:`add_printed` returns it, to report the printed rule's defect.
    """

    H0: Any
    H1: Any

    def bound(self, gap: Any) -> Any:
        """The printed curvature bound H0 + H1·gap (may be violated: it is the defective form)."""
        return self.H0 + self.H1 * gap

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        conv = (lambda v: str(v) if isinstance(v, sp.Basic) and v.free_symbols else float(v))
        return {"H0": conv(self.H0), "H1": conv(self.H1), "printed": True}


def add_printed(f: HSmooth, g: HSmooth, *, f_star: Any, g_star: Any, h_star: Any) -> PrintedConstants:
    """Prop B.2 (v2) **as printed — defective; kept only to report its defect**.

        H1 = max(H1f, H1g),   H0 = H0f + H0g + H1·h* − H1f·f* − H1g·g*.

    It equals the corrected rule (:func:`add`) only when H1f = H1g or the pieces'
    infima vanish; otherwise it can give H0 < 0 and can be violated even with
    H0 >= 0: f = w²/2 + 1 is (1, 1)-smooth (f* = 1), g = w²/2 − 1 is (1, 0)-smooth
    (g* = −1), h = w² has h* = 0 and ‖∇²h‖ = 2, but the printed constants are
    (1, 1) and at w = 0 the printed bound is 1 < 2 (claim "Prop B.2 (printed)").
    Printed − corrected H0 = (H1 − H1f)·f* + (H1 − H1g)·g*, so the printed form is
    valid (never below the corrected one) when f* >= 0 and g* >= 0.  Returns
    :class:`PrintedConstants` (not ``HSmooth``, since H0 may be negative).

    >>> add_printed(HSmooth(1.0, 1.0), HSmooth(1.0, 0.0), f_star=1.0, g_star=-1.0, h_star=0.0)
    PrintedConstants(H0=1.0, H1=1.0)
    """
    f, g = _hs("f", f), _hs("g", g)
    f_star, g_star, h_star = _star("f_star", f_star), _star("g_star", g_star), _star("h_star", h_star)
    H1 = _max(f.H1, g.H1)
    H0 = f.H0 + g.H0 + H1 * h_star - f.H1 * f_star - g.H1 * g_star
    if _sym(H0, H1):
        return PrintedConstants(sp.simplify(to_sympy(H0)), to_sympy(H1))
    return PrintedConstants(float(H0), float(H1))


def scale(c: Any, f: HSmooth) -> HSmooth:
    """Scaling ([D]): for c > 0, c·f is (c·H0, H1)-smooth; its infimum is c·f*.

    Proof: ‖∇²(cf)‖ = c‖∇²f‖ <= cH0 + cH1(f − f*) = cH0 + H1(cf − c f*).

    >>> scale(4.0, HSmooth(1.0, 2.0))
    HSmooth(H0=4.0, H1=2.0)
    """
    c = check_scalar("c", c, low=0, low_open=True)
    f = _hs("f", f)
    return _result(c * f.H0, f.H1)


def compose_affine(f: HSmooth, A_norm: Any, *, f_star: Any, h_star: Any) -> HSmooth:
    """Affine composition ([D]): h(w) = f(A·w + b) is (‖A‖²(H0 + H1(h* − f*)), ‖A‖²·H1)-smooth.

    ``A_norm`` = ‖A‖₂ (largest singular value).  Proof: ∇²h = Aᵀ∇²f(Aw + b)A, so
    ‖∇²h‖ <= ‖A‖²(H0 + H1(f(Aw + b) − f*)) = ‖A‖²(H0 + H1(h* − f*)) + ‖A‖²H1(h − h*).
    h* >= f* always (h takes a subset of f's values) and h* = f* when A is onto;
    ``h_star < f_star`` raises ``ValueError``.

    >>> compose_affine(HSmooth(1.0, 1.0), 2.0, f_star=0.0, h_star=0.5)
    HSmooth(H0=6.0, H1=4.0)
    """
    f = _hs("f", f)
    A_norm = check_scalar("A_norm", A_norm, low=0)
    f_star, h_star = _star("f_star", f_star), _star("h_star", h_star)
    shift = _shift(h_star, f_star, "f_star", (f_star, h_star))
    a2 = A_norm**2
    return _result(a2 * (f.H0 + f.H1 * shift), a2 * f.H1)


def average(fs: Sequence[HSmooth], *, f_stars: Sequence[Any], h_star: Any) -> HSmooth:
    """Finite average ([D]): h = (1/n)Σ f_i is (H0, H1)-smooth with

        H1 = max_i H1i,   H0 = (1/n)Σ H0i + H1·(h* − (1/n)Σ f_i*).

    Proof: ‖∇²h‖ <= (1/n)Σ(H0i + H1i(f_i − f_i*)) <= avg H0 + H1(h − avg f*).
    h* >= avg f_i* always; a smaller ``h_star`` raises ``ValueError``.

    >>> average([HSmooth(1.0, 0.0), HSmooth(3.0, 2.0)], f_stars=[0.0, 1.0], h_star=1.0)
    HSmooth(H0=3.0, H1=2.0)
    """
    if isinstance(fs, (str, bytes)) or not isinstance(fs, Sequence):
        raise TypeError(f"fs must be a sequence of HSmooth, got {type(fs).__name__}")
    if len(fs) == 0:
        raise ValueError("fs must contain at least one HSmooth, got an empty sequence")
    fs = [_hs(f"fs[{i}]", f) for i, f in enumerate(fs)]
    if isinstance(f_stars, (str, bytes)) or not isinstance(f_stars, Sequence):
        raise TypeError(f"f_stars must be a sequence of numbers, got {type(f_stars).__name__}")
    if len(f_stars) != len(fs):
        raise ValueError(f"f_stars must have one entry per function (len(fs) = {len(fs)}), got {len(f_stars)}")
    f_stars = [_star(f"f_stars[{i}]", v) for i, v in enumerate(f_stars)]
    h_star = _star("h_star", h_star)
    n = len(fs)
    sym = _sym(h_star, *f_stars, *(f.H0 for f in fs), *(f.H1 for f in fs))
    if sym:
        mean_star = sp.Add(*map(to_sympy, f_stars)) / n
        mean_H0 = sp.Add(*(to_sympy(f.H0) for f in fs)) / n
    else:
        mean_star = sum(f_stars) / n
        mean_H0 = sum(f.H0 for f in fs) / n
    shift = _shift(h_star, mean_star, "mean(f_stars)", (h_star, *f_stars))
    H1 = _max(*(f.H1 for f in fs))
    return _result(mean_H0 + H1 * shift, H1)


def add_smooth(f: HSmooth, L: Any, *, f_star: Any, g_star: Any, h_star: Any) -> HSmooth:
    """Adding an L-smooth term g bounded below ([D]; Prop B.1 + corrected Prop B.2).

    h = f + g with ‖∇²g‖ <= L, g* = inf g > −∞ is (H0f + L + H1f·(h* − f* − g*), H1f)-smooth.
    An L2 term (λ/2)‖w‖² has L = λ and g* = 0: it adds λ to H0, plus H1f·(h* − f*),
    the shift of the infimum.  ``h_star < f_star + g_star`` raises ``ValueError``.

    >>> add_smooth(HSmooth(1.0, 2.0), 0.5, f_star=0.0, g_star=0.0, h_star=0.25)
    HSmooth(H0=2.0, H1=2.0)
    """
    f = _hs("f", f)
    L = check_scalar("L", L, low=0)
    return add(f, from_l_smooth(L), f_star=f_star, g_star=g_star, h_star=h_star)
