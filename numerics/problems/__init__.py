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

from .base import Problem
from .gallery import gallery_problem
from .hard import cosh_problem, pl_hard_problem
from .members import random_class_member, random_class_members
from .polynomial import quadratic_problem, quartic_frontier, quartic_problem

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
        probs += [gallery_problem("quartic_plus_quadratic", 1.0), gallery_problem("double_well", 1.0)]
    return probs
