"""Deep linear networks with MSE loss on strongly balanced weights (Prop 3.2, v2).

Conventions (shared with :mod:`warmup_theory.theory.architectures`, see ARCH_CONVENTIONS):

* ``widths = (d, n_1, …, n_{l−1}, c)``; W_1 ∈ R^{n_1×d}, W_i ∈ R^{n_i×n_{i−1}}, W_l ∈ R^{c×n_{l−1}};
  the end-to-end map is P = W_l⋯W_1 ∈ R^{c×d}.
* X ∈ R^{d×m} (columns are samples), Y ∈ R^{c×m},
  f(W) = ½‖W_l⋯W_1X − Y‖²_F  (summed over samples, factor ½, no 1/m).
* The parameter vector is the concatenation of the row-major flattenings of W_1, …, W_l;
  the Hessian is taken in that Euclidean (Frobenius) geometry and ‖·‖₂ is its spectral norm.
* Strongly balanced: W_{i+1}ᵀW_{i+1} = W_iW_iᵀ for i = 1..l−1.

Balanced weights are built as W_i = U_i Σ^{1/l} U_{i−1}ᵀ with orthonormal frames
U_0 ∈ R^{d×r}, U_i ∈ R^{n_i×r}, U_l ∈ R^{c×r}, r = min(widths), Σ = diag(s) ⪰ 0; then
W_{i+1}ᵀW_{i+1} = U_iΣ^{2/l}U_iᵀ = W_iW_iᵀ exactly and P = U_lΣU_0ᵀ.  Every strongly
balanced tuple is of this form (all layers share the non-zero singular values σ_j(P)^{1/l}).

>>> import torch
>>> g = torch.Generator().manual_seed(0)
>>> bw = balanced_deep_linear((3, 4, 2), generator=g, scale=1.0)
>>> [tuple(w.shape) for w in bw.weights], bw.residual < 1e-13
([(4, 3), (2, 4)], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

__all__ = [
    "BalancedWeights",
    "balanced_deep_linear",
    "balanced_from_product",
    "balanced_from_free",
    "balancedness_residual",
    "check_widths",
    "deep_linear_loss",
    "deep_linear_hessian_closed_form",
    "end_to_end",
    "flatten_weights",
    "n_free",
    "n_params",
    "unflatten_weights",
    "unflatten_weights_batched",
    "balanced_from_free_batched",
    "deep_linear_loss_batched",
    "deep_linear_hessian_batched",
]


def check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    """Validate ``widths = (d, n_1, …, c)``: at least two positive integers (depth l = len − 1 ≥ 1)."""
    try:
        w = tuple(int(x) for x in widths)
    except TypeError:
        raise TypeError(f"widths must be a sequence of positive ints, got {widths!r}") from None
    if len(w) < 2 or any(x < 1 for x in w) or any(int(x) != x for x in widths):
        raise ValueError(f"widths must hold >= 2 positive ints (d, n_1, ..., c), got {widths!r}")
    return w


def n_params(widths: Sequence[int]) -> int:
    """Number of weights Σ n_i·n_{i−1}."""
    w = check_widths(widths)
    return sum(w[i] * w[i + 1] for i in range(len(w) - 1))


def unflatten_weights(theta: torch.Tensor, widths: Sequence[int]) -> list[torch.Tensor]:
    """Split a flat parameter vector into W_1, …, W_l (row-major); torch.func friendly."""
    w = check_widths(widths)
    out, k = [], 0
    for i in range(len(w) - 1):
        n = w[i + 1] * w[i]
        out.append(theta[k:k + n].reshape(w[i + 1], w[i]))
        k += n
    return out


def flatten_weights(weights: Sequence[torch.Tensor]) -> torch.Tensor:
    """Concatenate row-major flattenings of W_1, …, W_l."""
    return torch.cat([W.reshape(-1) for W in weights])


def end_to_end(weights: Sequence[torch.Tensor]) -> torch.Tensor:
    """P = W_l⋯W_1."""
    P = weights[0]
    for W in weights[1:]:
        P = W @ P
    return P


def deep_linear_loss(theta: torch.Tensor, X: torch.Tensor, Y: torch.Tensor, widths: Sequence[int]) -> torch.Tensor:
    """f(W) = ½‖W_l⋯W_1X − Y‖²_F for the flat parameter vector ``theta`` (pure function).

    >>> import torch
    >>> X = torch.eye(2, dtype=torch.float64); Y = torch.zeros(1, 2, dtype=torch.float64)
    >>> theta = torch.tensor([1., 2., 3., 4., 1., 1.], dtype=torch.float64)  # W1 2x2, W2 1x2
    >>> float(deep_linear_loss(theta, X, Y, (2, 2, 1)))  # P = [4, 6]
    26.0
    """
    P = end_to_end(unflatten_weights(theta, widths))
    R = P @ X - Y
    return 0.5 * (R * R).sum()


def balancedness_residual(weights: Sequence[torch.Tensor]) -> float:
    """max_i ‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F (0 for depth 1)."""
    res = 0.0
    for a, b in zip(weights[:-1], weights[1:]):
        res = max(res, float(torch.linalg.matrix_norm(b.T @ b - a @ a.T)))
    return res


@dataclass(frozen=True)
class BalancedWeights:
    """Strongly balanced weights W_1..W_l, their shared singular values s_j^{1/l}, and the residual.

    ``residual`` = max_i ‖W_{i+1}ᵀW_{i+1} − W_iW_iᵀ‖_F computed in the weights' dtype.
    """

    weights: tuple[torch.Tensor, ...]
    widths: tuple[int, ...]
    singular_values: torch.Tensor  # singular values of P = W_l⋯W_1 (length r = min(widths))
    residual: float

    @property
    def theta(self) -> torch.Tensor:
        """The weights flattened into one parameter vector (layer by layer, row-major)."""
        return flatten_weights(self.weights)

    @property
    def product(self) -> torch.Tensor:
        """The end-to-end product W_l ⋯ W_1."""
        return end_to_end(self.weights)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {
            "widths": list(self.widths),
            "weights": [w.detach().cpu().tolist() for w in self.weights],
            "singular_values": self.singular_values.detach().cpu().tolist(),
            "residual": self.residual,
        }


def _frames_to_weights(frames: Sequence[torch.Tensor], s: torch.Tensor) -> list[torch.Tensor]:
    """W_i = U_i diag(s^{1/l}) U_{i−1}ᵀ for orthonormal frames U_0..U_l and s ≥ 0."""
    l = len(frames) - 1
    root = s.clamp_min(0) ** (1.0 / l)
    return [(frames[i + 1] * root) @ frames[i].T for i in range(l)]


def _orthonormal(a: torch.Tensor) -> torch.Tensor:
    """Orthonormal columns spanning a (n×r, n ≥ r) by QR, signs fixed so diag(R) ≥ 0."""
    q, r = torch.linalg.qr(a)
    sign = torch.where(torch.diagonal(r) < 0, -1.0, 1.0).to(a.dtype)
    return q * sign


def balanced_deep_linear(
    widths: Sequence[int],
    *,
    generator: torch.Generator | None = None,
    scale: float = 1.0,
    dtype: torch.dtype = torch.float64,
    device: str | torch.device = "cpu",
) -> BalancedWeights:
    """Random exactly strongly balanced weights for any ``widths`` (rank r = min(widths)).

    Frames U_i are Haar-random (QR of Gaussians drawn from ``generator`` on the CPU); the
    layer singular values s_j^{1/l} are ``scale``·u_j with u_j ~ Uniform[0.5, 1.5], so
    ‖W_i‖₂ ≤ 1.5·scale and ‖P‖₂ ≤ (1.5·scale)^l.

    >>> import torch
    >>> bw = balanced_deep_linear((5, 3, 7, 2), generator=torch.Generator().manual_seed(1), scale=2.0)
    >>> bw.residual < 1e-12, len(bw.singular_values)
    (True, 2)
    """
    from warmup_theory.theory.validate import check_scalar

    w = check_widths(widths)
    scale = check_scalar("scale", scale, low=0)
    g = generator if generator is not None else torch.Generator().manual_seed(0)
    r, l = min(w), len(w) - 1
    frames = [_orthonormal(torch.randn(n, r, generator=g, dtype=torch.float64)) for n in w]
    layer_sv = scale * (0.5 + torch.rand(r, generator=g, dtype=torch.float64))
    s = layer_sv ** l
    frames = [f.to(device=device, dtype=dtype) for f in frames]
    weights = tuple(_frames_to_weights(frames, s.to(device=device, dtype=dtype)))
    return BalancedWeights(weights, w, s.to(device=device, dtype=dtype), balancedness_residual(weights))


def balanced_from_product(P: torch.Tensor, widths: Sequence[int]) -> BalancedWeights:
    """Strongly balanced weights with end-to-end map exactly P (up to rounding).

    P = UΣVᵀ (SVD, top r = min(widths) triplets; P must have rank ≤ r), W_1 = U_1Σ^{1/l}Vᵀ,
    W_i = U_iΣ^{1/l}U_{i−1}ᵀ, W_l = UΣ^{1/l}U_{l−1}ᵀ with hidden frames U_i = first r columns
    of the identity.  The Hessian spectrum does not depend on the hidden frames (changing them
    is an orthogonal map of weight space that leaves f invariant).

    >>> import torch
    >>> P = torch.tensor([[3., 0.], [0., 1.]], dtype=torch.float64)
    >>> bw = balanced_from_product(P, (2, 2, 2))
    >>> torch.allclose(bw.product, P), bw.residual < 1e-14
    (True, True)
    """
    w = check_widths(widths)
    if tuple(P.shape) != (w[-1], w[0]):
        raise ValueError(f"P must have shape (c, d) = {(w[-1], w[0])}, got {tuple(P.shape)}")
    r = min(w)
    U, S, Vh = torch.linalg.svd(P, full_matrices=False)
    U, S, V = U[:, :r], S[:r], Vh[:r].T
    frames = [V] + [torch.eye(n, r, dtype=P.dtype, device=P.device) for n in w[1:-1]] + [U]
    weights = tuple(_frames_to_weights(frames, S))
    return BalancedWeights(weights, w, S, balancedness_residual(weights))


def n_free(widths: Sequence[int]) -> int:
    """Length of the free parameter vector of :func:`balanced_from_free`: Σ_i n_i·r + r."""
    w = check_widths(widths)
    r = min(w)
    return sum(n * r for n in w) + r


def balanced_from_free(free: torch.Tensor, widths: Sequence[int]) -> torch.Tensor:
    """Parametrisation R^{n_free} → strongly balanced weights (flat vector); differentiable.

    ``free`` = (A_0, …, A_l, ρ) with A_i ∈ R^{n_i×r} (row-major), ρ ∈ R^r.  Frames
    U_i = QR(A_i) (orthonormal columns), singular values of P: s = exp(l·ρ) (so every layer has
    singular values exp(ρ_j)), W_i = U_i diag(exp ρ) U_{i−1}ᵀ.  Every strongly balanced tuple
    of full rank r is in the image; rank-deficient ones are limits (ρ_j → −∞).

    >>> import torch
    >>> wid = (3, 2, 4)
    >>> z = torch.randn(n_free(wid), generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> ws = unflatten_weights(balanced_from_free(z, wid), wid)
    >>> balancedness_residual(ws) < 1e-13
    True
    """
    w = check_widths(widths)
    r, l = min(w), len(w) - 1
    frames, k = [], 0
    for n in w:
        frames.append(_orthonormal(free[k:k + n * r].reshape(n, r)))
        k += n * r
    rho = free[k:k + r]
    root = torch.exp(rho)
    weights = [(frames[i + 1] * root) @ frames[i].T for i in range(l)]
    return flatten_weights(weights)


def deep_linear_hessian_closed_form(weights: Sequence[Any], X: Any, Y: Any) -> np.ndarray:
    """Dense Hessian of f(W) = ½‖W_l⋯W_1X − Y‖²_F from the closed form (numpy, no autograd).

    D²f[E, E] = ‖DP[E]X‖² + ⟨R, D²P[E, E]X⟩ with R = PX − Y.  Gauss–Newton blocks J_iᵀJ_j with
    J_i = W_{>i} ⊗ (W_{<i}X)ᵀ (row-major vec); residual blocks (i < j):
    ∂²f/∂(W_j)_{ab}∂(W_i)_{pq} = (W_{<i}X Rᵀ W_{>j})_{qa}·(W_{i<·<j})_{bp}.  Independent
    reference for tests of the autograd Hessian.
    """
    Ws = [np.asarray(w, dtype=np.float64) for w in weights]
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    l = len(Ws)

    def prod(a: int, b: int, n: int) -> np.ndarray:  # W_b ⋯ W_a (1-based, inclusive); identity if a > b
        M = np.eye(n)
        for t in range(a, b + 1):
            M = Ws[t - 1] @ M
        return M

    dims = [W.shape for W in Ws]
    P = prod(1, l, Ws[0].shape[1])
    R = P @ X - Y
    offsets = np.cumsum([0] + [a * b for a, b in dims])
    H = np.zeros((offsets[-1], offsets[-1]))
    J = []
    for i in range(1, l + 1):
        A = prod(i + 1, l, dims[i - 1][0])          # W_{>i}: c × n_i
        C = prod(1, i - 1, Ws[0].shape[1]) @ X       # W_{<i}X: n_{i-1} × m
        # vec_row(A E C) = (A ⊗ Cᵀ) vec_row(E)
        J.append(np.kron(A, C.T))
    Jall = np.concatenate(J, axis=1)
    H += Jall.T @ Jall
    for i in range(1, l + 1):
        for j in range(i + 1, l + 1):
            A = prod(j + 1, l, dims[j - 1][0])       # W_{>j}
            B = prod(i + 1, j - 1, dims[i - 1][0])   # W_{i<·<j}: n_{j-1} × n_i
            C = prod(1, i - 1, Ws[0].shape[1]) @ X   # W_{<i}X
            K = C @ R.T @ A                          # n_{i-1} × n_j   (q, a)
            blk = np.einsum("qa,bp->abpq", K, B).reshape(dims[j - 1][0] * dims[j - 1][1],
                                                         dims[i - 1][0] * dims[i - 1][1])
            sj, si = slice(offsets[j - 1], offsets[j]), slice(offsets[i - 1], offsets[i])
            H[sj, si] += blk
            H[si, sj] += blk.T
    return H


def unflatten_weights_batched(theta: torch.Tensor, widths: Sequence[int]) -> list[torch.Tensor]:
    """Batched :func:`unflatten_weights`: theta [B, n] → W_i [B, n_i, n_{i−1}]."""
    w = check_widths(widths)
    out, k = [], 0
    for i in range(len(w) - 1):
        n = w[i + 1] * w[i]
        out.append(theta[:, k:k + n].reshape(theta.shape[0], w[i + 1], w[i]))
        k += n
    return out


def balanced_from_free_batched(free: torch.Tensor, widths: Sequence[int]) -> torch.Tensor:
    """Batched :func:`balanced_from_free`: free [B, n_free] → flat balanced weights [B, n]."""
    w = check_widths(widths)
    r, l, B = min(w), len(w) - 1, free.shape[0]
    frames, k = [], 0
    for n in w:
        q, rr = torch.linalg.qr(free[:, k:k + n * r].reshape(B, n, r))
        sign = torch.where(torch.diagonal(rr, dim1=-2, dim2=-1) < 0, -1.0, 1.0).to(free.dtype)
        frames.append(q * sign[:, None, :])
        k += n * r
    root = torch.exp(free[:, k:k + r])[:, None, :]
    weights = [(frames[i + 1] * root) @ frames[i].transpose(-1, -2) for i in range(l)]
    return torch.cat([W.reshape(B, -1) for W in weights], dim=1)


def deep_linear_loss_batched(theta: torch.Tensor, X: torch.Tensor, Y: torch.Tensor,
                             widths: Sequence[int]) -> torch.Tensor:
    """Batched f: theta [B, n], X [B, d, m], Y [B, c, m] → [B]."""
    Ws = unflatten_weights_batched(theta, widths)
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    R = P @ X - Y
    return 0.5 * (R * R).sum(dim=(-2, -1))


def deep_linear_hessian_batched(theta: torch.Tensor, X: torch.Tensor, Y: torch.Tensor,
                                widths: Sequence[int]) -> torch.Tensor:
    """Dense Hessians [B, n, n] from the closed form (torch, batched, differentiable).

    Same formula as :func:`deep_linear_hessian_closed_form` (Gauss–Newton J_i = W_{>i} ⊗
    (W_{<i}X)ᵀ plus the residual blocks); used by the adversarial search because it is much
    faster than ``vmap(hessian)``; tests compare it with ``torch.func.hessian``.
    """
    Ws = unflatten_weights_batched(theta, widths)
    l, B = len(Ws), theta.shape[0]
    dt, dev = theta.dtype, theta.device
    eye = lambda n: torch.eye(n, dtype=dt, device=dev).expand(B, n, n)
    # prefix[i] = W_i ⋯ W_1 X (prefix[0] = X); suffix[i] = W_l ⋯ W_{i+1} (suffix[l] = I_c)
    prefix = [X]
    for W in Ws:
        prefix.append(W @ prefix[-1])
    R = prefix[-1] - Y
    suffix: list[torch.Tensor] = [eye(Ws[-1].shape[1])] * (l + 1)  # every entry below l is overwritten
    for i in range(l, 0, -1):
        suffix[i - 1] = suffix[i] @ Ws[i - 1]
    # J_i[(a, j), (p, q)] = (W_{>i})[a, p] · (W_{<i}X)[q, j]
    J = [torch.einsum("bap,bqj->bajpq", suffix[i], prefix[i - 1]).reshape(B, -1, Ws[i - 1].numel() // B)
         for i in range(1, l + 1)]
    Jall = torch.cat(J, dim=-1)
    H = Jall.transpose(-1, -2) @ Jall
    sizes = [W.shape[1] * W.shape[2] for W in Ws]
    offs = [0]
    for s in sizes:
        offs.append(offs[-1] + s)
    blocks = torch.zeros_like(H)
    for i in range(1, l + 1):
        mid = eye(Ws[i - 1].shape[1])  # W_{i<·<j}, built up as j grows
        for j in range(i + 1, l + 1):
            A = suffix[j]                            # W_{>j}
            K = prefix[i - 1] @ R.transpose(-1, -2) @ A   # (q, a)
            blk = torch.einsum("zqa,zbp->zabpq", K, mid).reshape(B, sizes[j - 1], sizes[i - 1])
            blocks[:, offs[j - 1]:offs[j], offs[i - 1]:offs[i]] = blk
            mid = Ws[j - 1] @ mid
    return H + blocks + blocks.transpose(-1, -2)
