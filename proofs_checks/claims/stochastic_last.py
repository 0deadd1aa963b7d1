"""Claim for the last-iterate expected gap with convex components, :mod:`warmup_theory.theory.bounds.sgd_last`
(toolkit's own; the paper's stochastic statement is unknown, NOTES §5).

Checks: (1) **exact** expectations — every batch sequence of a small interpolating sum (n <= 3, T <= 6 steps)
enumerated with its probability, so q_t = E[f(w_t) − f*] is exact up to float rounding — against the two
summed inequalities of the proof (S_0 <= D and λ·S_s <= (T − s + 1)·q_s for every s) and the final bound;
(2) on the same enumerated trees, the proof's **pathwise** comparator step ‖w_{t+1} − u‖² <= ‖w_t − u‖² −
αΔ_S(w_t) + βΔ_S(u) on every path, batch and comparator u ∈ {w_0, …, w_t, p(w_t)}, with the random warm-up η_t
and the calculator's α = X0/D, β = α/λ — this step is tight (equality for a quadratic f_S of curvature H0), so
it flags a D or λ off by a few per cent, which the summed inequalities (worst S_0/D ≈ 0.3, q_T/bound ≈ 0.5 at
T <= 6) do not; (3) batched SGD, 200 seeds, run to the calculator's K: the upper one-sided 99 % CLT bound of the
mean gap at K must be <= ε — a smoke test only (the observed worst ratio is ~1e-3 or below: it flags a K or a step
size wrong by orders of magnitude, not a constant); (4) an exact instance (least squares, a_{1,2} = (1, ±√30),
w0 = (1, 0)) where the expected gap **rises** after one step of either schedule: the last-iterate bound cannot
come from monotonicity.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp
import torch

from warmup_theory.numerics.gd import run_sgd
from warmup_theory.numerics.problems.finite_sum import FiniteSumProblem
from warmup_theory.numerics.problems.shared_minimiser import consistent_least_squares, shared_minimiser_sum
from warmup_theory.proofs_checks.claims.stochastic import _batches, _point, random_sum, step_expansion
from warmup_theory.proofs_checks.claims.stochastic_theorems import _fit
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.bounds import sgd_last as L

__all__: list[str] = []

H0, H1, eta, G, lam, m = sp.symbols("H0 H1 eta G lambda m", positive=True)
a, b, c, Dt, Du, X, Y, q, St = sp.symbols("a b c Delta_t Delta_u X Y q S", positive=True)
t, x = sp.symbols("t x", nonnegative=True)
SEEDS, Z99, HORIZON = 200, 2.326, 3000


def _ridge_pair(r: float, h1: float) -> FiniteSumProblem:
    """f_i = ½(a_iᵀw)², a_{1,2} = (1, ±r): the ill-conditioned pair on which E[gap] can rise (X* = {0},
    Hessians a_i a_iᵀ: (1 + r², H1)-smooth for any H1 >= 0, Prop B.1; convex; interpolation exact)."""
    A = torch.tensor([[1.0, r], [1.0, -r]], dtype=torch.float64)

    def components(W: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        R = W @ A.T
        return 0.5 * R * R, R[:, :, None] * A[None]

    return FiniteSumProblem(name=f"ridge_pair(r={r:.3g})", dim=2, n=2, components=components, f_star=0.0,
                            H0=1.0 + r * r, H1=h1, mu=None, theta=1.0, interpolation=True,
                            minimiser_dist=lambda W: W.norm(dim=1), provenance="Prop B.1 (quadratic f_i)",
                            info={"c": [0.0, 0.0]})


def _small(rng: np.random.Generator) -> FiniteSumProblem:
    """A random convex interpolating sum with n in {2, 3} components: least squares, gallery atoms, or the
    ill-conditioned pair of :func:`_ridge_pair` (where the monotone-gap shortcut λ = 1 fails)."""
    n, d, seed = int(rng.integers(2, 4)), int(rng.integers(1, 3)), int(rng.integers(10**6))
    u = rng.random()
    if u < 0.35:
        return _ridge_pair(float(rng.uniform(2, 8)), float(rng.choice([0.0, rng.uniform(0, 1)])))
    if u < 0.6:
        return consistent_least_squares(n=n, dim=d, seed=seed, H1=float(rng.uniform(0, 2)))
    kinds = [("logcosh",), ("logcosh", "pl_hard"), ("quartic_plus_quadratic",), ("pl_hard",)]
    return shared_minimiser_sum(kinds[int(rng.integers(len(kinds)))], n=n, dim=d, seed=seed)


def _enumerate(pr: FiniteSumProblem, w0: torch.Tensor, T: int, step: Callable[[torch.Tensor], torch.Tensor],
               batch: int, replacement: bool) -> tuple[list[torch.Tensor], list[torch.Tensor], np.ndarray]:
    """Every batch sequence of T steps, equally likely batches each step: (W_t [nb^t, d] for t = 0..T, Δ_S(W_t)
    [nb^t, nb] for every batch S and t = 0..T, q_t = E[f(w_t) − f*]).  Row j·nb + k of W_{t+1} is row j of W_t
    after batch k, so the ancestor of row j of W_t at time s <= t is row j // nb^(t − s) of W_s."""
    batches = torch.as_tensor(_batches(pr.n, batch, replacement))          # [nb, B]
    W, levels, gaps, q = w0.reshape(1, -1).to(torch.float64), [], [], []
    for k in range(T + 1):
        F, Gr = pr.components(W)
        q.append(float((F.mean(dim=1) - pr.f_star).mean()))                 # paths are equally likely
        dS = F[:, batches].mean(dim=2) - pr.f_star                          # [R, nb]
        levels.append(W)
        gaps.append(dS)
        if k == T:
            break
        gS = Gr[:, batches].mean(dim=2)                                      # [R, nb, d]
        W = (W[:, None, :] - step(dS)[..., None] * gS).reshape(-1, W.shape[1])
    return levels, gaps, np.asarray(q)


