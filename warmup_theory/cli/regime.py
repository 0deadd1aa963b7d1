"""``warmup-theory regime``: where the warm-up's proven upper bound beats every class-stable fixed step.

For each (gap0, eps) on a log grid, compares Eq. (1)'s upper bound (Thm 4.3 corrected, or Thm 4.2 under
aiming) with the fixed step's lower bound (Thm 4.1(3), or the toolkit's Thm 4.1(1-2)); see
:func:`warmup_theory.theory.regime.regime_map`. Prints the grid and writes the plot of
:func:`warmup_theory.numerics.figures.regime.plot_regime_map`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

NAME = "regime"
MAX_GRID = 200  # points per axis: the map is a terminal table
HELP = "map where the warm-up's proven upper bound beats the fixed step's lower bound (table + plot)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--kind", choices=("pl", "aiming"), default="aiming")
    p.add_argument("--H0", type=float, default=1.0)
    p.add_argument("--H1", type=float, default=1.0)
    p.add_argument("--mu", type=float, help="PL constant (kind pl)")
    p.add_argument("--theta", type=float, default=1.0, help="aiming constant (kind aiming; 1 for convex f)")
    p.add_argument("--dist0", type=float, default=1.0, help="initial distance to the minimisers (aiming)")
    p.add_argument("--gap0", default="1e0:1e4:9", metavar="LO:HI:N", help="log grid of initial gaps")
    p.add_argument("--eps", default="1e-6:1e-1:6", metavar="LO:HI:N", help="log grid of target accuracies")
    p.add_argument("--out", default="regime_map.png", help="plot file (.png or .svg)")
    p.add_argument("--json", action="store_true", help="print the map as JSON")


def _grid(text: str, name: str) -> list[float]:
    try:
        lo, hi, n = text.split(":")
        lo_f, hi_f, n_i = float(lo), float(hi), int(n)
    except ValueError:
        raise ValueError(f"--{name} must be LO:HI:N (log grid), got {text!r}") from None
    if not (lo_f > 0 and hi_f >= lo_f and 1 <= n_i <= MAX_GRID and math.isfinite(hi_f)):
        raise ValueError(f"--{name} needs 0 < LO <= HI < inf and 1 <= N <= {MAX_GRID}, got {text!r}")
    if n_i == 1:
        return [lo_f]
    a, b = math.log10(lo_f), math.log10(hi_f)
    return [10 ** (a + (b - a) * i / (n_i - 1)) for i in range(n_i)]


def _check_out(out: str) -> None:
    """Refuse a plot path the figure cannot be written to, before any work."""
    import tempfile
    from pathlib import Path

    path = Path(out)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"--out must end in .png or .svg, got {path.name!r}")
    folder = path.parent if str(path.parent) else Path(".")
    try:  # a real write: os.access says yes to root everywhere
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ValueError(f"--out: cannot write to the folder {str(folder)!r} ({exc.strerror})") from None


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    from warmup_theory.numerics.figures.regime import plot_regime_map
    from warmup_theory.theory.regime import regime_map

    try:
        _check_out(args.out)
        const = args.mu if args.kind == "pl" else args.theta
        flag = "--mu" if args.kind == "pl" else "--theta"
        if const is None:
            raise ValueError(f"{flag} is required for --kind {args.kind}")
        if not (math.isfinite(const) and const > 0):
            raise ValueError(f"{flag} must be in (0, inf), got {const}")
        m = regime_map(args.H0, args.H1, const, _grid(args.gap0, "gap0"), _grid(args.eps, "eps"),
                       kind=args.kind, dist0=args.dist0 if args.kind == "aiming" else None)
    except (TypeError, ValueError) as exc:
        print(f"warmup-theory regime: error: {exc}", file=sys.stderr)
        return 2
    try:
        path = plot_regime_map(m, args.out)
    except OSError as exc:
        print(f"warmup-theory regime: error: --out {args.out!r}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(m.to_dict(), indent=1))
        return 0
    print(f"regime map ({m.kind}): H0={m.H0:g}, H1={m.H1:g}, {'mu' if m.kind == 'pl' else 'theta'}="
          f"{m.mu_or_theta:g}" + (f", dist0={m.dist0:g}" if m.dist0 is not None else ""))
    print("W = warm-up upper bound < fixed-step lower bound (warm-up provably faster); . = not proven")
    head = "gap0 / eps"
    print(f"{head:>12} " + " ".join(f"{e:>8.1e}" for e in m.eps_grid))
    for g, row in zip(m.gap0_grid, m.warmup_wins):
        print(f"{g:>12.3g} " + " ".join(f"{'W' if w else '.':>8}" for w in row))
    print(f"warm-up provably wins on {m.fraction_won():.0%} of the grid; plot: {path}")
    if m.crossover_log10_eps is not None:
        worst = max(m.crossover_log10_eps)
        print(f"PL: the warm-up provably wins only for eps < 10**({worst:.1f}) at best on this gap0 grid")
    return 0
