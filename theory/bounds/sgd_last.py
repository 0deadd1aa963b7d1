"""Last-iterate expected gap of SGD under interpolation with **convex** components — the toolkit's own (claim
"Thm SGD last iterate (convex f_i)"; the paper's stochastic statement is unknown, NOTES §5).

Setting of :mod:`warmup_theory.theory.bounds.sgd_common` plus the extra, named hypothesis: **every f_i is
convex** (this implies per-sample θ-aiming with θ = 1).  G = h(X0) (h =
:func:`~warmup_theory.theory.bounds.sgd_common.gap_from_distance`, X0 = dist(w0, X*)²), G_f = 2H0 + H1·G.
Both schedules keep X_k <= X0 on every path (claim "Lemma SGD distance step"), so every Δ_S(w_k) <= G.

Per step, for **any** comparator u measurable w.r.t. F_t (convexity of f_S against u, ‖∇f_S‖² <= 2H0Δ_S +
H1Δ_S² <= G_f·Δ_S, f_S(u) − f* >= 0):

* fixed η ∈ (0, 2/G_f): ‖w_{t+1} − u‖² <= ‖w_t − u‖² − 2ηλ·Δ_S(w_t) + 2η·Δ_S(u), λ = 1 − η·G_f/2;
* warm-up step η_t = 1/(aH0 + bH1Δ_S), v = max(2/a, 1/b) < 2, c = 2 − v: η_t·(2H0 + H1Δ_S) <= v and
  1/(aH0 + bH1G) <= η_t <= 1/(aH0) pathwise (no independence of η_t and S_t is used), so
  ‖w_{t+1} − u‖² <= ‖w_t − u‖² − cη_t·Δ_S(w_t) + 2η_t·Δ_S(u)
                  <= ‖w_t − u‖² − (c/(aH0 + bH1G))·Δ_S(w_t) + (2/(aH0))·Δ_S(u)
  (η_t multiplies Δ_S(w_t) − Δ_S(u), which can be negative, so the two sign-definite terms are bounded
  separately, before any expectation: the lower bound on η_t against −cΔ_S(w_t) <= 0, the upper one against
  2Δ_S(u) >= 0).  Both schedules read ‖w_{t+1} − u‖² <= ‖w_t − u‖² − α·Δ_S(w_t) + β·Δ_S(u) with
  fixed α = 2ηλ, β = 2η; warm-up α = c/(aH0 + bH1G), β = 2/(aH0); λ = α/β, D = X0/α.

Taking E (E[Δ_{S_t}(u) | F_t] = Δ(u)) and summing t = s..T with q_t = E[f(w_t) − f*], S_s = Σ_{t=s}^{T} q_t:
u = p(w0) ∈ X* gives S_0 <= D (fixed D = X0/(2ηλ); warm-up D = X0(aH0 + bH1G)/c); u = w_s gives
λ·S_s <= (T − s + 1)·q_s, i.e. S_{s+1} <= (1 − λ/(T − s + 1))·S_s.  Hence

    E[f(w_T) − f*] = S_T <= D·Π_{m=2}^{T+1}(1 − λ/m) <= D·(2/(T + 2))^λ     (and <= G, pathwise),

a rate T^{−λ}, 0 < λ < 1 (λ = 1/2 at the default fixed step 1/G_f; c/2 = 1 − max(1/a, 1/(2b)) at H1 = 0 for
the warm-up step, 1 − 1/a when b >= a/2 as for (10, 20)); 0 <= 1 − λ/m for m >= 2 lets the factors be chained.
:func:`sgd_convex_last_iterate_iterations` returns K = ceil(2·(D/ε)^{1/λ} − 2) (0 when G <= ε).  The batch
size does not enter (the bounds use Δ_S <= G pathwise, not Δ_S <= M·Δ); batch and n are validated only.
(a, b) belong to the warm-up step (default (10, 20)), η to the fixed one; giving either to the other schedule is a
ValueError.  A numeric η (float or sympy number) is checked against 2/G_f whenever H0, H1, dist0 are numeric; on
the symbolic path the hypotheses η < 2/G_f and max(2/a, 1/b) < 2 are the caller's.

>>> sgd_convex_last_iterate_iterations(1.0, 0.0, 1.0, 1e-2, batch=1, n=4)   # fixed η = 1/(2H0): λ = 1/2, D = 2
79998.0
>>> round(sgd_convex_last_iterate_gap(1.0, 0.0, 1.0, 79998, batch=1, n=4), 12)   # D·(2/(K + 2))^λ = ε
0.01
>>> sgd_convex_last_iterate_iterations(1.0, 0.0, 1.0, 1e-2, batch=1, n=4, eta=0.05)   # smaller η: λ = 0.95
3035.0
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from warmup_theory.theory.bounds.common import NONNEG, POS, backend, checked
from warmup_theory.theory.bounds.sgd_common import (
    check_int,
    check_sgd_args,
    float_or_inf,
    gap_from_distance_exact,
    sgd_step_factor,
)
from warmup_theory.theory.bounds.steps import _check_H
from warmup_theory.theory.validate import is_symbolic

__all__ = ["convex_last_iterate_constants", "sgd_convex_last_iterate_gap", "sgd_convex_last_iterate_iterations",
           "SCHEDULES"]

#: the schedules of the convex last-iterate bound
SCHEDULES = ("fixed", "adaptive")


def convex_last_iterate_constants(H0: Any, H1: Any, dist0: Any, *, schedule: str = "fixed", eta: Any = None,
                                  a: Any = None, b: Any = None) -> tuple[Any, Any, Any]:
    """(G, D, λ) of the module docstring: E[f(w_T) − f*] <= min(G, D·(2/(T + 2))^λ).

    fixed: G_f = 2H0 + H1·G, η ∈ (0, 2/G_f) (default 1/G_f), λ = 1 − ηG_f/2, D = X0/(2ηλ);
    adaptive: c = 2 − max(2/a, 1/b) > 0, λ = c·aH0/(2(aH0 + bH1G)), D = X0(aH0 + bH1G)/c.
    Numeric path: mpmath numbers (G may pass the float range); symbolic path: sympy.

    >>> G, D, lam = convex_last_iterate_constants(1.0, 0.0, 1.0, schedule="adaptive")
    >>> float(G), round(float(D), 6), round(float(lam), 6)     # G = H0·X0/2, D = X0·aH0/c, λ = c/2
    (0.5, 5.555556, 0.9)
    """
    _check_H(H0, H1)
    checked(H0=(H0, POS), dist0=(dist0, NONNEG))
    if not isinstance(schedule, str) or schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    ops, (h0, h1, d) = backend(H0, H1, dist0)
    X0 = d * d
    G = gap_from_distance_exact(h0, h1, X0)
    if schedule == "adaptive":
        if eta is not None:
            raise ValueError(f"eta applies to schedule='fixed' only, got eta={eta!r}")
        a, b = (10 if a is None else a), (20 if b is None else b)
        v = sgd_step_factor(a, b)
        ops_ab, (av, bv, vv) = backend(a, b, v)
        if not ops_ab.symbolic and vv >= 2:
            raise ValueError(f"(a, b) must have max(2/a, 1/b) < 2 (theta = 1 for convex f_i), got a={a!r}, b={b!r}")
        c = 2 - vv
        den = av * h0 + bv * h1 * G
        return G, X0 * den / c, c * av * h0 / (2 * den)
    if a is not None or b is not None:
        raise ValueError(f"a and b apply to schedule='adaptive' only (the fixed step is eta), got a={a!r}, b={b!r}")
    Gf = 2 * h0 + h1 * G
    if eta is None:
        e = 1 / Gf
    else:
        checked(eta=(eta, POS))
        sym_eta = ops.symbolic or is_symbolic(eta)
        if sym_eta:
            e = sp.sympify(eta)
        else:   # floats, numpy and sympy numbers alike: 45 digits, then the range check
            e = mpmath.mpf(str(sp.N(eta, 45))) if isinstance(eta, sp.Basic) else mpmath.mpf(float(eta))
        if not sym_eta and e * Gf >= 2:
            raise ValueError(f"eta must be in (0, 2/G_f) = (0, {float(2 / Gf)!r}), G_f = 2*H0 + H1*h(dist0**2), "
                             f"got {eta!r}")
    lam = 1 - e * Gf / 2
    return G, X0 / (2 * e * lam), lam


def _common(H0: Any, H1: Any, dist0: Any, batch: Any, n: Any, replacement: Any, schedule: str, eta: Any,
            a: Any, b: Any) -> tuple[Any, Any, Any, bool]:
    check_sgd_args(batch, n, replacement)
    G, D, lam = convex_last_iterate_constants(H0, H1, dist0, schedule=schedule, eta=eta, a=a, b=b)
    return G, D, lam, any(isinstance(x, sp.Basic) for x in (G, D, lam))


def sgd_convex_last_iterate_gap(H0: Any, H1: Any, dist0: Any, T: int, *, batch: int, n: int,
                                schedule: str = "fixed", eta: Any = None, a: Any = None, b: Any = None,
                                replacement: bool = False) -> Any:
    """The bound min(G, D·(2/(T + 2))^λ) on E[f(w_T) − f*] after T SGD steps, convex f_i (module docstring).

    >>> sgd_convex_last_iterate_gap(1.0, 0.0, 1.0, 0, batch=1, n=2)   # T = 0: G = H0·X0/2
    0.5
    """
    T = check_int("T", T, 0)
    G, D, lam, sym = _common(H0, H1, dist0, batch, n, replacement, schedule, eta, a, b)
    if sym:
        return sp.Min(G, D * (sp.Rational(2, T + 2)) ** lam)
    with mpmath.workdps(40):
        val = min(G, D * (mpmath.mpf(2) / (T + 2)) ** lam)
    return float_or_inf(val)


def sgd_convex_last_iterate_iterations(H0: Any, H1: Any, dist0: Any, eps: Any, *, batch: int, n: int,
                                       schedule: str = "fixed", eta: Any = None, a: Any = None,
                                       b: Any = None, replacement: bool = False) -> Any:
    """K with E[f(w_K) − f*] <= eps for the **last** iterate, every f_i convex: ceil(2·(D/eps)^{1/λ} − 2),
    0 when G = h(dist0²) <= eps (module docstring; claim "Thm SGD last iterate (convex f_i)").

    >>> import sympy as sp
    >>> H0, d, e = sp.symbols("H0 d epsilon", positive=True)
    >>> sgd_convex_last_iterate_iterations(H0, 0, d, e, batch=1, n=3)
    Piecewise((0, epsilon >= H0*d**2/2), (ceiling(8*H0**2*d**4/epsilon**2) - 2, True))
    """
    checked(eps=(eps, POS))
    G, D, lam, sym = _common(H0, H1, dist0, batch, n, replacement, schedule, eta, a, b)
    if sym:
        e = sp.sympify(eps)
        return sp.Piecewise((0, G <= e), (sp.ceiling(2 * (D / e) ** (1 / lam) - 2), True))
    if G <= eps:
        return 0.0
    with mpmath.workdps(40):
        k = mpmath.ceil(max(2 * (D / mpmath.mpf(eps)) ** (1 / lam) - 2, 0))
    return float_or_inf(k)
