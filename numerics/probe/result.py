"""Records of a curvature probe along training: :class:`ProbeRecord`, :class:`ProbeResult`, :class:`ProbeFit`.

A record at step t holds the probe-batch loss f_P(w_t) (mean loss over the fixed probe batch), the
certified bracket [lower, upper] on ‖∇²f_P(w_t)‖₂ (Lanczos, HVP count, converged flag), and the
secant estimators at w_t with d = w_t − w_{t−1}:

* ``consecutive_secant`` ‖∇f_{S_t}(w_t) − ∇f_{S_{t−1}}(w_{t−1})‖/‖d‖ — the paper's estimator (Section 3.2,
  v2): consecutive mini-batches, so batch noise enters the numerator;
* ``same_batch_secant`` ‖∇f_{S_t}(w_t) − ∇f_{S_t}(w_{t−1})‖/‖d‖ — the same without the batch change;
* ``directional`` dᵀ∇²f_P(w_t)d/‖d‖² — the curvature of the probe loss along the step.

>>> r = ProbeRecord(0, 0.1, 2.0, 1.9, 5.0, 4.99, 5.01, 30, True, None, None, None, 0.01)
>>> r.to_dict()["hessian_norm"]
5.0
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from warmup_theory.numerics.curvature.tracker import TrackerRecord
from warmup_theory.numerics.probe.fitting import ESTIMATORS, EstimatorFit, fit_estimator

__all__ = ["CSV_LEAD", "ESTIMATORS", "PROBE_COLUMNS", "ProbeFit", "ProbeRecord", "ProbeResult", "write_csv"]

#: Columns of ``probe.csv``: ``run`` (the model name, so several runs share a file), then :data:`PROBE_COLUMNS`.
CSV_LEAD = ("run",)


@dataclass(frozen=True)
class ProbeRecord:
    """One probe measurement (module docstring); a missing secant (first record) is None."""

    step: int
    lr: float
    train_loss: float
    probe_loss: float
    hessian_norm: float
    lower: float
    upper: float
    hvps: int
    converged: bool
    consecutive_secant: float | None
    same_batch_secant: float | None
    directional: float | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the fields."""
        return asdict(self)

    @classmethod
    def from_tracker(cls, rec: TrackerRecord, *, lr: float, train_loss: float) -> ProbeRecord:
        """The tracker's record (its ``loss`` is the probe loss) with this step's lr and mini-batch loss."""
        d = rec.to_dict()
        d["probe_loss"] = d.pop("loss")
        d.pop("certificate", None)
        return cls(lr=lr, train_loss=train_loss, **d)


PROBE_COLUMNS = tuple(ProbeRecord.__dataclass_fields__)


def _median_ratio(a: Sequence[float | None], b: Sequence[float | None]) -> float | None:
    """Median of a_i / b_i over the records where both are finite and b_i > 0."""
    r = [x / y for x, y in zip(a, b) if x is not None and y is not None and math.isfinite(x) and y > 0]
    return float(np.median(r)) if r else None


@dataclass(frozen=True)
class ProbeFit:
    """Fits of every estimator against f_P − f* (:func:`warmup_theory.numerics.probe.fitting.fit_estimator`).

    ``f_star`` is the value the fits use (0 for non-negative losses unless the caller says otherwise);
    ``f_star_run_estimate`` = the smallest probe loss seen (an upper estimate of f*), with the
    envelope of the certified norm recomputed at it (``envelope_at_estimate`` = (H0, H1)).
    ``noise_ratio`` = median consecutive / same-batch secant (batch noise in the paper's estimator);
    ``secant_over_lanczos`` = median consecutive secant / certified norm, ``same_over_lanczos`` likewise.
    """

    f_star: float
    fits: dict[str, EstimatorFit]
    f_star_run_estimate: float
    envelope_at_estimate: tuple[float, float]
    noise_ratio: float | None
    secant_over_lanczos: float | None
    same_over_lanczos: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"f_star": self.f_star, "fits": {k: v.to_dict() for k, v in self.fits.items()},
                "f_star_run_estimate": self.f_star_run_estimate,
                "envelope_at_estimate": list(self.envelope_at_estimate), "noise_ratio": self.noise_ratio,
                "secant_over_lanczos": self.secant_over_lanczos, "same_over_lanczos": self.same_over_lanczos,
                "verdict": self.verdict()}

    def verdict(self) -> str:
        """What the data say about ‖∇²f‖ ≈ H0 + H1(f − f*) on this run, in numbers."""
        h = self.fits.get("hessian_norm")
        if h is None:
            return "no certified Hessian norms recorded: no verdict"
        r2 = "undefined" if h.r2 is None else f"{h.r2:.2f}"
        slope = "grows" if h.ls_H1 > 0 else "does NOT grow"
        start = (f"never reaches R² ≥ {h.r2_threshold:g}" if h.affine_from_step is None
                 else f"reaches R² ≥ {h.r2_threshold:g} from step {h.affine_from_step}")
        lines = [f"certified ||Hess|| {slope} with the loss: least squares {h.ls_H0:.3g} + {h.ls_H1:.3g}·(f - f*), "
                 f"R² = {r2}, {100 * h.frac_above_ls:.0f}% of points above it",
                 f"envelope over the brackets' upper ends (H0, H1) = ({h.envelope_H0:.3g}, {h.envelope_H1:.3g}) "
                 f"at f* = {self.f_star:g}; "
                 f"({self.envelope_at_estimate[0]:.3g}, {self.envelope_at_estimate[1]:.3g}) at the run's "
                 f"f* estimate {self.f_star_run_estimate:.4g}",
                 f"sliding window ({h.window} records) {start}"]
        if self.noise_ratio is not None and self.secant_over_lanczos is not None:
            lines.append(f"paper's consecutive-batch secant = {self.noise_ratio:.2f}x the same-batch secant, "
                         f"{self.secant_over_lanczos:.2f}x the certified norm (medians)")
        return "\n".join(lines)


