"""Claims for the SGD theorems and the no-interpolation witness (toolkit's own; NOTES §5 gives no statement).

The counts are :mod:`warmup_theory.theory.bounds.sgd`; the lemmas are :mod:`.stochastic`.  The randomized checks
run batched SGD (:func:`warmup_theory.numerics.gd.run_sgd`, 64 seeds per instance) on random interpolating sums
and compare the empirical mean of the relevant time with the expected-time bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
import torch

from warmup_theory.numerics.gd import run_sgd
from warmup_theory.numerics.problems.finite_sum import FiniteSumProblem
from warmup_theory.proofs_checks.claims.stochastic import _point, random_sum
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.bounds import aiming_adaptive_iterations
from warmup_theory.theory.bounds import sgd as S

__all__: list[str] = []

H0, H1, mu, c, M, e, X0, xe, x, a, b = sp.symbols("H0 H1 mu c M epsilon X0 x_eps x a b", positive=True)
SEEDS = 64


def _start(rng: np.random.Generator, pl: bool) -> tuple[FiniteSumProblem, torch.Tensor, int, float, float]:
    """A random interpolating sum (PL when ``pl``), a start, a batch size, X0 = dist(w0, X*)², and ε."""
    while True:
        pr = random_sum(rng)
        if not pl or pr.mu is not None:
            break
    W = _point(rng, pr)
    return pr, W, int(rng.integers(1, pr.n + 1)), float(pr.minimiser_dist(W)[0]) ** 2, float(10 ** rng.uniform(-2, -1))


def _fit(count: Callable[[float], float], eps: float, horizon: int) -> tuple[float, float]:
    """(K, ε) with K = count(ε) <= horizon, ε raised ×3 until it fits: a check run for fewer than K iterations
    (censored at the horizon) could not exceed its bound, so every instance is run to its own K."""
    while (K := count(eps)) > horizon:
        eps *= 3
    return K, eps


def _pl_sample(*, fixed: bool) -> Callable[[np.random.Generator], tuple[float, float]]:
    """The sample function of the PL theorems: (mean of 1 + last k with gap > ε over 64 seeds, the E-bound on τ);
    the runs go on past ε (engine eps = 1e-12·ε) for K <= 4000 iterations, recorded at every k."""
    def one(rng: np.random.Generator) -> tuple[float, float]:
        pr, W, B, X0v, eps = _start(rng, pl=True)
        kw: dict[str, Any] = dict(batch=B, n=pr.n, dist0=float(np.sqrt(X0v)))
        calc = S.sgd_pl_fixed_iterations if fixed else S.sgd_pl_adaptive_iterations
        K, eps = _fit(lambda ep: calc(pr.H0, pr.H1, pr.mu, 1.0, ep, **kw), eps, 4000)
        al, be = (1.0 / S.sgd_fixed_step(pr.H0, pr.H1, 1.0, X0v), 0.0) if fixed else (10 * pr.H0, 20 * pr.H1)
        r = run_sgd(pr, W.repeat(SEEDS, 1), al, be, batch=B, eps=eps * 1e-12, seed=int(rng.integers(10**6)),
                    max_iter=int(max(K, 1)), record=True, device="cpu")
        return _last_exceed(r, eps), K
    return one


def _last_exceed(r: Any, eps: float) -> float:
    """Mean over runs of 1 + the last k with f(w_k) − f* > eps (0 if none); each run's value is <= its τ."""
    gh = r.gap_history
    over = np.nan_to_num(gh, nan=0.0) > eps
    last = np.where(over.any(axis=0), gh.shape[0] - np.argmax(over[::-1], axis=0), 0)
    return float(last.mean())


@claim("Thm SGD aiming",
       "SGD, η_k = 1/(aH0 + bH1(f_{S_k}(w_k) − f*)), per-sample θ-aiming, interpolation: τ_ε = first k with "
       "f(w_k) − f* <= ε has E[τ_ε] <= X0(aH0/ε + bH1M)/(2θ − max(2/a,1/b)); P[τ_ε > K] <= E[τ_ε]/K")
