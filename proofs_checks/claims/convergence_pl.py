"""Claims for the μ-PL upper bounds of Section 4 (v2): Thm 4.3 (its two phases, the count, the printed
form's defect) and the PL recursion that dominates GD.

Notation: Δ = f(w) − f*, g = ‖∇f(w)‖₂, GD w⁺ = w − η∇f(w). The randomized checks run float64 GD on the
1-D members of :mod:`warmup_theory.proofs_checks.fixtures.gd_runs` (quadratic, cosh, PL hard function,
quartic), whose constants are certified by the claims of
:mod:`~warmup_theory.proofs_checks.claims.extremal_functions` and of the gallery.
Every count of :mod:`warmup_theory.theory.bounds` is checked against the first k with Δ_k <= eps observed.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gd_runs import gd_run, pl_instance, pl_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B

__all__: list[str] = []

H0, H1, mu, D, g, eta, s, z = sp.symbols("H0 H1 mu Delta g eta s z", positive=True)


@claim("Thm 4.3 phase 1", "Eq. (1), μ-PL, H1Δ >= H0/2 ⇒ Δ⁺ <= Δ − μ/(40·H1)")
def _phase1(p: Proof) -> None:
    # H0 <= 2H1Δ: write H0 = 2H1Δ/(1+s); decrement >= (19/10)·η·g²/2 >= (19/10)·μΔη
    h0 = 2 * H1 * D / (1 + s)
    dec = sp.Rational(19, 10) * mu * D / (10 * h0 + 20 * H1 * D)
    p.nonneg(sp.simplify(dec - mu / (40 * H1)), "(19/10)μΔ/(10H0+20H1Δ) >= μ/(40H1) when H0 <= 2H1Δ")
    p.uses("Lemma descent (adaptive step)", "descent lemma for the step of Eq. (1)")
    p.cite("g² >= 2μΔ (PL) and the descent lemma (r = 1/10)", standard=False,
           detail="combines the PL hypothesis with the claim 'Lemma descent (adaptive step)' (itself 'holds': "
                  "a hand continuity step), argued in words")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, _, _ = pl_instance(rng)
        gap = h0 / (2 * h1) * float(rng.uniform(1, 20))
        f, df, x = pl_run(rng, h0, h1, m, gap)
        e = B.adaptive_step(h0, h1, gap)
        return f(x - e * df(x)), gap - m / (40 * h1)

    p.sample("one Eq. (1) step from Δ >= H0/(2H1) on random members", one, 300)


@claim("Thm 4.3 phase 2", "Eq. (1), μ-PL, H1Δ <= H0/2 ⇒ Δ⁺ <= (1 − μ/(20·H0))·Δ; (1 − z)^k <= e^{−kz}")
def _phase2(p: Proof) -> None:
    p.uses("Lemma descent (adaptive step)", "one Eq. (1) step decreases the gap by >= (19/10)·η·g², "
           "and g² >= 2μΔ (PL)")
    d = H0 / (2 * H1) / (1 + s)  # Δ <= H0/(2H1)
    dec = sp.Rational(19, 10) * mu * d / (10 * H0 + 20 * H1 * d)
    p.nonneg(sp.simplify(dec - mu * d / (20 * H0)), "(19/10)μΔ/(10H0+20H1Δ) >= μΔ/(20H0) when H1Δ <= H0/2")
    u = sp.Symbol("u", nonnegative=True)  # z = log(1 + u) covers z >= 0
    p.identity(sp.diff(sp.exp(-z) - 1 + z, z), 1 - sp.exp(-z), "(e^{−z} − 1 + z)' = 1 − e^{−z}, zero at z = 0")
    p.nonneg(sp.simplify((1 - sp.exp(-z)).subs(z, sp.log(1 + u))), "1 − e^{−z} >= 0 for z >= 0: 1 − z <= e^{−z}")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, _, _ = pl_instance(rng)
        gap = h0 / (2 * h1) * float(rng.uniform(0.01, 1))
        f, df, x = pl_run(rng, h0, h1, m, gap)
        e = B.adaptive_step(h0, h1, gap)
        return f(x - e * df(x)), (1 - m / (20 * h0)) * gap

    p.sample("one Eq. (1) step from Δ <= H0/(2H1) on random members", one, 300)


@claim("Thm 4.3",
       "corrected: K = ceil(max(0,(Δ0 − max(T,ε))40H1/μ)) + [ε < min(Δ0,T)]·ceil((20H0/μ)log(min(Δ0,T)/ε)), "
       "T = H0/(2H1); H1 = 0, H0 = 0, Δ0 <= ε handled")
def _thm43(p: Proof) -> None:
    p.uses("Thm 4.3 phase 1", "phase 1 decrement")
    p.uses("Thm 4.3 phase 2", "phase 2 contraction")
    p.cite("phases are consecutive: the gap never increases (descent lemma), so after the phase-1 count "
           "Δ <= max(T, ε) and each later step contracts by (1 − μ/(20H0)) (claims 'Thm 4.3 phase 1/2')",
           standard=False, detail="the theorem's phase-counting argument, argued in words")
    p.fact("calculator edge cases at given numbers: Δ0 <= ε → 0; H1 = 0 → ceil((20H0/μ)log(Δ0/ε)); "
           "H0 = 0 → phase 1 only",
           B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 0.2) == 0.0
           and B.pl_adaptive_iterations(2.0, 0.0, 1.0, 1.0, 1e-2) == math.ceil(40 * math.log(100))
           and B.pl_adaptive_iterations(0.0, 1.0, 0.5, 2.0, 1e-3) == math.ceil((2.0 - 1e-3) * 80),
           method="instance", role="check")
    # floats vs sympy agreement on one instance
    sy = sp.symbols("h0 h1 m d e", positive=True)
    ex = B.pl_adaptive_iterations(*sy)
    val = ex.subs(dict(zip(sy, (1.5, 0.7, 0.3, 12.0, 1e-4))))
    p.fact("symbolic form evaluates to the float result (one instance)",
           float(val) == B.pl_adaptive_iterations(1.5, 0.7, 0.3, 12.0, 1e-4),
           method="instance", role="check")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        k, mono = gd_run(pl_run(rng, h0, h1, m, gap0), lambda d: B.adaptive_step(h0, h1, d), eps)
        return (k if mono else math.inf), B.pl_adaptive_iterations(h0, h1, m, gap0, eps)

    p.sample("observed GD (Eq. (1)) iterations <= K on random members", one, 40)


@claim("Thm 4.3 (printed)",
       "printed: K = 40·H1·Δ0/μ + (20·H0/μ)·log(H0/(2·H1·ε)) with no domain guard. Defect: with T = H0/(2H1), "
       "K = (20H0/μ)(Δ0/T + log(T/ε)) is negative exactly when ε > T·e^{Δ0/T} (> T + Δ0, so only when the start "
       "is already converged, ε > Δ0), and undefined for H1 = 0 or H0 = 0 (log of ∞ or 0); for Δ0 > ε it is a "
       "valid but looser bound (by >= 20H0/μ) than the corrected count", printed=True)
def _thm43_printed(p: Proof) -> None:
    args = (1.0, 1.0, 0.5, 0.1, 10.0)
    val = B.pl_adaptive_iterations(*args, printed=True)
    T = 1.0 / (2 * 1.0)
    p.witness("no domain guard: the printed count is negative at an already-converged start "
              "(Δ0 = 0.1 < ε = 10, and ε > T·e^{Δ0/T} ≈ 0.611 with T = H0/(2H1) = 0.5); the corrected count is 0",
              val < 0,
              H0=1.0, H1=1.0, mu=0.5, gap0=0.1, eps=10.0, T=T, negative_iff_eps_above=T * math.exp(0.1 / T),
              printed=val, corrected=B.pl_adaptive_iterations(*args))
    iv = mpmath.iv  # interval arithmetic: the enclosure is rigorous, so its sign is certified
    mp = 40 * iv.mpf(1) * iv.mpf("0.1") / iv.mpf("0.5") + 40 * iv.log(iv.mpf(1) / 20)
    p.fact("mpmath interval re-check of the printed value: K ∈ [a, b] with b < 0, and the float value inside",
           bool(mp.b < 0) and float(mp.a) - 1e-9 <= val <= float(mp.b) + 1e-9,
           method="certified-numeric", detail=f"K ∈ [{float(mp.a)!r}, {float(mp.b)!r}], float {val!r}")


@claim("Lemma PL recursion",
       "D_{k+1} = max(0, D_k − (2−r)μD_k/(aH0+bH1D_k)) dominates GD with the family step; convex Ψ, Ψ(0) = 0; "
       "for Eq. (1) its count <= Thm 4.3")
def _rec(p: Proof) -> None:
    a, b, c = sp.symbols("a b c", positive=True)
    psi = D - c * D / (a * H0 + b * H1 * D)
    p.nonneg(sp.factor(sp.diff(psi, D, 2)), "Ψ'' >= 0 (convex), so sup_[0,D] Ψ = max(Ψ(0), Ψ(D)) = max(0, Ψ(D))")
    p.uses("Thm 4.3 phase 1", "phase 1 decrement")
    p.uses("Thm 4.3 phase 2", "phase 2 contraction")
    p.cite("Eq. (1): per-step decrement (19/10)μD/(10H0+20H1D) >= the phase decrements of Thm 4.3 "
           "(claims 'Thm 4.3 phase 1/2'), so the recursion satisfies the hypotheses of Thm 4.3's count",
           standard=False, detail="claim-specific argument in words (domination of GD by the recursion, "
                                  "and of the recursion by the phase count)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        k, mono = gd_run(pl_run(rng, h0, h1, m, gap0), lambda d: B.adaptive_step(h0, h1, d), eps)
        rec = B.pl_adaptive_recursion_iterations(h0, h1, m, gap0, eps).iterations
        up = B.pl_adaptive_iterations(h0, h1, m, gap0, eps)
        # observed <= recursion <= closed form, encoded as one inequality chain
        return max(k - rec, rec - up), 0.0

    p.sample("observed <= recursion <= Thm 4.3 on random instances", one, 40)

    def fixed(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        e = 1.0 / (h0 + h1 * gap0)
        k, mono = gd_run(pl_run(rng, h0, h1, m, gap0), lambda d: e, eps)
        rec = B.pl_fixed_recursion_iterations(h0, h1, m, gap0, eps, eta=e).iterations
        up = B.pl_fixed_iterations(h0, h1, m, gap0, eps)
        return max(k - rec, rec - up), 0.0

    p.sample("fixed step 1/L0: observed <= recursion <= pl_fixed_iterations", fixed, 40)

