"""The two figures warm-up papers use, for a schedule study.

* ``schedules_final_loss.png/.svg``: final validation loss vs peak lr (log axis), one line per family at its
  tuned setting (mean ± sd over seeds); a peak lr where a seed diverged is marked with ×, and a point whose
  every seed diverged is drawn at the top of the axis;
* ``schedules_curves.png/.svg``: for the best setting of each family, the lr (seed 0) and the smoothed
  mini-batch loss (mean over seeds) vs step.

``result`` is a :class:`~warmup_theory.numerics.schedule_study.result.StudyResult` (not imported: it calls here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from warmup_theory.numerics.table.plots import save

__all__ = ["plot_study"]

_COLORS = {"none": "tab:gray", "linear": "tab:blue", "untuned": "tab:purple", "adaptive": "tab:red",
           "adaptive-fit": "tab:orange"}


def plot_study(result: Any, out: str | Path) -> list[str]:
    """Write both figures under ``out``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    st = result.settings
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("warmup-theory")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ver = "unknown"
    meta = {"version": ver, "seed": f"0..{st.seeds - 1}", "device": st.device}
    title = f"{st.task}/{st.model}, {st.optimizer}, {st.steps} steps, decay {st.decay}, {st.seeds} seeds"
    fig, ax = plt.subplots(figsize=(7, 4.2))
    fams = result.families()
    finite = [r["val_mean"] for rows in fams.values() for r in rows if r["val_mean"] is not None]
    top = max(finite) * 1.05 if finite else 1.0
    for fam, rows in fams.items():
        x = [r["peak_lr"] for r in rows]
        y = [top if r["val_mean"] is None else r["val_mean"] for r in rows]
        e = [r["val_sd"] or 0.0 for r in rows]
        ax.errorbar(x, y, yerr=e, marker="o", ms=4, capsize=2, color=_COLORS[fam], label=fam)
        bad = [(xi, yi) for xi, yi, r in zip(x, y, rows, strict=True) if r["diverged"]]
        if bad:
            ax.plot(*zip(*bad, strict=True), "x", ms=10, mew=2, color=_COLORS[fam])
    ax.set_xscale("log")
    ax.set(xlabel="peak lr", ylabel="final validation loss", title=title)
    ax.legend(fontsize=8, title="× = a seed diverged", title_fontsize=7)
    paths = [str(p) for p in save(fig, d, "schedules_final_loss", meta)]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    runs = result.runs
    for fam, row in result.best().items():
        idx = [r for r in range(len(runs.specs)) if runs.specs[r].label == row["schedule"]
               and runs.peaks[r] == row["peak_lr"]]
        steps = np.arange(runs.lr.shape[1])
        a1.plot(steps, runs.lr[idx[0]], color=_COLORS[fam], label=f"{row['schedule']} @ {row['peak_lr']:g}")
        with np.errstate(all="ignore"):
            a2.plot(steps, np.nanmean(runs.smoothed[idx], axis=0), color=_COLORS[fam])
    a1.set(xlabel="step", ylabel="lr (seed 0)", title="best setting of each family")
    a2.set(xlabel="step", ylabel="smoothed loss (mean over seeds)", yscale="log", title=title)
    a1.legend(fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    paths += [str(p) for p in save(fig, d, "schedules_curves", meta)]
    return paths
