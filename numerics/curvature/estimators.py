r"""Local-smoothness estimators of Section 3.2 (v2), to compare with the exact ||∇²f||_2.

With iterates w_k, mini-batches S_k and d = w_{k+1} - w_k:

* ``consecutive_batch_secant`` (the paper's estimate):
  L_k = ||∇f_{S_k}(w_{k+1}) - ∇f_{S_{k-1}}(w_k)|| / ||d||. Two different batches: it mixes
  mini-batch gradient noise into the curvature (it does not vanish as d -> 0).
* ``same_batch_secant``: ||∇f_S(w_{k+1}) - ∇f_S(w_k)|| / ||d|| for one batch S. By the mean
  value theorem it is <= sup_{t in [0,1]} ||∇²f_S(w_k + t d)||_2; for a quadratic it equals
  ||H d|| / ||d|| <= ||H||_2.
* ``directional_curvature``: d^T ∇²f(w) d / ||d||^2 (one HVP); |.| <= ||∇²f(w)||_2.

Vectors are tensors or dicts of tensors (same structure as the parameters).

>>> import torch
>>> A = torch.diag(torch.tensor([4.0, -1.0], dtype=torch.float64))
>>> f = lambda w: 0.5 * w @ A @ w
>>> w0, w1 = torch.tensor([1.0, 1.0], dtype=torch.float64), torch.tensor([1.0, 2.0], dtype=torch.float64)
>>> same_batch_secant(f, w0, w1), directional_curvature(f, w1, w1 - w0)  # ||A e2||, e2^T A e2
(1.0, -1.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from warmup_theory.numerics.curvature.hvp import FlatProblem, flatten_params

__all__ = ["consecutive_batch_secant", "same_batch_secant", "directional_curvature"]


def _align(like: Any, other: Any) -> Any:
    """Reorder a dict ``other`` by the keys of ``like`` (so two dicts flatten the same way)."""
    if isinstance(like, dict) and isinstance(other, dict):
        if set(like) != set(other):
            raise ValueError("the dicts must have the same keys")
        return {k: other[k] for k in like}
    return other


def _step_norm(w_new: Any, w_old: Any) -> tuple[torch.Tensor, torch.Tensor, float]:
    w_old = _align(w_new, w_old)
    a, _ = flatten_params(w_new, "w_new")
    b, _ = flatten_params(w_old, "w_old")
    if a.shape != b.shape:
        raise ValueError(f"w_new and w_old must have the same size, got {a.numel()} and {b.numel()}")
    step = float(torch.linalg.vector_norm(a - b))
    if step == 0.0 or not math.isfinite(step):
        raise ValueError(f"||w_new - w_old|| must be finite and > 0, got {step}")
    return a, b, step


def consecutive_batch_secant(grad_new: Any, grad_old: Any, w_new: Any, w_old: Any) -> float:
    """||grad_new - grad_old|| / ||w_new - w_old|| with grad_new = ∇f_{S_k}(w_{k+1}) and
    grad_old = ∇f_{S_{k-1}}(w_k) (the training gradients of two consecutive steps)."""
    _, _, step = _step_norm(w_new, w_old)
    g1, _ = flatten_params(grad_new, "grad_new")
    g0, _ = flatten_params(_align(grad_new, grad_old), "grad_old")
    if g1.shape != g0.shape:
        raise ValueError("grad_new and grad_old must have the same size")
    return float(torch.linalg.vector_norm(g1 - g0)) / step


def same_batch_secant(batch_loss_fn: Callable[[Any], torch.Tensor], w_old: Any, w_new: Any) -> float:
    """||∇f_S(w_new) - ∇f_S(w_old)|| / ||w_new - w_old|| for ``f_S = batch_loss_fn``."""
    _, _, step = _step_norm(w_new, w_old)
    p_new = FlatProblem.from_loss(batch_loss_fn, w_new)
    p_old = FlatProblem.from_loss(batch_loss_fn, _align(w_new, w_old))
    p_new.loss()
    p_old.loss()
    return float(torch.linalg.vector_norm(p_new.gradient() - p_old.gradient())) / step


def directional_curvature(loss_fn: Callable[[Any], torch.Tensor], params: Any, direction: Any) -> float:
    """d^T ∇²f(w) d / ||d||^2 at ``params`` (one exact HVP)."""
    problem = FlatProblem.from_loss(loss_fn, params)
    problem.loss()
    d, _ = flatten_params(_align(params, direction), "direction")
    if d.numel() != problem.n:
        raise ValueError(f"direction must have {problem.n} entries, got {d.numel()}")
    d = d.to(problem.dtype)
    nrm2 = float(d @ d)
    if nrm2 == 0.0 or not math.isfinite(nrm2):
        raise ValueError("direction must be finite and non-zero")
    return float(d @ problem.hvp(d)) / nrm2
