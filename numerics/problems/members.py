"""Random members of the (H0,H1) class: sums of rank-one compositions of quadratic + quartic + cosh atoms."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp
import torch

from .base import Problem, Tensor, _bind, _t
from .polynomial import quartic_frontier

# random members of the class built by the closure rules

_KINDS = ("cosh", "quadratic", "quartic", "cosh+quartic", "quadratic+quartic", "cosh+quadratic")
_PL_KINDS = ("cosh", "quadratic", "cosh+quartic", "quadratic+quartic", "cosh+quadratic")


def _draw_member(seed: int, dim: int, n_terms: int, pl: bool) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    kinds = _PL_KINDS if pl else _KINDS
    q, r, h0 = np.zeros(n_terms), np.zeros(n_terms), np.zeros(n_terms)
    h1 = np.ones(n_terms)
    kappa = np.ones(n_terms)
    H0j, H1j = np.zeros(n_terms), np.zeros(n_terms)
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
    prm: dict[str, Any] = {"A": A, "c": c, "q": q, "r": r, "h0": h0, "h1": h1, "P": P, "H0": H0, "H1": H1, "mu": mu,
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
    from warmup_theory.theory import closure
    from warmup_theory.theory.hsmooth import HSmooth

    total: HSmooth | None = None
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
    if total is None:
        return None
    return float(total.H0), float(total.H1)


def _member_constants(prm: dict[str, Any]) -> str:
    """Replace the hand-derived (H0, H1) by warmup_theory.theory.closure's when available; they must agree."""
    cc = _closure_constants(prm)
    if cc is None:
        return "constants hand-derived from the closure rules (warmup_theory.theory.closure not available)"
    H0c, H1c = cc
    if not (math.isclose(H0c, prm["H0"], rel_tol=1e-12, abs_tol=1e-15)
            and math.isclose(H1c, prm["H1"], rel_tol=1e-12, abs_tol=1e-15)):
        raise RuntimeError(f"warmup_theory.theory.closure gives (H0, H1) = ({H0c!r}, {H1c!r}) but the hand "
                           "derivation gives "
                           f"({prm['H0']!r}, {prm['H1']!r})")
    prm["H0"], prm["H1"] = H0c, H1c
    return ("constants computed by warmup_theory.theory.closure (add, scale, add_smooth, compose_affine); "
            "hand derivation agrees")