def exact_gaps(pr: FiniteSumProblem, w0: torch.Tensor, T: int, step: Callable[[torch.Tensor], torch.Tensor],
               batch: int, replacement: bool) -> np.ndarray:
    """q_t = E[f(w_t) − f*], t = 0..T, exactly: every batch sequence enumerated (equally likely batches each
    step); ``step`` maps the mini-batch gaps Δ_S [R] to the step sizes [R]."""
    return _enumerate(pr, w0, T, step, batch, replacement)[2]


def comparator_excess(pr: FiniteSumProblem, levels: list[torch.Tensor], gaps: list[torch.Tensor], alpha: float,
                      beta: float) -> float:
    """max over every path, step t, batch S and comparator u of (lhs − rhs)/scale for the proof's **pathwise**
    step ‖w_{t+1} − u‖² <= ‖w_t − u‖² − α·Δ_S(w_t) + β·Δ_S(u) (random η_t inside, before any expectation):
    u = w_s for every s <= t (the ancestors), and u = p(w_t) ∈ X* read through the distance, X_{t+1} <= X_t −
    α·Δ_S(w_t).  scale = ‖w_t − u‖² + α·Δ_S(w_t) + β·Δ_S(u); <= 0 when the step holds."""
    worst, nb = -math.inf, gaps[0].shape[1]
    for t in range(len(levels) - 1):
        Wt, Wn, dt = levels[t], levels[t + 1].reshape(levels[t].shape[0], nb, -1), gaps[t]
        for s_ in range(t + 1):
            anc = torch.arange(Wt.shape[0]) // nb ** (t - s_)
            u, du = levels[s_][anc], gaps[s_][anc]                            # [R, d], Δ_S(w_s) [R, nb]
            lhs = ((Wn - u[:, None, :]) ** 2).sum(dim=2)
            base = ((Wt - u) ** 2).sum(dim=1, keepdim=True)
            worst = max(worst, float(((lhs - base + alpha * dt - beta * du) / (base + alpha * dt + beta * du
                                                                               + 1e-300)).max()))
        Xt = pr.minimiser_dist(Wt)[:, None] ** 2
        Xn = pr.minimiser_dist(Wn.reshape(-1, Wt.shape[1])).reshape(-1, nb) ** 2
        worst = max(worst, float(((Xn - Xt + alpha * dt) / (Xt + alpha * dt + 1e-300)).max()))
    return worst


