"""Search family for Prop 3.4: one linear-attention layer, in-context regression + L2.

T prompts Z ∈ R^{(d+1)×(n+1)} with query label entry 0, prediction read from the layer's output,
loss f(P, Q) = mean squared error over prompts + (λ_P/2)‖P‖²_F + (λ_Q/2)‖Q‖²_F
(:mod:`warmup_theory.numerics.models.attention`).  Constants
:func:`warmup_theory.theory.architectures.attention_constants` (toolkit's own statement, affine in
f − f*, independent of f*); the ratio is evaluated at both ends of [0, f*_hi] with f*_hi = f at
P = Q = 0.  Prompt scale and λ_P, λ_Q ∈ [1e-2, 1] are searched.

>>> AttentionCase().to_dict()
{'model': 'attention', 'd': 2, 'n': 4, 'T': 4}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.search.batch import _Batch, batched_hessian
from warmup_theory.numerics.search.generic import Instance, _Family

__all__ = ["AttentionCase"]


@dataclass(frozen=True)
class AttentionCase:
    """Family for Prop 3.4: T prompts of n examples in dimension d; λ_P, λ_Q searched."""

    d: int = 2
    n: int = 4
    T: int = 4

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description of the family."""
        return {"model": "attention", "d": self.d, "n": self.n, "T": self.T}


def _attention_instances(case: AttentionCase, n: int, g: torch.Generator) -> list[Instance]:
    """n instances: prompts (noise 0.1) scaled by 10^[−0.5, 0.5], λ_P, λ_Q log-uniform in [1e-2, 1]."""
    from warmup_theory.numerics.models.attention import icl_prompts

    out = []
    for _ in range(n):
        Z, y = icl_prompts(case.T, case.d, case.n, generator=g, noise=0.1)
        Z = Z * 10 ** (-0.5 + torch.rand(1, generator=g).item())
        out.append({"Z": Z, "y": y, "lam": [10 ** (-2 + 2 * torch.rand(1, generator=g).item()) for _ in range(2)]})
    return out


def _attention_batch(case: AttentionCase, inst: list[Instance], device: torch.device) -> _Batch:
    """The batch of instances with their constants at both ends f* ∈ {0, f*_hi}."""
    from warmup_theory.numerics.models.attention import attention_data_constant_np, attention_loss_batched
    from warmup_theory.theory.architectures import attention_constants

    H0s, H1s, fss, meta = [], [], [], []
    for it in inst:
        K = attention_data_constant_np(it["Z"])
        hi = float((it["y"] ** 2).mean())  # f at P = Q = 0 (query entry 0) >= f*
        ends = (0.0, hi)
        hh = [attention_constants(K, it["lam"][0], it["lam"][1], fe) for fe in ends]
        H0s.append([float(h.H0) for h in hh])
        H1s.append([float(h.H1) for h in hh])
        fss.append(list(ends))
        meta.append({"Z": it["Z"].tolist(), "y": it["y"].tolist(), "lam_P": it["lam"][0], "lam_Q": it["lam"][1],
                     "K": K, "f_star_bracket": [0.0, hi]})

    def T(v: Any) -> torch.Tensor:
        return torch.tensor(v, dtype=torch.float64, device=device)

    data = (torch.stack([it["Z"] for it in inst]).to(device), torch.stack([it["y"] for it in inst]).to(device),
            T([it["lam"] for it in inst]))

    def hess(t: torch.Tensor, *dd: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
        return batched_hessian(attention_loss_batched, t, *dd, create_graph=create_graph)

    return _Batch(lambda z, *dd: z, attention_loss_batched, hess, data, T(H0s), T(H1s), T(fss), meta)


def _mutate_attention(it: Instance, g: torch.Generator) -> Instance:
    """Z scaled entrywise by exp(0.2·N(0,1)) (query label kept 0), λ's by exp(0.3·N(0,1))."""
    new = dict(it)
    new["Z"] = it["Z"] * torch.exp(0.2 * torch.randn(it["Z"].shape, generator=g, dtype=torch.float64))
    new["Z"][:, -1, -1] = 0.0
    new["lam"] = [v * math.exp(0.3 * torch.randn(1, generator=g).item()) for v in it["lam"]]
    return new


def attention_family(case: AttentionCase, device: torch.device) -> Callable[[torch.Generator], _Family]:
    """The :class:`_Family` of Prop 3.4 for the generic driver (draws from the driver's generator)."""

    def build(g: torch.Generator) -> _Family:
        D = case.d + 1
        n_z = 2 * D * D

        def randz(n: int, scales: torch.Tensor) -> torch.Tensor:
            return (torch.randn(n, n_z, generator=g, dtype=torch.float64) * scales[:, None]).to(device)

        return _Family(
            instances=lambda n: _attention_instances(case, n, g),
            batch=lambda inst: _attention_batch(case, inst, device),
            mutate=lambda it: _mutate_attention(it, g),
            randz=randz,
            to_theta=lambda z: z,
            project=None,
            starts=lambda k: max(2, k // 2),  # 2(d+1)² parameters: costlier per start
        )

    return build
