"""Speed of `warmup-theory table`: end-to-end wall time (--quick and default) and GD throughput,
batched (one tensor program, warmup_theory.numerics.gd.run_gd) vs a plain per-run Python loop on the same runs.

    python benchmarks/table_speed.py            # quick + default + throughput
    python benchmarks/table_speed.py --no-default

Prints wall seconds, process CPU seconds (all threads) and run-iterations per second.  On a
shared machine wall time is inflated by other processes; CPU seconds are the fairer figure.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch


def end_to_end(args: list[str]) -> tuple[float, float, int]:
    from warmup_theory.cli import main

    with tempfile.TemporaryDirectory() as d:
        so, se = io.StringIO(), io.StringIO()
        w0, c0 = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
            rc = main(["table", "--out", d, "--no-progress", *args])
        return time.perf_counter() - w0, time.process_time() - c0, rc


def throughput(n_runs: int = 64, iters: int = 400, loop_runs: int = 8) -> dict[str, float]:
    """Run-iterations per second: batched engine vs per-run loop (cosh(1,1), fixed steps, no early stop)."""
    from warmup_theory.numerics.gd import run_gd
    from warmup_theory.numerics.problems import cosh_problem

    p = cosh_problem(1.0, 1.0)
    w0 = np.linspace(0.5, 3.0, n_runs).reshape(-1, 1)
    alpha = np.full(n_runs, 50.0)                 # η = 0.02: stable, slow enough not to stop early
    t = time.perf_counter()
    r = run_gd(p, w0, alpha, 0.0, eps=1e-300, max_iter=iters, device="cpu")
    batched = n_runs * r.loop_iterations / (time.perf_counter() - t)

    # plain loop: one run at a time, one autograd call per iteration (what the engine replaces)
    t = time.perf_counter()
    done = 0
    for i in range(loop_runs):
        w = torch.tensor([[w0[i, 0]]], dtype=torch.float64)
        for _ in range(iters):
            wr = w.requires_grad_(True)
            fv = p.f(wr)
            (g,) = torch.autograd.grad(fv.sum(), wr)
            gap = float(fv.detach()[0])
            if gap <= 1e-300 or not math.isfinite(gap):
                break
            w = (w - g / (alpha[i] + 0.0 * gap)).detach()
            done += 1
    loop = done / (time.perf_counter() - t)
    return {"batched_run_iters_per_s": batched, "loop_run_iters_per_s": loop, "speedup": batched / loop,
            "n_runs": n_runs, "iters": iters}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-default", action="store_true")
    a = ap.parse_args()
    import warmup_theory.numerics

    print(f"warmup-theory {warmup_theory.numerics.__version__}, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, cpus {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.2f} (shared machine)")
    tp = throughput()
    print(f"GD throughput (cosh, {tp['n_runs']} runs x {tp['iters']} iterations): batched "
          f"{tp['batched_run_iters_per_s']:.0f} run-iter/s, per-run loop {tp['loop_run_iters_per_s']:.0f} "
          f"run-iter/s, speed-up x{tp['speedup']:.1f}")
    w, c, rc = end_to_end(["--quick"])
    print(f"table --quick: {w:.1f} s wall, {c:.1f} s CPU (process, all threads), exit {rc}")
    if not a.no_default:
        w, c, rc = end_to_end([])
        print(f"table (default): {w:.1f} s wall, {c:.1f} s CPU (process, all threads), exit {rc}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
