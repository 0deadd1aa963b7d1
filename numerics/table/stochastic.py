"""``warmup-theory table --stochastic``: SGD with the warm-up step vs a fixed step over many seeds, beside the
toolkit's own SGD bounds (:mod:`warmup_theory.theory.bounds.sgd`), with statistical invariants per row.

Per instance × schedule, ``seeds`` runs from one start in one batched program
(:func:`~warmup_theory.numerics.gd.run_sgd`, batch B = 2 of n = 16 without replacement; B = 1 of n = 2 on the
witness).  τ = first k with f(w_k) − f* <= eps (runs not there by ``max_iter`` count as censored at
max_iter + 1).  Columns: median and 90th percentile of τ, fraction of seeds that reached eps, mean τ with its
95 % CLT interval (mean ± 1.96·sd/√N), the E-bound K_E and the δ = 0.1 bound, and (appended last)
``gap_bound``: K with E[f(w_K) − f*] <= eps (``guarantee="expected-gap"``: the last iterate, PL rows) or, on a
row without PL, with E[f(w_J) − f*] <= eps for J uniform on {0..K−1} (``guarantee="random-iterate"``).
On screen (:func:`to_screen`) a compact form fits 120 columns; the full table goes to ``sgd_table.md``
(and to the screen with ``verbose``); CSV / JSON keep every column.

Invariants (``!`` when broken, with the p-value; a statistical flag needs p < 0.01):

* **E-bound**: H0: E[τ ∧ T] <= K_E (T = max_iter + 1 > K_E: the horizon is raised past K_E, so a censored run
  counts above the bound).  τ ∧ T ∈ [0, T], so Hoeffding's inequality gives the p-value
  exp(−2N·((mean − K_E)_+/T)²) (distribution-free; no CLT);
* **δ-bound**: #{τ > K_δ} ~ at most Binomial(N, δ): p = P[Bin(N, δ) >= count] (scipy); runs censored before K_δ
  count as failures (conservative);
* **distance**: the pathwise monotone distance (claim "Lemma SGD distance step"): no run may increase it
  (decided exactly, not statistically);
* **floor** (no-interpolation witness row): mean gap over k ∈ [max_iter/2, max_iter] >= the proven floor of
  the row's own step (warm-up: s/(4(a + 3bH1/2)²), (a, b) = (10, 20); fixed step 1/(a·s): s/(4a²)); one-sided
  CLT p-value.

``gap_bound`` is shown, not tested here (the runs stop at eps, so the gap at K is not observed): its check is
claim "Thm SGD expected gap", which runs to exactly K past eps.

>>> rows = stochastic_rows(quick=True, seeds=8, instances=("least_squares",))
>>> [r["schedule"] for r in rows], all(r["invariants"] == "ok" for r in rows)
(['warmup', 'fixed'], True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.gd import run_sgd
from warmup_theory.numerics.problems.finite_sum import FiniteSumProblem
from warmup_theory.numerics.problems.shared_minimiser import (
    consistent_least_squares,
    no_interpolation_pair,
    shared_minimiser_sum,
)
from warmup_theory.numerics.table.summary import fit, short_name
from warmup_theory.theory import stochastic_witness as SW
from warmup_theory.theory.bounds import sgd as S

__all__ = ["INSTANCES", "COLUMNS", "stochastic_rows", "to_markdown", "to_screen", "P_FLAG", "DELTA",
           "run_stochastic_table"]

INSTANCES = ("least_squares", "quartic+hard", "logcosh+hard", "no_interpolation")
COLUMNS = ("instance", "schedule", "seeds", "eps", "median", "p90", "reached", "mean", "ci95", "E_bound",
           "delta_bound", "floor", "late_gap", "invariants", "gap_bound")
P_FLAG, DELTA, BATCH = 0.01, 0.1, 2


def _instance(name: str, seed: int) -> tuple[FiniteSumProblem, float]:
    if name == "least_squares":
        return consistent_least_squares(n=16, dim=4, seed=seed), 1e-3
    if name == "quartic+hard":
        return shared_minimiser_sum(("quartic_plus_quadratic", "pl_hard"), n=16, dim=2, seed=seed), 1e-2
    if name == "logcosh+hard":
        return shared_minimiser_sum(("logcosh", "pl_hard"), n=16, dim=2, seed=seed), 1e-3
    if name == "no_interpolation":
        return no_interpolation_pair(1.0, 0.5), 1e-4
    raise ValueError(f"instances must be taken from {INSTANCES}, got {name!r}")


def _start(p: FiniteSumProblem) -> torch.Tensor:
    if not p.interpolation:
        return torch.tensor([[0.9]], dtype=torch.float64)
    c = np.asarray(p.info.get("c", p.info.get("w_true")), dtype=np.float64)
    return torch.as_tensor(c + np.ones(p.dim) / math.sqrt(p.dim), dtype=torch.float64)[None]  # dist 1 (if onto)


def _bounds(p: FiniteSumProblem, sched: str, X0: float, gap0: float, eps: float) -> tuple[float, float, float]:
    """(E-bound, δ-bound, expected-gap bound) of a row; NaN where no theorem covers it."""
    calc: Callable[..., float]
    if p.mu is None:
        if sched == "fixed":
            return math.nan, math.nan, math.nan
        calc, gap = partial(S.sgd_aiming_adaptive_iterations, p.H0, p.H1, 1.0, math.sqrt(X0), eps), "random-iterate"
    else:
        fn = S.sgd_pl_fixed_iterations if sched == "fixed" else S.sgd_pl_adaptive_iterations
        calc, gap = partial(fn, p.H0, p.H1, p.mu, gap0, eps, dist0=math.sqrt(X0)), "expected-gap"
    KE, Kd, Kg = (calc(batch=BATCH, n=p.n, delta=d, guarantee=g)
                  for d, g in ((None, "hitting"), (DELTA, "hitting"), (None, gap)))
    return KE, Kd, Kg


def _floor(p: FiniteSumProblem, sched: str, alpha: float) -> float:
    """The proven floor of the witness row's own step (:func:`~warmup_theory.theory.stochastic_witness.
    floor_lower_bound`): the warm-up step (a, b) = (10, 20) at the row's H1, or the fixed step 1/alpha =
    1/(a·s) with a = alpha/s (H1 does not enter a fixed step: the bound at H1 = 0, s/(4a²))."""
    if sched == "fixed":
        return float(SW.floor_lower_bound(p.H0, 0.0, alpha / p.H0))
    return float(SW.floor_lower_bound(p.H0, p.H1))


def _checks(tau: np.ndarray, T: int, KE: float, Kd: float, dist_inc: int, floor: tuple[float, np.ndarray] | None
            ) -> list[str]:
    from scipy.stats import binom, norm

    N, out = tau.shape[0], []
    if math.isfinite(KE):
        m = float(np.minimum(tau, T).mean())
        pv = math.exp(-2 * N * (max(m - KE, 0.0) / T) ** 2)
        if pv < P_FLAG:
            out.append(f"! mean tau {m:.1f} > E-bound {KE:.0f} (Hoeffding p = {pv:.2g})")
    if math.isfinite(Kd):
        fails = int((tau > min(Kd, T - 1)).sum())
        pv = float(binom.sf(fails - 1, N, DELTA))
        if pv < P_FLAG:
            tag = "! " if Kd <= T - 1 else "? "
            out.append(tag + f"{fails}/{N} runs past the delta-bound (binomial p = {pv:.2g})")
    if dist_inc:
        out.append(f"! {dist_inc} runs increased dist(w, X*) (pathwise lemma)")
    if floor is not None:
        fl, g = floor
        se = float(g.std(ddof=1) / math.sqrt(g.shape[0]))
        pv = float(norm.cdf((float(g.mean()) - fl) / max(se, 1e-300)))
        if pv < P_FLAG:
            out.append(f"! mean late gap {float(g.mean()):.3g} < floor {fl:.3g} (p = {pv:.2g})")
    return out


def stochastic_rows(*, quick: bool = False, seeds: int = 200, seed: int = 0, device: Any = "cpu",
                    instances: Sequence[str] = INSTANCES,
                    histories: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The table's rows (dicts with :data:`COLUMNS` and details); ``histories`` (optional) receives the recorded
    gap histories per row key for the plot."""
    rows: list[dict[str, Any]] = []
    for name in instances:
        p, eps = _instance(name, seed)
        W = _start(p)
        X0 = float(p.minimiser_dist(W)[0]) ** 2
        gap0 = float(p.f(W)[0]) - p.f_star
        for sched in ("warmup", "fixed"):
            if sched == "fixed":
                al, be = 1.0 / float(S.sgd_fixed_step(p.H0, p.H1, 1.0, X0)), 0.0
            else:
                al, be = 10 * p.H0, 20 * p.H1
            KE, Kd, Kg = _bounds(p, sched, X0, gap0, eps) if p.interpolation else (math.nan,) * 3
            T = int(min(Kd if math.isfinite(Kd) else 2000, 3000 if quick else 20_000))
            if math.isfinite(KE):   # a horizon below K_E would make the E-bound test unable to fail (τ∧T <= T)
                T = max(T, int(KE) + 1)
            r = run_sgd(p, W.repeat(seeds, 1), al, be, batch=BATCH if p.interpolation else 1,
                        eps=eps if p.interpolation else 1e-300, seed=seed, max_iter=T, record=True,
                        record_every=max(1, T // 400), device=device)
            tau = np.where(r.iterations >= 0, r.iterations, T + 1).astype(float)
            gh = np.asarray(r.gap_history)
            floor = None
            if not p.interpolation:
                late = gh[gh.shape[0] // 2:].mean(axis=0)
                floor = (_floor(p, sched, al), late)
            viol = _checks(tau, T + 1, KE, Kd, int(r.dist_increased.sum()) if p.interpolation else 0, floor)
            m, sd = float(tau.mean()), float(tau.std(ddof=1))
            row = {"instance": p.name, "schedule": sched, "seeds": seeds, "eps": eps,
                   "median": float(np.median(tau)), "p90": float(np.percentile(tau, 90)),
                   "reached": float((r.iterations >= 0).mean()), "mean": m, "ci95": 1.96 * sd / math.sqrt(seeds),
                   "E_bound": KE, "delta_bound": Kd, "invariants": "ok" if not viol else "; ".join(viol),
                   "max_iter": T, "H0": p.H0, "H1": p.H1, "mu": p.mu, "floor": None if floor is None else floor[0],
                   "late_gap": None if floor is None else float(floor[1].mean()), "gap_bound": Kg}
            rows.append(row)
            if histories is not None:
                histories[f"{p.name}|{sched}"] = (np.arange(gh.shape[0]) * r.record_every, gh)
                if floor is not None:
                    histories[f"{p.name}|{sched}|floor"] = floor[0]
    return rows


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:.3g}" if (abs(v) < 1e5 or math.isinf(v)) else f"{v:.3e}"
    return str(v)


def to_markdown(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of the rows (:data:`COLUMNS`)."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_fmt(r[c]) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines) + "\n"


#: the on-screen columns: (header, width, row -> text)
_SCREEN: tuple[tuple[str, int], ...] = (("instance", 34), ("sched", 6), ("median", 8), ("p90", 8), ("reach", 5),
                                        ("mean±ci95", 16), ("E_bound", 9), ("d_bound", 9), ("gap_bound", 9),
                                        ("inv", 3))


def to_screen(rows: Sequence[dict[str, Any]]) -> str:
    """The compact on-screen table (every line <= 120 columns): instance names cut in the middle, mean ± ci95
    in one column, ``inv`` = ok or ``!`` with each broken invariant on its own (cut) line below the table.

    >>> rows = [dict(instance="x" * 50, schedule="warmup", median=3.0, p90=4.0, reached=1.0, mean=3.2, ci95=0.1,
    ...              E_bound=90.0, delta_bound=900.0, gap_bound=500.0, invariants="ok")]
    >>> print(to_screen(rows).splitlines()[2])
    xxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxx warmup      3.0      4.0     1        3.2 ± 0.1        90       900       500  ok
    """
    head = " ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(_SCREEN))
    lines, notes = [head, "-" * len(head)], []
    for r in rows:
        bad = r["invariants"] != "ok"
        vals = (short_name(r["instance"], 34), r["schedule"], f"{r['median']:.1f}", f"{r['p90']:.1f}",
                _fmt(r["reached"]), f"{_fmt(r['mean'])} ± {_fmt(r['ci95'])}", _fmt(r["E_bound"]),
                _fmt(r["delta_bound"]), _fmt(r["gap_bound"]), "!" if bad else "ok")
        lines.append(" ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, (_, w)) in enumerate(zip(vals, _SCREEN,
                                                                                                      strict=True))))
        if bad:
            notes.append(fit(f"{short_name(r['instance'], 34)} {r['schedule']}: {r['invariants']}"))
    return "\n".join(lines + notes) + "\n"


def plot_bands(histories: dict[str, Any], out: Path, meta: dict[str, Any]) -> list[Path]:
    """gap vs iteration: median and 10–90 % band over seeds, one panel per instance, one colour per schedule."""
    from warmup_theory.numerics.table.plots import _plt, save

    plt = _plt()  # type: ignore[no-untyped-call]
    names = list(dict.fromkeys(k.split("|")[0] for k in histories if not k.endswith("|floor")))
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        for sched, col in (("warmup", "tab:red"), ("fixed", "tab:blue")):
            if f"{name}|{sched}" not in histories:
                continue
            k, gh = histories[f"{name}|{sched}"]
            fill = np.maximum.accumulate(np.where(~np.isnan(gh), np.arange(gh.shape[0])[:, None], 0), axis=0)
            g = gh[fill, np.arange(gh.shape[1])[None, :]]  # a stopped run keeps its last (frozen) gap
            lo, med, hi = (np.nanpercentile(g, q, axis=1) for q in (10, 50, 90))
            ax.fill_between(k, np.maximum(lo, 1e-300), np.maximum(hi, 1e-300), color=col, alpha=0.25)
            ax.plot(k, np.maximum(med, 1e-300), color=col, label=sched)
            if f"{name}|{sched}|floor" in histories:   # the witness: its proven floor for this step
                ax.axhline(histories[f"{name}|{sched}|floor"], color=col, ls="--", lw=0.8,
                           label=f"{sched}: floor of E[gap]")
        ax.set_yscale("log")
        ax.set_title(name, fontsize=7)
        ax.set_xlabel("iteration k")
        ax.set_ylabel("f(w_k) - f*")
        ax.legend(fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    paths = save(fig, out, "sgd_gap_bands", meta)
    plt.close(fig)
    return paths


def run_stochastic_table(out: Path, *, quick: bool = False, seed: int = 0, device: Any = "cpu",
                         plots: bool = True, verbose: bool = False) -> tuple[str, int]:
    """Run the rows, write ``sgd_table.md`` / ``.csv`` / ``.json`` (+ ``sgd_gap_bands.png/.svg``) under ``out``;
    returns (the text for the screen: :func:`to_screen` and the notes, or with ``verbose`` the full Markdown of
    ``sgd_table.md``; exit status: 0, or 1 when an invariant is broken)."""
    import csv
    import io
    import json
    import time


    t0 = time.perf_counter()
    hist: dict[str, Any] = {}
    rows = stochastic_rows(quick=quick, seeds=200, seed=seed, device=device, histories=hist if plots else None)
    meta = {"seed": seed, "device": str(device), "seconds": round(time.perf_counter() - t0, 2)}
    written = plot_bands(hist, out, meta) if plots else []
    notes = (f"\n200 seeds per row (one batched program each), {meta['seconds']} s; "
             "tau = first k with f(w_k) - f* <= eps.\nE_bound bounds E[tau], delta_bound has P[tau > K] <= 0.1 "
             "(warmup_theory.theory.bounds.sgd: the toolkit's own theorems).\ngap_bound: E[f(w_K) - f*] <= eps "
             "at K\n(PL rows: the last iterate w_K; rows without PL: w_J, J uniform on {0..K-1}).\n")
    md = to_markdown(rows) + notes
    (out / "sgd_table.md").write_text(md, encoding="utf-8")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (out / "sgd_table.csv").write_text(buf.getvalue(), encoding="utf-8")
    (out / "sgd_table.json").write_text(json.dumps({"meta": meta, "rows": rows, "plots": [p.name for p in written]},
                                                   indent=1, default=str), encoding="utf-8")
    broken = [r for r in rows if r["invariants"].startswith("!") or "; !" in r["invariants"]]
    screen = md if verbose else to_screen(rows) + notes + fit(f"full table: {out / 'sgd_table.md'}") + "\n"
    return screen, 1 if broken else 0
