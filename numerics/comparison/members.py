"""The class's extremal members on which :func:`~warmup_theory.numerics.comparison.compare` runs every schedule.

For the class of (H0,H1)-smooth functions that are μ-PL (or θ-aiming), each member below belongs to the class
with the class's own constants (its certified constants are checked against the class's before it is used):

* ``hard`` — the PL hard function of Thm 4.1(3) (:func:`warmup_theory.theory.hard_functions.pl_hard_function`)
  with μ (under θ-aiming: μ = H0, the member :func:`warmup_theory.theory.bounds.aiming_fixed_step_upper` uses);
  above η_hard its fixed-step GD increases the gap.  At H1 = 0 it is the quadratic (μ/2)·w².
* ``cosh`` — (H0/H1)(cosh(√H1·w) − 1), the equality case f'' = H0 + H1·f (μ = H0, θ = 1); at H1 = 0, (H0/2)·w².
* ``quadratic`` — the lower-bound witness: (μ/2)·w² from √(2·gap0/μ) under μ-PL (Thm 4.1(3), corrected);
  (λ/2)·w² from w0 = dist0 under θ-aiming, λ = min(H0, 2·gap0/dist0², 2e·eps/dist0²) (Thm 4.1(1–2),
  toolkit's form).

Start points: where the member's gap equals gap0 — under θ-aiming pulled in to distance dist0 when that point
lies farther out, so every start satisfies both the gap and the distance hypothesis of the bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Member", "class_members"]


@dataclass(frozen=True)
class Member:
    """One extremal member: its problem (batched-engine ``Problem``), start point and what it is."""

    name: str
    expr: str
    problem: Any
    w0: float
    gap0: float
    dist0: float
    why: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable fields (the problem object is described by ``expr``)."""
        return {"name": self.name, "expr": self.expr, "w0": self.w0, "gap0": self.gap0, "dist0": self.dist0,
                "why": self.why}


def _gap_at(problem: Any, w: float) -> float:
    import torch

    with torch.no_grad():
        return float(problem.f(torch.tensor([[w]], dtype=torch.float64))[0]) - float(problem.f_star)


def _member(name: str, expr: str, problem: Any, w_gap: float, cap: float | None, gap0: float, why: str) -> Member:
    """The member started at w_gap (its gap is gap0 up to rounding), or at distance ``cap`` when closer."""
    w0 = w_gap if cap is None else min(w_gap, cap)
    for _ in range(64):  # the bounds assume start gap <= gap0: step inwards past the start's rounding
        if _gap_at(problem, w0) <= gap0:
            break
        w0 = math.nextafter(w0, 0.0)
    else:
        raise ArithmeticError(f"{name}: no start with gap <= gap0 = {gap0!r} within 64 ulps of w = {w_gap!r}")
    return Member(name=name, expr=expr, problem=problem, w0=w0, gap0=_gap_at(problem, w0), dist0=abs(w0), why=why)


def class_members(H0: float, H1: float, *, mu: float | None, theta: float | None, gap0: float, eps: float,
                  dist0: float | None) -> list[Member]:
    """The extremal members of the class (H0, H1, μ-PL or θ-aiming) started at gap0 (see the module docstring).

    >>> [m.name for m in class_members(1.0, 5.0, mu=0.1, theta=None, gap0=100.0, eps=1e-8, dist0=None)]
    ['hard', 'cosh', 'quadratic']
    """
    from warmup_theory.numerics.problems import cosh_problem, pl_hard_problem, quadratic_problem
    from warmup_theory.theory.hard_functions import cosh_start, pl_hard_start

    pl = mu is not None
    m = float(mu) if mu is not None else H0  # the hard member's curvature at 0 (aiming: μ = H0)
    cap = None if pl else dist0
    cands: list[Member] = []
    if m <= H0:
        if H1 > 0:
            cands.append(_member("hard", f"PL hard function (H1={H1:g}, mu={m:g})", pl_hard_problem(H0, H1, m),
                                 pl_hard_start(H1, m, gap0), cap, gap0, "Thm 4.1(3) hard function"))
            cands.append(_member("cosh", f"({H0:g}/{H1:g})(cosh(sqrt({H1:g}) w) - 1)", cosh_problem(H0, H1),
                                 cosh_start(H0, H1, gap0), cap, gap0, "equality case f'' = H0 + H1 f"))
        else:
            cands.append(_member("hard", f"({m:g}/2) w^2", quadratic_problem([m]),
                                 math.sqrt(2 * gap0 / m), cap, gap0, "Thm 4.1(3) hard function at H1 = 0"))
            cands.append(_member("cosh", f"({H0:g}/2) w^2", quadratic_problem([H0]),
                                 math.sqrt(2 * gap0 / H0), cap, gap0, "equality case at H1 = 0"))
    if pl and m <= H0:
        cands.append(_member("quadratic", f"({m:g}/2) w^2", quadratic_problem([m]),
                             math.sqrt(2 * gap0 / m), None, gap0, "witness of Thm 4.1(3) (corrected)"))
    elif not pl and dist0 is not None and dist0 > 0:
        lam = min(H0, 2 * gap0 / dist0**2, 2 * math.e * eps / dist0**2)
        cands.append(_member("quadratic", f"({lam:.6g}/2) w^2", quadratic_problem([lam]), dist0, None, gap0,
                             "witness of Thm 4.1(1-2) (toolkit's form)"))
    return [c for c in cands if _in_class(c.problem, H0, H1, mu, theta)]


def _in_class(problem: Any, H0: float, H1: float, mu: float | None, theta: float | None) -> bool:
    """The member's certified constants put it in the class: H0_m <= H0, H1_m <= H1, μ_m >= μ, θ_m >= θ."""
    c = problem.constants()
    tol = 1e-12
    if float(c["H0"]) > H0 * (1 + tol) or float(c["H1"]) > H1 * (1 + tol):
        return False
    if mu is not None and (c["mu"] is None or float(c["mu"]) < mu * (1 - tol)):
        return False
    return not (theta is not None and (c["theta"] is None or float(c["theta"]) < theta * (1 - tol)))
