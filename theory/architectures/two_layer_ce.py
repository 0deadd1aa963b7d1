"""Two-layer network, cross-entropy summed over samples, L2 (Prop 3.3, v2; corrected H0).

Model (conventions shared with ``warmup_theory.numerics.models``):

* ``X ∈ R^{d×m}``, first layer ``W2 ∈ R^{h×d}``, output layer ``W1 ∈ R^{k×h}``,
  logits ``Z = W1·φ(W2·X) ∈ R^{k×m}``;
* ``f(W1, W2) = Σ_{j=1}^m CE_j + (λ1/2)‖W1‖²_F + (λ2/2)‖W2‖²_F`` (cross-entropy SUMMED over
  samples).  k = 1: binary logistic loss ``log(1 + exp(−y_j z_j))``, y_j ∈ {−1, +1};
  k >= 2: softmax cross-entropy with integer labels;
* activation with ``|φ(s)| <= C1|s|, |φ'(s)| <= C2, |φ''(s)| <= C3`` for all s
  (see :mod:`warmup_theory.theory.architectures.activations`);
* ``x_norm = ‖X‖₂`` (spectral norm of the data matrix); Hessian w.r.t. (W1, W2) flattened,
  spectral norm; u = ‖W1‖_F, v = ‖W2‖_F, L = Σ_j CE_j.

Curvature bound (proved in ``proofs_checks/claims/architectures.py``, claim "Prop 3.3"):

    ‖∇²f‖₂ <= λ1 + λ2 + A1u² + A2v² + A12·uv + Bmix·u·√L + Bres·√L,
    A1 = C2²‖X‖², A2 = C1²‖X‖², A12 = 2C1C2‖X‖², Bmix = √2·C3‖X‖², Bres = 2√2·C2‖X‖.

Check of the printed constants against this convention: all five are VALID upper bounds
(none is wrong).  The proof gives the sharper β‖X‖²(C2²u² + C1²v²) for the Gauss–Newton
part (β = sup‖∇²_z CE‖ <= 1/4 binary, <= 1/2 softmax) and √2·C2‖X‖·√L for the mixed
first-derivative residual term (so Bres could be halved); the toolkit keeps the NOTES
constants so that printed and corrected forms differ only in H0.  Gradient of CE w.r.t.
the logits: ‖∇_z CE_j‖² <= 2·CE_j (binary: <= CE_j), hence ‖∇_Z L‖_F <= √(2L).

With λ_i‖W_i‖²/2 <= f, 2uv <= u² + v², 2u√L <= u² + L, √L <= L + 1 and L <= f:

    ‖∇²f‖₂ <= λ1 + λ2 + Bres + (Bres + C_lin)·f,
    C_lin = (2A1 + A12 + Bmix)/λ1 + (2A2 + A12)/λ2 + Bmix/2.

Corrected (default): ``H1 = Bres + C_lin``, ``H0 = λ1 + λ2 + Bres(f* + 1) + C_lin·f*``.
Printed Eq. (31) (``printed=True``): same H1, ``H0 = λ1 + λ2 + Bres(f* + 1)`` — it drops
``C_lin·f*`` when rewriting C_lin·f = C_lin(f − f*) + C_lin·f*, and is violated
(:func:`two_layer_ce_printed_witness`).

>>> c = two_layer_ce_constants(1.0, 1.0, 1.0, 0.5, 0.1, 0.1, 0.2)
>>> round(c.H0, 6), round(c.H1, 6)
(21.079037, 90.253048)
>>> round(two_layer_ce_constants(1.0, 1.0, 1.0, 0.5, 0.1, 0.1, 0.2, printed=True).H0, 6)
3.594113
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sympy as sp

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = [
    "TwoLayerCECoefficients",
    "two_layer_ce_coefficients",
    "two_layer_ce_constants",
    "two_layer_ce_printed_witness",
    "CEWitness",
]


@dataclass(frozen=True)
class TwoLayerCECoefficients:
    """A1, A2, A12, Bmix, Bres of the curvature bound and C_lin (module docstring)."""

    A1: Any
    A2: Any
    A12: Any
    Bmix: Any
    Bres: Any
    C_lin: Any

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {k: (str(v) if isinstance(v, sp.Basic) and v.free_symbols else float(v))
                for k, v in asdict(self).items()}


def _args(x_norm, C1, C2, C3, lam1, lam2):
    x = check_scalar("x_norm", x_norm, low=0)
    c1 = check_scalar("C1", C1, low=0)
    c2 = check_scalar("C2", C2, low=0)
    c3 = check_scalar("C3", C3, low=0)
    l1 = check_scalar("lam1", lam1, low=0, low_open=True)
    l2 = check_scalar("lam2", lam2, low=0, low_open=True)
    return x, c1, c2, c3, l1, l2


def two_layer_ce_coefficients(x_norm: Any, C1: Any, C2: Any, C3: Any, lam1: Any,
                              lam2: Any) -> TwoLayerCECoefficients:
    """The coefficients of the curvature bound (NOTES §4 constants, all proved valid).

    >>> k = two_layer_ce_coefficients(2.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    >>> k.A1, k.A12, round(k.Bres, 6)
    (4.0, 8.0, 5.656854)
    """
    x, c1, c2, c3, l1, l2 = _args(x_norm, C1, C2, C3, lam1, lam2)
    sym = any(isinstance(v, sp.Basic) for v in (x, c1, c2, c3, l1, l2))
    r2 = sp.sqrt(2) if sym else 2.0 ** 0.5
    if sym:
        x, c1, c2, c3, l1, l2 = map(to_sympy, (x, c1, c2, c3, l1, l2))
    A1, A2, A12 = c2**2 * x**2, c1**2 * x**2, 2 * c1 * c2 * x**2
    Bmix, Bres = r2 * c3 * x**2, 2 * r2 * c2 * x
    C_lin = (2 * A1 + A12 + Bmix) / l1 + (2 * A2 + A12) / l2 + Bmix / 2
    return TwoLayerCECoefficients(A1, A2, A12, Bmix, Bres, C_lin)


def two_layer_ce_constants(x_norm: Any, C1: Any, C2: Any, C3: Any, lam1: Any, lam2: Any,
                           f_star: Any, printed: bool = False) -> HSmooth:
    """(H0, H1) for the two-layer CE + L2 network (Prop 3.3; corrected H0 by default).

    ``H1 = Bres + C_lin``; corrected ``H0 = λ1 + λ2 + Bres(f* + 1) + C_lin·f*``; with
    ``printed=True`` the printed Eq. (31) ``H0 = λ1 + λ2 + Bres(f* + 1)`` (DEFECTIVE: kept
    only to report it).  ``f_star = inf f >= 0``.  Floats → float, sympy → sympy.

    >>> import sympy as sp
    >>> x, c, l, fs = sp.symbols("x C lambda f_star", positive=True)
    >>> h = two_layer_ce_constants(x, c, c, c, l, l, fs)
    >>> sp.simplify(h.H0 - two_layer_ce_constants(x, c, c, c, l, l, fs, printed=True).H0 - (h.H1 - 2*sp.sqrt(2)*c*x)*fs)
    0
    """
    k = two_layer_ce_coefficients(x_norm, C1, C2, C3, lam1, lam2)
    fs = check_scalar("f_star", f_star, low=0)
    if not isinstance(printed, bool):
        raise TypeError(f"printed must be a bool, got {type(printed).__name__}")
    l1 = check_scalar("lam1", lam1, low=0, low_open=True)
    l2 = check_scalar("lam2", lam2, low=0, low_open=True)
    if isinstance(k.Bres, sp.Basic) or isinstance(fs, sp.Basic):
        fs, l1, l2 = map(to_sympy, (fs, l1, l2))
    H1 = k.Bres + k.C_lin
    H0 = l1 + l2 + k.Bres * (fs + 1)
    if not printed:
        H0 = H0 + k.C_lin * fs
    return HSmooth(H0, H1)


# ----------------------------------------------------------------------------------------
# Witness against printed Eq. (31)
# ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CEWitness:
    """A certified violation of printed Eq. (31) (all numbers at 50 significant digits).

    One input, one hidden unit, one sample, binary logistic loss:
    ``f(w1, w2) = log(1 + exp(−y·w1·φ(w2·x))) + λ1w1²/2 + λ2w2²/2`` with
    ``φ(s) = s + (a/ω)·sin(ωs)`` (C1 = C2 = 1 + a, C3 = a·ω).  ``f_star_lower`` is a
    certified LOWER bound of the true f*: ``f0* − (a/ω)·√(2 f(w̄)/λ1)`` where f0* is the
    closed-form optimum of the same problem with φ(s) = s.  Because the printed bound
    ``λ1+λ2+Bres(f*+1) + H1(f − f*)`` decreases in f*, evaluating it at ``f_star_lower``
    gives a value >= the printed bound at the true f*; ``hessian_norm`` exceeds it.
    """

    a: str
    omega: str
    x: str
    y: str
    lam1: str
    lam2: str
    w1: str
    w2: str
    C1: float
    C2: float
    C3: float
    f: float
    f0_star: float
    f_star_lower: float
    hessian: tuple
    hessian_norm: float
    printed_bound: float
    corrected_bound: float
    violated: bool

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        d = asdict(self)
        d["hessian"] = [list(r) for r in self.hessian]
        return d


_ONE_TENTH = sp.Rational(1, 10)


def two_layer_ce_printed_witness(a: Any = _ONE_TENTH, omega: Any = 1000,
                                 lam: Any = _ONE_TENTH, digits: int = 50) -> CEWitness:
    """Build the witness of :class:`CEWitness` (x = y = 1, λ1 = λ2 = ``lam``).

    The point is w1 = √t*, w2 ≈ (π/2 + 2πk)/ω near √t* (t* = log((1−λ)/λ), the smooth
    optimum of the product w1·w2), rounded to 12 decimals and used as an exact rational.
    The Hessian is the exact symbolic 2×2 Hessian (sympy) evaluated at ``digits`` digits.

    >>> w = two_layer_ce_printed_witness()
    >>> w.violated, round(w.hessian_norm, 3), round(w.printed_bound, 3)
    (True, 15.077, 4.704)
    """
    import mpmath

    a, omega, lam = sp.nsimplify(a), sp.nsimplify(omega), sp.nsimplify(lam)
    x = y = sp.Integer(1)
    w1s, w2s, s = sp.symbols("w1 w2 s", real=True)
    phi = s + (a / omega) * sp.sin(omega * s)
    f = sp.log(1 + sp.exp(-y * w1s * phi.subs(s, w2s * x))) + lam * w1s**2 / 2 + lam * w2s**2 / 2
    kappa, mu = abs(x * y), lam  # μ = √(λ1λ2) with λ1 = λ2
    if not mu < kappa:
        raise ValueError("lam must be in (0, 1) for this witness (μ < κ = 1)")
    t_star = sp.log((kappa - mu) / mu) / kappa
    f0_star = sp.log(kappa / (kappa - mu)) + (mu / kappa) * sp.log((kappa - mu) / mu)
    w1v = sp.Rational(str(round(float(sp.sqrt(t_star)), 12)))
    k = round((float(sp.sqrt(t_star)) * float(omega) - float(sp.pi) / 2) / (2 * float(sp.pi)))
    w2v = sp.Rational(str(round((float(sp.pi) / 2 + 2 * float(sp.pi) * k) / float(omega), 12)))
    sub = {w1s: w1v, w2s: w2v}
    fv = sp.N(f.subs(sub), digits)
    H = sp.hessian(f, (w1s, w2s)).subs(sub)
    Hn = [[sp.N(H[i, j], digits) for j in range(2)] for i in range(2)]
    with mpmath.workdps(digits):
        p, q, r = (mpmath.mpf(str(Hn[0][0])), mpmath.mpf(str(Hn[0][1])), mpmath.mpf(str(Hn[1][1])))
        hnorm = abs(p + r) / 2 + mpmath.sqrt(((p - r) / 2) ** 2 + q**2)
        fvm = mpmath.mpf(str(fv))
        delta = mpmath.mpf(str(sp.N(a / omega, digits))) * mpmath.sqrt(2 * fvm / mpmath.mpf(str(sp.N(lam, digits))))
        f_lo = mpmath.mpf(str(sp.N(f0_star, digits))) - delta
        C1 = C2 = 1 + a
        C3 = a * omega
        pr = two_layer_ce_constants(x, C1, C2, C3, lam, lam, sp.Float(str(f_lo), digits), printed=True)
        co = two_layer_ce_constants(x, C1, C2, C3, lam, lam, sp.Float(str(f_lo), digits))
        gap = sp.Float(str(fvm), digits) - sp.Float(str(f_lo), digits)
        printed_bound = mpmath.mpf(str(sp.N(pr.H0 + pr.H1 * gap, digits)))
        corrected_bound = mpmath.mpf(str(sp.N(co.H0 + co.H1 * gap, digits)))
        violated = bool(hnorm > printed_bound)
    return CEWitness(
        a=str(a), omega=str(omega), x=str(x), y=str(y), lam1=str(lam), lam2=str(lam),
        w1=str(w1v), w2=str(w2v), C1=float(C1), C2=float(C2), C3=float(C3), f=float(fvm),
        f0_star=float(sp.N(f0_star, 17)), f_star_lower=float(f_lo),
        hessian=tuple(tuple(float(v) for v in row) for row in Hn), hessian_norm=float(hnorm),
        printed_bound=float(printed_bound), corrected_bound=float(corrected_bound), violated=violated,
    )
