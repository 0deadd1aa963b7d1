"""Catalogue of test problems for GD, each with proven (H0,H1)-smoothness constants and exact f*.

(H0,H1)-smoothness (Definition 3.1, v2): ‖∇²f(w)‖₂ <= H0 + H1·(f(w) − f*), spectral norm.
PL (Definition 4.2): ‖∇f‖₂² >= 2μ(f − f*).  Aiming (Definition 4.1): ⟨∇f(w), w − proj_S(w)⟩ >= θ(f − f*),
S the set of minimisers; every problem here is convex, hence θ = 1 (convexity: f* >= f(w) + ⟨∇f(w), w* − w⟩).

A :class:`Problem` evaluates f on a batch W of shape [B, d] (one row per GD run) and returns [B] in torch
float64.  Problems may carry *per-run parameters* (``run_params``, first axis = ``batch``) so that, e.g.,
B cosh functions with different (H0, H1) run in one tensor program; their constants are then arrays [B].

Catalogue (every constant with the argument that proves it, also in ``provenance``):

* :func:`cosh_problem` — f(w) = (H0/H1)(cosh(√H1·w) − 1) = (2H0/H1)·sinh²(√H1·w/2), 1-D, f* = 0.
  f'' = H0·cosh(√H1 w) = H0 + H1·f exactly, so (H0, H1) holds with equality (NOTES §1 [D]).
  f'² = 2H0·f + H1·f² >= 2H0·f: μ-PL with μ = H0; convex: θ = 1.
* :func:`pl_hard_problem` — the PL hard function of Thm 4.1(3) from ``warmup_theory.theory.hard_functions``.
* :func:`quadratic_problem` — f(w) = ½(w − c)ᵀA(w − c), A = Q·diag(eigs)·Qᵀ >= 0: ‖∇²f‖ = L = max eig,
  so (L, H1) for every H1 >= 0 (Prop B.1); μ = smallest positive eigenvalue (‖A x‖² >= λ⁺_min·xᵀAx for
  x ∈ range A, i.e. ‖∇f‖² >= 2λ⁺_min·f); θ = 1.
* :func:`quartic_problem` — f(w) = s·Σ c_i·w_i^{2p} (p >= 2; p = 2 is w⁴).  Frontier
  φ(H1) = sup_w(‖∇²f‖ − H1·f) = s·max(c)·φ_p(H1),  φ_p(H1) = 2(2p−1)·(2(2p−1)(p−1)/H1)^{p−1}
  (w⁴: φ(H1) = 36/H1, attained at w² = 6/H1).  Proof: the Hessian is diagonal with entries
  s c_i·2p(2p−1)w_i^{2p−2}, and f >= s c_i w_i^{2p} for each i, so ‖∇²f‖ − H1 f <= max_i s c_i·sup_{t>=0}
  (2p(2p−1)t^{p−1} − H1 t^p); the one-variable supremum (derivative zero at t = 2(2p−1)(p−1)/(pH1)) is
  φ_p(H1).  Not PL (μ = None); θ = 1.  Re-checked by tests/test_gd_crosscheck.py with sympy.
* :func:`random_class_member` / :func:`random_class_members` — h(w) = Σ_j g_j(a_jᵀ(w − c)), each atom
  g_j(x) = q_j x²/2 + r_j x⁴ + (2h0_j/h1_j)·sinh²(√h1_j·x/2) (q, r, h0 >= 0, not all 0), convex with
  g_j(0) = 0 its unique minimum.  Constants by the closure rules (NOTES §3): an atom is a sum of
  members minimised at 0, each with f* = 0, so (sum rule, h* = f* + g* = 0):
  H0_j = q_j + h0_j + 36·r_j/κ_j, H1_j = max(h1_j [cosh present], κ_j [quartic present]);
  composition with x = a_jᵀ(w − c) (rank one, ‖a_j‖² = ‖a_jᵀ‖₂²) multiplies both by ‖a_j‖²
  (∇²(g∘a) = a aᵀ g''); the sum over j (all minimised at w = c, so h* = 0 = Σ f_j*) gives
  H0 = Σ_j ‖a_j‖² H0_j, H1 = max_j ‖a_j‖² H1_j.  S = c + null(A), dist(w, S) = ‖A⁺A(w − c)‖.
  PL when every atom is strongly convex (m_j = q_j + h0_j > 0) and A = [a_jᵀ] has full column rank:
  ∇²h ⪰ Aᵀdiag(m)A ⪰ μ·I with μ = λ_min(Aᵀdiag(m)A) (strong convexity ⇒ PL); computed in float64 and
  shrunk by 1e-9 relative for rounding.
* :func:`gallery_problem` — the functions of ``warmup_theory.theory.gallery`` (w⁴ + (3/2)w², the double well (w² − 1)²,
  log cosh, x² + xy + y², …) with H0 = φ(H1), their hand-derived frontier (claim "Def 3.1").

>>> p = cosh_problem(2.0, 0.5)
>>> (p.H0, p.H1, p.mu, p.theta, p.f_star)
(2.0, 0.5, 2.0, 1.0, 0.0)
>>> import torch
>>> round(float(p.f(torch.tensor([[1.0]], dtype=torch.float64))[0]), 12)   # 4·(cosh(√0.5) − 1)
1.042367346085
>>> quartic_problem().H0     # w⁴ with H1 = 1: φ(1) = 36
36.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
import torch

from warmup_theory.theory.validate import check_scalar

__all__ = [
    "Problem",
    "cosh_problem",
    "pl_hard_problem",
    "quadratic_problem",
    "quartic_problem",
    "quartic_frontier",
    "random_class_member",
    "random_class_members",
    "gallery_problem",
    "default_catalogue",
]

Tensor = torch.Tensor
_F64 = torch.float64


@dataclass(frozen=True, eq=False)
class Problem:
    """A GD test problem: batched f, exact f*, proven constants, and where they come from.

    ``f(W)``: W [B, d] → [B] (torch, float64, CPU parameters).  For problems with per-run parameters
    (``batch`` = B) ``f`` expects exactly B rows and ``H0``, ``H1``, ``mu``, ``theta``, ``f_star`` may be
    arrays [B].  ``fn(W, params)`` is the same function with explicit parameters (the GD engine uses
    it to move parameters to the device and to drop stopped runs).  ``minimiser_dist(W)`` = dist(w, S)
    (same batching as ``f``).  ``vg_fn(W, params)`` → (f, ∇f) in closed form (optional; the engine
    uses it instead of autograd — tests check it against sympy differentiation).  ``sympy_expr``: the
    closed form in ``symbols`` (for a batched problem, a
    parametric form in ``symbols`` + ``param_symbols``; :meth:`expr` gives run i's numeric form).
    """

    name: str
    dim: int
    f: Callable[[Tensor], Tensor]
    f_star: Any
    H0: Any
    H1: Any
    mu: Any
    theta: Any
    minimiser_dist: Callable[[Tensor], Tensor] | None
    provenance: str
    sympy_expr: Any = None
    symbols: tuple = ()
    fn: Callable[[Tensor, Mapping[str, Tensor]], Tensor] | None = None
    run_params: Mapping[str, Tensor] = field(default_factory=dict)
    shared_params: Mapping[str, Tensor] = field(default_factory=dict)
    batch: int | None = None
    family: str = ""
    param_symbols: Mapping[str, sp.Symbol] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    vg_fn: Callable[[Tensor, Mapping[str, Tensor]], tuple[Tensor, Tensor]] | None = None

    def constants(self, i: int | None = None) -> dict[str, Any]:
        """H0, H1, mu, theta, f_star as floats (run ``i`` of a batched problem)."""
        def pick(v: Any) -> Any:
            if v is None:
                return None
            a = np.asarray(v, dtype=np.float64)
            if a.ndim == 0:
                return float(a)
            if i is None:
                raise ValueError("i (the run index) is required for a batched problem")
            return float(a[i])
        return {k: pick(getattr(self, k)) for k in ("H0", "H1", "mu", "theta", "f_star")}

    def gap(self, W: Any) -> np.ndarray:
        """f(W) − f* as a numpy array [B] (float64)."""
        Wt = torch.as_tensor(np.asarray(W, dtype=np.float64), dtype=_F64)
        if Wt.ndim == 1 and self.dim == 1:
            Wt = Wt.reshape(-1, 1)
        with torch.no_grad():
            return self.f(Wt).numpy() - np.asarray(self.f_star, dtype=np.float64)

    def expr(self, i: int | None = None) -> sp.Expr | None:
        """The numeric sympy form of f (run ``i`` of a batched problem)."""
        builder = self.info.get("expr_builder") if self.info else None
        if builder is not None:
            if self.batch is not None and i is None:
                raise ValueError("i (the run index) is required for a batched problem")
            return builder(i)
        if self.sympy_expr is None:
            return None
        if self.batch is None:
            return self.sympy_expr
        if i is None:
            raise ValueError("i (the run index) is required for a batched problem")
        subs = {s: sp.Float(float(self.run_params[k][i].reshape(-1)[0])) if self.run_params[k][i].numel() == 1
                else None for k, s in self.param_symbols.items()}
        return self.sympy_expr.subs({s: v for s, v in subs.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        def conv(v: Any) -> Any:
            if v is None:
                return None
            a = np.asarray(v, dtype=np.float64)
            return float(a) if a.ndim == 0 else a.tolist()
        return {"name": self.name, "family": self.family, "dim": self.dim, "batch": self.batch,
                "f_star": conv(self.f_star), "H0": conv(self.H0), "H1": conv(self.H1), "mu": conv(self.mu),
                "theta": conv(self.theta), "provenance": self.provenance,
                "sympy_expr": None if self.sympy_expr is None else str(self.sympy_expr)}


# ----------------------------------------------------------------------------------------------------
# helpers

def _arr(name: str, value: Any, *, low: float | None = 0.0, low_open: bool = False) -> np.ndarray:
    """A scalar or 1-D array of finite floats, each checked by check_scalar (names the argument)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    a = np.asarray(value, dtype=np.float64) if not isinstance(value, (int, float)) else np.asarray(float(value))
    if a.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array, got shape {list(a.shape)}")
    for x in a.reshape(-1):
        check_scalar(name, float(x), low=low, low_open=low_open)
    return a


def _broadcast(**arrays: np.ndarray) -> tuple[int | None, dict[str, np.ndarray]]:
    """Common batch size of the 1-D arrays among ``arrays`` (None if all scalars)."""
    sizes = {k: v.shape[0] for k, v in arrays.items() if v.ndim == 1}
    if not sizes:
        return None, arrays
    B = max(sizes.values())
    for k, n in sizes.items():
        if n != B:
            raise ValueError(f"{k} has {n} entries but other per-run arguments have {B}")
    return B, {k: (np.full(B, float(v)) if v.ndim == 0 else v) for k, v in arrays.items()}


def _out(v: np.ndarray) -> Any:
    return float(v) if v.ndim == 0 else v.copy()


def _t(x: Any) -> Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float64), dtype=_F64)


