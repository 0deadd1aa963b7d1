"""``warmup-theory table``: predicted vs observed GD iteration counts, warm-up vs fixed steps.

Runs float64 GD with the schedules of :mod:`warmup_theory.numerics.table.spec` on the problem families,
pairs each observed count (first k with f(w_k) − f* <= eps) with the proven bounds of
``warmup_theory.theory.bounds``, checks the invariants (:mod:`warmup_theory.numerics.table.invariants`),
runs the gap0 / eps sweeps, and writes Markdown / CSV / LaTeX (+ JSON) and PNG/SVG plots under ``--out``.
Exit status: 0 when every decided invariant holds (rows resting on estimated constants and
undecided checks are marked ``?`` and counted apart, they do not fail the run), 1 when one breaks
(marked ``!`` in the table and listed; sweep violations included), 2 for bad arguments, 3 when a
requested problem family could not run (a missing dependency: the table is incomplete; 1 wins
when an invariant also broke).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warmup_theory.numerics.table.sweeps import SweepCheck, SweepResult

from warmup_theory.cli._common import fail

NAME = "table"
HELP = "run GD with warm-up and fixed steps; write predicted vs observed iteration tables and plots"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    from warmup_theory.numerics.table.formats import FORMATS
    from warmup_theory.numerics.table.spec import FAMILY_NAMES, SCHEDULE_NAMES

    p.add_argument("--out", default="results", metavar="DIR", help="output folder (default: results/)")
    p.add_argument("--format", default=",".join(FORMATS), metavar="LIST",
                   help=f"comma list of {', '.join(FORMATS)} (default: all; table.json is always written)")
    p.add_argument("--quick", action="store_true", help="small set (about 20 s on 2 CPU cores)")
    p.add_argument("--seed", type=int, default=0,
                   help=f"seed of every random instance and start, an integer in [0, {SEED_MAX}] (default 0)")
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: cuda when available)")
    p.add_argument("--problems", default=None, metavar="LIST",
                   help="comma list of problem families "
                        f"(default: all; --quick: all but {', '.join(_slow_families())}): {', '.join(FAMILY_NAMES)}")
    p.add_argument("--schedules", default=None, metavar="LIST",
                   help=f"comma list of schedules (default: all): {', '.join(SCHEDULE_NAMES)}")
    p.add_argument("--max-iter", type=int, default=None, help="GD iteration cap per run (default 60000)")
    p.add_argument("--oracle-grid", type=int, default=None,
                   help="number of steps in the fixed-step oracle grid (default 24, --quick 8)")
    p.add_argument("--no-sweeps", action="store_true", help="skip the gap0 / eps sweeps")
    p.add_argument("--no-plots", action="store_true", help="write no PNG/SVG files")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="print the full Markdown table with its notes (as in table.md) instead of the summary")
    p.add_argument("--stochastic", action="store_true",
                   help="instead: SGD under interpolation, 200 seeds per row, beside the SGD bounds (sgd_table.*)")


#: Largest accepted ``--seed`` (numpy / torch generators take any non-negative int below 2**64; the
#: builders derive seed*1000 + i, so 2**32 − 1 keeps every derived seed far inside that range).
SEED_MAX = 2**32 - 1
#: Exit status when a requested family could not run (missing dependency).
EXIT_INCOMPLETE = 3


def _slow_families() -> tuple[str, ...]:
    from warmup_theory.numerics.table.spec import FAMILIES

    return tuple(f.name for f in FAMILIES if not f.in_quick)


_fail = partial(fail, NAME)


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    from warmup_theory.numerics.table.formats import FORMATS
    from warmup_theory.numerics.table.spec import FAMILY_NAMES, QUICK_FAMILY_NAMES, SCHEDULE_NAMES, parse_list

    try:
        formats = parse_list(args.format, FORMATS, "formats")
        problems = parse_list(args.problems, FAMILY_NAMES, "problems")
        if args.quick and not args.problems:
            problems = QUICK_FAMILY_NAMES
        schedules = parse_list(args.schedules, SCHEDULE_NAMES, "schedules")
    except ValueError as exc:
        return _fail(str(exc))
    if not 0 <= args.seed <= SEED_MAX:
        return _fail(f"--seed must be an integer in [0, {SEED_MAX}], got {args.seed}")
    if args.max_iter is not None and args.max_iter < 1:
        return _fail(f"--max-iter must be >= 1, got {args.max_iter}")
    if args.oracle_grid is not None and args.oracle_grid < 1:
        return _fail(f"--oracle-grid must be >= 1, got {args.oracle_grid}")
    from warmup_theory.numerics.device import resolve_device

    try:
        device = str(resolve_device(args.device))
    except (ValueError, TypeError) as exc:
        return _fail(str(exc))
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot create --out {out}: {exc}")
    if args.stochastic:
        from warmup_theory.numerics.table.stochastic import run_stochastic_table

        md, status = run_stochastic_table(out, quick=args.quick, seed=args.seed, device=device, plots=not args.no_plots,
                                          verbose=args.verbose)
        sys.stdout.write(md)
        return status
    return _run(args, formats, problems, schedules, device, out)


def _run(args: argparse.Namespace, formats: Sequence[str], problems: tuple[str, ...], schedules: tuple[str, ...],
         device: str, out: Path) -> int:
    """Run the table with validated arguments; write the files; return the exit status."""
    from warmup_theory.numerics.table.formats import to_csv, to_json, to_latex, to_markdown
    from warmup_theory.numerics.table.invariants import summary_line
    from warmup_theory.numerics.table.runner import Progress, run_table
    from warmup_theory.numerics.table.spec import TableConfig

    cfg = TableConfig(problems=problems, schedules=schedules, quick=args.quick, seed=args.seed, device=device,
                      max_iter=args.max_iter or (20_000 if args.quick else 60_000),
                      oracle_grid=args.oracle_grid or (8 if args.quick else 24))
    steps = len(problems) + (0 if args.no_sweeps else 1) + (0 if args.no_plots else 1)
    prog = Progress(steps, enabled=not args.no_progress)
    t0 = time.perf_counter()
    tr = run_table(cfg, prog)
    sw = None
    sw_check = None
    sweep_viol: list[str] = []
    sweep_lines: list[str] = []
    if not args.no_sweeps:
        from warmup_theory.numerics.table.sweeps import findings, run_sweeps, sweep_checks

        sw = run_sweeps(quick=args.quick, device=device, seed=args.seed,
                        grid=cfg.oracle_grid if args.quick else 16, max_iter=cfg.max_iter)
        sw_check = sweep_checks(sw)
        sweep_viol = sw_check.violations
        sweep_lines = findings(sw)
        prog.step("sweeps")
    meta = dict(tr.meta)
    meta["seconds"] = round(time.perf_counter() - t0, 2)
    plots: list[Path] = []
    if not args.no_plots:
        from warmup_theory.numerics.table.plots import plot_sweeps, plot_trajectories

        for fr in tr.families:
            if fr.result.gap_history is not None:
                plots += plot_trajectories(fr, out, meta)
                break
        if sw is not None:
            plots += plot_sweeps(sw, out, meta)
        prog.step("plots")
    md = to_markdown(tr.rows, meta)
    extra_md = []
    if tr.missing:
        extra_md += ["", "Missing families (not run):"] + [f"- {k}: {v}" for k, v in tr.missing.items()]
    if sw is not None and sw_check is not None:
        extra_md += ["", f"Sweeps ({sw.runs} runs in one batched program, {sw.seconds:.1f} s; "
                         f"{sw.loop_iterations} iterations; oracle grid {sw.meta['oracle_grid']}):"]
        extra_md += [f"- {line}" for line in sweep_lines]
        extra_md += [f"- sweep invariants: {sw_check.summary()}"]
        extra_md += [f"  - ! {v}" for v in sweep_viol[:20]]
        if len(sweep_viol) > 20:
            extra_md += [f"  - ! … {len(sweep_viol) - 20} more (table.json)"]
        extra_md += [f"  - ? {u}" for u in sw_check.undecided[:10]]
        if len(sw_check.undecided) > 10:
            extra_md += [f"  - ? … {len(sw_check.undecided) - 10} more (table.json, sweep.csv)"]
    extra_md += ["", "Column `seconds`: wall time of the batched program the row ran in (shared by all its runs). "
                     "`observed`: first k with f(w_k) − f* <= eps. Upper bounds: K such that f(w_k) − f* <= eps "
                     "for all k >= K (warmup_theory.theory.bounds). `lower`: only on a lower bound's witness row."]
    if plots:
        extra_md += ["", "Plots: " + ", ".join(p.name for p in plots)]
    md_full = md + "\n".join(extra_md) + "\n"
    written = []
    if "md" in formats:
        (out / "table.md").write_text(md_full, encoding="utf-8")
        written.append("table.md")
    if "csv" in formats:
        (out / "table.csv").write_text(to_csv(tr.rows, meta), encoding="utf-8")
        written.append("table.csv")
        if sw is not None:
            (out / "sweep.csv").write_text(_sweep_csv(sw, meta, sw_check), encoding="utf-8")
            written.append("sweep.csv")
    if "tex" in formats:
        (out / "table.tex").write_text(to_latex(tr.rows, meta), encoding="utf-8")
        written.append("table.tex")
    extra_json: dict[str, Any] = {"missing": tr.missing, "plots": [p.name for p in plots]}
    if sw is not None and sw_check is not None:
        extra_json["sweep"] = {"meta": sw.meta, "findings": sweep_lines, "violations": sweep_viol,
                               "summary": sw_check.summary(), "undecided": sw_check.undecided,
                               "bound_errors": sw_check.bound_errors, "points_decided": sw_check.decided,
                               "points_undecided": sw_check.n_undecided, "points_broken": sw_check.broken_points,
                               "seconds": sw.seconds, "runs": sw.runs}
    (out / "table.json").write_text(to_json(tr.rows, meta, extra_json), encoding="utf-8")
    written.append("table.json")
    wrote = f"wrote {', '.join(written)}" + (f" and {len(plots)} plot files" if plots else "") + f" to {out}/"
    if args.verbose:
        sys.stdout.write(md_full)
        print(f"\n{wrote}")
    else:
        from warmup_theory.numerics.table.summary import summary_lines

        extra = [f"missing (not run): {k}: {v}" for k, v in tr.missing.items()]
        if sw is not None and sw_check is not None:
            extra.append(f"sweeps ({sw.runs} runs, {sw.seconds:.1f} s): {sw_check.summary()}")
            extra += [f"! sweep: {v}" for v in sweep_viol] + [f"- {line}" for line in sweep_lines]
        footer = [wrote, "full table, notes and every !/? explained: table.md (or --verbose)"]
        print("\n".join(summary_lines(tr.rows, meta, extra=extra, footer=footer)))
    broken = [r for r in tr.rows if r.violations]
    if broken or sweep_viol:
        print(f"FAILED: {summary_line(tr.rows)}; sweep violations: {len(sweep_viol)}", file=sys.stderr)
        return 1
    if tr.missing:
        print(f"INCOMPLETE: families not run (exit {EXIT_INCOMPLETE}): "
              + "; ".join(f"{k}: {v}" for k, v in tr.missing.items()), file=sys.stderr)
        return EXIT_INCOMPLETE
    return 0


def _sweep_csv(sw: SweepResult, meta: dict[str, Any], check: SweepCheck | None = None) -> str:
    import csv
    import io

    from warmup_theory.numerics.table.formats import meta_line

    rows = sw.rows(check)
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    buf.write(f"# {meta_line(meta)}\n")
    if check is not None:
        buf.write(f"# sweep invariants: {check.summary()}\n")
    return buf.getvalue()
