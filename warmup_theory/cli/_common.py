"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_experiment_flags", "fail"]


def fail(command: str, msg: str, code: int = 2) -> int:
    """Print ``warmup-theory COMMAND: error: MSG`` as one line on stderr and return the exit status ``code``."""
    print(f"warmup-theory {command}: error: {msg}", file=sys.stderr)
    return code


def add_experiment_flags(p: argparse.ArgumentParser, *, out: str, quick: str, json_file: str) -> None:
    """The flags every training experiment takes: --device, --out DIR, --quick, --no-plots, --quiet, --json."""
    p.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: cuda when available)")
    p.add_argument("--out", default=out, metavar="DIR", help=f"output folder (default {out})")
    p.add_argument("--quick", action="store_true", help=quick)
    p.add_argument("--no-plots", action="store_true", help="write no figures")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help=f"print {json_file}'s content instead of the verdict")
