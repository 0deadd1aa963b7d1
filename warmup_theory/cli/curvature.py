"""``warmup-theory curvature``: ‖∇²f‖ vs f − f* along GD with the proven and fitted lines.

Writes ``curvature_<model>.png`` / ``.svg`` (and ``.json`` with every point) into ``--out``,
prints the envelope (LP) and least-squares fits next to the proven (H0, H1) and the largest
ratio ‖∇²f‖ / (H0 + H1(f − f*)) along the run (see :mod:`warmup_theory.numerics.figures.curvature`).
Bad arguments (``--steps`` < 1, an unknown or unavailable ``--device``, an ``--out`` that
cannot be created) print ``warmup-theory curvature: error: ...`` on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path

from warmup_theory.cli._common import fail

NAME = "curvature"
HELP = "plot Hessian norm vs f - f* along GD on a model, with the proven and fitted (H0, H1) lines"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add this command's flags to its argparse sub-parser."""
    from warmup_theory.numerics.figures.curvature import MODELS

    p.add_argument("--model", choices=MODELS, default="deep-linear", help="model (default deep-linear)")
    p.add_argument("--steps", type=int, default=100, help="GD steps (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", default="curvature_out", help="output directory (default ./curvature_out)")
    p.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default auto: CUDA when available)")
    p.add_argument("--json", action="store_true", help="print the full record as JSON")


_fail = partial(fail, NAME)


def run(args: argparse.Namespace) -> int:
    """Run the command on parsed arguments; returns the process exit status (2: bad input)."""
    import torch

    from warmup_theory.numerics.device import resolve_device
    from warmup_theory.numerics.figures.curvature import curvature_trace, plot_curvature

    if args.steps < 1:
        return _fail(f"--steps must be >= 1, got {args.steps}")
    try:  # validate the user's --device here: a bad value is a usage error (exit 2), not a traceback
        device = resolve_device(None if args.device == "auto" else args.device)
    except (ValueError, TypeError) as exc:
        return _fail(f"--device: {exc}")
    try:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot create --out {args.out}: {exc}")
    old = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny dense Hessians: one thread is fastest on a shared CPU
    try:
        tr = curvature_trace(args.model, steps=args.steps, seed=args.seed, device=device)
    finally:
        torch.set_num_threads(old)
    paths = plot_curvature(tr, args.out)
    jpath = Path(args.out) / f"curvature_{tr.model}.json"
    jpath.write_text(json.dumps(tr.to_dict(), indent=1))
    if args.json:
        d = tr.to_dict()
        d["files"] = [str(p) for p in paths + [jpath]]
        print(json.dumps(d, indent=1))
        return 0
    f = tr.fit
    print(f"model {tr.model}: {len(tr.gaps)} GD iterates, f* = {tr.f_star:.6g} ({tr.f_star_kind})")
    print(f"  proven      H0 = {tr.H0:.6g}, H1 = {tr.H1:.6g}   [{tr.proven_source}]")
    print(f"  envelope LP H0 = {f.envelope_H0:.6g}, H1 = {f.envelope_H1:.6g}   (tightest line above all points)")
    print(f"  least sq.   H0 = {f.ls_H0:.6g}, H1 = {f.ls_H1:.6g}   (rms residual {f.ls_rms:.3g})")
    print(f"  max ratio ||Hess f|| / (H0 + H1 (f - f*)) along the run = {tr.max_ratio:.4g}")
    print("  wrote " + ", ".join(str(p) for p in paths + [jpath]))
    return 0
