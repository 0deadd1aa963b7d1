"""Step-size schedules η_k = 1/(α + β·(f(w_k) − f*)) for batched GD, and the device choice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from warmup_theory.theory.validate import check_scalar

STATUSES = ("converged", "diverged", "max_iter")
_ACTIVE, _CONV, _DIV, _MAXIT = 0, 1, 2, 3


@dataclass(frozen=True)
class Schedule:
    """A step-size schedule η(gap) = 1 / (alpha + beta·gap), gap = f(w) − f* >= 0.

    >>> Schedule.fixed(0.5).step(3.0)
    0.5
    >>> s = Schedule.warmup(2.0, 1.0)          # Eq. (1): 1/(10·H0 + 20·H1·gap)
    >>> (s.alpha, s.beta, s.step(1.0))
    (20.0, 20.0, 0.025)
    >>> Schedule.practical(0.1, 4.0).step(0.5)  # η_peak/(1 + C·gap)
    0.03333333333333333
    """

    name: str
    alpha: float
    beta: float

    def __post_init__(self) -> None:
        a = check_scalar("alpha", self.alpha, low=0)
        b = check_scalar("beta", self.beta, low=0)
        if a == 0 and b == 0:
            raise ValueError("alpha and beta must not both be 0 (the step would be infinite)")
        object.__setattr__(self, "alpha", float(a))
        object.__setattr__(self, "beta", float(b))

    @classmethod
    def fixed(cls, eta: float, name: str | None = None) -> Schedule:
        """Fixed step η > 0: alpha = 1/η, beta = 0."""
        eta = check_scalar("eta", eta, low=0, low_open=True)
        return cls(name or f"fixed(eta={eta:.6g})", 1.0 / eta, 0.0)

    @classmethod
    def warmup(cls, H0: float, H1: float, a: float = 10.0, b: float = 20.0,
               name: str | None = None) -> Schedule:
        """The warm-up family 1/(a·H0 + b·H1·gap); (a, b) = (10, 20) is Eq. (1) (v2)."""
        H0 = check_scalar("H0", H0, low=0)
        H1 = check_scalar("H1", H1, low=0)
        a = check_scalar("a", a, low=0, low_open=True)
        b = check_scalar("b", b, low=0, low_open=True)
        default = "warmup" if (a, b) == (10.0, 20.0) else f"warmup(a={a:g},b={b:g})"
        return cls(name or default, a * H0, b * H1)

    @classmethod
    def practical(cls, eta_peak: float, C: float, name: str | None = None) -> Schedule:
        """The one-parameter warm-up η_peak/(1 + C·gap): alpha = 1/η_peak, beta = C/η_peak."""
        eta_peak = check_scalar("eta_peak", eta_peak, low=0, low_open=True)
        C = check_scalar("C", C, low=0)
        return cls(name or f"practical(eta={eta_peak:.6g},C={C:.6g})", 1.0 / eta_peak, C / eta_peak)

    def step(self, gap: float) -> float:
        """η(gap) = 1/(alpha + beta·gap) for gap >= 0."""
        gap = check_scalar("gap", gap, low=0)
        return 1.0 / (self.alpha + self.beta * gap)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"name": self.name, "alpha": self.alpha, "beta": self.beta}


def stack_schedules(schedules: Sequence[Schedule], repeat: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(alpha, beta) arrays for ``schedules``, each repeated ``repeat`` times in a row
    (run index = schedule_index·repeat + j).

    >>> a, b = stack_schedules([Schedule.fixed(1.0), Schedule.warmup(1.0, 1.0)], repeat=2)
    >>> a.tolist(), b.tolist()
    ([1.0, 1.0, 10.0, 10.0], [0.0, 0.0, 20.0, 20.0])
    """
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, got {repeat}")
    alpha = np.repeat([s.alpha for s in schedules], repeat).astype(np.float64)
    beta = np.repeat([s.beta for s in schedules], repeat).astype(np.float64)
    return alpha, beta