@dataclass(frozen=True)
class ProbeResult:
    """A probe run: records, status (``"completed"`` or ``"diverged"`` at ``diverged_step``: a non-finite
    training loss or parameters), the settings (seeds, optimizer, lr, model, data fingerprint) and timing.

    ``fit()`` fits every estimator, ``to_csv(path)`` writes one row per record (columns
    :data:`PROBE_COLUMNS`) after ``# key=value`` header lines, ``plot(out)`` the paper-style figures.
    """

    records: tuple[ProbeRecord, ...]
    status: str
    diverged_step: int | None
    steps_run: int
    settings: dict[str, Any] = field(default_factory=dict)
    f_star: float = 0.0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (records as dicts)."""
        return {"status": self.status, "diverged_step": self.diverged_step, "steps_run": self.steps_run,
                "settings": self.settings, "f_star": self.f_star, "seconds": self.seconds,
                "records": [r.to_dict() for r in self.records]}

    def column(self, name: str) -> list[Any]:
        """One column of the records (a field of :class:`ProbeRecord`)."""
        if name not in PROBE_COLUMNS:
            raise ValueError(f"name must be one of {PROBE_COLUMNS}, got {name!r}")
        return [getattr(r, name) for r in self.records]

    def fit(self, f_star: float | None = None, *, window: int | None = None, r2_threshold: float = 0.9) -> ProbeFit:
        """Fit each estimator against probe loss − f* (default f* = ``self.f_star``); estimators with
        fewer than 2 finite values are left out.  Only records before a divergence exist, so no NaN enters."""
        fs = self.f_star if f_star is None else float(f_star)
        if not math.isfinite(fs):
            raise ValueError(f"f_star must be finite, got {f_star!r}")
        steps, loss = self.column("step"), self.column("probe_loss")
        fits: dict[str, EstimatorFit] = {}
        for name in ESTIMATORS:
            vals = self.column(name)
            if sum(v is not None and math.isfinite(v) for v in vals) >= 2:
                bound = self.column("upper") if name == "hessian_norm" else None
                fits[name] = fit_estimator(name, steps, [x - fs for x in loss], vals, f_star=fs, window=window,
                                           envelope_values=bound,
                                           r2_threshold=r2_threshold)
        est = float(min(loss)) if loss else math.nan
        env = (math.nan, math.nan)
        if "hessian_norm" in fits:
            e = fit_estimator("hessian_norm", steps, [x - est for x in loss], self.column("hessian_norm"),
                              envelope_values=self.column("upper"),
                              f_star=est, window=window, r2_threshold=r2_threshold)
            env = (e.envelope_H0, e.envelope_H1)
        cons, same = self.column("consecutive_secant"), self.column("same_batch_secant")
        hn = self.column("hessian_norm")
        return ProbeFit(fs, fits, est, env, _median_ratio(cons, same), _median_ratio(cons, hn), _median_ratio(same, hn))

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write this run as :func:`write_csv` does."""
        write_csv([self], path)

    def plot(self, out: str | os.PathLike[str], *, stem: str = "probe") -> list[str]:
        """Paper-style figures into directory ``out`` (PNG and SVG); returns the paths written."""
        from warmup_theory.numerics.probe.plots import plot_probe

        return plot_probe([self], out, stem=stem)


def write_csv(results: Sequence[ProbeResult], path: str | os.PathLike[str]) -> None:
    """One CSV for one or several runs: per run ``# key=value`` lines (settings, data fingerprint, status),
    then one header (``run`` + :data:`PROBE_COLUMNS`) and one row per record; a missing value is empty.

    Columns: run (model name); step; lr (of this step); train_loss (mini-batch S_t, before the update);
    probe_loss f_P(w_t); hessian_norm, lower, upper (certified bracket on ‖∇²f_P(w_t)‖₂), hvps, converged;
    consecutive_secant, same_batch_secant, directional (module docstring); seconds (Lanczos time).
    """
    with open(path, "w", newline="") as fh:
        for res in results:
            run = res.settings.get("model", "run")
            for k, v in sorted(res.settings.items()):
                fh.write(f"# {run}: {k}={v}\n")
            fh.write(f"# {run}: status={res.status} diverged_step={res.diverged_step} steps_run={res.steps_run}\n")
        w = csv.writer(fh)
        w.writerow(CSV_LEAD + PROBE_COLUMNS)
        for res in results:
            run = res.settings.get("model", "run")
            for r in res.records:
                w.writerow([run] + ["" if getattr(r, c) is None else getattr(r, c) for c in PROBE_COLUMNS])
