"""Time `warmup-theory verify` claim by claim (issue 2: the full run must take <= 60 s on 2 cores).

Run: python benchmarks/verify_time.py
"""

from __future__ import annotations

import os
import platform
import time

from warmup_theory.proofs_checks.framework import registry, run_claim


def main() -> None:
    t_import = time.perf_counter()
    claims = list(registry().values())
    t0 = time.perf_counter()
    results = [run_claim(c) for c in claims]
    total = time.perf_counter() - t0
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"{len(claims)} claims, import {t0 - t_import:.1f} s, run {total:.1f} s")
    print("slowest:")
    for r in sorted(results, key=lambda r: -r.seconds)[:8]:
        print(f"  {r.seconds:6.2f} s  {r.id}  ({r.verdict})")
    failed = [r.id for r in results if r.verdict == "failed"]
    print("failed:", failed or "none")


if __name__ == "__main__":
    main()
