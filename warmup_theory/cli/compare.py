"""``warmup-theory compare``: is the warm-up provably faster than every class-stable fixed step here?

One table: each schedule's proven upper bound, the fixed steps' proven lower bounds, and the iterations
observed on the class's extremal members (hard function, cosh, quadratic), then a verdict line
(:func:`warmup_theory.numerics.comparison.compare`).  ``--markdown`` / ``--json`` print those forms instead.
Exit 0; 1 if an observed count contradicts a proven bound; 2 on bad input.

    warmup-theory compare --H0 1 --H1 5 --mu 0.1 --gap0 100 --eps 1e-8
"""

from __future__ import annotations

import argparse
import json

from warmup_theory.cli._common import fail

NAME = "compare"
HELP = "warm-up vs fixed steps for given constants: proven bounds, observed counts, verdict"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--H0", type=float, required=True)
    p.add_argument("--H1", type=float, required=True)
    p.add_argument("--mu", type=float, help="PL constant (the mu-PL class); or give --theta and --dist0")
    p.add_argument("--theta", type=float, help="aiming constant (the theta-aiming class; 1 for convex f)")
    p.add_argument("--dist0", type=float, help="initial distance to the minimisers (with --theta)")
    p.add_argument("--gap0", type=float, required=True, help="initial gap f(w0) - f*")
    p.add_argument("--eps", type=float, required=True, help="target accuracy of the gap")
    p.add_argument("--max-iter", type=int, default=100_000, help="cap of each observed GD run (default 100000)")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: cuda when available)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the result as JSON")
    fmt.add_argument("--markdown", action="store_true", help="print a Markdown table, the members and the verdict")
    p.add_argument("--verbose", action="store_true", help="also list the members and each bound's source")


def run(args: argparse.Namespace) -> int:
    """Run the comparison and print it; the exit status."""
    from warmup_theory.numerics.comparison import compare

    try:
        res = compare(args.H0, args.H1, mu=args.mu, theta=args.theta, gap0=args.gap0, eps=args.eps,
                      dist0=args.dist0, max_iter=args.max_iter, device=args.device)
    except (ValueError, TypeError) as exc:
        msg = str(exc).replace("max_iter", "--max-iter")
        return fail(NAME, msg)
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
    elif args.markdown:
        print(res.to_markdown(), end="")
    else:
        print(res)
        if args.verbose:
            for m in res.members:
                print(f"member {m.name}: {m.expr} from w0 = {m.w0:.6g} (gap {m.gap0:.6g}); {m.why}")
            for r in res.rows:
                print(f"{r.schedule}: <= from {r.upper_source or '-'}; >= from {r.lower_source or '-'}")
    for b in res.broken:
        print(f"BROKEN: {b}")
    return 1 if res.broken else 0
