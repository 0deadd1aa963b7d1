"""One hidden leaky-ReLU unit with squared loss (Prop D.1, v2; the definition of
:mod:`warmup_theory.theory.architectures.leaky_relu`).

X ∈ R^{d×m} (columns are samples), Y ∈ R^{c×m}, first-layer weights w ∈ R^d (one hidden unit),
output weights v ∈ R^c, σ_α(t) = max(t, αt), α ∈ (0, 1]:

    f(w, v) = ½‖v·σ_α(wᵀX) − Y‖²_F      (sum over samples, factor ½).

Flat parameters θ = (w, v).  Balanced ("equal layer norms"): ‖w‖₂ = ‖v‖₂; the
parametrisation :func:`leaky_relu_balanced_point` maps (a, b, ρ) ∈ R^d × R^c × R to
w = e^ρ·a/‖a‖, v = e^ρ·b/‖b‖.  f is C^∞ off the kinks {wᵀx_j = 0}; there autograd returns the
Hessian of the active linear piece (a.e. correct), which is what the theory bounds.

Exact f* (scale invariance): for fixed w with h = σ_α(wᵀX) ≠ 0 the best v is Yh/‖h‖², so
f* = ½(‖Y‖²_F − max_{‖u‖=1} ‖Yσ_α(uᵀX)‖²/‖σ_α(uᵀX)‖²) — an optimisation over the unit sphere
(:func:`leaky_relu_f_star_estimate` scans it; an upper estimate of f*, used only for reporting:
the theory's bound H0 + H1(f − f*) does not depend on f*).

>>> import torch
>>> X = torch.eye(2, dtype=torch.float64); Y = torch.tensor([[1., -1.]], dtype=torch.float64)
>>> th = torch.tensor([1., 0., 1.], dtype=torch.float64)   # w = (1, 0), v = (1,)
>>> float(leaky_relu_loss(th, X, Y, alpha=0.5))            # v·σ(wᵀX) = (1, 0): ½·1
0.5
"""

from __future__ import annotations

import torch

__all__ = ["leaky_relu", "leaky_relu_loss", "leaky_relu_loss_batched", "leaky_relu_balanced_point",
           "leaky_relu_f_star_estimate"]


def leaky_relu(t: torch.Tensor, alpha: float | torch.Tensor) -> torch.Tensor:
    """σ_α(t) = max(t, αt) for α ∈ (0, 1]."""
    return torch.where(t >= 0, t, alpha * t)


def leaky_relu_loss(theta: torch.Tensor, X: torch.Tensor, Y: torch.Tensor, *, alpha: float) -> torch.Tensor:
    """f(w, v) = ½‖v·σ_α(wᵀX) − Y‖²_F, θ = (w, v)."""
    d = X.shape[0]
    w, v = theta[:d], theta[d:]
    R = v[:, None] * leaky_relu(w @ X, alpha)[None, :] - Y
    return 0.5 * (R * R).sum()


def leaky_relu_loss_batched(theta: torch.Tensor, X: torch.Tensor, Y: torch.Tensor,
                            alpha: torch.Tensor) -> torch.Tensor:
    """Batched f: θ [B, d + c], X [B, d, m], Y [B, c, m], α [B] → [B]."""
    d = X.shape[1]
    w, v = theta[:, :d], theta[:, d:]
    h = leaky_relu((w[:, None, :] @ X)[:, 0, :], alpha[:, None])
    R = v[:, :, None] * h[:, None, :] - Y
    return 0.5 * (R * R).sum(dim=(-2, -1))


def leaky_relu_balanced_point(z: torch.Tensor, d: int) -> torch.Tensor:
    """(a, b, ρ) [.., d + c + 1] → θ = (e^ρ a/‖a‖, e^ρ b/‖b‖): exactly ‖w‖ = ‖v‖ (batched)."""
    a, b, rho = z[..., :d], z[..., d:-1], z[..., -1:]
    r = torch.exp(rho)
    return torch.cat([r * a / torch.linalg.vector_norm(a, dim=-1, keepdim=True),
                      r * b / torch.linalg.vector_norm(b, dim=-1, keepdim=True)], dim=-1)


def leaky_relu_f_star_estimate(X: torch.Tensor, Y: torch.Tensor, alpha: float, *, n_dirs: int = 4096,
                               generator: torch.Generator | None = None) -> float:
    """Upper estimate of f* by scanning unit directions u (random + ±coordinate axes).

    >>> import torch
    >>> X = torch.eye(2, dtype=torch.float64); Y = torch.tensor([[1., 0.]], dtype=torch.float64)
    >>> leaky_relu_f_star_estimate(X, Y, 0.5) < 1e-6
    True
    """
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    d = X.shape[0]
    U = torch.randn(n_dirs, d, generator=g, dtype=X.dtype)
    U = torch.cat([U, torch.eye(d, dtype=X.dtype), -torch.eye(d, dtype=X.dtype)])
    U = U / torch.linalg.vector_norm(U, dim=1, keepdim=True)
    H = leaky_relu(U @ X, alpha)                        # [N, m]
    num = ((H @ Y.T) ** 2).sum(1)                       # ‖Y h‖²
    den = (H * H).sum(1)
    best = float(torch.where(den > 0, num / den, torch.zeros_like(num)).max())
    return max(0.0, 0.5 * (float((Y * Y).sum()) - best))
