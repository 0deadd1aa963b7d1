"""Sweeps: iterations vs initial gap gap0 and vs eps, warm-up vs fixed steps, with their bounds.

One batched program (``record=True``) runs, on the cosh function (H0, H1) = (1, 1) (μ = 1) and on
the lower bound's witness q(w) = w²/2 of the same class (H0, H1, μ) = (1, 1, 1), every gap0 of the
grid with the schedules ``warmup`` (Eq. 1), ``warmup-family`` (best proven (a, b)),
``fixed-stable`` (η = 1/(H0 + H1·gap0)) and the ``fixed-oracle`` grid, down to the smallest eps.
The observed count for any larger eps is read off the recorded gap history (first k with
gap_k <= eps), so one program gives both sweeps.

Bounds per point (``warmup_theory.theory.bounds``): Thm 4.3 corrected (warm-up, closed), the warm-up and family
recursions, the fixed-step closed form and recursion, and the fixed step's lower bound
(Thm 4.1(3) corrected) — a statement about the *class*, attained on the witness q; the cosh curve
may lie below it.  The fixed-step bounds use the η the fixed-stable run used (1/alpha of that run).
A bound that cannot be computed is recorded with its reason (``SweepResult.bound_errors``), never
silently skipped.

Per-eps counts: the first k with gap_k <= eps of a run that had not diverged before k; the point's
status is ``converged`` then, else the run's own status (``diverged`` / ``max_iter``).
:func:`sweep_checks` checks every point with that status and the engine's ``max_iter`` (a run that
never reached eps is a violation when it diverged or stopped at max_iter >= the bound, undecided
otherwise) and the descent invariant of every Eq. (1) / family / fixed-stable run, and counts only
decided points.

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

from warmup_theory.numerics.table.spec import ORACLE_RATIO

__all__ = ["SweepResult", "SweepCheck", "SWEEP_SCHEDULES", "DESCENT_SCHEDULES", "UPPER_PAIRS", "run_sweeps",
           "first_hits", "findings", "sweep_checks", "sweep_violations"]

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
    """observed[problem][schedule] → array [len(gap0s), len(epss)] (NaN = not reached); bounds alike.

    ``status[problem][schedule]`` → object array [G, E] of ``"converged"`` (eps reached, before any
    divergence), ``"diverged"`` or ``"max_iter"`` (eps not reached; the run's own status); ``None``
    when unknown (the checks then call every unreached point undecided).  ``runs[problem][schedule]``
    → list over gap0 of the run's ``{"status", "gap_increased", "first_increase", "gap0" (measured),
    "eta0" (its first step)}`` (non-oracle schedules).  ``max_iter``: the engine's cap (None: unknown).
    ``bound_errors``: one entry per
    bound cell that could not be computed (``(problem, bound, gap0, eps, reason)``).
    """

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
    status: dict[str, dict[str, np.ndarray]] | None = None
    run_info: dict[str, dict[str, list[dict[str, Any]]]] | None = None
    max_iter: int | None = None
    bound_errors: list[tuple[str, str, float, float, str]] = field(default_factory=list)

    def point_status(self, p: str, s: str, gi: int, ei: int) -> str | None:
        """Status of run (problem ``p``, schedule ``s``, gap0 index ``gi``, eps index ``ei``): converged, diverged,
        max_iter, or None when not recorded."""
        if self.status is None or p not in self.status or s not in self.status[p]:
            return None
        v = self.status[p][s][gi, ei]
        return None if v is None else str(v)

    def rows(self, check: SweepCheck | None = None) -> list[dict[str, Any]]:
        """Long format: one dict per (problem, gap0, eps) with every schedule's count, status and bound,
        and (with ``check``) the point's ``invariants`` verdict (ok / broken: … / undecided: …)."""
        out = []
        for p in self.problems:
            for i, g0 in enumerate(self.gap0s):
                for j, e in enumerate(self.epss):
                    d: dict[str, Any] = {"problem": p, "gap0": float(g0), "eps": float(e)}
                    for s, arr in self.observed[p].items():
                        d[f"observed_{s}"] = _cell(arr[i, j])
                        d[f"status_{s}"] = self.point_status(p, s, i, j) or ""
                    for b, arr in self.bounds[p].items():
                        d[b] = _cell(arr[i, j])
                    if check is not None:
                        d["invariants"] = check.verdicts.get((p, i, j), "undecided: no check")
                    out.append(d)
        return out


