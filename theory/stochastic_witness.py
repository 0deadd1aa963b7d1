"""What goes wrong **without interpolation**: a two-function witness for SGD with the warm-up step
(toolkit's own; claim "SGD without interpolation (witness)").

f_1(w) = (s/2)(w − 1)², f_2(w) = (s/2)(w + 1)², n = 2, batch B = 1, f = (f_1 + f_2)/2 = (s/2)(w² + 1):
f* = s/2 at w = 0, but f_1* = f_2* = 0 < f*, so interpolation fails.  Each f_i has f_i'' = s, so it is
(s, H1)-smooth for **every** H1 >= 0 (take H0 = s).  The warm-up step built from the mini-batch loss,
η = 1/(a·s + b·H1·(f_i(w) − f*)), sees f_i(w) − f* = (s/2)(w² − 2t·w) (t = ±1 the target of f_i), which is
**negative** near w = t.  Three facts:

* **undefined step** (H1 >= 2a/b): at w = t the denominator is s·(a − b·H1/2) <= 0 — the step is
  infinite or negative (ascent); :func:`undefined_step_threshold` = 2a/b.
* **exact floor** (H1 = 0, the step 1/(a·s)): w⁺ = (1 − q)w + q·t, q = 1/a, t = ±1 fair coin, so
  E[w_{k+1}²] = (1 − q)²E[w_k²] + q² and E[f(w_k) − f*] = (s/2)·((1 − q)^{2k}(w0² − F) + F), F = 1/(2a − 1):
  the expected gap converges to the floor s/(2(2a − 1)) > 0, not to 0 (:func:`exact_expected_gap`).
* **floor for the warm-up step** (0 <= H1 <= 2(a − 1)/b, |w0| <= 1): every step has η·s <= 1, so w stays
  in [−1, 1], and from any w the sample whose target has the sign of w (w >= 0: t = +1) gives
  |w⁺| >= η·s >= 1/(a + 3b·H1/2) (the denominator is <= s(a + 3bH1/2) on [−1, 1]).  So for every k >= 1:
  E[f(w_k) − f*] >= s/(4·(a + 3b·H1/2)²) (:func:`floor_lower_bound`): no ε below it is ever reached in
  expectation, whatever K.

>>> w = no_interpolation_witness(1.0, 0.5)
>>> w.f_star, w.component_minima, w.undefined_step_threshold
(0.5, (0.0, 0.0), 1.0)
>>> round(w.floor_lower, 8), round(exact_expected_gap(1.0, 10, 10**6, 0.0), 8)
(0.0004, 0.02631579)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked

__all__ = ["NoInterpolationWitness", "no_interpolation_witness", "exact_expected_gap", "floor_lower_bound",
           "undefined_step_threshold", "exact_floor"]


def undefined_step_threshold(a: Any = 10, b: Any = 20) -> Any:
    """2a/b: for H1 >= 2a/b the warm-up step at w = t (f_t's minimiser) has denominator s(a − bH1/2) <= 0.

    >>> undefined_step_threshold(10, 20)
    1.0
    """
    checked(a=(a, POS), b=(b, POS))
    ops, (a, b) = backend(a, b)
    return 2 * a / b if ops.symbolic else float(2 * a / b)


def exact_floor(s: Any, a: Any = 10) -> Any:
    """s/(2(2a − 1)), the limit of E[f(w_k) − f*] for the step 1/(a·s) (H1 = 0), a > 1/2.

    >>> import sympy as sp
    >>> exact_floor(sp.Symbol("s", positive=True), 10)
    s/38
    """
    checked(s=(s, POS), a=(a, {"low": 0.5, "low_open": True}))
    ops, (s, a) = backend(s, a)
    return s / (2 * (2 * a - 1)) if ops.symbolic else float(s / (2 * (2 * a - 1)))


def exact_expected_gap(s: Any, a: Any, k: int, w0: Any) -> Any:
    """E[f(w_k) − f*] = (s/2)·((1 − 1/a)^{2k}(w0² − F) + F), F = 1/(2a − 1), for the step 1/(a·s) (H1 = 0).

    >>> exact_expected_gap(1.0, 10, 0, 2.0)   # k = 0: the start's gap (s/2)·w0²
    2.0
    """
    checked(s=(s, POS), a=(a, {"low": 0.5, "low_open": True}), w0=(w0, {}))
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k must be an integer >= 0, got {k!r}")
    ops, (s, a, w0) = backend(s, a, w0)
    F = 1 / (2 * a - 1)
    val = s / 2 * ((1 - 1 / a) ** (2 * k) * (w0 * w0 - F) + F)
    return val if ops.symbolic else float(val)


def floor_lower_bound(s: Any, H1: Any, a: Any = 10, b: Any = 20) -> Any:
    """s/(4(a + 3b·H1/2)²) <= E[f(w_k) − f*] for every k >= 1 (|w0| <= 1, 0 <= H1 <= 2(a − 1)/b, a > 1).

    >>> floor_lower_bound(1.0, 0.0, 10, 20)   # s/(4a²)
    0.0025
    """
    checked(s=(s, POS), H1=(H1, NONNEG), a=(a, {"low": 1, "low_open": True}), b=(b, POS))
    ops, (s, H1, a, b) = backend(s, H1, a, b)
    if not ops.symbolic and H1 > 2 * (a - 1) / b:
        raise ValueError(f"H1 must be in [0, 2(a - 1)/b] = [0, {2 * (a - 1) / b!r}] for the floor bound, got {H1!r}")
    val = s / (4 * (a + 3 * b * H1 / 2) ** 2)
    return val if ops.symbolic else float(val)


@dataclass(frozen=True)
class NoInterpolationWitness:
    """The two-function witness (module docstring) for one (s, H1, a, b)."""

    s: float
    H0: float
    H1: float
    a: float
    b: float
    targets: tuple[float, float]
    f_star: float
    component_minima: tuple[float, float]
    undefined_step_threshold: float
    exact_floor: float | None  # H1 = 0 only
    floor_lower: float | None  # 0 <= H1 <= 2(a − 1)/b only
    step_undefined: bool       # H1 >= 2a/b

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict."""
        return asdict(self)


def no_interpolation_witness(s: float = 1.0, H1: float = 0.0, a: float = 10, b: float = 20) -> NoInterpolationWitness:
    """The witness f_{1,2} = (s/2)(w ∓ 1)² with its floor facts (numeric inputs).

    >>> no_interpolation_witness(1.0, 2.0).step_undefined
    True
    """
    checked(s=(s, POS), H1=(H1, NONNEG), a=(a, POS), b=(b, POS))
    s, H1, a, b = float(s), float(H1), float(a), float(b)
    thr = float(undefined_step_threshold(a, b))
    return NoInterpolationWitness(
        s=s, H0=s, H1=H1, a=a, b=b, targets=(1.0, -1.0), f_star=s / 2, component_minima=(0.0, 0.0),
        undefined_step_threshold=thr,
        exact_floor=float(exact_floor(s, a)) if H1 == 0 and a > 0.5 else None,
        floor_lower=float(floor_lower_bound(s, H1, a, b)) if a > 1 and H1 <= 2 * (a - 1) / b else None,
        step_undefined=H1 >= thr,
    )


