"""Search adapter for Props 3.2 / 3.2-printed: deep linear MSE on strongly balanced weights.

Loss f(W) = ½‖W_l⋯W_1X − Y‖²_F (summed over samples, factor ½; :mod:`warmup_theory.numerics.models.deep_linear`),
ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) with the spectral norm of the closed-form dense Hessian and the
exact f* = min_{rank P ≤ r} f (:mod:`warmup_theory.numerics.models.data`).  Admissibility is kept
by parametrisation: W_i = U_i diag(e^ρ) U_{i−1}ᵀ, U_i = QR(A_i) (exactly strongly balanced,
:func:`warmup_theory.numerics.models.deep_linear.balanced_from_free`); GD iterates are re-balanced
after each step (:func:`_rebalance`: same end-to-end map, hence same f).

Data: X of full row rank (Gaussian, and near-rank-deficient X = AB + εN), for the printed form
also rank-deficient X; Y realisable (f* = 0) for half of the instances.

>>> DeepLinearCase().to_dict()
{'model': 'deep-linear', 'widths': [3, 3, 2], 'm': 5}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.models.data import RegressionData, make_regression_data
from warmup_theory.numerics.models.deep_linear import (
    balanced_from_free,
    balanced_from_free_batched,
    check_widths,
    deep_linear_hessian_batched,
    deep_linear_loss_batched,
    end_to_end,
    n_free,
    unflatten_weights,
)
from warmup_theory.numerics.search.batch import _Batch
from warmup_theory.numerics.search.constants import _deep_linear_HH
from warmup_theory.numerics.search.ratios import _beats, _nan_low, _Tally, aggregate_ratios
from warmup_theory.numerics.search.trajectories import _ascent, _gd

__all__ = ["DeepLinearCase"]

Pairs = list[tuple[torch.Tensor, torch.Tensor]]


@dataclass(frozen=True)
class DeepLinearCase:
    """Family for Props 3.2 / 3.2-printed: widths (d, n_1, …, c), m samples.

    Data instances: X full row rank (Gaussian, and near-rank-deficient X = AB + εN with
    ε ∈ [1e-3, 1e-1]); for the printed form also rank-deficient X (rank 1..d−1).  Y is
    realisable (f* = 0) for half of the instances, Gaussian otherwise.

    >>> DeepLinearCase(widths=(2, 4, 4, 1), m=3).to_dict()["widths"]
    [2, 4, 4, 1]
    """

    widths: tuple[int, ...] = (3, 3, 2)
    m: int = 5

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python description of the family."""
        return {"model": "deep-linear", "widths": list(self.widths), "m": self.m}


class _DeepLinearBatch(_Batch):
    """A :class:`_Batch` that also keeps each instance's :class:`RegressionData` (rank of X, f*)."""

    datas: list[RegressionData]


def _deep_linear_data(case: DeepLinearCase, n: int, printed: bool, g: torch.Generator) -> Pairs:
    """``n`` data pairs (X, Y): cycling full rank / near-rank-deficient (/ rank-deficient when
    ``printed``) X, scaled by 10^U(−0.5, 0.5); Y = P₀X (+ noise for odd i), rank P₀ ≤ min(widths)."""
    d, c = case.widths[0], case.widths[-1]
    m = case.m
    out = []
    for i in range(n):
        kind = i % 4 if printed else i % 3
        if kind == 3 or (printed and kind == 2):  # rank-deficient (printed only)
            q = 1 + i % max(1, d - 1)
            A = torch.randn(d, q, generator=g, dtype=torch.float64)
            X = A @ torch.randn(q, m, generator=g, dtype=torch.float64)
        elif kind == 1:  # near rank-deficient, full rank
            q = max(1, d - 1)
            eps = 10 ** (-3 + 2 * torch.rand(1, generator=g).item())
            f64 = torch.float64
            X = torch.randn(d, q, generator=g, dtype=f64) @ torch.randn(q, m, generator=g, dtype=f64)
            X = X + eps * torch.randn(d, m, generator=g, dtype=torch.float64)
        else:
            X = torch.randn(d, m, generator=g, dtype=torch.float64)
        X = X * 10 ** (-0.5 + torch.rand(1, generator=g).item())
        r = min(case.widths)
        P0 = torch.randn(c, r, generator=g, dtype=torch.float64) @ torch.randn(r, d, generator=g, dtype=torch.float64)
        Y = P0 @ X
        if i % 2 == 1:
            Y = Y + torch.randn(c, m, generator=g, dtype=torch.float64) * 10 ** (-1 + torch.rand(1, generator=g).item())
        out.append((X, Y))
    return out