def _cell(x: float) -> float | int | None:
    if x is None or not np.isfinite(x):
        return None
    return int(x) if float(x).is_integer() else float(x)


def _bound(fn, *args, **kw) -> tuple[float, str]:
    """(value, "") or (NaN, why it could not be computed) — the reason is kept, never dropped."""
    try:
        v = fn(*args, **kw)
    except (ValueError, ZeroDivisionError, OverflowError) as exc:
        return math.nan, f"{type(exc).__name__}: {exc}"
    if hasattr(v, "converged"):
        return (float(v.iterations), "") if v.converged else (math.nan, "recursion did not finish within its cap")
    v = float(v)
    return (v, "") if not math.isnan(v) else (math.nan, "bound evaluated to NaN")


#: Sweep schedules whose proofs rest on the descent lemma (never diverge, never increase the gap).
DESCENT_SCHEDULES: tuple[str, ...] = ("warmup", "warmup-family", "fixed-stable")


def run_sweeps(*, quick: bool = False, device: str = "cpu", seed: int = 0, grid: int = 16,
               max_iter: int = 60_000) -> SweepResult:
    """Run the gap0 / eps sweep program (see module docstring)."""
    import warmup_theory.theory.bounds as tb
    from warmup_theory.numerics.gd import run_gd
    from warmup_theory.numerics.problems import cosh_problem, quadratic_problem
    from warmup_theory.numerics.table.runner import StackedProblem
    from warmup_theory.numerics.table.spec import start_at_gap

    H0, H1, mu = 1.0, 1.0, 1.0
    # grids sized for the time budget (default run <= 2 min, --quick <= 20 s on 2 shared cores)
    gap0s = np.logspace(0, 2, 3) if quick else np.logspace(0, 2.5, 6)
    epss = np.logspace(-1, -4, 4) if quick else np.logspace(-1, -8, 8)
    problems = {"cosh(H0=1,H1=1)": cosh_problem(H0, H1), "pl_witness q=w^2/2 (H0=1,H1=1,mu=1)": quadratic_problem([mu])}
    names = list(problems)
    plist = list(problems.values())
    alphas: list[float] = []
    betas: list[float] = []
    blocks: list[int] = []
    w0s: list[np.ndarray] = []
    index: dict[tuple[str, int, str], list[int]] = {}
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
                    alphas.append(a)
                    betas.append(b)
                    blocks.append(bi)
                    w0s.append(w0)
                index[(name, gi, s)] = ids
    stacked = StackedProblem(plist, blocks)
    t0 = time.perf_counter()
    res = run_gd(stacked, np.array(w0s), np.array(alphas), np.array(betas), eps=float(epss.min()),
                 max_iter=max_iter, record=True, device=device)
    seconds = time.perf_counter() - t0
    assert res.gap_history is not None  # record=True
    hits = first_hits(res.gap_history, epss)          # [E, B]
    # a hit counts only if the run had not diverged before it (gap history stops at the divergence)
    diverged = np.array([st == "diverged" for st in res.status])
    valid = (hits >= 0) & ~(diverged[None, :] & (hits >= np.asarray(res.stopped_at)[None, :]))
    observed: dict[str, dict[str, np.ndarray]] = {}
    bounds: dict[str, dict[str, np.ndarray]] = {}
    status: dict[str, dict[str, np.ndarray]] = {}
    run_info: dict[str, dict[str, list[dict[str, Any]]]] = {}
    errors: list[tuple[str, str, float, float, str]] = []
    for name in names:
        obs = {s: np.full((len(gap0s), len(epss)), np.nan) for s in SWEEP_SCHEDULES}
        sts = {s: np.full((len(gap0s), len(epss)), None, dtype=object) for s in SWEEP_SCHEDULES}
        info: dict[str, list[dict[str, Any]]] = {s: [] for s in DESCENT_SCHEDULES}
        bd = {k: np.full((len(gap0s), len(epss)), np.nan) for k in
              ("warmup_upper_closed", "warmup_upper_recursive", "family_upper_recursive",
               "fixed_upper_closed", "fixed_upper_recursive", "fixed_lower")}
        for gi, g0 in enumerate(gap0s):
            g0m = float(res.gap0[index[(name, gi, 'warmup')][0]])   # measured gap0
            r_fs = index[(name, gi, "fixed-stable")][0]
            eta_run = 1.0 / float(res.alpha[r_fs])                 # the very step the fixed-stable run used
            for s in DESCENT_SCHEDULES:
                r = index[(name, gi, s)][0]
                info[s].append({"status": res.status[r], "gap_increased": bool(res.gap_increased[r]),
                                "first_increase": int(res.first_increase[r]), "gap0": g0m,
                                "eta0": 1.0 / (float(res.alpha[r]) + float(res.beta[r]) * g0m)})
            for ei, e in enumerate(epss):
                for s in SWEEP_SCHEDULES:
                    ids = index[(name, gi, s)]
                    ks = [int(hits[ei, r]) for r in ids if valid[ei, r]]
                    obs[s][gi, ei] = min(ks) if ks else np.nan
                    if ks:
                        sts[s][gi, ei] = "converged"
                    else:
                        sts[s][gi, ei] = "diverged" if all(res.status[r] == "diverged" for r in ids) else (
                            "max_iter" if all(res.status[r] in ("diverged", "max_iter") for r in ids)
                            else "converged-without-hit")
                a, b = tb.BEST_ADAPTIVE_FAMILY
                vals = {
                    "warmup_upper_closed": _bound(tb.pl_adaptive_iterations, H0, H1, mu, g0m, e),
                    "warmup_upper_recursive": _bound(tb.pl_adaptive_recursion_iterations, H0, H1, mu, g0m, e,
                                                     a=10, b=20, max_iter=2_000_000),
                    "family_upper_recursive": _bound(tb.pl_adaptive_recursion_iterations, H0, H1, mu, g0m, e,
                                                     a=a, b=b, max_iter=2_000_000),
                    "fixed_upper_closed": _bound(tb.pl_fixed_iterations, H0, H1, mu, g0m, e, eta=eta_run),
                    "fixed_upper_recursive": _bound(tb.pl_fixed_recursion_iterations, H0, H1, mu, g0m, e,
                                                    eta=eta_run, max_iter=2_000_000),
                    "fixed_lower": _bound(tb.pl_fixed_lower_iterations, H0, H1, mu, g0m, e, eta=eta_run),
                }
                for k, (v, why) in vals.items():
                    bd[k][gi, ei] = v
                    if why:
                        errors.append((name, k, float(g0), float(e), why))
        observed[name], bounds[name], status[name], run_info[name] = obs, bd, sts, info
    return SweepResult(gap0s, epss, names, observed, bounds, seconds, len(alphas), res.loop_iterations,
                       res.device, meta={"H0": H0, "H1": H1, "mu": mu, "oracle_grid": grid,
                                         "eps_min": float(epss.min()), "seed": seed, "max_iter": max_iter},
                       status=status, run_info=run_info, max_iter=max_iter, bound_errors=errors)


