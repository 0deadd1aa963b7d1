"""One linear-attention layer for in-context linear regression (Prop 3.4 / E.2, v2; the
definition of :mod:`warmup_theory.theory.architectures.attention`).

Prompt Z ∈ R^{(d+1)×(n+1)}: columns 1..n are (x_i, y_i), column n+1 is the query (x_q, 0);
M = diag(1, …, 1, 0); parameters P, Q ∈ R^{(d+1)×(d+1)};

    Z1 = Z + P·Z·M·(ZᵀQZ)/n   (σ = identity: linear attention),   ŷ = Z1[−1, −1],
    f(P, Q) = (1/T) Σ_t (ŷ_t − y_t)² + (λ_P/2)‖P‖²_F + (λ_Q/2)‖Q‖²_F

(squared error WITHOUT ½, averaged over the T prompts).  Flat parameters θ = (vec_row P,
vec_row Q).  :func:`icl_prompts` draws Gaussian tasks y = βᵀx (+ noise).

>>> import torch
>>> Z = torch.tensor([[[1., 2.], [3., 0.]]], dtype=torch.float64)   # T = 1, d = 1, n = 1
>>> th = torch.cat([torch.eye(2).reshape(-1), torch.eye(2).reshape(-1)]).to(torch.float64)
>>> float(attention_prediction(th, Z)[0])    # the theory docstring's example: 6
6.0
"""

from __future__ import annotations

import torch

__all__ = ["attention_prediction", "attention_loss", "attention_loss_batched", "attention_data_constant_np",
           "icl_prompts"]


def attention_prediction(theta: torch.Tensor, Z: torch.Tensor) -> torch.Tensor:
    """ŷ_t = Z1_t[−1, −1] for prompts Z [T, d+1, n+1] (θ flat (P, Q))."""
    D, n = Z.shape[-2], Z.shape[-1] - 1
    P = theta[: D * D].reshape(D, D)
    Q = theta[D * D: 2 * D * D].reshape(D, D)
    ZM = Z[..., :n]                                   # Z·M drops the query column
    A = ZM.transpose(-1, -2) @ Q @ Z[..., -1:]        # rows 1..n of (ZᵀQZ)[:, −1]
    return Z[..., -1, -1] + (P[-1] @ (ZM @ A))[..., 0] / n


def attention_loss(theta: torch.Tensor, Z: torch.Tensor, y: torch.Tensor, *,
                   lam_P: float, lam_Q: float) -> torch.Tensor:
    """f(P, Q) = mean_t (ŷ_t − y_t)² + (λ_P/2)‖P‖² + (λ_Q/2)‖Q‖²."""
    D = Z.shape[-2]
    P, Q = theta[: D * D], theta[D * D: 2 * D * D]
    r = attention_prediction(theta, Z) - y
    return (r * r).mean() + 0.5 * lam_P * (P * P).sum() + 0.5 * lam_Q * (Q * Q).sum()


def attention_loss_batched(theta: torch.Tensor, Z: torch.Tensor, y: torch.Tensor, lam: torch.Tensor) -> torch.Tensor:
    """Batched f: θ [B, 2D²], Z [B, T, D, n+1], y [B, T], lam [B, 2] → [B]."""
    B, D, n = theta.shape[0], Z.shape[-2], Z.shape[-1] - 1
    P = theta[:, : D * D].reshape(B, D, D)
    Q = theta[:, D * D:].reshape(B, D, D)
    ZM = Z[..., :n]
    A = ZM.transpose(-1, -2) @ Q[:, None] @ Z[..., -1:]          # [B, T, n, 1]
    pred = Z[..., -1, -1] + (P[:, None, -1:, :] @ (ZM @ A))[..., 0, 0] / n
    r = pred - y
    return (r * r).mean(-1) + 0.5 * lam[:, 0] * (P * P).sum((-2, -1)) + 0.5 * lam[:, 1] * (Q * Q).sum((-2, -1))


def attention_data_constant_np(Z: torch.Tensor) -> float:
    """K = max_t ‖Z_t M Z_tᵀ/n‖₂·‖Z_t[:, −1]‖₂ (float64; warmup_theory.theory.architectures.attention_data_constant)."""
    n = Z.shape[-1] - 1
    G = Z[..., :n] @ Z[..., :n].transpose(-1, -2) / n
    return float((torch.linalg.eigvalsh(G).abs().amax(-1) * torch.linalg.vector_norm(Z[..., -1], dim=-1)).max())


def icl_prompts(T: int, d: int, n: int, *, generator: torch.Generator | None = None, noise: float = 0.0,
                dtype: torch.dtype = torch.float64) -> tuple[torch.Tensor, torch.Tensor]:
    """T prompts Z [T, d+1, n+1] (x ~ N(0, I), β ~ N(0, I/d), y = βᵀx + noise) and query labels [T].

    >>> Z, y = icl_prompts(3, 2, 4, generator=torch.Generator().manual_seed(0))
    >>> tuple(Z.shape), float(Z[0, -1, -1])
    ((3, 3, 5), 0.0)
    """
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    x = torch.randn(T, d, n + 1, generator=g, dtype=dtype)
    beta = torch.randn(T, d, generator=g, dtype=dtype) / d ** 0.5
    yy = (beta[:, None, :] @ x)[:, 0, :] + noise * torch.randn(T, n + 1, generator=g, dtype=dtype)
    Z = torch.cat([x, yy[:, None, :]], dim=1)
    Z[:, -1, -1] = 0.0
    return Z, yy[:, -1]
