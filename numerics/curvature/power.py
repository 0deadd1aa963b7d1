"""Power iteration for ||H||_2 (cross-check only).

v_{j+1} = H v_j / ||H v_j||. Every ||H v_j|| (v_j unit) is a deterministic lower bound on
||H||_2; the upper bound is the probabilistic moment bound
:func:`~warmup_theory.numerics.curvature.certificate.power_upper_bound`, which is loose (relative width about
c^{-1/k} - 1 after k steps). Stopping rule, as in common Hessian tools: the relative change of
the estimate ||H v_j|| between two steps is below ``tol``; this certifies nothing.
Scale-safe as in :mod:`warmup_theory.numerics.curvature.lanczos` (run on H / 2^k).

>>> import torch
>>> H = torch.diag(torch.tensor([3.0, 1.0, -5.0], dtype=torch.float64))
>>> out = power_norm(lambda v: H @ v, 3, tol=1e-12, max_hvps=500, v0=None,
...                  generator=torch.Generator().manual_seed(0), delta=1e-3)
>>> round(out["value"], 9), out["lower"] <= 5.0 <= out["upper"]
(5.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from warmup_theory.numerics.curvature.certificate import power_upper_bound, start_vector
from warmup_theory.numerics.curvature.lanczos import _MAX
from warmup_theory.numerics.curvature.recurrence import _times_pow2
from warmup_theory.numerics.curvature.scaling import operator_exponent, safe_norm, scale_back

__all__ = ["power_norm"]


def power_norm(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, *, tol: float, max_hvps: int,
               v0: torch.Tensor | None, generator: torch.Generator | None, delta: float,
               device: torch.device | str = "cpu",
               history: list[tuple[int, float]] | None = None) -> dict[str, Any]:
    """Power iteration on ``matvec``; returns the fields of a SpectralNormResult.

    ``history`` (optional list) receives (hvps, ||H v_j||) after every product."""
    device = torch.device(device)
    v, log_c_delta = start_vector(n, v0, generator, device)
    log_c = log_c_delta + math.log(delta)
    log_norms: list[float] = []
    lower, prev, converged = 0.0, math.nan, False
    hv = v
    hvps = 0
    zero = False
    k = 0  # the iteration runs on H / 2**k (see lanczos.py; 0 at normal scales)
    for _ in range(max_hvps):
        hvps += 1
        hv = matvec(v).to(dtype=torch.float64, device=device).reshape(-1)
        if not bool(torch.isfinite(hv).all()):
            raise ValueError("the Hessian-vector product is not finite at the given parameters")
        if hvps == 1:
            k = operator_exponent(safe_norm(hv))
        hv = _times_pow2(hv, -k)
        est = safe_norm(hv)
        lower = max(lower, est)
        if history is not None:
            history.append((hvps, scale_back(est, k)))
        if est == 0.0:  # H v = 0 with v from a random start: on the event |c_*| >= c, H = 0
            zero = converged = True
            break
        log_norms.append(math.log(est))
        if math.isfinite(prev) and abs(est - prev) <= tol * est:
            converged = True
            break
        prev = est
        if hvps < max_hvps:  # keep (v, hv) matched on the last step
            v = hv / est
    rho = float(v @ hv) if len(log_norms) else 0.0
    residual = safe_norm(hv - rho * v)
    upper = 0.0 if zero else max(power_upper_bound(log_norms, log_c=log_c), lower)
    lower, upper, residual = scale_back(lower, k), scale_back(upper, k), scale_back(residual, k)
    rho = math.copysign(scale_back(abs(rho), k), rho)
    if math.isinf(lower):
        lower = _MAX
    converged = converged and math.isfinite(upper)
    return dict(value=lower, lower=lower, upper=upper, residual=residual, hvps=hvps,
                converged=converged, certificate="probabilistic", delta=delta, eigenvalue=rho,
                vector=v, steps=len(log_norms), hv=hv, scale_exp=k)
