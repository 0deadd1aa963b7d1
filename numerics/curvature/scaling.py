r"""Scale-safe norms and power-of-two rescaling of an operator (no under/overflow in ||H v||).

``torch.linalg.vector_norm`` squares the entries: for a vector whose largest entry is below
~1e-154 the squares underflow (||w|| = 0 or loses digits), above ~1e154 they overflow (inf), while
the vector itself is finite. :func:`safe_norm` computes m * ||w / m|| with m a power of four
near max |w| (division and the product by a power of two are exact, and sqrt(4^k x) =
2^k sqrt(x) exactly), and returns the plain norm, bit for bit, when the plain norm is in
[2^-400, 2^400]. :func:`operator_exponent` picks k so that a solver runs on H / 2^k (a power
of two: the float64 Lanczos/power arithmetic on H / 2^k is exactly the arithmetic on H scaled)
when the first product is outside [2^-300, 2^300]; at normal scales k = 0 and the solvers are
unchanged.

>>> import torch
>>> w = torch.full((500,), 1e-250, dtype=torch.float64)
>>> float(torch.linalg.vector_norm(w)), round(safe_norm(w) / (1e-250 * 500 ** 0.5), 12)
(0.0, 1.0)
>>> big = torch.full((500,), 1e160, dtype=torch.float64)
>>> float(torch.linalg.vector_norm(big)), round(safe_norm(big) / (1e160 * 500 ** 0.5), 12)
(inf, 1.0)
>>> operator_exponent(1.0), operator_exponent(3e-250), operator_exponent(1.7e308)
(0, -828, 1024)
"""

from __future__ import annotations

import math

import torch

__all__ = ["safe_norm", "operator_exponent", "scale_back"]

_SAFE_LO, _SAFE_HI = 2.0 ** -400, 2.0 ** 400
_OP_LO, _OP_HI = 2.0 ** -300, 2.0 ** 300


def safe_norm(w: torch.Tensor) -> float:
    """||w||_2 without intermediate under/overflow; ``inf`` only if the norm exceeds the float
    range (or w has a non-finite entry), 0 only if w = 0.

    One pass when the plain norm r is in [2^-400, 2^400] (then the largest entry is >= r / sqrt(n),
    its square is far above the underflow threshold, and no square overflowed): r is returned."""
    if w.numel() == 0:
        return 0.0
    r = float(torch.linalg.vector_norm(w))
    if _SAFE_LO <= r <= _SAFE_HI:
        return r
    m = float(torch.linalg.vector_norm(w, math.inf))
    if m == 0.0 or not math.isfinite(m):
        return m
    if _SAFE_LO <= m <= _SAFE_HI:
        return float(torch.linalg.vector_norm(w))
    half = math.frexp(m)[1] // 2  # m ~ 4^half: sqrt scales exactly; two steps stay in range
    f = 2.0 ** -half
    return scale_back(float(torch.linalg.vector_norm((w * f) * f)), 2 * half)


def scale_back(x: float, k: int) -> float:
    """x * 2**k, ``inf`` on overflow (instead of an OverflowError)."""
    try:
        return math.ldexp(x, k)
    except OverflowError:
        return math.inf


def operator_exponent(first_norm: float) -> int:
    """k with first_norm / 2**k in [0.5, 1), or 0 when ``first_norm`` (the norm of the first
    product H q, q unit) is 0, not finite, or in [2^-300, 2^300] (normal scales: solvers unchanged).
    The solvers run on H / 2**k."""
    if first_norm == 0.0 or not math.isfinite(first_norm) or _OP_LO <= first_norm <= _OP_HI:
        return 0
    return math.frexp(first_norm)[1]
