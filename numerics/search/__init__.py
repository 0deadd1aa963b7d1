"""Hunting violations of the architecture propositions: ``check_proposition``.

For a proposition and an instance family, the largest observed ratio

    ρ(w) = ‖∇²f(w)‖₂ / (H0 + H1·(f(w) − f*))

(spectral norm of the dense float64 Hessian, ``torch.func.hessian`` + ``eigvalsh``; constants
from :mod:`warmup_theory.theory.architectures`) over

(a) ``random``  — random admissible points at many scales;
(b) ``gd``      — gradient-descent trajectories (step 1/(H0 + H1·gap), and 4× that);
(c) ``search``  — an adversarial search: Adam ascent on log ρ over the weights, batched over
    data instances × starts with ``torch.func.vmap``, then a mutation round over the data
    (and the activation parameters) where the statement quantifies over them.  Admissibility
    is kept by parametrisation: deep linear weights are W_i = U_i diag(e^ρ) U_{i−1}ᵀ with
    U_i = QR(A_i) (exactly strongly balanced, :func:`warmup_theory.numerics.models.deep_linear.balanced_from_free`).

Propositions (v2 labels):

* ``"3.2"`` deep linear MSE on strongly balanced weights, X of full row rank, corrected
  constants ``warmup_theory.theory.architectures.deep_linear_constants`` (X searched including
  near-rank-deficient X).
* ``"3.2-printed"`` the printed statement (no rank condition): X also rank-deficient.  The
  printed constants are not known; the reference line is the corrected formula with λ_min
  replaced by the smallest NON-ZERO eigenvalue of XXᵀ (finite, data-dependent only).  A found
  violation is certified by moving the worst point onto the optimal fibre
  P_t = P*Π + t·P(I − Π) (Π = projector onto the column space of X: f(P_t) = f* exactly),
  re-balancing, and showing ‖∇²f‖ grow without bound in t at f − f* = 0 — which defeats
  every finite (H0, H1), not only the reference line.
* ``"3.3"`` two-layer CE (summed) + L2, corrected constants
  ``two_layer_ce_constants(..., printed=False)``; the bound is affine in f*, so the ratio
  is evaluated at both ends of a bracket [f*_lo, f*_hi] and the larger is reported.
* ``"3.3-printed"`` printed Eq. (31) on the one-sample, one-hidden-unit binary network with
  φ(s) = s + (a/ω)sin(ωs); the search runs over the weights, x, λ1, λ2, a, ω.  The printed
  bound decreases in f*, so it is evaluated with a CERTIFIED LOWER bound on f*
  (:func:`warmup_theory.numerics.models.two_layer.one_unit_f_star_bracket`).
* ``"D.1"`` one hidden leaky-ReLU unit, balanced ‖w‖ = ‖v‖ by parametrisation (w = e^ρa/‖a‖,
  v = e^ρb/‖b‖), constants ``leaky_relu_constants`` (toolkit's own); X, Y, α searched.
* ``"3.4"`` one linear-attention layer, constants ``attention_constants`` (toolkit's own);
  prompts and λ_P, λ_Q searched.  For D.1 and 3.4 the bound H0 + H1(f − f*) does not depend on
  f* (tangent / affine forms); the ratio is still evaluated at both ends of [0, f*_hi].

>>> r = check_proposition("3.2", budget="tiny", seed=0)
>>> r.violated, r.max_ratio < 1
(False, True)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch.func import hessian

from warmup_theory.numerics.models.data import make_regression_data
from warmup_theory.numerics.models.deep_linear import (
    balanced_from_free,
    balanced_from_free_batched,
    balanced_from_product,
    check_widths,
    deep_linear_hessian_batched,
    deep_linear_loss,
    deep_linear_loss_batched,
    end_to_end,
    n_free,
    unflatten_weights,
)
from warmup_theory.numerics.models.leaky_relu import leaky_relu_balanced_point
from warmup_theory.numerics.models.two_layer import (
    ACTIVATIONS,
    one_unit_f_star_bracket,
    sine_activation,
    sine_activation_constants,
    two_layer_ce_loss,
    two_layer_ce_loss_batched,
    two_layer_n_params,
)

__all__ = [
    "PROPOSITIONS",
    "BUDGETS",
    "AttentionCase",
    "DeepLinearCase",
    "LeakyReLUCase",
    "TwoLayerCase",
    "RatioPoint",
    "PropositionCheck",
    "aggregate_ratios",
    "check_proposition",
    "hessian_norm",
]

PROPOSITIONS = ("3.2", "3.2-printed", "3.3", "3.3-printed", "D.1", "3.4")

# Sweep sizes.  "default" is sized for <= 60 s per proposition on 2 CPU cores.
BUDGETS: dict[str, dict[str, int]] = {
    "tiny": dict(n_data=4, n_random=8, gd_runs=2, gd_steps=10, starts=4, search_steps=25, rounds=1),
    "small": dict(n_data=8, n_random=16, gd_runs=4, gd_steps=30, starts=8, search_steps=60, rounds=2),
    "default": dict(n_data=16, n_random=32, gd_runs=8, gd_steps=60, starts=8, search_steps=100, rounds=2),
    "large": dict(n_data=64, n_random=128, gd_runs=32, gd_steps=200, starts=32, search_steps=300, rounds=4),
}

# Ratio above 1 by more than this counts as a violation (float64 Hessians of these sizes are
# accurate to ~1e-13 relative; the margin is generous on purpose).
VIOLATION_RTOL = 1e-9

_SOURCES = ("random", "gd", "search")


def _nan_low(r: torch.Tensor) -> torch.Tensor:
    """``r`` with NaN replaced by −inf for max/argmax/sort; +inf is KEPT (it is a violation:
    a zero bound with a non-zero Hessian, or a Hessian norm beyond float64)."""
    return torch.where(torch.isnan(r), torch.full_like(r, -math.inf), r)


def _ratio_key(x: float) -> float:
    """Sort key for a float ratio: NaN lowest, +inf highest."""
    return -math.inf if math.isnan(x) else x


def _beats(new: float, old: float) -> bool:
    """``new`` is a larger ratio than ``old`` (NaN never beats anything; anything beats NaN)."""
    return not math.isnan(new) and (math.isnan(old) or new > old)


def _safe_ratio(hn: float, bound: float) -> float:
    """hn / bound in IEEE float64 (x/0 = ±inf, 0/0 = NaN) instead of ZeroDivisionError."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(hn) / np.float64(bound))


def aggregate_ratios(r: torch.Tensor) -> tuple[int, float, int]:
    """(index, value, n_nonfinite) of the largest ratio in a 1-D tensor of evaluations.

    NaN never wins unless every entry is NaN (then index 0, value NaN); +inf wins (it is a
    violation).  ``n_nonfinite`` counts NaN and ±inf entries.

    >>> import torch
    >>> aggregate_ratios(torch.tensor([0.5, float("nan"), 0.9], dtype=torch.float64))
    (2, 0.9, 1)
    >>> aggregate_ratios(torch.tensor([0.5, float("inf"), float("nan")], dtype=torch.float64))
    (1, inf, 2)
    >>> aggregate_ratios(torch.tensor([float("nan")] * 2, dtype=torch.float64))
    (0, nan, 2)
    """
    r = r.detach().reshape(-1)
    k = int(torch.argmax(_nan_low(r)))
    return k, float(r[k]), int((~torch.isfinite(r)).sum())


