"""Shared pieces of the SGD bounds (toolkit's own; the paper's stochastic statement is unknown, NOTES §5).

Setting (every SGD result of :mod:`warmup_theory.theory.bounds.sgd` assumes all of it):

* f = (1/n)·Σ_i f_i, every f_i (H0,H1)-smooth (Definition 3.1, v2), H0 > 0;
* **interpolation**: the minimiser set X* of f is non-empty and every x ∈ X* minimises every f_i, i.e.
  f_i* = min f_i = f_i(x) = f* for every i (the f_i share the minimisers of f and its minimum value).  The
  weaker "f_i(x) = f* on X*" is **not** enough: f_{1,2}(w) = (w ∓ 1)² − 1 have f = w², X* = {0},
  f_i(0) = 0 = f*, but f_i* = −1 < f*, and Δ_S <= M·Δ (which needs f_i − f* >= 0) fails;
* **per-sample aiming** towards X*: ⟨∇f_i(w), w − p(w)⟩ >= θ·(f_i(w) − f*), p(w) = proj_{X*}(w)
  (every convex f_i satisfies it with θ = 1, since f_i(p) = f*);
* mini-batches S_k of size B drawn uniformly, **with or without replacement** (both are covered), the
  S_k independent of each other and of w_0; f_S = (1/B)·Σ_{i∈S} f_i, Δ_S = f_S(w) − f*, Δ = f(w) − f*,
  X = dist(w, X*)².

Facts used by the proofs (claims "Lemma SGD batch" and "Lemma SGD gap from distance"):

* f_S is (H0,H1)-smooth with f_S* = f* (the average rule with equal minima), E_S[Δ_S] = Δ, and
  Δ_S <= M·Δ pointwise with the *sampling ratio* M = n/B without replacement, M = n with replacement
  (:func:`sgd_sample_ratio`);
* Δ <= h(X) and Δ_S <= h(X) with h(X) = (H0/H1)·(cosh(√(H1·X)) − 1) (H0·X/2 when H1 = 0):
  :func:`gap_from_distance`, inverted by :func:`distance_for_gap`.

>>> sgd_sample_ratio(4, 16), sgd_sample_ratio(4, 16, replacement=True)
(4.0, 16.0)
>>> round(gap_from_distance(1.0, 1.0, distance_for_gap(1.0, 1.0, 0.3)), 12)
0.3
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import POS, acosh_1p_ratio, backend, checked
from warmup_theory.theory.bounds.steps import _check_H

__all__ = ["sgd_sample_ratio", "sgd_step_factor", "gap_from_distance", "gap_from_distance_mpf",
           "gap_from_distance_exact", "distance_for_gap", "check_sgd_args", "check_delta", "check_int", "float_or_inf"]


def check_int(name: str, value: Any, low: int) -> int:
    """``value`` as an int >= ``low``: TypeError for a non-integer (bool included), ValueError below ``low``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {low}, got {value!r}")
    if int(value) < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def check_sgd_args(batch: Any, n: Any, replacement: Any) -> tuple[int, int]:
    """Validate (batch, n, replacement): integers 1 <= batch <= n, replacement a bool."""
    n = check_int("n", n, 1)
    batch = check_int("batch", batch, 1)
    if batch > n:
        raise ValueError(f"batch must be in [1, n] = [1, {n}], got {batch}")
    if not isinstance(replacement, bool):
        raise TypeError(f"replacement must be True or False, got {replacement!r}")
    return batch, n


def check_delta(delta: Any) -> None:
    """delta = None (expected-value bound) or a number in (0, 1)."""
    if delta is not None:
        checked(delta=(delta, {"low": 0, "high": 1, "low_open": True, "high_open": True}))


def sgd_sample_ratio(batch: int, n: int, replacement: bool = False) -> float:
    """M with Δ_S <= M·Δ for every batch S: n/B without replacement, n with replacement.

    Each f_i − f* >= 0 (interpolation): without replacement Σ_{i∈S}(f_i − f*) <= Σ_all = nΔ, so
    Δ_S <= (n/B)Δ; with replacement one index may fill the whole batch, Δ_S <= max_i(f_i − f*) <= nΔ.

    >>> sgd_sample_ratio(16, 16)      # full batch: deterministic GD
    1.0
    """
    batch, n = check_sgd_args(batch, n, replacement)
    return float(n) if replacement else n / batch


