"""``warmup-theory schedules``: does the loss-adaptive warm-up match tuned linear warm-up? (paper, v2 abstract)

For each peak lr and seed it trains (a) no warm-up, (b) linear warm-up over a grid of lengths (the tuned
baseline: the length chosen per peak lr is reported), (c) the untuned rule for Adam (2/(1 − β2) steps),
(d) the loss-adaptive warm-up over a C grid and with C = 2·H1/H0 from a probe run's fit — all with the same
decay, batched over runs (:mod:`warmup_theory.numerics.schedule_study`). Writes ``DIR/runs.csv``,
``DIR/summary.csv``, ``DIR/study.json``, ``DIR/curves.npz`` and the figures ``DIR/schedules_final_loss`` and
``DIR/schedules_curves`` (png, svg), and prints the verdict in numbers.

Exit status: 0 when the study ran (diverged runs are results, reported in the table), 2 for bad arguments
(one line on stderr), 3 when a dependency is missing (``pip install 'warmup-theory[experiments]'``).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from functools import partial
from pathlib import Path
from typing import Any

from warmup_theory.cli._common import add_experiment_flags, fail

NAME = "schedules"
HELP = "compare the loss-adaptive warm-up with tuned linear warm-up and no warm-up on offline data"
EXIT_MISSING = 3


def _floats(flag: str, text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        vals = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise ValueError(f"{flag} must be a comma list of numbers, got {text!r}") from None
    if not vals:
        raise ValueError(f"{flag} must be a comma list of numbers, got {text!r}")
    return vals


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--task", default="lm", help="lm (byte-level LM, stdlib sources) or digits (default lm)")
    p.add_argument("--model", default=None, help="lm: tiny, small, medium (default tiny); digits: mlp, resnet, vit")
    p.add_argument("--optimizer", default="adamw", help="adamw (default) or sgd")
    p.add_argument("--peak-lrs", default=None, metavar="LIST",
                   help="comma list of peak lrs (default adamw 1e-3,3e-3,...,3e-1)")
    p.add_argument("--seeds", type=int, default=None, help="seeds per setting (default 3; quick 2)")
    p.add_argument("--steps", type=int, default=None, help="training steps per run (default 300; quick 100)")
    p.add_argument("--batch", type=int, default=None, help="batch size (default: lm 8 windows, digits 64)")
    p.add_argument("--context", type=int, default=None, help="lm context in bytes (default 64)")
    p.add_argument("--decay", default=None, help="none, cosine, linear, wsd (default: lm wsd, digits cosine)")
    p.add_argument("--linear-fractions", default=None, metavar="LIST",
                   help="linear warm-up lengths as fractions of --steps (default 0.05,0.1,0.25)")
    p.add_argument("--C-grid", dest="C_grid", default=None, metavar="LIST", help="C values (default 0.2,1,5)")
    p.add_argument("--no-fit", action="store_true", help="skip the probe run that estimates C = 2·H1/H0")
    add_experiment_flags(p, out="results/schedules", quick="100 steps, 2 seeds, 3 peak lrs (about 2 minutes on CPU)",
                         json_file="study.json")


_fail = partial(fail, NAME)


def _settings(args: argparse.Namespace) -> Any:
    from warmup_theory.numerics.device import resolve_device
    from warmup_theory.numerics.schedule_study import default_settings

    decay = args.decay
    if decay is not None and decay not in ("none", "cosine", "linear", "wsd"):
        raise ValueError(f"--decay must be one of none, cosine, linear, wsd, got {decay!r}")
    for flag, v in (("--seeds", args.seeds), ("--steps", args.steps), ("--batch", args.batch),
                    ("--context", args.context)):
        if v is not None and v < 1:
            raise ValueError(f"{flag} must be an integer >= 1, got {v}")
    over = {"model": args.model, "peak_lrs": _floats("--peak-lrs", args.peak_lrs), "seeds": args.seeds,
            "steps": args.steps, "batch": args.batch, "context": args.context,
            "linear_fractions": _floats("--linear-fractions", args.linear_fractions),
            "C_grid": _floats("--C-grid", args.C_grid), "fit_C": False if args.no_fit else None,
            "device": str(resolve_device(args.device))}
    s = default_settings(args.task, args.optimizer, quick=args.quick, **over)
    if decay is not None:  # "none" is a choice, not an unset flag
        import dataclasses

        s = dataclasses.replace(s, decay=None if decay == "none" else decay)
    from warmup_theory.numerics.models.lm import LM_SIZES
    from warmup_theory.numerics.models.vision import VISION_MODELS

    models = tuple(LM_SIZES) if s.task == "lm" else VISION_MODELS
    if s.model not in models:
        raise ValueError(f"--model must be one of {', '.join(models)} for --task {s.task}, got {s.model!r}")
    return s


def _table(res: Any) -> list[str]:
    from warmup_theory.numerics.schedule_study.result import mean_sd

    head = f"{'family':<13} {'setting':<20} {'peak lr':>8} {'val loss':>17} {'diverged':>8} {'to target':>9}"
    lines = [head]
    for fam, rows in res.families().items():
        for r in rows:
            val = mean_sd(r)
            tt = "-" if r["steps_to_target_median"] is None else f"{r['steps_to_target_median']:.0f}"
            lines.append(f"{fam:<13} {r['schedule']:<20} {r['peak_lr']:>8.3g} {val:>17} "
                         f"{r['diverged']:>4}/{r['seeds']:<3} {tt:>9}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the exit status (module docstring)."""
    try:
        settings = _settings(args)
    except ValueError as exc:
        return _fail(str(exc))
    from warmup_theory.numerics.schedule_study import run_study

    bar = None
    if not args.quiet and not args.json and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(settings.peak_lrs) * settings.steps, desc="schedules", unit="step", leave=False)
    try:
        res = run_study(settings, progress=bar.update if bar is not None else None)
    except ImportError as exc:
        return _fail(str(exc), EXIT_MISSING)
    except ValueError as exc:
        return _fail(str(exc))
    finally:
        if bar is not None:
            bar.close()
    out = Path(args.out)
    written = res.write(out)
    if not args.no_plots:
        from warmup_theory.numerics.schedule_study.plots import plot_study

        written += [Path(p).name for p in plot_study(res, out)]
    if args.json:
        print(json.dumps(res.to_dict(), indent=1, default=str))
        return 0
    s = res.settings
    print(f"{s.task}/{s.model}, {s.optimizer}, {s.steps} steps, {s.seeds} seeds, decay {s.decay}: "
          f"{len(res.runs.specs)} runs in {res.runs.seconds:.0f} s (target loss {res.target_loss:.4f})")
    print("\n".join(_table(res)))
    print("verdict:")
    print("\n".join(res.verdict_lines()))
    print("\n".join(textwrap.wrap(f"wrote to {out}/: {', '.join(written)}", 118, subsequent_indent="  ")))
    return 0
