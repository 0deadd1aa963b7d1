"""certify on the functions ML uses (issue 15, question 1) — decided fraction, correctness against the
independent mpmath reference, and time per function / per query; plus why the interval layer is the
toolkit's own stable rules over ``mpmath.iv`` rather than mpmath's ``iv`` or python-flint's ``arb``
applied to sympy's derivatives.

    python benchmarks/certify.py            # the whole set at H1 in {0, 0.5, 2, 10}, then the interval study
    python benchmarks/certify.py --quick    # the first 10 functions

"Decided" = exact, or a certified bracket of relative width <= 1e-6 (absolute 1e-9 for a value <= 1e-6);
"wrong" = the reference (mpmath, 40 digits, grid + findroot) lies outside the certified value.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone

import sympy as sp
from mpmath import iv

from warmup_theory.theory.certify import _certify_cached, certify, one_dim_tools, stable
from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.certify.ml_set import ML_SET, agrees, decided, reference_phi, w
from warmup_theory.theory.certify.stable import normalise, stable_diff

H1S = (0.0, 0.5, 2.0, 10.0)


def run_set(fns: list[tuple[str, sp.Expr]]) -> None:
    print(f"{'function':36} {'build s':>7} {'max q s':>7}  H1: method / relative width")
    n = dec = wrong = 0
    builds, queries, totals = [], [], []
    for name, f in fns:
        t0 = time.perf_counter()
        c = certify(f, w)
        tb = time.perf_counter() - t0
        cells, qs = [], []
        for h in H1S:
            t1 = time.perf_counter()
            a = c.min_H0(h)
            qs.append(time.perf_counter() - t1)
            ref = reference_phi(f, h)
            n += 1
            d, x = decided(a), not agrees(a, ref)
            dec += d
            wrong += x
            rel = 0.0 if a.method == "exact" or not math.isfinite(a.upper) else \
                (a.upper - a.lower) / max(abs(a.upper), 1e-300)
            cells.append(f"{h:g}:{'ex' if a.method == 'exact' else f'{rel:.0e}'}{'' if d else '?'}{'!' if x else ''}")
        builds.append(tb)
        queries += qs
        totals.append(tb + qs[0])
        print(f"{name[:36]:36} {tb:7.2f} {max(qs):7.2f}  {' '.join(cells)}")
        sys.stdout.flush()
    print(f"\n{len(fns)} functions, {n} queries: decided {dec}/{n} = {100 * dec / n:.1f} %, wrong {wrong}")
    print(f"build: median {statistics.median(builds):.2f} s, max {max(builds):.2f} s; "
          f"query: median {statistics.median(queries):.2f} s, max {max(queries):.2f} s; "
          f"build + first query: max {max(totals):.2f} s")


def question_1() -> None:
    f = sp.log(1 + sp.exp(w)) + w**2 / 10
    for cache in (_certify_cached, one_dim_tools._lim, one_dim_tools._solve):  # a cold start
        cache.cache_clear()
    t0 = time.perf_counter()
    c = certify(f, w)
    a = c.min_H0(0.0)
    t = time.perf_counter() - t0
    print(f"\nQ1 f = log(1 + e^w) + w²/10: smooth = {c.smooth}, f* in [{c.f_star.lower!r}, {c.f_star.upper!r}]")
    print(f"   φ(0) in [{a.lower!r}, {a.upper!r}] ({a.method}, width {a.upper - a.lower:.2e}); "
          f"certify + φ(0): {t:.2f} s")
    print(f"   holds(0.46, 0) = {c.holds(0.46, 0.0).state}, holds(0.44, 0) = {c.holds(0.44, 0.0).state}, "
          f"holds(0.45, 0) = {c.holds(0.45, 0.0).state} (H0 on the frontier)")
    for h in (0.5, 2.0):
        t1 = time.perf_counter()
        b = c.min_H0(h)
        print(f"   φ({h:g}) in [{b.lower:.12g}, {b.upper:.12g}] ({time.perf_counter() - t1:.2f} s)")


def _iv_elementary(e: sp.Expr):
    # mpmath.iv has exp and log but no cosh / sinh / tanh: written from exp, as a user would
    mods = [{"exp": iv.exp, "log": iv.log, "cosh": lambda x: (iv.exp(x) + iv.exp(-x)) / 2,
             "sinh": lambda x: (iv.exp(x) - iv.exp(-x)) / 2}, "mpmath"]
    return sp.lambdify(w, e, modules=mods)


def interval_study() -> None:
    """Enclosures of f'' on boxes, three ways: mpmath.iv on sympy's elementary f''; python-flint arb
    (if installed) on the same; the toolkit's compile_iv on the stable normal form."""
    print("\ninterval layer: enclosure of f'' (lower, upper) and time per enclosure")
    cases = [("softplus", sp.log(1 + sp.exp(w))), ("log cosh", sp.log(sp.cosh(w)))]
    boxes = [(0.5, 0.75), (8.0, 16.0), (30.0, 60.0), (8.0, math.inf)]
    try:
        import flint
    except ImportError:
        flint = None
    for name, f in cases:
        f2 = sp.diff(f, w, 2)
        ivf = _iv_elementary(f2)
        st = civ.compile_iv(stable_diff(normalise(f, w), w, 2), (w,))
        for a, b in boxes:
            x = iv.mpf([a, b if math.isfinite(b) else "inf"])
            rows = []
            t0 = time.perf_counter()
            try:
                for _ in range(200):
                    y = ivf(x)
                r = f"[{float(y.a):.3g}, {float(y.b):.3g}]"
            except Exception as exc:  # mpmath.iv raises or returns nan on inf/inf
                r = f"error {type(exc).__name__}"
            rows.append(("mpmath.iv elementary", r, (time.perf_counter() - t0) / 200))
            if flint is not None and math.isfinite(b):
                fl = sp.lambdify(w, f2, modules=[{"exp": lambda z: z.exp(), "log": lambda z: z.log(),
                                                  "cosh": lambda z: z.cosh(), "sinh": lambda z: z.sinh()}])
                xb = flint.arb((a + b) / 2, (b - a) / 2)
                t0 = time.perf_counter()
                for _ in range(200):
                    yb = fl(xb)
                lo_, hi_ = yb.lower(), yb.upper()
                rows.append(("flint arb elementary", f"[{float(lo_):.3g}, {float(hi_):.3g}]",
                             (time.perf_counter() - t0) / 200))
            t0 = time.perf_counter()
            for _ in range(200):
                stable._MEMO.clear()  # time a cold enclosure (the engine caches per node and box)
                y = st(x)
            rows.append(("toolkit stable form", f"[{float(y.a):.3g}, {float(y.b):.3g}]",
                         (time.perf_counter() - t0) / 200))
            for who, r, dt in rows:
                print(f"  {name:9} {f'[{a:g}, {b:g}]':10} {who:22} {r:26} {1e6 * dt:8.1f} µs")
    if flint is None:
        print("  (python-flint not installed: arb rows skipped)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the first 10 functions")
    ap.add_argument("--no-set", action="store_true", help="skip the ML set (question 1 and intervals only)")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} logical CPUs, "
          f"python {platform.python_version()}, sympy {sp.__version__}, load {load:.2f}")
    if not args.no_set:
        run_set(ML_SET[:10] if args.quick else ML_SET)
    question_1()
    interval_study()


if __name__ == "__main__":
    main()
