"""Shared plumbing of the bound calculators: one formula, two back-ends.

Every calculator in :mod:`warmup_theory.theory.bounds` is written once against a tiny
operations object: :data:`NUM` (plain ``math`` on floats) or :data:`SYM`
(sympy, returning ``Piecewise`` / ``Max`` / ``ceiling`` expressions).
:func:`backend` picks the sympy one as soon as any argument carries free
symbols, and converts the numeric arguments with :func:`warmup_theory.theory.validate.to_sympy`.

Iteration counts are **integers** (returned as ``float`` on the numeric path,
a ``ceiling(...)`` expression on the symbolic path): a count ``K`` means
"f(w_k) − f* <= eps for every k >= K", proved for every member of the class.

>>> ops, (x,) = backend(2.0)
>>> ops is NUM, ops.ceil(2.2)
(True, 3.0)
>>> import sympy as sp
>>> ops, (x,) = backend(sp.Symbol("x", positive=True))
>>> ops.ceil(x)
ceiling(x)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sympy as sp

from warmup_theory.theory.validate import check_scalar, is_symbolic, to_sympy

__all__ = ["NUM", "SYM", "acosh_1p_ratio", "backend", "checked", "as_result"]


class _Num:
    symbolic = False
    inf = math.inf

    @staticmethod
    def log(x: float) -> float:
        return math.log(x)

    @staticmethod
    def sqrt(x: float) -> float:
        return math.sqrt(x)

    @staticmethod
    def acosh(x: float) -> float:
        return math.acosh(x)

    @staticmethod
    def sinh(x: float) -> float:
        return math.sinh(x)

    @staticmethod
    def max(*a: float) -> float:
        return float(max(a))

    @staticmethod
    def min(*a: float) -> float:
        return float(min(a))

    @staticmethod
    def ceil(x: float) -> float:
        # a count: the smallest integer >= x; tiny float noise above an integer is not rounded away;
        # a count past the float range is inf (math.ceil(inf) would raise)
        return x if math.isinf(x) else float(math.ceil(x))

    @staticmethod
    def where(*branches: tuple[Any, Callable[[], Any]], otherwise: Callable[[], Any]) -> Any:
        """First branch whose condition holds; branches are lazy (no log(0) on dead branches)."""
        for cond, fn in branches:
            if bool(cond):
                return fn()
        return otherwise()

    @staticmethod
    def eq0(x: float) -> bool:
        return x == 0


class _Sym:
    symbolic = True
    inf = sp.oo

    log = staticmethod(sp.log)
    sqrt = staticmethod(sp.sqrt)
    acosh = staticmethod(sp.acosh)
    sinh = staticmethod(sp.sinh)

    @staticmethod
    def max(*a: Any) -> Any:
        return sp.Max(*a)

    @staticmethod
    def min(*a: Any) -> Any:
        return sp.Min(*a)

    @staticmethod
    def ceil(x: Any) -> Any:
        return sp.ceiling(x)

    @staticmethod
    def where(*branches: tuple[Any, Callable[[], Any]], otherwise: Callable[[], Any]) -> Any:
        pieces = []
        for cond, fn in branches:
            c = sp.sympify(cond)
            if c is sp.false:
                continue
            if c is sp.true:
                pieces.append((fn(), True))
                break
            pieces.append((fn(), c))
        else:
            pieces.append((otherwise(), True))
        if len(pieces) == 1:
            return pieces[0][0]
        return sp.Piecewise(*pieces)

    @staticmethod
    def eq0(x: Any) -> Any:
        return sp.Eq(x, 0)


NUM = _Num()
SYM = _Sym()


def backend(*values: Any) -> tuple[Any, tuple[Any, ...]]:
    """``(ops, values)``: sympy back-end with sympified values if any value is symbolic."""
    if is_symbolic(*values):
        return SYM, tuple(to_sympy(v) for v in values)
    return NUM, tuple(float(v) for v in values)


def checked(**kwargs: Any) -> None:
    """Run ``check_scalar`` on ``name=(value, options)`` pairs (options as in check_scalar)."""
    for name, (value, opts) in kwargs.items():
        check_scalar(name, value, **opts)


NONNEG: dict[str, Any] = {"low": 0}
POS: dict[str, Any] = {"low": 0, "low_open": True}


def as_result(ops: Any, value: Any) -> Any:
    """Float on the numeric path; a lightly simplified expression on the symbolic path."""
    if ops.symbolic:
        return value
    return float(value)


def acosh_1p_ratio(a: float, b: float, c: float) -> float:
    """acosh(1 + a·b/c) for a, b >= 0 < c, accurate for tiny q = a·b/c (asinh form, no 0/0) and for q
    beyond the float range (log 2q + ½·log1p(2/q) from logs: a·b may overflow).

    >>> acosh_1p_ratio(1.0, 1.0, 1.0) == math.acosh(2.0)
    True
    >>> round(acosh_1p_ratio(1.0, 1e300, 1e-300), 3)  # q = 1e600
    1382.244
    """
    if a == 0 or b == 0:
        return 0.0
    log_q = math.log(a) + math.log(b) - math.log(c)
    if log_q < -60.0:  # q may underflow: acosh(1 + q) = sqrt(2q)·(1 − q/12 + …)
        return math.sqrt(2.0) * math.exp(0.5 * log_q)
    if log_q > 230.0:  # q(2 + q) would overflow
        return math.log(2.0) + log_q + 0.5 * math.log1p(2.0 * math.exp(-log_q))
    q = a * b / c
    if not 0.0 < q < math.inf:  # a·b over- or underflowed, q itself did not
        q = math.exp(log_q)
    return math.asinh(math.sqrt(q * (2.0 + q)))