def _case(rng: np.random.Generator) -> tuple[FiniteSumProblem, torch.Tensor, int, bool, str, dict[str, float]]:
    pr = _small(rng)
    if pr.name.startswith("ridge_pair"):   # start on the stiff-direction null line, where steps overshoot
        W = torch.tensor([[1.0, float(rng.normal(0, 0.05))]], dtype=torch.float64)
    else:
        W = _point(rng, pr)
    repl = bool(rng.random() < 0.3)
    B = int(rng.integers(1, 3 if repl else pr.n + 1))
    if rng.random() < 0.5:
        return pr, W, B, repl, "adaptive", dict(a=float(rng.uniform(1.05, 12)), b=float(rng.uniform(0.55, 25)))
    X0 = float(pr.minimiser_dist(W)[0]) ** 2
    Gf = 2 * pr.H0 + pr.H1 * float(L.convex_last_iterate_constants(pr.H0, pr.H1, math.sqrt(X0))[0])
    return pr, W, B, repl, "fixed", dict(eta=float(rng.uniform(0.02, 1.9)) / Gf)


def _exact_ratios(rng: np.random.Generator, pathwise: bool = True) -> tuple[float, float]:
    """One random instance, exact expectations: (the largest lhs/rhs over the proof's summed inequalities and the
    final bound, 1 + :func:`comparator_excess` with the calculator's α = X0/D, β = α/λ; NaN without
    ``pathwise``, which skips that walk — the instance drawn is the same either way)."""
    pr, W, B, repl, sched, kw = _case(rng)
    d0 = float(pr.minimiser_dist(W)[0])
    Gv, Dv, lv = (float(v) for v in L.convex_last_iterate_constants(pr.H0, pr.H1, d0, schedule=sched, **kw))
    if sched == "fixed":
        def step(dS: torch.Tensor) -> torch.Tensor:
            return torch.full_like(dS, kw["eta"])
    else:
        def step(dS: torch.Tensor) -> torch.Tensor:
            return 1.0 / (kw["a"] * pr.H0 + kw["b"] * pr.H1 * dS)
    T = int(rng.integers(1, 7 if pr.n == 2 and B == 1 else 5))
    levels, gaps, qs = _enumerate(pr, W, T, step, B, repl)
    tail = np.cumsum(qs[::-1])[::-1]                                         # S_s = Σ_{t=s}^{T} q_t
    ratios = [tail[0] / Dv]                                                  # S_0 <= D
    for s_ in range(T + 1):                                                  # λ·S_s <= (T − s + 1)·q_s
        ratios.append(lv * tail[s_] / (T - s_ + 1) / qs[s_] if qs[s_] > 0 else float(tail[s_] > 0) * math.inf)
    bound = L.sgd_convex_last_iterate_gap(pr.H0, pr.H1, d0, T, batch=B, n=pr.n, replacement=repl, schedule=sched,
                                          **kw)
    if not pathwise:
        return max(*ratios, qs[-1] / bound), math.nan
    alpha = d0 * d0 / Dv
    return max(*ratios, qs[-1] / bound), 1.0 + comparator_excess(pr, levels, gaps, alpha, alpha / lv)


def _exact_check(rng: np.random.Generator) -> tuple[float, float]:
    """(the largest lhs/rhs over the proof's summed inequalities and the final bound, 1), exact expectations."""
    return _exact_ratios(rng, pathwise=False)[0], 1.0


