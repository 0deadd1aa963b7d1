r"""``compare``: is the warm-up provably faster than every class-stable fixed step, and what do the runs say?

For the class of (H0,H1)-smooth f (Definition 3.1, v2: ‖∇²f(w)‖₂ <= H0 + H1·(f(w) − f*)) that are μ-PL
(‖∇f‖² >= 2μ(f − f*)) or θ-aiming (⟨∇f(w), w − w*⟩ >= θ(f − f*), start distance <= dist0), start gap
Δ0 = gap0 and accuracy eps, one call gathers

* every schedule's proven upper bound (``warmup_theory.theory.bounds``):

  ==============  ===============================  ==================================================
  schedule        step η_k                         proven <= (μ-PL / θ-aiming)
  ==============  ===============================  ==================================================
  warmup          1/(10·H0 + 20·H1·Δ_k), Eq. (1)   min(Thm 4.3 corrected, contraction) / Thm 4.2′
  warmup-family   1/(a·H0 + b·H1·Δ_k), best (a,b)  min(family Thm 4.3, contraction) / none proven
  fixed 1/L0      1/(H0 + H1·Δ0) (aiming: its       pl_fixed_iterations / aiming_fixed_iterations
                  aiming_fixed_default_step)
  fixed eta_bar   η̄, the largest class-stable      the same at η̄ when η̄ is in their range
  ==============  ===============================  ==================================================

  (contraction = :func:`warmup_theory.theory.bounds.pl_adaptive_contraction_iterations`, classical at H1 = 0)
* the fixed steps' proven lower bounds (Thm 4.1(3) corrected / Thm 4.1(1–2) toolkit's form): GD with that
  step needs at least that many iterations on the quadratic member; the η̄ row's lower bound holds for
  *every* class-stable fixed step (the count decreases in η);
* the counts observed on the class's extremal members (:mod:`.members`), all schedules × members in one
  batched :func:`warmup_theory.numerics.gd.run_gd` program (float64);
* a verdict: the warm-up is *provably* faster when its best proven count is below the lower bound of every
  class-stable fixed step.  Each observed count is checked against the bounds it must satisfy (``broken``).

>>> r = compare(1.0, 10.0, theta=1.0, dist0=1.0, gap0=1e3, eps=0.1, max_iter=5000)
>>> r.provably_faster, r.rows[0].upper, r.rows[3].lower          # warm-up <= 167 < 464 <= any fixed step
(True, 167.0, 464.0)
>>> r.rows[0].observed["hard"], r.rows[3].observed["hard"], r.rows[2].status["hard"]
(36, 278, 'max_iter')
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from warmup_theory.numerics.comparison.members import Member, class_members
from warmup_theory.numerics.comparison.result import Comparison, ScheduleComparison, fmt_count
from warmup_theory.theory.validate import check_scalar

__all__ = ["compare"]


def _try(fn: Callable[[], Any]) -> float | None:
    try:
        v = float(fn())
    except ValueError:
        return None
    return None if math.isnan(v) else v


def _min(*xs: float | None) -> float | None:
    vals = [x for x in xs if x is not None]
    return min(vals) if vals else None


def _check(H0: Any, H1: Any, mu: Any, theta: Any, gap0: Any, eps: Any, dist0: Any, max_iter: Any
           ) -> tuple[float, float, float | None, float | None, float, float, float | None]:
    H0 = check_scalar("H0", H0, low=0, low_open=True)
    H1 = check_scalar("H1", H1, low=0)
    gap0 = check_scalar("gap0", gap0, low=0, low_open=True)
    eps = check_scalar("eps", eps, low=0, low_open=True)
    if (mu is None) == (theta is None):
        raise ValueError("pass exactly one of mu (the mu-PL class) or theta (the theta-aiming class)")
    if mu is not None:
        mu = check_scalar("mu", mu, low=0, low_open=True)
        if mu > H0:
            raise ValueError(f"mu must be in (0, H0] = (0, {H0!r}] (the mu-PL class has no non-constant member "
                             f"with mu > H0), got {mu!r}")
    if theta is not None:
        theta = check_scalar("theta", theta, low=0, low_open=True, high=2)
        if dist0 is None:
            raise ValueError("dist0 (the start distance to the minimisers, > 0) is required with theta")
    if dist0 is not None:
        dist0 = check_scalar("dist0", dist0, low=0, low_open=True)
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or not 1 <= int(max_iter) <= 10**8:
        raise ValueError(f"max_iter must be an integer in [1, 1e8], got {max_iter!r}")
    return H0, H1, mu, theta, gap0, eps, dist0


def _rows(H0: float, H1: float, mu: float | None, theta: float | None, gap0: float, eps: float,
          dist0: float | None) -> list[tuple[ScheduleComparison, float, float]]:
    """(row without observations, alpha, beta) per schedule: η_k = 1/(alpha + beta·Δ_k)."""
    import warmup_theory.theory.bounds as tb

    L0 = H0 + H1 * gap0
    a, b = (float(v) for v in tb.BEST_ADAPTIVE_FAMILY)
    out = []
    if mu is not None:
        up_w = _min(_try(lambda: tb.pl_adaptive_iterations(H0, H1, mu, gap0, eps)),
                    _try(lambda: tb.pl_adaptive_contraction_iterations(H0, H1, mu, gap0, eps, 10, 20)))
        up_f = _min(_try(lambda: tb.pl_adaptive_family_iterations(H0, H1, mu, gap0, eps, a, b)),
                    _try(lambda: tb.pl_adaptive_contraction_iterations(H0, H1, mu, gap0, eps, a, b)))
        eta1 = 1.0 / L0
        up_1 = _try(lambda: tb.pl_fixed_iterations(H0, H1, mu, gap0, eps))
        lo_1 = _try(lambda: tb.pl_fixed_lower_iterations(H0, H1, mu, gap0, eps, eta=eta1))
        eta_bar = float(tb.pl_fixed_step_upper(H0, H1, mu, gap0))
        up_b = _try(lambda: tb.pl_fixed_iterations(H0, H1, mu, gap0, eps, eta=eta_bar))
        lo_b = _try(lambda: tb.pl_fixed_lower_iterations(H0, H1, mu, gap0, eps))
        src = ("min(Thm 4.3 corrected, contraction bound)", "min(Thm 4.3 family, contraction bound) (toolkit)",
               "pl_fixed_iterations", "Thm 4.1(3) (corrected)")
    else:
        assert theta is not None and dist0 is not None
        up_w = _try(lambda: tb.aiming_adaptive_iterations(H0, H1, theta, dist0, eps, gap0=gap0))
        up_f = None
        eta1 = float(tb.aiming_fixed_default_step(H0, H1, theta, gap0))
        up_1 = _try(lambda: tb.aiming_fixed_iterations(H0, H1, theta, gap0, dist0, eps))
        lo_1 = _try(lambda: tb.aiming_fixed_lower_iterations(H0, H1, theta, gap0, dist0, eps, eta=eta1))
        eta_bar = float(tb.aiming_fixed_step_upper(H0, H1, theta, gap0))
        up_b = _try(lambda: tb.aiming_fixed_iterations(H0, H1, theta, gap0, dist0, eps, eta=eta_bar))
        lo_b = _try(lambda: tb.aiming_fixed_lower_iterations(H0, H1, theta, gap0, dist0, eps))
        src = ("Thm 4.2 (toolkit's form)", "none proven under aiming", "aiming_fixed_iterations",
               "Thm 4.1(1-2) (toolkit's form)")
    out.append((ScheduleComparison("warmup", "1/(10 H0 + 20 H1 gap_k)", 1 / (10 * H0 + 20 * H1 * gap0), up_w, src[0],
                                   None, ""), 10 * H0, 20 * H1))
    out.append((ScheduleComparison("warmup-family", f"1/({a:g} H0 + {b:g} H1 gap_k)", 1 / (a * H0 + b * H1 * gap0),
                                   up_f, src[1], None, ""), a * H0, b * H1))
    out.append((ScheduleComparison("fixed 1/L0", f"{eta1:.4g}", eta1, up_1, src[2], lo_1, src[3]), 1 / eta1, 0.0))
    if math.isfinite(eta_bar):
        out.append((ScheduleComparison("fixed eta_bar", f"{eta_bar:.4g}", eta_bar, up_b, src[2], lo_b,
                                       src[3] + ", every class-stable step"), 1 / eta_bar, 0.0))
    return out


def _observe(members: list[Member], params: list[tuple[float, float]], eps: float, max_iter: int, device: Any
             ) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Per member one batched GD program over the schedules (the members' closed-form gradients keep each
    iteration cheap); (iterations, status, gap_increased) as [M, S]."""
    from warmup_theory.numerics.gd import run_gd

    alpha = np.asarray([a for a, _b in params])
    beta = np.asarray([b for _a, b in params])
    its: list[np.ndarray] = []
    inc: list[np.ndarray] = []
    status: list[str] = []
    for m in members:
        res = run_gd(m.problem, [[m.w0]] * len(params), alpha, beta, eps=eps, max_iter=max_iter, device=device,
                     sync_every=256)
        its.append(res.iterations)
        inc.append(res.gap_increased)
        status.extend(res.status)
    return np.asarray(its).reshape(len(members), len(params)), status, np.asarray(inc).reshape(len(members), -1)


