"""Claims for user-facing bounds of Section 4 (v2) that had no proof claim of their own.

* ``Aiming fixed-step bound`` — :func:`warmup_theory.theory.bounds.aiming_fixed_iterations` (the toolkit's own): for a
  θ-aiming (H0,H1)-smooth f, a start with gap Δ0 <= gap0 and distance dist0 to the minimisers S, and a fixed
  step η <= 2/L0 (L0 = H0 + H1·gap0) with c = 2θ − η·G > 0 (G = 2H0 + H1·gap0),
  Δ_k <= eps for every k >= ceil(dist0²/(η·c·eps)) (0 when gap0 <= eps).  Default η = min(1/L0, θ/G).
* ``Regime crossover (PL)`` — :func:`warmup_theory.theory.regime.pl_crossover_log10_eps`: for every eps < eps* the
  warm-up's proven upper bound U = pl_adaptive_iterations is strictly below the fixed-step lower bound
  L = pl_fixed_lower_iterations.
* ``Thm 4.3 printed form: valid when gap0 > eps`` — the printed K = 40H1Δ0/μ + (20H0/μ)log(H0/(2H1ε)) exceeds the
  corrected count (real-valued by at least 20H0/μ, and the integer count of pl_adaptive_iterations) whenever
  Δ0 > ε and μ <= H0: the printed Thm 4.3's only defect is the missing domain guard Δ0 > ε.

Norm: Euclidean; Δ = f(w) − f*; counts are iteration indices of plain GD w⁺ = w − η∇f(w).

The randomized checks run float64 GD (numpy, vectorised over instances) on 1-D members with f* = 0,
S = {0}, dist = |w|: the quadratic (λ/2)w² (λ <= H0: (λ,0)- hence (H0,H1)-smooth, 2-aiming), the cosh
function (H0/H1)(cosh(√H1 w) − 1) (exactly (H0,H1)-smooth, 2-aiming: claim "Cosh function") and the
quartic s·w⁴ (s <= H0H1/36: (H0,H1)-smooth, 4-aiming: proved in ``_quartic_member`` below).

>>> import numpy as np
>>> r = gd_aiming_batch(np.random.default_rng(0), 4, "quadratic")
>>> bool(np.all(r["observed"] <= r["bound"]))
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import bounds as B
from warmup_theory.theory import regime as R

__all__ = ["KINDS", "gd_aiming_batch", "crossover_instance", "printed_instance", "corrected_real"]

#: Members of the randomized GD check of "Aiming fixed-step bound".
KINDS = ("quadratic", "cosh", "quartic")

_CAP = 40_000  # GD iterations per batch; a run not done by then counts as a violation (lhs = inf)


def _depends(p: Proof, cid: str, what: str) -> None:
    """A step proved by another toolkit claim; its verdict is carried over (``Proof.uses``)."""
    p.uses(cid, what)


# ------------------------------------------------------------------ 1. aiming, fixed step
def _quartic_member(p: Proof) -> None:
    """s·w⁴ with s <= H0H1/36 is (H0,H1)-smooth and 4-aiming (used by the randomized check)."""
    h0, h1, y = sp.symbols("H0 H1 y", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    s = h0 * h1 / 36 / (1 + t)  # s <= H0H1/36
    # f'' = 12 s w² <= H0 + H1 f = H0 + H1 s w⁴  (y = w²)
    p.identity(h0 + h1 * s * y**2 - 12 * s * y, h1 * s * (y - 6 / h1) ** 2 + h0 - 36 * s / h1,
               "quartic: H0 + H1·s·y² − 12·s·y = H1·s·(y − 6/H1)² + (H0 − 36s/H1), y = w²")
    p.nonneg(h0 - 36 * s / h1, "quartic: H0 − 36s/H1 >= 0 for s <= H0H1/36, so f'' <= H0 + H1 f")
    w = sp.Symbol("w", real=True)
    p.identity(sp.diff(s * w**4, w) * w, 4 * s * w**4, "quartic: ⟨f'(w), w − 0⟩ = 4f, so θ-aiming for θ <= 4")


_ArrayFn = Callable[[np.ndarray], np.ndarray]


def _member_fns(kind: str, H0: np.ndarray, H1: np.ndarray, rng: np.random.Generator
                ) -> tuple[_ArrayFn, _ArrayFn, _ArrayFn, float]:
    """(f, f', start(gap) -> w0, aiming constant) of a vectorised 1-D member with f* = 0, S = {0}."""
    n = H0.size
    if kind == "quadratic":
        lam = H0 * rng.uniform(0.1, 1.0, n)
        return (lambda w: 0.5 * lam * w * w), (lambda w: lam * w), (lambda d: np.sqrt(2 * d / lam)), 2.0
    if kind == "cosh":
        c, r = H0 / H1, np.sqrt(H1)
        start = (lambda d: np.arcsinh(np.sqrt((H1 * d / H0) * (2 + H1 * d / H0))) / r)  # acosh(1 + H1Δ/H0)/√H1
        # cosh(x) − 1 = 2 sinh²(x/2): no cancellation near the minimiser (cosh − 1 would overstate Δ there)
        return (lambda w: 2 * c * np.sinh(r * w / 2) ** 2), (lambda w: c * r * np.sinh(r * w)), start, 2.0
    if kind == "quartic":
        s = H0 * H1 / 36 * rng.uniform(0.5, 1.0, n)
        return (lambda w: s * w**4), (lambda w: 4 * s * w**3), (lambda d: (d / s) ** 0.25), 4.0
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def gd_aiming_batch(rng: np.random.Generator, n: int, kind: str, random_step: bool = False) -> dict[str, np.ndarray]:
    """Run float64 GD on ``n`` random instances of one member ``kind``; compare with aiming_fixed_iterations.

    ``random_step=False``: the default step of the calculator and θ = 1 (valid: every member is 2- or
    4-aiming).  ``random_step=True``: θ uniform in [0.3, member's constant] and η = u·min(2/L0, 2θ/G),
    u in [0.1, 0.95] (class-stable, c > 0).  Returns per instance: ``observed`` (first k with Δ_k <= eps, inf
    if not reached within the cap), ``bound``, ``mono`` (max_k Δ_{k+1} − Δ_k, must be <= 0), ``dist`` (max_k of
    (d_{k+1}² + η·c·Δ_k)/d_k², must be <= 1: the one-step distance inequality), ``iters`` (run length).
    """
    H0 = rng.uniform(0.2, 3.0, n)
    H1 = H0 * 10 ** rng.uniform(-1.5, 0.5, n) if kind != "quartic" else rng.uniform(0.3, 3.0, n)
    gap0 = H0 / H1 * 10 ** rng.uniform(-1.5, 1.3, n)  # H1·gap0/H0 in [0.03, 20]
    gap_start = gap0 * np.where(rng.random(n) < 0.3, 1.0, rng.uniform(0.3, 1.0, n))
    rel = 10 ** rng.uniform(-3.5 if kind != "quartic" else -2.5, -0.5, n)
    eps = gap0 * np.where(rng.random(n) < 0.05, 1.5, rel)  # a few instances with gap0 <= eps (count 0)
    f, df, start, th_max = _member_fns(kind, H0, H1, rng)
    theta = rng.uniform(0.3, th_max, n) if random_step else np.ones(n)
    L0, G = H0 + H1 * gap0, 2 * H0 + H1 * gap0
    if random_step:
        eta = rng.uniform(0.1, 0.95, n) * np.minimum(2 / L0, 2 * theta / G)
    else:
        eta = np.array([B.aiming_fixed_default_step(float(H0[i]), float(H1[i]), float(theta[i]), float(gap0[i]))
                        for i in range(n)])
    c = 2 * theta - eta * G
    w = start(gap_start)
    bound = np.array([B.aiming_fixed_iterations(float(H0[i]), float(H1[i]), float(theta[i]), float(gap0[i]),
                                                abs(float(w[i])), float(eps[i]),
                                                eta=None if not random_step else float(eta[i]))
                      for i in range(n)])
    d = f(w)
    observed = np.where(d <= eps, 0.0, np.inf)
    mono = np.full(n, -np.inf)
    dist = np.zeros(n)
    k = 0
    while k < _CAP and not np.all(np.isfinite(observed)):
        k += 1
        wn = w - eta * df(w)
        dn = f(wn)
        mono = np.maximum(mono, dn - d)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(w != 0, (wn * wn + eta * c * d) / (w * w), 0.0)
        dist = np.maximum(dist, ratio)
        observed = np.where(~np.isfinite(observed) & (dn <= eps), float(k), observed)
        w, d = wn, dn
    return {"observed": observed, "bound": bound, "mono": mono, "dist": dist, "iters": np.full(n, float(k)),
            "gap0": gap0, "eps": eps}


def _replay(pairs: list[tuple[float, float]]) -> Callable[[np.random.Generator], tuple[float, float]]:
    it: Iterator[tuple[float, float]] = iter(pairs)
    return lambda rng: next(it)


@claim("Aiming fixed-step bound",
       "θ-aiming (H0,H1)-smooth f, Δ0 <= gap0, fixed η <= 2/L0 (L0 = H0+H1gap0), c = 2θ − η(2H0+H1gap0) > 0: "
       "Δ_k <= ε for all k >= ceil(dist0²/(ηcε)) (0 if gap0 <= ε); default η = min(1/L0, θ/(2H0+H1gap0)) "
       "has c >= θ -> aiming_fixed_iterations (toolkit's own)")
def aiming_fixed_bound(p: Proof) -> None:
    """Fixed-step θ-aiming count: one-step telescoping in sympy, then GD on quadratic / cosh / quartic members."""
    H0, H1, th, g0, eta, eps, d0 = sp.symbols("H0 H1 theta gap0 eta epsilon d0", positive=True)
    s, t, b, q, r, dd = sp.symbols("s t b q r d", nonnegative=True)
    L0, G = H0 + H1 * g0, 2 * H0 + H1 * g0
    D = g0 / (1 + t)  # any gap Δ in (0, gap0]
    # (1) class-stable run: Δ_k <= gap0
    p.leq((2 / L0) / (1 + s), 2 / (H0 + H1 * D),
          "η <= 2/L0 and Δ <= gap0 ⇒ η <= 2/(H0 + H1Δ), the descent lemma's hypothesis at every Δ <= gap0")
    _depends(p, "Lemma descent (adaptive step)", "descent lemma: η <= 2/(H0 + H1Δ) ⇒ Δ⁺ <= Δ")
    p.cite("induction on k (with the two steps above): Δ_{k+1} <= Δ_k <= … <= Δ0 <= gap0 for every k; "
           "in particular gap0 <= ε gives Δ_k <= ε for all k >= 0 (count 0)", standard=True)
    # (2) gradient bound along the run
    _depends(p, "Lemma gradient bound", "‖∇f(w)‖² <= 2H0Δ + H1Δ² for (H0,H1)-smooth f")
    p.leq(2 * H0 * D + H1 * D**2, D * G, "Δ <= gap0 ⇒ 2H0Δ + H1Δ² <= Δ·(2H0 + H1·gap0) = Δ·G")
    # (3) one step of the distance to S, p = proj_S(w_k)
    p.cite("‖a − ηv‖² = ‖a‖² − 2η⟨v, a⟩ + η²‖v‖² (bilinearity and symmetry of the Euclidean inner product), "
           "a = w_k − p, v = ∇f(w_k); and dist(w_{k+1}, S) <= ‖w_{k+1} − p‖ since p ∈ S (distance = infimum)",
           standard=True)
    # aiming: ⟨∇f, w − p⟩ = θΔ + b (b >= 0); gradient bound: g² = ΔG − q (q >= 0)
    p.leq(dd**2 - 2 * eta * (th * D + b) + eta**2 * (D * G - q), dd**2 - eta * (2 * th - eta * G) * D,
          "aiming ⟨∇f, w − p⟩ >= θΔ and g² <= ΔG ⇒ d_{k+1}² <= d_k² − η·c·Δ_k, c = 2θ − ηG")
    # (4) telescoping and count
    k_ = sp.Symbol("k", integer=True, nonnegative=True)
    p.identity(sp.Sum(sp.Function("u")(k_ + 1) - sp.Function("u")(k_), (k_, 0, sp.Symbol("N") - 1)).doit(),
               sp.Function("u")(sp.Symbol("N")) - sp.Function("u")(0), "telescoping Σ_{k<N}(u_{k+1} − u_k) = u_N − u_0")
    p.cite("summing (3) over k < N: η·c·Σ_{k<N}Δ_k <= d_0² − d_N² <= d_0²; if Δ_k > ε for all k < N (and c > 0) "
           "then N·η·c·ε < d_0²", standard=True)
    c = sp.Symbol("c", positive=True)  # c = 2θ − ηG > 0 (hypothesis)
    p.leq(d0**2, (d0**2 / (eta * c * eps) + r) * eta * c * eps,
          "N = ceil(d0²/(ηcε)) >= d0²/(ηcε) ⇒ N·η·c·ε >= d0² (c > 0): so some k < N has Δ_k <= ε, and by (1) "
          "Δ_j <= ε for every j >= N (d0 = 0: w0 ∈ S, Δ_k = 0, count 0)")
    # (5) the default step
    e_def = th / G / (1 + s)  # η <= θ/G
    p.leq(th, 2 * th - e_def * G, "η <= θ/G ⇒ c = 2θ − ηG >= θ > 0")
    p.leq(1 / L0, 2 / L0, "η <= 1/L0 <= 2/L0: the default step is class-stable")
    # the calculator: symbolic path = float path; bad steps rejected
    S6 = sp.symbols("h0 h1 th g d e", positive=True)
    ex = B.aiming_fixed_iterations(*S6)
    vals = (1.3, 0.7, 0.8, 5.0, 2.0, 1e-3)
    p.fact("aiming_fixed_iterations: symbolic path evaluates to the float path (one instance)",
           float(ex.subs(dict(zip(S6, vals)))) == B.aiming_fixed_iterations(*vals), method="instance", role="check")
    rejected = 0
    for bad in (2.0 / (1.3 + 0.7 * 5.0) * 1.01, 2 * 0.8 / (2 * 1.3 + 0.7 * 5.0)):  # η > 2/L0; c = 0
        try:
            B.aiming_fixed_iterations(*vals, eta=bad)
        except ValueError:
            rejected += 1
    p.fact("aiming_fixed_iterations rejects η > 2/L0 and η with c <= 0 (ValueError, two instances)", rejected == 2,
           method="instance", role="check")
    _quartic_member(p)

    # randomized: float64 GD on the members never exceeds the bound
    seed = 11
    for random_step, label in ((False, "default step, θ = 1"), (True, "random class-stable η, random θ")):
        rng = np.random.default_rng(seed + random_step)
        runs = [gd_aiming_batch(rng, 20, kind, random_step) for kind in KINDS]
        obs = np.concatenate([r_["observed"] for r_ in runs])
        bnd = np.concatenate([r_["bound"] for r_ in runs])
        p.sample(f"GD on quadratic / cosh / quartic ({label}): first k with Δ_k <= ε <= aiming_fixed_iterations",
                 _replay(list(zip(obs, bnd))), n=obs.size, seed=seed + random_step)
        mono = np.concatenate([r_["mono"] for r_ in runs])
        dist = np.concatenate([r_["dist"] for r_ in runs])
        gaps = np.concatenate([r_["gap0"] for r_ in runs])
        p.sample(f"same runs ({label}): the gap never increases, max_k(Δ_{{k+1}} − Δ_k) <= 1e-13·gap0",
                 _replay(list(zip(mono, 1e-13 * gaps))), n=obs.size, seed=seed + random_step)
        p.sample(f"same runs ({label}): one-step inequality (d_{{k+1}}² + ηcΔ_k)/d_k² <= 1",
                 _replay([(x, 1.0) for x in dist]), n=obs.size, seed=seed + random_step)


# ------------------------------------------------------------------ 2. regime crossover
def crossover_instance(rng: np.random.Generator) -> tuple[float, float, float, float, float]:
    """Random (H0, H1, μ, gap0) with a finite crossover, and its log10 eps*.

    log10(eps*/gap0) is invariant under f → αf and w → βw, so it depends on x = H1·gap0/H0 and μ/H0 only;
    a grid scan (tests/test_claims_bounds_extra.py) finds its maximum ≈ −744, so eps* <= 1.8e308·1e-740 is
    never a float64 (it would need gap0 > 1e416): hence the check in log space, with exact eps = exp(−λ).
    """
    while True:
        H0 = float(10 ** rng.uniform(-1, 1))
        x = float(10 ** rng.uniform(3, 10))
        mu = H0 * float(10 ** rng.uniform(-4, 0))
        gap0 = float(10 ** rng.uniform(-3, 3))
        H1 = x * H0 / gap0
        xs = R.pl_crossover_log10_eps(H0, H1, mu, gap0)
        if math.isfinite(xs):
            return H0, H1, mu, gap0, xs


def _counts_at(H0: float, H1: float, mu: float, gap0: float, lam: sp.Expr) -> tuple[int, int]:
    """U and L of the calculators (their sympy path) at the exact eps = exp(−lam) (any size)."""
    e = sp.Symbol("eps", positive=True)
    ee = sp.exp(-lam)
    U = B.pl_adaptive_iterations(H0, H1, mu, gap0, e).subs(e, ee)
    L = B.pl_fixed_lower_iterations(H0, H1, mu, gap0, e).subs(e, ee)
    return int(U), int(L)


@claim("Regime crossover (PL)",
       "for every ε < ε* = 10**pl_crossover_log10_eps(H0,H1,μ,gap0): "
       "pl_adaptive_iterations < pl_fixed_lower_iterations "
       "(U <= k1 + 1 + c(log m + λ) < … <= a(log gap0 + λ) <= L, λ = −log ε)")
def regime_crossover(p: Proof) -> None:
    """PL regime crossover: ceiling and log-space inequalities in sympy, then the calculators at exact ε = e^{−λ}."""
    a, c, k1, m, g0, lam = sp.symbols("a c k1 m gap0 lambda", positive=True)
    s, d2 = sp.symbols("s d2", nonnegative=True)
    r, d1 = sp.symbols("r d1", positive=True)  # r = a − c > 0; d1 = X + 1 − ceil(X) in (0, 1]
    p.cite("ceiling: x <= ceil(x) < x + 1 for real x (definition of the ceiling)", standard=True)
    p.identity(sp.expand_log(sp.log(m / sp.exp(-lam)), force=True), sp.log(m) + lam, "log(m/ε) = log m + λ")
    p.identity(sp.expand_log(sp.log(g0 / sp.exp(-lam)), force=True), sp.log(g0) + lam, "log(gap0/ε) = log gap0 + λ")
    # the branches: λ > λ* >= −log m ⇒ ε < m = min(gap0, T) <= gap0
    p.leq(sp.exp(-(-sp.log(m) + sp.log(1 + s))), m,
          "λ = −log m + log(1 + s), s >= 0 ⇒ ε = e^{−λ} <= m = min(gap0, T): the closed forms' "
          "branches ε < T, ε < gap0 apply (λ > λ* makes it strict)")
    # U = k1 + ceil(X), X = c(log m + λ);  L = max(1, ceil(Y)) >= Y + d2, Y = a(log gap0 + λ)
    a_ = c + r
    lam0 = (k1 + 1 + c * sp.log(m) - a_ * sp.log(g0)) / (a_ - c)
    X = c * (sp.log(m) + lam)
    Y = a_ * (sp.log(g0) + lam)
    p.identity((Y - (k1 + 1 + X)).subs(lam, lam0 + s), r * s,
               "a(log gap0 + λ) − (k1 + 1 + c(log m + λ)) = (a − c)(λ − λ0), "
               "λ0 = (k1 + 1 + c log m − a log gap0)/(a − c)")
    U = k1 + X + 1 - d1
    L = Y + d2
    p.identity((L - U).subs(lam, lam0 + s), r * s + d1 + d2,
               "L − U = (a − c)(λ − λ0) + d1 + d2 with U = k1 + ceil(X) = k1 + X + 1 − d1 (0 < d1 <= 1), "
               "L >= ceil(Y) = Y + d2 (d2 >= 0)")
    p.nonneg(r * s + d2, "a > c, λ >= λ0 ⇒ L − U >= d1 > 0, i.e. U < L for every λ > λ* = max(λ0, −log m) "
             "(pl_crossover_log10_eps returns −λ*/log 10; −inf when a <= c, μ > H0 or z >= 1)")

    # randomized, in log space: eps* is never a float64 (see crossover_instance); exact eps = exp(−λ)
    ln10 = sp.log(10)

    def below(rng: np.random.Generator) -> tuple[float, float]:
        H0, H1, mu, gap0, xs = crossover_instance(rng)
        lam_star = sp.Float(-xs, 30) * ln10
        delta = float(10 ** rng.uniform(-9, 1)) * (1 + abs(xs) * math.log(10))
        U, L = _counts_at(H0, H1, mu, gap0, lam_star + sp.Float(delta, 30))
        return U + 1, L  # U < L  ⇔  U + 1 <= L (integers)

    p.sample("calculators (sympy path) at exact ε = ε*·e^{−δ}, δ in [1e-9, 10]·(1 + |log ε*|): U + 1 <= L",
             below, 12, seed=5)

    def agree(rng: np.random.Generator) -> tuple[float, float]:
        # the closed forms used above equal the calculators at representable eps < m
        H0 = float(10 ** rng.uniform(-1, 1))
        H1 = H0 * float(10 ** rng.uniform(-3, 3))
        mu = H0 * float(10 ** rng.uniform(-3, 0))
        gap0 = float(10 ** rng.uniform(-2, 3))
        T = H0 / (2 * H1)
        mm = min(gap0, T)
        eps = mm * float(10 ** rng.uniform(-12, -0.01))
        cst = 20 * H0 / mu
        k1v = math.ceil(max(0.0, (gap0 - T) * 40 * H1 / mu))
        U = B.pl_adaptive_iterations(H0, H1, mu, gap0, eps)
        z = float(B.pl_fixed_step_upper(H0, H1, mu, gap0)) * mu
        Lf = B.pl_fixed_lower_iterations(H0, H1, mu, gap0, eps)
        Lc = 1.0 if z >= 1 else max(1, math.ceil(math.log(gap0 / eps) * (1 - z) / (2 * z)))
        return abs(U - (k1v + math.ceil(cst * math.log(mm / eps)))) + abs(Lf - Lc), 0.0

    p.sample("closed forms of U and L equal the float calculators at ε < min(gap0, T)", agree, 200, seed=6, atol=0)


# ------------------------------------------------------------------ 3. printed Thm 4.3 for gap0 > eps
def corrected_real(x: float, e: float) -> float:
    """The corrected Thm 4.3 count without ceilings, divided by 20H0/μ (x = Δ0/T, e = ε/T, e < x)."""
    if e >= 1:
        return x - e
    if x >= 1:
        return (x - 1) - math.log(e)
    return math.log(x) - math.log(e)


def printed_instance(rng: np.random.Generator) -> tuple[float, float, float, float, float, float, float]:
    """Random (H0, H1, μ <= H0, gap0, eps) with eps < gap0, spread over the three regimes; also (x, e)."""
    H0 = float(10 ** rng.uniform(-1, 1))
    H1 = float(10 ** rng.uniform(-2, 2))
    mu = H0 * float(rng.uniform(0.01, 1.0))
    regime = rng.integers(3)
    if regime == 0:    # 1 <= e < x
        e = float(10 ** rng.uniform(0, 3))
        x = e * float(10 ** rng.uniform(1e-6, 2))
    elif regime == 1:  # e < 1 <= x
        x = float(10 ** rng.uniform(0, 3))
        e = float(10 ** rng.uniform(-12, -1e-6))
    else:              # e < x < 1
        x = float(10 ** rng.uniform(-6, -1e-6))
        e = x * float(10 ** rng.uniform(-10, -1e-6))
    T = H0 / (2 * H1)
    return H0, H1, mu, x * T, e * T, x, e


@claim("Thm 4.3 printed form: valid when gap0 > eps",
       "Δ0 > ε, μ <= H0: printed K = (20H0/μ)(x − log e) (x = Δ0/T, e = ε/T, T = H0/(2H1)) exceeds the corrected "
       "real count by >= (20H0/μ)·min(e − log e, 1, x − log x) >= 20H0/μ, and pl_adaptive_iterations by > 20H0/μ − 2")
def printed_valid(p: Proof) -> None:
    """Printed Thm 4.3 count is valid when Δ0 > ε: case analysis in sympy, then random instances in all regimes."""
    H0, H1, mu, x, e = sp.symbols("H0 H1 mu x e", positive=True)
    u, v, s = sp.symbols("u v s", nonnegative=True)
    T = H0 / (2 * H1)
    C = 20 * H0 / mu
    printed = B.pl_adaptive_iterations(H0, H1, mu, x * T, e * T, printed=True)  # the calculator's printed form
    p.identity(sp.expand_log(printed, force=True), C * (x - sp.log(e)),
               "printed K (pl_adaptive_iterations(..., printed=True)) = (20H0/μ)(x − log e)")
    # corrected real count: phase 1 = max(0, Δ0 − max(T, ε))·40H1/μ; phase 2 = [ε < min(Δ0,T)]·(20H0/μ)log(min(Δ0,T)/ε)

    def ph1(d0: sp.Expr, mx: sp.Expr) -> sp.Expr:
        return (d0 - mx) * 40 * H1 / mu

    def ph2(mn: sp.Expr, ee: sp.Expr) -> sp.Expr:
        return C * sp.log(mn / ee)

    # case A: 1 <= e < x  (ε >= T: max(T, ε) = ε, min(Δ0, T) = T <= ε: no phase 2)
    eA, xA = 1 + u, 1 + u + v
    p.nonneg(eA * T - T, "case e >= 1: ε >= T, so max(T, ε) = ε and ε >= min(Δ0, T) = T (phase 2 empty)")
    p.identity(ph1(xA * T, eA * T), C * (xA - eA), "case e >= 1: corrected = (20H0/μ)(x − e)")
    # case B: e < 1 <= x
    eB, xB = 1 / (1 + sp.Symbol("w", positive=True)), 1 + v
    p.leq(eB, 1, "case e < 1 <= x: ε < T <= Δ0, so max(T, ε) = T, min(Δ0, T) = T > ε")
    p.identity(sp.expand_log(ph1(xB * T, T) + ph2(T, eB * T), force=True), C * ((xB - 1) - sp.log(eB)),
               "case e < 1 <= x: corrected = (20H0/μ)((x − 1) − log e)")
    # case C: e < x < 1
    xC = 1 / (1 + sp.Symbol("w", positive=True))
    eC = xC / (1 + sp.Symbol("y", positive=True))
    p.leq(xC * T, T, "case x < 1: Δ0 < T, so phase 1 is max(0, Δ0 − T) = 0 and min(Δ0, T) = Δ0 > ε")
    p.identity(sp.expand_log(ph2(xC * T, eC * T), force=True), C * (sp.log(xC) - sp.log(eC)),
               "case x < 1: corrected = (20H0/μ)(log x − log e)")
    # differences
    p.identity(C * (x - sp.log(e)) - C * (x - e), C * (e - sp.log(e)),
               "case e >= 1: printed − corrected = C(e − log e)")
    p.identity(C * (x - sp.log(e)) - C * ((x - 1) - sp.log(e)), C, "case e < 1 <= x: printed − corrected = C")
    p.identity(C * (x - sp.log(e)) - C * (sp.log(x) - sp.log(e)), C * (x - sp.log(x)),
               "case x < 1: printed − corrected = C(x − log x)")
    # y − log y >= 1 for y > 0: h = y − log y − 1, h(1) = 0, h' <= 0 on (0, 1], h' >= 0 on [1, ∞)
    y = sp.Symbol("y", positive=True)
    h = y - sp.log(y) - 1
    p.identity(h.subs(y, 1), 0, "h(y) = y − log y − 1 vanishes at y = 1")
    p.nonneg(sp.diff(h, y).subs(y, 1 + u), "h'(y) = 1 − 1/y >= 0 for y >= 1")
    p.nonneg(-sp.diff(h, y).subs(y, 1 / (1 + u)), "h'(y) <= 0 for 0 < y <= 1")
    p.cite("monotonicity theorem (mean value theorem): h decreasing on (0, 1], increasing on [1, ∞), so h >= h(1) = 0: "
           "e − log e >= 1 and x − log x >= 1, hence printed − corrected >= C·min(e − log e, 1, x − log x) >= C",
           standard=True)
    # integers: pl_adaptive_iterations = ceil(max(0, phase 1)) + [ε < min(Δ0, T)]·ceil(phase 2)
    p.cite("ceiling: y <= ceil(y) < y + 1 for real y (definition of the ceiling)", standard=True)
    Rr, d1, d2, q = sp.symbols("R d1 d2 q", nonnegative=True)  # R = corrected real count; q = printed − R − C
    Kint = Rr + 2 - d1 - d2  # two ceilings (one of them possibly 0), each adds < 1: d1, d2 > 0 when present
    Cs = C.subs(mu, H0 / (1 + s))  # μ <= H0
    p.identity(Cs, 20 + 20 * s, "μ = H0/(1 + s) <= H0 ⇒ C = 20H0/μ = 20(1 + s) >= 20")
    p.nonneg((Rr + Cs + q) - Kint - 18, "pl_adaptive_iterations = K_int <= R + 2 and printed = R + C + q (q >= 0) "
             "⇒ printed − K_int >= C − 2 >= 18 > 0; so printed > K_int and ceil(printed) >= K_int")

    def int_check(rng: np.random.Generator) -> tuple[float, float]:
        H0v, H1v, muv, d0, ee, _, _ = printed_instance(rng)
        return (B.pl_adaptive_iterations(H0v, H1v, muv, d0, ee),
                B.pl_adaptive_iterations(H0v, H1v, muv, d0, ee, printed=True))

    p.sample("random instances with ε < Δ0, μ <= H0 (all three regimes): pl_adaptive_iterations <= printed",
             int_check, 600, seed=7)

    def margin(rng: np.random.Generator) -> tuple[float, float]:
        H0v, H1v, muv, d0, ee, xv, ev = printed_instance(rng)
        Cv = 20 * H0v / muv
        pr = B.pl_adaptive_iterations(H0v, H1v, muv, d0, ee, printed=True)
        low = min(ev - math.log(ev), 1.0, xv - math.log(xv))
        return Cv * low, (pr - Cv * corrected_real(xv, ev)) * (1 + 1e-9) + 1e-9 * abs(pr)

    p.sample("same: printed − C·corrected(x, e) >= C·min(e − log e, 1, x − log x)", margin, 600, seed=8)

    def int_margin(rng: np.random.Generator) -> tuple[float, float]:
        H0v, H1v, muv, d0, ee, _, _ = printed_instance(rng)
        Cv = 20 * H0v / muv
        pr = B.pl_adaptive_iterations(H0v, H1v, muv, d0, ee, printed=True)
        return B.pl_adaptive_iterations(H0v, H1v, muv, d0, ee) + Cv - 2, pr + 1e-9 * abs(pr)

    p.sample("same: pl_adaptive_iterations + C − 2 <= printed", int_margin, 600, seed=9)


_CLAIM_FNS: tuple[Callable[[Proof], None], ...] = (aiming_fixed_bound, regime_crossover, printed_valid)
_IDS: tuple[str, ...] = ("Aiming fixed-step bound", "Regime crossover (PL)",
                         "Thm 4.3 printed form: valid when gap0 > eps")