def _bind(fn: Callable, run: Mapping[str, Tensor], shared: Mapping[str, Tensor]) -> Callable[[Tensor], Tensor]:
    params = {**shared, **run}

    def f(W: Tensor) -> Tensor:
        return fn(W, params)
    return f


def _abs_dist(W: Tensor) -> Tensor:
    return W.abs().reshape(W.shape[0], -1).norm(dim=1)


# ----------------------------------------------------------------------------------------------------
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


def _theory_hard() -> Callable | None:
    try:
        from warmup_theory.theory.hard_functions import pl_hard_function  # type: ignore
    except ImportError:
        return None
    return pl_hard_function


def pl_hard_problem(H0: Any = 1.0, H1: Any = 1.0, mu: Any = 1.0) -> Problem:
    """The PL hard function of Theorem 4.1(3) (v2) with f* = 0 at w = 0, 1-D.

    ``sympy_expr`` is ``warmup_theory.theory.hard_functions.pl_hard_function(H0, H1, mu)`` when that module exists; f is
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
    theory_fn = _theory_hard()
    fn: Callable = _hard_fn_local
    source = "NOTES §5 [D] form (warmup_theory.theory.hard_functions not available)"
    expr: Any
    if theory_fn is not None:
        try:
            e, tw = theory_fn(psyms["H0"], psyms["H1"], psyms["mu"])
            param_expr = e.subs(tw, w)
            source = ("warmup_theory.theory.hard_functions.pl_hard_function (sympy_expr); evaluated by a torch transcription "
                      "checked against it in tests/test_gd.py")
        except Exception as exc:  # the theory module's API differs: keep the proven local form
            theory_fn = None
            source = f"NOTES §5 [D] form (warmup_theory.theory.hard_functions failed: {type(exc).__name__}: {exc})"
    if theory_fn is None:
        r = sp.sqrt(psyms["H1"])
        param_expr = sp.Piecewise((psyms["mu"] * w**2 / 2, sp.Abs(w) <= 1 / r),
                                  (psyms["mu"] / psyms["H1"] * sp.exp(r * sp.Abs(w) - 1)
                                   - psyms["mu"] / (2 * psyms["H1"]), True))
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


# ----------------------------------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------------------------------
# random members of the class built by the closure rules

_KINDS = ("cosh", "quadratic", "quartic", "cosh+quartic", "quadratic+quartic", "cosh+quadratic")
_PL_KINDS = ("cosh", "quadratic", "cosh+quartic", "quadratic+quartic", "cosh+quadratic")


def _draw_member(seed: int, dim: int, n_terms: int, pl: bool) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    kinds = _PL_KINDS if pl else _KINDS
    q = np.zeros(n_terms); r = np.zeros(n_terms); h0 = np.zeros(n_terms); h1 = np.ones(n_terms)
    kappa = np.ones(n_terms)
    H0j = np.zeros(n_terms); H1j = np.zeros(n_terms)
    names = []
    for j in range(n_terms):
        kind = kinds[int(rng.integers(len(kinds)))]
        names.append(kind)
        if "cosh" in kind:
            h0[j] = rng.uniform(0.5, 2.0)
            h1[j] = rng.uniform(0.2, 2.0)
        if "quadratic" in kind:
            q[j] = rng.uniform(0.5, 2.0)
        if "quartic" in kind:
            r[j] = rng.uniform(0.1, 1.0)
            kappa[j] = h1[j] if "cosh" in kind else rng.uniform(0.5, 2.0)
        # sum rule inside the atom (all parts minimised at 0 with f* = 0)
        H0j[j] = q[j] + h0[j] + (36.0 * r[j] / kappa[j] if r[j] > 0 else 0.0)
        H1j[j] = max(h1[j] if h0[j] > 0 else 0.0, kappa[j] if r[j] > 0 else 0.0)
    while True:
        A = rng.standard_normal((n_terms, dim)) / math.sqrt(dim)
        if not pl or np.linalg.matrix_rank(A) == dim:
            break
    c = rng.standard_normal(dim)
    a2 = (A * A).sum(axis=1)
    H0 = float((a2 * H0j).sum())
    H1 = float((a2 * H1j).max())
    m = q + h0
    mu = None
    if np.all(m > 0) and np.linalg.matrix_rank(A) == dim:
        lam = float(np.linalg.eigvalsh((A.T * m) @ A).min())
        mu = lam * (1 - 1e-9) if lam > 0 else None
    P = np.linalg.pinv(A) @ A
    prm = {"A": A, "c": c, "q": q, "r": r, "h0": h0, "h1": h1, "P": P, "H0": H0, "H1": H1, "mu": mu,
           "kinds": names, "H0j": H0j, "H1j": H1j, "kappa": kappa}
    prm["closure"] = _member_constants(prm)
    return prm


def _member_fn(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
    A, c = p["A"], p["c"]
    if A.ndim == 3:  # per-run members
        X = torch.einsum("bmd,bd->bm", A, W - c)
    else:
        X = (W - c) @ A.T
    h1 = p["h1"]
    s = torch.sinh(torch.sqrt(h1) * X / 2)
    g = p["q"] * X * X / 2 + p["r"] * X**4 + (2 * p["h0"] / h1) * s * s
    return g.sum(dim=1)


def _member_vg(W: Tensor, p: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
    A, c = p["A"], p["c"]
    batched = A.ndim == 3
    X = torch.einsum("bmd,bd->bm", A, W - c) if batched else (W - c) @ A.T
    h1 = p["h1"]
    r = torch.sqrt(h1)
    s, ch = torch.sinh(r * X / 2), torch.cosh(r * X / 2)
    X2 = X * X
    f = (p["q"] * X2 / 2 + p["r"] * X2 * X2 + (2 * p["h0"] / h1) * s * s).sum(dim=1)
    dg = p["q"] * X + 4 * p["r"] * X2 * X + (2 * p["h0"] / r) * s * ch      # g_j'(x_j)
    G = torch.einsum("bm,bmd->bd", dg, A) if batched else dg @ A
    return f, G


def _member_dist(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
    P, c = p["P"], p["c"]
    if P.ndim == 3:
        return torch.einsum("bij,bj->bi", P, W - c).norm(dim=1)
    return ((W - c) @ P.T).norm(dim=1)


def _member_expr(prm: Mapping[str, Any], syms: tuple) -> sp.Expr:
    expr = sp.Integer(0)
    A, c = prm["A"], prm["c"]
    for j in range(A.shape[0]):
        x = sum(sp.Float(float(A[j, i])) * (syms[i] - sp.Float(float(c[i]))) for i in range(len(syms)))
        q, r, h0, h1 = (float(prm[k][j]) for k in ("q", "r", "h0", "h1"))
        term = sp.Float(q) * x**2 / 2 + sp.Float(r) * x**4
        if h0 > 0:
            term += sp.Float(h0) / sp.Float(h1) * (sp.cosh(sp.sqrt(sp.Float(h1)) * x) - 1)
        expr += term
    return expr


def random_class_member(seed: int, *, dim: int = 2, n_terms: int = 3, pl: bool = False) -> Problem:
    """A random member h(w) = Σ_j g_j(a_jᵀ(w − c)) of the class, constants by the closure rules
    (sum of members minimised at a common point, scaling, rank-one affine composition; module docstring).

    ``pl=True`` draws strongly convex atoms and A of full column rank (needs n_terms >= dim), so μ > 0.

    >>> p = random_class_member(0, dim=2, n_terms=3, pl=True)
    >>> p.mu is not None and p.mu > 0 and p.H0 > 0
    True
    """
    dim, n_terms = _check_member_args(dim, n_terms, pl)
    prm = _draw_member(int(seed), dim, n_terms, pl)
    shared = {k: _t(prm[k]) for k in ("A", "c", "q", "r", "h0", "h1", "P")}
    syms = tuple(sp.Symbol(f"w{i}", real=True) for i in range(dim))
    return Problem(
        name=f"random_member(seed={seed},d={dim},m={n_terms}{',pl' if pl else ''})", dim=dim,
        f=_bind(_member_fn, {}, shared), f_star=0.0, H0=prm["H0"], H1=prm["H1"], mu=prm["mu"], theta=1.0,
        minimiser_dist=_bind(_member_dist, {}, shared),
        provenance=_MEMBER_PROVENANCE, sympy_expr=_member_expr(prm, syms), symbols=syms, fn=_member_fn,
        shared_params=shared, family="random_member", vg_fn=_member_vg,
        info={"seed": int(seed), "kinds": prm["kinds"], "H0_terms": prm["H0j"].tolist(),
              "H1_terms": prm["H1j"].tolist(), "closure": prm["closure"]},
    )


def random_class_members(seeds: Sequence[int], *, dim: int = 2, n_terms: int = 3, pl: bool = False) -> Problem:
    """B random members (one per seed, same shapes) as one batched problem: run i is
    ``random_class_member(seeds[i], ...)``; H0, H1 (and mu, when every member is PL) are arrays [B].

    >>> p = random_class_members([0, 1, 2], pl=True)
    >>> p.batch, p.H0.shape
    (3, (3,))
    """
    dim, n_terms = _check_member_args(dim, n_terms, pl)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must be non-empty")
    prms = [_draw_member(s, dim, n_terms, pl) for s in seeds]
    run = {k: _t(np.stack([p[k] for p in prms])) for k in ("A", "c", "q", "r", "h0", "h1", "P")}
    mus = [p["mu"] for p in prms]
    mu = None if any(m is None for m in mus) else np.array(mus)
    syms = tuple(sp.Symbol(f"w{i}", real=True) for i in range(dim))
    return Problem(
        name=f"random_members[batch={len(seeds)},d={dim},m={n_terms}{',pl' if pl else ''}]", dim=dim,
        f=_bind(_member_fn, run, {}), f_star=0.0, H0=np.array([p["H0"] for p in prms]),
        H1=np.array([p["H1"] for p in prms]), mu=mu, theta=1.0, minimiser_dist=_bind(_member_dist, run, {}),
        provenance=_MEMBER_PROVENANCE, sympy_expr=None, symbols=syms,
        fn=_member_fn, run_params=run, batch=len(seeds), family="random_member", vg_fn=_member_vg,
        info={"seeds": seeds, "mu_per_run": mus, "closure": prms[0]["closure"],
              "expr_builder": lambda i: _member_expr(prms[i], syms)},
    )


def _check_member_args(dim: int, n_terms: int, pl: bool) -> tuple[int, int]:
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise ValueError(f"dim must be an integer >= 1, got {dim!r}")
    if isinstance(n_terms, bool) or not isinstance(n_terms, int) or n_terms < 1:
        raise ValueError(f"n_terms must be an integer >= 1, got {n_terms!r}")
    if pl and n_terms < dim:
        raise ValueError(f"n_terms must be >= dim = {dim} when pl=True (A needs full column rank), got {n_terms}")
    return dim, n_terms


_MEMBER_PROVENANCE = (
    "closure rules (NOTES §3): atom = sum of members minimised at 0 (H0 = q + h0 + 36r/kappa, H1 = max); "
    "rank-one affine composition scales both by |a_j|^2; sum over terms sharing the minimiser c "
    "(h* = sum f_j* = 0): H0 = sum, H1 = max; theta = 1 (convex); mu = lambda_min(A^T diag(q+h0) A) "
    "(strong convexity => PL) when every atom is strongly convex and A has full column rank"
)


def _closure_constants(prm: Mapping[str, Any]) -> tuple[float, float] | None:
    """(H0, H1) of a random member recomputed with the rules of ``warmup_theory.theory.closure`` (None if absent).

    Atom j: cosh part HSmooth(h0, h1) (exact), quartic part scale(r, HSmooth(36/κ, κ)) (frontier of x⁴),
    combined by ``add`` (all parts have infimum 0 at x = 0, so h* = 0), the quadratic part by
    ``add_smooth`` with L = q; then ``compose_affine`` with ‖a_j‖ (f* = h* = 0: a_jᵀ(w − c) is onto R);
    the terms by ``add`` (common minimiser c: h* = 0).
    """
    try:
        from warmup_theory.theory import closure  # type: ignore
        from warmup_theory.theory.hsmooth import HSmooth
    except ImportError:
        return None
    total = None
    for j in range(prm["A"].shape[0]):
        atom = HSmooth(0.0, 0.0)
        if prm["h0"][j] > 0:
            atom = closure.add(atom, HSmooth(float(prm["h0"][j]), float(prm["h1"][j])),
                               f_star=0.0, g_star=0.0, h_star=0.0)
        if prm["r"][j] > 0:
            kap = float(prm["kappa"][j])
            quart = closure.scale(float(prm["r"][j]), HSmooth(quartic_frontier(kap), kap))
            atom = closure.add(atom, quart, f_star=0.0, g_star=0.0, h_star=0.0)
        if prm["q"][j] > 0:
            atom = closure.add_smooth(atom, float(prm["q"][j]), f_star=0.0, g_star=0.0, h_star=0.0)
        term = closure.compose_affine(atom, float(np.linalg.norm(prm["A"][j])), f_star=0.0, h_star=0.0)
        total = term if total is None else closure.add(total, term, f_star=0.0, g_star=0.0, h_star=0.0)
    return float(total.H0), float(total.H1)


def _member_constants(prm: dict[str, Any]) -> str:
    """Replace the hand-derived (H0, H1) by warmup_theory.theory.closure's when available; they must agree."""
    cc = _closure_constants(prm)
    if cc is None:
        return "constants hand-derived from the closure rules (warmup_theory.theory.closure not available)"
    H0c, H1c = cc
    if not (math.isclose(H0c, prm["H0"], rel_tol=1e-12, abs_tol=1e-15)
            and math.isclose(H1c, prm["H1"], rel_tol=1e-12, abs_tol=1e-15)):
        raise RuntimeError(f"warmup_theory.theory.closure gives (H0, H1) = ({H0c!r}, {H1c!r}) but the hand derivation gives "
                           f"({prm['H0']!r}, {prm['H1']!r})")
    prm["H0"], prm["H1"] = H0c, H1c
    return "constants computed by warmup_theory.theory.closure (add, scale, add_smooth, compose_affine); hand derivation agrees"


