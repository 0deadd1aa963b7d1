"""Claims for the SGD extension (toolkit's own; the paper's stochastic statement is unknown, NOTES §5): the
lemmas behind :mod:`warmup_theory.theory.bounds.sgd`.

Setting: :mod:`warmup_theory.theory.bounds.sgd_common`.  Δ_S = f_S(w) − f*, Δ = f(w) − f*, X = dist(w, X*)²,
η_S = 1/(aH0 + bH1Δ_S), v = max(2/a, 1/b), M = n/B (without replacement) or n (with).  The randomized checks
use the finite sums of :mod:`warmup_theory.numerics.problems.shared_minimiser` (constants by the closure rules).
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
import torch

from warmup_theory.numerics.problems.finite_sum import FiniteSumProblem
from warmup_theory.numerics.problems.shared_minimiser import consistent_least_squares, shared_minimiser_sum
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.bounds.sgd_common import distance_for_gap, gap_from_distance, sgd_sample_ratio

__all__: list[str] = []

H0, H1, D, X, eta, th, s = sp.symbols("H0 H1 Delta X eta theta s", positive=True)
al, be, t, x = sp.symbols("alpha beta t x", nonnegative=True)
v = sp.Symbol("v", positive=True)


def random_sum(rng: np.random.Generator) -> FiniteSumProblem:
    """A random interpolating finite sum (least squares or a shared-minimiser gallery sum), n <= 8, d <= 3."""
    n, d, seed = int(rng.integers(2, 9)), int(rng.integers(1, 4)), int(rng.integers(10**6))
    if rng.random() < 0.4:
        return consistent_least_squares(n=n, dim=d, seed=seed, H1=float(rng.uniform(0, 2)))
    kinds = [("logcosh", "pl_hard"), ("quartic_plus_quadratic", "pl_hard"), ("logcosh",), ("pl_hard",)]
    return shared_minimiser_sum(kinds[int(rng.integers(len(kinds)))], n=n, dim=d, seed=seed)


def _point(rng: np.random.Generator, p: FiniteSumProblem) -> torch.Tensor:
    c = np.asarray(p.info.get("c", p.info.get("w_true")), dtype=np.float64)
    return torch.as_tensor((c + rng.normal(0, float(rng.uniform(0.1, 1.5)), c.shape))[None], dtype=torch.float64)


def _batches(n: int, B: int, replacement: bool) -> list[tuple[int, ...]]:
    """All equally likely batches: B-subsets, or ordered B-tuples with repetition."""
    if replacement:
        return list(itertools.product(range(n), repeat=B))
    return list(itertools.combinations(range(n), B))


def step_expansion(p: Proof, description: str) -> None:
    """Record ‖w − ηg − u‖² = ‖w − u‖² − 2η⟨g, w − u⟩ + η²‖g‖² (two coordinates; u any point)."""
    w1, w2, g1, g2, u1, u2 = sp.symbols("w1 w2 g1 g2 u1 u2", real=True)
    p.identity((w1 - eta * g1 - u1) ** 2 + (w2 - eta * g2 - u2) ** 2,
               (w1 - u1) ** 2 + (w2 - u2) ** 2 - 2 * eta * (g1 * (w1 - u1) + g2 * (w2 - u2)) + eta**2 * (g1**2 + g2**2),
               description)


@claim("Lemma SGD batch",
       "interpolation (every x ∈ X* minimises every f_i: f_i* = f*): every f_S is (H0,H1)-smooth with f_S* = f*; "
       "E_S[Δ_S] = Δ; Δ_S <= M·Δ with "
       "M = n/B (without replacement), n (with)")
def _batch(p: Proof) -> None:
    fs = sp.Symbol("f_star", real=True)
    p.uses("Closure average", "average rule (avg H0i + max H1i·(h* − avg f_i*), max H1i) for f_S and for f")
    p.identity(H0 + H1 * (fs - fs), H0, "equal minima f_i* = f_S* = f*: the average rule gives exactly (H0, H1)")
    p.cite("linearity of expectation: under uniform sampling each index lies in a B-subset with probability B/n, "
           "and each draw of a with-replacement batch is uniform on {1..n}, so E_S[(1/B)Σ_{i∈S}(f_i − f*)] = Δ",
           standard=True)
    d1, d2 = sp.symbols("d1 d2", nonnegative=True)
    p.nonneg(d1 + d2, "nΔ − Σ_{i∈S}(f_i − f*) = Σ_{i∉S}(f_i − f*) >= 0 (shown for two left-out terms; each "
                      "f_i − f* >= 0 as f_i* = f*), so Δ_S <= (n/B)Δ; with replacement Δ_S <= max_i(f_i − f*) <= nΔ")

    def enum(rng: np.random.Generator) -> tuple[float, float]:
        n, repl = int(rng.integers(2, 7)), bool(rng.random() < 0.5)
        B = int(rng.integers(1, n + 1)) if not repl else int(rng.integers(1, min(n, 3) + 1))
        di = rng.exponential(1.0, n) * (rng.random(n) < 0.7)
        vals = [float(np.mean(di[list(S)])) for S in _batches(n, B, repl)]
        M = sgd_sample_ratio(B, n, repl)
        return max(max(vals) - M * di.mean(), abs(float(np.mean(vals)) - di.mean()) - 1e-12), 0.0

    p.sample("all batches enumerated: max Δ_S <= MΔ and mean Δ_S = Δ (random Δ_i >= 0)", enum, 300)


@claim("Lemma SGD distance step",
       "per-sample θ-aiming + interpolation: X(w − η_S∇f_S) <= X(w) − (2θ − v)·η_SΔ_S on every sample (pathwise), "
       "v = max(2/a, 1/b) for η_S = 1/(aH0 + bH1Δ_S); v = η·(2H0 + H1·Δ̄) for a fixed η, Δ_S <= Δ̄")
def _dist_step(p: Proof) -> None:
    step_expansion(p, "‖w − η∇f_S − p‖² = ‖w − p‖² − 2η⟨∇f_S, w − p⟩ + η²‖∇f_S‖² (coordinates), p = proj_{X*}(w)")
    p.cite("dist(w⁺, X*)² <= ‖w⁺ − p(w)‖² (p(w) ∈ X*: definition of the distance to a set)", standard=True)
    p.cite("⟨∇f_S, w − p⟩ = (1/B)Σ_{i∈S}⟨∇f_i, w − p⟩ >= θ·Δ_S (per-sample aiming, averaged)", standard=True)
    p.uses("Lemma SGD batch", "f_S is (H0,H1)-smooth with minimum f*")
    p.uses("Lemma gradient bound", "‖∇f_S‖² <= 2H0Δ_S + H1Δ_S²")
    a_, b_ = (2 + al) / v, (1 + be) / v  # any a >= 2/v, b >= 1/v, i.e. v >= max(2/a, 1/b)
    p.leq((2 * H0 + H1 * D) / (a_ * H0 + b_ * H1 * D), v, "η_S(2H0 + H1Δ_S) <= v = max(2/a, 1/b)")
    gb = 2 * H0 * D + H1 * D**2
    p.leq(X - 2 * eta * th * D + eta**2 * gb, X - eta * D * (2 * th - eta * (2 * H0 + H1 * D)),
          "X − 2ηθΔ_S + η²(2H0Δ_S + H1Δ_S²) = X − ηΔ_S(2θ − η(2H0 + H1Δ_S)) (<= X − (2θ − v)ηΔ_S)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_sum(rng)
        W = _point(rng, pr)
        F, G = pr.components(W)
        B = int(rng.integers(1, pr.n + 1))
        S = torch.as_tensor(rng.choice(pr.n, B, replace=bool(rng.random() < 0.5)))
        dS = float(F[0, S].mean()) - pr.f_star
        a, b = (10.0, 20.0) if rng.random() < 0.5 else (float(rng.uniform(1.05, 5)), float(rng.uniform(0.55, 5)))
        e = 1.0 / (a * pr.H0 + b * pr.H1 * dS)
        W1 = W - e * G[0, S].mean(dim=0)[None]
        X0_, X1 = (float(pr.minimiser_dist(w)[0]) ** 2 for w in (W, W1))
        return X1, X0_ - (2 - max(2 / a, 1 / b)) * e * dS + 1e-13 * (1 + X0_)

    p.sample("one SGD step with the mini-batch warm-up step on random interpolating sums (θ = 1)", one, 300)


@claim("Lemma SGD expected decrement",
       "E[η_SΔ_S | w] >= Δ/(aH0 + bH1·M·Δ): the step and the gradient are correlated through S; no independence is "
       "used — pointwise Δ_S <= MΔ and 1/(aH0 + bH1x) decreasing, then E[Δ_S] = Δ")
def _exp_dec(p: Proof) -> None:
    a, b, M = sp.symbols("a b M", positive=True)
    # x = Δ_S in [0, MΔ]: write MΔ = x + t, t >= 0
    p.leq(x / (a * H0 + b * H1 * (x + t)), x / (a * H0 + b * H1 * x),
          "η_SΔ_S = x/(aH0 + bH1x) >= x/(aH0 + bH1MΔ) for 0 <= x = Δ_S <= MΔ (pointwise, every batch)")
    p.uses("Lemma SGD batch", "Δ_S <= MΔ and E_S[Δ_S] = Δ")
    p.cite("conditional expectation is monotone and linear, and S_k is independent of F_k = σ(w_0, S_0..S_{k−1}), so "
           "E[φ(S_k, w_k) | F_k] = E_S[φ(S, w)] at w = w_k (freezing lemma); applied to the pointwise bound, whose "
           "right side Δ_S/(aH0 + bH1MΔ) is linear in Δ_S", standard=True)

    def enum(rng: np.random.Generator) -> tuple[float, float]:
        n, repl = int(rng.integers(2, 7)), bool(rng.random() < 0.5)
        B = int(rng.integers(1, n + 1)) if not repl else int(rng.integers(1, min(n, 3) + 1))
        h0, h1 = float(rng.uniform(0.1, 3)), float(rng.uniform(0, 3))
        di = rng.exponential(1.0, n) * (rng.random(n) < 0.7) * float(10 ** rng.uniform(-3, 3))
        ds = np.array([np.mean(di[list(S)]) for S in _batches(n, B, repl)])
        lhs = float(np.mean(ds / (10 * h0 + 20 * h1 * ds)))
        Dm = float(di.mean())
        return Dm / (10 * h0 + 20 * h1 * sgd_sample_ratio(B, n, repl) * Dm), lhs * (1 + 1e-12)

    p.sample("exact E over all batches >= Δ/(10H0 + 20H1MΔ) (random Δ_i, with and without replacement)", enum, 300)


@claim("Lemma SGD gap from distance",
       "f (H0,H1)-smooth minimised on X* with value f*: f(w) − f* <= h(X) = (H0/H1)(cosh(√(H1X)) − 1), "
       "X = dist(w,X*)²; "
       "h(x_ε) = ε for x_ε = acosh(1 + H1ε/H0)²/H1")
def _gap_dist(p: Proof) -> None:
    y = H0 / H1 * (sp.cosh(sp.sqrt(H1) * s) - 1)
    p.identity(sp.diff(y, s, 2), H0 + H1 * y, "y = (H0/H1)(cosh(√H1 s) − 1) solves y'' = H0 + H1y")
    p.identity(y.subs(s, 0), 0, "y(0) = 0 = ψ(0) (ψ(s) = f(p + s·u) − f*, p = proj_{X*}(w), u = (w − p)/|w − p|)")
    p.identity(sp.diff(y, s).subs(s, 0), 0, "y'(0) = 0 = ψ'(0) (∇f(p) = 0 at a minimiser)")
    p.cite("comparison principle for ψ'' <= H0 + H1ψ with equal initial data: ψ <= y on s >= 0 (proof in "
           "warmup_theory.theory.lemmas' module docstring, the route of 'Lemma gradient bound')", standard=True)
    e = sp.Symbol("epsilon", positive=True)
    xe = sp.acosh(1 + H1 * e / H0) ** 2 / H1
    u = sp.Symbol("u", positive=True)  # u = acosh(1 + H1ε/H0) > 0, i.e. ε = H0(cosh u − 1)/H1
    p.identity(H0 / H1 * (sp.cosh(sp.sqrt(H1 * (u**2 / H1))) - 1), H0 * (sp.cosh(u) - 1) / H1,
               "h(u²/H1) = H0(cosh u − 1)/H1 = ε for u = acosh(1 + H1ε/H0), so h(x_ε) = ε")
    p.cite("cosh is increasing on [0, ∞) with inverse acosh, so u = acosh(1 + H1ε/H0) satisfies "
           "cosh u = 1 + H1ε/H0", standard=True)
    p.identity(distance_for_gap(H0, H1, e), xe, "distance_for_gap is x_ε (symbolic path)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_sum(rng)
        W = _point(rng, pr)
        F, _ = pr.components(W)
        Xw = float(pr.minimiser_dist(W)[0]) ** 2
        i = int(rng.integers(pr.n))
        return max(float(F[0].mean()), float(F[0, i])) - pr.f_star, gap_from_distance(pr.H0, pr.H1, Xw)

    p.sample("f and a component f_i at random points <= h(dist²) on random interpolating sums", one, 300,
             rtol=1e-9, atol=1e-12)

