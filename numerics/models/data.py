"""Data generators with exact optimal values f* (deep linear regression, classification).

Regression (Prop 3.2 conventions): X ∈ R^{d×m}, Y ∈ R^{c×m}, f(P) = ½‖PX − Y‖²_F summed
over samples.  The network's end-to-end map ranges over all c×d matrices of rank ≤ r,
r = min(widths) (a hidden width below min(d, c) constrains the rank), so

    f* = min_{rank P ≤ r} ½‖PX − Y‖²_F.

Derivation (exact, any rank of X): let X = U_q S_q V_qᵀ be the thin SVD restricted to the
q non-zero singular values.  Split Y = YV_qV_qᵀ + Y(I − V_qV_qᵀ); the second part is
orthogonal to every PX, so ‖PX − Y‖² = ‖M − YV_q‖²_F + ‖Y(I − V_qV_qᵀ)‖²_F with
M = PU_qS_q ∈ R^{c×q}.  As P ranges over rank ≤ r, M ranges over all c×q matrices of rank ≤ r
(P = MS_q^{-1}U_qᵀ), so by Eckart–Young

    f* = ½(‖Y‖²_F − Σ_{j≤r} σ_j(YV_q)²),   P* = [YV_q]_r S_q^{-1}U_qᵀ.

>>> import torch
>>> d = regression_data(3, 2, 6, generator=torch.Generator().manual_seed(0), hidden_rank=1)
>>> d.f_star > 0, d.x_rank
(True, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

__all__ = [
    "ClassificationData",
    "RegressionData",
    "classification_data",
    "rank_constrained_least_squares",
    "regression_data",
]

# Singular values of X below this multiple of the largest count as zero (float64 rounding).
_RANK_RTOL = 1e-12


def rank_constrained_least_squares(
    X: torch.Tensor, Y: torch.Tensor, hidden_rank: int | None = None
) -> tuple[float, torch.Tensor]:
    """(f*, P*) for min_{rank P ≤ hidden_rank} ½‖PX − Y‖²_F (module docstring derivation).

    ``hidden_rank=None`` means unconstrained (ordinary least squares, min-norm P*).

    >>> import torch
    >>> X = torch.eye(2, dtype=torch.float64); Y = torch.diag(torch.tensor([3., 1.], dtype=torch.float64))
    >>> rank_constrained_least_squares(X, Y, 1)[0]   # drops σ₂ = 1: ½·1²
    0.5
    """
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X (d×m) and Y (c×m) must share m, got {tuple(X.shape)} and {tuple(Y.shape)}")
    U, S, Vh = torch.linalg.svd(X, full_matrices=False)
    q = int((S > _RANK_RTOL * S.max()).sum()) if S.numel() and S.max() > 0 else 0
    U, S, V = U[:, :q], S[:q], Vh[:q].T
    YV = Y @ V
    Uy, Sy, Vyh = torch.linalg.svd(YV, full_matrices=False)
    r = Sy.numel() if hidden_rank is None else min(int(hidden_rank), Sy.numel())
    if hidden_rank is not None and hidden_rank < 0:
        raise ValueError(f"hidden_rank must be >= 0, got {hidden_rank}")
    M = (Uy[:, :r] * Sy[:r]) @ Vyh[:r]
    P = (M / S) @ U.T
    # f* = ½(‖Y‖² − Σ_{j≤r} σ_j²) suffers cancellation when f* ≪ ‖Y‖²; evaluate it instead as
    # ½‖P*X − Y‖²_F at the exact minimiser (rounding ~1e-16·‖Y‖², never a spurious negative).
    return 0.5 * float(((P @ X - Y) ** 2).sum()), P


@dataclass(frozen=True)
class RegressionData:
    """X, Y, the exact f* and the data constants used by Prop 3.2."""

    X: torch.Tensor
    Y: torch.Tensor
    f_star: float
    P_star: torch.Tensor
    x_norm: float          # ‖X‖₂ (spectral)
    x_lambda_min: float    # λ_min(XXᵀ) (0 if rank-deficient)
    x_lambda_min_pos: float  # smallest non-zero eigenvalue of XXᵀ
    y_norm: float          # ‖Y‖_F
    x_rank: int
    hidden_rank: int | None

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {
            "X": self.X.detach().cpu().tolist(),
            "Y": self.Y.detach().cpu().tolist(),
            "f_star": self.f_star,
            "x_norm": self.x_norm,
            "x_lambda_min": self.x_lambda_min,
            "x_lambda_min_pos": self.x_lambda_min_pos,
            "y_norm": self.y_norm,
            "x_rank": self.x_rank,
            "hidden_rank": self.hidden_rank,
        }


def make_regression_data(X: torch.Tensor, Y: torch.Tensor, hidden_rank: int | None = None) -> RegressionData:
    """Wrap given (X, Y): compute f*, P*, ‖X‖₂, λ_min(XXᵀ), ‖Y‖_F and rank X."""
    f_star, P = rank_constrained_least_squares(X, Y, hidden_rank)
    S = torch.linalg.svdvals(X)
    q = int((S > _RANK_RTOL * S.max()).sum()) if S.max() > 0 else 0
    lam = S ** 2
    lam_min = float(lam[-1]) if q == X.shape[0] else 0.0
    lam_pos = float(lam[q - 1]) if q > 0 else 0.0
    return RegressionData(X, Y, f_star, P, float(S[0]), lam_min, lam_pos,
                          float(torch.linalg.matrix_norm(Y)), q, hidden_rank)


def regression_data(
    d: int,
    c: int,
    m: int,
    *,
    generator: torch.Generator | None = None,
    hidden_rank: int | None = None,
    x_rank: int | None = None,
    realisable: bool = False,
    noise: float = 1.0,
    dtype: torch.dtype = torch.float64,
    device: str | torch.device = "cpu",
) -> RegressionData:
    """Gaussian regression data with exact f*.

    X = A B (A d×q, B q×m Gaussian) has rank ``x_rank`` = q (default d: full row rank, needs
    m ≥ d).  ``realisable=True``: Y = P₀X with P₀ of rank ≤ hidden_rank (so f* = 0); otherwise
    Y = P₀X + noise·N(0, 1) (f* > 0 almost surely when m > d).

    >>> import torch
    >>> g = torch.Generator().manual_seed(0)
    >>> regression_data(3, 2, 5, generator=g, realisable=True).f_star < 1e-20
    True
    >>> regression_data(3, 2, 5, generator=g, x_rank=2).x_lambda_min
    0.0
    """
    for name, v in (("d", d), ("c", c), ("m", m)):
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    q = d if x_rank is None else int(x_rank)
    if not 1 <= q <= min(d, m):
        raise ValueError(f"x_rank must be in [1, min(d, m)] = [1, {min(d, m)}], got {x_rank!r}")
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    A = torch.randn(d, q, generator=g, dtype=torch.float64)
    B = torch.randn(q, m, generator=g, dtype=torch.float64)
    X = A @ B if q < d else torch.randn(d, m, generator=g, dtype=torch.float64)
    r = min(d, c) if hidden_rank is None else max(0, min(int(hidden_rank), d, c))
    P0 = torch.randn(c, r, generator=g, dtype=torch.float64) @ torch.randn(r, d, generator=g, dtype=torch.float64)
    Y = P0 @ X
    if not realisable:
        Y = Y + noise * torch.randn(c, m, generator=g, dtype=torch.float64)
    X, Y = X.to(device=device, dtype=dtype), Y.to(device=device, dtype=dtype)
    return make_regression_data(X, Y, hidden_rank)


@dataclass(frozen=True)
class ClassificationData:
    """X ∈ R^{d×m} and labels: ±1 floats (k = 1, binary logistic) or ints in [0, k) (softmax)."""

    X: torch.Tensor
    labels: torch.Tensor
    k: int

    @property
    def x_norm(self) -> float:
        """max_i ‖x_i‖₂ over the inputs (enters the two-layer model's constants)."""
        return float(torch.linalg.matrix_norm(self.X, ord=2))

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"X": self.X.detach().cpu().tolist(), "labels": self.labels.detach().cpu().tolist(), "k": self.k}


def classification_data(
    d: int,
    m: int,
    k: int = 1,
    *,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float64,
    device: str | torch.device = "cpu",
) -> ClassificationData:
    """Gaussian inputs with labels from a random linear teacher (k = 1: ±1; k ≥ 2: argmax class).

    >>> import torch
    >>> cd = classification_data(2, 4, 3, generator=torch.Generator().manual_seed(0))
    >>> tuple(cd.X.shape), cd.labels.dtype
    ((2, 4), torch.int64)
    """
    for name, v in (("d", d), ("m", m), ("k", k)):
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    X = torch.randn(d, m, generator=g, dtype=torch.float64)
    T = torch.randn(max(k, 1), d, generator=g, dtype=torch.float64)
    scores = T @ X
    labels = torch.where(scores[0] >= 0, 1.0, -1.0).to(torch.float64) if k == 1 else scores.argmax(0)
    return ClassificationData(X.to(device=device, dtype=dtype),
                              labels.to(device=device, dtype=dtype if k == 1 else torch.int64), k)