def sgd_step_factor(a: Any, b: Any) -> Any:
    """v(a, b) = max(2/a, 1/b): for η = 1/(a·H0 + b·H1·Δ), η·(2H0 + H1·Δ) <= v (claim "Lemma SGD distance step").

    >>> sgd_step_factor(10, 20)
    0.2
    """
    checked(a=(a, POS), b=(b, POS))
    ops, (a, b) = backend(a, b)
    val = ops.max(2 / a, 1 / b)
    return val if ops.symbolic else float(val)


def gap_from_distance(H0: Any, H1: Any, X: Any) -> Any:
    """h(X) = (H0/H1)·(cosh(√(H1·X)) − 1) (H0·X/2 at H1 = 0): the largest gap f(w) − f* of an
    (H0,H1)-smooth f at squared distance X = dist(w, X*)² from its minimisers (comparison with
    y'' = H0 + H1·y, y(0) = y'(0) = 0 along the segment from p(w); claim "Lemma SGD gap from distance").
    Numeric path: ``inf`` past the float range.

    >>> gap_from_distance(2.0, 0.0, 3.0)
    3.0
    >>> import sympy as sp
    >>> h0, h1, x = sp.symbols("H0 H1 X", positive=True)
    >>> gap_from_distance(h0, h1, x)
    H0*(cosh(sqrt(H1)*sqrt(X)) - 1)/H1
    """
    _check_H(H0, H1)
    checked(X=(X, {"low": 0}))
    ops, (H0, H1, X) = backend(H0, H1, X)
    if ops.symbolic:
        return ops.where((ops.eq0(H1), lambda: H0 * X / 2),
                         otherwise=lambda: H0 * (sp.cosh(sp.sqrt(H1 * X)) - 1) / H1)
    if H1 == 0:
        return H0 * X / 2
    return float_or_inf(gap_from_distance_mpf(H0, H1, X))


def gap_from_distance_mpf(H0: float, H1: float, X: Any) -> Any:
    """h(X) as an mpmath number at 40 digits, floats (or mpf) in, already validated: the form
    2·(H0/H1)·sinh²(√(H1X)/2) has no cancellation near 0, and mpmath does not overflow where the float would
    (used by the calculators of :mod:`~warmup_theory.theory.bounds.sgd` and ``sgd_gap``)."""
    with mpmath.workdps(40):
        if H1 == 0:
            return mpmath.mpf(H0) * X / 2
        return 2 * mpmath.mpf(H0) / mpmath.mpf(H1) * mpmath.sinh(mpmath.sqrt(mpmath.mpf(H1) * X) / 2) ** 2


def gap_from_distance_exact(H0: Any, H1: Any, X: Any) -> Any:
    """h(X) not rounded to a float, arguments already validated: sympy on the symbolic path, an mpmath number
    (:func:`gap_from_distance_mpf`, no overflow) on the numeric one."""
    ops, (h0, h1, x) = backend(H0, H1, X)
    return gap_from_distance(h0, h1, x) if ops.symbolic else gap_from_distance_mpf(h0, h1, x)


def float_or_inf(v: Any) -> float:
    """An mpmath number (a count or a bound, >= 0) as a float, ``inf`` past the float range."""
    return float(v) if v < mpmath.mpf("1e308") else math.inf


def distance_for_gap(H0: Any, H1: Any, eps: Any) -> Any:
    """x_ε = acosh(1 + H1·ε/H0)²/H1 (2ε/H0 at H1 = 0), the squared distance with h(x_ε) = ε: every w
    with dist(w, X*)² <= x_ε has f(w) − f* <= ε.

    >>> distance_for_gap(2.0, 0.0, 3.0)
    3.0
    """
    _check_H(H0, H1)
    checked(H0=(H0, POS), eps=(eps, POS))
    ops, (H0, H1, eps) = backend(H0, H1, eps)
    if ops.symbolic:
        return ops.where((ops.eq0(H1), lambda: 2 * eps / H0),
                         otherwise=lambda: sp.acosh(1 + H1 * eps / H0) ** 2 / H1)
    if H1 == 0:
        return 2.0 * eps / H0
    return acosh_1p_ratio(H1, eps, H0) ** 2 / H1
