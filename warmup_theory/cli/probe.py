"""``warmup-theory probe``: does ‖∇²f‖ ≈ H0 + H1(f − f*) hold along real training? (paper, Section 3.2)

Trains a byte-level LM on the standard library's sources (``--task lm``) or a small vision model on
scikit-learn's digits (``--task digits``) and records every ``--every`` steps, on a fixed probe batch, the
loss, the certified top |eigenvalue| of the Hessian (Lanczos bracket), the paper's consecutive-batch secant,
the same-batch secant and the directional curvature (:mod:`warmup_theory.numerics.probe`). Writes
``DIR/probe.csv`` (one row per record, settings, seeds and data fingerprint in ``#`` header lines),
``DIR/fit.json`` (least-squares line, LP envelope, R², fraction above, sliding-window R², verdict per run)
and the paper-style figures ``DIR/probe_smoothness.{png,svg}`` and ``DIR/probe_trace.{png,svg}``, and prints
a short verdict per run. ``--sizes tiny,small`` runs several models of the task (one figure row each).

Exit status: 0 when every run completed, 1 when one diverged (reported with its step; nothing after it is
recorded or fitted), 2 for bad arguments (one line on stderr), 3 when a dependency is missing
(``pip install 'warmup-theory[experiments]'``).
"""

from __future__ import annotations

import argparse
import json
import math
import textwrap
import time
from functools import partial
from pathlib import Path
from typing import Any

from warmup_theory.cli._common import add_experiment_flags, fail

NAME = "probe"
HELP = "train a small LM / vision model on offline data and fit curvature against the loss (paper Section 3.2)"
EXIT_DIVERGED, EXIT_MISSING = 1, 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    p.add_argument("--task", default="lm", help="lm (byte-level LM, stdlib sources) or digits (default lm)")
    p.add_argument("--model", default=None,
                   help="lm: tiny, small, medium (default small); digits: mlp, resnet, vit (default mlp)")
    p.add_argument("--sizes", default=None, metavar="LIST", help="comma list of models to run one after another")
    p.add_argument("--optimizer", default="sgd", help="sgd (default, constant LR as in the paper) or adam")
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate (default: lm 0.3, digits 0.1 with sgd; 1e-3 with adam)")
    p.add_argument("--steps", type=int, default=None, help="training steps (default: lm 300, digits 600; quick 200)")
    p.add_argument("--batch", type=int, default=None, help="training batch size (default: lm 16, digits 64)")
    p.add_argument("--probe-batch", type=int, default=None,
                   help="size of the fixed probe batch the Hessian is measured on (default: lm 4, digits 256)")
    p.add_argument("--context", type=int, default=128, help="lm context length in bytes (default 128)")
    p.add_argument("--clip", type=float, default=1.0, help="max gradient norm, 0 for none (default 1.0)")
    p.add_argument("--every", type=int, default=None, help="record every K steps (default 25 for lm, 20 for digits)")
    p.add_argument("--tol", type=float, default=1e-3, help="Lanczos relative tolerance (default 1e-3)")
    p.add_argument("--seed", type=int, default=0, help="seed of init, batches, probe batch and Lanczos (default 0)")
    add_experiment_flags(p, out="results/probe", quick="smallest model, 200 steps (under a minute on 2 cores)",
                         json_file="fit.json")
    p.add_argument("--verbose", action="store_true", help="also print every estimator's fit")


_fail = partial(fail, NAME)


def _models(args: argparse.Namespace) -> list[str | None]:
    from warmup_theory.numerics.probe.tasks import QUICK, TASKS, models_of

    if args.task not in TASKS:
        raise ValueError(f"--task must be one of {', '.join(TASKS)}, got {args.task!r}")
    if args.sizes is not None and args.model is not None:
        raise ValueError("give --model or --sizes, not both")
    if args.sizes is None:
        return [args.model if args.model is not None or not args.quick else QUICK[args.task]["model"]]
    names = [s.strip() for s in args.sizes.split(",") if s.strip()]
    bad = [s for s in names if s not in models_of(args.task)]
    if not names or bad:
        raise ValueError(f"--sizes must be a comma list of {', '.join(models_of(args.task))}, got {args.sizes!r}")
    return list(names)


