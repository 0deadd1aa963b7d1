"""The common core of the warm-up schedulers: per-group peaks, a decay shape, a warm-up factor.

At the optimizer step ``t`` param group ``g`` uses ``lr = w_t · d_t(peak_g, final_g)``, ``d_t`` the decay shape of
:mod:`~warmup_theory.numerics.schedulers.shapes` and ``w_t ∈ [0, 1]`` the subclass's warm-up factor
(``pytorch-warmup``'s "dampening" form). Learning rates are absolute: a scheduler of this family owns its
optimizer's lrs, so it is used alone (its ``decay`` covers the decay phase) or handed over to another torch
scheduler once :attr:`warmup_done` (a scheduler built then starts from ``initial_lr = peak``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch.optim.lr_scheduler import LRScheduler

from warmup_theory.numerics.schedulers.shapes import check_decay, decay_value, per_group

__all__ = ["WarmupSchedule"]


class WarmupSchedule(LRScheduler):
    """Base class: ``lr_t = w_t · d_t`` per param group (module docstring); subclasses set ``self._w``.

    ``takes_loss``: whether ``step`` wants the current loss (``step(loss)``) — training loops that drive
    any scheduler (the probe, the schedule study) read it instead of guessing from the class.
    """

    takes_loss: bool = False

    def __init__(self, optimizer: torch.optim.Optimizer, *, peak_lr: float | Sequence[float] | None = None,
                 decay: str | None = None, total_steps: int | None = None, decay_fraction: float = 0.2,
                 final_lr: float | Sequence[float] = 0.0) -> None:
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
        check_decay(decay, total_steps, decay_fraction)
        groups = optimizer.param_groups
        self.peak_lrs = per_group("peak_lr", peak_lr, [float(g["lr"]) for g in groups], allow_zero=False)
        self.final_lrs = per_group("final_lr", final_lr, [0.0] * len(groups), allow_zero=True)
        for p, f in zip(self.peak_lrs, self.final_lrs, strict=True):
            if f > p:
                raise ValueError(f"final_lr must be <= peak_lr, got final_lr={f!r} > peak_lr={p!r}")
        self.decay, self.total_steps, self.decay_fraction = decay, total_steps, float(decay_fraction)
        self._w = 0.0
        self.warmup_end_step: int | None = None
        for g, p in zip(groups, self.peak_lrs, strict=True):
            g["lr"] = p  # the base class records initial_lr = peak
        super().__init__(optimizer)

    @property
    def warmup_done(self) -> bool:
        """Whether the warm-up phase has ended (``w_t = 1`` from :attr:`warmup_end_step` on, or frozen at a cap)."""
        return self.warmup_end_step is not None

    @property
    def warmup_factor(self) -> float:
        """The current warm-up factor ``w_t ∈ [0, 1]``."""
        return self._w

    def undamped(self, t: int) -> list[float]:
        """``d_t`` of every param group."""
        return [decay_value(self.decay, t, total_steps=self.total_steps, decay_fraction=self.decay_fraction,
                            peak=p, final=f) for p, f in zip(self.peak_lrs, self.final_lrs, strict=True)]

    def get_lr(self) -> list[float | torch.Tensor]:
        """The lrs ``w_t · d_t`` for ``t = last_epoch``."""
        return [self._w * d for d in self.undamped(self.last_epoch)]

    def _apply(self) -> None:
        lrs = self.get_lr()
        for g, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            g["lr"] = lr
        self._last_lr = [float(lr) for lr in lrs]

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state and write the restored lrs into the optimizer's param groups."""
        super().load_state_dict(state_dict)
        for g, lr in zip(self.optimizer.param_groups, self._last_lr, strict=True):
            g["lr"] = lr
