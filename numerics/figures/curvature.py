"""Curvature vs sub-optimality along GD training (the paper's Figure 1, on the issue-5 models).

For one model, run gradient descent and record at every step the exact Hessian spectral norm
‖∇²f(w_k)‖₂ (dense float64 Hessian, ``torch.func.hessian`` + ``eigvalsh``) and the gap
f(w_k) − f*.  Then fit lines (:func:`warmup_theory.numerics.fit.fit_h0_h1`) and compare with the proven
(H0, H1) of :mod:`warmup_theory.theory.architectures`; plot the scatter with the three lines.

Models (float64; conventions of :mod:`warmup_theory.numerics.models`):

* ``deep-linear``: widths (4, 4, 4, 3), m = 20, Gaussian full-row-rank X, non-realisable Y,
  ½-squared loss; exact f* (least squares).  Weights stay strongly balanced: after every GD step
  the weights are replaced by the balanced factorisation of the same end-to-end map P (same f).
* ``two-layer-ce``: d = 4, h = 6, k = 3 (softmax CE summed over m = 30 samples), tanh,
  λ1 = λ2 = 0.05.  f* is not known: gaps use f̂* = the lowest loss seen (an UPPER estimate of
  f*, so gaps are under-estimated); the corrected bound H0 + H1(f − f*) does not depend on f*.
* ``leaky-relu``: one hidden unit, d = 3, c = 2, m = 20, α = 0.2; ‖w‖ = ‖v‖ restored after each
  step by positive rescaling (same outputs); f̂* from a scan of directions (upper estimate).
* ``attention``: one linear-attention layer, d = 3, n = 10 examples, T = 20 prompts,
  λ_P = λ_Q = 0.05; f̂* = lowest loss seen.

Step size: η_k = 0.9/‖∇²f(w_k)‖₂ (locally safe; the proven constants are too loose to train
with).  ``max_ratio`` = max_k ‖∇²f(w_k)‖ / (H0 + H1·gap_k) with the proven constants.

>>> tr = curvature_trace("deep-linear", steps=5, seed=0)
>>> len(tr.gaps), tr.max_ratio < 1
(6, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.fit import FitResult, fit_h0_h1
from warmup_theory.numerics.search import hessian_norm

__all__ = ["MODELS", "CurvatureTrace", "curvature_trace", "plot_curvature"]

MODELS = ("deep-linear", "two-layer-ce", "leaky-relu", "attention")


@dataclass(frozen=True)
class CurvatureTrace:
    """(gap, ‖∇²f‖) along GD, the fit, the proven constants and the worst ratio."""

    model: str
    gaps: tuple[float, ...]
    norms: tuple[float, ...]
    losses: tuple[float, ...]
    f_star: float
    f_star_kind: str          # "exact", "lowest loss seen (upper estimate)", ...
    H0: float
    H1: float
    proven_source: str
    fit: FitResult
    max_ratio: float
    config: dict

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"model": self.model, "gaps": list(self.gaps), "norms": list(self.norms),
                "losses": list(self.losses), "f_star": self.f_star, "f_star_kind": self.f_star_kind,
                "proven": {"H0": self.H0, "H1": self.H1, "source": self.proven_source},
                "fit": self.fit.to_dict(), "max_ratio": self.max_ratio, "config": self.config}


def _setup(model: str, g: torch.Generator, device):
    """(loss(theta), theta0, project or None, constants(f_star)->(H0,H1), f_star or None, kind, config)."""
    from warmup_theory.theory import architectures as A

    dt = torch.float64
    if model == "deep-linear":
        from warmup_theory.numerics.models.data import regression_data
        from warmup_theory.numerics.models.deep_linear import balanced_deep_linear, deep_linear_loss
        from warmup_theory.numerics.search import _rebalance

        widths = (4, 4, 4, 3)
        data = regression_data(4, 3, 20, generator=g, device=device)
        theta0 = balanced_deep_linear(widths, generator=g, scale=0.3, device=device).theta
        loss = lambda t: deep_linear_loss(t, data.X, data.Y, widths)
        proj = lambda t: _rebalance(widths)(t[None])[0]
        consts = lambda fs: A.deep_linear_constants(len(widths) - 1, data.x_norm, data.x_lambda_min,
                                                    data.y_norm, fs)
        return loss, theta0, proj, consts, data.f_star, "exact (least squares)", {
            "widths": list(widths), "m": 20, "source": "warmup_theory.theory.architectures.deep_linear_constants"}
    if model == "two-layer-ce":
        from warmup_theory.numerics.models.data import classification_data
        from warmup_theory.numerics.models.two_layer import two_layer_ce_loss

        d, h, k, m, lam = 4, 6, 3, 30, 0.05
        cd = classification_data(d, m, k, generator=g, device=device)
        theta0 = 0.5 * torch.randn(k * h + h * d, generator=g, dtype=dt).to(device)
        loss = lambda t: two_layer_ce_loss(t, cd.X, cd.labels, hidden=h, k=k, lam1=lam, lam2=lam,
                                           activation=torch.tanh)
        C = A.activation_constants("tanh")
        consts = lambda fs: A.two_layer_ce_constants(cd.x_norm, C.C1, C.C2, C.C3, lam, lam, fs)
        return loss, theta0, None, consts, None, "lowest loss seen (upper estimate of f*)", {
            "d": d, "hidden": h, "k": k, "m": m, "lam1": lam, "lam2": lam, "activation": "tanh",
            "source": "warmup_theory.theory.architectures.two_layer_ce_constants (corrected)"}
    if model == "leaky-relu":
        from warmup_theory.numerics.models.leaky_relu import leaky_relu_f_star_estimate, leaky_relu_loss

        d, c, m, alpha = 3, 2, 20, 0.2
        X = torch.randn(d, m, generator=g, dtype=dt).to(device)
        Y = torch.randn(c, m, generator=g, dtype=dt).to(device)
        theta0 = 0.3 * torch.randn(d + c, generator=g, dtype=dt).to(device)
        S = torch.linalg.svdvals(X)
        loss = lambda t: leaky_relu_loss(t, X, Y, alpha=alpha)

        def proj(t):
            w, v = t[:d], t[d:]
            s = torch.sqrt(torch.linalg.vector_norm(w) / torch.linalg.vector_norm(v).clamp_min(1e-300))
            return torch.cat([w / s, v * s])

        consts = lambda fs: A.leaky_relu_constants(alpha, float(S[0]), float(S[-1] ** 2),
                                                   float(torch.linalg.matrix_norm(Y)), fs)
        return loss, proj(theta0), proj, consts, leaky_relu_f_star_estimate(X.cpu(), Y.cpu(), alpha), \
            "direction scan (upper estimate of f*)", {"d": d, "c": c, "m": m, "alpha": alpha,
                                                      "source": "warmup_theory.theory.architectures."
                                                                "leaky_relu_constants"}
    if model == "attention":
        from warmup_theory.numerics.models.attention import attention_data_constant_np, attention_loss, icl_prompts

        d, n, T, lam = 3, 10, 20, 0.05
        Z, y = icl_prompts(T, d, n, generator=g, noise=0.1)
        Z, y = Z.to(device), y.to(device)
        theta0 = 0.2 * torch.randn(2 * (d + 1) ** 2, generator=g, dtype=dt).to(device)
        loss = lambda t: attention_loss(t, Z, y, lam_P=lam, lam_Q=lam)
        K = attention_data_constant_np(Z.cpu())
        consts = lambda fs: A.attention_constants(K, lam, lam, fs)
        return loss, theta0, None, consts, None, "lowest loss seen (upper estimate of f*)", {
            "d": d, "n": n, "T": T, "lam_P": lam, "lam_Q": lam, "K": K,
            "source": "warmup_theory.theory.architectures.attention_constants"}
    raise ValueError(f"model must be one of {MODELS}, got {model!r}")


def curvature_trace(model: str, *, steps: int = 200, seed: int = 0,
                    device: str | torch.device | None = None) -> CurvatureTrace:
    """Run ``steps`` GD steps on ``model`` (module docstring) and collect (gap, ‖∇²f‖)."""
    from warmup_theory.numerics.device import resolve_device

    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    dev = resolve_device(device)
    g = torch.Generator().manual_seed(seed)
    loss, theta, proj, consts, f_star, kind, config = _setup(model, g, dev)
    fs_list, hs = [], []
    grad = torch.func.grad(loss)
    for k in range(steps + 1):
        f = float(loss(theta))
        hn = float(hessian_norm(loss, theta))
        fs_list.append(f)
        hs.append(hn)
        if k == steps or not math.isfinite(f):
            break
        theta = theta - (0.9 / max(hn, 1e-12)) * grad(theta)
        if proj is not None:
            theta = proj(theta)
    losses = np.array(fs_list)
    if f_star is None:
        f_star = float(losses.min())
    f_star = float(min(f_star, losses.min()))
    gaps = np.clip(losses - f_star, 0.0, None)
    c = consts(f_star)
    H0, H1 = float(c.H0), float(c.H1)
    norms = np.array(hs)
    ratio = float(np.max(norms / (H0 + H1 * gaps)))
    fit = fit_h0_h1(gaps, norms)
    config = dict(config, steps=steps, seed=seed, device=str(dev), step_rule="0.9/||Hess f(w_k)||")
    return CurvatureTrace(model, tuple(gaps.tolist()), tuple(norms.tolist()), tuple(losses.tolist()),
                          f_star, kind, H0, H1, config.pop("source"), fit, ratio, config)


def plot_curvature(trace: CurvatureTrace, out_dir: str | Path, *, stem: str | None = None) -> list[Path]:
    """Scatter ‖∇²f‖ vs f − f* with the proven and fitted lines; writes PNG and SVG (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = stem or f"curvature_{trace.model}"
    g, h = np.array(trace.gaps), np.array(trace.norms)
    xs = np.linspace(0.0, max(float(g.max()), 1e-12), 200)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, show_proven in zip(axes, (False, True)):
        sc = ax.scatter(g, h, c=np.arange(g.size), cmap="viridis", s=12, label="GD iterates")
        ax.plot(xs, trace.fit.envelope_H0 + trace.fit.envelope_H1 * xs, "r-",
                label=f"envelope fit: {trace.fit.envelope_H0:.3g} + {trace.fit.envelope_H1:.3g}·gap")
        ls = trace.fit.ls_H0 + trace.fit.ls_H1 * xs
        ax.plot(xs, np.where(ls > 0, ls, np.nan), "k--",
                label=f"least squares: {trace.fit.ls_H0:.3g} + {trace.fit.ls_H1:.3g}·gap")
        if show_proven:
            ax.plot(xs, trace.H0 + trace.H1 * xs, "b-", label=f"proven: {trace.H0:.3g} + {trace.H1:.3g}·gap")
            ax.set_yscale("log")
            ax.set_title("with the proven line (log scale)")
        else:
            ax.set_title(f"{trace.model}: curvature along GD")
        ax.set_xlabel("f(w) − f*")
        ax.set_ylabel("‖∇²f(w)‖₂")
        ax.legend(fontsize=7)
    fig.colorbar(sc, ax=axes, label="GD step")
    fig.suptitle(f"f* = {trace.f_star:.6g} ({trace.f_star_kind}); max ratio to the proven line "
                 f"{trace.max_ratio:.3g}", fontsize=9)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    for p in paths:
        fig.savefig(p, dpi=120)
    plt.close(fig)
    return paths
