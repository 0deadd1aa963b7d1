"""Build one batched GD program per problem family, run it, and pair each run with its bounds.

Per family, every (instance × schedule) run — including the G runs of the fixed-step oracle grid —
is one row of a single :func:`warmup_theory.numerics.gd.run_gd` call: the instances are stacked into one
problem (:class:`StackedProblem`: per-run block index, parameters of each instance, dimensions
padded with zeros that the loss ignores), and every run carries its own (alpha, beta).  There is
no Python loop over runs; the loop over iterations is the engine's.

Bounds per row (``warmup_theory.theory.bounds``; all for the *class* constants H0, H1, mu/theta of the row):

===================  ========================================  =====================================
schedule             upper_closed                              upper_recursive
===================  ========================================  =====================================
warmup               pl_adaptive_iterations [μ-PL], else       pl_adaptive_recursion_iterations
                     aiming_adaptive_iterations [θ-aiming]     (a, b) = (10, 20) [μ-PL]
warmup-family        pl_adaptive_family_iterations at the      same recursion with the family's (a, b)
                     family's (a, b) [μ-PL; (a, b) admissible]
fixed-stable         pl_fixed_iterations [μ-PL], else          pl_fixed_recursion_iterations
                     aiming_fixed_iterations, at that η        at that η [μ-PL]
fixed-oracle         — (an oracle step; no bound applies)      —
practical            pl_adaptive_family_iterations at (a', 2)  family recursion at (a', 2), see spec
                     [μ-PL; (a', 2) admissible]
===================  ========================================  =====================================

On a problem that is both μ-PL and θ-aiming the PL closed form is the column (the recursion
iterates the PL one-step bound, so ``upper_recursive <= upper_closed`` is an invariant); the aiming
bound is given in the row's notes.

The family closed form (toolkit's own Thm 4.3 for any admissible (a, b), claim "Lemma adaptive family")
is filled only when (a, b) is admissible (:func:`warmup_theory.theory.bounds.adaptive_family_admissible`: a, b > 1/2);
otherwise the cell stays empty and the notes say why.  On aiming-only problems ``warmup_theory.theory.bounds`` has no
family bound, so both family cells stay empty there (the notes say so).

``lower`` (witness rows only, ``fixed-stable``): pl_fixed_lower_iterations(..., eta=η) (μ-PL witness)
or aiming_fixed_lower_iterations(..., eta=η) (θ-aiming witness) — GD with this class-stable step
needs at least that many iterations on the witness member.

A recursion count is used only when the recursion converged (``RecursionResult.converged``);
otherwise the cell stays empty and the note says why.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.table.invariants import mark_rows
from warmup_theory.numerics.table.rows import Estimate, TableRow
from warmup_theory.numerics.table.spec import ORACLE_RATIO, PRACTICAL_DOC, Family, Instance, TableConfig, family

__all__ = ["StackedProblem", "FamilyRun", "TableRun", "run_family", "run_table", "schedule_params",
           "row_bounds", "Progress"]


class StackedProblem:
    """Several problems as one batched problem for :func:`warmup_theory.numerics.gd.run_gd` (duck-typed ``Problem``).

    Run r belongs to block ``blocks[r]``; block j evaluates ``problems[j]`` on the first
    ``problems[j].dim`` coordinates (extra coordinates have zero gradient and never move).
    Problems with ``fn`` and ``shared_params`` are evaluated with their parameters moved to the
    device and dtype of W (so the stacked program runs on CUDA too).

    >>> from warmup_theory.numerics.problems import cosh_problem, quadratic_problem
    >>> sp_ = StackedProblem([cosh_problem(1.0, 1.0), quadratic_problem([1.0, 4.0])], [0, 1, 1])
    >>> W = torch.tensor([[1.0, 5.0], [1.0, 1.0], [0.0, 1.0]], dtype=torch.float64)
    >>> [round(float(v), 6) for v in sp_.f(W)]
    [0.543081, 2.5, 2.0]
    """

    def __init__(self, problems: Sequence[Any], blocks: Sequence[int]) -> None:
        self.problems = list(problems)
        self.dim = max(int(p.dim) for p in self.problems)
        blk = torch.as_tensor(np.asarray(blocks, dtype=np.int64))
        if blk.numel() == 0 or bool((blk[1:] < blk[:-1]).any()) or int(blk.min()) < 0 \
                or int(blk.max()) >= len(self.problems):
            raise ValueError("blocks must be non-decreasing block indices in [0, len(problems))")
        self.batch = int(blk.shape[0])
        self.f_star = np.array([float(self.problems[int(j)].constants()["f_star"]) for j in blk.tolist()])
        self.run_params: dict[str, torch.Tensor] = {"_block": blk}
        self._cache: dict[tuple, Mapping[str, torch.Tensor]] = {}
        self.shared_params: dict[str, torch.Tensor] = {}
        self.name = "stacked[" + ", ".join(p.name for p in self.problems) + "]"

    def fn(self, W: torch.Tensor, params: Mapping[str, torch.Tensor]) -> torch.Tensor:
        """f of every run, each row by its own problem's ``fn``.  Block ids are non-decreasing (the engine's
        compaction keeps order), so each block is a contiguous slice: no gather/scatter (slow backward)."""
        blk = params["_block"]
        counts = torch.bincount(blk, minlength=len(self.problems)).tolist()
        outs, start = [], 0
        for j, (p, n) in enumerate(zip(self.problems, counts)):
            if n:
                Wj = W[start:start + n, : p.dim]
                if getattr(p, "fn", None) is not None and not getattr(p, "run_params", None):
                    outs.append(p.fn(Wj, self._shared(j, W)))    # parameters on W's device / dtype
                else:
                    outs.append(p.f(Wj))
                start += n
        return torch.cat(outs) if len(outs) > 1 else outs[0]

    def _shared(self, j: int, W: torch.Tensor) -> Mapping[str, torch.Tensor]:
        key = (j, str(W.device), W.dtype)
        if key not in self._cache:
            def mv(t: torch.Tensor) -> torch.Tensor:
                return t.to(device=W.device, dtype=W.dtype) if t.is_floating_point() else t.to(W.device)
            self._cache[key] = {k: mv(v) for k, v in (self.problems[j].shared_params or {}).items()}
        return self._cache[key]

    def f(self, W: torch.Tensor) -> torch.Tensor:
        """f(W) for the stacked batch W of shape [B, d_max] (each problem reads its first d columns)."""
        return self.fn(W, self.run_params)


# --- schedules and bounds ----------------------------------------------------------------------


def _bounds_module() -> Any:
    import warmup_theory.theory.bounds as tb

    return tb


def fixed_stable_step(inst: Instance) -> float:
    """η of the ``fixed-stable`` schedule (see :mod:`warmup_theory.numerics.table.spec`)."""
    L0 = inst.H0 + inst.H1 * inst.gap0
    if inst.mu is not None or inst.theta is None:
        return 1.0 / L0
    return min(1.0 / L0, inst.theta / (2 * inst.H0 + inst.H1 * inst.gap0))


def family_ab() -> tuple[float, float]:
    """The best proven (a, b) of the warm-up family (``warmup_theory.theory.bounds.BEST_ADAPTIVE_FAMILY``)."""
    a, b = _bounds_module().BEST_ADAPTIVE_FAMILY
    return float(a), float(b)


def practical_ab(inst: Instance) -> tuple[float, float] | None:
    """(a', b') of the practical schedule as a family member; None when H0 = 0 (η_peak undefined)."""
    if inst.H0 <= 0:
        return None
    fhat = 0.0 if inst.f_star >= 0 else inst.f_star
    return 1.0 + 2.0 * inst.H1 * (inst.f_star - fhat) / inst.H0, 2.0


def schedule_params(inst: Instance, schedule: str, grid: int) -> list[tuple[float, float]]:
    """(alpha, beta) of the runs of ``schedule`` on ``inst`` (G runs for the oracle grid, else one)."""
    if schedule == "warmup":
        return [(10.0 * inst.H0, 20.0 * inst.H1)]
    if schedule == "warmup-family":
        a, b = family_ab()
        return [(a * inst.H0, b * inst.H1)]
    if schedule == "fixed-stable":
        return [(1.0 / fixed_stable_step(inst), 0.0)]
    if schedule == "fixed-oracle":
        eta = fixed_stable_step(inst)
        return [(1.0 / (eta * ORACLE_RATIO**j), 0.0) for j in range(grid)]
    if schedule == "practical":
        ab = practical_ab(inst)
        if ab is None:
            return []
        return [(ab[0] * inst.H0, ab[1] * inst.H1)]
    raise ValueError(f"unknown schedule {schedule!r}")


def _try(fn: Callable[[], Any], notes: list[str], what: str) -> float | None:
    try:
        v = fn()
    except (ValueError, ZeroDivisionError, OverflowError) as exc:
        notes.append(f"{what}: n/a ({exc})")
        return None
    if hasattr(v, "converged"):
        if not v.converged:
            notes.append(f"{what}: recursion did not finish within its cap")
            return None
        v = v.iterations
    v = float(v)
    return None if math.isnan(v) else v


def _first(notes: list[str], pl: float | None, aiming: float | None, what: str) -> float | None:
    """The PL closed form when it exists (the aiming one goes to the notes), else the aiming one."""
    if pl is not None:
        if aiming is not None:
            notes.append(f"{what} aiming bound = {aiming:.6g}")
        return pl
    return aiming


_REC_CAP = 2_000_000


def _val(x: Any) -> float | None:
    """A constant as a float (an :class:`Estimate` contributes its point value, which is its lower end)."""
    if x is None:
        return None
    return float(x.value) if isinstance(x, Estimate) else float(x)


def _family_bounds(tb: Any, schedule: str, a: float | None, b: float | None, H0: float, H1: float,
                   mu: float | None, g0: float, eps: float, alpha: float, beta: float, notes: list[str]
                   ) -> tuple[float | None, float | None]:
    """(upper_closed, upper_recursive) of a family row (warmup-family or practical) at its (a, b).

    μ-PL and (a, b) admissible: closed = pl_adaptive_family_iterations(..., a, b) (toolkit's own Thm 4.3
    for the family), rec = pl_adaptive_recursion_iterations(..., a, b).  The (a, b) must be the ones the
    run used (alpha = a·H0, beta = b·H1); a mismatch leaves both cells empty (a bound for another
    schedule would be checked against this run).
    """
    if a is None or b is None:
        return None, None
    if not mu:
        notes.append(f"family bound at (a, b) = ({a:.6g}, {b:.6g}): n/a (warmup_theory.theory.bounds proves the family "
                     "only "
                     "under mu-PL; this problem is aiming-only)")
        return None, None
    if not (math.isclose(alpha, a * H0, rel_tol=1e-12, abs_tol=0.0)
            and math.isclose(beta, b * H1, rel_tol=1e-12, abs_tol=1e-300)):
        notes.append(f"family bound: n/a (run used alpha={alpha!r}, beta={beta!r}, not (a*H0, b*H1) at "
                     f"(a, b) = ({a!r}, {b!r}))")
        return None, None
    if not tb.adaptive_family_admissible(a, b):
        notes.append(f"family bound: n/a ((a, b) = ({a:.6g}, {b:.6g}) is outside the proven region "
                     "a > 1/2, b > 1/2 of adaptive_family_admissible)")
        return None, None
    what = "family Thm 4.3" if schedule == "warmup-family" else "practical as family Thm 4.3"
    closed = _try(lambda: tb.pl_adaptive_family_iterations(H0, H1, mu, g0, eps, a, b), notes, what)
    if closed is not None:
        notes.append(f"upper_closed: pl_adaptive_family_iterations at (a, b) = ({a:.6g}, {b:.6g}), "
                     f"rate F = {tb.adaptive_family_rate(a, b):.6g}")
    rec = _try(lambda: tb.pl_adaptive_recursion_iterations(H0, H1, mu, g0, eps, a=a, b=b, max_iter=_REC_CAP),
               notes, "recursion")
    return closed, rec


def row_bounds(inst: Instance, schedule: str, eps: float, alpha: float, beta: float
               ) -> tuple[float | None, float | None, float | None, list[str]]:
    """(upper_closed, upper_recursive, lower, notes) for one row (see the module table)."""
    tb = _bounds_module()
    H0, H1, mu, th, g0, d0 = inst.H0, inst.H1, _val(inst.mu), _val(inst.theta), inst.gap0, inst.dist0
    notes: list[str] = []
    closed = rec = lower = None
    if schedule == "warmup":
        c1 = _try(lambda: tb.pl_adaptive_iterations(H0, H1, mu, g0, eps), notes, "Thm 4.3") if mu else None
        c2 = (_try(lambda: tb.aiming_adaptive_iterations(H0, H1, th, d0, eps, gap0=g0), notes, "Thm 4.2")
              if th is not None and d0 is not None else None)
        closed = _first(notes, c1, c2, "Thm 4.2")
        if mu:
            rec = _try(lambda: tb.pl_adaptive_recursion_iterations(H0, H1, mu, g0, eps, a=10, b=20,
                                                                   max_iter=_REC_CAP), notes, "recursion")
    elif schedule in ("warmup-family", "practical"):
        a: float | None
        b: float | None
        if schedule == "warmup-family":
            a, b = family_ab()
        else:
            ab = practical_ab(inst)
            a, b = ab if ab else (None, None)
        closed, rec = _family_bounds(tb, schedule, a, b, H0, H1, mu, g0, eps, alpha, beta, notes)
    elif schedule == "fixed-stable":
        eta = 1.0 / alpha
        c1 = _try(lambda: tb.pl_fixed_iterations(H0, H1, mu, g0, eps, eta=eta), notes, "fixed PL") if mu else None
        c2 = (_try(lambda: tb.aiming_fixed_iterations(H0, H1, th, g0, d0, eps, eta=eta), notes, "fixed aiming")
              if th is not None and d0 is not None else None)
        closed = _first(notes, c1, c2, "fixed-step")
        if mu:
            rec = _try(lambda: tb.pl_fixed_recursion_iterations(H0, H1, mu, g0, eps, eta=eta, max_iter=_REC_CAP),
                       notes, "recursion")
        if inst.witness and mu:
            lower = _try(lambda: tb.pl_fixed_lower_iterations(H0, H1, mu, g0, eps, eta=eta), notes,
                         "Thm 4.1(3) lower")
        elif inst.witness and th is not None and d0 is not None:
            lower = _try(lambda: tb.aiming_fixed_lower_iterations(H0, H1, th, g0, d0, eps, eta=eta), notes,
                         "Thm 4.1(1-2) lower")
    return closed, rec, lower, notes


# --- progress ----------------------------------------------------------------------------------


class Progress:
    """A dependency-free text progress bar on stderr (one line per step when stderr is not a TTY)."""

    def __init__(self, total: int, enabled: bool = True, stream: Any = None) -> None:
        self.total, self.done, self.enabled = max(total, 1), 0, enabled
        self.stream = stream or sys.stderr
        self.t0 = time.perf_counter()

    def step(self, label: str) -> None:
        """Count one finished step and redraw the bar, showing ``label``."""
        self.done += 1
        if not self.enabled:
            return
        n = 24
        k = int(n * self.done / self.total)
        line = f"[{'#' * k}{'.' * (n - k)}] {self.done}/{self.total} {label} ({time.perf_counter() - self.t0:.1f} s)"
        tty = getattr(self.stream, "isatty", lambda: False)()
        self.stream.write(("\r" + line + (" " * 10)) if tty else line + "\n")
        if tty and self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


# --- running -----------------------------------------------------------------------------------


@dataclass
class FamilyRun:
    """One family's program: its rows, the engine result and which runs belong to which row."""

    family: str
    eps: float
    instances: list[Instance]
    rows: list[TableRow]
    result: Any                                   # warmup_theory.numerics.gd.GDBatchResult
    run_index: dict[tuple[int, str], list[int]]   # (instance index, schedule) -> run ids
    seconds: float


