"""Sweeps: iterations vs initial gap gap0 and vs eps, warm-up vs fixed steps, with their bounds.

One batched program (``record=True``) runs, on the cosh function (H0, H1) = (1, 1) (μ = 1) and on
the lower bound's witness q(w) = w²/2 of the same class (H0, H1, μ) = (1, 1, 1), every gap0 of the
grid with the schedules ``warmup`` (Eq. 1), ``warmup-family`` (best proven (a, b)),
``fixed-stable`` (η = 1/(H0 + H1·gap0)) and the ``fixed-oracle`` grid, down to the smallest eps.
The observed count for any larger eps is read off the recorded gap history (first k with
gap_k <= eps), so one program gives both sweeps.

Bounds per point (``theory.bounds``): Thm 4.3 corrected (warm-up, closed), the warm-up and family
recursions, the fixed-step closed form and recursion, and the fixed step's lower bound
(Thm 4.1(3) corrected, with η = the fixed-stable step) — a statement about the *class*, attained on
the witness q; the cosh curve may lie below it.

The expected shape (NOTES §5): the fixed step's count grows **multiplicatively** with H1·gap0
(≈ (H0 + H1·gap0)/μ · log(gap0/eps)), the warm-up's **additively** (≈ 40·H1·gap0/μ + (20H0/μ)·log).
:func:`findings` reports what the runs show, including where the fixed step wins.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from numerics.table.spec import ORACLE_RATIO, Instance, _instance

__all__ = ["SweepResult", "SWEEP_SCHEDULES", "run_sweeps", "first_hits", "findings"]

SWEEP_SCHEDULES: tuple[str, ...] = ("warmup", "warmup-family", "fixed-stable", "fixed-oracle")


def first_hits(gap_history: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """[E, B] first index k with gap_history[k, b] <= eps[e] (-1 if never); NaN rows are skipped.

    >>> h = np.array([[4.0, 1.0], [2.0, np.nan], [0.5, np.nan]])
    >>> first_hits(h, np.array([3.0, 1.0])).tolist()
    [[1, 0], [2, 0]]
    """
    out = np.full((len(eps), gap_history.shape[1]), -1, dtype=np.int64)
    g = np.where(np.isnan(gap_history), np.inf, gap_history)
    for e, ev in enumerate(eps):
        hit = g <= ev
        anyhit = hit.any(axis=0)
        out[e] = np.where(anyhit, hit.argmax(axis=0), -1)
    return out


@dataclass
class SweepResult:
    """observed[problem][schedule] → array [len(gap0s), len(epss)] (NaN = not reached); bounds alike."""

    gap0s: np.ndarray
    epss: np.ndarray
    problems: list[str]
    observed: dict[str, dict[str, np.ndarray]]
    bounds: dict[str, dict[str, np.ndarray]]
    seconds: float
    runs: int
    loop_iterations: int
    device: str
    meta: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """Long format: one dict per (problem, gap0, eps) with every schedule's count and bound."""
        out = []
        for p in self.problems:
            for i, g0 in enumerate(self.gap0s):
                for j, e in enumerate(self.epss):
                    d: dict[str, Any] = {"problem": p, "gap0": float(g0), "eps": float(e)}
                    for s, arr in self.observed[p].items():
                        d[f"observed_{s}"] = _cell(arr[i, j])
                    for b, arr in self.bounds[p].items():
                        d[b] = _cell(arr[i, j])
                    out.append(d)
        return out


def _cell(x: float) -> float | int | None:
    if x is None or not np.isfinite(x):
        return None
    return int(x) if float(x).is_integer() else float(x)


def _bound(fn, *args, **kw) -> float:
    try:
        v = fn(*args, **kw)
    except ValueError:
        return math.nan
    if hasattr(v, "converged"):
        return float(v.iterations) if v.converged else math.nan
    return float(v)


