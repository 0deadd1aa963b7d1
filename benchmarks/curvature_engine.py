"""Issue 11 benchmarks (imported by benchmarks/curvature.py): HVP-bound Lanczos vs the bare HVP and
scipy eigsh, warm-started tracking along SGD, and peer tools. Every ratio is against a baseline
measured in the same process."""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import numpy as np
import torch
from torch import nn

from warmup_theory.numerics.curvature import CurvatureTracker, model_hessian_norm
from warmup_theory.numerics.curvature.dense import dense_norm
from warmup_theory.numerics.curvature.hvp import FlatProblem
from warmup_theory.numerics.curvature.lanczos import LanczosWorkspace, basis_bytes
from warmup_theory.numerics.curvature.model import model_problem
from warmup_theory.numerics.curvature.scipy_backend import eigsh_norm
from warmup_theory.numerics.curvature.spectral_norm import solve_problem

CE = nn.functional.cross_entropy
F64 = torch.float64


def _mlp(sizes: list[int], n_samples: int, seed: int = 0) -> tuple[nn.Module, list[Any]]:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from curvature import mlp_ce  # the models of the issue 4 benchmark

    return mlp_ce(sizes, n_samples, seed=seed)


MODELS = (("MLP 20-32-5 tanh CE", [20, 32, 5], 256, F64),
          ("MLP 784-256-10 tanh CE", [784, 256, 10], 64, F64),
          ("MLP 784-1024-256-10 tanh CE", [784, 1024, 256, 10], 64, torch.float32))


def bare_hvp_seconds(problem: FlatProblem, reps: int = 15) -> float:
    """Minimum over ``reps`` of one HVP with the cached graph (after a warm-up product)."""
    v = torch.randn(problem.n, dtype=F64, generator=torch.Generator().manual_seed(0))
    problem.hvp(v)
    best = math.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        problem.hvp(v)
        best = min(best, time.perf_counter() - t0)
    return best


def reference(problem: FlatProblem) -> tuple[float, str]:
    """Dense float64 eigvalsh below n = 3,000, else a long eigsh (tol 1e-10) on the same HVP."""
    if problem.n < 3000:
        return float(dense_norm(problem.dense)["value"]), "dense eigvalsh"
    out = eigsh_norm(problem.hvp, problem.n, tol=1e-10, max_hvps=2000, v0=None,
                     generator=torch.Generator().manual_seed(99), delta=1e-3)
    return float(out["value"]), f"eigsh tol 1e-10 ({out['hvps']} HVPs)"


def engine_rows(threads: int, quick: bool) -> list[str]:
    """One row per model and solver at ``threads`` torch threads."""
    torch.set_num_threads(threads)
    rows = []
    for name, sizes, ns, dt in (MODELS[:1] if quick else MODELS):
        model, data = _mlp(sizes, ns)
        prob = model_problem(model, CE, data, dtype=dt, device="cpu")
        t_hvp = bare_hvp_seconds(prob)
        ref, ref_name = reference(prob)
        reps = 3 if prob.n < 10 ** 6 else 2
        runs: dict[str, Any] = {}

        ws = LanczosWorkspace()
        three = basis_bytes(prob.n, 3)  # a memory_budget of three vectors: reorth="none" keeps no basis

        def ours(stop: str, prob: FlatProblem = prob, reorth: str = "full", reuse: bool = False,
                 ws: LanczosWorkspace = ws, budget: int | None = None) -> Any:
            return solve_problem(prob, method="lanczos", tol=1e-6, stop=stop, threads=threads, reorth=reorth,
                                 workspace=ws if reuse else None, generator=torch.Generator().manual_seed(1),
                                 memory_budget=budget)

        def eig(prob: FlatProblem = prob) -> Any:
            return eigsh_norm(prob.hvp, prob.n, tol=1e-6, max_hvps=2000, v0=None,
                              generator=torch.Generator().manual_seed(1), delta=1e-3)

        solvers = {"bracket": lambda: ours("bracket"), "residual": lambda: ours("residual"),
                   "bracket, reorth=none": lambda: ours("bracket", reorth="none"),
                   "residual, reorth=none": lambda: ours("residual", reorth="none"),
                   "residual, reorth=none, workspace": lambda: ours("residual", reorth="none", reuse=True),
                   "residual, reorth=none, no basis (3 vectors)":
                       lambda three=three: ours("residual", reorth="none", budget=three),
                   "eigsh": eig}
        for rep in range(reps):  # minimum wall over alternating repeats (a shared CPU), baseline interleaved
            t_hvp = min(t_hvp, bare_hvp_seconds(prob, reps=10))
            for key in (list(solvers) if rep % 2 == 0 else list(solvers)[::-1]):
                t0 = time.perf_counter()
                out = solvers[key]()
                wall = time.perf_counter() - t0
                if key not in runs or wall < runs[key][1]:
                    runs[key] = (out, wall)
        label = f"| {name} ({prob.n:,}, {str(dt)[6:]}) | {threads} |"
        for stop in [key for key in solvers if key != "eigsh"]:
            r, wall = runs[stop]
            rows.append(f"{label} this project, stop={stop} | {r.hvps} | {wall:.3f} | {t_hvp * 1e3:.2f} | "
                        f"{wall / (r.hvps * t_hvp):.2f} | {abs(r.value - ref) / ref:.1e} | {r.relative_width:.1e} | "
                        f"{r.converged} |")
            print(rows[-1], flush=True)
        e, wall = runs["eigsh"]
        rows.append(f"{label} scipy eigsh tol 1e-6 + same HVP | {e['hvps']} | {wall:.3f} | {t_hvp * 1e3:.2f} | "
                    f"{wall / (e['hvps'] * t_hvp):.2f} | {abs(e['value'] - ref) / ref:.1e} | none (lower only) | "
                    f"{e['arpack_converged']} |")
        print(rows[-1], f"(reference: {ref_name})", flush=True)
    return rows


