"""The hard functions of the lower bounds, under their 0.1 module name.

The definitions live in :mod:`warmup_theory.theory.catalogue` (the one place each test function is
defined); this module re-exports them so ``warmup_theory.theory.hard_functions.cosh_start`` keeps working.
"""

from warmup_theory.theory.catalogue import (
    W,
    cosh_function,
    cosh_start,
    pl_hard_function,
    pl_hard_numeric,
    pl_hard_start,
)

__all__ = ["W", "cosh_function", "cosh_start", "pl_hard_function", "pl_hard_numeric", "pl_hard_start"]