#: (schedule, bound) pairs checked as upper bounds at every sweep point.
UPPER_PAIRS: tuple[tuple[str, str], ...] = (
    ("warmup", "warmup_upper_closed"), ("warmup", "warmup_upper_recursive"),
    ("warmup-family", "family_upper_recursive"), ("fixed-stable", "fixed_upper_closed"),
    ("fixed-stable", "fixed_upper_recursive"))


@dataclass
class SweepCheck:
    """Verdicts of the sweep invariants.

    A *point* is one (problem, gap0, eps).  Its checks: every :data:`UPPER_PAIRS` bound (observed <=
    bound, with the point's status and the engine's ``max_iter``: a diverged run, or one stopped at
    max_iter >= bound, breaks it), the witness's lower bound, and the descent invariant of the runs
    of :data:`DESCENT_SCHEDULES` (never diverge, never increase the gap).  A point is *decided* when
    every check on it is decided — a bound that could not be computed, an unknown status, or
    max_iter below a bound leave it undecided.  ``violations`` / ``undecided`` hold messages;
    ``verdicts[(problem, gi, ei)]`` is ``ok`` / ``broken: …`` / ``undecided: …``.
    """

    violations: list[str]
    undecided: list[str]
    decided: int
    n_undecided: int
    broken_points: int
    bound_errors: list[str]
    verdicts: dict[tuple[str, int, int], str]

    @property
    def points(self) -> int:
        """Number of sweep points this check covers (decided + undecided + broken)."""
        return self.decided + self.n_undecided + self.broken_points

    def summary(self) -> str:
        """``hold`` only when nothing broke AND at least one point was decided."""
        errs = (f"; {len(self.bound_errors)} bound cells could not be computed" if self.bound_errors else "")
        counts = (f"{self.decided} points decided, {self.n_undecided} undecided, {self.broken_points} broken, "
                  f"of {self.points}{errs}")
        if self.violations:
            return f"BROKEN ({counts})"
        if self.decided == 0:
            return f"UNDECIDED: no point decided ({counts})"
        return f"hold ({counts})"