def _thm_aim(p: Proof) -> None:
    p.uses("Lemma SGD distance step", "X_{k+1} <= X_k − c·η_kΔ_{S_k}(w_k) on every path")
    p.uses("Lemma SGD expected decrement", "E[η_kΔ_{S_k} | F_k] >= φ_M(Δ_k), φ_M(x) = x/(aH0 + bH1Mx)")
    p.nonneg(sp.factor(sp.diff(x / (a * H0 + b * H1 * M * x), x)),
             "φ_M' >= 0: for k < τ_ε, Δ_k > ε gives φ_M(Δ_k) >= φ_M(ε)")
    p.cite("optional stopping for the non-negative supermartingale Z_k = X_k + c·Σ_{j<k}φ_M(Δ_j) at the bounded "
           "time τ_ε ∧ K, then monotone convergence (K → ∞): c·φ_M(ε)·E[τ_ε] <= E[Z_{τ∧K}] <= X0", standard=True)
    p.cite("Markov's inequality: P[τ_ε > K] <= E[τ_ε]/K", standard=True)
    p.identity(X0 / (c * (e / (a * H0 + b * H1 * M * e))), X0 * (a * H0 / e + b * H1 * M) / c,
               "X0/(c·φ_M(ε)) = X0(aH0/ε + bH1M)/c, the calculator's K_E")
    hs = sp.symbols("h0 h1 theta d epsilon", positive=True)
    p.identity(S.sgd_aiming_adaptive_iterations(*hs, batch=5, n=5), aiming_adaptive_iterations(*hs),
               "B = n (M = 1): the calculator's K_E is the deterministic Thm 4.2 count (symbolic paths)")
    p.fact("float paths agree at three instances of B = n", all(
        S.sgd_aiming_adaptive_iterations(h0, h1, 1.0, d, ep, batch=5, n=5) == aiming_adaptive_iterations(h0, h1, 1.0,
                                                                                                         d, ep)
        for h0, h1, d, ep in ((1.0, 1.0, 1.0, 1e-2), (2.0, 0.3, 3.0, 1e-4), (0.5, 0.0, 0.2, 1e-1))),
        method="instance", role="check")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        pr, W, B, X0v, eps = _start(rng, pl=False)
        K, eps = _fit(lambda ep: S.sgd_aiming_adaptive_iterations(pr.H0, pr.H1, 1.0, float(np.sqrt(X0v)), ep,
                                                                  batch=B, n=pr.n), eps, 50_000)
        r = run_sgd(pr, W.repeat(SEEDS, 1), 10 * pr.H0, 20 * pr.H1, batch=B, eps=eps, seed=int(rng.integers(10**6)),
                    max_iter=int(K), device="cpu")
        it = np.where(r.iterations >= 0, r.iterations, r.max_iter + 1)  # censored runs count past the horizon
        return float(it.mean()), K

    p.sample("mean first-hit iteration over 64 SGD seeds <= E-bound (random interpolating sums, θ = 1)", one, 8)


@claim("Thm SGD PL",
       "as 'Thm SGD aiming' and f μ-PL: τ = first k with X_k <= x_ε has f(w_k) − f* <= ε for all k >= τ and "
       "E[τ] <= (2aH0/(cμ))(1 + log(X0/x_ε)) + bH1M·X0/c, X0 <= 2(f(w0) − f*)/μ; P[τ > K] <= E[τ]/K")
