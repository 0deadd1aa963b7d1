"""Draw the regime map of :func:`warmup_theory.theory.regime.regime_map` (matplotlib, Agg backend; PNG or SVG).

Cells where the warm-up step's proven upper bound beats every class-stable fixed step's proven lower bound
are filled; for PL maps the crossover curve log10(eps*) (below it the warm-up provably wins, computed in
log space, so far below the float range) is drawn on a second panel.

>>> import tempfile, os
>>> from warmup_theory.theory.regime import regime_map
>>> m = regime_map(1.0, 1.0, 1.0, [1.0, 1e2, 1e4], [1e-1, 1e-3], kind="aiming", dist0=1.0)
>>> with tempfile.TemporaryDirectory() as d:
...     path = plot_regime_map(m, os.path.join(d, "map.png"))
...     os.path.getsize(path) > 1000
True
"""

from __future__ import annotations

import math
from pathlib import Path

from warmup_theory.theory.regime import RegimeMap, pl_crossover_log10_eps

__all__ = ["plot_regime_map"]


def plot_regime_map(m: RegimeMap, path: str | Path, *, crossover_points: int = 40) -> str:
    """Write the map to ``path`` (format from its suffix: .png or .svg); returns the path as str."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"path must end in .png or .svg, got {path.name!r}")
    ncols = 2 if m.kind == "pl" else 1
    fig, axes = plt.subplots(1, ncols, figsize=(5.5 * ncols, 4.2), squeeze=False)
    ax = axes[0][0]
    wins = np.array(m.warmup_wins, dtype=float)
    lg = np.log10(np.array(m.gap0_grid))
    le = np.log10(np.array(m.eps_grid))
    ax.pcolormesh(_edges(lg), _edges(le), wins.T, cmap="Greens", vmin=0, vmax=1.5, shading="flat")
    for i, gx in enumerate(lg):
        for j, ey in enumerate(le):
            u, lo = m.adaptive_upper[i][j], m.fixed_lower[i][j]
            ax.text(gx, ey, f"{u:.0e}\n{lo:.0e}", ha="center", va="center", fontsize=6)
    ax.set_xlabel("log10 gap0")
    ax.set_ylabel("log10 eps")
    par = "mu" if m.kind == "pl" else "theta"
    ax.set_title(f"{m.kind}: warm-up upper < fixed lower (green)\nH0={m.H0:g}, H1={m.H1:g}, {par}={m.mu_or_theta:g}"
                 + (f", dist0={m.dist0:g}" if m.dist0 is not None else ""), fontsize=8)
    if m.kind == "pl":
        ax2 = axes[0][1]
        gs = np.logspace(lg.min(), lg.max(), crossover_points)
        ys = [pl_crossover_log10_eps(m.H0, m.H1, m.mu_or_theta, float(g)) if m.H0 > 0 else -math.inf for g in gs]
        finite = [(math.log10(g), y) for g, y in zip(gs, ys) if math.isfinite(y)]
        if finite:
            xs, yy = zip(*finite)
            ax2.plot(xs, yy, "g-")
            ax2.fill_between(xs, yy, min(yy) * 1.1 - 10, color="g", alpha=0.2)
        ax2.set_xlabel("log10 gap0")
        ax2.set_ylabel("log10 eps*  (warm-up provably wins below)")
        ax2.set_title("PL crossover (log space; -inf = no separation proven)", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return str(path)


def _edges(c):
    import numpy as np

    c = np.asarray(c, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])
