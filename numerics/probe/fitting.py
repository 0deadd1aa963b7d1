"""Does curvature track the loss? Fits of smoothness estimates against f − f* along a training run.

For one estimator s_t (the certified ‖∇²f_P(w_t)‖₂ of the probe-batch loss f_P, or one of the secant
estimators of :mod:`warmup_theory.numerics.curvature.estimators`) and gaps g_t = f_P(w_t) − f*:

* the **least-squares line** s ≈ H0 + H1·g (the paper's Figure 1 fit, Section 3.2 v2), its R² and the
  fraction of points strictly above it (a least-squares line is not an envelope: about half the
  points lie above it);
* the **envelope** (:func:`warmup_theory.numerics.fit.fit_h0_h1`): the tightest line with H0, H1 ≥ 0 above
  every point — the empirical (H0, H1) the definition ‖∇²f‖ ≤ H0 + H1(f − f*) needs on this run;
* a **sliding window** of ``window`` consecutive records: the R² of the least-squares line per window and
  the first step from which every later window has R² ≥ ``r2_threshold`` (where the paper's "very initial
  phase" ends), or None ("never").

R² = 1 − SS_res/SS_tot; with SS_tot = 0 (constant loss or constant estimate) R² is undefined and
reported as NaN-free ``None``.  An empirical fit is not a bound: it says nothing about points not seen.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> g = np.linspace(0.1, 5.0, 60); s = 2.0 + 3.0 * g + 0.05 * rng.standard_normal(60)
>>> fit = fit_estimator("hessian_norm", np.arange(60), g, s)
>>> round(fit.ls_H0, 1), round(fit.ls_H1, 1), fit.r2 > 0.99
(2.0, 3.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from warmup_theory.numerics.fit import fit_h0_h1

__all__ = ["ESTIMATORS", "EstimatorFit", "fit_estimator", "least_squares_line"]

#: The smoothness estimators a probe records, in the order of its figures and fits.
ESTIMATORS = ("hessian_norm", "consecutive_secant", "same_batch_secant", "directional")


def least_squares_line(g: np.ndarray, s: np.ndarray) -> tuple[float, float, float | None]:
    """(H0, H1, R²) of the ordinary least-squares line s ≈ H0 + H1·g; R² None when s or g is constant."""
    if g.size < 2 or float(np.ptp(g)) == 0.0:
        H0 = float(np.mean(s)) if s.size else math.nan
        return H0, 0.0, None
    A = np.stack([np.ones_like(g), g], axis=1)
    (H0, H1), *_ = np.linalg.lstsq(A, s, rcond=None)
    res = s - (H0 + H1 * g)
    ss_tot = float(np.sum((s - s.mean()) ** 2))
    r2 = None if ss_tot == 0.0 else 1.0 - float(np.sum(res**2)) / ss_tot
    return float(H0), float(H1), r2


@dataclass(frozen=True)
class EstimatorFit:
    """Least-squares line, envelope and sliding-window R² of one estimator against f − f*.

    ``n_points`` records with a finite estimate were used (secants are missing at the first
    record); ``frac_above_ls`` is the fraction of them strictly above the least-squares line;
    ``window_r2`` lists (first step of the window, R² or None); ``affine_from_step`` is the first
    window start after which every window's R² ≥ ``r2_threshold`` (None: never).
    """

    estimator: str
    f_star: float
    n_points: int
    ls_H0: float
    ls_H1: float
    r2: float | None
    frac_above_ls: float
    envelope_H0: float
    envelope_H1: float
    window: int
    r2_threshold: float
    window_r2: tuple[tuple[int, float | None], ...]
    affine_from_step: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``window_r2`` as a list of [step, R²])."""
        d = asdict(self)
        d["window_r2"] = [list(w) for w in self.window_r2]
        return d

    def summary(self) -> str:
        """One line: LS line, R², envelope, where the affine relation starts."""
        r2 = "n/a" if self.r2 is None else f"{self.r2:.3f}"
        start = "never" if self.affine_from_step is None else f"step {self.affine_from_step}"
        return (f"{self.estimator:<19} LS {self.ls_H0:.4g} + {self.ls_H1:.4g}·gap (R² {r2}, "
                f"{100 * self.frac_above_ls:.0f}% above)  envelope {self.envelope_H0:.4g} + "
                f"{self.envelope_H1:.4g}·gap  window R²≥{self.r2_threshold:g} from {start}")


def fit_estimator(name: str, steps: Sequence[int] | np.ndarray, gaps: Sequence[float] | np.ndarray,
                  values: Sequence[float | None] | np.ndarray, *, f_star: float = 0.0, window: int | None = None,
                  envelope_values: Sequence[float | None] | np.ndarray | None = None,
                  r2_threshold: float = 0.9) -> EstimatorFit:
    """Fit one estimator (module docstring).  ``gaps`` = f − f* per record (clipped at 0 for the
    envelope), ``values`` the estimates (None / NaN entries are skipped); ``window`` default
    max(5, n // 5) records; ``envelope_values`` (same length) the values the envelope must lie above
    instead of ``values`` (the upper ends of certified brackets).  Needs ≥ 2 usable points (ValueError otherwise)."""
    if not 0.0 < r2_threshold <= 1.0:
        raise ValueError(f"r2_threshold must be in (0, 1], got {r2_threshold!r}")
    st = np.asarray(steps, dtype=np.int64)
    g = np.asarray(gaps, dtype=np.float64)
    s = np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    if not st.shape == g.shape == s.shape:
        raise ValueError(f"steps, gaps and values must have equal lengths, got {st.size}, {g.size}, {s.size}")
    ok = np.isfinite(g) & np.isfinite(s)
    st, g, s = st[ok], g[ok], s[ok]
    if s.size < 2:
        raise ValueError(f"{name}: need at least 2 finite points to fit, got {s.size}")
    H0, H1, r2 = least_squares_line(g, s)
    above = float(np.mean(s > H0 + H1 * g))
    top = s if envelope_values is None else np.asarray(
        [math.nan if v is None else v for v in envelope_values], dtype=np.float64)[ok]
    env = fit_h0_h1(np.clip(g, 0.0, None), np.clip(top, 0.0, None))
    w = max(5, s.size // 5) if window is None else int(window)
    if w < 2:
        raise ValueError(f"window must be >= 2, got {window!r}")
    wins: list[tuple[int, float | None]] = []
    for i in range(max(1, s.size - w + 1)):
        _, _, wr2 = least_squares_line(g[i:i + w], s[i:i + w])
        wins.append((int(st[i]), wr2))
    start = None
    for i in range(len(wins)):
        if all(r is not None and r >= r2_threshold for _, r in wins[i:]):
            start = wins[i][0]
            break
    return EstimatorFit(name, float(f_star), int(s.size), H0, H1, r2, above, env.envelope_H0, env.envelope_H1,
                        w, float(r2_threshold), tuple(wins), start)
