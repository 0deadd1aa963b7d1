"""Ratio bookkeeping for :func:`warmup_theory.numerics.search.engine.check_proposition`.

Every evaluation of the search produces ratios

    ρ(w) = ‖∇²f(w)‖₂ / (H0 + H1·(f(w) − f*))

(spectral norm of the dense float64 Hessian).  The rules for non-finite values are fixed here,
once: NaN (0/0, a NaN Hessian) is never the maximum — it carries no information — while +inf
(a zero bound with a non-zero Hessian, or a Hessian norm beyond float64) IS kept and wins, since
it is a violation.  :class:`_Tally` counts evaluations and non-finite ones per source.

>>> _safe_ratio(1.0, 0.0), _beats(0.5, float("nan")), _beats(float("nan"), 0.5)
(inf, True, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

__all__ = ["VIOLATION_RTOL", "aggregate_ratios"]

# The three ways points are produced: random admissible points, GD trajectories, adversarial ascent.
_SOURCES = ("random", "gd", "search")

# Ratio above 1 by more than this counts as a violation (float64 Hessians of these sizes are
# accurate to ~1e-13 relative; the margin is generous on purpose).
VIOLATION_RTOL = 1e-9


def _nan_low(r: torch.Tensor) -> torch.Tensor:
    """``r`` with NaN replaced by −inf for max/argmax/sort; +inf is KEPT (it is a violation:
    a zero bound with a non-zero Hessian, or a Hessian norm beyond float64)."""
    return torch.where(torch.isnan(r), torch.full_like(r, -math.inf), r)


def _ratio_key(x: float) -> float:
    """Sort key for a float ratio: NaN lowest, +inf highest."""
    return -math.inf if math.isnan(x) else x


def _beats(new: float, old: float) -> bool:
    """``new`` is a larger ratio than ``old`` (NaN never beats anything; anything beats NaN)."""
    return not math.isnan(new) and (math.isnan(old) or new > old)


def _safe_ratio(hn: float, bound: float) -> float:
    """hn / bound in IEEE float64 (x/0 = ±inf, 0/0 = NaN) instead of ZeroDivisionError."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(hn) / np.float64(bound))


def aggregate_ratios(r: torch.Tensor) -> tuple[int, float, int]:
    """(index, value, n_nonfinite) of the largest ratio in a 1-D tensor of evaluations.

    The entries are ratios ‖∇²f‖₂ / (H0 + H1(f − f*)).  NaN never wins unless every entry is
    NaN (then index 0, value NaN); +inf wins (it is a violation).  ``n_nonfinite`` counts NaN
    and ±inf entries.

    >>> import torch
    >>> aggregate_ratios(torch.tensor([0.5, float("nan"), 0.9], dtype=torch.float64))
    (2, 0.9, 1)
    >>> aggregate_ratios(torch.tensor([0.5, float("inf"), float("nan")], dtype=torch.float64))
    (1, inf, 2)
    >>> aggregate_ratios(torch.tensor([float("nan")] * 2, dtype=torch.float64))
    (0, nan, 2)
    """
    r = r.detach().reshape(-1)
    k = int(torch.argmax(_nan_low(r)))
    return k, float(r[k]), int((~torch.isfinite(r)).sum())


class _Tally:
    """Per-source counts of ratio evaluations and of non-finite (NaN / ±inf) ones.

    Counts are kept as tensors on the evaluation device (no host sync per step).

    >>> t = _Tally()
    >>> t.add("gd", torch.tensor([1.0, float("nan")]))
    >>> t.result()
    ({'random': 0, 'gd': 2, 'search': 0}, {'random': 0, 'gd': 1, 'search': 0})
    """

    def __init__(self) -> None:
        self._n: dict[str, int] = dict.fromkeys(_SOURCES, 0)
        self._nf: dict[str, int | torch.Tensor] = dict.fromkeys(_SOURCES, 0)

    def add(self, src: str, r: torch.Tensor) -> None:
        """Count the evaluations in ``r`` (any shape) for source ``src``."""
        r = r.detach()
        self._n[src] += int(r.numel())
        self._nf[src] = self._nf[src] + (~torch.isfinite(r)).sum()

    def counter(self, src: str) -> Callable[[torch.Tensor], None]:
        """A callback ``on_eval(r)`` that counts ``r`` for ``src`` (for GD / ascent loops)."""
        return lambda r: self.add(src, r)

    def result(self) -> tuple[dict[str, int], dict[str, int]]:
        """(evaluations per source, non-finite evaluations per source) as plain ints."""
        return dict(self._n), {s: int(v) for s, v in self._nf.items()}
