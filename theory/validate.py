"""Argument checks shared by every calculator: numbers or sympy expressions.

A numeric argument must be a finite real number in the stated range; a sympy
argument is accepted as long as it is real-valued and not provably outside the
range (sympy assumptions decide, e.g. ``Symbol('H0', nonnegative=True)``).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import sympy as sp

Scalar = Any  # float | int | sympy.Expr

__all__ = ["Scalar", "check_scalar", "is_symbolic", "to_sympy"]


def is_symbolic(*values: Any) -> bool:
    """True if any value is a sympy object with free symbols."""
    return any(isinstance(v, sp.Basic) and bool(v.free_symbols) for v in values)


def to_sympy(value: Any) -> sp.Expr:
    """Exact sympy form: ints and floats become Rational / Float, sympy passes through."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value))
    return sp.Float(float(value)) if isinstance(value, numbers.Real) else sp.sympify(value)


def check_scalar(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_inf: bool = False,
) -> Any:
    """Validate one scalar argument and return it (floats as ``float``).

    Raises ``TypeError`` for non-numbers and ``ValueError`` naming ``name`` and
    the valid range for NaN, infinities (unless ``allow_inf``) and values outside
    ``[low, high]`` (bounds open when ``low_open`` / ``high_open``).

    >>> check_scalar("eps", 0.1, low=0, low_open=True)
    0.1
    >>> check_scalar("eps", 0.0, low=0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: eps must be in (0, inf), got 0.0
    """
    rng = f"{'(' if low_open else '['}{'-inf' if low is None else _fmt(low)}, " \
          f"{'inf' if high is None else _fmt(high)}{')' if high_open or high is None else ']'}"
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a real number or a sympy expression, got bool")
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            if value.is_real is False:
                raise ValueError(f"{name} must be real, got {value}")
            if low is not None:
                bad = (value <= low) if low_open else (value < low)
                if bad is sp.true:
                    raise ValueError(f"{name} must be in {rng}, got {value}")
            if high is not None:
                bad = (value >= high) if high_open else (value > high)
                if bad is sp.true:
                    raise ValueError(f"{name} must be in {rng}, got {value}")
            return value
        if value is sp.nan:
            raise ValueError(f"{name} must be in {rng}, got nan")
        if value.is_real is False:
            raise ValueError(f"{name} must be real, got {value}")
        num = float(value) if value.is_finite else (math.inf if value.is_positive else -math.inf)
        _check_float(name, num, rng, low, high, low_open, high_open, allow_inf)
        return value
    if not isinstance(value, numbers.Real):
        try:
            import numpy as np  # numpy scalars are numbers.Real; 0-d arrays are not
            if isinstance(value, np.ndarray) and value.ndim == 0:
                value = value.item()
            else:
                raise TypeError
        except (ImportError, TypeError):
            raise TypeError(
                f"{name} must be a real number or a sympy expression, got {type(value).__name__}"
            ) from None
    num = float(value)
    _check_float(name, num, rng, low, high, low_open, high_open, allow_inf)
    return num


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _check_float(name, num, rng, low, high, low_open, high_open, allow_inf) -> None:
    if math.isnan(num):
        raise ValueError(f"{name} must be in {rng}, got nan")
    if math.isinf(num) and not allow_inf:
        raise ValueError(f"{name} must be finite and in {rng}, got {num}")
    if low is not None and (num <= low if low_open else num < low):
        raise ValueError(f"{name} must be in {rng}, got {num!r}")
    if high is not None and (num >= high if high_open else num > high):
        raise ValueError(f"{name} must be in {rng}, got {num!r}")
