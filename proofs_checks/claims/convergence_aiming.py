"""Claims for the θ-aiming upper bounds of Section 4 (v2): Thm 4.2, the telescoping lemma and the aiming
recursion.

Notation: Δ = f(w) − f*, g = ‖∇f(w)‖₂, GD w⁺ = w − η∇f(w). The randomized checks run float64 GD on the
1-D members of :mod:`warmup_theory.proofs_checks.fixtures.gd_runs` (quadratic, cosh, PL hard function,
quartic), whose constants are certified by the claims of
:mod:`~warmup_theory.proofs_checks.claims.extremal_functions` and of the gallery.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gd_runs import cosh_run, gd_run, hard_run, quartic_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B

__all__: list[str] = []

H0, H1, D, g, eta, s, t = sp.symbols("H0 H1 Delta g eta s t", positive=True)
w = sp.Symbol("w", real=True)


@claim("Thm 4.2′ (toolkit: direct proof, θ > 1/10)",
       "toolkit's direct proof: Eq. (1), θ-aiming, θ > 1/10 ⇒ K = ceil(d0²(10H0/ε + 20H1)/(2θ − 1/5))")
def _thm42(p: Proof) -> None:
    p.leq((2 * H0 * D + H1 * D**2) / (10 * H0 + 20 * H1 * D), D / 5, "ηg² <= η( 2H0Δ + H1Δ²) <= Δ/5")
    p.nonneg(sp.diff(D / (10 * H0 + 20 * H1 * D), D), "ηΔ = Δ/(10H0+20H1Δ) is increasing in Δ")
    p.uses("Lemma aiming telescoping", "telescoping of the aiming inequality")
    p.cite("telescoping ('Lemma aiming telescoping') with Δ_k > ε for k < K gives K·ε(2θ−1/5)/(10H0+20H1ε) < d0²; "
           "the gap never increases afterwards", standard=False,
           detail="telescoping over the run, argued in words")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        gap0, eps = float(10 ** rng.uniform(-1, 1.3)), float(10 ** rng.uniform(-3, -1))
        kind = rng.integers(3)
        if kind == 0:
            mem, th = cosh_run(h0, h1, gap0), 2.0
        elif kind == 1:
            mem, th = hard_run(h1, float(rng.uniform(0.1, 1)) * h0, gap0), 2.0
        else:
            mem, th = quartic_run(h0 * h1 / 36, gap0), 4.0
        th = float(rng.uniform(0.2, th))
        k, mono = gd_run(mem, lambda d: B.adaptive_step(h0, h1, d), eps)
        return (k if mono else math.inf), B.aiming_adaptive_iterations(h0, h1, th, abs(mem[2]), eps)

    p.sample("observed GD (Eq. (1)) iterations <= K on cosh / hard / quartic members", one, 40)


@claim("Thm 4.2 printed form (θ = 1): valid, looser than Thm 4.2′",
       "printed Thm 4.2 at θ = 1 (NOTES §5, constants 40 and 40): K_p = 40·H0·d0²/ε + 40·H1·d0² "
       "(aiming_adaptive_iterations(..., printed=True)). Not defective: K_p >= the toolkit's real count "
       "d0²(10H0/ε + 20H1)/(9/5) for all H0, H1, d0 >= 0, ε > 0, so every k >= K_p has Δ_k <= ε (Thm 4.2′); "
       "looser by a factor >= 3.6 (7.2 on the H0 term, 3.6 on the H1 term)")
def _thm42_printed(p: Proof) -> None:
    e, d0 = sp.symbols("epsilon d0", positive=True)
    h0, h1 = sp.symbols("H0 H1", nonnegative=True)
    kp = B.aiming_adaptive_iterations(h0, h1, 1, d0, e, printed=True)
    p.identity(kp, 40 * h0 * d0**2 / e + 40 * h1 * d0**2, "printed=True returns K_p = 40H0d0²/ε + 40H1d0² (θ = 1)")
    x = d0**2 * (10 * h0 / e + 20 * h1) / (2 - sp.Rational(1, 5))  # the toolkit's count before the ceiling
    p.identity(x, d0**2 * (50 * h0 / e + 100 * h1) / 9, "toolkit's real count at θ = 1: d0²(50H0/ε + 100H1)/9")
    p.leq(x, kp, "x <= K_p: K_p − x = d0²(310H0/ε + 260H1)/9 >= 0")
    p.leq(sp.Rational(36, 10) * x, kp, "K_p − 3.6·x = 20H0d0²/ε >= 0: looser by a factor >= 3.6 (= 3.6 at H0 = 0)")
    p.uses("Thm 4.2′ (toolkit: direct proof, θ > 1/10)",
           "for θ = 1 > 1/10, Δ_k <= ε for every k >= ceil(x) (the gap never increases afterwards)")
    p.cite("k integer, k >= K_p >= x ⇒ k >= ceil(x) (the ceiling is the least integer >= x): so every k >= K_p "
           "has Δ_k <= ε, i.e. the printed count is a valid iteration bound", standard=True)

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0_, h1_ = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        gap0, eps = float(10 ** rng.uniform(-1, 1.3)), float(10 ** rng.uniform(-3, -1))
        kind = rng.integers(3)  # cosh and the hard function are 2-aiming, the quartic 4-aiming: all 1-aiming
        mem = (cosh_run(h0_, h1_, gap0), hard_run(h1_, float(rng.uniform(0.1, 1)) * h0_, gap0),
               quartic_run(h0_ * h1_ / 36, gap0))[kind]
        k, mono = gd_run(mem, lambda d: B.adaptive_step(h0_, h1_, d), eps)
        return (k if mono else math.inf), B.aiming_adaptive_iterations(h0_, h1_, 1.0, abs(mem[2]), eps, printed=True)

    p.sample("observed GD (Eq. (1)) iterations <= printed K_p (θ = 1) on cosh / hard / quartic members", one, 30)

    def paths(rng: np.random.Generator) -> tuple[float, float]:
        h0_, h1_, d_, e_ = (float(v) for v in 10 ** rng.uniform(-3, 3, size=4))
        toolkit = B.aiming_adaptive_iterations(h0_, h1_, 1.0, d_, e_)
        return toolkit - 1.0, B.aiming_adaptive_iterations(h0_, h1_, 1.0, d_, e_, printed=True)

    p.sample("float paths at random (H0, H1, d0, ε) in 10^±3, θ = 1: ceil(x) − 1 < x <= K_p", paths, 300,
             rtol=1e-12)


@claim("Lemma aiming telescoping",
       "d(w⁺)² <= ‖w⁺ − p‖² = d² − 2η⟨∇f, w − p⟩ + η²g² <= d² − ηΔ(2θ − ηg²/Δ), p = proj_S(w)")
def _tele(p: Proof) -> None:
    v = sp.symbols("v1 v2", real=True)  # w − p
    gr = sp.symbols("g1 g2", real=True)
    lhs = sum((vi - eta * gi) ** 2 for vi, gi in zip(v, gr))
    rhs = sum(vi**2 for vi in v) - 2 * eta * sum(vi * gi for vi, gi in zip(v, gr)) + eta**2 * sum(gi**2 for gi in gr)
    p.identity(lhs, rhs, "‖w − η∇f − p‖² expansion (2-D, coordinate-free identity)")
    p.cite("dist(w⁺, S) <= ‖w⁺ − p‖ since p ∈ S; aiming: ⟨∇f, w − p⟩ >= θΔ", standard=True,
           detail="definition of dist(x, S) = inf_{q ∈ S}‖x − q‖, and the θ-aiming hypothesis")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        gap = float(10 ** rng.uniform(-2, 1.3))
        f, df, x = cosh_run(h0, h1, gap)
        e = B.adaptive_step(h0, h1, gap)
        x1 = x - e * df(x)
        return x1 * x1, x * x - e * gap * (2 * 2.0 - 0.2)

    p.sample("one Eq. (1) step on cosh (θ = 2): d⁺² <= d² − ηΔ(2θ − 1/5)", one, 300)


@claim("Lemma aiming recursion",
       "family η = 1/(aH0+bH1Δ), a <= 2b: d⁺² <= d² − φ(Δ), φ = u(2θ − v) increasing (u = ηΔ, v = η(2H0+H1Δ)); "
       "K = ceil(d0²/φ(ε)) for 2θ > v(ε); for Eq. (1) <= Thm 4.2")
def _aim_rec(p: Proof) -> None:
    a, b, tt = sp.symbols("a b t", positive=True)
    u = D / (a * H0 + b * H1 * D)
    v = (2 * H0 + H1 * D) / (a * H0 + b * H1 * D)
    p.nonneg(sp.factor(sp.diff(u, D)), "u = Δ/(aH0+bH1Δ) is increasing")
    p.nonneg(sp.factor(-sp.diff(v, D)).subs(a, 2 * b / (1 + tt)), "v is decreasing when a <= 2b (a = 2b/(1+t))")
    p.leq(v.subs({a: 10, b: 20}), sp.Rational(1, 5), "Eq. (1): v <= 1/5, so φ(ε) >= u(ε)(2θ − 1/5): <= Thm 4.2")
    p.cite("u >= 0 and 2θ − v >= 2θ − v(ε) > 0 both increasing on [ε, ∞) ⇒ φ increasing; telescoping as in Thm 4.2",
           standard=False, detail="telescoping over the run, argued in words")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        gap0, eps = float(10 ** rng.uniform(-1, 1.3)), float(10 ** rng.uniform(-3, -1))
        mem = cosh_run(h0, h1, gap0) if rng.random() < 0.5 else quartic_run(h0 * h1 / 36, gap0)
        th = float(rng.uniform(0.11, 2.0))
        k, mono = gd_run(mem, lambda d: B.adaptive_step(h0, h1, d), eps)
        rec = B.aiming_adaptive_recursion_iterations(h0, h1, th, abs(mem[2]), eps)
        up = B.aiming_adaptive_iterations(h0, h1, th, abs(mem[2]), eps)
        return max((k if mono else math.inf) - rec, rec - up), 0.0

    p.sample("observed GD <= recursion bound <= Thm 4.2 (cosh / quartic members)", one, 40)
