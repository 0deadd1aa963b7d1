"""``warmup-theory bounds THEOREM``: evaluate a step size or iteration bound and show its formula.

Prints the value for the given numbers and a compact expression: the branch of the formula that applies at
these inputs (every ``Piecewise`` / ``Min`` / ``Max`` resolved at the numbers, re-evaluated to the same value),
wrapped at :data:`WIDTH` characters.  ``--verbose`` adds the full symbolic expression (sympy, with every
``Piecewise``), ``--latex`` prints it as LaTeX, ``--json`` a machine-readable record (``expression`` is the
full one; ``expression_here`` the branch).  Counts are integers K with f(w_k) − f* <= eps for all k >= K
(see ``warmup_theory.theory.bounds``).  A missing required parameter or a bad value exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import sympy as sp

NAME = "bounds"
#: Longest line of the default text output.
WIDTH = 120
HELP = "evaluate a step size / iteration bound of Section 4 (v2) and print its formula"

# theorem -> (description, required parameters, calculator name, accepts --printed)
THEOREMS: dict[str, tuple[str, tuple[str, ...], str, bool]] = {
    "pl-adaptive": ("Thm 4.3 (corrected): GD with Eq. (1) under mu-PL, upper bound",
                    ("H0", "H1", "mu", "gap0", "eps"), "pl_adaptive_iterations", True),
    "pl-adaptive-best": ("toolkit's Thm 4.3 for the best proven step 1/(H0 + H1 gap) (family a = b = 1)",
                         ("H0", "H1", "mu", "gap0", "eps"), "pl_adaptive_family_iterations", False),
    "pl-fixed": ("fixed step 1/(H0+H1 gap0) under mu-PL, upper bound (toolkit's own)",
                 ("H0", "H1", "mu", "gap0", "eps"), "pl_fixed_iterations", False),
    "pl-fixed-lower": ("Thm 4.1(3) (corrected): every class-stable fixed step, lower bound",
                       ("H0", "H1", "mu", "gap0", "eps"), "pl_fixed_lower_iterations", True),
    "pl-adaptive-recursion": ("worst-case recursion of Eq. (1) under mu-PL (numeric; beyond the paper)",
                              ("H0", "H1", "mu", "gap0", "eps"), "pl_adaptive_recursion_iterations", False),
    "aiming-adaptive": ("Thm 4.2′ (toolkit's direct proof, theta > 1/10): Eq. (1) under theta-aiming",
                        ("H0", "H1", "theta", "dist0", "eps"), "aiming_adaptive_iterations", True),
    "aiming-adaptive-recursion": ("worst-case one-step aiming recursion of Eq. (1) (beyond the paper)",
                                  ("H0", "H1", "theta", "dist0", "eps"), "aiming_adaptive_recursion_iterations", False),
    "aiming-fixed": ("fixed step under theta-aiming, upper bound (toolkit's own)",
                     ("H0", "H1", "theta", "gap0", "dist0", "eps"), "aiming_fixed_iterations", False),
    "aiming-fixed-lower": ("Thm 4.1(1-2)′ (toolkit's own): every class-stable fixed step, lower bound",
                           ("H0", "H1", "theta", "gap0", "dist0", "eps"), "aiming_fixed_lower_iterations", False),
    "adaptive-step": ("Eq. (1): 1/(10 H0 + 20 H1 gap), gap given as --gap0",
                      ("H0", "H1", "gap0"), "adaptive_step", False),
    "pl-fixed-step": ("largest certified class-stable fixed step 2/(H0 + H1 gap0) (mu-PL class)",
                      ("H0", "H1", "mu", "gap0"), "pl_fixed_step", False),
    "aiming-fixed-step": ("largest certified class-stable fixed step 2/(H0 + H1 gap0) (aiming class)",
                          ("H0", "H1", "theta", "gap0"), "aiming_fixed_step", False),
    "pl-fixed-step-upper": ("no fixed step above this is class-stable (cosh / hard-function witnesses)",
                            ("H0", "H1", "mu", "gap0"), "pl_fixed_step_upper", False),
}

# argparse (3.11) takes "-1e-3" for an option because its negative-number pattern (^-\d+$|^-\d*\.\d+$) has
# no exponent, so "--eps -1e-3" failed with "expected one argument" before the range check could name the
# valid range.  This pattern also accepts exponents, "-inf" and "-nan"; it is used only because no option of
# this sub-command looks like a negative number (argparse then treats such strings as values).
_NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE)

#: Descriptions of printed forms that are not "(corrected)" results.
_PRINTED = {"aiming-adaptive": "Thm 4.2 as printed (theta = 1, constants 40 and 40): valid but looser than Thm 4.2′"}

_SYMBOL_NAMES = {"H0": "H_0", "H1": "H_1", "mu": "mu", "theta": "theta", "gap0": "Delta_0",
                 "dist0": "d_0", "eps": "epsilon"}


def _epilog() -> str:
    lines = ["theorems:"]
    for k, (desc, req, _, printed) in THEOREMS.items():
        lines.append(f"  {k:<22} {desc}")
        lines.append(f"  {'':<22} needs: {' '.join('--' + r for r in req)}{'  [--printed]' if printed else ''}")
    lines.append("example: warmup-theory bounds pl-adaptive --H0 1 --H1 1 --mu 0.5 --gap0 10 --eps 1e-3")
    return "\n".join(lines)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    # let negative numbers such as -1e-3 through as option values (argparse's own pattern misses exponents),
    # so that a negative value reaches the range check and exits 2 with "eps must be in (0, inf), got ..."
    p._negative_number_matcher = _NEGATIVE_NUMBER  # argparse's (private) per-parser hook
    p.epilog = _epilog()
    p.add_argument("theorem", choices=list(THEOREMS), metavar="THEOREM",
                   help="which bound (see the list below)")
    for name in ("H0", "H1", "mu", "theta", "gap0", "dist0", "eps"):
        p.add_argument(f"--{name}", type=float, default=None, help=f"value of {name}")
    p.add_argument("--printed", action="store_true", help="the paper's printed form (where it differs)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON record")
    out.add_argument("--latex", action="store_true", help="print the (full) expression as LaTeX")
    out.add_argument("--verbose", "-v", action="store_true", help="also print the full expression (every Piecewise)")


def _calculator(name: str) -> Callable[..., Any]:
    import warmup_theory.theory.bounds as b

    fn: Callable[..., Any] = getattr(b, name)
    return fn


def evaluate(theorem: str, values: dict[str, float], printed: bool = False) -> dict[str, Any]:
    """Value and symbolic expression of ``theorem`` at ``values`` (ValueError on bad input).

    >>> r = evaluate("pl-adaptive", {"H0": 1, "H1": 1, "mu": 0.5, "gap0": 10, "eps": 1e-3})
    >>> r["value"]
    1009.0
    """
    desc, req, fname, has_printed = THEOREMS[theorem]
    missing = [r for r in req if values.get(r) is None]
    if missing:
        raise KeyError(", ".join("--" + m for m in missing))
    if printed and not has_printed:
        raise ValueError(f"--printed is not available for {theorem}")
    fn = _calculator(fname)
    kw = {"printed": True} if printed else {}
    args = [values[r] for r in req]
    value = fn(*args, **kw)
    if printed:
        desc = _PRINTED.get(theorem) or desc.split(":")[0].replace("(corrected)",
                                                                   "as printed in the paper (defective, see verify)")
    record: dict[str, Any] = {"theorem": theorem, "description": desc, "printed": printed,
                              "inputs": {r: values[r] for r in req}}
    if hasattr(value, "to_dict"):
        record["value"] = value.iterations
        record["detail"] = value.to_dict()
        record["expression"] = None
        record["expression_here"] = None
        return record
    record["value"] = float(value)
    expr = None
    if True:
        syms = []
        for r, v in zip(req, args):
            # a zero constant is substituted (H1 = 0 selects the classical branch), others stay symbols
            keep = (v == 0 and r in ("H0", "H1")) or (printed and r == "theta")  # printed Thm 4.2: θ = 1 only
            syms.append(v if keep else sp.Symbol(_SYMBOL_NAMES[r], positive=True))
        try:
            expr = fn(*syms, **kw)
        except ValueError:
            expr = None
    record["expression"] = expr
    subs = {sym: v for sym, v in zip(syms, args) if isinstance(sym, sp.Symbol)}
    record["expression_here"] = None if expr is None else branch_at(expr, subs, record["value"])
    return record


def branch_at(expr: Any, subs: dict[sp.Symbol, float], value: float | None = None) -> Any:
    """The branch of ``expr`` that applies at the numbers ``subs``: every ``Piecewise`` replaced by its first
    piece whose condition holds there, every ``Min`` / ``Max`` by its smallest / largest argument there.

    The result is a formula in the same symbols that equals ``expr`` near ``subs`` (on the same branch);
    when ``value`` is given it must evaluate to it (relative 1e-9), else ``expr`` itself is returned.

    >>> x, y = sp.symbols("x y", positive=True)
    >>> branch_at(sp.Piecewise((0, x <= y), (sp.Min(x, 2 * y), True)), {x: 3.0, y: 1.0}, 2.0)
    2*y
    """

    def walk(e: Any) -> Any:
        if not isinstance(e, sp.Basic) or not e.args or isinstance(e, sp.logic.boolalg.Boolean):
            return e
        if isinstance(e, sp.Piecewise):
            for piece, cond in e.args:
                if bool(cond.subs(subs)):
                    return walk(piece)
            raise ValueError("no piece applies")
        if isinstance(e, (sp.Min, sp.Max)):
            vals = [(float(a.subs(subs)), a) for a in e.args]
            return walk((min if isinstance(e, sp.Min) else max)(vals, key=lambda t: t[0])[1])
        return e.func(*[walk(a) for a in e.args])

    try:
        here = walk(expr)
        if value is not None:
            v = float(here.subs(subs))
            if not (v == value or abs(v - value) <= 1e-9 * abs(value)):
                return expr
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return expr
    return here


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    values = {k: getattr(args, k) for k in _SYMBOL_NAMES}
    try:
        rec = evaluate(args.theorem, values, args.printed)
    except KeyError as exc:
        print(f"warmup-theory bounds {args.theorem}: missing required parameter(s) {exc.args[0]}",
              file=sys.stderr)
        return 2
    except (ValueError, TypeError) as exc:
        print(f"warmup-theory bounds {args.theorem}: {exc}", file=sys.stderr)
        return 2
    expr, here = rec["expression"], rec.get("expression_here")
    if args.json:
        out = dict(rec)
        out["expression"] = None if expr is None else str(expr)
        out["expression_here"] = None if here is None else str(here)
        out["latex"] = None if expr is None else sp.latex(expr)
        print(json.dumps(out, indent=1, default=str))
        return 0
    if args.latex:
        print(sp.latex(expr) if expr is not None else "% no closed form (numeric only)")
        return 0
    tag = " (printed form)" if args.printed else ""
    _say(f"{args.theorem}{tag}: {rec['description']}")
    _say("inputs: " + ", ".join(f"{k}={v:g}" for k, v in rec["inputs"].items()))
    v = rec["value"]
    print(f"value: {int(v) if float(v).is_integer() and abs(v) < 1e15 else v}")
    if expr is None:
        print("expression: (numeric only)")
        return 0
    _say(f"expression: {here}")
    if here is not expr and here != expr:
        _say("  (the branch that applies at these inputs; the full Piecewise: --verbose, LaTeX: --latex)")
    if args.verbose:
        print(f"full expression: {expr}")
    return 0


def _say(text: str) -> None:
    """Print ``text`` wrapped at :data:`WIDTH` (continuation lines indented)."""
    print(textwrap.fill(text, WIDTH, subsequent_indent="    ", break_long_words=True, break_on_hyphens=False))
