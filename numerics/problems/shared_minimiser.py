"""Finite-sum families for SGD: components sharing a minimiser (interpolation) and one that breaks it.

* :func:`shared_minimiser_sum` — f_i(w) = s_i·φ_{k_i}(a_iᵀ(w − c)), atoms φ from the gallery with f* = 0 at 0:
  ``logcosh`` (log cosh x: (H0, H1) = (φ(1), 1) = (1, 1), gallery frontier, claim "Def 3.1"),
  ``quartic_plus_quadratic`` (x⁴ + (3/2)x²: (30.5625, 1), same source, strongly convex with m = 3),
  ``pl_hard`` (the Thm 4.1(3) hard function with (H0, H1, μ) = (1, 1, 1): (1, 1), m = 1).
  Closure rules (NOTES §3, claims "Closure scale", "Closure affine"): s·φ is (s·H0φ, H1φ)-smooth and the
  onto rank-one map x = aᵀ(w − c) (a ≠ 0) multiplies both by ‖a‖² (f* unchanged), so f_i is
  (s_i‖a_i‖²H0φ, ‖a_i‖²H1φ)-smooth; every f_i is then (max_i, max_i)-smooth.  All f_i vanish on
  X* = c + null(A) (A = [a_iᵀ]), so interpolation holds with f* = 0, and every f_i is convex: θ = 1.
  PL of f when every atom is strongly convex and A has full column rank: ∇²f ⪰ (1/n)Aᵀdiag(s_i m_i)A ⪰ μI.
* :func:`consistent_least_squares` — f_i(w) = ½(a_iᵀw − y_i)², y = A·w_true (interpolation exact): each f_i
  has Hessian a_i a_iᵀ, so it is (max_i ‖a_i‖², H1)-smooth for any H1 >= 0 (Prop B.1); f μ-PL with
  μ = λ⁺_min(AᵀA/n); X* = w_true + null(A); θ = 1.
* :func:`no_interpolation_pair` — the witness of :mod:`warmup_theory.theory.stochastic_witness`:
  f_{1,2} = (s/2)(w ∓ 1)², f* = s/2 > f_i* = 0.

Every μ computed in float64 is shrunk by 1e-9 relative (rounding of the eigenvalue).

>>> p = shared_minimiser_sum(("logcosh", "pl_hard"), n=8, dim=2, seed=0)
>>> p.interpolation, p.theta, p.mu is None, p.n
(True, 1.0, True, 8)
>>> q = shared_minimiser_sum(("quartic_plus_quadratic", "pl_hard"), n=8, dim=2, seed=0)
>>> q.mu > 0
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch

from warmup_theory.theory.validate import check_scalar

from .finite_sum import FiniteSumProblem, Tensor
from .gallery import gallery_problem
from .hard import pl_hard_problem

__all__ = ["ATOMS", "shared_minimiser_sum", "consistent_least_squares", "no_interpolation_pair"]

_F64 = torch.float64


def _atom_constants() -> dict[str, tuple[float, float, float]]:
    """atom -> (H0φ, H1φ, strong-convexity m or 0), the constants from the certified gallery / hard function."""
    lc = gallery_problem("logcosh", 1.0)
    qq = gallery_problem("quartic_plus_quadratic", 1.0)
    ph = pl_hard_problem(1.0, 1.0, 1.0)
    return {"logcosh": (float(lc.H0), float(lc.H1), 0.0),
            "quartic_plus_quadratic": (float(qq.H0), float(qq.H1), 3.0),
            "pl_hard": (float(ph.H0), float(ph.H1), float(ph.mu))}


#: The atoms of :func:`shared_minimiser_sum`.
ATOMS: tuple[str, ...] = ("logcosh", "quartic_plus_quadratic", "pl_hard")


def _atom_vg(kind: Tensor, X: Tensor) -> tuple[Tensor, Tensor]:
    """φ(X), φ'(X) elementwise; kind [n] codes 0/1/2 = ATOMS (broadcast over the rows of X [R, n])."""
    ax = X.abs()
    lc = ax + torch.log1p(torch.exp(-2 * ax)) - math.log(2.0)   # log cosh, no overflow
    qq = X**4 + 1.5 * X * X
    inside = ax <= 1.0
    E = torch.exp(torch.where(inside, torch.zeros_like(ax), ax - 1))
    ph = torch.where(inside, 0.5 * X * X, E - 0.5)
    F = torch.where(kind == 0, lc, torch.where(kind == 1, qq, ph))
    d_lc = torch.tanh(X)
    d_qq = 4 * X**3 + 3 * X
    d_ph = torch.where(inside, X, torch.sign(X) * E)
    D = torch.where(kind == 0, d_lc, torch.where(kind == 1, d_qq, d_ph))
    return F, D