def _deep_linear_batch(case: DeepLinearCase, pairs: Pairs, printed: bool, device: torch.device) -> _DeepLinearBatch:
    """The batch of the pairs: exact f*, Prop 3.2 constants, closed-form batched Hessians."""
    widths = check_widths(case.widths)
    depth = len(widths) - 1
    r = min(widths)
    datas = [make_regression_data(X, Y, r if r < min(widths[0], widths[-1]) else None) for X, Y in pairs]
    HH = [_deep_linear_HH(depth, dd, printed) for dd in datas]

    def tens(v: list[float]) -> torch.Tensor:
        """Column [B, 1] of float64 values on the device (one f* end)."""
        return torch.tensor(v, dtype=torch.float64, device=device)[:, None]

    Xs = torch.stack([dd.X for dd in datas]).to(device)
    Ys = torch.stack([dd.Y for dd in datas]).to(device)
    meta = [dict(dd.to_dict(), H0=h[0], H1=h[1]) for dd, h in zip(datas, HH)]
    point = lambda z, X, Y: balanced_from_free_batched(z, widths)
    loss = lambda t, X, Y: deep_linear_loss_batched(t, X, Y, widths)
    hess = lambda t, X, Y, create_graph=False: deep_linear_hessian_batched(t, X, Y, widths)
    b = _DeepLinearBatch(point, loss, hess, (Xs, Ys), tens([h[0] for h in HH]), tens([h[1] for h in HH]),
                         tens([dd.f_star for dd in datas]), meta)
    b.datas = datas
    return b


def _rebalance(widths: tuple[int, ...]) -> Callable[[torch.Tensor], torch.Tensor]:
    """Projection of flat weights [B, n] onto strongly balanced ones with the same end-to-end
    map P = W_l⋯W_1 (hence the same f): top-r SVD P = UΣVᵀ, W_i = U_iΣ^{1/l}U_{i−1}ᵀ with
    U_0 = V, U_l = U and identity hidden frames.

    >>> import torch
    >>> from warmup_theory.numerics.models.deep_linear import balancedness_residual
    >>> th = torch.randn(1, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> balancedness_residual(unflatten_weights(_rebalance((2, 2, 2))(th)[0], (2, 2, 2))) < 1e-12
    True
    """
    l = len(widths) - 1
    r = min(widths)

    def project(theta: torch.Tensor) -> torch.Tensor:
        """Re-balance every row of ``theta`` (see :func:`_rebalance`)."""
        Ws = [unflatten_weights(t, widths) for t in theta]
        Ps = torch.stack([end_to_end(w) for w in Ws])
        U, S, Vh = torch.linalg.svd(Ps, full_matrices=False)
        U, S, V = U[..., :r], S[..., :r], Vh[..., :r, :].transpose(-1, -2)
        root = S ** (1.0 / l)
        frames = [V] + [torch.eye(n, r, dtype=theta.dtype, device=theta.device).expand(theta.shape[0], n, r)
                        for n in widths[1:-1]] + [U]
        out = [(frames[i + 1] * root[:, None, :]) @ frames[i].transpose(-1, -2) for i in range(l)]
        return torch.cat([w.reshape(theta.shape[0], -1) for w in out], dim=1)

    return project


def _free_random(widths: tuple[int, ...], n: int, scales: torch.Tensor, g: torch.Generator,
                 device: torch.device) -> torch.Tensor:
    """Random free parameters: Haar frames, layer singular values ≈ scale·e^{N(0, 0.3²)}."""
    r = min(widths)
    z = torch.randn(n, n_free(widths), generator=g, dtype=torch.float64)
    z[:, -r:] = torch.log(scales)[:, None] + 0.3 * torch.randn(n, r, generator=g, dtype=torch.float64)
    return z.to(device)


