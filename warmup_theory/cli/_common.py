"""Helpers shared by the sub-commands."""

from __future__ import annotations

import sys

__all__ = ["fail"]


def fail(command: str, msg: str, code: int = 2) -> int:
    """Print ``warmup-theory COMMAND: error: MSG`` as one line on stderr and return the exit status ``code``."""
    print(f"warmup-theory {command}: error: {msg}", file=sys.stderr)
    return code
