"""GD throughput: the batched engine (warmup_theory.numerics.gd.run_gd) vs plain per-run Python loops.

Throughput = (GD iterations × runs) / wall-clock second.  Problem: the cosh extremal function
(H0, H1) = (1, 1) with the warm-up step of Eq. (1); starts spread over |w0| <= 5; every run does exactly
T iterations (eps is set below any reachable gap, so all runs stop with status max_iter) — the
same work per run for every method.

Methods, all in this process on the same problem:
* ``batched``    run_gd on all N runs at once (one tensor program, float64, the problem's closed-form
  gradient ``vg_fn``);
* ``loop-torch`` for each run, a Python loop of T steps calling the same ``problem.f`` on a [1, 1]
  tensor with autograd (what a plain torch user writes);
* ``loop-math``  for each run, a Python loop with the closed-form f and f' via ``math.sinh`` (the
  fastest plain-Python baseline; no torch).
Per-run loops cost the same per run whatever N is, so they are timed on min(N, cap) runs and their
throughput is reported as measured (the extrapolated time for all N runs is shown too).

Usage:  python benchmarks/gd_throughput.py [--iters 200] [--sizes 1 100 1000 10000] [--device cpu]
                                            [--markdown PATH]
Keep it under two minutes on a shared 2-core CPU (defaults do).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import os
import platform
import time

import numpy as np
import torch

from warmup_theory.numerics.gd import resolve_device, run_gd
from warmup_theory.numerics.problems import cosh_problem


def _starts(n: int) -> np.ndarray:
    return np.linspace(-5.0, 5.0, n).reshape(-1, 1) if n > 1 else np.array([[3.0]])


def time_batched(n: int, T: int, device: str) -> tuple[float, int]:
    p = cosh_problem(1.0, 1.0)
    r = run_gd(p, _starts(n), 10.0, 20.0, eps=1e-300, max_iter=T, device=device)
    assert all(s == "max_iter" for s in r.status) or T == 0, r.counts()
    return r.seconds, n * T


def time_loop_torch(n: int, T: int) -> tuple[float, int]:
    p = cosh_problem(1.0, 1.0)
    t0 = time.perf_counter()
    for w0 in _starts(n):
        w = torch.tensor([[float(w0[0])]], dtype=torch.float64)
        for _ in range(T):
            w.requires_grad_(True)
            f = p.f(w)
            (g,) = torch.autograd.grad(f.sum(), w)
            gap = float(f.detach()[0])   # .item(): the step needs the gap on the host
            with torch.no_grad():
                w = w - g / (10.0 + 20.0 * gap)
    return time.perf_counter() - t0, n * T


def time_loop_math(n: int, T: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    for w0 in _starts(n):
        w = float(w0[0])
        for _ in range(T):
            s = math.sinh(w / 2)
            gap = 2.0 * s * s
            w = w - math.sinh(w) / (10.0 + 20.0 * gap)
    return time.perf_counter() - t0, n * T


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--cap-torch", type=int, default=50, help="runs timed for loop-torch (per-run cost)")
    ap.add_argument("--cap-math", type=int, default=2000, help="runs timed for loop-math")
    ap.add_argument("--markdown", default=None, help="also write the table to this Markdown file")
    args = ap.parse_args(argv)
    dev = str(resolve_device(args.device))
    T = args.iters
    torch.set_num_threads(max(1, min(torch.get_num_threads(), os.cpu_count() or 1)))
    run_gd(cosh_problem(), _starts(4), 10.0, 20.0, eps=1e-300, max_iter=5, device=dev)  # warm-up
    rows = []
    t_start = time.perf_counter()
    for n in args.sizes:
        sb, wb = time_batched(n, T, dev)
        nt = min(n, args.cap_torch)
        st, wt = time_loop_torch(nt, T)
        nm = min(n, args.cap_math)
        sm, wm = time_loop_math(nm, T)
        rows.append({"runs": n, "batched_s": sb, "batched_tp": wb / sb,
                     "torch_runs": nt, "torch_tp": wt / st, "torch_s_all": st * n / nt,
                     "math_runs": nm, "math_tp": wm / sm, "math_s_all": sm * n / nm})
    total = time.perf_counter() - t_start
    head = ("| runs N | batched s | batched it·run/s | loop-torch it·run/s (timed on) | loop-torch s for N (extrap.) "
            "| loop-math it·run/s (timed on) | loop-math s for N (extrap.) | speed-up vs loop-torch | vs loop-math |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['runs']} | {r['batched_s']:.3f} | {r['batched_tp']:.3g} | {r['torch_tp']:.3g} ({r['torch_runs']}) "
            f"| {r['torch_s_all']:.3g} | {r['math_tp']:.3g} ({r['math_runs']}) | {r['math_s_all']:.3g} "
            f"| {r['batched_tp'] / r['torch_tp']:.3g}x | {r['batched_tp'] / r['math_tp']:.3g}x |")
    meta = (f"date {_dt.datetime.now(_dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine "
            f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} logical CPUs, "
            f"torch {torch.__version__} "
            f"({torch.get_num_threads()} threads), device {dev}; T = {T} iterations per run, problem cosh(1,1) "
            f"with Eq. (1); float64; script wall time {total:.1f} s")
    out = "\n".join([meta, "", *lines])
    print(out)
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as fh:
            fh.write("\n" + out + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