def run_sweeps(*, quick: bool = False, device: str = "cpu", seed: int = 0, grid: int = 16,
               max_iter: int = 60_000) -> SweepResult:
    """Run the gap0 / eps sweep program (see module docstring)."""
    import theory.bounds as tb
    from numerics.gd import run_gd
    from numerics.problems import cosh_problem, quadratic_problem
    from numerics.table.runner import StackedProblem
    from numerics.table.spec import start_at_gap

    H0, H1, mu = 1.0, 1.0, 1.0
    # grids sized for the time budget (default run <= 2 min, --quick <= 20 s on 2 shared cores)
    gap0s = np.logspace(0, 2, 3) if quick else np.logspace(0, 2.5, 6)
    epss = np.logspace(-1, -4, 4) if quick else np.logspace(-1, -8, 8)
    problems = {"cosh(H0=1,H1=1)": cosh_problem(H0, H1), "pl_witness q=w^2/2 (H0=1,H1=1,mu=1)": quadratic_problem([mu])}
    names = list(problems)
    plist = list(problems.values())
    alphas, betas, blocks, w0s, index = [], [], [], [], {}
    for bi, (name, p) in enumerate(problems.items()):
        for gi, g0 in enumerate(gap0s):
            w0 = start_at_gap(p, np.zeros(1), np.ones(1), float(g0))
            eta_fs = 1.0 / (H0 + H1 * g0)
            sched = {"warmup": [(10 * H0, 20 * H1)],
                     "warmup-family": [(tb.BEST_ADAPTIVE_FAMILY[0] * H0, tb.BEST_ADAPTIVE_FAMILY[1] * H1)],
                     "fixed-stable": [(1.0 / eta_fs, 0.0)],
                     "fixed-oracle": [(1.0 / (eta_fs * ORACLE_RATIO**j), 0.0) for j in range(grid)]}
            for s, params in sched.items():
                ids = []
                for a, b in params:
                    ids.append(len(alphas))
                    alphas.append(a); betas.append(b); blocks.append(bi); w0s.append(w0)
                index[(name, gi, s)] = ids
    stacked = StackedProblem(plist, blocks)
    t0 = time.perf_counter()
    res = run_gd(stacked, np.array(w0s), np.array(alphas), np.array(betas), eps=float(epss.min()),
                 max_iter=max_iter, record=True, device=device)
    seconds = time.perf_counter() - t0
    hits = first_hits(res.gap_history, epss)          # [E, B]
    observed: dict[str, dict[str, np.ndarray]] = {}
    bounds: dict[str, dict[str, np.ndarray]] = {}
    for name in names:
        obs = {s: np.full((len(gap0s), len(epss)), np.nan) for s in SWEEP_SCHEDULES}
        bd = {k: np.full((len(gap0s), len(epss)), np.nan) for k in
              ("warmup_upper_closed", "warmup_upper_recursive", "family_upper_recursive",
               "fixed_upper_closed", "fixed_upper_recursive", "fixed_lower")}
        for gi, g0 in enumerate(gap0s):
            g0m = float(res.gap0[index[(name, gi, 'warmup')][0]])   # measured gap0
            eta_fs = 1.0 / (H0 + H1 * g0)
            for ei, e in enumerate(epss):
                for s in SWEEP_SCHEDULES:
                    ks = [int(hits[ei, r]) for r in index[(name, gi, s)] if hits[ei, r] >= 0]
                    obs[s][gi, ei] = min(ks) if ks else np.nan
                a, b = tb.BEST_ADAPTIVE_FAMILY
                bd["warmup_upper_closed"][gi, ei] = _bound(tb.pl_adaptive_iterations, H0, H1, mu, g0m, e)
                bd["warmup_upper_recursive"][gi, ei] = _bound(tb.pl_adaptive_recursion_iterations, H0, H1, mu,
                                                              g0m, e, a=10, b=20, max_iter=2_000_000)
                bd["family_upper_recursive"][gi, ei] = _bound(tb.pl_adaptive_recursion_iterations, H0, H1, mu,
                                                              g0m, e, a=a, b=b, max_iter=2_000_000)
                bd["fixed_upper_closed"][gi, ei] = _bound(tb.pl_fixed_iterations, H0, H1, mu, g0m, e,
                                                          eta=1.0 / (H0 + H1 * g0m))
                bd["fixed_upper_recursive"][gi, ei] = _bound(tb.pl_fixed_recursion_iterations, H0, H1, mu, g0m,
                                                             e, eta=1.0 / (H0 + H1 * g0m), max_iter=2_000_000)
                bd["fixed_lower"][gi, ei] = _bound(tb.pl_fixed_lower_iterations, H0, H1, mu, g0m, e,
                                                   eta=eta_fs)
        observed[name], bounds[name] = obs, bd
    return SweepResult(gap0s, epss, names, observed, bounds, seconds, len(alphas), res.loop_iterations,
                       res.device, meta={"H0": H0, "H1": H1, "mu": mu, "oracle_grid": grid,
                                         "eps_min": float(epss.min()), "seed": seed})


