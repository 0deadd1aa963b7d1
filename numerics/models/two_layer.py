"""Two-layer network with cross-entropy + L2 regularisation (Prop 3.3, v2).

Conventions (ARCH_CONVENTIONS): X ∈ R^{d×m}, first layer W2 ∈ R^{h×d}, output layer
W1 ∈ R^{k×h}, logits Z = W1·φ(W2X) ∈ R^{k×m},

    f(W1, W2) = Σ_{j=1}^m CE_j + (λ1/2)‖W1‖²_F + (λ2/2)‖W2‖²_F   (cross-entropy SUMMED),

k = 1: binary logistic loss CE_j = log(1 + exp(−y_j z_j)), y_j ∈ {−1, +1};
k ≥ 2: softmax cross-entropy with integer labels.  The flat parameter vector is
(vec_row(W1), vec_row(W2)); Hessians are Euclidean, ‖·‖₂ the spectral norm.

Activations are torch callables; :func:`sine_activation` is the family
φ(s) = s + (a/ω)·sin(ωs) used against printed Eq. (31): its exact global constants are
C1 = 1 + a (|sin x| ≤ |x|), C2 = 1 + a, C3 = a·ω (a ≥ 0, ω > 0).

>>> import torch
>>> th = torch.zeros(2 + 2, dtype=torch.float64)  # k=1, h=2, d=1
>>> X = torch.ones(1, 3, dtype=torch.float64); y = torch.tensor([1., -1., 1.], dtype=torch.float64)
>>> round(float(two_layer_ce_loss(th, X, y, hidden=2, k=1, lam1=1.0, lam2=1.0)), 6)  # 3·log 2
2.079442
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

__all__ = ["ACTIVATIONS", "sine_activation", "sine_activation_constants", "two_layer_ce_loss",
           "two_layer_n_params", "two_layer_unflatten", "two_layer_ce_terms",
           "one_unit_f_star_bracket", "two_layer_ce_loss_batched"]

Activation = Callable[[torch.Tensor], torch.Tensor]


def sine_activation(a: float | torch.Tensor, omega: float | torch.Tensor) -> Activation:
    """φ(s) = s + (a/ω)·sin(ωs) (a, ω may be tensors: differentiable in them)."""
    return lambda s: s + (a / omega) * torch.sin(omega * s)


def sine_activation_constants(a: float, omega: float) -> tuple[float, float, float]:
    """Exact (C1, C2, C3) of φ(s) = s + (a/ω)sin(ωs), a ≥ 0, ω > 0: (1 + a, 1 + a, aω).

    Attained: C1 as s → 0 (φ(s)/s → 1 + a), C2 at s = 0, C3 at ωs = π/2.
    """
    if not (a >= 0 and omega > 0 and math.isfinite(a) and math.isfinite(omega)):
        raise ValueError(f"need a >= 0 and omega > 0 finite, got a={a!r}, omega={omega!r}")
    return 1.0 + a, 1.0 + a, a * omega


ACTIVATIONS: dict[str, Activation] = {
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "gelu": F.gelu,
    "silu": F.silu,
    "identity": lambda s: s,
}


def two_layer_n_params(d: int, hidden: int, k: int) -> int:
    """k·h + h·d."""
    return k * hidden + hidden * d


def two_layer_unflatten(theta: torch.Tensor, d: int, hidden: int, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(W1 ∈ R^{k×h}, W2 ∈ R^{h×d}) from the flat vector."""
    n1 = k * hidden
    return theta[:n1].reshape(k, hidden), theta[n1:n1 + hidden * d].reshape(hidden, d)


def two_layer_ce_terms(
    theta: torch.Tensor, X: torch.Tensor, labels: torch.Tensor, *, hidden: int, k: int,
    activation: Activation = torch.tanh,
) -> torch.Tensor:
    """Unregularised summed cross-entropy L_CE(W1, W2) = Σ_j CE_j."""
    W1, W2 = two_layer_unflatten(theta, X.shape[0], hidden, k)
    Z = W1 @ activation(W2 @ X)
    if k == 1:
        return F.softplus(-labels * Z[0]).sum()
    return F.cross_entropy(Z.T, labels, reduction="sum")


def two_layer_ce_loss(
    theta: torch.Tensor, X: torch.Tensor, labels: torch.Tensor, *, hidden: int, k: int,
    lam1: float | torch.Tensor, lam2: float | torch.Tensor, activation: Activation = torch.tanh,
) -> torch.Tensor:
    """f = Σ_j CE_j + (λ1/2)‖W1‖²_F + (λ2/2)‖W2‖²_F (pure function of ``theta``)."""
    W1, W2 = two_layer_unflatten(theta, X.shape[0], hidden, k)
    ce = two_layer_ce_terms(theta, X, labels, hidden=hidden, k=k, activation=activation)
    return ce + 0.5 * lam1 * (W1 * W1).sum() + 0.5 * lam2 * (W2 * W2).sum()


def _softplus_np(x):
    import numpy as np
    return np.logaddexp(0.0, x)