@dataclass
class TableRun:
    """All rows (invariants marked), per-family programs, missing families and metadata."""

    rows: list[TableRow]
    families: list[FamilyRun]
    missing: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every requested family ran and every invariant held (the CLI's exit status 0)."""
        return not any(r.violations for r in self.rows) and not self.missing


def run_family(fam: Family, cfg: TableConfig) -> FamilyRun:
    """Build ``fam``'s instances, run every (instance, schedule) as one batched program, make rows."""
    from warmup_theory.numerics.gd import run_gd

    t_build = time.perf_counter()
    instances = fam.build(cfg.quick, cfg.seed)
    eps = fam.eps(cfg.quick)
    grid = cfg.oracle_grid
    alphas: list[float] = []
    betas: list[float] = []
    blocks: list[int] = []
    w0s: list[np.ndarray] = []
    run_index: dict[tuple[int, str], list[int]] = {}
    skipped: dict[tuple[int, str], str] = {}
    for i, inst in enumerate(instances):
        for s in cfg.schedules:
            params = schedule_params(inst, s, grid)
            if not params:
                skipped[(i, s)] = "schedule undefined for H0 = 0"
            ids = []
            for a, b in params:
                ids.append(len(alphas))
                alphas.append(a)
                betas.append(b)
                blocks.append(i)
                w0s.append(inst.w0)
            run_index[(i, s)] = ids
    stacked = StackedProblem([inst.problem for inst in instances], blocks)
    W0 = np.zeros((len(w0s), stacked.dim))
    for r, w in enumerate(w0s):
        W0[r, : w.shape[0]] = w
    res = run_gd(stacked, W0, np.array(alphas), np.array(betas), eps=eps, max_iter=cfg.max_iter,
                 record=fam.record, device=cfg.device)
    seconds = time.perf_counter() - t_build
    rows: list[TableRow] = []
    for i, inst in enumerate(instances):
        first = True
        for s in cfg.schedules:
            ids = run_index[(i, s)]
            if not ids:
                continue
            notes: list[str] = [f"problem: {inst.notes}"] if first and inst.notes else []
            first = False
            if s == "fixed-oracle":
                conv = [r for r in ids if res.status[r] == "converged"]
                if conv:
                    best = min(conv, key=lambda r: (int(res.iterations[r]), -res.alpha[r]))
                    j = ids.index(best)
                    notes.append(f"oracle eta = {1.0 / res.alpha[best]:.6g} = fixed-stable step x 10^({j}/8), "
                                 f"best of a {len(ids)}-step grid run to the end on this instance "
                                 f"({sum(res.status[r] == 'diverged' for r in ids)} grid steps diverged); "
                                 "no user can know it in advance")
                else:
                    best = ids[0]
                    notes.append(f"no step of the {len(ids)}-step oracle grid converged")
                run = best
            else:
                run = ids[0]
            a, b = float(res.alpha[run]), float(res.beta[run])
            closed, rec, lower, bnotes = row_bounds(inst, s, eps, a, b)
            notes += bnotes
            if s == "practical":
                notes.append(PRACTICAL_DOC)
            est = tuple(c for c in ("H0", "H1", "mu", "theta")
                        if c in inst.estimated or isinstance(getattr(inst, c), Estimate))
            if est:
                notes.append(f"ESTIMATED constants ({', '.join(est)}): bounds are shown for comparison; checks "
                             "using them are 'undecided', never theorem checks")
            if s == "fixed-stable":
                notes.append(f"eta = {1.0 / a:.6g} (class-stable: <= 2/(H0 + H1*gap0))")
            status = res.status[run]
            rows.append(TableRow(
                problem=inst.label, schedule=s, H0=inst.H0, H1=inst.H1, mu=inst.mu, theta=inst.theta,
                gap0=inst.gap0, eps=eps, observed=int(res.iterations[run]) if status == "converged" else None,
                status=status, upper_closed=closed, upper_recursive=rec, lower=lower, seconds=seconds,
                seed=cfg.seed, device=res.device, witness=inst.witness and s == "fixed-stable",
                max_iter=cfg.max_iter, alpha=a, beta=b, notes="; ".join(notes),
                gap_increased=bool(res.gap_increased[run]), first_increase=int(res.first_increase[run]),
                estimated=tuple(inst.estimated)))
    return FamilyRun(fam.name, eps, instances, mark_rows(rows), res, run_index, seconds)


def run_table(cfg: TableConfig, progress: Progress | None = None) -> TableRun:
    """Run every requested family; a family whose dependencies are missing is reported, not hidden."""
    from warmup_theory.numerics import __version__

    fams: list[FamilyRun] = []
    missing: dict[str, str] = {}
    t0 = time.perf_counter()
    for name in cfg.problems:
        fam = family(name)
        try:
            fr = run_family(fam, cfg)
        except ImportError as exc:
            missing[name] = f"dependency missing: {exc}"
            fr = None
        if fr is not None:
            fams.append(fr)
        if progress:
            progress.step(name)
    rows = [r for fr in fams for r in fr.rows]
    meta = {
        "version": __version__, "seed": cfg.seed, "device": rows[0].device if rows else str(cfg.device),
        "quick": cfg.quick, "max_iter": cfg.max_iter, "oracle_grid": cfg.oracle_grid,
        "dtype": "float64", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "seconds": round(time.perf_counter() - t0, 2),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if missing:
        meta["missing"] = "; ".join(f"{k}: {v}" for k, v in missing.items())
    return TableRun(rows, fams, missing, meta)