class _Tally:
    """Per-source counts of ratio evaluations and of non-finite (NaN / ±inf) ones.

    Counts are kept as tensors on the evaluation device (no host sync per step)."""

    def __init__(self) -> None:
        self._n: dict[str, int] = dict.fromkeys(_SOURCES, 0)
        self._nf: dict[str, Any] = dict.fromkeys(_SOURCES, 0)

    def add(self, src: str, r: torch.Tensor) -> None:
        r = r.detach()
        self._n[src] += int(r.numel())
        self._nf[src] = self._nf[src] + (~torch.isfinite(r)).sum()

    def counter(self, src: str) -> Callable[[torch.Tensor], None]:
        return lambda r: self.add(src, r)

    def result(self) -> tuple[dict[str, int], dict[str, int]]:
        return dict(self._n), {s: int(v) for s, v in self._nf.items()}


def hessian_norm(loss: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor) -> torch.Tensor:
    """‖∇²loss(θ)‖₂ = max |eigenvalue| of the dense Hessian (differentiable; vmap-able).

    >>> import torch
    >>> float(hessian_norm(lambda t: (t ** 2).sum() - 3 * t[0] ** 2, torch.ones(2, dtype=torch.float64)))
    4.0
    """
    H = hessian(loss)(theta)
    return torch.linalg.eigvalsh(0.5 * (H + H.T)).abs().max()


# ------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioPoint:
    """One evaluated admissible point: everything needed to re-check its ratio."""

    source: str               # "random", "gd" or "search"
    ratio: float              # hessian_norm / bound
    hessian_norm: float
    bound: float              # H0 + H1·(f − f*_used)
    f: float
    f_star: float             # the f* used in the bound (certified lower end for printed 3.3)
    H0: float
    H1: float
    theta: tuple[float, ...]  # flat weights (row-major W's; two-layer: (W1, W2))
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "ratio": self.ratio, "hessian_norm": self.hessian_norm,
                "bound": self.bound, "f": self.f, "f_star": self.f_star, "gap": self.f - self.f_star,
                "H0": self.H0, "H1": self.H1, "theta": list(self.theta), "data": self.data}


@dataclass(frozen=True)
class PropositionCheck:
    """Result of :func:`check_proposition`.

    ``max_ratio`` is the worst observed ratio; ``violated`` means max_ratio > 1 + 1e-9, including
    max_ratio = +inf (a zero bound with a non-zero Hessian norm, or a Hessian norm beyond float64);
    for a printed form ``witness_confirmed`` says whether the witness was re-checked.
    ``tightness`` = 1 − max_ratio (how far below 1 the worst ratio stays; negative when violated).

    Non-finite evaluations: ``n_evaluations[src]`` counts every ratio evaluated by a source
    (each random point, each GD iterate, each ascent step; ``n_points`` counts the points
    reported: one per random point, GD run or ascent start) and ``n_nonfinite[src]`` those that
    were NaN or ±inf.  NaN evaluations are never taken as the maximum; when NO finite or +inf
    ratio was found (max_ratio NaN) the check is ``inconclusive``: ``status`` is
    "inconclusive", never "no violation".
    """

    prop: str
    statement: str
    instance: dict
    max_ratio: float
    max_ratio_by_source: dict
    n_points: dict
    worst: RatioPoint
    violated: bool
    witness: dict | None
    witness_confirmed: bool
    seconds: float
    device: str
    budget: str
    seed: int
    n_evaluations: dict = field(default_factory=dict)
    n_nonfinite: dict = field(default_factory=dict)

    @property
    def tightness(self) -> float:
        return 1.0 - self.max_ratio

    @property
    def inconclusive(self) -> bool:
        """No violation was found but the worst ratio is not a finite number (every
        evaluation of the worst source was NaN): nothing can be concluded."""
        return not self.violated and not math.isfinite(self.max_ratio)

    @property
    def status(self) -> str:
        """"violated", "inconclusive" or "no violation"."""
        return "violated" if self.violated else ("inconclusive" if self.inconclusive else "no violation")

    def to_dict(self) -> dict[str, Any]:
        return {"prop": self.prop, "statement": self.statement, "instance": self.instance,
                "max_ratio": self.max_ratio, "tightness": self.tightness,
                "max_ratio_by_source": self.max_ratio_by_source, "n_points": self.n_points,
                "worst": self.worst.to_dict(), "violated": self.violated, "witness": self.witness,
                "witness_confirmed": self.witness_confirmed, "seconds": self.seconds,
                "device": self.device, "budget": self.budget, "seed": self.seed,
                "status": self.status, "inconclusive": self.inconclusive,
                "n_evaluations": self.n_evaluations, "n_nonfinite": self.n_nonfinite}

    def summary(self) -> str:
        s = (f"Prop {self.prop}: max ratio {self.max_ratio:.6g} "
             f"(random {self.max_ratio_by_source.get('random', float('nan')):.4g}, "
             f"gd {self.max_ratio_by_source.get('gd', float('nan')):.4g}, "
             f"search {self.max_ratio_by_source.get('search', float('nan')):.4g}); "
             f"{sum(self.n_points.values())} points, {self.seconds:.1f} s")
        if self.violated:
            s += f"; VIOLATED (witness confirmed: {self.witness_confirmed})"
        elif self.inconclusive:
            s += f"; INCONCLUSIVE: max ratio is {self.max_ratio} (no finite ratio), NOT a 'no violation'"
        else:
            s += f"; no violation, tightness 1 - max = {self.tightness:.4g}"
        nf = sum(self.n_nonfinite.values())
        if nf:
            s += (f"; {nf} of {sum(self.n_evaluations.values())} evaluations non-finite (NaN/inf: "
                  + ", ".join(f"{k} {v}" for k, v in self.n_nonfinite.items()) + ")")
        return s


# ------------------------------------------------------------------------------------------
# instance families
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeepLinearCase:
    """Family for Props 3.2 / 3.2-printed: widths (d, n_1, …, c), m samples.

    Data instances: X full row rank (Gaussian, and near-rank-deficient X = AB + εN with
    ε ∈ [1e-3, 1e-1]); for the printed form also rank-deficient X (rank 1..d−1).  Y is
    realisable (f* = 0) for half of the instances, Gaussian otherwise.
    """

    widths: tuple[int, ...] = (3, 3, 2)
    m: int = 5

    def to_dict(self) -> dict[str, Any]:
        return {"model": "deep-linear", "widths": list(self.widths), "m": self.m}


@dataclass(frozen=True)
class TwoLayerCase:
    """Family for Props 3.3 / 3.3-printed: d inputs, ``hidden`` units, k outputs, m samples.

    ``activation`` in {"sine", "tanh", ...}: "sine" is φ(s) = s + (a/ω)sin(ωs) with (a, ω)
    searched (log-uniform ω ∈ [1, 300], a ∈ [0.05, 1]); λ1, λ2 log-uniform in [0.05, 5].
    The printed form is checked on d = hidden = k = m = 1 (the certified-f* family).
    """

    d: int = 2
    hidden: int = 2
    k: int = 1
    m: int = 3
    activation: str = "sine"

    def to_dict(self) -> dict[str, Any]:
        return {"model": "two-layer-ce", "d": self.d, "hidden": self.hidden, "k": self.k, "m": self.m,
                "activation": self.activation}