def one_unit_f_star_bracket(
    x_norm: float, lam1: float, lam2: float, a: float, omega: float, *, cells: int = 200_000,
    return_argmin: bool = False,
) -> tuple[float, ...]:
    """Certified bracket [lo, hi] ∋ f* for the one-hidden-unit, one-sample, binary network.

    Model: k = h = m = 1, any d, f(w, v) = log(1 + exp(−y·w·φ(v·x))) + (λ1/2)w² + (λ2/2)‖v‖²
    with φ(s) = s + (a/ω)sin(ωs).  Reduction (exact): for s = v·x the smallest ‖v‖² is
    s²/‖x‖², and the inner minimum over w depends on t = |φ(s)| only:
    ψ(t) = min_w log(1 + e^{−wt}) + λ1w²/2 (convex, λ1-strongly convex in w, non-increasing in t), so

        f* = min_s ψ(|φ(s)|) + λ2 s²/(2‖x‖²),   |s| ≤ S = ‖x‖·√(2 log 2/λ2)

    (s = 0 gives f = log 2, so any minimiser has λ2s²/(2‖x‖²) ≤ log 2).  Lower bound: on each of
    ``cells`` cells of [−S, S], |φ| ≤ |φ(centre)| + C2·halfwidth (C2 = 1 + a) and ψ is
    non-increasing, so the cell minimum is ≥ ψ_lo(that bound) + λ2·min s²/(2‖x‖²), where
    ψ_lo(t) = h(w̃) − h'(w̃)²/(2λ1) ≤ ψ(t) for any w̃ (strong convexity; w̃ by bisection on h').
    Upper bound: f at the best cell centre (an attained value).  A relative margin of 1e-12
    covers float64 rounding in these few operations.  ``return_argmin=True`` also returns
    (w, s) of the best cell centre (an approximate global minimiser: W1 = y·w, v·x = s).

    >>> lo, hi = one_unit_f_star_bracket(1.0, 1.0, 1.0, 0.0, 1.0)
    >>> 0 <= lo <= hi and hi - lo < 1e-4
    True
    """
    import numpy as np

    for name, v, low in (("x_norm", x_norm, 0.0), ("lam1", lam1, 0.0), ("lam2", lam2, 0.0), ("omega", omega, 0.0)):
        if not (math.isfinite(v) and v > low):
            raise ValueError(f"{name} must be finite and > 0, got {v!r}")
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"a must be finite and >= 0, got {a!r}")
    S = x_norm * math.sqrt(2.0 * math.log(2.0) / lam2)
    edges = np.linspace(-S, S, cells + 1)
    c = 0.5 * (edges[:-1] + edges[1:])
    hw = 0.5 * (edges[1] - edges[0])
    phi = lambda s: s + (a / omega) * np.sin(omega * s)
    C2 = 1.0 + a

    def psi_parts(t):
        # minimiser of h(w) = softplus(−wt) + λ1w²/2 lies in [0, t/λ1] (h'(0) ≤ 0 ≤ h'(t/λ1))
        lo_w, hi_w = np.zeros_like(t), t / lam1
        for _ in range(40):  # bracket width (t/λ1)·2^-40: ample (the bound is valid for any w̃)
            mid = 0.5 * (lo_w + hi_w)
            dh = -t / (1.0 + np.exp(mid * t)) + lam1 * mid
            neg = dh < 0
            lo_w = np.where(neg, mid, lo_w)
            hi_w = np.where(neg, hi_w, mid)
        w = 0.5 * (lo_w + hi_w)
        h = _softplus_np(-w * t) + 0.5 * lam1 * w * w
        dh = -t / (1.0 + np.exp(w * t)) + lam1 * w
        return h, h - dh * dh / (2.0 * lam1), w

    t_centre = np.abs(phi(c))
    with np.errstate(over="ignore"):  # exp(w·t) = inf gives the exact limit σ(−w·t) = 0
        h_centre, _, w_centre = psi_parts(t_centre)
    upper = h_centre + lam2 * c * c / (2.0 * x_norm**2)
    t_max = t_centre + C2 * hw
    with np.errstate(over="ignore"):
        _, psi_lo, _ = psi_parts(t_max)
    s2_min = np.where(np.abs(c) <= hw, 0.0, (np.abs(c) - hw) ** 2)
    lower = psi_lo + lam2 * s2_min / (2.0 * x_norm**2)
    lo = float(lower.min())
    j = int(np.argmin(upper))
    hi = float(upper[j])
    lo = max(0.0, lo - 1e-12 * (1.0 + abs(lo)))
    if return_argmin:
        return lo, hi, float(w_centre[j] * np.sign(phi(c[j]) or 1.0)), float(c[j])
    return lo, hi


def two_layer_ce_loss_batched(
    theta: torch.Tensor, X: torch.Tensor, labels: torch.Tensor, *, hidden: int, k: int,
    lam1: torch.Tensor, lam2: torch.Tensor, activation: Activation = torch.tanh,
) -> torch.Tensor:
    """Batched :func:`two_layer_ce_loss`: theta [B, n], X [B, d, m], labels [B, m], λ's [B] → [B]."""
    B, d = theta.shape[0], X.shape[1]
    W1 = theta[:, :k * hidden].reshape(B, k, hidden)
    W2 = theta[:, k * hidden:k * hidden + hidden * d].reshape(B, hidden, d)
    Z = W1 @ activation(W2 @ X)
    if k == 1:
        ce = F.softplus(-labels * Z[:, 0]).sum(-1)
    else:
        ce = -(torch.log_softmax(Z, dim=1).gather(1, labels[:, None, :])).sum(dim=(-2, -1))
    return ce + 0.5 * lam1 * (W1 * W1).sum(dim=(-2, -1)) + 0.5 * lam2 * (W2 * W2).sum(dim=(-2, -1))
