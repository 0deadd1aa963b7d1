"""Iteration bounds for SGD with the warm-up step under interpolation — the **toolkit's own** theorems
(the paper's stochastic extension is known only by name, NOTES §5: statement, noise model and rate unknown).

Setting and notation: :mod:`warmup_theory.theory.bounds.sgd_common` (f = mean of n (H0,H1)-smooth f_i sharing
the minimisers X* and the minimum f*, per-sample θ-aiming towards X*, batches of size B uniform with or
without replacement, independent across iterations).  SGD: w_{k+1} = w_k − η_k·∇f_{S_k}(w_k) with

    adaptive (the warm-up step from the mini-batch loss):  η_k = 1/(a·H0 + b·H1·(f_{S_k}(w_k) − f*)),
    fixed:                                                  η_k = η.

Admissible (a, b): a, b > 0 with v = max(2/a, 1/b) < 2θ (θ = 1: a > 1, b > 1/2); Eq. (1) is (10, 20), v = 1/5.
c = 2θ − v.  M = n/B (without replacement) or n (with).  X_k = dist(w_k, X*)², X0 its start value.

**Pathwise step** (claim "Lemma SGD distance step"): given S_k the step is deterministic and
X_{k+1} <= X_k − c·η_k·Δ_{S_k}(w_k): the distance never increases, on every sample path.
**Correlation** (claim "Lemma SGD expected decrement"): η_k and ∇f_{S_k} both depend on S_k; no independence
is used — pointwise Δ_S <= M·Δ and x ↦ 1/(aH0 + bH1x) decreasing give η_SΔ_S >= Δ_S/(aH0 + bH1MΔ), and then
E[Δ_S | w_k] = Δ: E[η_kΔ_{S_k} | w_k] >= Δ_k/(aH0 + bH1·M·Δ_k).

* :func:`sgd_aiming_adaptive_iterations` (claim "Thm SGD aiming"): τ_ε = first k with f(w_k) − f* <= ε has
  E[τ_ε] <= K_E = X0·(a·H0/ε + b·H1·M)/c (optional stopping on X_k + c·Σ_{j<k} η_jΔ_{S_j}), and
  P[τ_ε > K] <= K_E/K (Markov).  B = n (M = 1) is the deterministic Thm 4.2 count.
* :func:`sgd_pl_adaptive_iterations` (claim "Thm SGD PL"; f μ-PL too, hence X <= 2Δ/μ by PL ⇒ QG): τ = first
  k with X_k <= x_ε (:func:`~warmup_theory.theory.bounds.sgd_common.distance_for_gap`); then f(w_k) − f* <= ε
  for **every** k >= τ, and E[τ] <= K_E = (2aH0/(cμ))·(1 + log(X0/x_ε)) + b·H1·M·X0/c (a concave Lyapunov
  function G with G' = 1/Ψ, Ψ(x) = c·(μx/2)/(aH0 + bH1Mμx/2)); P[τ > K] <= K_E/K.  H1 enters additively.
* :func:`sgd_pl_fixed_iterations` (claim "Thm SGD PL fixed"): a fixed η < 2θ/G, G = 2H0 + H1·h(X0) (h =
  :func:`~warmup_theory.theory.bounds.sgd_common.gap_from_distance`, which bounds every Δ_S on the path):
  E[X_k] <= ρ^k·X0, ρ = 1 − η(2θ − ηG)μ/2, so P[τ > k] <= ρ^k·X0/x_ε, E[τ] <= k0 + 1/(1 − ρ),
  k0 = ceil(log(X0/x_ε)/(−log ρ)); default η = θ/G.  G grows like e^{√(H1·X0)}: multiplicative in H1.

Each calculator returns ceil of the expected-time bound (``delta=None``), or with ``delta`` ∈ (0, 1) a K
with P[τ > K] <= δ (under PL: P[f(w_K) − f* > ε] <= δ, as the gap stays <= ε after τ).  ``guarantee=``
(default ``"hitting"``, the values above, unchanged): ``"expected-gap"`` (PL calculators) gives K with
E[f(w_K) − f*] <= ε for the last iterate; ``"random-iterate"`` (aiming) gives K with E[f(w_J) − f*] <= ε for J
uniform on {0, …, K−1} — claim "Thm SGD expected gap", :mod:`~warmup_theory.theory.bounds.sgd_gap`.
0 when the start already satisfies the target.  Without interpolation none of this holds:
:mod:`warmup_theory.theory.stochastic_witness`.

**Last iterate under aiming alone: not given** (``guarantee="expected-gap"`` raises). What is proved is Σ_{k>=0}
E[f(w_k) − f*] <= X0(aH0 + bH1·M·G)/c (G = h(X0)), so E[f(w_k) − f*] -> 0 and the random-iterate count; no rate
for E[f(w_K) − f*] follows: (i) the expected gap is **not monotone** even for convex, PL f_i — f_i = ½(a_iᵀw)²,
a_{1,2} = (1, ±√30), w0 = (1, 0), B = 1 of n = 2 (H0 = 31, H1 = 0): gap0 = 1/2 but E[gap_1] = 96381/192200 for the
warm-up step 1/(10·H0) and 4621/7688 for the fixed step 1/(2H0) (exact, ``stochastic_last.rising_instance``), so a
summable sequence need not be O(1/K) at K; (ii) the last-iterate arguments that avoid monotonicity compare w_K
with earlier iterates through ‖w_{t+1} − w_s‖², which needs ⟨∇f_S(w_t), w_t − w_s⟩ >= f_S(w_t) − f_S(w_s) for
comparators w_s off X*, i.e. convexity — aiming only bounds ⟨∇f_S(w), w − p(w)⟩ towards X*; (iii) the PL route
bounds the gap through the distance, Δ_K <= h(X_K) <= (G/X0)·X_K, and needs E[X_K] to contract, which uses Δ >=
μX/2: under aiming alone X_K is non-increasing but has no rate. Under the **extra hypothesis that every f_i is
convex** the last iterate is covered: :mod:`~warmup_theory.theory.bounds.sgd_last` (claim "Thm SGD last iterate
(convex f_i)"), E[f(w_T) − f*] <= D·(2/(T + 2))^λ, λ <= 1, fixed step and warm-up step.

**Per-sample aiming** (⟨∇f_i(w), w − p(w)⟩ >= θ(f_i(w) − f*) for every i) is used in one place, the pathwise step
of claim "Lemma SGD distance step", and is needed only on the tube {w : dist(w, X*) <= dist(w0, X*)} (the path
never leaves it, by induction on k); convex f_i give θ = 1. Aiming of f alone (⟨∇f, w − p⟩ >= θΔ) does **not**
suffice for these proofs: (i) with the warm-up step η_S and ∇f_S are correlated through S, and E[η_S⟨∇f_S, w − p⟩]
is not bounded below by a multiple of ⟨∇f, w − p⟩ (a component with a negative inner product and a small Δ_S gets
the largest step), so E[X_{k+1} | w_k] <= X_k — the supermartingale behind every theorem here — fails. Computed
instance: f_1 = w²(w − 1)², f_2 = w² (d = 1, B = 1 of n = 2), both minimised at X* = {0} (interpolation), both (3,
50)-smooth (H0 + 50f_1 ± f_1'' has no real root), f aiming with θ = 3/2 everywhere (4w² − 6w + 4 − (3/2)(w² − 2w +
2) has negative discriminant), yet at w = 0.888 the step 1/(10H0 + 20H1·Δ_i) gives E[X⁺] − X = +0.00152 (f_1 has
⟨∇f_1, w⟩ < 0 there and Δ_1 = 0.0099: the larger step goes outwards; ``tests/test_sgd_last.py``); (ii) for every
schedule the pathwise bound X_k <= X0 is lost, and with it Δ_S <= h(X0) on the path — the only uniform control of
the curvature H0 + H1·Δ_S along SGD's path (a fixed step needs η < 2θ/(2H0 + H1·sup Δ_S)). At H1 = 0 (L-smooth
f_i) the standard descent-lemma route E[Δ_{k+1}] <= (1 − 2μη + L·L_max·η²)Δ_k (PL + interpolation, no aiming) is
known but is not a claim here; for H1 > 0 it needs Δ_{S_k} bounded along the path, which without aiming is not
known to the toolkit.

>>> sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2, batch=1, n=4)
600.0
>>> sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8, delta=0.1)
3690.0
>>> sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8, guarantee="expected-gap")  # E[gap_K] <= ε
1581.0
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked
from warmup_theory.theory.bounds.sgd_common import (
    check_delta,
    distance_for_gap,
    float_or_inf,
    gap_from_distance,
    gap_from_distance_mpf,
    sgd_sample_ratio,
)
from warmup_theory.theory.bounds.sgd_gap import (
    aiming_random_iterate_count,
    check_guarantee,
    pl_adaptive_gap_count,
    pl_fixed_gap_count,
)
from warmup_theory.theory.bounds.sgd_last import sgd_convex_last_iterate_iterations
from warmup_theory.theory.bounds.steps import _check_H

__all__ = ["sgd_aiming_adaptive_iterations", "sgd_pl_adaptive_iterations", "sgd_pl_fixed_iterations",
           "sgd_fixed_step", "sgd_convex_last_iterate_iterations"]


def _c(ops: Any, theta: Any, a: Any, b: Any) -> Any:
    """c = 2θ − max(2/a, 1/b) > 0 on back-end ``ops`` (exact when symbolic), or ValueError naming theta, (a, b)."""
    checked(a=(a, POS), b=(b, POS))
    v = ops.max(2 / a, 1 / b)
    c = 2 * theta - v
    if not ops.symbolic and c <= 0:
        raise ValueError(f"theta must be > max(2/a, 1/b)/2 = {v / 2!r} for (a, b) = ({a!r}, {b!r}) "
                         f"(the admissible region is max(2/a, 1/b) < 2*theta), got theta={theta!r}")
    return c


def _finish(ops: Any, K: Any, delta: Any, done: Any) -> Any:
    """ceil(K) or ceil(K/δ), 0 where ``done`` (the start already meets the target)."""
    val = K if delta is None else K / (sp.sympify(delta) if ops.symbolic else float(delta))
    out = ops.where((done, lambda: 0), otherwise=lambda: ops.ceil(val))
    return out if ops.symbolic else float(out)


def _exact_M(batch: int, n: int, replacement: bool) -> Any:
    """The sampling ratio M as an exact sympy number (symbolic path): n/B, or n with replacement."""
    return sp.Integer(int(n)) if replacement else sp.Rational(int(n), int(batch))


def _common(H0: Any, H1: Any, eps: Any, batch: Any, n: Any, replacement: Any, delta: Any) -> float:
    _check_H(H0, H1)
    checked(H0=(H0, POS), eps=(eps, POS))
    check_delta(delta)
    return sgd_sample_ratio(batch, n, replacement)


def sgd_aiming_adaptive_iterations(H0: Any, H1: Any, theta: Any, dist0: Any, eps: Any, *, batch: int, n: int,
                                   delta: Any = None, a: Any = 10, b: Any = 20, replacement: bool = False,
                                   gap0: Any = None, guarantee: str = "hitting") -> Any:
    """SGD with η_k = 1/(aH0 + bH1(f_{S_k}(w_k) − f*)), per-sample θ-aiming, interpolation (module docstring).

    K_E = dist0²·(a·H0/eps + b·H1·M)/(2θ − max(2/a, 1/b)) bounds E[τ_ε], τ_ε the first k with
    f(w_k) − f* <= eps; ``delta``: ceil(K_E/δ), with P[τ_ε > K] <= δ.  ``gap0 <= eps`` gives 0.
    ``guarantee="random-iterate"``: ceil(X0(aH0 + bH1·M·G)/(c·eps)), G = h(dist0²), with E[f(w_J) − f*] <= eps
    for J uniform on {0, …, K−1} (:mod:`~warmup_theory.theory.bounds.sgd_gap`); the last iterate is not covered
    under aiming alone (``"expected-gap"`` raises).

    >>> sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2, batch=4, n=4)   # = Thm 4.2's 567 (M = 1)
    567.0
    >>> import sympy as sp
    >>> h0, h1, d, e, M = sp.symbols("H0 H1 d epsilon M", positive=True)
    >>> sgd_aiming_adaptive_iterations(h0, h1, 1, d, e, batch=1, n=3)
    ceiling(5*d**2*(10*H0/epsilon + 60*H1)/9)
    """
    if guarantee == "expected-gap":
        raise ValueError("guarantee='expected-gap' (the last iterate) is not proved under aiming alone: the gap "
                         "may rise again after tau; use guarantee='random-iterate', a PL calculator, or (every "
                         "f_i convex) sgd_last.sgd_convex_last_iterate_iterations")
    check_guarantee(guarantee, delta, ("hitting", "random-iterate"))
    M = _common(H0, H1, eps, batch, n, replacement, delta)
    checked(theta=(theta, POS), dist0=(dist0, NONNEG))
    if gap0 is not None:
        checked(gap0=(gap0, NONNEG))
    ops, (H0, H1, dist0, eps, a, b, theta) = backend(H0, H1, dist0, eps, a, b, theta)
    c = _c(ops, theta, a, b)
    M = _exact_M(batch, n, replacement) if ops.symbolic else M
    if guarantee == "random-iterate":
        return aiming_random_iterate_count(H0, H1, a, b, c, M, dist0 * dist0, eps)
    K = dist0 * dist0 * (a * H0 / eps + b * H1 * M) / c
    done = False if gap0 is None else (sp.sympify(gap0) if ops.symbolic else float(gap0)) <= eps
    return _finish(ops, K, delta, done)


def _x0(mu: Any, gap0: Any, dist0: Any) -> Any:
    """X0 = dist0² when given, else 2·gap0/μ (PL ⇒ quadratic growth)."""
    if dist0 is not None:
        checked(dist0=(dist0, NONNEG))
        ops, (d,) = backend(dist0)
        return d * d
    ops, (mu, gap0) = backend(mu, gap0)
    return 2 * gap0 / mu


def sgd_pl_adaptive_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, *, batch: int, n: int,
                               delta: Any = None, theta: Any = 1, a: Any = 10, b: Any = 20,
                               replacement: bool = False, dist0: Any = None, guarantee: str = "hitting") -> Any:
    """SGD with the warm-up step from the mini-batch loss, f μ-PL, per-sample θ-aiming, interpolation.

    K_E = (2aH0/(cμ))·(1 + log(X0/x_ε)) + b·H1·M·X0/c bounds E[τ], τ = first k with dist(w_k, X*)² <= x_ε,
    after which f(w_k) − f* <= eps for every k; X0 = dist0² (default 2·gap0/μ), c = 2θ − max(2/a, 1/b).
    ``delta``: ceil(K_E/δ) with P[some k >= K has f(w_k) − f* > eps] <= δ.  0 when X0 <= x_ε.
    ``guarantee="expected-gap"``: K with E[f(w_K) − f*] <= eps for the last iterate, ceil(log(G/eps)/(−log(1 − r))),
    G = h(X0), r = cμ/(2aH0 + bH1MμX0) (:mod:`~warmup_theory.theory.bounds.sgd_gap`); 0 when G <= eps.

    >>> sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8)
    369.0
    >>> sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8, delta=1.5)
    Traceback (most recent call last):
    ...
    ValueError: delta must be in (0, 1), got 1.5
    """
    check_guarantee(guarantee, delta, ("hitting", "expected-gap"))
    M = _common(H0, H1, eps, batch, n, replacement, delta)
    checked(mu=(mu, POS), gap0=(gap0, NONNEG), theta=(theta, POS))
    X0 = _x0(mu, gap0, dist0)
    xe = distance_for_gap(H0, H1, eps)
    ops, (H0, H1, mu, a, b, theta, X0, xe) = backend(H0, H1, mu, a, b, theta, X0, xe)
    c = _c(ops, theta, a, b)
    M = _exact_M(batch, n, replacement) if ops.symbolic else M
    if guarantee == "expected-gap":
        return pl_adaptive_gap_count(H0, H1, mu, a, b, c, M, X0, eps)
    K = 2 * a * H0 / (c * mu) * (1 + ops.log(ops.max(X0, xe) / xe)) + b * H1 * M * X0 / c
    return _finish(ops, K, delta, X0 <= xe)


def _fixed_G(H0: Any, H1: Any, X0: Any) -> Any:
    """G = 2H0 + H1·h(X0) (mpmath on the numeric path: h(X0) may pass the float range)."""
    ops, (H0v, H1v, X0v) = backend(H0, H1, X0)
    if ops.symbolic:
        return 2 * H0v + H1v * gap_from_distance(H0v, H1v, X0v)
    with mpmath.workdps(40):
        return 2 * mpmath.mpf(H0v) + mpmath.mpf(H1v) * gap_from_distance_mpf(H0v, H1v, X0v)


def sgd_fixed_step(H0: Any, H1: Any, theta: Any, X0: Any) -> Any:
    """Default fixed SGD step θ/G, G = 2H0 + H1·h(X0) (the η maximising η(2θ − ηG)); every η < 2θ/G is covered.

    >>> sgd_fixed_step(1.0, 0.0, 1.0, 4.0)
    0.5
    """
    _check_H(H0, H1)
    checked(theta=(theta, POS), X0=(X0, NONNEG))
    ops, (_, _, th, _) = backend(H0, H1, theta, X0)
    G = _fixed_G(H0, H1, X0)
    return th / G if ops.symbolic else float(th / G)


def sgd_pl_fixed_iterations(H0: Any, H1: Any, mu: Any, gap0: Any, eps: Any, *, batch: int, n: int,
                            delta: Any = None, theta: Any = 1, eta: Any = None, replacement: bool = False,
                            dist0: Any = None, guarantee: str = "hitting") -> Any:
    """Fixed-step SGD, f μ-PL, per-sample θ-aiming, interpolation: E[τ] <= k0 + 1/(1 − ρ) (module docstring).

    ρ = 1 − η(2θ − ηG)μ/2, G = 2H0 + H1·h(X0), 0 < η < 2θ/G (default θ/G), k0 = ceil(log(X0/x_ε)/(−log ρ));
    ``delta``: ceil(log(X0/(x_ε·δ))/(−log ρ)).  τ as in :func:`sgd_pl_adaptive_iterations`.  The bound does not
    depend on the batch (η is deterministic; Δ_S <= h(X) on every path); batch and n are validated only.
    ``guarantee="expected-gap"``: ceil(log(G_h/eps)/(−log ρ)), G_h = h(X0), with E[f(w_K) − f*] <= eps.

    >>> sgd_pl_fixed_iterations(1.0, 0.0, 0.5, 1.0, 1e-3, batch=2, n=8)
    65.0
    """
    check_guarantee(guarantee, delta, ("hitting", "expected-gap"))
    _common(H0, H1, eps, batch, n, replacement, delta)
    checked(mu=(mu, POS), gap0=(gap0, NONNEG), theta=(theta, POS))
    X0 = _x0(mu, gap0, dist0)
    xe = distance_for_gap(H0, H1, eps)
    G = _fixed_G(H0, H1, X0)
    ops, (H0v, H1v, muv, th, X0v, xev) = backend(H0, H1, mu, theta, X0, xe)
    if ops.symbolic:
        e = th / G if eta is None else sp.sympify(eta)
        rho = 1 - e * (2 * th - e * G) * muv / 2
        if guarantee == "expected-gap":
            return pl_fixed_gap_count(H0v, H1v, X0v, rho, sp.sympify(eps))
        lg = ops.log(X0v / xev) if delta is None else ops.log(X0v / (xev * sp.sympify(delta)))
        K = ops.ceil(lg / (-ops.log(rho))) + (1 / (1 - rho) if delta is None else 0)
        return ops.where((X0v <= xev, lambda: 0), otherwise=lambda: K)
    if eta is None:
        e = th / G
    else:
        checked(eta=(eta, POS))
        if float(eta) >= float(2 * th / G):
            raise ValueError(f"eta must be in (0, 2*theta/G) = (0, {float(2 * th / G)!r}), G = 2*H0 + H1*h(X0), "
                             f"got {eta!r}")
        e = mpmath.mpf(float(eta))
    with mpmath.workdps(40):
        x = e * (2 * th - e * G) * muv / 2  # 1 − ρ
        if guarantee == "expected-gap":
            return pl_fixed_gap_count(H0v, H1v, X0v, 1 - x, eps)
        if X0v <= xev:
            return 0.0
        if x >= 1:
            return 1.0
        rate = -mpmath.log1p(-x)  # −log ρ
        if delta is None:
            k = mpmath.ceil(mpmath.ceil(mpmath.log(mpmath.mpf(X0v) / mpmath.mpf(xev)) / rate) + 1 / x)
        else:
            k = mpmath.ceil(mpmath.log(mpmath.mpf(X0v) / (mpmath.mpf(xev) * mpmath.mpf(delta))) / rate)
        return float_or_inf(k)
