"""The ``warmup-theory`` command line.

Sub-commands are the modules of ``warmup_theory/cli/``; each defines ``NAME``,
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int`` (the exit status).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

__all__ = ["main", "build_parser"]


def _command_modules() -> list[ModuleType]:
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return mods


def build_parser() -> argparse.ArgumentParser:
    """The ``warmup-theory`` argument parser with one sub-command per module of :mod:`warmup_theory.cli`."""
    from warmup_theory import __version__

    parser = argparse.ArgumentParser(
        prog="warmup-theory",
        description="Executable, machine-checked theory of (H0,H1)-smoothness and warm-up.",
    )
    parser.add_argument("--version", action="version", version=f"warmup-theory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``warmup-theory`` and ``python -m warmup_theory``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    return int(args._run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
