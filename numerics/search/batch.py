"""Batched ratio evaluation: dense Hessians of many small problems at once.

A :class:`_Batch` holds B admissible-point problems of one architecture (same shapes) and
evaluates, for search variables z [B', n_z] and instance indices idx [B'],

    ρ = ‖∇²f(θ)‖₂ / (H0 + H1·max(f(θ) − f*, 0)),   θ = point(z),

maximised over the E ends f* of a bracket [f*_lo, f*_hi] (the bound is affine in f*, so the
larger of the two end ratios is the worst case).  ‖·‖₂ is the spectral norm of the dense
float64 Hessian (``eigvalsh`` of its symmetric part, max |eigenvalue|).

>>> import torch
>>> loss = lambda t: (t ** 3).sum(-1)           # Hessian diag(6 t)
>>> H = batched_hessian(loss, torch.tensor([[1.0, -2.0]], dtype=torch.float64))
>>> H[0].diagonal().tolist()
[6.0, -12.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.func import hessian

from warmup_theory.numerics.search.ratios import _ratio_key, _safe_ratio
from warmup_theory.numerics.search.results import RatioPoint

__all__ = ["batched_hessian", "hessian_norm"]


def hessian_norm(loss: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor) -> torch.Tensor:
    """‖∇²loss(θ)‖₂ = max |eigenvalue| of the dense Hessian (differentiable; vmap-able).

    The spectral norm of the symmetric part ½(H + Hᵀ) of ``torch.func.hessian(loss)(θ)``
    (symmetric up to rounding), in the dtype of ``theta``.

    >>> import torch
    >>> float(hessian_norm(lambda t: (t ** 2).sum() - 3 * t[0] ** 2, torch.ones(2, dtype=torch.float64)))
    4.0
    """
    H: torch.Tensor = hessian(loss)(theta)
    norm: torch.Tensor = torch.linalg.eigvalsh(0.5 * (H + H.T)).abs().max()
    return norm


def batched_hessian(loss_b: Callable[..., torch.Tensor], theta: torch.Tensor, *data: torch.Tensor,
                    create_graph: bool = False) -> torch.Tensor:
    """Dense Hessians [B, n, n] of B independent losses ``loss_b(theta [B, n], *data) -> [B]``.

    Row j of every Hessian is ∂/∂θ of Σ_b ∂f_b/∂θ_{b,j} (the rows of different instances do
    not mix), so n double-backward passes give all B Hessians; ``create_graph=True`` keeps
    them differentiable (for the adversarial ascent).

    >>> import torch
    >>> th = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    >>> batched_hessian(lambda t: t[:, 0] * t[:, 1] ** 2, th)[1].tolist()   # [[0, 2y], [2y, 2x]]
    [[0.0, 8.0], [8.0, 6.0]]
    """
    with torch.enable_grad():
        t = theta if theta.requires_grad else theta.detach().requires_grad_(True)
        f = loss_b(t, *data)
        g = torch.autograd.grad(f.sum(), t, create_graph=True)[0]
        rows = [torch.autograd.grad(g[:, j].sum(), t, create_graph=create_graph, retain_graph=True)[0]
                for j in range(t.shape[1])]
    return torch.stack(rows, dim=1)


class _Batch:
    """A batch of B admissible-point problems sharing shapes (batched tensors, no vmap).

    ``point(z, *data)`` maps search variables [B, n_z] to flat weights [B, n],
    ``loss(theta, *data)`` → [B], ``hess(theta, *data, create_graph)`` → [B, n, n];
    ``H0, H1, fs`` have shape [B, E] (E f* ends evaluated; the ratio is the max over ends);
    ``meta[i]`` is instance i's JSON-ready description (data, constants, f* bracket).
    """

    def __init__(self, point: Callable[..., torch.Tensor], loss: Callable[..., torch.Tensor],
                 hess: Callable[..., torch.Tensor], data: tuple[torch.Tensor, ...], H0: torch.Tensor,
                 H1: torch.Tensor, fs: torch.Tensor, meta: list[dict[str, Any]]) -> None:
        self.point, self.loss, self.hess, self.data = point, loss, hess, data
        self.H0, self.H1, self.fs, self.meta = H0, H1, fs, meta

    def evaluate(self, z: torch.Tensor, idx: torch.Tensor | None = None, raw: bool = False,
                 create_graph: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(ratio, hessian_norm, f), each [B'], for z [B', n] with instance indices ``idx``;
        ``raw=True``: z are flat weights already (no parametrisation)."""
        if idx is None:
            idx = torch.arange(z.shape[0], device=z.device)
        data = tuple(t[idx] for t in self.data)
        theta = z if raw else self.point(z, *data)
        H = self.hess(theta, *data, create_graph=create_graph)
        hn = torch.linalg.eigvalsh(0.5 * (H + H.transpose(-1, -2))).abs().amax(-1)
        f = self.loss(theta, *data)
        bound = self.H0[idx] + self.H1[idx] * torch.clamp(f[:, None] - self.fs[idx], min=0.0)
        return (hn[:, None] / bound).amax(-1), hn, f

    def single_loss(self, i: int) -> Callable[[torch.Tensor], torch.Tensor]:
        """Instance i's loss as a function of one flat weight vector θ [n] (for ``hessian``)."""
        data = tuple(t[i:i + 1] for t in self.data)
        return lambda th: self.loss(th[None], *data)[0]


def _point_from(batch: _Batch, src: str, i: int, theta: torch.Tensor) -> RatioPoint:
    """Re-evaluate instance ``i`` at flat weights ``theta`` with an unbatched dense Hessian
    (:func:`hessian_norm`) and report the f* end that gives the larger ratio."""
    meta = batch.meta[i]
    lossf = batch.single_loss(i)
    f = float(lossf(theta))
    hn = float(hessian_norm(lossf, theta))
    ends = [(float(batch.H0[i, e]), float(batch.H1[i, e]), float(batch.fs[i, e])) for e in range(batch.fs.shape[1])]

    def gap(c: float) -> float:
        """f − c clamped at 0 (NaN kept: ``not x < 0`` is True for NaN)."""
        return f - c if not f - c < 0.0 else 0.0

    rat = [_safe_ratio(hn, a + b * gap(c)) for a, b, c in ends]
    e = max(range(len(rat)), key=lambda j: _ratio_key(rat[j]))
    H0, H1, fs = ends[e]
    return RatioPoint(src, rat[e], hn, H0 + H1 * gap(fs), f, fs, H0, H1,
                      tuple(theta.detach().cpu().tolist()), meta)
