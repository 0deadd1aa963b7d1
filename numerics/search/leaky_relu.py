"""Search family for Prop D.1: one hidden leaky-ReLU unit, ½·MSE, balanced ‖w‖ = ‖v‖.

Model x ↦ v·σ_α(wᵀx), loss f(w, v) = ½‖v σ_α(wᵀX) − Y‖²_F (summed over samples, factor ½;
:mod:`warmup_theory.numerics.models.leaky_relu`); balance ‖w‖ = ‖v‖ is kept by parametrisation
(w = e^ρ a/‖a‖, v = e^ρ b/‖b‖) and GD iterates are re-balanced (positive homogeneity keeps f).
Constants :func:`warmup_theory.theory.architectures.leaky_relu_constants` (toolkit's own
statement); the bound does not depend on f*, the ratio is still evaluated at both ends of
[0, f*_hi] with f*_hi an upper estimate of f*.  X (full row rank, also near-rank-deficient),
Y and α ∈ [0.05, 1] are searched.

>>> LeakyReLUCase().to_dict()
{'model': 'leaky-relu', 'd': 2, 'c': 2, 'm': 6}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.models.leaky_relu import (
    leaky_relu_balanced_point,
    leaky_relu_f_star_estimate,
    leaky_relu_loss_batched,
)
from warmup_theory.numerics.search.batch import _Batch, batched_hessian
from warmup_theory.numerics.search.generic import Instance, _Family

__all__ = ["LeakyReLUCase"]


@dataclass(frozen=True)
class LeakyReLUCase:
    """Family for Prop D.1: one hidden leaky-ReLU unit, X ∈ R^{d×m} (full row rank, also
    near-rank-deficient), Y ∈ R^{c×m}; slope α searched in [0.05, 1]."""

    d: int = 2
    c: int = 2
    m: int = 6

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description of the family."""
        return {"model": "leaky-relu", "d": self.d, "c": self.c, "m": self.m}


def _leaky_instances(case: LeakyReLUCase, n: int, g: torch.Generator) -> list[Instance]:
    """n data instances (X, Y, α); every third X is near rank-deficient (AB + εN, ε ∈ [1e-3, 1e-1])."""
    out = []
    f64 = torch.float64
    for i in range(n):
        X = torch.randn(case.d, case.m, generator=g, dtype=f64)
        if i % 3 == 1:
            q = max(1, case.d - 1)
            X = torch.randn(case.d, q, generator=g, dtype=f64) @ torch.randn(q, case.m, generator=g, dtype=f64)
            eps = 10 ** (-3 + 2 * torch.rand(1, generator=g).item())
            X = X + eps * torch.randn(case.d, case.m, generator=g, dtype=f64)
        Y = torch.randn(case.c, case.m, generator=g, dtype=f64)
        out.append({"X": X, "Y": Y, "alpha": 0.05 + 0.95 * torch.rand(1, generator=g).item()})
    return out


def _leaky_batch(case: LeakyReLUCase, inst: list[Instance], device: torch.device) -> _Batch:
    """The batch of instances with their constants at both ends f* ∈ {0, f*_hi}."""
    from warmup_theory.theory.architectures import leaky_relu_constants

    H0s, H1s, fss, meta = [], [], [], []
    for it in inst:
        X, Y = it["X"], it["Y"]
        S = torch.linalg.svdvals(X)
        x_norm, lam = float(S[0]), float(S[-1] ** 2)
        y_norm = float(torch.linalg.matrix_norm(Y))
        hi = leaky_relu_f_star_estimate(X, Y, it["alpha"])
        ends = (0.0, hi)
        hh = [leaky_relu_constants(it["alpha"], x_norm, lam, y_norm, fe) for fe in ends]
        H0s.append([float(h.H0) for h in hh])
        H1s.append([float(h.H1) for h in hh])
        fss.append(list(ends))
        meta.append({"X": X.tolist(), "Y": Y.tolist(), "alpha": it["alpha"], "x_norm": x_norm,
                     "x_lambda_min": lam, "y_norm": y_norm, "f_star_bracket": [0.0, hi]})

    def T(v: Any) -> torch.Tensor:
        return torch.tensor(v, dtype=torch.float64, device=device)

    data = (torch.stack([it["X"] for it in inst]).to(device), torch.stack([it["Y"] for it in inst]).to(device),
            T([it["alpha"] for it in inst]))
    d = case.d

    def point(z: torch.Tensor, *_: torch.Tensor) -> torch.Tensor:
        return leaky_relu_balanced_point(z, d)

    def hess(t: torch.Tensor, *dd: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
        return batched_hessian(leaky_relu_loss_batched, t, *dd, create_graph=create_graph)

    return _Batch(point, leaky_relu_loss_batched, hess, data, T(H0s), T(H1s), T(fss), meta)


def _mutate_leaky(it: Instance, g: torch.Generator) -> Instance:
    """X scaled entrywise by exp(0.2·N(0,1)), α by exp(0.3·N(0,1)) clipped to [0.02, 1]."""
    new = dict(it)
    new["X"] = it["X"] * torch.exp(0.2 * torch.randn(it["X"].shape, generator=g, dtype=torch.float64))
    new["alpha"] = min(1.0, max(0.02, it["alpha"] * math.exp(0.3 * torch.randn(1, generator=g).item())))
    return new


def leaky_relu_family(case: LeakyReLUCase, device: torch.device) -> Callable[[torch.Generator], _Family]:
    """The :class:`_Family` of Prop D.1 for the generic driver (draws from the driver's generator)."""

    def build(g: torch.Generator) -> _Family:
        n_z = case.d + case.c + 1

        def randz(n: int, scales: torch.Tensor) -> torch.Tensor:
            z = torch.randn(n, n_z, generator=g, dtype=torch.float64)
            z[:, -1] = torch.log(scales)
            return z.to(device)

        def project(theta: torch.Tensor) -> torch.Tensor:
            """Re-balance ‖w‖ = ‖v‖ keeping v·σ(wᵀX) (positive homogeneity)."""
            w, v = theta[:, :case.d], theta[:, case.d:]
            c = torch.sqrt(torch.linalg.vector_norm(w, dim=1, keepdim=True)
                           / torch.linalg.vector_norm(v, dim=1, keepdim=True).clamp_min(1e-300))
            return torch.cat([w / c, v * c], dim=1)

        return _Family(
            instances=lambda n: _leaky_instances(case, n, g),
            batch=lambda inst: _leaky_batch(case, inst, device),
            mutate=lambda it: _mutate_leaky(it, g),
            randz=randz,
            to_theta=lambda z: leaky_relu_balanced_point(z, case.d),
            project=project,
            starts=lambda k: k,
        )

    return build
