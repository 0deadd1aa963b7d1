"""Decay shapes shared by the warm-up schedulers, and their argument checks.

A shape maps the step ``t`` (0-based index of the optimizer step the lr is used for) to the undamped lr
``d_t`` of one param group, from ``peak`` at ``t = 0`` to ``final`` at ``t = T`` (``total_steps``) and held at
``final`` after ``T``:

* ``None`` — ``d_t = peak`` (constant);
* ``"cosine"`` — ``d_t = final + (peak − final)·(1 + cos(π·t/T))/2`` (torch's ``CosineAnnealingLR``, ``T_max = T``);
* ``"linear"`` — ``d_t = peak − (peak − final)·t/T``;
* ``"wsd"`` — warmup-stable-decay: ``d_t = peak`` up to ``t₀ = (1 − decay_fraction)·T``, then linear to ``final``
  at ``T`` (the paper's LM setting: the last 20 % decays linearly to 1e-5).

The warm-up schedulers multiply ``d_t`` by their warm-up factor ``w_t ∈ [0, 1]`` (``pytorch-warmup``'s
"dampening" convention), so after the warm-up the lr is exactly the decay shape.

>>> round(decay_value("wsd", 90, total_steps=100, decay_fraction=0.2, peak=1.0, final=0.0), 6)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["DECAYS", "check_decay", "decay_value", "per_group"]

DECAYS: tuple[str | None, ...] = (None, "cosine", "linear", "wsd")


def decay_value(decay: str | None, t: int, *, total_steps: int | None, decay_fraction: float, peak: float,
                final: float) -> float:
    """The undamped lr ``d_t`` of one param group (module docstring)."""
    if decay is None or total_steps is None:
        return peak
    if t >= total_steps:
        return final
    if decay == "cosine":
        return final + (peak - final) * (1.0 + math.cos(math.pi * t / total_steps)) / 2.0
    if decay == "linear":
        return peak - (peak - final) * t / total_steps
    start = (1.0 - decay_fraction) * total_steps
    if t <= start:
        return peak
    return peak - (peak - final) * (t - start) / (total_steps - start)


def check_decay(decay: str | None, total_steps: int | None, decay_fraction: float) -> None:
    """Raise ``ValueError`` naming the argument when the decay settings are invalid."""
    if decay not in DECAYS:
        raise ValueError(f"decay must be one of None, 'cosine', 'linear', 'wsd', got {decay!r}")
    if total_steps is not None and (isinstance(total_steps, bool) or not isinstance(total_steps, int)
                                    or total_steps < 1):
        raise ValueError(f"total_steps must be an integer >= 1 or None, got {total_steps!r}")
    if decay is not None and total_steps is None:
        raise ValueError(f"decay={decay!r} needs total_steps (an integer >= 1)")
    if not (isinstance(decay_fraction, (int, float)) and 0.0 < decay_fraction <= 1.0):
        raise ValueError(f"decay_fraction must be in (0, 1], got {decay_fraction!r}")


def per_group(name: str, value: float | Sequence[float] | None, defaults: Sequence[float], *,
              allow_zero: bool) -> list[float]:
    """``value`` broadcast to one float per param group (``None`` → ``defaults``), each finite and > 0
    (>= 0 with ``allow_zero``)."""
    if value is None:
        vals = [float(v) for v in defaults]
    elif isinstance(value, bool):
        raise ValueError(f"{name} must be a number or one number per param group, got {value!r}")
    elif isinstance(value, (int, float)):
        vals = [float(value)] * len(defaults)
    else:
        vals = [float(v) for v in value]
        if len(vals) != len(defaults):
            raise ValueError(f"{name} has {len(vals)} entries but the optimizer has {len(defaults)} param groups")
    for v in vals:
        if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
            rng = ">= 0" if allow_zero else "> 0"
            raise ValueError(f"{name} must be finite and {rng}, got {v!r}")
    return vals
