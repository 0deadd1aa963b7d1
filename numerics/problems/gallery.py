"""The functions of :mod:`warmup_theory.theory.gallery` as GD problems (hand-derived frontiers, claim "Def 3.1")."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import sympy as sp
import torch

from warmup_theory.theory.gallery import GALLERY
from warmup_theory.theory.validate import check_scalar

from .base import Problem, Tensor

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
    if name not in _GALLERY_FACTS or name not in GALLERY:
        raise ValueError(f"name must be one of {sorted(_GALLERY_FACTS)}, got {name!r}")
    H1 = check_scalar("H1", H1, low=0)
    e = GALLERY[name]
    if e.phi is None:  # every name in _GALLERY_FACTS has a closed-form frontier
        raise ValueError(f"{name!r} has no closed-form frontier phi(H1)")
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


