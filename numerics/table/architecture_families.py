"""Table families on networks: deep linear (balanced runs) and the two-layer cross-entropy model."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import torch

from .instances import Instance, _gap


def _pl_ratio_estimate(problem: Any, w0: np.ndarray, alpha: float, beta: float, eps: float,
                       max_steps: int) -> tuple[Any, int, np.ndarray]:
    """PL ratio |∇f(w_k)|²/(2(f(w_k) − f*)) along one GD run with η_k = 1/(alpha + beta·gap_k).

    A plain single-run loop used ONLY to estimate a constant that cannot be certified (the table's
    runs are batched); returns (Estimate(m, 0, m), steps, final w) with m = the minimum ratio: the
    PL constant is at most the ratio at every point, so μ <= m; nothing certifies a lower end above 0.
    """
    from warmup_theory.numerics.table.rows import Estimate

    w = torch.as_tensor(w0.reshape(1, -1), dtype=torch.float64).clone()
    ratios = []
    for _ in range(max_steps + 1):
        wr = w.detach().requires_grad_(True)
        fv = problem.f(wr)
        (g,) = torch.autograd.grad(fv.sum(), wr)
        gap = float(fv.detach()[0]) - float(problem.f_star)
        if gap <= eps or not math.isfinite(gap):
            break
        ratios.append(float((g * g).sum()) / (2 * gap))
        w = (w - g / (alpha + beta * gap)).detach()
    r = np.array(ratios) if ratios else np.array([math.nan])
    est = Estimate(float(r.min()), 0.0, float(r.min()),
                   f"min of the PL ratio |grad f|^2/(2(f - f*)) over the {len(ratios)} iterates of one "
                   f"warmup-family run from w0 (max {float(r.max()):.4g}); the true mu is <= that min and only "
                   "0 is certified below it: an upper estimate along one trajectory, not a certificate")
    return est, len(ratios), w.numpy().reshape(-1)


def _build_deep_linear(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.models.data import regression_data
    from warmup_theory.numerics.models.deep_linear import (
        balanced_deep_linear,
        balancedness_residual,
        deep_linear_loss_batched,
        n_params,
        unflatten_weights,
    )
    from warmup_theory.numerics.problems import Problem
    from warmup_theory.theory.architectures.deep_linear import deep_linear_constants
    from warmup_theory.theory.bounds import BEST_ADAPTIVE_FAMILY

    g = torch.Generator().manual_seed(seed)
    data = regression_data(3, 2, 8, generator=g)
    cases = [(3, 4, 2)]
    out = []
    for widths in cases:
        depth = len(widths) - 1
        c = deep_linear_constants(depth, data.x_norm, data.x_lambda_min, data.y_norm, data.f_star)
        bw = balanced_deep_linear(widths, generator=g, scale=0.5)
        shared = {"X": data.X, "Y": data.Y}

        def fn(W: torch.Tensor, prm: Any, _w: tuple = widths) -> torch.Tensor:
            return deep_linear_loss_batched(W, prm["X"], prm["Y"], _w)
        p = Problem(name=f"deep_linear{widths}", dim=n_params(widths), f=functools.partial(fn, prm=shared),
                    fn=fn, shared_params=shared, f_star=data.f_star, H0=float(c.H0),
                    H1=float(c.H1), mu=None, theta=None, minimiser_dist=None,
                    provenance="warmup_theory.theory.architectures.deep_linear_constants (corrected Prop 3.2): "
                               "certified on "
                               "strongly balanced weights, X of full row rank; f* exact (Eckart-Young)",
                    family="deep_linear")
        w0 = bw.theta.numpy().reshape(-1)
        gap0 = _gap(p, w0)
        a, b = BEST_ADAPTIVE_FAMILY
        mu_est, n, w_end = _pl_ratio_estimate(p, w0, a * c.H0, b * c.H1, 1e-2, 2000)
        drift = balancedness_residual(unflatten_weights(torch.as_tensor(w_end), widths))
        note = (f"(H0,H1) certified only on strongly balanced weights; GD leaves that set: balancedness residual "
                f"{bw.residual:.1e} at w0, {drift:.1e} after {n} warmup-family steps, so H0, H1 are ESTIMATES "
                f"along these runs (shown ~, checks using them are undecided). mu is an ESTIMATE: "
                f"{mu_est.how}; bounds using it are labelled estimates, not theorem checks. "
                f"{p.provenance}")
        out.append(Instance(label=f"deep_linear{widths} (MSE, balanced init)", family="deep-linear", problem=p,
                            w0=w0, H0=float(c.H0), H1=float(c.H1), mu=mu_est, theta=None, f_star=data.f_star,
                            gap0=gap0, dist0=None, notes=note, estimated=("H0", "H1")))
    return out


def _build_two_layer_ce(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.models.two_layer import (
        one_unit_f_star_bracket,
        sine_activation,
        sine_activation_constants,
        two_layer_ce_loss_batched,
    )
    from warmup_theory.numerics.problems import Problem
    from warmup_theory.theory.architectures.two_layer_ce import two_layer_ce_constants
    from warmup_theory.theory.bounds import BEST_ADAPTIVE_FAMILY

    rng = np.random.default_rng(seed + 300)
    xv = rng.standard_normal(2)
    X = torch.as_tensor(xv.reshape(1, 2, 1), dtype=torch.float64)
    lab = torch.ones(1, 1, dtype=torch.float64)
    xn = float(np.linalg.norm(xv))
    a, om, l1, l2 = 0.5, 2.0, 0.5, 0.5
    lo, hi = one_unit_f_star_bracket(xn, l1, l2, a, om)
    C1, C2, C3 = sine_activation_constants(a, om)
    c = two_layer_ce_constants(xn, C1, C2, C3, l1, l2, hi)      # H0 increases with f*: hi is safe
    act = sine_activation(a, om)
    shared = {"X": X, "lab": lab, "l1": torch.tensor(l1, dtype=torch.float64),
              "l2": torch.tensor(l2, dtype=torch.float64)}

    def fn(W: torch.Tensor, prm: Any) -> torch.Tensor:
        return two_layer_ce_loss_batched(W, prm["X"], prm["lab"], hidden=1, k=1, lam1=prm["l1"], lam2=prm["l2"],
                                         activation=act)
    p = Problem(name="two_layer_ce", dim=3, f=lambda W: fn(W, shared), fn=fn, shared_params=shared, f_star=lo,
                H0=float(c.H0), H1=float(c.H1), mu=None, theta=None,
                minimiser_dist=None, family="two_layer_ce",
                provenance="warmup_theory.theory.architectures.two_layer_ce_constants (corrected Prop 3.3 H0, "
                           "evaluated at the "
                           "upper end of the f* bracket)")
    w0 = np.array([-2.0, *(xv / xn)])
    a_, b_ = BEST_ADAPTIVE_FAMILY
    mu_est, n, _ = _pl_ratio_estimate(p, w0, a_ * c.H0, b_ * c.H1, 1e-2, 2000)
    note = (f"one hidden unit, one sample, binary CE (summed) + L2 (lam1 = lam2 = {l1:g}), "
            f"phi(s) = s + ({a:g}/{om:g}) sin({om:g}s) with exact C1 = C2 = {C1:g}, C3 = {C3:g}; "
            f"f* in the certified bracket [{lo:.10g}, {hi:.10g}] (one_unit_f_star_bracket); gaps are measured "
            f"from the lower end, so f - f*_lo <= eps implies f - f* <= eps, and (H0 at f*_hi, H1) stay valid "
            f"for f - f*_lo >= f - f*; mu is an ESTIMATE: {mu_est.how}. {p.provenance}")
    return [Instance(label="two_layer_ce(h=1,sine act.)", family="two-layer-ce", problem=p, w0=w0, H0=float(c.H0),
                     H1=float(c.H1), mu=mu_est, theta=None, f_star=lo, gap0=_gap(p, w0), dist0=None, notes=note)]


