"""Many training runs of one architecture as one tensor program (``torch.func.vmap`` over stacked parameters).

Run ``r`` has its own initialisation, data order and learning rate; its update is exactly the per-run
optimizer's (tested against ``torch.optim.AdamW`` / ``torch.optim.SGD`` run one by one):

* gradient clipping per run at ``clip`` on the global 2-norm, as ``torch.nn.utils.clip_grad_norm_``
  (``g ← g·min(1, clip/(‖g‖ + 1e-6))``);
* ``adamw``: torch's AdamW (decoupled weight decay ``p ← p·(1 − lr·wd)``, bias-corrected moments, ``eps`` added
  to ``√v̂``); ``sgd``: ``p ← p − lr·g``.

A run whose loss is non-finite is frozen (its lr and update masked) and reported as diverged by the caller.

>>> import torch
>>> nets = [torch.nn.Linear(3, 1) for _ in range(2)]
>>> runs = BatchedRuns(nets, lambda out, y: (out - y).pow(2).mean(), optimizer="sgd")
>>> x, y = torch.ones(2, 4, 3), torch.zeros(2, 4, 1)
>>> runs.step(x, y, torch.tensor([0.1, 0.0])).shape
torch.Size([2])
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch.func import functional_call, grad_and_value, stack_module_state, vmap

__all__ = ["BatchedRuns", "reference_step"]

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class BatchedRuns:
    """``len(models)`` independent runs of the same architecture, stepped together (module docstring)."""

    def __init__(self, models: Sequence[torch.nn.Module], loss_fn: LossFn, *, optimizer: str = "adamw",
                 betas: tuple[float, float] = (0.9, 0.95), eps: float = 1e-8, weight_decay: float = 0.01,
                 clip: float | None = 1.0) -> None:
        if optimizer not in ("adamw", "sgd"):
            raise ValueError(f"optimizer must be 'adamw' or 'sgd', got {optimizer!r}")
        if not models:
            raise ValueError("models must hold at least one model")
        if clip is not None and not clip > 0:
            raise ValueError(f"clip must be > 0 or None, got {clip!r}")
        self.optimizer, self.betas, self.eps, self.wd, self.clip = optimizer, betas, eps, weight_decay, clip
        params, buffers = stack_module_state(list(models))
        self.params = {k: v.detach().clone() for k, v in params.items()}
        self.buffers = buffers
        self.n_runs = len(models)
        base = copy.deepcopy(models[0]).to("meta")

        def loss_of(p: dict[str, torch.Tensor], b: dict[str, torch.Tensor], x: torch.Tensor,
                    y: torch.Tensor) -> torch.Tensor:
            return loss_fn(functional_call(base, (p, b), (x,)), y)

        self._grad = vmap(grad_and_value(loss_of))
        self._eval = vmap(loss_of, in_dims=(0, 0, None, None))
        self._m = {k: torch.zeros_like(v) for k, v in self.params.items()}
        self._v = {k: torch.zeros_like(v) for k, v in self.params.items()}
        self.t = 0
        self.alive = torch.ones(self.n_runs, dtype=torch.bool, device=next(iter(self.params.values())).device)

    def _per_run(self, v: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        return v.reshape((-1,) + (1,) * (like.dim() - 1))

    def step(self, x: torch.Tensor, y: torch.Tensor, lrs: torch.Tensor) -> torch.Tensor:
        """One step of every run on its batch ``x[r], y[r]`` with learning rate ``lrs[r]``; returns the losses
        at the parameters before the step (shape ``(n_runs,)``; non-finite for a diverged run)."""
        grads, raw = self._grad(self.params, self.buffers, x, y)
        losses: torch.Tensor = raw.detach()
        self.alive &= torch.isfinite(losses)
        lrs = torch.where(self.alive, lrs.to(losses), torch.zeros_like(losses))
        if self.clip is not None:
            sq = sum(g.pow(2).flatten(1).sum(1) for g in grads.values())
            norm = torch.as_tensor(sq).sqrt()
            coef = (self.clip / (norm + 1e-6)).clamp(max=1.0)
            grads = {k: g * self._per_run(coef, g) for k, g in grads.items()}
        self.t += 1
        b1, b2 = self.betas
        for k, p in self.params.items():
            g = grads[k]
            lr = self._per_run(lrs, p)
            if self.optimizer == "sgd":
                new = p - lr * g
            else:
                p_dec = p * (1 - lr * self.wd)
                self._m[k].lerp_(g, 1 - b1)
                self._v[k].mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = self._v[k].sqrt() / (1 - b2 ** self.t) ** 0.5 + self.eps
                new = p_dec - (lr / (1 - b1 ** self.t)) * self._m[k] / denom
            self.params[k] = torch.where(self._per_run(self.alive, p), new, p)
        return losses

    @torch.no_grad()
    def evaluate(self, x: torch.Tensor, y: torch.Tensor, *, chunk: int | None = None) -> torch.Tensor:
        """The loss of every run on the shared batch ``(x, y)`` (in chunks of ``chunk`` examples)."""
        chunk = chunk or x.shape[0]
        parts = [self._eval(self.params, self.buffers, x[i:i + chunk], y[i:i + chunk]) * min(chunk, x.shape[0] - i)
                 for i in range(0, x.shape[0], chunk)]
        out: torch.Tensor = torch.stack(parts).sum(0) / x.shape[0]
        return out


def reference_step(model: torch.nn.Module, opt: torch.optim.Optimizer, loss_fn: LossFn, x: torch.Tensor,
                   y: torch.Tensor, clip: float | None = 1.0) -> torch.Tensor:
    """The one-model torch step :class:`BatchedRuns` reproduces per run: loss, backward, clip, ``opt.step()``;
    returns the detached loss (the reference of the tests and of ``benchmarks/schedules.py``)."""
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()  # type: ignore[no-untyped-call]
    if clip is not None:
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
    return loss.detach()
