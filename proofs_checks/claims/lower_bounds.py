"""Claims for the fixed-step lower bounds of Section 4 (v2): Thm 4.1(3) (μ-PL; corrected and printed),
Thm 4.1(1-2) (θ-aiming), the log inequality they use, and the fixed-vs-adaptive ratio.

Notation: Δ = f(w) − f*, g = ‖∇f(w)‖₂, GD w⁺ = w − η∇f(w). The randomized checks run float64 GD on the
1-D members of :mod:`warmup_theory.proofs_checks.fixtures.gd_runs` (quadratic, cosh, PL hard function,
quartic), whose constants are certified by the claims of
:mod:`~warmup_theory.proofs_checks.claims.extremal_functions` and of the gallery.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gd_runs import cosh_run, gd_run, hard_run, pl_instance, quad_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B
from warmup_theory.theory.catalogue import pl_hard_numeric, pl_hard_start

__all__: list[str] = []

H0, H1, mu, eta, s, z = sp.symbols("H0 H1 mu eta s z", positive=True)
w = sp.Symbol("w", real=True)


@claim("Lemma log inequality", "−log(1 − z) <= z/(1 − z) for z in [0, 1) (and >= z)")
def _log(p: Proof) -> None:
    u = sp.Symbol("u", nonnegative=True)  # z = u/(1+u) covers [0, 1)
    h = z / (1 - z) + sp.log(1 - z)
    p.identity(sp.diff(h, z), z / (1 - z) ** 2, "h(z) = z/(1−z) + log(1−z): h' = z/(1−z)², h(0) = 0")
    p.nonneg((z / (1 - z) ** 2).subs(z, u / (1 + u)), "h' >= 0 on [0, 1)")
    p.nonneg(sp.diff(-sp.log(1 - z) - z, z).subs(z, u / (1 + u)), "(−log(1−z) − z)' = z/(1−z) >= 0")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        zz = float(rng.uniform(0, 0.999))
        return -math.log1p(-zz), zz / (1 - zz)

    p.sample("−log(1−z) <= z/(1−z) at random z", one, 500)


@claim("Thm 4.1(3)",
       "corrected: every class-stable η (η <= η̄) needs K >= ceil(log(Δ0/ε)(1−z)/(2z)), z = η̄μ < 1, on the "
       "member (μ/2)w² from √(2Δ0/μ) (μ <= H0)")
def _thm41_3(p: Proof) -> None:
    k = sp.Symbol("k", nonnegative=True, integer=True)
    x0 = sp.Symbol("w0", positive=True)
    q = mu / 2 * w**2
    p.identity((w - eta * sp.diff(q, w)).subs(w, x0), (1 - eta * mu) * x0, "GD on q: w1 = (1 − ημ)w0")
    p.identity(q.subs(w, (1 - eta * mu) ** k * x0), (1 - eta * mu) ** (2 * k) * q.subs(w, x0), "Δ_k = (1−ημ)^{2k}Δ0")
    p.fact("q is (μ,0)- hence (H0,H1)-smooth for μ <= H0, and μ-PL (q'² = 2μq): sympy q'' = μ, q'² − 2μq = 0",
           sp.simplify(sp.diff(q, w, 2) - mu) == 0 and sp.expand(sp.diff(q, w) ** 2 - 2 * mu * q) == 0,
           method="symbolic")
    p.uses("Lemma fixed-step stability", "every class-stable step is <= η̄")
    p.uses("Lemma log inequality", "−log(1−z) <= z/(1−z)")
    p.cite("any class-stable η is <= η̄ (claim 'Lemma fixed-step stability'); the count is decreasing in η; "
           "−log(1−z) <= z/(1−z) ('Lemma log inequality')", standard=False,
           detail="claim-specific argument in words combining two other claims")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1, m, gap0, eps = pl_instance(rng)
        m = min(m, 0.05 * h0)  # keep z small so the bound is informative
        lo = B.pl_fixed_lower_iterations(h0, h1, m, gap0, eps)
        e = float(B.pl_fixed_step_upper(h0, h1, m, gap0)) * float(rng.uniform(0.5, 1.0))
        k_obs, _ = gd_run(quad_run(m, gap0), lambda d: e, eps)
        return lo, k_obs

    p.sample("GD with random class-stable η on (μ/2)w² needs >= the lower bound", one, 60)

    def beyond(rng: np.random.Generator) -> tuple[float, float]:
        """η drawn up to 4η̄: a step that beats the bound on (μ/2)w² must be class-unstable (one GD step from
        gap0 increases the gap of the hard function or of cosh) — so a wrong (too small) η̄ is caught."""
        h0, h1, m, gap0, eps = pl_instance(rng)
        m = min(m, 0.05 * h0)
        lo = B.pl_fixed_lower_iterations(h0, h1, m, gap0, eps)
        e = float(B.pl_fixed_step_upper(h0, h1, m, gap0)) * float(rng.uniform(0.5, 4.0))
        k_obs, _ = gd_run(quad_run(m, gap0), lambda d: e, eps, max_iter=int(lo) + 1)
        if k_obs >= lo:
            return lo, k_obs
        for f, df, w0 in (hard_run(h1, m, gap0), cosh_run(h0, h1, gap0)):
            if f(w0 - e * df(w0)) > f(w0):
                return 0.0, 1.0  # unstable on a member: not a class-stable step, nothing to check
        return lo, k_obs  # a class-stable-looking step beating the bound: fails

    p.sample("η up to 4η̄: every step that beats the bound on (μ/2)w² increases the gap of the hard function or "
             "cosh in one step from gap0", beyond, 60, seed=1)


@claim("Thm 4.1(3) (printed)", "printed: K >= log(Δ0/ε)/(2ημ) (via −log(1−z) >= z: wrong direction)", printed=True)
def _thm41_3_printed(p: Proof) -> None:
    h0, h1, m, gap0, eps = 1.0, 1.0, 1.0, 0.5, 1e-6
    e = 1.0 / m
    stable = e <= B.pl_fixed_step(h0, h1, m, gap0)
    f, df = pl_hard_numeric(h1, m)
    x0 = pl_hard_start(h1, m, gap0)
    k_obs, _ = gd_run((f, df, x0), lambda d: e, eps)
    x1 = mpmath.mpf(x0) - mpmath.mpf(e) * mpmath.mpf(m) * mpmath.mpf(x0)
    printed = B.pl_fixed_lower_iterations(h0, h1, m, gap0, eps, printed=True, eta=e)
    p.witness("the certified-stable step η = 1/μ reaches the minimiser in 1 GD step on the hard function, "
              "the printed bound says more", stable and k_obs == 1 and x1 == 0 and printed > 1,
              H0=h0, H1=h1, mu=m, gap0=gap0, eps=eps, eta=e, observed=k_obs, printed=printed,
              corrected=B.pl_fixed_lower_iterations(h0, h1, m, gap0, eps, eta=e))


@claim("Thm 4.1(1-2)′ (toolkit: quadratic member, θ <= 2)",
       "toolkit's own: θ <= 2, every class-stable η needs K >= ceil(log(λd0²/(2ε))(1−η̄λ)/(2η̄λ)) on (λ/2)w² "
       "from d0, λ = min(H0, 2gap0/d0², 2eε/d0²)")
def _thm41_12(p: Proof) -> None:
    lam = sp.Symbol("lambda", positive=True)
    q = lam / 2 * w**2
    p.identity(sp.diff(q, w) * w, 2 * q, "(λ/2)w² is 2-aiming (⟨∇q, w⟩ = 2q), (λ,0)-smooth, λ <= H0")
    uu = sp.Symbol("u", positive=True)
    p.identity(sp.diff(sp.log(uu) / uu, uu), (1 - sp.log(uu)) / uu**2, "log(u)/u is maximal at u = e")
    eta, d0s, kk = sp.symbols("eta d_0 k", positive=True)
    p.identity(w - eta * sp.diff(q, w), (1 - eta * lam) * w, "GD on (λ/2)w²: w⁺ = (1 − ηλ)w, so "
               "f(w_k) = (λ/2)(1 − ηλ)^{2k}d0²")
    p.identity(q.subs(w, d0s * (1 - eta * lam) ** kk), lam * d0s**2 / 2 * (1 - eta * lam) ** (2 * kk),
               "gap after k steps from d0")
    p.uses("Lemma log inequality", "f(w_k) <= ε needs k >= log(λd0²/(2ε))/(−2log(1 − ηλ)) >= "
           "log(λd0²/(2ε))(1 − ηλ)/(2ηλ)")
    p.uses("Lemma fixed-step stability", "every class-stable η satisfies η <= η̄ and the count decreases in η")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        gap0, d0, eps = float(10 ** rng.uniform(0, 2)), float(rng.uniform(0.5, 2)), float(10 ** rng.uniform(-3, -1))
        th = float(rng.uniform(0.2, 2))
        lo = B.aiming_fixed_lower_iterations(h0, h1, th, gap0, d0, eps)
        lamv = min(h0, 2 * gap0 / d0**2, 2 * math.e * eps / d0**2)
        e = float(B.aiming_fixed_step_upper(h0, h1, th, gap0)) * float(rng.uniform(0.5, 1.0))
        f, df = (lambda x: 0.5 * lamv * x * x), (lambda x: lamv * x)
        k_obs, _ = gd_run((f, df, d0), lambda d: e, eps)
        return lo, k_obs

    p.sample("GD with random class-stable η on the member needs >= the lower bound", one, 40)


@claim("Claim fixed vs adaptive ratio",
       "PL, x = H1Δ0/H0 → ∞, η̄ = η_cosh (the smaller witness asymptotically): (i) ε → 0: log(1/ε)-coefficient "
       "ratio R = [(1−μη̄)/(2μη̄)]/[20H0/μ] with R·log(2x)/x → 1/80 (fixed step pays H1Δ0 multiplicatively); "
       "(ii) ε fixed: [log(Δ0/ε)(1−μη̄)/(2μη̄)]/[40H1Δ0/μ] ~ log(Δ0/ε)/(160 log 2x) (corrected Thm 4.1(3))")
def _ratio(p: Proof) -> None:
    x = sp.Symbol("x", positive=True)
    eta_c = 2 * sp.acosh(1 + x) / (H0 * sp.sqrt((1 + x) ** 2 - 1))  # η_cosh with H1Δ0 = xH0
    R = (1 - mu * eta_c) / (40 * H0 * eta_c)
    lim = sp.limit(R * sp.log(2 * x) / x, x, sp.oo)
    p.identity(lim, sp.Rational(1, 80), "lim R·log(2x)/x = 1/80 (so R → ∞)")
    # fixed ε: corrected lower bound log(Δ0/ε)(1−μη̄)/(2μη̄) over phase 1 of Thm 4.3, 40H1Δ0/μ, with η̄ = η_c
    lim2 = sp.limit((1 - mu * eta_c) / (80 * x * H0 * eta_c) * sp.log(2 * x), x, sp.oo)
    p.identity(lim2, sp.Rational(1, 160), "fixed ε: (1−μη_c)·log(2x)/(80·H1Δ0·η_c) → 1/160 (H1Δ0 = xH0)")
    v = sp.Symbol("v", nonnegative=True)  # H0/μ = 1 + v >= 1
    p.fact("1 − log 2 > 0", bool((1 - sp.log(2)).is_positive), method="symbolic")
    p.nonneg(sp.log(1 + v), "(1 + log(H1Δ0/μ)) − log(2H1Δ0/H0) = 1 − log 2 + log(H0/μ) > 0 for μ <= H0: "
             "asymptotically η_hard > η_cosh")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0.1, 2))
        m = h0 * float(rng.uniform(0.01, 0.1))
        gap0 = h0 / h1 * 10 ** float(rng.uniform(3, 6))
        z = float(B.pl_fixed_step_upper(h0, h1, m, gap0)) * m
        return 20 * h0 / m, (1 - z) / (2 * z)

    p.sample("H1Δ0/H0 in [1e3, 1e6], μ <= H0/10: the fixed lower bound's log(1/ε) coefficient (1−z)/(2z) "
             "exceeds the adaptive one 20H0/μ", one, 200)