def _check_n_dim(n: int, dim: int) -> None:
    for name, v in (("n", n), ("dim", dim)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")


def _minimiser_dist(A: np.ndarray, c: np.ndarray) -> Callable[[Tensor], Tensor]:
    """dist(w, c + null(A)) = ‖P(w − c)‖, P = A⁺A the projector onto row(A)."""
    P, ct = torch.as_tensor(np.linalg.pinv(A) @ A, dtype=_F64), torch.as_tensor(c, dtype=_F64)

    def dist(W: Tensor) -> Tensor:
        out: Tensor = ((W - ct.to(W)) @ P.to(W).T).norm(dim=1)
        return out
    return dist


def shared_minimiser_sum(kinds: Sequence[str] = ATOMS, *, n: int = 16, dim: int = 2, seed: int = 0,
                         scale_range: tuple[float, float] = (0.5, 2.0)) -> FiniteSumProblem:
    """n components s_i·φ_{k_i}(a_iᵀ(w − c)) (kinds cycled over ``kinds``), a_i ~ N(0, I/dim), s_i uniform in
    ``scale_range``, c ~ N(0, I); constants by the closure rules (module docstring).

    >>> p = shared_minimiser_sum(("logcosh",), n=4, dim=1, seed=1)
    >>> float(p.f(torch.as_tensor([p.info["c"]], dtype=torch.float64))[0]) == p.f_star == 0.0
    True
    """
    _check_n_dim(n, dim)
    consts = _atom_constants()
    for k in kinds:
        if k not in consts:
            raise ValueError(f"kinds must be taken from {ATOMS}, got {k!r}")
    if len(kinds) == 0:
        raise ValueError("kinds must name at least one atom")
    lo, hi = scale_range
    check_scalar("scale_range[0]", lo, low=0, low_open=True)
    check_scalar("scale_range[1]", hi, low=lo)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, dim)) / math.sqrt(dim)
    s = rng.uniform(lo, hi, n)
    c = rng.standard_normal(dim)
    names = [kinds[i % len(kinds)] for i in range(n)]
    code = np.array([ATOMS.index(k) for k in names])
    a2 = (A * A).sum(axis=1)
    H0 = float(max(s[i] * a2[i] * consts[names[i]][0] for i in range(n)))
    H1 = float(max(a2[i] * consts[names[i]][1] for i in range(n)))
    m = np.array([consts[k][2] for k in names])
    mu = None
    if np.all(m > 0) and np.linalg.matrix_rank(A) == dim:
        lam = float(np.linalg.eigvalsh((A.T * (s * m)) @ A / n).min())
        mu = lam * (1 - 1e-9) if lam > 0 else None
    At, ct, st = (torch.as_tensor(x, dtype=_F64) for x in (A, c, s))
    kt = torch.as_tensor(code)

    def components(W: Tensor) -> tuple[Tensor, Tensor]:
        X = (W - ct.to(W)) @ At.to(W).T                      # [R, n]
        F, D = _atom_vg(kt.to(W.device), X)
        return st.to(W) * F, (st.to(W) * D)[:, :, None] * At.to(W)[None]

    return FiniteSumProblem(
        name=f"shared_min({'+'.join(dict.fromkeys(names))},n={n},d={dim},seed={seed})", dim=dim, n=n,
        components=components, f_star=0.0, H0=H0, H1=H1, mu=mu, theta=1.0, interpolation=True,
        minimiser_dist=_minimiser_dist(A, c), family="shared_minimiser",
        provenance="closure rules on gallery atoms (scale, onto rank-one affine map, max over components); "
                   "common minimiser c: interpolation with f* = 0; convex atoms: theta = 1; mu = "
                   "lambda_min(A^T diag(s m) A / n) when every atom is strongly convex",
        info={"c": c.tolist(), "kinds": names, "A": A.tolist(), "scales": s.tolist()},
    )


