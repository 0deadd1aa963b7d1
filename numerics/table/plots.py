"""PNG/SVG plots of the table run: loss and step size vs iteration, and the gap0 / eps sweeps.

Every figure carries the toolkit version, seed and device in a footer and in the file metadata
(PNG text chunk / SVG ``<metadata>``).  matplotlib's non-interactive Agg backend is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_trajectories", "plot_sweeps", "save"]

_COLORS = {"warmup": "tab:red", "warmup-family": "tab:purple", "fixed-stable": "tab:blue",
           "fixed-oracle": "tab:gray", "practical": "tab:green"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, out: Path, stem: str, meta: Mapping[str, Any]) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` with version/seed/device in a footer and the metadata."""
    from warmup_theory.numerics.table.formats import meta_line

    line = meta_line({k: meta[k] for k in ("version", "seed", "device") if k in meta})
    fig.text(0.01, 0.005, line, fontsize=6, color="0.4", ha="left", va="bottom")
    paths = []
    for ext in ("png", "svg"):
        p = out / f"{stem}.{ext}"
        md = {"Title": stem, "Description": line} if ext == "png" else {"Title": stem, "Description": line}
        fig.savefig(p, dpi=110, metadata=md)
        paths.append(p)
    _plt().close(fig)
    return paths


def plot_trajectories(fr: Any, out: Path, meta: Mapping[str, Any], instance: int | None = None) -> list[Path]:
    """Loss gap and step size vs iteration for one instance of a recorded family run."""
    plt = _plt()
    res = fr.result
    if res.gap_history is None:
        return []
    if instance is None:  # the instance with the largest gap0 shows the warm-up shape best
        instance = int(np.argmax([inst.gap0 for inst in fr.instances]))
    inst = fr.instances[instance]
    paths: list[Path] = []
    runs = {}
    for (i, s), ids in fr.run_index.items():
        if i != instance or not ids:
            continue
        if s == "fixed-oracle":  # the runner's rule: fewest iterations, ties -> smaller step
            conv = [r for r in ids if res.status[r] == "converged"]
            ids = [min(conv, key=lambda r: (int(res.iterations[r]), -res.alpha[r]))] if conv else ids[:1]
        runs[s] = ids[0]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for s, r in runs.items():
        g = res.gap_history[:, r]
        k = np.arange(g.shape[0])
        ok = ~np.isnan(g)
        lab = s if s != "fixed-oracle" else f"fixed-oracle (η = {1 / res.alpha[r]:.3g}, oracle)"
        ax.semilogy(k[ok], np.maximum(g[ok], 1e-300), label=lab, color=_COLORS.get(s))
    ax.axhline(fr.eps, color="k", lw=0.6, ls=":", label="eps")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(left=0)
    ax.set_xlabel("iteration k")
    ax.set_ylabel("f(w_k) − f*")
    ax.set_title(f"loss gap vs iteration: {inst.label}, gap0 = {inst.gap0:.3g}")
    ax.legend(fontsize=8)
    paths += save(fig, out, "loss_vs_iteration", meta)

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for s, r in runs.items():
        st = res.step_history[:, r]
        k = np.arange(st.shape[0])
        ok = ~np.isnan(st)
        lab = s if s != "fixed-oracle" else f"fixed-oracle (η = {1 / res.alpha[r]:.3g}, oracle)"
        ax.semilogy(k[ok], st[ok], label=lab, color=_COLORS.get(s), ls="--" if s == "fixed-stable" else "-")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(left=0)
    ax.set_xlabel("iteration k")
    ax.set_ylabel("step size η_k")
    ax.set_title(f"step size vs iteration (warm-up shape): {inst.label}")
    ax.legend(fontsize=8)
    paths += save(fig, out, "step_vs_iteration", meta)
    return paths


def plot_sweeps(sw: Any, out: Path, meta: Mapping[str, Any]) -> list[Path]:
    """Iterations vs gap0 (at eps closest to 1e-6) and vs eps (at the largest gap0 <= 100)."""
    plt = _plt()
    paths: list[Path] = []
    eidx = int(np.argmin(np.abs(np.log10(sw.epss) + 6)))
    gidx = int(np.max(np.nonzero(sw.gap0s <= 100.0 + 1e-9)[0]))
    bstyle = {"warmup_upper_closed": ("tab:red", "--", "warm-up bound (Thm 4.3 corr.)"),
              "warmup_upper_recursive": ("tab:red", ":", "warm-up recursion bound"),
              "family_upper_recursive": ("tab:purple", ":", "family recursion bound"),
              "fixed_upper_closed": ("tab:blue", "--", "fixed-step upper bound"),
              "fixed_lower": ("k", "-.", "fixed-step lower bound (class; witness)")}
    for kind in ("gap0", "eps"):
        fig, axes = plt.subplots(1, len(sw.problems), figsize=(5.2 * len(sw.problems), 4.2), squeeze=False)
        for ax, p in zip(axes[0], sw.problems):
            x = sw.gap0s if kind == "gap0" else 1.0 / sw.epss
            sl = (slice(None), eidx) if kind == "gap0" else (gidx, slice(None))
            for s, arr in sw.observed[p].items():
                ax.loglog(x, arr[sl], "o-", label=f"{s} (observed)", color=_COLORS.get(s), ms=4)
            for b, (c, ls, lab) in bstyle.items():
                if b == "fixed_lower" and "witness" not in p:
                    lab += " — not for this function"
                ax.loglog(x, sw.bounds[p][b][sl], ls=ls, color=c, label=lab, lw=1)
            ax.set_xlabel("gap0 = f(w0) − f*" if kind == "gap0" else "1/eps")
            ax.set_ylabel("iterations to f − f* <= eps")
            ttl = f"eps = {sw.epss[eidx]:.0e}" if kind == "gap0" else f"gap0 = {sw.gap0s[gidx]:.3g}"
            ax.set_title(f"{p}\n{ttl}", fontsize=9)
            ax.legend(fontsize=6)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        paths += save(fig, out, f"sweep_{kind}", meta)
    return paths