def sweep_violations(sw: SweepResult) -> list[str]:
    """Invariants on the sweep: observed <= upper bounds (warm-up, family, fixed), witness >= lower."""
    from numerics.table.invariants import check_lower, check_upper

    out = []
    pairs = [("warmup", "warmup_upper_closed"), ("warmup", "warmup_upper_recursive"),
             ("warmup-family", "family_upper_recursive"), ("fixed-stable", "fixed_upper_closed"),
             ("fixed-stable", "fixed_upper_recursive")]
    for p in sw.problems:
        for gi, g0 in enumerate(sw.gap0s):
            for ei, e in enumerate(sw.epss):
                for s, b in pairs:
                    o, u = sw.observed[p][s][gi, ei], sw.bounds[p][b][gi, ei]
                    if np.isnan(u):
                        continue
                    msg = check_upper(observed=None if np.isnan(o) else int(o),
                                      status="converged" if not np.isnan(o) else "max_iter",
                                      upper=float(u), max_iter=None)
                    if msg and not msg.startswith("max_iter=None"):
                        out.append(f"{p} gap0={g0:.3g} eps={e:.0e} {s}: {b}: {msg}")
                if "witness" in p:
                    o, lo = sw.observed[p]["fixed-stable"][gi, ei], sw.bounds[p]["fixed_lower"][gi, ei]
                    if not np.isnan(lo) and not np.isnan(o):
                        msg = check_lower(observed=int(o), status="converged", lower=float(lo), max_iter=None)
                        if msg:
                            out.append(f"{p} gap0={g0:.3g} eps={e:.0e} fixed-stable: lower: {msg}")
    return out


def findings(sw: SweepResult) -> list[str]:
    """Plain statements of who wins where (non-oracle schedules), read off the runs."""
    out = []
    eidx = int(np.argmin(np.abs(np.log10(sw.epss) + 6))) if sw.epss.min() <= 1e-6 else len(sw.epss) - 1
    e = sw.epss[eidx]
    for p in sw.problems:
        o = sw.observed[p]
        wins_fixed = [g for gi, g in enumerate(sw.gap0s) if o["fixed-stable"][gi, eidx] < o["warmup"][gi, eidx]]
        wins_warm = [g for gi, g in enumerate(sw.gap0s) if o["warmup"][gi, eidx] < o["fixed-stable"][gi, eidx]]
        ratio = [o["fixed-stable"][gi, eidx] / max(o["warmup"][gi, eidx], 1) for gi in range(len(sw.gap0s))]
        out.append(
            f"{p}, eps={e:.0e}: Eq. (1) warm-up beats the fixed-stable step at gap0 in "
            f"{_fmt_list(wins_warm)}; the fixed-stable step wins at gap0 in {_fmt_list(wins_fixed)} "
            f"(fixed/warm-up iteration ratio from {ratio[0]:.3g} at gap0={sw.gap0s[0]:.3g} to {ratio[-1]:.3g} "
            f"at gap0={sw.gap0s[-1]:.3g}); warmup-family (best proven (a,b)) needs the fewest iterations of these three "
            f"non-oracle schedules at every gap0: "
            f"{all(o['warmup-family'][gi, eidx] <= min(o['warmup'][gi, eidx], o['fixed-stable'][gi, eidx]) for gi in range(len(sw.gap0s)))}")
        g_lo, g_hi = o["fixed-stable"][0, eidx], o["fixed-stable"][-1, eidx]
        w_lo, w_hi = o["warmup"][0, eidx], o["warmup"][-1, eidx]
        out.append(f"{p}: from gap0={sw.gap0s[0]:.3g} to {sw.gap0s[-1]:.3g} the fixed-stable count grows "
                   f"x{g_hi / g_lo:.3g} ({g_lo:.0f} -> {g_hi:.0f}), the warm-up count x{w_hi / w_lo:.3g} "
                   f"({w_lo:.0f} -> {w_hi:.0f})")
    return out


def _fmt_list(xs: list[float]) -> str:
    return "{" + ", ".join(f"{x:.3g}" for x in xs) + "}" if xs else "{} (none)"
