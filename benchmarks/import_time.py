"""Import time of ``import warmup_theory`` (target: < 0.5 s, and no torch / sympy / numpy loaded).

Each measurement is a fresh interpreter (``python -X importtime -c "import warmup_theory"``, cumulative
microseconds of the top-level import) so nothing is cached in-process; the baseline is ``import json``
(a small stdlib package) measured the same way in the same run, and the first use of a torch-backed name
(``warmup_theory.CurvatureTracker``) is timed too, to show what the lazy facade defers.

    python benchmarks/import_time.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def _importtime_us(code: str, module: str) -> float:
    """Cumulative import time (µs) of ``module`` reported by -X importtime when running ``code``."""
    with tempfile.TemporaryDirectory() as cwd:  # outside the checkout: import what is installed
        res = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                             cwd=cwd, check=True)
    for line in res.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return float(parts[1])
    raise RuntimeError(f"{module} not in -X importtime output")


def _wall_s(code: str) -> float:
    """Wall time of a fresh interpreter running ``code`` (includes interpreter start-up)."""
    with tempfile.TemporaryDirectory() as cwd:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=cwd)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    check = ("import sys, warmup_theory; "
             "print(sorted(m for m in ('torch', 'sympy', 'numpy', 'scipy') if m in sys.modules))")
    with tempfile.TemporaryDirectory() as cwd:
        heavy = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True,
                               cwd=cwd).stdout.strip()
    wt = [_importtime_us("import warmup_theory", "warmup_theory") / 1e6 for _ in range(a.repeats)]
    js = [_importtime_us("import json", "json") / 1e6 for _ in range(a.repeats)]
    bare = [_wall_s("pass") for _ in range(a.repeats)]
    full = [_wall_s("import warmup_theory") for _ in range(a.repeats)]
    torch_first = [_wall_s("import warmup_theory as w; w.CurvatureTracker") for _ in range(3)]
    med = statistics.median
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"{os.cpu_count()} logical CPUs, python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
    print(f"heavy modules loaded by `import warmup_theory`: {heavy}")
    print(f"import warmup_theory (-X importtime, median of {a.repeats}): {med(wt) * 1e3:.1f} ms "
          f"(min {min(wt) * 1e3:.1f}, max {max(wt) * 1e3:.1f}); import json: {med(js) * 1e3:.1f} ms "
          f"(ratio {med(wt) / med(js):.1f}x)")
    print(f"fresh interpreter wall: bare {med(bare):.3f} s, with import warmup_theory {med(full):.3f} s "
          f"(+{med(full) - med(bare):.3f} s); first torch-backed name {med(torch_first):.2f} s")
    print("target < 0.5 s without torch:", "met" if med(wt) < 0.5 and heavy == "[]" else "NOT met")


if __name__ == "__main__":
    main()