def sweep_checks(sw: SweepResult) -> SweepCheck:
    """Check every sweep point (see :class:`SweepCheck`)."""
    from warmup_theory.numerics.table.invariants import Unchecked, check_descent, check_lower, check_upper

    viol: list[str] = []
    unch: list[str] = []
    verdicts: dict[tuple[str, int, int], str] = {}
    n_dec = n_unch = n_bad = 0
    err_keys = {(p, b, g, e): why for p, b, g, e, why in sw.bound_errors}
    for p in sw.problems:
        for gi, g0 in enumerate(sw.gap0s):
            run_msgs: list[str] = []          # descent: one verdict per run, shared by all its eps points
            for s in DESCENT_SCHEDULES:
                ri = (sw.run_info or {}).get(p, {}).get(s)
                if ri is None:
                    continue
                m = check_descent(s, ri[gi]["status"], gap_increased=ri[gi]["gap_increased"],
                                  first_increase=ri[gi]["first_increase"], applies=True)
                if s == "fixed-stable" and ri[gi]["status"] == "diverged":
                    m = "class-stable fixed step diverged"
                if m:
                    run_msgs.append(f"{s}: descent: {m}")
                    viol.append(f"{p} gap0={g0:.3g} {s}: descent: {m}")
            for ei, e in enumerate(sw.epss):
                bad: list[str] = list(run_msgs)
                und: list[str] = []
                for s, b in UPPER_PAIRS:
                    o, u = sw.observed[p][s][gi, ei], sw.bounds[p][b][gi, ei]
                    tag = f"{s}: {b}: "
                    if np.isnan(u):
                        why = err_keys.get((p, b, float(g0), float(e)), "not computed")
                        und.append(tag + f"bound could not be computed ({why})")
                        continue
                    st = sw.point_status(p, s, gi, ei)
                    if st is None:
                        st = "converged" if not np.isnan(o) else None
                    if st is None or st not in ("converged", "diverged", "max_iter"):
                        und.append(tag + f"status unknown ({st}): undecided")
                        continue
                    msg = check_upper(observed=None if np.isnan(o) else int(o), status=st, upper=float(u),
                                      max_iter=sw.max_iter)
                    if isinstance(msg, Unchecked):
                        und.append(tag + msg)
                    elif msg:
                        bad.append(tag + msg)
                if "witness" in p:
                    o, lo = sw.observed[p]["fixed-stable"][gi, ei], sw.bounds[p]["fixed_lower"][gi, ei]
                    st = sw.point_status(p, "fixed-stable", gi, ei) or ("converged" if not np.isnan(o) else None)
                    if np.isnan(lo):
                        why = err_keys.get((p, "fixed_lower", float(g0), float(e)), "not computed")
                        und.append(f"fixed-stable: fixed_lower: bound could not be computed ({why})")
                    elif st is None:
                        und.append("fixed-stable: fixed_lower: status unknown: undecided")
                    else:
                        msg = check_lower(observed=None if np.isnan(o) else int(o), status=st, lower=float(lo),
                                          max_iter=sw.max_iter)
                        if isinstance(msg, Unchecked):
                            und.append("fixed-stable: fixed_lower: " + msg)
                        elif msg:
                            bad.append("fixed-stable: fixed_lower: " + msg)
                where = f"{p} gap0={g0:.3g} eps={e:.0e}"
                viol += [f"{where} {m}" for m in bad if m not in run_msgs]
                unch += [f"{where} {m}" for m in und]
                if bad:
                    n_bad += 1
                    verdicts[(p, gi, ei)] = "broken: " + "; ".join(bad)
                elif und:
                    n_unch += 1
                    verdicts[(p, gi, ei)] = "undecided: " + "; ".join(und)
                else:
                    n_dec += 1
                    verdicts[(p, gi, ei)] = "ok"
    errs = [f"{p} {b} gap0={g:.3g} eps={e:.0e}: {why}" for p, b, g, e, why in sw.bound_errors]
    return SweepCheck(viol, unch, n_dec, n_unch, n_bad, errs, verdicts)