# ------------------------------------------------------------------------------------------
# constants (theory layer)
# ------------------------------------------------------------------------------------------


def _deep_linear_HH(depth: int, data, printed: bool) -> tuple[float, float]:
    from warmup_theory.theory.architectures.deep_linear import deep_linear_constants

    lam = data.x_lambda_min_pos if printed else data.x_lambda_min
    c = deep_linear_constants(depth, data.x_norm, lam, data.y_norm, min(data.f_star, 0.5 * data.y_norm**2))
    return float(c.H0), float(c.H1)


def _activation_constants(name: str, a: float, omega: float) -> tuple[float, float, float]:
    if name == "sine":
        return sine_activation_constants(a, omega)
    from warmup_theory.theory.architectures import activation_constants  # published by the theory layer

    c = activation_constants(name)
    return float(c.C1), float(c.C2), float(c.C3)


def _two_layer_HH(x_norm, C, lam1, lam2, f_star, printed) -> tuple[float, float]:
    from warmup_theory.theory.architectures.two_layer_ce import two_layer_ce_constants

    c = two_layer_ce_constants(x_norm, C[0], C[1], C[2], lam1, lam2, f_star, printed=printed)
    return float(c.H0), float(c.H1)


# ------------------------------------------------------------------------------------------
# batched evaluation and ascent
# ------------------------------------------------------------------------------------------


def batched_hessian(loss_b: Callable[..., torch.Tensor], theta: torch.Tensor, *data: torch.Tensor,
                    create_graph: bool = False) -> torch.Tensor:
    """Dense Hessians [B, n, n] of B independent losses ``loss_b(theta [B, n], *data) -> [B]``.

    Row j of every Hessian is ∂/∂θ of Σ_b ∂f_b/∂θ_{b,j} (the rows of different instances do
    not mix), so n double-backward passes give all B Hessians; ``create_graph=True`` keeps
    them differentiable (for the adversarial ascent).
    """
    with torch.enable_grad():
        t = theta if theta.requires_grad else theta.detach().requires_grad_(True)
        f = loss_b(t, *data)
        g = torch.autograd.grad(f.sum(), t, create_graph=True)[0]
        rows = [torch.autograd.grad(g[:, j].sum(), t, create_graph=create_graph, retain_graph=True)[0]
                for j in range(t.shape[1])]
    return torch.stack(rows, dim=1)


class _Batch:
    """A batch of B admissible-point problems sharing shapes (batched tensors, no vmap).

    ``point(z, *data)`` maps search variables [B, n_z] to flat weights [B, n],
    ``loss(theta, *data)`` → [B], ``hess(theta, *data, create_graph)`` → [B, n, n];
    ``H0, H1, fs`` have shape [B, E] (E f* ends evaluated; the ratio is the max over ends).
    """

    def __init__(self, point, loss, hess, data: tuple[torch.Tensor, ...], H0, H1, fs, meta: list[dict]):
        self.point, self.loss, self.hess, self.data = point, loss, hess, data
        self.H0, self.H1, self.fs, self.meta = H0, H1, fs, meta

    def evaluate(self, z: torch.Tensor, idx: torch.Tensor | None = None, raw: bool = False,
                 create_graph: bool = False):
        """(ratio, hessian_norm, f), each [B'], for z [B', n] with instance indices ``idx``;
        ``raw=True``: z are flat weights already (no parametrisation)."""
        if idx is None:
            idx = torch.arange(z.shape[0], device=z.device)
        data = tuple(t[idx] for t in self.data)
        theta = z if raw else self.point(z, *data)
        H = self.hess(theta, *data, create_graph=create_graph)
        hn = torch.linalg.eigvalsh(0.5 * (H + H.transpose(-1, -2))).abs().amax(-1)
        f = self.loss(theta, *data)
        bound = self.H0[idx] + self.H1[idx] * torch.clamp(f[:, None] - self.fs[idx], min=0.0)
        return (hn[:, None] / bound).amax(-1), hn, f

    def single_loss(self, i: int) -> Callable[[torch.Tensor], torch.Tensor]:
        data = tuple(t[i:i + 1] for t in self.data)
        return lambda th: self.loss(th[None], *data)[0]


def _ascent(batch: _Batch, z0: torch.Tensor, idx: torch.Tensor, steps: int, lr: float,
            clamp: float = 30.0, on_eval: Callable[[torch.Tensor], None] | None = None):
    """Adam ascent on log ratio; returns best (ratio, z) per row (NaN never best, +inf kept).
    ``on_eval`` sees every step's ratios (for counting non-finite ones)."""
    z = z0.detach().clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    best_r = torch.full((z.shape[0],), -math.inf, dtype=z.dtype, device=z.device)
    best_z = z0.detach().clone()
    for _ in range(steps):
        r, _, _ = batch.evaluate(z, idx, create_graph=True)
        rd = r.detach()
        if on_eval is not None:
            on_eval(rd)
        better = ~torch.isnan(rd) & (rd > best_r)
        best_r = torch.where(better, rd, best_r)
        best_z = torch.where(better[:, None], z.detach(), best_z)
        obj = torch.where(torch.isfinite(r) & (r > 0), torch.log(r.clamp_min(1e-300)), torch.zeros_like(r))
        opt.zero_grad()
        (-obj.sum()).backward()
        with torch.no_grad():
            z.grad.nan_to_num_(0.0, 0.0, 0.0)
        opt.step()
        with torch.no_grad():
            z.clamp_(-clamp, clamp)
    r, _, _ = batch.evaluate(best_z, idx)
    return r.detach(), best_z


def _gd(batch: _Batch, theta0: torch.Tensor, idx: torch.Tensor, steps: int, step_mult: float,
        project: Callable[[torch.Tensor], torch.Tensor] | None,
        on_eval: Callable[[torch.Tensor], None] | None = None):
    """GD with η = step_mult/(H0 + H1·gap) (first f* end); returns max ratio and its point
    (NaN never best, +inf kept); ``on_eval`` sees every iterate's ratios."""
    H0, H1, fs = batch.H0[idx, 0], batch.H1[idx, 0], batch.fs[idx, 0]
    data = tuple(t[idx] for t in batch.data)

    def grad(t, *d):
        with torch.enable_grad():
            t = t.detach().requires_grad_(True)
            f = batch.loss(t, *d)
            return torch.autograd.grad(f.sum(), t)[0], f.detach()
    theta = theta0.detach().clone()
    best_r = torch.full((theta.shape[0],), -math.inf, dtype=theta.dtype, device=theta.device)
    best_t = theta.clone()
    for _ in range(steps):
        r, _, _ = batch.evaluate(theta, idx, raw=True)
        if on_eval is not None:
            on_eval(r)
        better = ~torch.isnan(r) & (r > best_r)
        best_r = torch.where(better, r, best_r)
        best_t = torch.where(better[:, None], theta, best_t)
        g, f = grad(theta, *data)
        eta = step_mult / (H0 + H1 * torch.clamp(f - fs, min=0.0))
        new = theta - eta[:, None] * g
        if project is not None:
            new = project(new)
        ok = torch.isfinite(new).all(dim=1) & (new.abs().amax(dim=1) < 1e6)
        theta = torch.where(ok[:, None], new, theta)
    return best_r, best_t


