"""Claims for the bounds that are classical at H1 = 0 (:mod:`warmup_theory.theory.bounds.sharp`).

* ``Aiming fixed-step bound (sharp)`` — the toolkit's own: θ > 1/2, 0 < η <= (2 − 1/θ)/L0, L0 = H0 + H1·gap0;
  K = least K with ε·K + (θ²ε²/d²)(c·K(K−1)/2 + β·K) >= d²/(2ηθ), c = η(1 − L0η/2), β = c − η/(2θ).
* ``PL warm-up contraction bound`` — the toolkit's own: the warm-up family η_k = 1/(aH0 + bH1Δ_k) (a, b > 1/2)
  contracts the gap by ρ = 1 − (2 − r)μ/(aH0 + bH1·gap0) per step, r = max(1/a, 1/b); at H1 = 0 this is the
  classical rate 1 − 2μη(1 − H0η/2) of the fixed step η = 1/(aH0) (a <= b), and ρ is continuous as H1 → 0.

Norm: Euclidean; Δ = f(w) − f*; D = dist(w, S)²; counts are iteration indices of plain GD.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.claims.bounds_extra import _member_fns
from warmup_theory.proofs_checks.fixtures.gd_runs import gd_run, pl_instance, pl_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B
from warmup_theory.theory.bounds.sharp import aiming_fixed_sharp_count

__all__ = ["sharp_aiming_run"]


def sharp_aiming_run(rng: np.random.Generator, kind: str) -> tuple[float, float]:
    """(observed first k with Δ_k <= ε, sharp count) for float64 GD with a random step in the sharp range on
    one random member (quadratic / cosh / quartic of ``bounds_extra``), θ uniform in (1/2, member's constant]."""
    H0 = np.array([rng.uniform(0.2, 3.0)])
    H1 = H0 * 10 ** rng.uniform(-1.5, 0.5) if kind != "quartic" else np.array([rng.uniform(0.3, 3.0)])
    gap0 = float((H0 / H1 * 10 ** rng.uniform(-1.5, 1.0))[0])
    f, df, start, th_max = _member_fns(kind, H0, H1, rng)
    theta = float(rng.uniform(0.55, th_max))
    L0 = float(H0[0] + H1[0] * gap0)
    eta = float(rng.uniform(0.1, 1.0)) * (2 - 1 / theta) / L0
    w = start(np.array([gap0 * rng.uniform(0.3, 1.0)]))
    eps = gap0 * 10 ** rng.uniform(-3.0, -0.5)
    bound = aiming_fixed_sharp_count(L0, theta, abs(float(w[0])), eps, eta)
    k, d = 0, float(f(w)[0])
    while d > eps and k <= bound + 1:
        w = w - eta * df(w)
        d, k = float(f(w)[0]), k + 1
    return (float(k) if d <= eps else math.inf), bound


def _run_kind(kind: str, rng: np.random.Generator) -> tuple[float, float]:
    return sharp_aiming_run(rng, kind)


def _is_least(rng: np.random.Generator) -> bool:
    """The calculator's count is the least K with q(K) >= d²/(2ηθ), re-evaluated in floats on a random instance."""
    L, th = rng.uniform(0.2, 5.0), rng.uniform(0.55, 3.0)
    d, e = 10 ** rng.uniform(-1, 1), 10 ** rng.uniform(-4, 0)
    et = rng.uniform(0.05, 1.0) * (2 - 1 / th) / L
    K = aiming_fixed_sharp_count(L, th, d, e, et)
    c = et * (1 - L * et / 2)
    b = c - et / (2 * th)

    def q(n: float) -> float:
        return e * n + th**2 * e**2 / d**2 * (c * n * (n - 1) / 2 + b * n)

    C = d**2 / (2 * et * th)
    return bool(q(K) >= C * (1 - 1e-12) and (K == 0 or q(K - 1) < C * (1 + 1e-12)))


@claim("Aiming fixed-step bound (sharp)",
       "θ-aiming (H0,H1)-smooth f, θ > 1/2, Δ0 <= gap0, dist0 = d, 0 < η <= (2 − 1/θ)/L0: Δ_k <= ε for k >= "
       "the least K with εK + (θ²ε²/d²)(cK(K−1)/2 + βK) >= d²/(2ηθ), c = η(1 − L0η/2), β = c − η/(2θ) (toolkit's own; "
       "classical at H1 = 0)")
def aiming_fixed_sharp(p: Proof) -> None:
    """Sharp aiming count: one-step inequalities and the summation in sympy, then GD on random members."""
    L0, eta, th, D, G, P, eps, d0, K = sp.symbols("L0 eta theta Delta G P epsilon d0 K", positive=True)
    s, t, u = sp.symbols("s t u", positive=True)
    c = eta * (1 - L0 * eta / 2)
    beta = c - eta / (2 * th)
    # (1) descent with the run's curvature L <= L0 (the gap never increases: η < 2/L0)
    p.uses("Lemma safe step", "η <= 2/L, L = H0 + H1Δ: Δ⁺ <= Δ − η(1 − Lη/2)·g²")
    p.uses("Lemma fixed-step stability", "η <= 2/L0: the gap never increases, so L = H0 + H1Δ_k <= L0")
    p.leq(eta * (1 - L0 * eta / 2), eta * (1 - L0 / (1 + t) * eta / 2),
          "L = L0/(1+t) <= L0 ⇒ η(1 − Lη/2) >= c = η(1 − L0η/2): Δ_k − Δ_{k+1} >= c·g_k²")
    # (2) distance: ‖w⁺ − p‖² = D − 2ηP + η²G (P = ⟨g, w − p⟩), aiming P >= θΔ
    p.cite("‖a − ηv‖² = ‖a‖² − 2η⟨v, a⟩ + η²‖v‖² (bilinearity of the inner product), a = w_k − p_k, p_k = proj_S(w_k); "
           "dist(w_{k+1}, S)² <= ‖w_{k+1} − p_k‖² (distance = infimum)", standard=True)
    p.identity(P / th - c * G, (2 * eta * P - eta**2 * G) / (2 * eta * th) + G * (eta / (2 * th) - c),
               "P/θ − cG = (D_k − ‖w_{k+1} − p_k‖²)/(2ηθ) − βG: with Δ_{k+1} <= Δ_k − cG <= P/θ − cG, "
               "Δ_{k+1} <= (D_k − D_{k+1})/(2ηθ) − β·g_k²")
    th_ = sp.Rational(1, 2) + u  # θ > 1/2
    eta_ = (2 - 1 / th_) / (L0 * (1 + s))  # η <= (2 − 1/θ)/L0
    p.nonneg(sp.factor(sp.simplify(beta.subs({th: th_, eta: eta_}))),
             "θ > 1/2 and η <= (2 − 1/θ)/L0 ⇒ β = η(1 − L0η/2 − 1/(2θ)) >= 0")
    p.cite("D_{k+1} <= D_k − 2ηθ(Δ_{k+1} + β·g_k²) <= D_k (the previous line rearranged; Δ, β >= 0): the distance "
           "never increases, D_k <= d²", standard=True)
    p.cite("Cauchy–Schwarz: θΔ_k <= ⟨g_k, w_k − p_k⟩ <= ‖g_k‖·dist(w_k, S) <= ‖g_k‖·d, so g_k² >= θ²Δ_k²/d²",
           standard=True)
    # (3) summation
    k = sp.Symbol("k", integer=True, positive=True)
    p.identity(sp.summation(K - k, (k, 1, K)), K * (K - 1) / 2, "Σ_{k=1}^{K} (K − k) = K(K−1)/2")
    p.cite("summing (2) over k < K: Σ_{k=1}^{K} Δ_k <= d²/(2ηθ) − β Σ_{k<K} g_k²; by (1) and g_j² >= θ²Δ_j²/d² >= "
           "θ²Δ_K²/d² (the gap never increases), Δ_k >= Δ_K + (K − k)·cθ²Δ_K²/d² and Σ_{k<K} g_k² >= Kθ²Δ_K²/d² "
           "(monotone sums of non-negative terms)", standard=True)
    cc, bb, n = sp.symbols("c beta n", nonnegative=True)

    def q(x: sp.Expr) -> sp.Expr:
        return (1 + n) * x + th**2 * x**2 / d0**2 * (cc * (1 + n) * n / 2 + bb * (1 + n))

    p.leq(q(eps), q(eps * (1 + t)),
          "q(x) = Kx + (θ²x²/d²)(cK(K−1)/2 + βK), K = 1 + n, is increasing in x >= 0 (c, β >= 0): if Δ_K > ε then "
          "q(Δ_K) > q(ε) >= d²/(2ηθ), contradicting the sum — so Δ_K <= ε, and Δ_j <= Δ_K for j >= K")
    # implementation cross-checks
    rng = np.random.default_rng(7)
    least = all(_is_least(rng) for _ in range(200))
    p.fact("aiming_fixed_sharp_count is the least K with q(K) >= d²/(2ηθ) (200 random instances, float re-check)",
           least, method="instance", role="check")
    ex = B.aiming_fixed_iterations(1.0, 0.0, 1.0, 1.0, 1.0, 1e-2, eta=1.0)
    p.fact("H1 = 0, θ = 1: the classical step η = 1/L is accepted (count 46 at L = d = 1, ε = 1e-2)", ex == 46.0,
           method="instance", role="check")
    for kind in ("quadratic", "cosh", "quartic"):
        p.sample(f"float64 GD on {kind} members with η <= (2 − 1/θ)/L0 reaches ε within the sharp count",
                 functools.partial(_run_kind, kind), 40, seed=3)


@claim("PL warm-up contraction bound",
       "μ-PL (H0,H1)-smooth f, η_k = 1/(aH0 + bH1Δ_k), a, b > 1/2: Δ_k <= ε for k >= ceil(log(gap0/ε)/(−log ρ)), "
       "ρ = 1 − (2 − r)μ/(aH0 + bH1gap0), r = max(1/a, 1/b) (toolkit's own; classical at H1 = 0)")
def pl_contraction(p: Proof) -> None:
    """Contraction count: the PL recursion's factor at Δ <= gap0 (sympy), H1 = 0 reduction, GD on members."""
    H0, H1, mu, g0, a, b, r = sp.symbols("H0 H1 mu gap0 a b r", positive=True)
    t = sp.Symbol("t", positive=True)
    p.uses("Lemma PL recursion", "Δ_{k+1} <= Δ_k·(1 − (2 − r)μ/(aH0 + bH1Δ_k)) for the family step")
    p.uses("Lemma descent (adaptive step)", "the family step never increases the gap: Δ_k <= gap0")
    D = g0 / (1 + t)
    v = sp.Symbol("v", positive=True)
    two_minus_r = 2 - 2 / (1 + v)  # r = max(1/a, 1/b) < 2 because a, b > 1/2
    p.leq(two_minus_r * mu / (a * H0 + b * H1 * g0), two_minus_r * mu / (a * H0 + b * H1 * D),
          "Δ <= gap0 ⇒ (2 − r)μ/(aH0 + bH1Δ) >= (2 − r)μ/(aH0 + bH1gap0): every step's factor is <= ρ")
    p.cite("Δ_K <= ρ^K gap0 <= ε once K >= log(gap0/ε)/(−log ρ) (0 < ρ < 1; ρ <= 0 gives Δ_1 = 0): monotonicity of "
           "log", standard=True)
    eta = 1 / (a * H0)
    p.identity(1 - (2 - 1 / a) * mu / (a * H0), 1 - 2 * mu * eta * (1 - H0 * eta / 2),
               "H1 = 0, a <= b (r = 1/a): ρ = 1 − 2μη(1 − H0η/2) at η = 1/(aH0), the classical L-smooth rate")
    rho = 1 - (2 - r) * mu / (a * H0 + b * H1 * g0)
    p.identity(sp.limit(rho, H1, 0), rho.subs(H1, 0), "ρ is continuous as H1 → 0")
    ok = (B.pl_adaptive_contraction_iterations(1.0, 0.0, 0.5, 1.0, 1e-3, a=1, b=1)
          == B.pl_fixed_iterations(1.0, 0.0, 0.5, 1.0, 1e-3))
    p.fact("a = b = 1 at H1 = 0: the same count as pl_fixed_iterations at η = 1/L", ok, method="instance",
           role="check")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        a_, b_ = (10.0, 20.0) if rng.random() < 0.5 else (float(rng.uniform(0.6, 3.0)), float(rng.uniform(0.6, 3.0)))
        kk, mono = gd_run(pl_run(rng, h0, h1, m, gap0), lambda d: B.adaptive_step_family(h0, h1, d, a_, b_), eps)
        return (kk if mono else math.inf), B.pl_adaptive_contraction_iterations(h0, h1, m, gap0, eps, a_, b_)

    p.sample("observed GD (family step) iterations <= K on random members", one, 40)
