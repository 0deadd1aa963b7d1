"""Moving points through a :class:`~warmup_theory.numerics.search.batch._Batch`: GD and ascent.

* :func:`_gd` — gradient descent on f with the (H0,H1) step η = mult/(H0 + H1·(f − f*)) (first
  f* end), mult ∈ {1, 4}: the trajectories the warm-up theory is about (Props 3.2 – 3.4, D.1).
* :func:`_ascent` — the adversarial search: Adam ascent on log ρ, ρ = ‖∇²f‖₂ / (H0 + H1(f − f*))
  (spectral norm of the Hessian), differentiating through the dense batched Hessian.

Both return, per row, the largest ratio met and where; NaN ratios are never the best, +inf ones
are kept (they are violations).  ``on_eval`` sees every step's ratios (for counting non-finite
ones).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from warmup_theory.numerics.search.batch import _Batch

__all__: list[str] = []


def _ascent(batch: _Batch, z0: torch.Tensor, idx: torch.Tensor, steps: int, lr: float,
            clamp: float = 30.0, on_eval: Callable[[torch.Tensor], None] | None = None,
            ) -> tuple[torch.Tensor, torch.Tensor]:
    """Adam ascent on log ratio; returns best (ratio, z) per row (NaN never best, +inf kept).

    Search variables are clamped to [−clamp, clamp] after each step; non-finite gradients are
    zeroed (a NaN ratio contributes nothing to the objective).  ``on_eval`` sees every step's
    ratios (for counting non-finite ones).
    """
    z = z0.detach().clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    best_r = torch.full((z.shape[0],), -math.inf, dtype=z.dtype, device=z.device)
    best_z = z0.detach().clone()
    for _ in range(steps):
        r, _, _ = batch.evaluate(z, idx, create_graph=True)
        rd = r.detach()
        if on_eval is not None:
            on_eval(rd)
        better = ~torch.isnan(rd) & (rd > best_r)
        best_r = torch.where(better, rd, best_r)
        best_z = torch.where(better[:, None], z.detach(), best_z)
        obj = torch.where(torch.isfinite(r) & (r > 0), torch.log(r.clamp_min(1e-300)), torch.zeros_like(r))
        opt.zero_grad()
        torch.autograd.backward(-obj.sum())
        with torch.no_grad():
            assert z.grad is not None  # set by the backward pass above
            z.grad.nan_to_num_(0.0, 0.0, 0.0)
        opt.step()
        with torch.no_grad():
            z.clamp_(-clamp, clamp)
    r, _, _ = batch.evaluate(best_z, idx)
    return r.detach(), best_z


def _gd(batch: _Batch, theta0: torch.Tensor, idx: torch.Tensor, steps: int, step_mult: float,
        project: Callable[[torch.Tensor], torch.Tensor] | None,
        on_eval: Callable[[torch.Tensor], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """GD with η = step_mult/(H0 + H1·gap) (first f* end); returns max ratio and its point
    (NaN never best, +inf kept); ``on_eval`` sees every iterate's ratios.

    ``project`` (if given) maps each iterate back onto the admissible set (e.g. re-balancing);
    a step to a non-finite point or beyond |θ| = 1e6 is not taken (the row stays put).
    """
    H0, H1, fs = batch.H0[idx, 0], batch.H1[idx, 0], batch.fs[idx, 0]
    data = tuple(t[idx] for t in batch.data)

    def grad(t: torch.Tensor, *d: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(∇f, f) of the batched loss at t (rows independent)."""
        with torch.enable_grad():
            t = t.detach().requires_grad_(True)
            f = batch.loss(t, *d)
            return torch.autograd.grad(f.sum(), t)[0], f.detach()
    theta = theta0.detach().clone()
    best_r = torch.full((theta.shape[0],), -math.inf, dtype=theta.dtype, device=theta.device)
    best_t = theta.clone()
    for _ in range(steps):
        r, _, _ = batch.evaluate(theta, idx, raw=True)
        if on_eval is not None:
            on_eval(r)
        better = ~torch.isnan(r) & (r > best_r)
        best_r = torch.where(better, r, best_r)
        best_t = torch.where(better[:, None], theta, best_t)
        g, f = grad(theta, *data)
        eta = step_mult / (H0 + H1 * torch.clamp(f - fs, min=0.0))
        new = theta - eta[:, None] * g
        if project is not None:
            new = project(new)
        ok = torch.isfinite(new).all(dim=1) & (new.abs().amax(dim=1) < 1e6)
        theta = torch.where(ok[:, None], new, theta)
    return best_r, best_t