def consistent_least_squares(*, n: int = 16, dim: int = 4, seed: int = 0, H1: float = 1.0) -> FiniteSumProblem:
    """f_i(w) = ½(a_iᵀw − y_i)², y = A·w_true, a_i ~ N(0, I/dim): interpolation exact (module docstring).

    >>> p = consistent_least_squares(n=8, dim=2, seed=0)
    >>> round(float(p.f(torch.as_tensor([p.info["w_true"]], dtype=torch.float64))[0]), 12)
    0.0
    """
    _check_n_dim(n, dim)
    H1 = check_scalar("H1", H1, low=0)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, dim)) / math.sqrt(dim)
    w_true = rng.standard_normal(dim)
    y = A @ w_true
    ev = np.linalg.eigvalsh(A.T @ A / n)
    pos = ev[ev > 1e-12 * max(ev.max(), 1e-300)]
    mu = float(pos.min()) * (1 - 1e-9) if pos.size else None
    At, yt = torch.as_tensor(A, dtype=_F64), torch.as_tensor(y, dtype=_F64)

    def components(W: Tensor) -> tuple[Tensor, Tensor]:
        R = W @ At.to(W).T - yt.to(W)                        # residuals [R, n]
        return 0.5 * R * R, R[:, :, None] * At.to(W)[None]

    return FiniteSumProblem(
        name=f"least_squares(n={n},d={dim},seed={seed})", dim=dim, n=n, components=components, f_star=0.0,
        H0=float((A * A).sum(axis=1).max()), H1=float(H1), mu=mu, theta=1.0, interpolation=True,
        minimiser_dist=_minimiser_dist(A, w_true), family="least_squares",
        provenance="Hessian of f_i = a_i a_i^T (norm |a_i|^2), Prop B.1 for any H1; consistent y = A w_true: "
                   "interpolation; mu = smallest positive eigenvalue of A^T A / n; convex: theta = 1",
        info={"w_true": w_true.tolist(), "A": A.tolist()},
    )


def no_interpolation_pair(s: float = 1.0, H1: float = 0.0) -> FiniteSumProblem:
    """f_{1,2}(w) = (s/2)(w ∓ 1)² (n = 2, d = 1): f* = s/2 at 0, f_i* = 0 — interpolation fails.

    Each f_i is (s, H1)-smooth for every H1 >= 0; f is s-strongly convex (μ = s).

    >>> p = no_interpolation_pair(1.0)
    >>> p.f_star, p.interpolation, p.theta
    (0.5, False, None)
    """
    s = check_scalar("s", s, low=0, low_open=True)
    H1 = check_scalar("H1", H1, low=0)
    t = torch.tensor([1.0, -1.0], dtype=_F64)

    def components(W: Tensor) -> tuple[Tensor, Tensor]:
        R = W[:, :1] - t.to(W)[None]                          # [R, 2]
        return 0.5 * s * R * R, (s * R)[:, :, None]

    return FiniteSumProblem(
        name=f"no_interpolation(s={s:g},H1={H1:g})", dim=1, n=2, components=components, f_star=s / 2,
        H0=float(s), H1=float(H1), mu=float(s), theta=None, interpolation=False,
        minimiser_dist=lambda W: W[:, 0].abs(), family="no_interpolation",
        provenance="warmup_theory.theory.stochastic_witness: f_i'' = s, so (s, H1) for every H1; f* = s/2 > 0 = f_i*",
        info={"targets": [1.0, -1.0], "s": s},
    )
