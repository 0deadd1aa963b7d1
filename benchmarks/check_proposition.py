"""Time the default ``check_proposition`` sweep for every proposition (issue 5).

Usage: ``python benchmarks/check_proposition.py [--budget default] [--device cpu] [--extra]``.
Prints one Markdown row per (proposition, instance): worst ratio by source, tightness
(1 − max ratio), whether a violation was found and re-checked, points evaluated, seconds.
``--extra`` adds further instance families (depth 3, softmax/tanh, GELU).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)


def main(argv: list[str] | None = None) -> int:
    import torch

    from warmup_theory.numerics.search import DeepLinearCase, TwoLayerCase, check_proposition

    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", default="default")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--extra", action="store_true")
    a = ap.parse_args(argv)
    runs = [("3.2", None), ("3.2-printed", None), ("3.3", None), ("3.3-printed", None), ("D.1", None), ("3.4", None)]
    if a.extra:
        runs += [("3.2", DeepLinearCase(widths=(3, 3, 3, 2), m=5)),
                 ("3.3", TwoLayerCase(d=2, hidden=3, k=1, m=4, activation="tanh")),
                 ("3.3", TwoLayerCase(d=2, hidden=2, k=3, m=4, activation="tanh")),
                 ("3.3", TwoLayerCase(d=2, hidden=2, k=1, m=3, activation="gelu"))]
    print(f"# check_proposition sweep, budget={a.budget}, device={a.device}, seed={a.seed}")
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
          f"torch {torch.__version__}, python {sys.version.split()[0]}")
    print("| prop | instance | max ratio | random | gd | search | tightness 1-max "
          "| violated / witness re-checked | points | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for prop, inst in runs:
        t0 = time.perf_counter()
        r = check_proposition(prop, inst, budget=a.budget, seed=a.seed, device=a.device)
        dt = time.perf_counter() - t0
        src = r.max_ratio_by_source
        desc = ", ".join(f"{k}={v}" for k, v in r.instance.items())
        print(f"| {prop} | {desc} | {r.max_ratio:.4g} | {src['random']:.3g} | {src['gd']:.3g} | {src['search']:.3g} "
              f"| {r.tightness:.3g} | {'yes / ' + str(r.witness_confirmed) if r.violated else 'no'} "
              f"| {sum(r.n_points.values())} | {dt:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