def compare(H0: float, H1: float, *, mu: float | None = None, theta: float | None = None, gap0: float,
            eps: float, dist0: float | None = None, max_iter: int = 100_000, device: Any = None) -> Comparison:
    """Warm-up vs fixed steps for the (H0,H1) class with μ-PL (``mu``) or θ-aiming (``theta``, ``dist0``).

    Returns a :class:`~warmup_theory.numerics.comparison.result.Comparison` (module docstring): proven upper
    bounds per schedule, the fixed steps' proven lower bounds, the counts observed on the hard, cosh and
    quadratic members (runs stopped at ``max_iter`` are reported as such), and the verdict.
    Raises ``ValueError`` naming the argument for invalid input (μ must be in (0, H0], θ in (0, 2]).

    >>> print(compare(1.0, 1.0, mu=0.5, gap0=10.0, eps=1e-3).verdict.split(";")[0])
    proven: the warm-up needs <= 76 iterations (warmup-family)
    """
    t0 = time.perf_counter()
    H0, H1, mu, theta, gap0, eps, dist0 = _check(H0, H1, mu, theta, gap0, eps, dist0, max_iter)
    members = class_members(H0, H1, mu=mu, theta=theta, gap0=gap0, eps=eps, dist0=dist0)
    built = _rows(H0, H1, mu, theta, gap0, eps, dist0)
    its, status, inc = _observe(members, [(a, b) for _, a, b in built], eps, max_iter, device)
    rows, broken = [], []
    for s, (row, _a, _b) in enumerate(built):
        obs = {m.name: (int(its[i, s]) if status[i * len(built) + s] == "converged" else None)
               for i, m in enumerate(members)}
        st = {m.name: status[i * len(built) + s] for i, m in enumerate(members)}
        gi = {m.name: bool(inc[i, s]) for i, m in enumerate(members)}
        for name, k in obs.items():
            # a run that diverged, or stopped at max_iter >= the bound, contradicts it as much as a larger count
            missed = k is None and (st[name] == "diverged" or row.upper is not None and row.upper <= max_iter)
            if row.upper is not None and (missed or k is not None and k > row.upper):
                broken.append(f"{row.schedule} on {name}: observed {st[name] if k is None else k} > proven "
                              f"{fmt_count(row.upper)}")
        q = obs.get("quadratic")
        if row.lower is not None and q is not None and q < row.lower:
            broken.append(f"{row.schedule} on quadratic: observed {q} < proven lower {fmt_count(row.lower)}")
        rows.append(ScheduleComparison(row.schedule, row.step, row.eta0, row.upper, row.upper_source, row.lower,
                                       row.lower_source, obs, st, gi))
    faster, verdict = _verdict(rows)
    inputs = {"H0": H0, "H1": H1, "mu": mu, "theta": theta, "gap0": gap0, "eps": eps, "dist0": dist0}
    return Comparison(inputs=inputs, members=tuple(members), rows=tuple(rows), verdict=verdict,
                      provably_faster=faster, broken=tuple(broken), max_iter=max_iter,
                      seconds=time.perf_counter() - t0)


