"""``warmup-theory verify``: run every claim's machine-checked proof.

Default output fits a terminal: one line per claim (verdict, seconds, id, how it was checked), at most
:data:`WIDTH` characters, printed as each claim finishes, then one summary line; a ``[k/n]`` counter on
stderr while it runs, only when stderr is a terminal.  ``--verbose`` adds each claim's statement and
witness (wrapped at :data:`WIDTH`); ``--steps`` every proof step; ``--json`` the full results (unchanged keys).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from warmup_theory.numerics.table.summary import fit as _fit

if TYPE_CHECKING:
    from warmup_theory.proofs_checks.framework import Claim, ClaimResult

NAME = "verify"
HELP = "run every claim's machine-checked proof; exit 1 if any fails"

#: Longest line of the default (and ``--verbose``) output.
WIDTH = 120
_VERDICTS = ("proved", "holds", "defective", "failed")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--json", action="store_true", help="print a JSON list of claim results")
    p.add_argument("--only", metavar="TEXT", action="append", default=[],
                   help="run only claims whose id (or old id) contains TEXT (repeatable, case-insensitive)")
    p.add_argument("--steps", action="store_true", help="also print every proof step")
    p.add_argument("--verbose", "-v", action="store_true", help="also print each claim's statement and witness")
    p.add_argument("--list", action="store_true", help="list claim ids and statements, run nothing")


def select(claims: Sequence[Claim], keys: Sequence[str]) -> list[Claim]:
    """The claims whose id, or an old id of ``claims.ALIASES`` that maps to it, contains one of ``keys``."""
    from warmup_theory.proofs_checks.claims import ALIASES

    names: dict[str, list[str]] = {c.id: [c.id.lower()] for c in claims}
    for old, new in ALIASES.items():
        names.setdefault(new, []).append(old.lower())
    low = [k.lower() for k in keys]
    return [c for c in claims if any(k in n for k in low for n in names[c.id])]


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    from warmup_theory.proofs_checks.framework import registry, run_claim

    claims = list(registry().values())
    if args.only:
        claims = select(claims, args.only)
        if not claims:
            print(f"no claim id contains any of {args.only}", file=sys.stderr)
            return 2
    if args.list:
        for c in claims:
            print(f"{c.id}\t{c.statement}")
        return 0
    w_id = min(max(len(c.id) for c in claims), 64)
    show = not args.json
    if show:
        print(_fit(f"{'verdict':<9}  {'seconds':>7}  {'claim':<{w_id}}  how checked (legend below)"))
    tty = _is_tty(sys.stderr)
    t0 = time.perf_counter()
    results: list[ClaimResult] = []
    for i, c in enumerate(claims):
        if tty:
            sys.stderr.write(_fit(f"\r[{i + 1}/{len(claims)}] {c.id}", WIDTH - 1).ljust(WIDTH - 1) + "\r")
            sys.stderr.flush()
        r = run_claim(c)
        results.append(r)
        if show:
            _print_result(r, w_id, verbose=args.verbose, steps=args.steps)
    if tty:
        sys.stderr.write(" " * (WIDTH - 1) + "\r")
        sys.stderr.flush()
    total = time.perf_counter() - t0
    failed = [r for r in results if r.verdict == "failed"]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False))
        return 1 if failed else 0
    for r in failed:
        print(_fit(f"FAILED {r.id}: {_why(r)}"))
    counts = {v: sum(r.verdict == v for r in results) for v in _VERDICTS}
    print(f"{len(results)} claims in {total:.1f} s: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    if any("′ (toolkit" in r.id for r in results):
        print("′ (toolkit: …): the toolkit's own result, replacing a paper result. "
              "--verbose: statements, witnesses; --steps: steps")
    print("how checked: methods of the proof steps [check: of the cross-checks only]; sym symbolic, cert "
          "certified-numeric,")
    print("  inst numeric instance, smpl sampled; 'proved' = every proof step sym / cert / cited")
    return 1 if failed else 0


def _print_result(r: ClaimResult, w_id: int, *, verbose: bool, steps: bool) -> None:
    """One line for the claim; with ``verbose`` its statement and witness, with ``steps`` its proof steps."""
    cid = r.id if len(r.id) <= w_id else r.id[: w_id - 1] + "…"
    print(_fit(f"{r.verdict:<9}  {r.seconds:7.2f}  {cid:<{w_id}}  {how(r)}"), flush=True)
    pad = " " * 4
    if verbose:
        _wrapped(f"statement: {r.statement}", pad)
        if r.witness is not None:
            _wrapped(f"witness: {json.dumps(r.witness, default=str, ensure_ascii=False)}", pad)
        if r.error:
            _wrapped(f"error: {r.error.splitlines()[0]}", pad)
    if steps:
        for s in r.steps:
            mark = "ok " if s.ok else "FAIL"
            role = "" if s.role == "proof" else ", check"
            _wrapped(f"[{mark}] ({s.method}{role}) {s.description}" + (f" — {s.detail}" if s.detail else ""),
                     pad)


#: Short names of the step methods in the one-line view (``--json`` keeps the full ``method``).
SHORT = {"symbolic": "sym", "certified-numeric": "cert", "cited": "cited", "hand": "hand", "instance": "inst",
         "sampled": "smpl", "model": "model"}


def how(r: ClaimResult) -> str:
    """The methods of the proof steps, then in brackets those used only by cross-checks (role "check").

    >>> from warmup_theory.proofs_checks.framework import ClaimResult, Step
    >>> how(ClaimResult("c", "s", "symbolic+instance+sampled", "proved", 0.0,
    ...                 (Step("a", "symbolic", True), Step("b", "instance", True, role="check"),
    ...                  Step("c", "sampled", True, role="check"))))
    'sym [check: inst+smpl]'
    """
    from warmup_theory.proofs_checks.framework import METHODS

    proof = [SHORT[m] for m in METHODS if any(s.method == m and s.role == "proof" for s in r.steps)]
    check = [SHORT[m] for m in METHODS if any(s.method == m and s.role == "check" for s in r.steps)
             and SHORT[m] not in proof]
    return "+".join(proof) + (f" [check: {'+'.join(check)}]" if check else "")


def _wrapped(text: str, indent: str) -> None:
    print(textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                        break_long_words=True, break_on_hyphens=False))


def _why(r: ClaimResult) -> str:
    if r.error:
        return r.error.splitlines()[0]
    bad = [s for s in r.steps if not s.ok]
    return f"step failed: {bad[0].description}" if bad else "no witness / no steps"


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