def _check(args: argparse.Namespace) -> None:
    from warmup_theory.numerics.probe.tasks import OPTIMIZERS

    if args.optimizer not in OPTIMIZERS:
        raise ValueError(f"--optimizer must be one of {', '.join(OPTIMIZERS)}, got {args.optimizer!r}")
    for flag, v in (("--steps", args.steps), ("--batch", args.batch), ("--every", args.every),
                    ("--probe-batch", args.probe_batch), ("--context", args.context)):
        if v is not None and v < 1:
            raise ValueError(f"{flag} must be an integer >= 1, got {v}")
    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise ValueError(f"--lr must be a finite number > 0, got {args.lr}")
    if not (math.isfinite(args.clip) and args.clip >= 0):
        raise ValueError(f"--clip must be a finite number >= 0 (0: no clipping), got {args.clip}")
    if not (math.isfinite(args.tol) and 0 < args.tol < 1):
        raise ValueError(f"--tol must be in (0, 1), got {args.tol}")
    if args.seed < 0:
        raise ValueError(f"--seed must be an integer >= 0, got {args.seed}")
    if args.device is not None:
        from warmup_theory.numerics.device import resolve_device

        resolve_device(args.device)


def _summary(res: Any, fit: Any, verbose: bool) -> list[str]:
    """The run's head line, then its verdict (and with ``verbose`` every estimator's fit), wrapped at 120."""
    s = res.settings
    state = res.status if res.diverged_step is None else f"DIVERGED at step {res.diverged_step}"
    head = (f"{s['task']}/{s['model']} ({s['n_params']:,} params), {s['optimizer']} lr={s['lr']:g}, "
            f"{res.steps_run} steps, {len(res.records)} records, {res.seconds:.0f} s: {state}")
    lines = [head]
    if fit is None:
        return lines + ["  too few records to fit (need 2)"]
    for line in fit.verdict().splitlines():
        lines += textwrap.wrap(line, 118, initial_indent="  ", subsequent_indent="    ")
    if verbose:
        lines += ["  " + f.summary()[:118] for f in fit.fits.values()]
    return lines


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the exit status (module docstring)."""
    try:
        models = _models(args)
        _check(args)
    except ValueError as exc:
        return _fail(str(exc))
    from warmup_theory.numerics.probe.result import write_csv
    from warmup_theory.numerics.probe.tasks import QUICK, run_task

    quick = QUICK[args.task] if args.quick else {}
    results, fits, t0 = [], [], time.perf_counter()
    for model in models:
        try:
            res = run_task(args.task, model, optimizer=args.optimizer, lr=args.lr,
                           steps=args.steps or quick.get("steps"), batch=args.batch,
                           clip=args.clip or None, every=args.every or quick.get("every"), seed=args.seed,
                           device=args.device, context=args.context, probe_batch=args.probe_batch, tol=args.tol,
                           progress=False if args.quiet else None)
        except ImportError as exc:
            return _fail(str(exc), EXIT_MISSING)
        except ValueError as exc:
            return _fail(str(exc))
        results.append(res)
        fits.append(res.fit() if len(res.records) >= 2 else None)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(results, out / "probe.csv")
    doc = {"runs": [{"settings": r.settings, "status": r.status, "diverged_step": r.diverged_step,
                     "steps_run": r.steps_run, "records": len(r.records), "seconds": r.seconds,
                     "fit": None if f is None else f.to_dict()} for r, f in zip(results, fits)],
           "seconds": time.perf_counter() - t0}
    (out / "fit.json").write_text(json.dumps(doc, indent=1))
    written = [str(out / "probe.csv"), str(out / "fit.json")]
    if not args.no_plots and any(len(r.records) >= 1 for r in results):
        from warmup_theory.numerics.probe.plots import plot_probe

        written += plot_probe(results, out)
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        for res, fit in zip(results, fits):
            print("\n".join(_summary(res, fit, args.verbose)))
        names = ", ".join(Path(w).name for w in written)
        print("\n".join(textwrap.wrap(f"wrote to {out}/: {names}", 118, subsequent_indent="  ")))
    return EXIT_DIVERGED if any(r.status == "diverged" for r in results) else 0