# ------------------------------------------------------------------------------------------
# deep linear (Props 3.2, 3.2-printed)
# ------------------------------------------------------------------------------------------


def _deep_linear_data(case: DeepLinearCase, n: int, printed: bool, g: torch.Generator):
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
            X = torch.randn(d, q, generator=g, dtype=torch.float64) @ torch.randn(q, m, generator=g, dtype=torch.float64)
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


def _deep_linear_batch(case: DeepLinearCase, pairs, printed: bool, device) -> _Batch:
    widths = check_widths(case.widths)
    depth = len(widths) - 1
    r = min(widths)
    datas = [make_regression_data(X, Y, r if r < min(widths[0], widths[-1]) else None) for X, Y in pairs]
    HH = [_deep_linear_HH(depth, dd, printed) for dd in datas]
    tens = lambda v: torch.tensor(v, dtype=torch.float64, device=device)[:, None]
    Xs = torch.stack([dd.X for dd in datas]).to(device)
    Ys = torch.stack([dd.Y for dd in datas]).to(device)
    meta = [dict(dd.to_dict(), H0=h[0], H1=h[1]) for dd, h in zip(datas, HH)]
    point = lambda z, X, Y: balanced_from_free_batched(z, widths)
    loss = lambda t, X, Y: deep_linear_loss_batched(t, X, Y, widths)
    hess = lambda t, X, Y, create_graph=False: deep_linear_hessian_batched(t, X, Y, widths)
    b = _Batch(point, loss, hess, (Xs, Ys), tens([h[0] for h in HH]), tens([h[1] for h in HH]),
               tens([dd.f_star for dd in datas]), meta)
    b.datas = datas
    return b


def _rebalance(widths):
    l = len(widths) - 1
    r = min(widths)

    def project(theta: torch.Tensor) -> torch.Tensor:
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


def _free_random(widths, n: int, scales: torch.Tensor, g: torch.Generator, device) -> torch.Tensor:
    """Random free parameters: Haar frames, layer singular values ≈ scale·e^{N(0, 0.3²)}."""
    r = min(widths)
    z = torch.randn(n, n_free(widths), generator=g, dtype=torch.float64)
    z[:, -r:] = torch.log(scales)[:, None] + 0.3 * torch.randn(n, r, generator=g, dtype=torch.float64)
    return z.to(device)


def _certify_deep_linear_unbounded(case: DeepLinearCase, data, worst_theta: torch.Tensor,
                                   ref: tuple[float, float]) -> tuple[bool, dict]:
    """Move the worst point to the optimal fibre and show ‖∇²f‖ → ∞ at f − f* = 0."""
    widths = check_widths(case.widths)
    r = min(widths)
    X, Y = data.X.cpu(), data.Y.cpu()
    P = end_to_end(unflatten_weights(worst_theta.cpu(), widths))
    U, S, _ = torch.linalg.svd(X, full_matrices=False)
    q = data.x_rank
    Pi = U[:, :q] @ U[:, :q].T
    Pstar = data.P_star.cpu() @ Pi
    N = P @ (torch.eye(X.shape[0], dtype=X.dtype) - Pi)
    if int(torch.linalg.matrix_rank(Pstar + N)) > r:  # keep rank ≤ r: columns inside col(P*)
        Us = torch.linalg.svd(Pstar, full_matrices=False)[0][:, :r]
        N = Us @ Us.T @ N
    pts = []
    for t in (1.0, 10.0, 100.0, 1000.0):
        bw = balanced_from_product(Pstar + t * N, widths)
        th = bw.theta
        lossf = lambda z: deep_linear_loss(z, X, Y, widths)
        f = float(lossf(th))
        hn = float(hessian_norm(lossf, th))
        gap = f - data.f_star
        bound = ref[0] + ref[1] * max(gap, 0.0)
        pts.append({"t": t, "f": f, "gap": gap, "hessian_norm": hn, "ratio": hn / bound,
                    "balance_residual": bw.residual, "theta": th.tolist()})
    tol_gap = 1e-9 * (1.0 + data.y_norm**2)
    growth = pts[-1]["hessian_norm"] / pts[0]["hessian_norm"]
    ok = (all(abs(p["gap"]) <= tol_gap for p in pts) and growth >= 10.0
          and all(b["hessian_norm"] > a["hessian_norm"] for a, b in zip(pts, pts[1:]))
          and pts[-1]["ratio"] > 1.0)
    return ok, {"description": "printed Prop 3.2 (no rank condition): on a rank-deficient X the "
                "Hessian norm of strongly balanced weights grows without bound at f - f* = 0 "
                "(P_t = P*·Pi + t·N, N = P(I - Pi) from the search's worst point, re-balanced)",
                "X": X.tolist(), "Y": Y.tolist(), "widths": list(widths), "x_rank": q,
                "f_star": data.f_star, "reference_H0": ref[0], "reference_H1": ref[1],
                "growth_t1_to_t1000": growth, "points": pts}


def _check_deep_linear(prop, case, B, seed, device) -> tuple:
    printed = prop.endswith("printed")
    widths = check_widths(case.widths)
    g = torch.Generator().manual_seed(seed)
    pairs = _deep_linear_data(case, B["n_data"], printed, g)
    batch = _deep_linear_batch(case, pairs, printed, device)
    nd = len(pairs)
    best: dict[str, tuple[float, int, torch.Tensor]] = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src, r, idx, z, as_theta: bool):
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
        pairs = pairs + new_pairs
        old_nd = nd
        batch = _deep_linear_batch(case, pairs, printed, device)
        nd = len(pairs)
        idx = torch.arange(old_nd, nd, device=device).repeat_interleave(ns)
        z = _free_random(widths, (nd - old_nd) * ns, torch.logspace(-1, 1, ns, dtype=torch.float64).repeat(nd - old_nd), g, device)
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, zb, False)
    return batch, best, counts, tally


def _point_from(batch, src, best, theta_is_flat=True) -> RatioPoint:
    ratio, i, theta = best[src]
    meta = batch.meta[i]
    lossf = batch.single_loss(i)
    f = float(lossf(theta))
    hn = float(hessian_norm(lossf, theta))
    H0, H1, fs = (float(batch.H0[i, 0]), float(batch.H1[i, 0]), float(batch.fs[i, 0]))
    # report the f* end that gives the larger ratio
    ends = [(float(batch.H0[i, e]), float(batch.H1[i, e]), float(batch.fs[i, e])) for e in range(batch.fs.shape[1])]
    gap = lambda c: f - c if not f - c < 0.0 else 0.0
    rat = [_safe_ratio(hn, a + b * gap(c)) for a, b, c in ends]
    e = max(range(len(rat)), key=lambda j: _ratio_key(rat[j]))
    H0, H1, fs = ends[e]
    return RatioPoint(src, rat[e], hn, H0 + H1 * gap(fs), f, fs, H0, H1,
                      tuple(theta.detach().cpu().tolist()), meta)


