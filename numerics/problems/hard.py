"""The extremal problems: the cosh function (equality in (H0,H1)) and the PL hard function of Thm 4.1(3)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp
import torch

from warmup_theory.theory.hard_functions import pl_hard_function

from .base import Problem, Tensor, _abs_dist, _arr, _bind, _broadcast, _out, _t

# cosh extremal function

def _cosh_fn(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
    H0, H1 = p["H0"], p["H1"]
    s = torch.sinh(torch.sqrt(H1) * W[:, 0] / 2)
    return (2 * H0 / H1) * s * s


def _cosh_vg(W: Tensor, p: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
    H0, H1 = p["H0"], p["H1"]
    r = torch.sqrt(H1)
    half = r * W[:, 0] / 2
    s, c = torch.sinh(half), torch.cosh(half)
    return (2 * H0 / H1) * s * s, ((2 * H0 / r) * s * c)[:, None]   # f' = (H0/√H1)·sinh(√H1 w)


def cosh_problem(H0: Any = 1.0, H1: Any = 1.0) -> Problem:
    """The extremal function f(w) = (H0/H1)(cosh(√H1·w) − 1), evaluated as (2H0/H1)·sinh²(√H1 w/2)
    (no cancellation near the minimum).  H0 > 0, H1 > 0, floats or arrays [B] (per-run constants).

    Exact constants: f'' = H0 + H1·f (the bound of Definition 3.1 holds with equality), μ = H0
    (f'² = 2H0 f + H1 f²), θ = 1 (convex), f* = 0 at w = 0.

    >>> p = cosh_problem([1.0, 2.0], [1.0, 4.0])
    >>> p.batch, p.H0.tolist(), p.mu.tolist()
    (2, [1.0, 2.0], [1.0, 2.0])
    """
    h0 = _arr("H0", H0, low=0, low_open=True)
    h1 = _arr("H1", H1, low=0, low_open=True)
    B, d = _broadcast(H0=h0, H1=h1)
    h0, h1 = d["H0"], d["H1"]
    w = sp.Symbol("w0", real=True)
    if B is None:
        run: dict[str, Tensor] = {}
        shared = {"H0": _t(h0), "H1": _t(h1)}
        expr = sp.Float(float(h0)) / sp.Float(float(h1)) * (sp.cosh(sp.sqrt(sp.Float(float(h1))) * w) - 1)
        psyms: dict[str, sp.Symbol] = {}
        name = f"cosh(H0={float(h0):g},H1={float(h1):g})"
    else:
        run, shared = {"H0": _t(h0), "H1": _t(h1)}, {}
        psyms = {"H0": sp.Symbol("H0", positive=True), "H1": sp.Symbol("H1", positive=True)}
        expr = psyms["H0"] / psyms["H1"] * (sp.cosh(sp.sqrt(psyms["H1"]) * w) - 1)
        name = f"cosh[batch={B}]"
    return Problem(
        name=name, dim=1, f=_bind(_cosh_fn, run, shared), f_star=0.0, H0=_out(h0), H1=_out(h1),
        mu=_out(h0), theta=1.0, minimiser_dist=_abs_dist,
        provenance="exact: f'' = H0 + H1·f (NOTES §1 extremal function [D]); mu = H0 from f'^2 = 2H0 f + H1 f^2; "
                   "theta = 1 by convexity",
        sympy_expr=expr, symbols=(w,), fn=_cosh_fn, run_params=run, shared_params=shared, batch=B, vg_fn=_cosh_vg,
        family="cosh", param_symbols=psyms,
    )


# ----------------------------------------------------------------------------------------------------
# PL hard function (Thm 4.1(3))

def _hard_fn_local(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
    """NOTES §5 [D] form: (μ/2)w² for |w| <= 1/√H1, (μ/H1)e^{√H1|w|−1} − μ/(2H1) outside."""
    mu, H1 = p["mu"], p["H1"]
    x = W[:, 0]
    r = torch.sqrt(H1)
    ax = x.abs()
    inside = ax <= 1 / r
    quad = 0.5 * mu * x * x
    # clamp the exponent on the quadratic branch only (its gradient is then masked by torch.where)
    out = (mu / H1) * torch.exp(torch.where(inside, torch.zeros_like(ax), r * ax - 1)) - mu / (2 * H1)
    return torch.where(inside, quad, out)


def _hard_vg(W: Tensor, p: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
    mu, H1 = p["mu"], p["H1"]
    x = W[:, 0]
    r = torch.sqrt(H1)
    ax = x.abs()
    inside = ax <= 1 / r
    E = torch.exp(torch.where(inside, torch.zeros_like(ax), r * ax - 1))
    f = torch.where(inside, 0.5 * mu * x * x, (mu / H1) * E - mu / (2 * H1))
    g = torch.where(inside, mu * x, torch.sign(x) * (mu / r) * E)
    return f, g[:, None]


def pl_hard_problem(H0: Any = 1.0, H1: Any = 1.0, mu: Any = 1.0) -> Problem:
    """The PL hard function of Theorem 4.1(3) (v2) with f* = 0 at w = 0, 1-D.

    ``sympy_expr`` is ``warmup_theory.theory.hard_functions.pl_hard_function(H0, H1, mu)``; f is
    evaluated by a torch transcription of the same NOTES §5 form
    f = (μ/2)w² (|w| <= 1/√H1), (μ/H1)e^{√H1|w|−1} − μ/(2H1) (outside) (checked against the sympy form in
    the tests), whose constants are proved here (and certified by theory's claim "Hard function (PL)"):
    inside f'' = μ <= H0; outside f'' = μe^{√H1|w|−1} = H1·f + μ/2 <= H0 + H1·f; both need μ <= H0.
    PL with μ: inside f'² = 2μf; outside with E = e^{√H1|w|−1} >= 1, f'² = (μ²/H1)E² >= (μ²/H1)(2E − 1)
    = 2μf.  Convex (f'' > 0): θ = 1.  H0, H1, mu > 0 with mu <= H0 (floats or arrays [B]).

    >>> p = pl_hard_problem(1.0, 1.0, 0.5)
    >>> import torch
    >>> [round(float(v), 6) for v in p.f(torch.tensor([[0.5], [2.0]], dtype=torch.float64))]
    [0.0625, 1.109141]
    """
    h0 = _arr("H0", H0, low=0, low_open=True)
    h1 = _arr("H1", H1, low=0, low_open=True)
    m = _arr("mu", mu, low=0, low_open=True)
    B, d = _broadcast(H0=h0, H1=h1, mu=m)
    h0, h1, m = d["H0"], d["H1"], d["mu"]
    if np.any(m > h0):
        raise ValueError(f"mu must be <= H0 for the hard function to be (H0,H1)-smooth, got mu={m} > H0={h0}")
    w = sp.Symbol("w0", real=True)
    psyms = {"H0": sp.Symbol("H0", positive=True), "H1": sp.Symbol("H1", positive=True),
             "mu": sp.Symbol("mu", positive=True)}
    fn: Callable = _hard_fn_local
    expr: Any
    e, tw = pl_hard_function(psyms["H0"], psyms["H1"], psyms["mu"])
    param_expr = e.subs(tw, w)
    source = ("warmup_theory.theory.hard_functions.pl_hard_function (sympy_expr); evaluated by a torch transcription "
              "checked against it in tests/test_gd.py")
    if B is None:
        shared = {"H0": _t(h0), "H1": _t(h1), "mu": _t(m)}
        run: dict[str, Tensor] = {}
        expr = param_expr.subs({psyms["H0"]: sp.Float(float(h0)), psyms["H1"]: sp.Float(float(h1)),
                                psyms["mu"]: sp.Float(float(m))})
        name = f"pl_hard(H0={float(h0):g},H1={float(h1):g},mu={float(m):g})"
        ps: dict[str, sp.Symbol] = {}
    else:
        run, shared = {"H0": _t(h0), "H1": _t(h1), "mu": _t(m)}, {}
        expr, ps = param_expr, psyms
        name = f"pl_hard[batch={B}]"
    return Problem(
        name=name, dim=1, f=_bind(fn, run, shared), f_star=0.0, H0=_out(h0), H1=_out(h1), mu=_out(m),
        theta=1.0, minimiser_dist=_abs_dist,
        provenance=f"Thm 4.1(3) hard function; {source}; (H0,H1) valid for mu <= H0, mu-PL, convex",
        sympy_expr=expr, symbols=(w,), fn=fn, run_params=run, shared_params=shared, batch=B,
        family="pl_hard", param_symbols=ps, vg_fn=_hard_vg,
    )


