"""A table row's problem instance (:class:`Instance`) and the helpers that place its start point at a given gap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch


@dataclass(frozen=True)
class Instance:
    """One problem instance with one start point; ``H0, H1, mu, theta`` are the *class* constants
    the bounds use (certified; for ``pl-witness`` the class the witness is a member of)."""

    label: str
    family: str
    problem: Any                      # warmup_theory.numerics.problems.Problem (unbatched)
    w0: np.ndarray                    # [dim]
    H0: float
    H1: float
    mu: float | None
    theta: float | None
    f_star: float
    gap0: float
    dist0: float | None
    witness: bool = False
    notes: str = ""
    estimated: tuple[str, ...] = ()   # constants not certified along this run (e.g. ("H0", "H1"))


# start points

def _gap(problem: Any, w: np.ndarray) -> float:
    with torch.no_grad():
        W = torch.as_tensor(np.asarray(w, dtype=np.float64).reshape(1, -1), dtype=torch.float64)
        return float(problem.f(W)[0]) - float(problem.f_star)


def start_at_gap(problem: Any, center: np.ndarray, direction: np.ndarray, gap0: float) -> np.ndarray:
    """The point center + t·u (u = direction/|direction|, t > 0) with f − f* = gap0, by bisection.

    Valid for convex f minimised at ``center`` (the gap is then non-decreasing in t).  The returned
    point's gap equals gap0 to ~1e-12 relative; rows report the measured gap, not the target.

    >>> from warmup_theory.numerics.problems import cosh_problem
    >>> w = start_at_gap(cosh_problem(1.0, 1.0), np.zeros(1), np.ones(1), 10.0)
    >>> round(float(np.cosh(w[0]) - 1), 9)
    10.0
    """
    u = np.asarray(direction, dtype=np.float64)
    u = u / np.linalg.norm(u)
    c = np.asarray(center, dtype=np.float64)
    lo, hi = 0.0, 1.0
    while _gap(problem, c + hi * u) < gap0:
        lo, hi = hi, 2 * hi
        if hi > 1e8:
            raise ValueError(f"gap0={gap0} not reached along the ray (gap stays below it)")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if _gap(problem, c + mid * u) < gap0:
            lo = mid
        else:
            hi = mid
    return c + hi * u


def _center(problem: Any) -> np.ndarray:
    c = (getattr(problem, "shared_params", None) or {}).get("c")
    return np.zeros(problem.dim) if c is None else np.asarray(c, dtype=np.float64).reshape(-1)


def _dist(problem: Any, w0: np.ndarray) -> float | None:
    if problem.minimiser_dist is None:
        return None
    with torch.no_grad():
        return float(problem.minimiser_dist(torch.as_tensor(w0.reshape(1, -1), dtype=torch.float64))[0])


def _instance(label: str, family: str, problem: Any, w0: np.ndarray, *, H0: float | None = None,
              H1: float | None = None, mu: Any = "problem", theta: Any = "problem", witness: bool = False,
              notes: str = "") -> Instance:
    c = problem.constants()
    return Instance(
        label=label, family=family, problem=problem, w0=np.asarray(w0, dtype=np.float64).reshape(-1),
        H0=float(c["H0"] if H0 is None else H0), H1=float(c["H1"] if H1 is None else H1),
        mu=c["mu"] if mu == "problem" else mu, theta=c["theta"] if theta == "problem" else theta,
        f_star=float(c["f_star"]), gap0=_gap(problem, w0), dist0=_dist(problem, np.asarray(w0)),
        witness=witness, notes=notes or problem.provenance)


