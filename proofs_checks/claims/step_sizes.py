"""Claims for the step sizes of Section 4 (v2): the descent lemma for the adaptive step
(Eq. (1) and the family η = 1/(aH0 + bH1Δ)), the family's rate, and fixed-step stability.

Notation: Δ = f(w) − f*, g = ‖∇f(w)‖₂, GD w⁺ = w − η∇f(w). The randomized checks run float64 GD on the
1-D members of :mod:`warmup_theory.proofs_checks.fixtures.gd_runs` (quadratic, cosh, PL hard function,
quartic), whose constants are certified by the claims of
:mod:`~warmup_theory.proofs_checks.claims.extremal_functions` and of the gallery.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gd_runs import cosh_run, gd_run, hard_run, pl_instance, pl_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B
from warmup_theory.theory.catalogue import cosh_function

__all__: list[str] = []

H0, H1, mu, D, g, s, t = sp.symbols("H0 H1 mu Delta g s t", positive=True)
w = sp.Symbol("w", real=True)


@claim("Lemma descent (adaptive step)",
       "η <= 2/(H0+H1Δ) ⇒ Δ⁺ <= Δ − ηg²(1 − (H0+H1Δ)η/2); for η = 1/(aH0+bH1Δ): Δ⁺ <= Δ − (2−r)ηg²/2, "
       "r = max(1/a,1/b); Eq. (1): r = 1/10")
def _descent(p: Proof) -> None:
    L = H0 + H1 * D
    # while φ <= Δ on the segment, φ'' <= g²L, so φ(s) <= Δ − s g² + L g² s²/2 (Taylor with the bound)
    quad = D - s * g**2 + L * g**2 * s**2 / 2
    # the quadratic model stays <= Δ on [0, 2/L]: put s = (2/L)·u/(1+u), u >= 0
    u = sp.Symbol("u", nonnegative=True)
    p.nonneg(sp.simplify(D - quad.subs(s, 2 / L * u / (1 + u))),
             "quadratic model <= Δ for s in [0, 2/L) (so φ never rises above Δ: continuity argument)")
    p.cite("continuity: the first s* with φ(s*) > Δ would need the model > Δ before s*, impossible for "
           "s* < 2/L; an elementary route, independent of the safe-step lemma, to the bound of "
           "warmup_theory.theory.lemmas.quadratic_descent_bound",
           standard=False, detail="claim-specific continuity (bootstrap) argument argued in words (η_max >= 2/L "
                                  "is also the safe-step lemma's bound; not used here)")
    # family: (H0 + H1Δ)·η <= max(1/a, 1/b) — shown for Eq. (1) exactly, and for (1, 1)
    p.leq(L / (10 * H0 + 20 * H1 * D), sp.Rational(1, 10), "Eq. (1): (H0+H1Δ)η <= 1/10")
    p.leq(L / (H0 + H1 * D), 1, "(a,b) = (1,1): (H0+H1Δ)η <= 1")
    al_, be_ = sp.symbols("alpha beta", nonnegative=True)
    rr = sp.Symbol("r", positive=True)
    p.leq(L / ((1 + al_) * H0 / rr + (1 + be_) * H1 * D / rr), rr,
          "family: aH0 >= H0/r and bH1Δ >= H1Δ/r with r = max(1/a, 1/b), so (H0+H1Δ)η <= r "
          "(a = (1+α)/r, b = (1+β)/r, α, β >= 0)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, _ = pl_instance(rng)
        f, df, x = pl_run(rng, h0, h1, m, gap0)
        a_, b_ = (10.0, 20.0) if rng.random() < 0.5 else (float(rng.uniform(0.6, 5)), float(rng.uniform(0.6, 5)))
        e = 1 / (a_ * h0 + b_ * h1 * gap0)
        gr = df(x)
        r = max(1 / a_, 1 / b_)
        return f(x - e * gr), gap0 - (2 - r) * e * gr * gr / 2

    p.sample("Δ⁺ <= Δ − (2−r)ηg²/2 on quadratic / cosh / hard members, Eq. (1) and random (a,b)", one, 400)


@claim("Lemma adaptive family",
       "admissible (a,b): a > 1/2, b > 1/2; proven rate F(a,b) = (2 − max(1/a,1/b))/(a + b/2) <= 2/3, "
       "attained at (a,b) = (1,1) (BEST_ADAPTIVE_FAMILY); Eq. (1) has F = 0.095; μ-PL phases: "
       "Δ⁺ <= Δ − Fμ/(2H1) (Δ >= T), Δ⁺ <= (1 − Fμ/H0)Δ (Δ <= T) -> pl_adaptive_family_iterations")
def _family(p: Proof) -> None:
    r = sp.Symbol("r", positive=True)
    # a, b >= 1/r ⇒ a + b/2 >= 3/(2r) ⇒ F <= (2 − r)·2r/3; and 2/3 − 2r(2 − r)/3 = (2/3)(1 − r)²
    p.identity(sp.Rational(2, 3) - 2 * r * (2 - r) / 3, sp.Rational(2, 3) * (1 - r) ** 2,
               "2/3 − F_max(r) = (2/3)(1−r)²")
    p.nonneg(sp.Rational(2, 3) * (1 - r) ** 2, "so F <= 2/3")
    a_s, b_s = sp.symbols("a b", positive=True)
    F_s = B.adaptive_family_rate(a_s, b_s)  # the calculator's symbolic path, evaluated exactly
    p.identity(F_s.subs({a_s: 1, b_s: 1}), sp.Rational(2, 3), "F(1,1) = (2 − 1)/(1 + 1/2) = 2/3 (the maximum)")
    p.identity(F_s.subs({a_s: 10, b_s: 20}), sp.Rational(19, 200), "Eq. (1): F(10,20) = (2 − 1/10)/20 = 0.095")
    p.fact("float path: adaptive_family_rate(1, 1) == 2/3, (10, 20) == 0.095 to 1e-15; BEST_ADAPTIVE_FAMILY == (1, 1)",
           B.adaptive_family_rate(1, 1) == 2 / 3 and abs(B.adaptive_family_rate(10, 20) - 0.095) < 1e-15
           and B.BEST_ADAPTIVE_FAMILY == (1, 1), method="instance", role="check")
    p.leq(2, 1 / (1 / (2 * (1 + s))), "a <= 1/2 (a = 1/(2(1+s))): r = max(1/a, 1/b) >= 1/a >= 2, so the descent "
          "lemma's factor 1 − r/2 <= 0 — no guarantee (the same for b <= 1/2)")
    p.fact("implementation: adaptive_family_admissible(0.5, 3) is False, (0.51, 0.51) is True",
           not B.adaptive_family_admissible(0.5, 3) and B.adaptive_family_admissible(0.51, 0.51),
           method="instance", role="check")
    # the family's Thm 4.3 (pl_adaptive_family_iterations): phase decrements with rate F
    a, b = sp.symbols("a b", positive=True)
    rho = sp.Symbol("rho", positive=True)  # rho = 2 − r > 0 (admissible family)
    F = rho / (a + b / 2)
    d1 = rho * mu * D / (a * (2 * H1 * D / (1 + s)) + b * H1 * D)  # H0 = 2H1Δ/(1+s) <= 2H1Δ
    p.nonneg(sp.factor(sp.simplify(d1 - F * mu / (2 * H1))), "phase 1: (2−r)μΔη >= Fμ/(2H1) when H0 <= 2H1Δ")
    dd = H0 / (2 * H1) / (1 + s)  # Δ <= H0/(2H1)
    d2 = rho * mu * dd / (a * H0 + b * H1 * dd)
    p.nonneg(sp.factor(sp.simplify(d2 - F * mu * dd / H0)), "phase 2: (2−r)μΔη >= FμΔ/H0 when H1Δ <= H0/2")

    def fam(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        a_, b_ = float(rng.uniform(0.6, 5)), float(rng.uniform(0.6, 5))
        k, mono = gd_run(pl_run(rng, h0, h1, m, gap0), lambda d: 1 / (a_ * h0 + b_ * h1 * d), eps)
        return (k if mono else math.inf), B.pl_adaptive_family_iterations(h0, h1, m, gap0, eps, a_, b_)

    p.sample("observed GD with random family steps <= pl_adaptive_family_iterations", fam, 40)
    p.sample("F(a,b) <= 2/3 for random admissible (a,b)",
             lambda rng: (B.adaptive_family_rate(float(rng.uniform(0.51, 30)), float(rng.uniform(0.51, 30))),
                          2 / 3), 500)


@claim("Lemma fixed-step stability",
       "every η <= 2/(H0+H1·gap0) keeps the gap non-increasing on every member with Δ0 <= gap0 (class-stable); "
       "no η > min(η_cosh, η_hard) is class-stable")
def _stability(p: Proof) -> None:
    G0 = sp.Symbol("gap0", positive=True)
    # for Δ = gap0 − t (t >= 0): 2 − (H0 + H1Δ)·2/(H0 + H1 gap0) = 2H1 t/(H0 + H1 gap0) >= 0
    p.nonneg(2 - (H0 + H1 * (G0 - t)) * 2 / (H0 + H1 * G0), "(H0+H1Δ)η <= 2 for Δ <= gap0, η = 2/(H0+H1gap0)")
    p.uses("Lemma descent (adaptive step)", "descent lemma, one step")
    p.cite("induction: descent lemma ⇒ Δ1 <= Δ0 <= gap0, and so on", standard=False,
           detail="induction over the run, argued in words; uses 'Lemma descent (adaptive step)'")
    # instability witnesses: even members, increasing in |w|; η > 2w0/f'(w0) sends w1 below −w0
    fc, _ = cosh_function(H0, H1)
    wc = sp.acosh(1 + H1 * D / H0) / sp.sqrt(H1)
    p.identity(fc.subs(w, wc), D, "cosh start w0 has gap Δ")
    p.identity(2 * wc / sp.diff(fc, w).subs(w, wc), B.cosh_instability_step(H0, H1, D),
               "η_cosh = 2w0/f'(w0) (the step that lands on −w0)")
    fh = (mu / H1) * sp.exp(sp.sqrt(H1) * w - 1) - mu / (2 * H1)
    wh = (1 + sp.log(H1 * D / mu + sp.Rational(1, 2))) / sp.sqrt(H1)
    p.identity(fh.subs(w, wh), D, "hard start w0 (exponential region) has gap Δ")
    p.identity(2 * wh / sp.diff(fh, w).subs(w, wh),
               2 * (1 + sp.log(H1 * D / mu + sp.Rational(1, 2))) / (H1 * D + mu / 2), "η_hard = 2w0/f'(w0)")

    def stable(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, _ = pl_instance(rng)
        mem = pl_run(rng, h0, h1, m, gap0)
        e = float(B.pl_fixed_step(h0, h1, m, gap0))
        f, df, x = mem
        worst = -math.inf
        d = f(x)
        for _ in range(60):
            x = x - e * df(x)
            dn = f(x)
            worst = max(worst, dn - d)
            d = dn
        return worst, 1e-12 * gap0

    p.sample("GD with η = 2/(H0+H1gap0): max_k (Δ_{k+1} − Δ_k) <= 0 on random members", stable, 200)

    def unstable(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, _ = pl_instance(rng)
        e = float(B.pl_fixed_step_upper(h0, h1, m, gap0)) * 1.001
        cosh_wins = e / 1.001 == float(B.cosh_instability_step(h0, h1, gap0))
        mem = cosh_run(h0, h1, gap0) if cosh_wins else hard_run(h1, m, gap0)
        f, df, x = mem
        return f(x), f(x - e * df(x))  # the gap increases: Δ0 <= Δ1

    p.sample("η = 1.001·η̄ increases the gap on its witness member (cosh or hard)", unstable, 200)

