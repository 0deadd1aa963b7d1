"""Linear warm-up and the untuned rule for Adam, on the same code path as the loss-adaptive warm-up.

``LinearWarmup``: ``w_t = min(1, (t + 1)/warmup_steps)`` at optimizer step ``t`` (0-based) — the factor of
``pytorch_warmup.LinearWarmup``, so with the same decay the lrs agree exactly (tested where it is installed).
``UntunedLinearWarmup``: Ma & Yarats (2019), "On the adequacy of untuned warmup for adaptive optimization":
``warmup_steps = 2/(1 − β2)`` from the optimizer's ``betas`` (2,000 for β2 = 0.999). It is rounded to the nearest
integer; ``pytorch-warmup`` truncates the float ``2/(1 − 0.999) = 1999.99…`` to 1,999.

>>> import torch
>>> opt = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-3)
>>> UntunedLinearWarmup(opt).warmup_steps
2000
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from warmup_theory.numerics.schedulers.base import WarmupSchedule

__all__ = ["LinearWarmup", "UntunedLinearWarmup", "untuned_warmup_steps"]


class LinearWarmup(WarmupSchedule):
    """``lr_t = min(1, (t + 1)/warmup_steps) · d_t`` per param group; ``step()`` after ``optimizer.step()``.

    >>> import torch
    >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    >>> s = LinearWarmup(opt, 4)
    >>> lrs = [opt.param_groups[0]["lr"]]
    >>> for _ in range(4):
    ...     opt.step(); s.step(); lrs.append(opt.param_groups[0]["lr"])
    >>> lrs
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, optimizer: torch.optim.Optimizer, warmup_steps: int, *,
                 peak_lr: float | Sequence[float] | None = None, decay: str | None = None,
                 total_steps: int | None = None, decay_fraction: float = 0.2,
                 final_lr: float | Sequence[float] = 0.0) -> None:
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 1:
            raise ValueError(f"warmup_steps must be an integer >= 1, got {warmup_steps!r}")
        self.warmup_steps = warmup_steps
        super().__init__(optimizer, peak_lr=peak_lr, decay=decay, total_steps=total_steps,
                         decay_fraction=decay_fraction, final_lr=final_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one optimizer step and set the lrs."""
        self._step_count += 1
        self.last_epoch += 1
        self._w = min(1.0, (self.last_epoch + 1) / self.warmup_steps)
        if self._w >= 1.0 and self.warmup_end_step is None:
            self.warmup_end_step = self.last_epoch
        self._apply()


def untuned_warmup_steps(beta2: float) -> int:
    """``round(2/(1 − β2))``, the untuned warm-up length of Ma & Yarats (2019) for Adam's ``β2 ∈ (0, 1)``."""
    if not (isinstance(beta2, (int, float)) and 0.0 < beta2 < 1.0):
        raise ValueError(f"beta2 must be in (0, 1), got {beta2!r}")
    return max(1, round(2.0 / (1.0 - beta2)))


class UntunedLinearWarmup(LinearWarmup):
    """:class:`LinearWarmup` over ``round(2/(1 − β2))`` steps, β2 from the first param group's ``betas``."""

    def __init__(self, optimizer: torch.optim.Optimizer, *, peak_lr: float | Sequence[float] | None = None,
                 decay: str | None = None, total_steps: int | None = None, decay_fraction: float = 0.2,
                 final_lr: float | Sequence[float] = 0.0) -> None:
        betas = optimizer.param_groups[0].get("betas") if isinstance(optimizer, torch.optim.Optimizer) else None
        if betas is None:
            raise ValueError("UntunedLinearWarmup needs an optimizer with betas (Adam, AdamW, …)")
        super().__init__(optimizer, untuned_warmup_steps(float(betas[1])), peak_lr=peak_lr, decay=decay,
                         total_steps=total_steps, decay_fraction=decay_fraction, final_lr=final_lr)
