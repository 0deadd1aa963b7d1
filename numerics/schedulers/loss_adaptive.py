"""The loss-adaptive warm-up: ``lr_t = peak / (1 + C·(ℓ̄_t − f*))``, the practical form of the paper's Eq. (1).

The paper's step ``η = 1/(a·H0 + b·H1·(f(w) − f*))`` (GD: a = 10, b = 20) is ``peak / (1 + C·(f − f*))`` with
``peak = 1/(a·H0)`` and ``C = b·H1/(a·H0)`` (= 2·H1/H0 for the paper's a, b): one parameter ``C`` once the peak is
tuned like any lr. ``ℓ̄_t`` is a bias-corrected exponential moving average of the losses passed to
:meth:`LossAdaptiveWarmup.step` (``m_t = β·m_{t−1} + (1 − β)·ℓ_t``, ``ℓ̄_t = m_t/(1 − β^t)``, ``β = smoothing``).

**Monotone mode** (default): the warm-up factor ``w_t = 1/(1 + C·(ℓ̄_t − f*))`` is replaced by its running maximum,
so a noisy mini-batch loss cannot push the lr down and up again (a non-monotone lr adds the batch noise to the
step size). The price: after a loss spike the lr is not reduced, so the theory's guarantee — stated for the
lr at the current loss — holds only while the smoothed loss does not rise. The warm-up ends when
``w_t ≥ 1 − 1e-3`` (then ``w = 1``) or at ``warmup_cap`` steps (then ``w`` is frozen at its value, no jump).
With a non-negative loss that never nears ``f*`` (language models) ``w`` stays below 1: the peak is then a
ceiling, not the lr reached.

**Order in the loop.** Call ``step(loss)`` after ``optimizer.step()`` like every torch scheduler: it sets the lr of
the next step from the losses so far (one step of lag, which the moving average makes immaterial). Before the
first loss the lr is the rule at ``initial_loss`` if given, else 0 (a first step with lr 0). Calling ``step(loss)``
before ``optimizer.step()`` removes the lag (the theory's ``η_k`` from ``f(w_k)``) and is also supported.

>>> import torch
>>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.5)
>>> s = LossAdaptiveWarmup(opt, C=1.0, smoothing=0.0)
>>> for loss in (4.0, 1.0, 3.0):  # after each optimizer.step()
...     s.step(loss); print(s.get_last_lr()[0])  # 0.5/(1 + ℓ), never decreasing
0.1
0.25
0.25
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import torch

from warmup_theory.numerics.schedulers.base import WarmupSchedule

__all__ = ["LossAdaptiveWarmup"]

_END = 1.0 - 1e-3


def _finite_number(name: str, v: float) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {v!r}")
    return float(v)


class LossAdaptiveWarmup(WarmupSchedule):
    """``lr_t = w_t · d_t`` with the loss-driven factor ``w_t = 1/(1 + C·(ℓ̄_t − f*))`` (module docstring).

    ``C >= 0`` (0: no warm-up); ``f_star`` the loss's infimum (0 for cross-entropy); ``peak_lr`` a float, one per
    param group, or ``None`` for each group's lr; ``smoothing`` the moving average's ``β ∈ [0, 1)``; ``decay`` one of
    None, "cosine", "linear", "wsd" over ``total_steps`` (see :mod:`~warmup_theory.numerics.schedulers.shapes`);
    ``warmup_cap`` the last step of the warm-up; ``on_nonfinite`` "raise" (the step number in the message) or
    "skip" (keep the last lr, count in :attr:`n_skipped`). A loss below ``f_star`` is clamped to it, counted in
    :attr:`n_clamped` and warned about once: it means ``f_star`` is wrong.
    """

    takes_loss = True

    def __init__(self, optimizer: torch.optim.Optimizer, *, C: float, f_star: float = 0.0,
                 peak_lr: float | Sequence[float] | None = None, smoothing: float = 0.9, decay: str | None = None,
                 total_steps: int | None = None, decay_fraction: float = 0.2, final_lr: float | Sequence[float] = 0.0,
                 monotone: bool = True, warmup_cap: int | None = None, initial_loss: float | None = None,
                 on_nonfinite: str = "raise") -> None:
        self.C = _finite_number("C", C)
        if self.C < 0:
            raise ValueError(f"C must be >= 0, got {C!r}")
        self.f_star = _finite_number("f_star", f_star)
        self.smoothing = _finite_number("smoothing", smoothing)
        if not 0.0 <= self.smoothing < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {smoothing!r}")
        if warmup_cap is not None and (isinstance(warmup_cap, bool) or not isinstance(warmup_cap, int)
                                       or warmup_cap < 0):
            raise ValueError(f"warmup_cap must be an integer >= 0 or None, got {warmup_cap!r}")
        if on_nonfinite not in ("raise", "skip"):
            raise ValueError(f"on_nonfinite must be 'raise' or 'skip', got {on_nonfinite!r}")
        if not isinstance(monotone, bool):
            raise TypeError(f"monotone must be a bool, got {type(monotone).__name__}")
        self.monotone, self.warmup_cap, self.on_nonfinite = monotone, warmup_cap, on_nonfinite
        self._m, self._n_losses, self.n_skipped, self.n_clamped = 0.0, 0, 0, 0
        self.smoothed_loss: float | None = None
        self._initialised = False
        super().__init__(optimizer, peak_lr=peak_lr, decay=decay, total_steps=total_steps,
                         decay_fraction=decay_fraction, final_lr=final_lr)
        self._initialised = True
        if initial_loss is not None:
            self._w = self._rule(self._clamp(_finite_number("initial_loss", initial_loss)))
            self._apply()

    @classmethod
    def from_constants(cls, optimizer: torch.optim.Optimizer, H0: float, H1: float, *, f_star: float = 0.0,
                       a: float = 10.0, b: float = 20.0, **kwargs: Any) -> LossAdaptiveWarmup:
        """The theory's step family ``lr = 1/(a·H0 + b·H1·(ℓ − f*))``: ``peak = 1/(a·H0)``, ``C = b·H1/(a·H0)``.

        ``a = 10, b = 20`` is the paper's Eq. (1) for GD (then ``C = 2·H1/H0``); other keyword arguments go to
        the constructor (``smoothing=0.0`` gives the rule at the raw loss).

        >>> import torch
        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        >>> s = LossAdaptiveWarmup.from_constants(opt, H0=1.0, H1=5.0)
        >>> s.peak_lrs, s.C
        ([0.1], 10.0)
        """
        H0, H1, a, b = (_finite_number(n, v) for n, v in (("H0", H0), ("H1", H1), ("a", a), ("b", b)))
        for name, v in (("H0", H0), ("a", a), ("b", b)):
            if v <= 0:
                raise ValueError(f"{name} must be > 0, got {v!r}")
        if H1 < 0:
            raise ValueError(f"H1 must be >= 0, got {H1!r}")
        return cls(optimizer, C=b * H1 / (a * H0), f_star=f_star, peak_lr=1.0 / (a * H0), **kwargs)

    def _rule(self, loss: float) -> float:
        return 1.0 / (1.0 + self.C * (loss - self.f_star))

    def _clamp(self, loss: float) -> float:
        if loss >= self.f_star:
            return loss
        self.n_clamped += 1
        if self.n_clamped == 1:
            warnings.warn(f"loss {loss!r} < f_star={self.f_star!r}: clamped to f_star (f_star is wrong — it must "
                          "not exceed the loss's infimum); further clamps are counted in n_clamped", stacklevel=3)
        return self.f_star

    def step(self, loss: float | torch.Tensor | None = None) -> None:
        """Feed the current loss (float or 0-dim tensor) and set the lrs of the next optimizer step."""
        if not self._initialised:  # the base class's call at construction: the lr before any loss
            self.last_epoch += 1
            self._step_count += 1
            self._apply()
            return
        if loss is None:
            raise TypeError("LossAdaptiveWarmup.step() needs the current loss: call step(loss)")
        if isinstance(loss, torch.Tensor):
            if loss.numel() != 1:
                raise ValueError(f"loss must be a float or a 1-element tensor, got shape {tuple(loss.shape)}")
            value = float(loss.detach().item())  # the one synchronisation per step
        elif isinstance(loss, numbers.Real) and not isinstance(loss, bool):
            value = float(loss)
        else:
            raise TypeError(f"loss must be a float or a 1-element tensor, got {type(loss).__name__}")
        self._step_count += 1
        self.last_epoch += 1
        if not math.isfinite(value):
            if self.on_nonfinite == "raise":
                raise ValueError(f"loss is {value} at step {self.last_epoch} (on_nonfinite='skip' keeps the lr)")
            self.n_skipped += 1
            self._apply_keep()
            return
        self._update(self._clamp(value))
        self._apply()

    def _update(self, loss: float) -> None:
        b = self.smoothing
        self._m = b * self._m + (1.0 - b) * loss
        self._n_losses += 1
        self.smoothed_loss = self._m / (1.0 - b ** self._n_losses)
        if self.warmup_end_step is not None:
            return
        raw = self._rule(self.smoothed_loss)
        self._w = max(self._w, raw) if self.monotone else raw
        if self._w >= _END:
            self._w, self.warmup_end_step = 1.0, self.last_epoch
        elif self.warmup_cap is not None and self.last_epoch >= self.warmup_cap:
            self.warmup_end_step = self.last_epoch

    def _apply_keep(self) -> None:
        for g, lr in zip(self.optimizer.param_groups, self._last_lr, strict=True):
            g["lr"] = lr