def sweep_violations(sw: SweepResult) -> list[str]:
    """The violation messages of :func:`sweep_checks` (kept for callers that only need those)."""
    return sweep_checks(sw).violations


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
        family_best = all(o["warmup-family"][gi, eidx] <= min(o["warmup"][gi, eidx], o["fixed-stable"][gi, eidx])
                          for gi in range(len(sw.gap0s)))
        out.append(
            f"{p}, eps={e:.0e}: Eq. (1) warm-up beats the fixed-stable step at gap0 in "
            f"{_fmt_list(wins_warm)}; the fixed-stable step wins at gap0 in {_fmt_list(wins_fixed)} "
            f"(fixed/warm-up iteration ratio from {ratio[0]:.3g} at gap0={sw.gap0s[0]:.3g} to {ratio[-1]:.3g} "
            f"at gap0={sw.gap0s[-1]:.3g}); warmup-family (best proven (a,b)) needs the fewest iterations of these "
            f"three non-oracle schedules at every gap0: "
            f"{family_best}")
        g_lo, g_hi = o["fixed-stable"][0, eidx], o["fixed-stable"][-1, eidx]
        w_lo, w_hi = o["warmup"][0, eidx], o["warmup"][-1, eidx]
        out.append(f"{p}: from gap0={sw.gap0s[0]:.3g} to {sw.gap0s[-1]:.3g} the fixed-stable count grows "
                   f"x{g_hi / g_lo:.3g} ({g_lo:.0f} -> {g_hi:.0f}), the warm-up count x{w_hi / w_lo:.3g} "
                   f"({w_lo:.0f} -> {w_hi:.0f})")
    return out


def _fmt_list(xs: list[float]) -> str:
    return "{" + ", ".join(f"{x:.3g}" for x in xs) + "}" if xs else "{} (none)"