def _thm_pl(p: Proof) -> None:
    p.uses("Lemma SGD distance step", "X_k is non-increasing on every path")
    p.uses("Lemma SGD expected decrement", "E[X_{k+1} | F_k] <= X_k − c·φ_M(Δ_k)")
    p.uses("Lemma SGD gap from distance", "X_k <= x_ε ⇒ f(w_k) − f* <= h(x_ε) = ε")
    p.cite("PL ⇒ quadratic growth f(w) − f* >= (μ/2)·dist(w, X*)² (Karimi, Nutini, Schmidt 2016, Thm 2), so "
           "φ_M(Δ_k) >= φ_M(μX_k/2) = Ψ(X_k)/c and X0 <= 2(f(w0) − f*)/μ", standard=True)
    psi = c * (mu * x / 2) / (a * H0 + b * H1 * M * mu * x / 2)
    p.nonneg(sp.factor(sp.diff(psi, x)), "Ψ' >= 0")
    p.identity(1 / psi, 2 * a * H0 / (c * mu * x) + b * H1 * M / c, "G'(x) = 1/Ψ(x) = 2aH0/(cμx) + bH1M/c")
    p.nonneg(-sp.diff(1 / psi, x), "G'' = (1/Ψ)' <= 0: G concave on [x_ε, ∞) (continued linearly below x_ε)")
    p.cite("conditional Jensen for the concave increasing G, then the tangent bound G(y) <= G(x) + G'(x)(y − x) at "
           "y = x − Ψ(x): E[G(X_{k+1}) | F_k] <= G(X_k) − 1 while X_k > x_ε; optional stopping for G(X_{k∧τ}) + "
           "k∧τ and monotone convergence: E[τ] <= G(X0) − G(0); Markov for P[τ > K]", standard=True)
    G = sp.integrate(1 / psi, (x, xe, X0)) + xe / psi.subs(x, xe)
    K = 2 * a * H0 / (c * mu) * (1 + sp.log(X0 / xe)) + b * H1 * M * X0 / c
    p.identity(sp.expand_log(G, force=True), sp.expand_log(K, force=True),
               "G(X0) − G(0) = ∫_{x_ε}^{X0} dx/Ψ + x_ε/Ψ(x_ε) = the calculator's K_E")

    p.sample("mean (1 + last k with f(w_k) − f* > ε) over 64 SGD seeds <= E-bound (PL interpolating sums)",
             _pl_sample(fixed=False), 6)


@claim("Thm SGD PL fixed",
       "fixed-step SGD, 0 < η < 2θ/G, G = 2H0 + H1·h(X0), f μ-PL, per-sample θ-aiming, interpolation: "
       "E[X_k] <= ρ^k·X0, ρ = 1 − η(2θ − ηG)μ/2; E[τ] <= ceil(log(X0/x_ε)/(−log ρ)) + 1/(1 − ρ); "
       "P[τ > K] <= δ for K >= log(X0/(x_ε·δ))/(−log ρ)")
def _thm_fixed(p: Proof) -> None:
    p.uses("Lemma SGD gap from distance", "Δ_S(w_k) <= h(X_k) <= h(X0) while X_k <= X0 (induction on k)")
    p.uses("Lemma SGD distance step", "fixed η: X_{k+1} <= X_k − η(2θ − ηG)Δ_{S_k} pathwise")
    p.uses("Lemma SGD batch", "E[Δ_{S_k} | F_k] = Δ_k (η deterministic: no correlation with S_k)")
    p.cite("PL ⇒ quadratic growth Δ >= (μ/2)X (Karimi, Nutini, Schmidt 2016, Thm 2); tower property: "
           "E[X_{k+1}] <= ρ·E[X_k]; Markov: P[τ > k] = P[X_k > x_ε] <= ρ^k X0/x_ε", standard=True)
    r, k0 = sp.symbols("rho k0", positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    p.identity(sp.summation(r**j, (j, 0, sp.oo)).rewrite(sp.Piecewise).args[0][0], 1 / (1 - r),
               "Σ_{k >= k0} ρ^k·X0/x_ε <= Σ_j ρ^j = 1/(1 − ρ) (ρ^{k0}X0/x_ε <= 1), "
               "so E[τ] = Σ_k P[τ > k] <= k0 + 1/(1−ρ)")

    p.sample("fixed step θ/G: mean (1 + last k with gap > ε) over 64 SGD seeds <= E-bound", _pl_sample(fixed=True), 6)
