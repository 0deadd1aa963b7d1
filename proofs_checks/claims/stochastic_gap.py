"""Claim for the expected-gap counts of :mod:`warmup_theory.theory.bounds.sgd_gap` (toolkit's own; the paper's
stochastic statement is unknown, NOTES §5): E[f(w_K) − f*] <= ε for the last iterate under PL (adaptive and fixed
step), and for a uniformly random iterate under aiming alone.

The sampled check runs batched SGD (:func:`warmup_theory.numerics.gd.run_sgd`, 200 seeds per instance) for
exactly K iterations past ε (engine eps = 1e-300) and requires the **upper** one-sided 99 % CLT confidence
bound of the mean gap, mean + 2.326·sd/√N, to be <= ε (stricter than testing H0: E <= ε, which would only
require the lower bound to be <= ε).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from warmup_theory.numerics.gd import run_sgd
from warmup_theory.proofs_checks.claims.stochastic_theorems import _fit, _start
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.bounds import sgd as S
from warmup_theory.theory.bounds.sgd_common import gap_from_distance, sgd_sample_ratio

__all__: list[str] = []

SEEDS, Z99, HORIZON = 200, 2.326, 3000
A, Bc, c, mu, X0, e, q, G = sp.symbols("A B c mu X0 epsilon q G", positive=True)
x, t, u = sp.symbols("x t u", nonnegative=True)


def _count(pr: Any, kind: str, X0v: float, B: int, eps: float) -> float:
    if kind == "aiming":
        return float(S.sgd_aiming_adaptive_iterations(pr.H0, pr.H1, 1.0, math.sqrt(X0v), eps, batch=B, n=pr.n,
                                                      guarantee="random-iterate"))
    fn = S.sgd_pl_fixed_iterations if kind == "fixed" else S.sgd_pl_adaptive_iterations
    return float(fn(pr.H0, pr.H1, pr.mu, 1.0, eps, batch=B, n=pr.n, dist0=math.sqrt(X0v), guarantee="expected-gap"))


def _observed(kind: str) -> Callable[[np.random.Generator], tuple[float, float]]:
    """(upper 99 % CLT bound of the mean gap at K — or, for aiming, of the mean over k < K — over 200 seeds, ε)."""
    def one(rng: np.random.Generator) -> tuple[float, float]:
        while True:  # instances whose count fits the horizon (eps raised until it does)
            pr, W, B, X0v, eps = _start(rng, pl=kind != "aiming")
            K, eps = _fit(partial(_count, pr, kind, X0v, B), eps, HORIZON)
            if K >= 1:
                break
        if kind == "fixed":
            al, be = 1.0 / S.sgd_fixed_step(pr.H0, pr.H1, 1.0, X0v), 0.0
        else:
            al, be = 10 * pr.H0, 20 * pr.H1
        k = int(K)
        r = run_sgd(pr, W.repeat(SEEDS, 1), al, be, batch=B, eps=1e-300, seed=int(rng.integers(10**6)),
                    max_iter=k, record=True, record_every=1 if kind == "aiming" else k, device="cpu")
        if any(s == "diverged" for s in r.status):
            return math.inf, eps
        gh = np.asarray(r.gap_history)
        # a run stopped as "converged" had gap <= 1e-300; its later gaps are <= h(its tiny X): counted as 1e-300
        gh = np.where(np.isnan(gh), 1e-300, gh)
        vals = gh[:k].mean(axis=0) if kind == "aiming" else gh[-1]
        return float(vals.mean() + Z99 * vals.std(ddof=1) / math.sqrt(SEEDS)), eps
    return one


def _mp_pl(h0: float, h1: float, m: float, X0v: float, eps: float, M: float) -> float:
    """Independent mpmath evaluation of ceil(log(G/ε)/(−log(1 − r))), (a, b) = (10, 20), θ = 1."""
    with mpmath.workdps(50):
        cc = 2 - mpmath.mpf(1) / 5
        Gv = (h0 / mpmath.mpf(h1)) * (mpmath.cosh(mpmath.sqrt(h1 * mpmath.mpf(X0v))) - 1) if h1 else h0 * X0v / 2
        r = cc * m / (20 * h0 + 20 * h1 * M * m * mpmath.mpf(X0v))
        return 0.0 if Gv <= eps else float(mpmath.ceil(mpmath.log(Gv / eps) / -mpmath.log(1 - r)))


@claim("Thm SGD expected gap",
       "setting of 'Thm SGD PL', G = h(X0): adaptive step, E[f(w_K) − f*] <= G(1 − r)^K <= ε for K >= "
       "log(G/ε)/(−log(1 − r)), r = cμ/(2aH0 + bH1MμX0); fixed step: E[f(w_K) − f*] <= Gρ^K; aiming only: "
       "E[f(w_J) − f*] <= X0(aH0 + bH1MG)/(cK), J uniform on {0..K−1}")
def _thm_gap(p: Proof) -> None:
    # chord: h(X)/X = H0(cosh u − 1)/u² with u = √(H1X) is non-decreasing, so h(X) <= (G/X0)·X on [0, X0]
    g = u * sp.sinh(u) - 2 * sp.cosh(u) + 2
    p.identity(sp.diff((sp.cosh(u) - 1) / u**2, u), g / u**3,
               "d/du[(cosh u − 1)/u²] = (u sinh u − 2cosh u + 2)/u³")
    p.identity(sp.diff(g, u), u * sp.cosh(u) - sp.sinh(u), "g' = u cosh u − sinh u (g = u sinh u − 2cosh u + 2)")
    p.identity(sp.diff(u * sp.cosh(u) - sp.sinh(u), u), u * sp.sinh(u), "(u cosh u − sinh u)' = u sinh u")
    p.nonneg(u * sp.sinh(u), "u sinh u >= 0 for u >= 0")
    p.uses("Lemma SGD distance step", "X_k <= X0 on every path (the distance never increases)")
    p.uses("Lemma SGD gap from distance", "f(w_k) − f* <= h(X_k) <= h(X0) = G on every path (h increasing)")
    p.cite("a C¹ function vanishing at 0 with a non-negative derivative on [0, ∞) is non-negative there (mean value "
           "theorem), applied twice (u cosh u − sinh u, then g: both vanish at 0); so h(X)/X is non-decreasing "
           "and h(X_K) <= (G/X0)·X_K on X_K <= X0 (H1 = 0: h(X)/X = H0/2 is constant)", standard=True)
    # PL adaptive: Ψ(x) >= r·x on [0, X0]   (X0 = x + t)
    p.uses("Lemma SGD expected decrement", "E[X_{k+1} | F_k] <= X_k − c·φ_M(Δ_k), φ_M(y) = y/(aH0 + bH1My)")
    p.cite("PL ⇒ quadratic growth Δ >= μX/2 (Karimi, Nutini, Schmidt 2016, Thm 2) and φ_M increasing: "
           "c·φ_M(Δ_k) >= Ψ(X_k) = cμX_k/(2aH0 + bH1MμX_k)", standard=True)
    p.leq(c * mu * x / (A + Bc * mu * (x + t)), c * mu * x / (A + Bc * mu * x),
          "Ψ(x) = cμx/(A + Bμx) >= cμx/(A + BμX0) = r·x for 0 <= x <= X0 = x + t (A = 2aH0, B = bH1M)")
    p.cite("tower property with E[X_{k+1} | F_k] <= (1 − r)X_k: E[X_K] <= (1 − r)^K X0; linearity with the chord: "
           "E[f(w_K) − f*] <= (G/X0)E[X_K] <= G(1 − r)^K (fixed step: E[X_K] <= ρ^K X0 of 'Thm SGD PL fixed')",
           standard=True)
    p.uses("Thm SGD PL fixed", "fixed step: E[X_K] <= ρ^K·X0")
    p.identity(G * q ** (sp.log(G / e) / (-sp.log(q))), e,
               "G·q^K = ε at K = log(G/ε)/(−log q); q^K decreases in K for 0 < q < 1: the calculators' counts")
    # aiming: random iterate
    p.cite("telescoping the expected decrement with the tower property and X_K >= 0: c·Σ_{j<K} E[φ_M(Δ_j)] <= X0; "
           "for J uniform on {0..K−1} independent of the run, E[Δ_J] = (1/K)Σ_{j<K} E[Δ_j] (total expectation)",
           standard=True)
    p.leq(x, (A + Bc * (x + t)) * x / (A + Bc * x),
          "y <= (aH0 + bH1MG)·φ_M(y) for 0 <= y <= G = y + t (A = aH0, B = bH1M): E[Δ_J] <= X0(A + BG)/(cK)")
    p.identity(X0 * (A + Bc * G) / (c * (X0 * (A + Bc * G) / (c * e))), e,
               "X0(A + BG)/(cK) = ε at K = X0(aH0 + bH1MG)/(cε), the random-iterate count")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.2, 3)), float(rng.choice([0.0, rng.uniform(0.01, 2)]))
        m, n = float(rng.uniform(0.05, 1)) * h0, int(rng.integers(1, 9))
        B = int(rng.integers(1, n + 1))
        X0v, eps = float(rng.uniform(0.01, 4)), float(10 ** rng.uniform(-5, -1))
        got = S.sgd_pl_adaptive_iterations(h0, h1, m, 1.0, eps, batch=B, n=n, dist0=math.sqrt(X0v),
                                           guarantee="expected-gap")
        return abs(got - _mp_pl(h0, h1, m, X0v, eps, sgd_sample_ratio(B, n))), 1.0

    p.sample("adaptive PL count = an independent mpmath evaluation (within the ceil's 1)", inst, 200)
    p.fact("a start with G = h(X0) <= ε: both guarantees give 0", all(
        S.sgd_pl_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 2 * gap_from_distance(1.0, 1.0, 0.01), batch=1, n=2,
                                     dist0=0.1, guarantee=gk) == 0.0 for gk in ("hitting", "expected-gap")),
        method="instance", role="check")
    for kind, what in (("adaptive", "PL, warm-up step: gap at K"), ("fixed", "PL, fixed step θ/G: gap at K"),
                       ("aiming", "aiming only: mean gap over k < K (the uniform random iterate)")):
        p.sample(f"{what}: mean + 2.326·sd/√200 over 200 SGD seeds <= ε (random interpolating sums)",
                 _observed(kind), 4)