def _verdict(rows: list[ScheduleComparison]) -> tuple[bool | None, str]:
    warm = [r for r in rows if r.schedule.startswith("warmup") and r.upper is not None]
    every = next((r for r in rows if r.schedule == "fixed eta_bar"), None)
    parts = []
    best = min(warm, key=lambda r: float(r.upper or 0.0)) if warm else None  # upper is set: filtered above
    if best is not None:
        parts.append(f"proven: the warm-up needs <= {fmt_count(best.upper)} iterations ({best.schedule})")
    else:
        parts.append("no warm-up bound is proven for this class")
    lower = every.lower if every is not None else None
    if lower is not None:
        parts.append(f"every class-stable fixed step needs >= {fmt_count(lower)} on some member")
    else:
        parts.append("no lower bound for every class-stable fixed step applies here")
    faster: bool | None = None
    if best is not None and best.upper is not None and lower is not None:
        faster = best.upper < lower
        parts.append("so the warm-up is provably faster here" if faster else
                     "so the warm-up is not provably faster here (the bounds overlap)")
    hard = [r for r in rows if "hard" in r.status]
    if hard:
        parts.append("observed on the hard member: " + ", ".join(f"{r.schedule} {r.observed_cell('hard')}"
                                                                 for r in hard))
    return faster, "; ".join(parts)
