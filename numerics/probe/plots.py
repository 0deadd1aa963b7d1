"""Paper-style figures of a probe run (Section 3.2, Figures 1 and 3 of the paper, v2).

* ``<stem>_smoothness.png/.svg``: each estimator against the probe loss f_P, points coloured by
  training step, the least-squares line dashed; one column per estimator, one row per run (e.g.
  per model size with ``--sizes``);
* ``<stem>_trace.png/.svg``: the certified ‖∇²f_P‖₂ (with its bracket) and the probe loss vs step.

The run's settings are printed in a footer. ``results`` are :class:`~warmup_theory.numerics.probe.ProbeResult`
objects (not imported here: ``ProbeResult.plot`` calls this module).  matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warmup_theory.numerics.probe.fitting import ESTIMATORS

__all__ = ["plot_probe"]

_TITLES = {"hessian_norm": "certified ||Hess f_P|| (Lanczos)", "consecutive_secant": "consecutive-batch secant (paper)",
           "same_batch_secant": "same-batch secant", "directional": "directional d'Hd/|d|^2"}


def _footer(res: Any) -> str:
    keys = ("task", "model", "n_params", "optimizer", "lr", "batch", "clip", "seed", "steps", "every")
    parts = [f"{k}={res.settings[k]}" for k in keys if k in res.settings]
    return "  ".join(parts + [f"status={res.status}"])


def _save(fig: Any, base: Path) -> list[str]:
    """Save ``fig`` as ``base.png`` and ``base.svg``, close it, return the two paths."""
    import matplotlib.pyplot as plt

    paths = []
    for ext in ("png", "svg"):
        fig.savefig(base.with_suffix(f".{ext}"), dpi=110)
        paths.append(str(base.with_suffix(f".{ext}")))
    plt.close(fig)
    return paths


def plot_probe(results: Sequence[Any], out: str | os.PathLike[str], *, stem: str = "probe",
               labels: Sequence[str] | None = None) -> list[str]:
    """Write the two figures for ``results`` (one row each) into directory ``out``; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    if not results:
        raise ValueError("results is empty: nothing to plot")
    labels = list(labels) if labels is not None else [str(r.settings.get("model", f"run {i}"))
                                                       for i, r in enumerate(results)]
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    paths: list[str] = []
    nrow = len(results)
    fig, axes = plt.subplots(nrow, len(ESTIMATORS), figsize=(4.2 * len(ESTIMATORS), 3.4 * nrow), squeeze=False)
    for i, res in enumerate(results):
        fits = res.fit().fits if len(res.records) >= 2 else {}
        loss = np.array(res.column("probe_loss"))
        steps = np.array(res.column("step"))
        for j, name in enumerate(ESTIMATORS):
            ax = axes[i][j]
            vals = np.array([np.nan if v is None else v for v in res.column(name)], dtype=float)
            ok = np.isfinite(vals)
            sc = ax.scatter(loss[ok], vals[ok], c=steps[ok], cmap="viridis", s=14)
            if name in fits:
                f = fits[name]
                xs = np.linspace(float(loss.min()), float(loss.max()), 50)
                r2 = "n/a" if f.r2 is None else f"{f.r2:.2f}"
                ax.plot(xs, f.ls_H0 + f.ls_H1 * (xs - f.f_star), "k--", lw=1, label=f"LS fit, R²={r2}")
                ax.legend(fontsize=7, loc="upper left")
            ax.set_xlabel("probe loss f_P")
            ax.set_ylabel("smoothness estimate")
            ax.set_title(f"{labels[i]}: {_TITLES[name]}", fontsize=8)
            if j == len(ESTIMATORS) - 1:
                fig.colorbar(sc, ax=ax, label="step")
    fig.text(0.01, 0.005, _footer(results[0]), fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    paths += _save(fig, outdir / f"{stem}_smoothness")

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), squeeze=False)
    for res, lab in zip(results, labels):
        st = res.column("step")
        axes[0][0].plot(st, res.column("hessian_norm"), label=lab)
        axes[0][0].fill_between(st, res.column("lower"), res.column("upper"), alpha=0.3)
        axes[0][1].plot(st, res.column("probe_loss"), label=lab)
        if res.diverged_step is not None:
            for ax in axes[0]:
                ax.axvline(res.diverged_step, color="r", ls=":", lw=1)
    axes[0][0].set_yscale("log")
    axes[0][0].set_ylabel("||Hess f_P|| (bracket shaded)")
    axes[0][1].set_ylabel("probe loss f_P")
    for ax in axes[0]:
        ax.set_xlabel("step")
        ax.legend(fontsize=7)
    fig.text(0.01, 0.005, _footer(results[0]), fontsize=7)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    paths += _save(fig, outdir / f"{stem}_trace")
    return paths