def _step_check(rng: np.random.Generator) -> tuple[float, float]:
    """(1 + the largest normalised excess of the pathwise comparator step over every path, 1)."""
    return _exact_ratios(rng)[1], 1.0


def _observed(sched: str) -> Callable[[np.random.Generator], tuple[float, float]]:
    """(upper 99 % CLT bound of the mean gap at K over 200 SGD seeds, ε), K = the calculator's count."""
    def one(rng: np.random.Generator) -> tuple[float, float]:
        while True:
            pr = random_sum(rng)
            W = _point(rng, pr)
            B, d0 = int(rng.integers(1, pr.n + 1)), float(pr.minimiser_dist(W)[0])
            eta_v: float | None = None
            if sched == "fixed":
                Gf = 2 * pr.H0 + pr.H1 * float(L.convex_last_iterate_constants(pr.H0, pr.H1, d0)[0])
                eta_v = float(rng.uniform(0.05, 1.0)) / Gf

            def count(ep: float, pr: FiniteSumProblem = pr, B: int = B, d0: float = d0,
                      eta_v: float | None = eta_v) -> float:
                return float(L.sgd_convex_last_iterate_iterations(pr.H0, pr.H1, d0, ep, batch=B, n=pr.n,
                                                                    schedule=sched, eta=eta_v))
            K, eps = _fit(count, float(10 ** rng.uniform(-3, -1)), HORIZON)
            if K >= 1:
                break
        al, be = (1.0 / eta_v, 0.0) if eta_v is not None else (10 * pr.H0, 20 * pr.H1)
        r = run_sgd(pr, W.repeat(SEEDS, 1), al, be, batch=B, eps=1e-300, seed=int(rng.integers(10**6)),
                    max_iter=int(K), record=True, record_every=int(K), device="cpu")
        if any(s_ == "diverged" for s_ in r.status):
            return math.inf, eps
        last = np.asarray(r.gap_history)[-1]             # NaN: a run that stopped at gap <= 1e-300 (converged)
        done = np.asarray([s_ == "converged" for s_ in r.status])
        g = np.where(np.isnan(last), np.where(done, 1e-300, math.inf), last)
        return float(g.mean() + Z99 * g.std(ddof=1) / math.sqrt(SEEDS)), eps
    return one


def rising_instance() -> tuple[sp.Rational, sp.Rational, sp.Rational]:
    """(gap0, E[gap_1] for the warm-up step (a, b) = (10, 20), E[gap_1] for the fixed step 1/G_f), exactly:
    f_i = ½(a_iᵀw)², a_{1,2} = (1, ±√30), w0 = (1, 0), B = 1 of n = 2 (H0 = 31, H1 = 0: η = 1/310, 1/62)."""
    r = sp.sqrt(30)
    A = [sp.Matrix([1, r]), sp.Matrix([1, -r])]
    w0 = sp.Matrix([1, 0])

    def gap(w: sp.Matrix) -> sp.Expr:
        return sp.nsimplify(sum((ai.T * w)[0] ** 2 / 2 for ai in A) / 2)

    def expected_next(e: sp.Expr) -> sp.Expr:
        return sp.nsimplify(sum(gap(w0 - e * ai * (ai.T * w0)[0]) for ai in A) / 2)

    return gap(w0), expected_next(sp.Rational(1, 310)), expected_next(sp.Rational(1, 62))


@claim("Thm SGD last iterate (convex f_i)",
       "setting of 'Thm SGD aiming' with every f_i convex, G = h(X0), G_f = 2H0 + H1G: E[f(w_T) − f*] <= "
       "min(G, D·(2/(T + 2))^λ) for the last iterate; fixed η < 2/G_f: λ = 1 − ηG_f/2, D = X0/(2ηλ); warm-up "
       "step: λ = c·aH0/(2(aH0 + bH1G)), D = X0(aH0 + bH1G)/c, c = 2 − max(2/a, 1/b)")
