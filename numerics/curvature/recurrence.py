"""The vector operations of the Lanczos three-term recurrence (used by
:mod:`warmup_theory.numerics.curvature.lanczos`): exact power-of-two scaling, the fused update, the next basis
row, and the second pass that rebuilds a Ritz vector when no basis was kept.

>>> import torch
>>> _times_pow2(torch.tensor([3.0], dtype=torch.float64), -2000).item() == 0.0, _times_pow2(torch.tensor([1.0]), 3)
(True, tensor([8.]))
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

__all__: list[str] = []


def _times_pow2(w: torch.Tensor, k: int) -> torch.Tensor:
    """w * 2**k exactly (two steps, so 2**k itself need not be representable)."""
    if k == 0:
        return w
    h = k // 2
    return (w * 2.0 ** h) * 2.0 ** (k - h)


def _next_vector(w: torch.Tensor, b: float, Q: torch.Tensor, row: int,
                 q: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(q_j, q_{j+1}): ``Q[row]`` becomes w / b; q_{j+1} is float64 (for a float32 basis, the stored, rounded
    row cast back, so the run continues from what is stored)."""
    if Q.dtype == torch.float64:
        return q, torch.div(w, b, out=Q[row])  # one pass: the new row is written in place
    Q[row] = w.div_(b)
    return q, Q[row].to(torch.float64)


def _update(w: torch.Tensor, Q: torch.Tensor, j: int, a: float, b_prev: float, coef_np: np.ndarray,
            coef: torch.Tensor) -> None:
    """w <- w - a q_j - b_prev q_{j-1} in one fused pass, q_{j-1}, q_j being rows (j - 1) % r, j % r of the
    float64 tensor Q of r rows (the basis, or the two-row ring of a run without one)."""
    r = Q.shape[0]
    lo, hi = (j - 1) % r, j % r
    coef_np[:] = (-b_prev, -a) if lo < hi else (-a, -b_prev)  # (a CPU coef shares this memory)
    w.addmv_(Q[min(lo, hi): min(lo, hi) + 2].T, coef if coef.device == w.device else coef.to(w.device))


def _product(matvec: Callable[[torch.Tensor], torch.Tensor], q: torch.Tensor,
             buf: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(H q as a flat float64 vector, the copy buffer): the product itself when it is a contiguous float64 tensor
    on q's device, else (a float32 product, or an expanded one whose entries share memory and cannot be updated
    in place) copied into ``buf``, allocated on first use and returned for reuse. It may still be q itself (a
    matvec returning its input): the caller checks before updating in place."""
    hv = matvec(q)
    if hv.dtype == torch.float64 and hv.device == q.device and hv.is_contiguous():
        return hv.reshape(-1), buf
    buf = torch.empty(q.numel(), dtype=torch.float64, device=q.device) if buf is None else buf
    buf.copy_(hv.reshape(-1))
    return buf, buf


def _two_pass_ritz(matvec: Callable[[torch.Tensor], torch.Tensor], ring: torch.Tensor, q0: torch.Tensor,
                   alpha: list[float], beta: list[float], s: np.ndarray, k: int) -> torch.Tensor:
    """sum_i s_i q_i for a run that kept no basis: the recurrence is run again from q_0 with the stored alpha,
    beta and the same operations on the first pass's two-row float64 ``ring`` (len(s) - 1 more products), so
    with a deterministic matvec the vectors are the first pass's, bit for bit; any unit y gives the
    deterministic lower bound ||H y|| in any case."""
    coef_np = np.zeros(2)
    coef = torch.from_numpy(coef_np)
    ring[0] = q0
    q = ring[0]
    y = q0 * float(s[0])
    buf = None
    for j in range(len(s) - 1):
        w, buf = _product(matvec, q, buf)
        w = _times_pow2(w, -k)
        if w.data_ptr() == q.data_ptr():  # matvec returned its input: do not overwrite q
            w = w.clone()
        if j == 0:
            w.add_(q, alpha=-alpha[0])
        else:
            _update(w, ring, j, alpha[j], beta[j - 1], coef_np, coef)
        q = torch.div(w, beta[j], out=ring[(j + 1) % 2])
        y.add_(q, alpha=float(s[j + 1]))
    return y
