"""The schedules a study compares, each built from the toolkit's schedulers (one code path for all).

Families: ``none`` (the decay alone: :class:`LinearWarmup` with one step), ``linear`` (warm-up length ``param``
steps), ``untuned`` (Ma & Yarats' ``2/(1 − β2)`` steps, adaptive optimizers only), ``adaptive``
(:class:`LossAdaptiveWarmup` with ``C = param``) and ``adaptive-fit`` (``C = 2·H1/H0`` from a probe run's fit).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from warmup_theory.numerics.schedulers import LinearWarmup, LossAdaptiveWarmup, UntunedLinearWarmup
from warmup_theory.numerics.schedulers.base import WarmupSchedule

__all__ = ["FAMILIES", "ScheduleSpec"]

FAMILIES = ("none", "linear", "untuned", "adaptive", "adaptive-fit")


@dataclass(frozen=True)
class ScheduleSpec:
    """One schedule: ``family`` (:data:`FAMILIES`) and its parameter (warm-up steps or C; None otherwise)."""

    family: str
    param: float | None = None

    @property
    def label(self) -> str:
        """``none``, ``linear W=30``, ``untuned``, ``adaptive C=1``, ``adaptive-fit C=0.23``."""
        if self.family == "linear":
            return f"linear W={int(self.param or 0)}"
        if self.family in ("adaptive", "adaptive-fit"):
            return f"{self.family} C={self.param:.3g}"
        return self.family

    def build(self, optimizer: torch.optim.Optimizer, *, decay: str | None, total_steps: int,
              decay_fraction: float, final_lr: float) -> WarmupSchedule:
        """The scheduler on ``optimizer`` (its lr is the peak)."""
        common = {"decay": decay, "total_steps": total_steps, "decay_fraction": decay_fraction, "final_lr": final_lr}
        if self.family == "none":
            return LinearWarmup(optimizer, 1, **common)  # type: ignore[arg-type]
        if self.family == "linear":
            return LinearWarmup(optimizer, int(self.param or 1), **common)  # type: ignore[arg-type]
        if self.family == "untuned":
            return UntunedLinearWarmup(optimizer, **common)  # type: ignore[arg-type]
        return LossAdaptiveWarmup(optimizer, C=float(self.param or 0.0), **common)  # type: ignore[arg-type]
