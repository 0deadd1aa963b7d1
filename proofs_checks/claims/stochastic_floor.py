"""Claim for what goes wrong without interpolation: the two-function witness of
:mod:`warmup_theory.theory.stochastic_witness` (toolkit's own), checked on batched SGD runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from warmup_theory.numerics.gd import run_sgd
from warmup_theory.numerics.problems.shared_minimiser import no_interpolation_pair
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import stochastic_witness as SW

__all__: list[str] = []

s, a, b, H1, q = sp.symbols("s a b H1 q", positive=True)
w, t = sp.symbols("w t", real=True)
RUNS = 4000


def _hist(r: Any) -> np.ndarray:
    """The recorded gap history (run_sgd was called with record=True)."""
    assert r.gap_history is not None
    return np.asarray(r.gap_history)


@claim("SGD without interpolation (witness)",
       "f_{1,2} = (s/2)(w ∓ 1)², B = 1 (f* = s/2 > f_i* = 0): the mini-batch warm-up step is undefined at w = ±1 "
       "for H1 >= 2a/b; with H1 = 0, E[f(w_k) − f*] -> s/(2(2a − 1)) > 0; for 0 <= H1 <= 2(a−1)/b and |w0| <= 1, "
       "E[f(w_k) − f*] >= s/(4(a + 3bH1/2)²) for every k >= 1")
def _witness(p: Proof) -> None:
    fS = s / 2 * (w - t) ** 2
    f = s / 2 * (w**2 + 1)
    p.identity(fS.subs(t, 1) / 2 + fS.subs(t, -1) / 2, f, "f = (f_1 + f_2)/2 = (s/2)(w² + 1), f* = s/2 at w = 0")
    p.identity((fS - s / 2).subs(w, t).subs(t, 1), -s / 2, "f_t(t) − f* = −s/2 < 0: the mini-batch gap is negative")
    p.identity(a * s + b * H1 * (-s / 2), s * (a - b * H1 / 2),
               "denominator at w = t: s(a − bH1/2) <= 0 iff H1 >= 2a/b (undefined or negative step)")
    F = q / (2 - q)
    p.identity((1 - q) ** 2 * F + q**2, F,
               "H1 = 0, q = ηs = 1/a: E w⁺² = (1 − q)²E w² + q² has fixed point F = q/(2 − q)")
    p.identity(F.subs(q, 1 / a) * s / 2, SW.exact_floor(s, a), "floor (s/2)·F = s/(2(2a − 1)) = exact_floor")
    p.cite("w⁺ = (1 − q)w + q·t with t = ±1 a fair coin independent of w: E[w⁺²] = (1−q)²E[w²] + q² "
           "(the cross term has E[t] = 0); iterating gives exact_expected_gap", standard=True)
    x, u = sp.symbols("x u", nonnegative=True)  # x = w >= 0; ηs = 1/(1 + u) <= 1
    m = 1 / (a + 3 * b * H1 / 2)
    p.nonneg(sp.simplify(((1 - q) * x + q - q).subs(q, 1 / (1 + u))),
             "for w >= 0 and t = +1: w⁺ − ηs = (1 − ηs)w >= 0 when ηs <= 1")
    p.cite("on |w| <= 1: f_t(w) − f* = (s/2)(w² − 2tw) ∈ [−s/2, 3s/2], so s(a − bH1/2) <= den <= s(a + 3bH1/2); "
           "H1 <= 2(a−1)/b gives ηs <= 1 (w stays in [−1, 1], a convex combination of w and t) and ηs >= m = "
           "1/(a + 3bH1/2); the sample with t = sign(w) has probability 1/2, so E[f(w⁺) − f*] >= (1/2)(s/2)m²",
           standard=False, detail="claim-specific case argument in words")
    p.identity(s / 4 * m**2, SW.floor_lower_bound(s, H1, a, b), "(1/2)(s/2)m² = floor_lower_bound")

    def floor_h1(rng: np.random.Generator) -> tuple[float, float]:
        sv, h1 = float(rng.uniform(0.5, 2)), float(rng.uniform(0, 0.9))  # 2(a−1)/b = 0.9 for (10, 20)
        pr = no_interpolation_pair(sv, h1)
        w0 = rng.uniform(-1, 1, (RUNS, 1))
        r = run_sgd(pr, w0, 10 * sv, 20 * h1, batch=1, eps=1e-300, seed=int(rng.integers(10**6)), max_iter=60,
                    record=True, device="cpu")
        return SW.floor_lower_bound(sv, h1), float(np.min(_hist(r)[1:].mean(axis=1)))

    p.sample("empirical mean gap at k = 1..60 (4000 runs) >= floor_lower_bound, random s, H1 <= 0.9", floor_h1, 6)

    def exact(rng: np.random.Generator) -> tuple[float, float]:
        sv, w0v = float(rng.uniform(0.5, 2)), float(rng.uniform(-3, 3))
        pr = no_interpolation_pair(sv, 0.0)
        r = run_sgd(pr, np.full((RUNS, 1), w0v), 10 * sv, 0.0, batch=1, eps=1e-300, seed=int(rng.integers(10**6)),
                    max_iter=80, record=True, device="cpu")
        g = _hist(r)[80]
        se = float(g.std(ddof=1) / np.sqrt(RUNS))
        return abs(float(g.mean()) - SW.exact_expected_gap(sv, 10, 80, w0v)), 5 * se  # 5 standard errors

    p.sample("H1 = 0: empirical mean gap at k = 80 within 5 standard errors of exact_expected_gap", exact, 6)

    def undefined(rng: np.random.Generator) -> tuple[float, float]:
        h1 = float(rng.uniform(1.0, 3.0))  # >= 2a/b = 1
        pr = no_interpolation_pair(1.0, h1)
        r = run_sgd(pr, np.full((64, 1), 1.0), 10.0, 20 * h1, batch=1, eps=1e-300, seed=int(rng.integers(10**6)),
                    max_iter=5, device="cpu")
        # from w0 = 1 the sample t = +1 (probability 1/2 per step) has a non-positive denominator
        return float(1 - r.undefined_step.mean()), 0.1

    p.sample("H1 >= 2a/b from w0 = 1: >= 90 % of 64 runs stop on an undefined step within 5 iterations",
             undefined, 4)