ENGINE_HEAD = ("| model (n, HVP dtype) | threads | solver | HVPs | wall s | bare HVP ms | wall / (HVPs x bare HVP) "
               "| value rel. error | certified rel. width | converged |")


def tracking(steps: int, every: int, samples: int, tol: float = 2e-3, reorth: str = "full") -> list[str]:
    """SGD on the 203,530-parameter MLP (512 samples, batches of 64, lr 0.05); the tracker measures
    ||H|| of the full loss every ``every`` steps (warm start, residual rule ``tol``); at ``samples``
    evenly spaced measurements a cold Lanczos run (residual 1e-8) is the reference."""
    torch.set_num_threads(1)
    model, data = _mlp([784, 256, 10], 512)
    X, y = data[0]
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    tracker = CurvatureTracker(every=every, stop="residual", tol=tol, seed=0, reorth=reorth)
    g = torch.Generator().manual_seed(0)
    n_meas = (steps + every - 1) // every
    check_at = set(np.linspace(0, n_meas - 1, samples).round().astype(int).tolist())
    errs, cold_hvps, honest = [], [], True
    t_track = 0.0
    for _ in range(steps):
        t0 = time.perf_counter()
        rec = tracker.step_model(model, CE, [(X, y)], device="cpu")
        t_track += time.perf_counter() - t0
        if rec is not None and len(tracker.records) - 1 in check_at:
            cold = model_hessian_norm(model, CE, [(X, y)], device="cpu", method="lanczos", stop="residual",
                                      tol=1e-8, max_hvps=400, generator=torch.Generator().manual_seed(7))
            errs.append(abs(rec.hessian_norm - cold.value) / cold.value)
            cold_hvps.append(cold.hvps)
            honest &= rec.lower <= cold.value * (1 + 1e-12) <= rec.upper * (1 + 1e-12) + 1e-300
        idx = torch.randint(0, 512, (64,), generator=g)
        opt.zero_grad()
        CE(model(X[idx]), y[idx]).backward()
        opt.step()
    hv = [r.hvps for r in tracker.records]
    widths = [(r.upper - r.lower) / r.lower for r in tracker.records]
    return [f"- SGD steps {steps}, measurements {len(hv)} (every {every}), tracker: stop=residual tol {tol:g}, "
            f"warm_noise 0.1, reorth={reorth}, 1 thread",
            f"- HVPs per measurement: mean {sum(hv) / len(hv):.2f}, median {sorted(hv)[len(hv) // 2]}, "
            f"max {max(hv)}, first {hv[0]} (cold); mean after the first {sum(hv[1:]) / max(len(hv) - 1, 1):.2f}",
            f"- tracker time {t_track:.1f} s (incl. the directional-curvature HVP per measurement)",
            f"- against a cold Lanczos to residual 1e-8 at {len(errs)} measurements ({sum(cold_hvps)} HVPs): "
            f"max rel. error {max(errs):.1e}",
            f"- errors: {' '.join(f'{e:.0e}' for e in errs)}",
            f"- reference inside the tracker's bracket at every sampled point: {honest}; certified widths: "
            f"median {sorted(widths)[len(widths) // 2]:.2f}, max {max(widths):.2f}"]