# ----------------------------------------------------------------------------------------------------
# gallery functions of warmup_theory.theory.gallery (hand-derived frontiers, claim "Def 3.1")

#: name -> (mu, theta, minimiser set as a torch distance function); proofs in :func:`gallery_problem`
_GALLERY_FACTS: dict[str, tuple[float | None, float | None, Callable[[Tensor], Tensor]]] = {
    "quadratic": (3.0, 1.0, lambda W: W.abs()[:, 0]),
    "logcosh": (None, 1.0, lambda W: W.abs()[:, 0]),
    "quartic": (None, 1.0, lambda W: W.abs()[:, 0]),
    "quartic_plus_quadratic": (3.0, 1.0, lambda W: W.abs()[:, 0]),
    "double_well": (None, None, lambda W: torch.minimum((W[:, 0] - 1).abs(), (W[:, 0] + 1).abs())),
    "sep_logcosh": (None, 1.0, lambda W: W.norm(dim=1)),
    "quad_form": (1.0, 1.0, lambda W: W.norm(dim=1)),
    "cosh_extremal": (2.0, 1.0, lambda W: W.abs()[:, 0]),
}


def gallery_problem(name: str, H1: float = 1.0) -> Problem:
    """A function of ``warmup_theory.theory.gallery.GALLERY`` with H0 = φ(H1), its hand-derived frontier (claim
    "Def 3.1" proves the frontiers; the value of f is the gallery's sympy expression, lambdified to torch).

    Supported (attained minimum, finite φ): quadratic (3/2)w² (μ = 3), logcosh (convex, not PL: f' -> 1
    while f -> ∞), quartic w⁴, quartic_plus_quadratic w⁴ + (3/2)w² (μ = 3: f'² − 6f = 16w⁶ + 18w⁴ >= 0),
    double_well (w² − 1)² (non-convex, neither PL nor aiming: f'(0) = 0 < f(0) − f*; θ = μ = None),
    sep_logcosh, quad_form x² + xy + y² (μ = 1 = λ_min of its Hessian), cosh_extremal (μ = H0 = 2).
    Every convex entry has θ = 1.  Gradients by autograd.

    >>> p = gallery_problem("quartic_plus_quadratic", H1=1.0)
    >>> (p.H0, p.mu, p.theta)
    (30.5625, 3.0, 1.0)
    """
    try:
        from warmup_theory.theory.gallery import GALLERY  # type: ignore
    except ImportError:
        raise ValueError("gallery_problem needs warmup_theory.theory.gallery, which is not available") from None
    if name not in _GALLERY_FACTS or name not in GALLERY:
        raise ValueError(f"name must be one of {sorted(_GALLERY_FACTS)}, got {name!r}")
    H1 = check_scalar("H1", H1, low=0)
    e = GALLERY[name]
    phi = float(e.phi(H1))
    if not math.isfinite(phi):
        raise ValueError(f"H1 = {H1!r} gives no finite H0 for {name!r} (phi(H1) = inf); choose a larger H1")
    mu, theta, dist = _GALLERY_FACTS[name]
    syms = tuple(e.symbols)
    lam = sp.lambdify(syms, e.expr, modules="torch")

    def f(W: Tensor) -> Tensor:
        out = lam(*[W[:, i] for i in range(len(syms))])
        return out + torch.zeros(W.shape[0], dtype=W.dtype, device=W.device)

    def fn(W: Tensor, p: Mapping[str, Tensor]) -> Tensor:
        return f(W)
    names = {s: sp.Symbol(f"w{i}", real=True) for i, s in enumerate(syms)}
    return Problem(
        name=f"gallery:{name}(H1={H1:g})", dim=len(syms), f=f, f_star=float(e.f_star), H0=phi, H1=float(H1),
        mu=mu, theta=theta, minimiser_dist=dist,
        provenance=f"warmup_theory.theory.gallery['{name}'] hand-derived frontier phi(H1) (claim 'Def 3.1'); mu/theta: "
                   "warmup_theory.numerics.problems.gallery_problem docstring",
        sympy_expr=e.expr.subs(names), symbols=tuple(names.values()), fn=fn, family="gallery",
        info={"gallery": name, "derivation": e.derivation},
    )


# ----------------------------------------------------------------------------------------------------

def default_catalogue(quick: bool = True) -> list[Problem]:
    """A small default set: cosh, PL hard function, two quadratics, w⁴, two random members.

    >>> [p.family for p in default_catalogue()]
    ['cosh', 'pl_hard', 'quadratic', 'quadratic', 'monomial', 'random_member', 'random_member']
    """
    probs = [
        cosh_problem(1.0, 1.0),
        pl_hard_problem(1.0, 1.0, 1.0),
        quadratic_problem([1.0, 10.0]),
        quadratic_problem([0.5, 1.0, 4.0], H1=1.0, seed=0),
        quartic_problem(1.0, H1=1.0),
        random_class_member(0, dim=2, n_terms=3, pl=True),
        random_class_member(1, dim=3, n_terms=4),
    ]
    if not quick:
        probs += [cosh_problem(4.0, 0.25), quartic_problem([1.0, 2.0], H1=0.5, power=6)]
        try:
            probs += [gallery_problem("quartic_plus_quadratic", 1.0), gallery_problem("double_well", 1.0)]
        except ValueError:  # warmup_theory.theory.gallery absent
            pass
    return probs
