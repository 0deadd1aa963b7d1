"""Quadratics ((L, H1) for every H1) and even monomials s·Σ c_i·w_i^{2p} with their exact frontier."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from warmup_theory.theory.validate import check_scalar

from .base import Problem, Tensor, _arr, _bind, _out, _t

# quadratics

def _quad_fn(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
    X = W - p["c"]
    return 0.5 * ((X @ p["A"]) * X).sum(dim=1)


def _quad_vg(W: Tensor, p: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
    X = W - p["c"]
    AX = X @ p["A"]                     # A symmetric: ∇f = A(w − c)
    return 0.5 * (AX * X).sum(dim=1), AX


def quadratic_problem(eigs: Sequence[float], *, H1: float = 0.0, seed: int | None = None,
                      center: Sequence[float] | None = None) -> Problem:
    """f(w) = ½(w − c)ᵀ A (w − c), A = Q diag(eigs) Qᵀ (Q = I, or a random rotation when ``seed``).

    eigs >= 0 with at least one > 0.  Constants: H0 = L = max eig with any H1 >= 0 (Prop B.1; the
    frontier of a quadratic is flat: φ(H1) = L), μ = smallest positive eig (PL on range(A)), θ = 1,
    f* = 0, S = c + null(A).

    >>> p = quadratic_problem([1.0, 4.0])
    >>> (p.H0, p.H1, p.mu)
    (4.0, 0.0, 1.0)
    """
    ev = _arr("eigs", eigs, low=0)
    if ev.ndim != 1 or ev.size == 0:
        raise ValueError("eigs must be a non-empty 1-D sequence")
    if not np.any(ev > 0):
        raise ValueError("eigs must contain at least one positive eigenvalue")
    H1 = check_scalar("H1", H1, low=0)
    d = ev.size
    if seed is None:
        Q = np.eye(d)
    else:
        Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
        Q = Q * np.sign(np.diag(R))
    A = (Q * ev) @ Q.T
    A = 0.5 * (A + A.T)
    c = np.zeros(d) if center is None else _arr("center", center, low=None)
    if c.shape != (d,):
        raise ValueError(f"center must have {d} entries, got shape {list(c.shape)}")
    Qp = Q[:, ev > 0]
    P = Qp @ Qp.T
    shared = {"A": _t(A), "c": _t(c)}
    Pt, ct = _t(P), _t(c)

    def dist(W: Tensor) -> Tensor:
        return ((W - ct) @ Pt).norm(dim=1)
    syms = tuple(sp.Symbol(f"w{i}", real=True) for i in range(d))
    x = sp.Matrix([s - sp.Float(float(ci)) for s, ci in zip(syms, c)])
    expr = sp.expand((x.T * sp.Matrix(A.tolist()) * x)[0] / 2) if d <= 8 else None
    return Problem(
        name=f"quadratic(d={d},L={ev.max():g},mu={ev[ev > 0].min():g})", dim=d, f=_bind(_quad_fn, {}, shared),
        f_star=0.0, H0=float(ev.max()), H1=float(H1), mu=float(ev[ev > 0].min()), theta=1.0,
        minimiser_dist=dist,
        provenance="Prop B.1 (L-smooth => (L,0), and (L,H1) for any H1 >= 0); mu = min positive eigenvalue "
                   "(PL of PSD quadratics); theta = 1 (convex)",
        sympy_expr=expr, symbols=syms, fn=_quad_fn, shared_params=shared, family="quadratic", vg_fn=_quad_vg,
        info={"eigs": ev.tolist(), "seed": seed},
    )


# ----------------------------------------------------------------------------------------------------
# convex even monomials: w^4 and friends

def quartic_frontier(H1: Any, power: int = 4) -> Any:
    """φ(H1) = sup_{w ∈ R}(f''(w) − H1·f(w)) for f(w) = w^power (power = 2p even, p >= 2):
    φ = 2(2p−1)·(2(2p−1)(p−1)/H1)^{p−1}; w⁴: 36/H1.  Floats or sympy.

    >>> quartic_frontier(2.0)
    18.0
    >>> import sympy as sp
    >>> quartic_frontier(sp.Symbol("H1", positive=True), power=6)
    4000/H1**2
    """
    if power % 2 or power < 4:
        raise ValueError(f"power must be an even integer >= 4, got {power!r}")
    H1 = check_scalar("H1", H1, low=0, low_open=True)
    p = power // 2
    val = 2 * (2 * p - 1) * (sp.Integer(2 * (2 * p - 1) * (p - 1)) / H1 if isinstance(H1, sp.Basic)
                             else 2.0 * (2 * p - 1) * (p - 1) / H1) ** (p - 1)
    return val if isinstance(val, sp.Basic) else float(val)


def _make_mono_fn(power: int) -> Callable[[Tensor, Mapping[str, Tensor]], Tensor]:
    def fn(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
        return p["s"] * (p["coeffs"] * W**power).sum(dim=1)
    return fn


def _make_mono_vg(power: int) -> Callable[[Tensor, Mapping[str, Tensor]], tuple[Tensor, Tensor]]:
    def vg(W: Tensor, p: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
        s = p["s"]
        sc = s[:, None] if s.ndim == 1 else s
        Wp1 = W ** (power - 1)
        return s * (p["coeffs"] * Wp1 * W).sum(dim=1), sc * power * p["coeffs"] * Wp1
    return vg


def quartic_problem(coeffs: Sequence[float] | float = 1.0, *, H1: float = 1.0, power: int = 4,
                    scale: Any = 1.0) -> Problem:
    """f(w) = s·Σ_i c_i w_i^power (power even >= 4; default w⁴), f* = 0 at w = 0.

    Constants (module docstring; proof by the one-variable frontier): H0 = s·max(c)·φ(H1) with
    φ = :func:`quartic_frontier` (w⁴: 36/H1), the given H1 > 0; μ = None (not PL: f'² = 16w⁶ is not
    >= 2μw⁴ near 0); θ = 1 (convex; homogeneity even gives θ = power).  ``scale`` s > 0 may be an
    array [B] (per-run scale; H0 is then an array).

    >>> p = quartic_problem([1.0, 0.5], H1=2.0)
    >>> (p.dim, p.H0, p.mu, p.theta)
    (2, 18.0, None, 1.0)
    """
    c = _arr("coeffs", coeffs, low=0, low_open=True)
    c = c.reshape(-1)
    if isinstance(power, bool) or not isinstance(power, int) or power % 2 or power < 4:
        raise ValueError(f"power must be an even integer >= 4, got {power!r}")
    H1 = check_scalar("H1", H1, low=0, low_open=True)
    s = _arr("scale", scale, low=0, low_open=True)
    d = c.size
    phi = quartic_frontier(H1, power)
    H0 = s * float(c.max()) * phi
    B = None if s.ndim == 0 else int(s.shape[0])
    shared = {"coeffs": _t(c)}
    mono = _make_mono_fn(power)
    run = {} if B is None else {"s": _t(s)}
    if B is None:
        shared["s"] = _t(s)
    syms = tuple(sp.Symbol(f"w{i}", real=True) for i in range(d))
    ssym = sp.Symbol("s", positive=True)
    base = sum(sp.Float(float(ci)) * x**power for ci, x in zip(c, syms))
    expr = sp.Float(float(s)) * base if B is None else ssym * base
    return Problem(
        name=f"monomial(power={power},d={d},H1={H1:g})" + ("" if B is None else f"[batch={B}]"), dim=d,
        f=_bind(mono, run, shared), f_star=0.0, H0=_out(H0), H1=float(H1), mu=None, theta=1.0,
        minimiser_dist=lambda W: W.norm(dim=1),
        provenance=(f"frontier phi(H1) = sup(f'' - H1 f) = {phi:g}·s·max(c) for w^{power}: "
                    + ("w^4: claim 'Def 3.1' (12w^2 <= 36/H1 + H1 w^4, tight)" if power == 4 else
                       "toolkit's own one-variable maximisation (module docstring)")
                    + "; separable sum: module docstring; sympy re-check in tests/test_gd_crosscheck.py; "
                      "theta = 1 by convexity"),
        sympy_expr=expr, symbols=syms, fn=mono, run_params=run, shared_params=shared, batch=B,
        vg_fn=_make_mono_vg(power),
        family="monomial", param_symbols={} if B is None else {"s": ssym},
        info={"coeffs": c.tolist(), "power": power},
    )


