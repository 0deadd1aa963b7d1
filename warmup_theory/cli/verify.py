"""``warmup-theory verify``: run every claim's machine-checked proof."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warmup_theory.proofs_checks.framework import ClaimResult

NAME = "verify"
HELP = "run every claim's machine-checked proof; exit 1 if any fails"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--json", action="store_true", help="print a JSON list of claim results")
    p.add_argument("--only", metavar="TEXT", action="append", default=[],
                   help="run only claims whose id contains TEXT (repeatable, case-insensitive)")
    p.add_argument("--steps", action="store_true", help="also print every proof step")
    p.add_argument("--list", action="store_true", help="list claim ids and statements, run nothing")


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    from warmup_theory.proofs_checks.framework import registry, run_claim

    claims = list(registry().values())
    if args.only:
        keys = [k.lower() for k in args.only]
        claims = [c for c in claims if any(k in c.id.lower() for k in keys)]
        if not claims:
            print(f"no claim id contains any of {args.only}", file=sys.stderr)
            return 2
    if args.list:
        for c in claims:
            print(f"{c.id}\t{c.statement}")
        return 0
    t0 = time.perf_counter()
    results = [run_claim(c) for c in claims]
    total = time.perf_counter() - t0
    failed = [r for r in results if r.verdict == "failed"]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False))
    else:
        _print_table(results, args.steps)
        counts = {v: sum(r.verdict == v for r in results) for v in ("proved", "holds", "defective", "failed")}
        print(f"\n{len(results)} claims in {total:.1f} s: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    return 1 if failed else 0


def _print_table(results: Sequence[ClaimResult], show_steps: bool) -> None:
    """One line per claim (id, statement, method, verdict, seconds); the proof steps with ``show_steps``."""
    w_id = max([len(r.id) for r in results] + [5])
    w_st = 70
    header = f"{'claim':<{w_id}}  {'statement':<{w_st}}  {'method':<28}  {'verdict':<9}  seconds"
    print(header)
    print("-" * len(header))
    for r in results:
        st = r.statement if len(r.statement) <= w_st else r.statement[: w_st - 1] + "…"
        print(f"{r.id:<{w_id}}  {st:<{w_st}}  {r.method:<28}  {r.verdict:<9}  {r.seconds:7.3f}")
        if r.witness is not None:
            print(f"{'':<{w_id}}  witness: {json.dumps(r.witness, default=str, ensure_ascii=False)}")
        if r.error:
            print(f"{'':<{w_id}}  error: {r.error.splitlines()[0]}")
        if show_steps or r.verdict == "failed":
            for s in r.steps:
                mark = "ok " if s.ok else "FAIL"
                print(f"{'':<{w_id}}    [{mark}] ({s.method}) {s.description}" + (f" — {s.detail}" if s.detail else ""))