# ------------------------------------------------------------------------------------------
# two-layer CE + L2 (Props 3.3, 3.3-printed)
# ------------------------------------------------------------------------------------------


def _two_layer_batch(case: TwoLayerCase, inst: list[dict], printed: bool, device, cells: int) -> _Batch:
    """inst: dicts with X (d×m), labels, lam1, lam2, a, omega."""
    d, h, k = case.d, case.hidden, case.k
    act_name = case.activation
    H0s, H1s, fss = [], [], []
    for it in inst:
        x_norm = float(torch.linalg.matrix_norm(it["X"], ord=2))
        C = _activation_constants(act_name, it["a"], it["omega"])
        if printed or (h == 1 and k == 1 and it["X"].shape[1] == 1 and act_name == "sine"):
            lo, hi, w_, s_ = one_unit_f_star_bracket(x_norm, it["lam1"], it["lam2"], it["a"], it["omega"],
                                                     cells=cells, return_argmin=True)
            it["argmin"] = (w_, s_)
        else:
            lo, hi = 0.0, it.get("f_hi", math.log(2.0) * it["X"].shape[1] if k == 1 else math.log(k) * it["X"].shape[1])
        it["f_star_bracket"] = (lo, hi)
        ends = (lo,) if printed else (lo, hi)
        hh = [_two_layer_HH(x_norm, C, it["lam1"], it["lam2"], fe, printed) for fe in ends]
        H0s.append([a for a, _ in hh])
        H1s.append([b for _, b in hh])
        fss.append(list(ends))
        it["C"] = C
        it["x_norm"] = x_norm
    T = lambda v: torch.tensor(v, dtype=torch.float64, device=device)
    Xs = torch.stack([it["X"] for it in inst]).to(device)
    Ls = torch.stack([it["labels"] for it in inst]).to(device)
    par = T([[it["lam1"], it["lam2"], it["a"], it["omega"]] for it in inst])
    act = ACTIVATIONS.get(act_name)

    def loss(t, X, lab, p):
        phi = sine_activation(p[:, 2, None, None], p[:, 3, None, None]) if act_name == "sine" else act
        return two_layer_ce_loss_batched(t, X, lab, hidden=h, k=k, lam1=p[:, 0], lam2=p[:, 1], activation=phi)

    def hess(t, *data, create_graph=False):
        return batched_hessian(loss, t, *data, create_graph=create_graph)

    point = lambda z, X, lab, p: z
    meta = [{"X": it["X"].tolist(), "labels": it["labels"].tolist(), "lam1": it["lam1"], "lam2": it["lam2"],
             "activation": act_name, "a": it["a"], "omega": it["omega"], "C1_C2_C3": list(it["C"]),
             "x_norm": it["x_norm"], "f_star_bracket": list(it["f_star_bracket"]), "d": d, "hidden": h, "k": k}
            for it in inst]
    return _Batch(point, loss, hess, (Xs, Ls, par), T(H0s), T(H1s), T(fss), meta)


def _two_layer_instances(case: TwoLayerCase, n: int, g: torch.Generator) -> list[dict]:
    u = lambda: torch.rand(1, generator=g).item()
    out = []
    for _ in range(n):
        X = torch.randn(case.d, case.m, generator=g, dtype=torch.float64) * 10 ** (-0.5 + u())
        if case.k == 1:
            labels = torch.where(torch.rand(case.m, generator=g) < 0.5, -1.0, 1.0).to(torch.float64)
        else:
            labels = torch.randint(0, case.k, (case.m,), generator=g)
        out.append({"X": X, "labels": labels, "lam1": 10 ** (-1.3 + 2 * u()), "lam2": 10 ** (-1.3 + 2 * u()),
                    "a": 0.05 + 0.95 * u(), "omega": 10 ** (2.5 * u())})
    return out


def _mutate_two_layer(it: dict, g: torch.Generator) -> dict:
    e = lambda s: math.exp(s * torch.randn(1, generator=g).item())
    new = dict(it)
    new["X"] = it["X"] * torch.exp(0.2 * torch.randn(it["X"].shape, generator=g, dtype=torch.float64))
    new["lam1"], new["lam2"] = it["lam1"] * e(0.3), it["lam2"] * e(0.3)
    new["a"] = min(1.0, max(0.01, it["a"] * e(0.2)))
    new["omega"] = min(1e3, max(1.0, it["omega"] * e(0.3)))
    return new


def _one_unit_minimisers(batch: _Batch, inst: list[dict], cells: int, device) -> torch.Tensor:
    """Global minimisers of the one-unit instances: best cell of the 1-D reduction
    (:func:`one_unit_f_star_bracket`), then damped Newton steps on (W1, W2)."""
    th = []
    for it in inst:
        x = it["X"][:, 0]
        xn = float(torch.linalg.vector_norm(x))
        w, s_ = it["argmin"]
        y = float(it["labels"][0])
        th.append(torch.cat([torch.tensor([y * w], dtype=torch.float64), (s_ / xn**2) * x]))
    theta = torch.stack(th).to(device)
    idx = torch.arange(len(inst), device=device)
    data = tuple(t[idx] for t in batch.data)
    for _ in range(8):
        with torch.enable_grad():
            t = theta.detach().requires_grad_(True)
            f = batch.loss(t, *data)
            g = torch.autograd.grad(f.sum(), t)[0]
        H = batch.hess(theta, *data)
        step = torch.linalg.lstsq(H, -g[..., None]).solution[..., 0]
        for _ in range(10):
            new = theta + step
            ok = torch.isfinite(new).all(1) & (batch.loss(new, *data) <= f.detach())
            theta = torch.where(ok[:, None], new, theta)
            if bool(ok.all()):
                break
            step = torch.where(ok[:, None], torch.zeros_like(step), 0.5 * step)
    return theta


