"""Cost of the warm-up schedulers and of the batched schedule study (issue 13), measured in one process.

1. Scheduler overhead: one AdamW training step of the ``small`` LM (1,055,104 parameters, 16 × 128 bytes) with a
   constant lr vs the same step followed by ``LossAdaptiveWarmup.step(loss)`` (which reads the loss once);
   blocks of steps alternate A/B so drift hits both; medians of the per-block mean step time.
2. The scheduler's own ``step`` in isolation (microseconds per call), beside ``pytorch_warmup``'s dampening
   where installed.
3. Batched runs (``BatchedRuns``, vmap over stacked parameters) vs a Python loop over per-run torch.optim
   steps, tiny LM, 27 runs (one peak lr of the default study), at 8 × 64 and 16 × 128 bytes per run.

Usage: ``python benchmarks/schedules.py [--blocks 6] [--steps-per-block 5]``. No timed assertions anywhere.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from warmup_theory.numerics.models.lm import build_lm, lm_loss
from warmup_theory.numerics.schedule_study.batched import BatchedRuns, reference_step
from warmup_theory.numerics.schedulers import LossAdaptiveWarmup


def _lm_step_overhead(blocks: int, per_block: int) -> tuple[float, float]:
    model = build_lm("small", seed=0)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = LossAdaptiveWarmup(opt, C=1.0, decay="wsd", total_steps=10_000)
    g = torch.Generator().manual_seed(0)
    x, y = torch.randint(0, 256, (16, 128), generator=g), torch.randint(0, 256, (16, 128), generator=g)

    def step(with_sched: bool) -> None:
        loss = reference_step(model, opt, lm_loss, x, y)
        if with_sched:
            sched.step(loss)

    step(False)
    step(True)
    times: dict[bool, list[float]] = {False: [], True: []}
    for b in range(2 * blocks):
        mode = b % 4 in (1, 2)  # A B B A: a linear drift cancels
        t0 = time.perf_counter()
        for _ in range(per_block):
            step(mode)
        times[mode].append((time.perf_counter() - t0) / per_block)
    return statistics.median(times[False]), statistics.median(times[True])


def _scheduler_call_us(n: int = 20_000) -> dict[str, float]:
    out = {}
    opt = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-3)
    sched = LossAdaptiveWarmup(opt, C=1.0, decay="cosine", total_steps=n)
    loss = torch.tensor(2.5)
    t0 = time.perf_counter()
    for _ in range(n):
        sched.step(loss)
    out["LossAdaptiveWarmup.step(tensor loss)"] = (time.perf_counter() - t0) / n * 1e6
    try:
        import pytorch_warmup
    except ImportError:
        return out
    opt2 = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-3)
    base = torch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=n)
    warm = pytorch_warmup.LinearWarmup(opt2, warmup_period=100)
    t0 = time.perf_counter()
    for _ in range(n):
        opt2.step()
        with warm.dampening():
            base.step()
    out["pytorch_warmup dampening + CosineAnnealingLR.step (incl. a no-grad opt.step)"] = \
        (time.perf_counter() - t0) / n * 1e6
    return out


def _batched_vs_loop(runs: int, batch: int, context: int, steps: int = 4) -> tuple[float, float]:
    models = [build_lm("tiny", seed=s) for s in range(runs)]
    br = BatchedRuns(models, lm_loss)
    g = torch.Generator().manual_seed(1)
    x = torch.randint(0, 256, (runs, batch, context), generator=g)
    y = torch.randint(0, 256, (runs, batch, context), generator=g)
    lr = torch.full((runs,), 1e-3)
    br.step(x, y, lr)
    t0 = time.perf_counter()
    for _ in range(steps):
        br.step(x, y, lr)
    batched = (time.perf_counter() - t0) / steps
    opts = [torch.optim.AdamW(m.parameters(), lr=1e-3, betas=(0.9, 0.95)) for m in models]

    def loop() -> None:
        for r, (m, o) in enumerate(zip(models, opts, strict=True)):
            reference_step(m, o, lm_loss, x[r], y[r])

    loop()
    t0 = time.perf_counter()
    for _ in range(steps):
        loop()
    return batched, (time.perf_counter() - t0) / steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, default=12)
    ap.add_argument("--steps-per-block", type=int, default=5)
    args = ap.parse_args()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, cpus {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    base, with_sched = _lm_step_overhead(args.blocks, args.steps_per_block)
    print(f"small LM AdamW step: constant lr {base * 1e3:.1f} ms, with LossAdaptiveWarmup {with_sched * 1e3:.1f} ms,"
          f" ratio {with_sched / base:.4f}")
    calls = _scheduler_call_us()
    for name, us in calls.items():
        print(f"{name}: {us:.1f} µs per call")
    direct = calls["LossAdaptiveWarmup.step(tensor loss)"] * 1e-6 / base
    print(f"scheduler call / training step = {direct:.2e} (the A/B ratio above is within its run-to-run noise)")
    for batch, context in ((8, 64), (16, 128)):
        b, lp = _batched_vs_loop(27, batch, context)
        print(f"tiny LM, 27 runs, {batch}x{context} bytes: batched {b * 1e3:.0f} ms/step, loop {lp * 1e3:.0f} ms/step,"
              f" speed-up x{lp / b:.2f}")


if __name__ == "__main__":
    main()
