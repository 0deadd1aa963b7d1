"""Regime map: where the warm-up step's proven upper bound beats the fixed step's proven lower bound.

For each (gap0, eps) of a grid, compare

* ``kind="pl"``: U = :func:`warmup_theory.theory.bounds.pl_adaptive_iterations` (Thm 4.3 corrected, Eq. (1) step) with
  L = :func:`warmup_theory.theory.bounds.pl_fixed_lower_iterations` (Thm 4.1(3) corrected, every class-stable step);
* ``kind="aiming"``: U = :func:`warmup_theory.theory.bounds.aiming_adaptive_iterations` (Thm 4.2, dist0 required) with
  L = :func:`warmup_theory.theory.bounds.aiming_fixed_lower_iterations` (Thm 4.1(1–2), toolkit's own).

``warmup_wins[i][j]`` is True when U < L: provably, on the worst member of the class, the warm-up step
needs fewer iterations than **any** class-stable fixed step.  False does not mean the fixed step wins
(the bounds are not tight): it means the proofs do not separate them.  With the paper's constants 10
and 20 the PL separation only appears at very small eps; the aiming (convex) separation appears as soon as
H1·gap0 >> H0, because the fixed lower bound is then multiplicative in H1·gap0/eps.

Pure math, floats only (no numpy in the API).

>>> m = regime_map(1.0, 1.0, 1.0, [1e2, 1e4], [1e-4, 1e-300], kind="pl")
>>> m.warmup_wins                        # paper constants: no PL separation within float range
((False, False), (False, False))
>>> [round(x, 1) for x in m.crossover_log10_eps]   # warm-up provably wins for eps < 10**x
[-inf, -744.5]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from warmup_theory.theory.bounds.aiming import aiming_adaptive_iterations, aiming_fixed_lower_iterations
from warmup_theory.theory.bounds.pl import pl_adaptive_iterations, pl_fixed_lower_iterations
from warmup_theory.theory.validate import check_scalar

__all__ = ["RegimeMap", "regime_map", "pl_crossover_log10_eps"]


def pl_crossover_log10_eps(H0: float, H1: float, mu: float, gap0: float) -> float:
    """log10 of an eps* such that for **every** eps < eps* the warm-up provably wins (PL, U < L).

    For eps < min(gap0, T), T = H0/(2H1), both bounds are affine in λ = log(1/eps) up to ceilings:
    U <= k1 + 1 + c·(log m + λ) with c = 20H0/μ, m = min(gap0, T), k1 the phase-1 count, and
    L >= a·(log gap0 + λ) with a = (1 − z)/(2z), z = η̄μ.  If a > c, U < L as soon as
    λ > (k1 + 1 + c·log m − a·log gap0)/(a − c); eps* is also capped at min(gap0, T).  Returns -inf when
    a <= c (no separation proven at any eps) or when μ > H0 / z >= 1.  Works far below the float range
    (the answer is a log10), e.g. about -743 for (H0, H1, μ, gap0) = (1, 1, 0.1, 1e4).

    >>> round(pl_crossover_log10_eps(1.0, 1.0, 0.1, 1e4))
    -743
    """
    import math

    from warmup_theory.theory.bounds.steps import pl_fixed_step_upper

    H0 = check_scalar("H0", H0, low=0, low_open=True)
    H1 = check_scalar("H1", H1, low=0)
    mu = check_scalar("mu", mu, low=0, low_open=True)
    gap0 = check_scalar("gap0", gap0, low=0, low_open=True)
    if mu > H0:
        return -math.inf
    z = float(pl_fixed_step_upper(H0, H1, mu, gap0)) * mu
    if z >= 1:
        return -math.inf
    a, c = (1 - z) / (2 * z), 20 * H0 / mu
    if a <= c:
        return -math.inf
    T = math.inf if H1 == 0 else H0 / (2 * H1)
    m = min(gap0, T)
    k1 = 0.0 if H1 == 0 else math.ceil(max(0.0, (gap0 - T) * 40 * H1 / mu))
    lam = (k1 + 1 + c * math.log(m) - a * math.log(gap0)) / (a - c)
    lam = max(lam, -math.log(m))
    return -lam / math.log(10.0)


@dataclass(frozen=True)
class RegimeMap:
    """Grid result; rows follow ``gap0_grid``, columns ``eps_grid``."""

    kind: str
    H0: float
    H1: float
    mu_or_theta: float
    dist0: float | None
    gap0_grid: tuple[float, ...]
    eps_grid: tuple[float, ...]
    adaptive_upper: tuple[tuple[float, ...], ...]
    fixed_lower: tuple[tuple[float, ...], ...]
    warmup_wins: tuple[tuple[bool, ...], ...]
    crossover_log10_eps: tuple[float, ...] | None = None  # PL only: per gap0, see pl_crossover_log10_eps

    def fraction_won(self) -> float:
        """Share of grid cells where the warm-up provably wins."""
        cells = [c for row in self.warmup_wins for c in row]
        return sum(cells) / len(cells)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {
            "kind": self.kind, "H0": self.H0, "H1": self.H1, "mu_or_theta": self.mu_or_theta,
            "dist0": self.dist0, "gap0_grid": list(self.gap0_grid), "eps_grid": list(self.eps_grid),
            "adaptive_upper": [list(r) for r in self.adaptive_upper],
            "fixed_lower": [list(r) for r in self.fixed_lower],
            "warmup_wins": [list(r) for r in self.warmup_wins],
            "fraction_won": self.fraction_won(),
            "crossover_log10_eps": None if self.crossover_log10_eps is None else
            [x if x != float("-inf") else "-inf" for x in self.crossover_log10_eps],
        }


def regime_map(H0: float, H1: float, mu_or_theta: float, gap0_grid: Sequence[float], eps_grid: Sequence[float],
               kind: str = "pl", dist0: float | None = None) -> RegimeMap:
    """Compare proven bounds on a (gap0, eps) grid (module docstring).  ``dist0`` is required for aiming.

    >>> regime_map(1.0, 1.0, 1.0, [1e4], [1e-3], kind="aiming", dist0=1.0).warmup_wins
    ((True,),)
    """
    if kind not in ("pl", "aiming"):
        raise ValueError(f"kind must be 'pl' or 'aiming', got {kind!r}")
    if not gap0_grid or not eps_grid:
        raise ValueError("gap0_grid and eps_grid must be non-empty")
    H0 = check_scalar("H0", H0, low=0)
    H1 = check_scalar("H1", H1, low=0)
    p = check_scalar("mu_or_theta", mu_or_theta, low=0, low_open=True)
    if kind == "aiming":
        if dist0 is None:
            raise ValueError("dist0 is required for kind='aiming'")
        dist0 = check_scalar("dist0", dist0, low=0)
    ups, lows, wins = [], [], []
    for g in gap0_grid:
        g = check_scalar("gap0", g, low=0)
        ru, rl, rw = [], [], []
        for e in eps_grid:
            e = check_scalar("eps", e, low=0, low_open=True)
            if kind == "pl":
                u = pl_adaptive_iterations(H0, H1, p, g, e)
                lo = pl_fixed_lower_iterations(H0, H1, p, g, e)
            else:
                u = aiming_adaptive_iterations(H0, H1, p, dist0, e, gap0=g)
                lo = aiming_fixed_lower_iterations(H0, H1, p, g, dist0, e)
            ru.append(float(u))
            rl.append(float(lo))
            rw.append(bool(u < lo))
        ups.append(tuple(ru))
        lows.append(tuple(rl))
        wins.append(tuple(rw))
    return RegimeMap(kind, float(H0), float(H1), float(p), None if dist0 is None else float(dist0),
                     tuple(float(g) for g in gap0_grid), tuple(float(e) for e in eps_grid),
                     tuple(ups), tuple(lows), tuple(wins),
                     tuple(pl_crossover_log10_eps(H0, H1, p, float(g)) if float(g) > 0 and H0 > 0
                           else float("-inf") for g in gap0_grid) if kind == "pl" else None)