def _thm_last(p: Proof) -> None:
    step_expansion(p, "‖w − ηg − u‖² = ‖w − u‖² − 2η⟨g, w − u⟩ + η²‖g‖² for any comparator u")
    p.cite("convexity of f_S (every f_i convex): ⟨∇f_S(w), w − u⟩ >= f_S(w) − f_S(u) for every u", standard=True)
    p.uses("Lemma SGD batch", "f_S is (H0,H1)-smooth with minimum f* on X*, so Δ_S(u) = f_S(u) − f* >= 0")
    p.uses("Lemma gradient bound", "‖∇f_S(w)‖² <= 2H0Δ_S + H1Δ_S²")
    p.uses("Lemma SGD distance step", "convex f_i give per-sample aiming with θ = 1; X_t <= X0 on every path")
    p.uses("Lemma SGD gap from distance", "Δ_S(w_t) <= h(X_t) <= h(X0) = G on every path")
    # fixed step: ‖g‖² <= (2H0 + H1G)Δ_t for Δ_t <= G = Δ_t + x
    p.leq(X - 2 * eta * (Dt - Du) + eta**2 * (2 * H0 * Dt + H1 * Dt**2),
          X - 2 * eta * (1 - eta * (2 * H0 + H1 * (Dt + x)) / 2) * Dt + 2 * eta * Du,
          "fixed η: X − 2η(Δ_t − Δ_u) + η²(2H0Δ_t + H1Δ_t²) <= X − 2ηλΔ_t + 2ηΔ_u, λ = 1 − η(2H0 + H1G)/2")
    # warm-up step: η_t(2H0 + H1Δ) <= v = 2 − c, and 1/(aH0 + bH1G) <= η_t <= 1/(aH0)
    v = 2 - c
    p.leq(X - 2 * eta * (Dt - Du) + eta * v * Dt, X - c * eta * Dt + 2 * eta * Du,
          "warm-up: with η_t²‖g‖² <= v·η_tΔ_t ('Lemma SGD distance step'), the step is <= X − cη_tΔ_t + 2η_tΔ_u")
    p.leq(1 / (a * H0 + b * H1 * (Dt + x)), 1 / (a * H0 + b * H1 * Dt),
          "η_t = 1/(aH0 + bH1Δ_S) >= 1/(aH0 + bH1G) for Δ_S <= G (pathwise)")
    p.leq(1 / (a * H0 + b * H1 * Dt), 1 / (a * H0), "η_t <= 1/(aH0) (Δ_S >= 0)")
    # η_t ∈ [lo, up] multiplies Δ_t − Δ_u, of either sign: η_t = lo + y, up = η_t + z (y, z >= 0), each term apart
    lo, y, z = sp.symbols("ell y z", positive=True)
    p.leq(X - c * (lo + y) * Dt + 2 * (lo + y) * Du, X - c * lo * Dt + 2 * (lo + y + z) * Du,
          "pathwise, before any expectation: lo <= η_t <= up gives −cη_tΔ_S(w_t) + 2η_tΔ_S(u) <= −c·lo·Δ_S(w_t) + "
          "2·up·Δ_S(u) (lo against −cΔ_S(w_t) <= 0, up against 2Δ_S(u) >= 0): α = c/(aH0 + bH1G), β = 2/(aH0)")
    p.cite("for s <= t, w_s is F_t-measurable and S_t independent of F_t: E[Δ_{S_t}(w_s) | F_t] = Δ(w_s) and "
           "E[Δ_{S_t}(w_t) | F_t] = Δ(w_t) (freezing lemma; α, β are constants, η_t no longer appears); tower "
           "property, then telescoping the pathwise step ‖w_{t+1} − u‖² <= ‖w_t − u‖² − αΔ_S(w_t) + βΔ_S(u) over "
           "t = s..T with E‖w_{T+1} − u‖² >= 0: u = p(w0) gives α·S_0 <= X0, u = w_s gives α·S_s <= β(T − s + 1)q_s",
           standard=True)
    X0s = sp.Symbol("X_0", positive=True)
    for sched, kw in (("fixed", dict(eta=eta)), ("adaptive", dict(a=a, b=b))):
        G_c, D_c, l_c = L.convex_last_iterate_constants(H0, H1, sp.sqrt(X0s), schedule=sched, **kw)
        if sched == "fixed":
            al, be = 2 * eta * (1 - eta * (2 * H0 + H1 * G_c) / 2), 2 * eta
        else:
            al, be = (2 - sp.Max(2 / a, 1 / b)) / (a * H0 + b * H1 * G_c), 2 / (a * H0)
        p.identity(D_c * al, X0s, f"calculator's {sched} D = X0/α (from α·S_0 <= X0), any H1")
        p.identity(l_c * be, al, f"calculator's {sched} λ = α/β (from α·S_s <= β(T − s + 1)q_s), any H1")
    vv = sp.Symbol("v", positive=True)
    p.leq((2 - vv) * a * H0 / (2 * (a * H0 + b * H1 * G)), 1 - vv * a * H0 / (2 * (a * H0 + b * H1 * G)),
          "warm-up λ = c·aH0/(2(aH0 + bH1G)) <= 1 − v·aH0/(2(aH0 + bH1G)) < 1 (c = 2 − v, v > 0); fixed λ < 1 "
          "trivially: so 1 − λ/m >= 0 for m >= 2 and the one-step factors may be multiplied")
    # recursion: from λS <= m·q (S = S_s, q = q_s, m = T − s + 1): S_{s+1} = S − q <= (1 − λ/m)S
    p.leq(St - (lam * St + m * Y) / m, (1 - lam / m) * St,
          "q = (λS + Y)/m with Y = m·q − λS >= 0: S_{s+1} = S − q <= (1 − λ/m)·S")
    p.cite("1 − y <= e^{−y} and Σ_{m=2}^{T+1} 1/m >= ∫_2^{T+2} dy/y = log((T + 2)/2) (1/y decreasing): "
           "Π_{m=2}^{T+1}(1 − λ/m) <= (2/(T + 2))^λ for 0 <= λ <= 1", standard=True)
    K = 2 * (G / q) ** (1 / lam) - 2  # G as D, q as ε here
    p.identity(G * (2 / (K + 2)) ** lam, q, "D·(2/(K + 2))^λ = ε at K = 2(D/ε)^{1/λ} − 2, the calculator's count")
    p.sample("exact E over every batch sequence (n <= 3, T <= 6): S_0 <= D, λS_s <= (T − s + 1)q_s, q_T <= bound",
             _exact_check, 60, rtol=1e-9, atol=0.0)
    p.sample("every enumerated path, step, batch and comparator u ∈ {w_0..w_t, p(w_t)}: ‖w_{t+1} − u‖² <= "
             "‖w_t − u‖² − αΔ_S(w_t) + βΔ_S(u) with the random η_t (α = X0/D, β = α/λ of the calculator)",
             _step_check, 60, rtol=1e-9, atol=0.0)
    p.fact("T = 0 gives G = h(X0) (pathwise cap)",
           L.sgd_convex_last_iterate_gap(2.0, 0.0, 1.0, 0, batch=1, n=2) == 1.0, method="instance", role="check")
    g0, g_warm, g_fix = rising_instance()
    p.fact(f"the expected gap is not monotone: gap0 = {g0}, E[gap_1] = {g_warm} (warm-up), {g_fix} (fixed 1/G_f)",
           bool(g_warm > g0 and g_fix > g0), method="symbolic", role="check")
    for sched in ("fixed", "adaptive"):
        p.sample(f"{sched}: mean + 2.326·sd/√200 of the gap at K over 200 SGD seeds <= ε (random convex sums)",
                 _observed(sched), 3)