def _check_two_layer(prop, case, B, seed, device, cells) -> tuple:
    printed = prop.endswith("printed")
    if printed:
        case = replace(case, d=1, hidden=1, k=1, m=1, activation="sine")
    g = torch.Generator().manual_seed(seed)
    n_par = two_layer_n_params(case.d, case.hidden, case.k)
    inst = _two_layer_instances(case, B["n_data"], g)
    if printed:
        for it in inst:
            it["labels"] = torch.ones(1, dtype=torch.float64)  # y = +1 w.l.o.g. (w1 → −w1)
    batch = _two_layer_batch(case, inst, printed, device, cells)
    nd = len(inst)
    best: dict = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src, r, idx, z, b=None):
        k, v, _ = aggregate_ratios(r)
        if src not in best or _beats(v, best[src][0]):
            best[src] = (v, int(idx[k]), z[k].detach(), batch if b is None else b)
        counts[src] += int(r.numel())

    def randz(n, scales):
        return (torch.randn(n, n_par, generator=g, dtype=torch.float64) * scales[:, None]).to(device)

    nr = B["n_random"]
    idx = torch.arange(nd, device=device).repeat_interleave(nr)
    z = randz(nd * nr, torch.logspace(-2, 1.5, nr, dtype=torch.float64).repeat(nd))
    r, _, _ = batch.evaluate(z, idx)
    tally.add("random", r)
    record("random", r, idx, z)
    ng = B["gd_runs"]
    idx = torch.arange(nd, device=device).repeat_interleave(ng)
    th0 = randz(nd * ng, torch.logspace(-1, 0.5, ng, dtype=torch.float64).repeat(nd))
    for mult in (1.0, 4.0):
        r, th = _gd(batch, th0, idx, B["gd_steps"], mult, None, tally.counter("gd"))
        record("gd", r, idx, th)
    ns = B["starts"]
    idx = torch.arange(nd, device=device).repeat_interleave(ns)
    z = randz(nd * ns, torch.logspace(-1, 0.5, ns, dtype=torch.float64).repeat(nd))
    r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
    record("search", r, idx, zb)
    one_unit = case.hidden == 1 and case.k == 1 and case.m == 1 and case.activation == "sine"
    if one_unit:
        zm = _one_unit_minimisers(batch, inst, cells, device)
        rm, _, _ = batch.evaluate(zm, torch.arange(nd, device=device))
        tally.add("search", rm)
        record("search", rm, torch.arange(nd, device=device), zm)
    for _ in range(B["rounds"] - 1):
        per = torch.full((nd,), -math.inf, dtype=torch.float64).scatter_reduce(
            0, idx.cpu(), _nan_low(r.cpu()), "amax")
        top = torch.argsort(per, descending=True)[: max(1, nd // 2)].tolist()
        bestz = {int(i): zb[(idx == i).nonzero()[torch.argmax(_nan_low(r[idx == i]))]].squeeze(0) for i in top}
        inst = [_mutate_two_layer(inst[i], g) for i in top for _ in range(2)]
        z0 = torch.stack([bestz[i] for i in top for _ in range(2)])
        batch = _two_layer_batch(case, inst, printed, device, cells)
        nd = len(inst)
        idx = torch.arange(nd, device=device).repeat_interleave(ns)
        z = z0.repeat_interleave(ns, 0) * torch.exp(0.1 * torch.randn(nd * ns, n_par, generator=g, dtype=torch.float64)).to(device)
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, zb)
        if one_unit:
            zm = _one_unit_minimisers(batch, inst, cells, device)
            rm, _, _ = batch.evaluate(zm, torch.arange(nd, device=device))
            tally.add("search", rm)
            record("search", rm, torch.arange(nd, device=device), zm)
    if one_unit:
        # cheap derivative-free data search: screen 8·n_data fresh instances at their certified
        # global minimisers, then hill-climb (mutations of the best quarter) for `rounds` rounds
        pool = _two_layer_instances(case, 8 * B["n_data"], g)
        for it in pool:
            it["labels"] = inst[0]["labels"].clone()
        for rnd in range(B["rounds"] + 1):
            sb = _two_layer_batch(case, pool, printed, device, cells)
            ar = torch.arange(len(pool), device=device)
            zm = _one_unit_minimisers(sb, pool, cells, device)
            rm, _, _ = sb.evaluate(zm, ar)
            tally.add("search", rm)
            record("search", rm, ar, zm, sb)
            if rnd == B["rounds"]:
                break
            order = torch.argsort(_nan_low(rm), descending=True).tolist()
            top = order[: max(1, len(pool) // 4)]
            pool = [pool[i] for i in top] + [_mutate_two_layer(pool[i], g) for i in top for _ in range(3)]
    return case, best, counts, tally


def _certify_two_layer_printed(pt: RatioPoint, cells: int = 200_000) -> tuple[bool, dict]:
    """Re-check a printed Eq. (31) violation with a finer certified lower bound on f*."""
    m = pt.data
    x_norm, lam1, lam2, a, om = m["x_norm"], m["lam1"], m["lam2"], m["a"], m["omega"]
    lo, hi = one_unit_f_star_bracket(x_norm, lam1, lam2, a, om, cells=cells)
    X = torch.tensor(m["X"], dtype=torch.float64)
    lab = torch.tensor(m["labels"], dtype=torch.float64)
    theta = torch.tensor(pt.theta, dtype=torch.float64)
    lossf = lambda t: two_layer_ce_loss(t, X, lab, hidden=1, k=1, lam1=lam1, lam2=lam2,
                                        activation=sine_activation(a, om))
    f = float(lossf(theta))
    Hm = hessian(lossf)(theta)
    hn = float(torch.linalg.eigvalsh(Hm).abs().max())
    C = sine_activation_constants(a, om)
    H0p, H1p = _two_layer_HH(x_norm, C, lam1, lam2, lo, True)
    bound_p = H0p + H1p * max(f - lo, 0.0)
    H0c, H1c = _two_layer_HH(x_norm, C, lam1, lam2, lo, False)
    bound_c = H0c + H1c * max(f - lo, 0.0)
    ok = hn > bound_p * (1 + 1e-6)
    return ok, {"description": "printed Eq. (31) (Prop 3.3) violated: ||Hess f|| > H0 + H1 (f - f*) with the "
                "printed H0 = lam1 + lam2 + Bres (f* + 1), evaluated at a CERTIFIED LOWER bound on f* "
                "(the printed bound decreases in f*, so this is the most favourable f* for it)",
                "model": "one sample, one input, one hidden unit, binary logistic, summed CE + L2",
                "activation": "phi(s) = s + (a/omega) sin(omega s)", "a": a, "omega": om,
                "C1_C2_C3": list(C), "lam1": lam1, "lam2": lam2, "X": m["X"], "labels": m["labels"],
                "theta_W1_W2": list(pt.theta), "f": f, "f_star_bracket": [lo, hi],
                "hessian": Hm.tolist(), "hessian_norm": hn,
                "printed_H0_H1": [H0p, H1p], "printed_bound": bound_p, "printed_ratio": hn / bound_p,
                "corrected_H0_H1": [H0c, H1c], "corrected_bound": bound_c, "corrected_ratio": hn / bound_c}


# ------------------------------------------------------------------------------------------
# leaky ReLU (Prop D.1) and linear attention (Prop 3.4): one generic driver
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeakyReLUCase:
    """Family for Prop D.1: one hidden leaky-ReLU unit, X ∈ R^{d×m} (full row rank, also
    near-rank-deficient), Y ∈ R^{c×m}; slope α searched in [0.05, 1]."""

    d: int = 2
    c: int = 2
    m: int = 6

    def to_dict(self) -> dict[str, Any]:
        return {"model": "leaky-relu", "d": self.d, "c": self.c, "m": self.m}


@dataclass(frozen=True)
class AttentionCase:
    """Family for Prop 3.4: T prompts of n examples in dimension d; λ_P, λ_Q searched."""

    d: int = 2
    n: int = 4
    T: int = 4

    def to_dict(self) -> dict[str, Any]:
        return {"model": "attention", "d": self.d, "n": self.n, "T": self.T}


def _leaky_instances(case: LeakyReLUCase, n: int, g: torch.Generator) -> list[dict]:
    out = []
    for i in range(n):
        X = torch.randn(case.d, case.m, generator=g, dtype=torch.float64)
        if i % 3 == 1:  # near rank-deficient
            q = max(1, case.d - 1)
            X = torch.randn(case.d, q, generator=g, dtype=torch.float64) @ torch.randn(q, case.m, generator=g, dtype=torch.float64)
            X = X + 10 ** (-3 + 2 * torch.rand(1, generator=g).item()) * torch.randn(case.d, case.m, generator=g, dtype=torch.float64)
        Y = torch.randn(case.c, case.m, generator=g, dtype=torch.float64)
        out.append({"X": X, "Y": Y, "alpha": 0.05 + 0.95 * torch.rand(1, generator=g).item()})
    return out


def _leaky_batch(case: LeakyReLUCase, inst: list[dict], device) -> _Batch:
    from warmup_theory.numerics.models.leaky_relu import leaky_relu_f_star_estimate, leaky_relu_loss_batched
    from warmup_theory.theory.architectures import leaky_relu_constants

    H0s, H1s, fss, meta = [], [], [], []
    for it in inst:
        X, Y = it["X"], it["Y"]
        S = torch.linalg.svdvals(X)
        x_norm, lam = float(S[0]), float(S[-1] ** 2)
        y_norm = float(torch.linalg.matrix_norm(Y))
        hi = leaky_relu_f_star_estimate(X, Y, it["alpha"])
        ends = (0.0, hi)
        hh = [leaky_relu_constants(it["alpha"], x_norm, lam, y_norm, fe) for fe in ends]
        H0s.append([float(h.H0) for h in hh])
        H1s.append([float(h.H1) for h in hh])
        fss.append(list(ends))
        meta.append({"X": X.tolist(), "Y": Y.tolist(), "alpha": it["alpha"], "x_norm": x_norm,
                     "x_lambda_min": lam, "y_norm": y_norm, "f_star_bracket": [0.0, hi]})
    T = lambda v: torch.tensor(v, dtype=torch.float64, device=device)
    data = (torch.stack([it["X"] for it in inst]).to(device), torch.stack([it["Y"] for it in inst]).to(device),
            T([it["alpha"] for it in inst]))
    d = case.d
    point = lambda z, X, Y, al: leaky_relu_balanced_point(z, d)
    loss = leaky_relu_loss_batched

    def hess(t, *dd, create_graph=False):
        return batched_hessian(loss, t, *dd, create_graph=create_graph)

    return _Batch(point, loss, hess, data, T(H0s), T(H1s), T(fss), meta)


def _attention_instances(case: AttentionCase, n: int, g: torch.Generator) -> list[dict]:
    from warmup_theory.numerics.models.attention import icl_prompts

    out = []
    for _ in range(n):
        Z, y = icl_prompts(case.T, case.d, case.n, generator=g, noise=0.1)
        Z = Z * 10 ** (-0.5 + torch.rand(1, generator=g).item())
        out.append({"Z": Z, "y": y, "lam": [10 ** (-2 + 2 * torch.rand(1, generator=g).item()) for _ in range(2)]})
    return out


def _attention_batch(case: AttentionCase, inst: list[dict], device) -> _Batch:
    from warmup_theory.numerics.models.attention import attention_data_constant_np, attention_loss_batched
    from warmup_theory.theory.architectures import attention_constants

    H0s, H1s, fss, meta = [], [], [], []
    for it in inst:
        K = attention_data_constant_np(it["Z"])
        hi = float((it["y"] ** 2).mean())  # f at P = Q = 0 (query entry 0) >= f*
        ends = (0.0, hi)
        hh = [attention_constants(K, it["lam"][0], it["lam"][1], fe) for fe in ends]
        H0s.append([float(h.H0) for h in hh])
        H1s.append([float(h.H1) for h in hh])
        fss.append(list(ends))
        meta.append({"Z": it["Z"].tolist(), "y": it["y"].tolist(), "lam_P": it["lam"][0], "lam_Q": it["lam"][1],
                     "K": K, "f_star_bracket": [0.0, hi]})
    T = lambda v: torch.tensor(v, dtype=torch.float64, device=device)
    data = (torch.stack([it["Z"] for it in inst]).to(device), torch.stack([it["y"] for it in inst]).to(device),
            T([it["lam"] for it in inst]))
    loss = attention_loss_batched

    def hess(t, *dd, create_graph=False):
        return batched_hessian(loss, t, *dd, create_graph=create_graph)

    return _Batch(lambda z, *dd: z, loss, hess, data, T(H0s), T(H1s), T(fss), meta)


def _mutate_generic(it: dict, g: torch.Generator) -> dict:
    e = lambda s: math.exp(s * torch.randn(1, generator=g).item())
    new = dict(it)
    for key in ("X", "Z"):
        if key in it:
            new[key] = it[key] * torch.exp(0.2 * torch.randn(it[key].shape, generator=g, dtype=torch.float64))
            if key == "Z":
                new[key][:, -1, -1] = 0.0
    if "alpha" in it:
        new["alpha"] = min(1.0, max(0.02, it["alpha"] * e(0.3)))
    if "lam" in it:
        new["lam"] = [v * e(0.3) for v in it["lam"]]
    return new


def _check_generic(prop, case, B, seed, device) -> tuple:
    g = torch.Generator().manual_seed(seed)
    if prop == "D.1":
        make_inst = lambda n: _leaky_instances(case, n, g)
        make_batch = lambda inst: _leaky_batch(case, inst, device)
        n_z = case.d + case.c + 1

        def randz(n, scales):
            z = torch.randn(n, n_z, generator=g, dtype=torch.float64)
            z[:, -1] = torch.log(scales)
            return z.to(device)

        def project(theta):  # rebalance ‖w‖ = ‖v‖ keeping v·σ(wᵀX) (positive homogeneity)
            w, v = theta[:, :case.d], theta[:, case.d:]
            c = torch.sqrt(torch.linalg.vector_norm(w, dim=1, keepdim=True)
                           / torch.linalg.vector_norm(v, dim=1, keepdim=True).clamp_min(1e-300))
            return torch.cat([w / c, v * c], dim=1)

        to_theta = lambda z: leaky_relu_balanced_point(z, case.d)
    else:
        make_inst = lambda n: _attention_instances(case, n, g)
        make_batch = lambda inst: _attention_batch(case, inst, device)
        D = case.d + 1
        n_z = 2 * D * D

        def randz(n, scales):
            return (torch.randn(n, n_z, generator=g, dtype=torch.float64) * scales[:, None]).to(device)

        project = None
        to_theta = lambda z: z
    inst = make_inst(B["n_data"])
    batch = make_batch(inst)
    nd = len(inst)
    best: dict = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src, r, idx, th):
        k, v, _ = aggregate_ratios(r)
        if src not in best or _beats(v, best[src][0]):
            best[src] = (v, int(idx[k]), th[k].detach(), batch)
        counts[src] += int(r.numel())

    nr = B["n_random"]
    idx = torch.arange(nd, device=device).repeat_interleave(nr)
    z = randz(nd * nr, torch.logspace(-1.5, 1.5, nr, dtype=torch.float64).repeat(nd))
    r, _, _ = batch.evaluate(z, idx)
    tally.add("random", r)
    record("random", r, idx, to_theta(z))
    ng = B["gd_runs"]
    idx = torch.arange(nd, device=device).repeat_interleave(ng)
    th0 = to_theta(randz(nd * ng, torch.logspace(-1, 0.5, ng, dtype=torch.float64).repeat(nd)))
    for mult in (1.0, 4.0):
        r, th = _gd(batch, th0, idx, B["gd_steps"], mult, project, tally.counter("gd"))
        record("gd", r, idx, th)
    ns = B["starts"] if prop == "D.1" else max(2, B["starts"] // 2)  # attention: 2(d+1)² params, costlier
    for rnd in range(B["rounds"]):
        if rnd:
            per = torch.full((nd,), -math.inf, dtype=torch.float64).scatter_reduce(
                0, idx.cpu(), _nan_low(r.cpu()), "amax")
            top = torch.argsort(per, descending=True)[: max(1, nd // 2)].tolist()
            inst = [_mutate_generic(inst[i], g) for i in top for _ in range(2)]
            batch = make_batch(inst)
            nd = len(inst)
        idx = torch.arange(nd, device=device).repeat_interleave(ns)
        z = randz(nd * ns, torch.logspace(-1, 1, ns, dtype=torch.float64).repeat(nd))
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, to_theta(zb))
    return best, counts, tally


# ------------------------------------------------------------------------------------------
# entry point
# ------------------------------------------------------------------------------------------

_STATEMENTS = {
    "3.2": "deep linear MSE, strongly balanced W, X full row rank: ||Hess f|| <= H0 + H1 (f - f*) "
           "(corrected constants, warmup_theory.theory.architectures.deep_linear_constants)",
    "3.2-printed": "printed Prop 3.2 (no rank condition on X): finite H0, H1 for every X",
    "3.3": "two-layer CE (summed) + L2: ||Hess f|| <= H0 + H1 (f - f*), corrected H0 (with C_lin f*)",
    "3.3-printed": "printed Eq. (31): H0 = lam1 + lam2 + Bres (f* + 1), H1 = Bres + C_lin",
    "D.1": "one hidden leaky-ReLU unit, 1/2 MSE, ||w|| = ||v||, X full row rank (toolkit's own "
           "statement, warmup_theory.theory.architectures.leaky_relu_constants), off the kinks",
    "3.4": "one linear-attention layer, in-context regression + L2 (toolkit's own statement, "
           "warmup_theory.theory.architectures.attention_constants)",
}


def check_proposition(
    prop: str,
    instance: DeepLinearCase | TwoLayerCase | None = None,
    *,
    budget: str = "default",
    seed: int = 0,
    device: str | torch.device | None = None,
    threads: int | None = 1,
) -> PropositionCheck:
    """Largest observed ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) for ``prop`` (module docstring).

    ``prop`` ∈ PROPOSITIONS; ``instance`` a :class:`DeepLinearCase` (3.2*),
    :class:`TwoLayerCase` (3.3*), :class:`LeakyReLUCase` (D.1) or :class:`AttentionCase` (3.4),
    default the class defaults; ``budget`` ∈ BUDGETS;
    ``device`` ``"cpu"``, ``"cuda"`` or ``None`` (default: CUDA when available, else CPU).  For printed forms a
    violation is re-checked (``witness_confirmed``) and the witness is in ``witness``.
    ``threads``: torch intra-op threads while the check runs on the CPU (restored after);
    the tensors here are tiny, and 1 thread is several times faster than 2 on a loaded
    machine (thread hand-off dominates); ``None`` leaves torch's setting alone.
    """
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(int(threads))
    try:
        return _check_proposition(prop, instance, budget=budget, seed=seed, device=device)
    finally:
        torch.set_num_threads(old_threads)


def _check_proposition(prop, instance, *, budget, seed, device) -> PropositionCheck:
    from warmup_theory.numerics.device import resolve_device

    if prop not in PROPOSITIONS:
        raise ValueError(f"prop must be one of {PROPOSITIONS}, got {prop!r}")
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {tuple(BUDGETS)}, got {budget!r}")
    dev = resolve_device(device)
    B = BUDGETS[budget]
    t0 = time.perf_counter()
    witness, confirmed = None, False
    if prop in ("3.2", "3.2-printed"):
        case = instance if instance is not None else DeepLinearCase()
        if not isinstance(case, DeepLinearCase):
            raise TypeError(f"instance must be a DeepLinearCase for Prop {prop}, got {type(case).__name__}")
        batch, best, counts, tally = _check_deep_linear(prop, case, B, seed, dev)
        # instance indices refer to the final batch: later rounds only append instances
        pts = {s: _point_from(batch, s, {s: (r, i, th)}) for s, (r, i, th) in best.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
        if prop == "3.2-printed" and violated:
            dd = make_regression_data(torch.tensor(worst.data["X"], dtype=torch.float64),
                                      torch.tensor(worst.data["Y"], dtype=torch.float64), worst.data["hidden_rank"])
            if dd.x_rank < dd.X.shape[0]:
                confirmed, witness = _certify_deep_linear_unbounded(
                    case, dd, torch.tensor(worst.theta, dtype=torch.float64), (worst.H0, worst.H1))
    elif prop in ("3.3", "3.3-printed"):
        case = instance if instance is not None else TwoLayerCase()
        if not isinstance(case, TwoLayerCase):
            raise TypeError(f"instance must be a TwoLayerCase for Prop {prop}, got {type(case).__name__}")
        cells = 20_000
        case, best, counts, tally = _check_two_layer(prop, case, B, seed, dev, cells)
        pts = {s: _point_from(b, s, {s: (r, i, z)}) for s, (r, i, z, b) in best.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
        if prop == "3.3-printed" and violated:
            confirmed, witness = _certify_two_layer_printed(worst)
    else:
        case = instance if instance is not None else (LeakyReLUCase() if prop == "D.1" else AttentionCase())
        want = LeakyReLUCase if prop == "D.1" else AttentionCase
        if not isinstance(case, want):
            raise TypeError(f"instance must be a {want.__name__} for Prop {prop}, got {type(case).__name__}")
        best, counts, tally = _check_generic(prop, case, B, seed, dev)
        pts = {s: _point_from(b, s, {s: (r, i, z)}) for s, (r, i, z, b) in best.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
    n_eval, n_nonfinite = tally.result()
    if violated and witness is None:  # any violation is reported with everything to re-check it
        witness = dict(worst.to_dict(), description=f"ratio {worst.ratio:.6g} > 1 for Prop {prop} (not re-certified)")
    return PropositionCheck(
        prop=prop, statement=_STATEMENTS[prop], instance=case.to_dict(), max_ratio=worst.ratio,
        max_ratio_by_source={s: p.ratio for s, p in pts.items()}, n_points=counts, worst=worst,
        violated=violated, witness=witness, witness_confirmed=confirmed,
        seconds=time.perf_counter() - t0, device=str(dev), budget=budget, seed=seed,
        n_evaluations=n_eval, n_nonfinite=n_nonfinite)