def _mutate_pairs(pairs: Pairs, top: list[int], batch: _DeepLinearBatch, printed: bool,
                  g: torch.Generator) -> Pairs:
    """Two mutations of each pair in ``top``: X·e^{0.3N} entrywise (rank kept for a
    rank-deficient X of the printed form), Y + 0.3·mean|Y|·N."""
    new_pairs = []
    for i in top:
        X, Y = pairs[i]
        for _ in range(2):
            Xn = X * torch.exp(0.3 * torch.randn(X.shape, generator=g, dtype=torch.float64))
            if printed and batch.datas[i].x_rank < X.shape[0]:
                U, S, Vh = torch.linalg.svd(Xn, full_matrices=False)
                q = batch.datas[i].x_rank
                Xn = (U[:, :q] * S[:q]) @ Vh[:q]
            Yn = Y + 0.3 * Y.abs().mean() * torch.randn(Y.shape, generator=g, dtype=torch.float64)
            new_pairs.append((Xn, Yn))
    return new_pairs


def _check_deep_linear(prop: str, case: DeepLinearCase, B: dict[str, int], seed: int, device: torch.device,
                       ) -> tuple[_DeepLinearBatch, dict[str, tuple[float, int, torch.Tensor]], dict[str, int], _Tally]:
    """Random points, re-balanced GD and the adversarial search (weights, then data) for Prop
    ``prop`` ∈ {"3.2", "3.2-printed"}; returns (final batch, best (ratio, instance, θ) per
    source, points per source, tally).  Instance indices refer to the final batch (later
    rounds only append instances)."""
    printed = prop.endswith("printed")
    widths = check_widths(case.widths)
    g = torch.Generator().manual_seed(seed)
    pairs = _deep_linear_data(case, B["n_data"], printed, g)
    batch = _deep_linear_batch(case, pairs, printed, device)
    nd = len(pairs)
    best: dict[str, tuple[float, int, torch.Tensor]] = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src: str, r: torch.Tensor, idx: torch.Tensor, z: torch.Tensor, as_theta: bool) -> None:
        """Keep the best ratio of ``r`` for ``src`` (z are free parameters unless ``as_theta``)."""
        k, v, _ = aggregate_ratios(r)
        theta = z[k] if as_theta else balanced_from_free(z[k], widths)
        if src not in best or _beats(v, best[src][0]):
            best[src] = (v, int(idx[k]), theta.detach())
        counts[src] += int(r.numel())

    # (a) random points at scales 10^-1.5 .. 10^1.5 (layer singular values)
    nr = B["n_random"]
    idx = torch.arange(nd, device=device).repeat_interleave(nr)
    scales = torch.logspace(-1.5, 1.5, nr, dtype=torch.float64).repeat(nd)
    z = _free_random(widths, nd * nr, scales, g, device)
    r, _, _ = batch.evaluate(z, idx)
    tally.add("random", r)
    record("random", r, idx, z, False)
    # (b) GD trajectories, re-balanced after each step (same P, hence same f)
    ng = B["gd_runs"]
    idx = torch.arange(nd, device=device).repeat_interleave(ng)
    scales = torch.logspace(-1, 0.5, ng, dtype=torch.float64).repeat(nd)
    th0 = torch.stack([balanced_from_free(zz, widths) for zz in _free_random(widths, nd * ng, scales, g, device)])
    for mult in (1.0, 4.0):
        r, th = _gd(batch, th0, idx, B["gd_steps"], mult, _rebalance(widths), tally.counter("gd"))
        record("gd", r, idx, th, True)
    # (c) adversarial search over weights, then over data (mutations of the worst instances)
    ns = B["starts"]
    idx = torch.arange(nd, device=device).repeat_interleave(ns)
    scales = torch.logspace(-1, 1, ns, dtype=torch.float64).repeat(nd)
    z = _free_random(widths, nd * ns, scales, g, device)
    r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
    record("search", r, idx, zb, False)
    for _ in range(B["rounds"] - 1):
        per = torch.full((nd,), -math.inf, dtype=torch.float64)
        per = per.scatter_reduce(0, idx.cpu(), _nan_low(r.cpu()), "amax")
        top = torch.argsort(per, descending=True)[: max(1, nd // 2)].tolist()
        pairs = pairs + _mutate_pairs(pairs, top, batch, printed, g)
        old_nd = nd
        batch = _deep_linear_batch(case, pairs, printed, device)
        nd = len(pairs)
        idx = torch.arange(old_nd, nd, device=device).repeat_interleave(ns)
        scales = torch.logspace(-1, 1, ns, dtype=torch.float64).repeat(nd - old_nd)
        z = _free_random(widths, (nd - old_nd) * ns, scales, g, device)
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, zb, False)
    return batch, best, counts, tally
