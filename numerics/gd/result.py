"""The result of a batched GD run: per-run statuses, iteration counts, gaps and step sizes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .schedule import STATUSES


@dataclass(frozen=True)
class GDBatchResult:
    """Outcome of :func:`run_gd` for B runs (arrays indexed by run).

    iterations: first k with gap_k <= eps (-1 if never); status: "converged" |
    "diverged" | "max_iter"; final_gap: gap at the iteration where the run stopped
    (the offending value for a diverged run, possibly inf/NaN); stopped_at: that
    iteration (``max_iter`` for a max_iter run); gap_history [T+1, B] and
    step_history [T, B] when recorded (NaN once a run has stopped; T = the largest
    ``stopped_at``); gap0: initial gaps.  gap_increased: bool [B], True when some step
    k < stopped_at increased the gap beyond the rounding tolerance (module docstring);
    first_increase: int [B], the first such k (gap_{k+1} is the increased value), -1 if
    none; increase_rtol / increase_atol: the tolerances used.
    """

    iterations: np.ndarray
    status: tuple[str, ...]
    final_gap: np.ndarray
    gap_history: np.ndarray | None
    step_history: np.ndarray | None
    seconds: float
    device: str
    dtype: str
    stopped_at: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    gap0: np.ndarray = field(default_factory=lambda: np.zeros(0))
    eps: float = math.nan
    max_iter: int = 0
    alpha: np.ndarray = field(default_factory=lambda: np.zeros(0))
    beta: np.ndarray = field(default_factory=lambda: np.zeros(0))
    loop_iterations: int = 0  # iterations of the batched loop actually executed
    gap_increased: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    first_increase: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    increase_rtol: float = math.nan
    increase_atol: float = math.nan

    @property
    def n_runs(self) -> int:
        """B, the number of runs in the batch."""
        return int(self.iterations.shape[0])

    def counts(self) -> dict[str, int]:
        """Number of runs per status."""
        return {s: int(sum(1 for x in self.status if x == s)) for s in STATUSES}

    def run(self, i: int) -> dict[str, Any]:
        """Per-run summary (JSON-friendly)."""
        if not -self.n_runs <= i < self.n_runs:
            raise IndexError(f"run index {i} out of range for {self.n_runs} runs")
        out: dict[str, Any] = {
            "iterations": int(self.iterations[i]),
            "status": self.status[i],
            "final_gap": float(self.final_gap[i]),
            "stopped_at": int(self.stopped_at[i]) if self.stopped_at.size else None,
            "gap0": float(self.gap0[i]) if self.gap0.size else None,
            "alpha": float(self.alpha[i]) if self.alpha.size else None,
            "beta": float(self.beta[i]) if self.beta.size else None,
            "gap_increased": bool(self.gap_increased[i]) if self.gap_increased.size else None,
            "first_increase": int(self.first_increase[i]) if self.first_increase.size else None,
        }
        if self.gap_history is not None:
            out["gap_history"] = [float(x) for x in self.gap_history[:, i] if not math.isnan(x)]
        if self.step_history is not None:
            out["step_history"] = [float(x) for x in self.step_history[:, i] if not math.isnan(x)]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (non-finite floats become None)."""
        def fl(a: np.ndarray | None) -> Any:
            if a is None:
                return None
            return [[_jsonf(x) for x in row] for row in a.tolist()] if a.ndim == 2 else \
                [_jsonf(x) for x in a.tolist()]
        return {
            "iterations": [int(x) for x in self.iterations], "status": list(self.status),
            "final_gap": fl(self.final_gap), "stopped_at": [int(x) for x in self.stopped_at],
            "gap0": fl(self.gap0), "gap_history": fl(self.gap_history),
            "step_history": fl(self.step_history), "seconds": self.seconds, "device": self.device,
            "dtype": self.dtype, "eps": self.eps, "max_iter": self.max_iter,
            "alpha": fl(self.alpha), "beta": fl(self.beta), "loop_iterations": self.loop_iterations,
            "gap_increased": [bool(x) for x in self.gap_increased],
            "first_increase": [int(x) for x in self.first_increase],
            "increase_rtol": self.increase_rtol, "increase_atol": self.increase_atol,
            "counts": self.counts(),
        }


def _jsonf(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


