"""Claims for the architectures of NOTES §4 (issue 5): Prop D.1′ (one leaky-ReLU unit), Prop 3.4′ (one
linear-attention layer) — the toolkit's own statements, labelled as such (the paper's are unknown) — and the
activation constants. The deep linear network (Prop 3.2) is in
:mod:`~warmup_theory.proofs_checks.claims.deep_linear`, the two-layer CE network (Prop 3.3) in
:mod:`~warmup_theory.proofs_checks.claims.two_layer`.

Every bound is proved by its steps (sympy identities / inequalities, standard norm inequalities recorded with
``cite``) and cross-checked on random small instances against the DENSE float64 Hessian computed independently by
torch autograd (:func:`warmup_theory.proofs_checks.fixtures.autodiff.dense_hessian`, of the loss written out
directly here, not taken from ``theory`` or ``numerics``).

>>> from warmup_theory.proofs_checks.framework import registry
>>> reg = registry()
>>> all(c in reg for c in ("Prop 3.2", "Prop 3.2 (printed)", "Prop 3.3", "Prop 3.3 (printed)"))
True
>>> reg["Prop 3.4"].id   # the old id resolves to the toolkit's label
'Prop 3.4′ (toolkit: linear attention over a fixed prompt set)'
>>> reg["Prop D.1"].id
'Prop D.1′ (toolkit: one leaky-ReLU unit, balanced weights)'
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.autodiff import dense_hessian
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.architectures import (
    activation_constants,
    attention_constants,
    attention_prediction,
    leaky_relu_constants,
)

if TYPE_CHECKING:
    import torch

__all__: list[str] = []


# ----------------------------------------------------------------------------------------
# Prop D.1 — one hidden leaky-ReLU unit (toolkit's own statement)
# ----------------------------------------------------------------------------------------

@claim("Prop D.1′ (toolkit: one leaky-ReLU unit, balanced weights)",
       "Toolkit's own: f = ½‖v σ_α(wᵀX) − Y‖²_F, one hidden leaky-ReLU unit, ‖w‖ = ‖v‖, X full row rank: on the "
       "full-measure open set where no wᵀx_j = 0, ‖∇²f‖ <= 2‖X‖²(√(2f)+‖Y‖)/(α√λ_min) + ‖X‖√(2f); "
       "(H0,H1) = its tangent at f_ref >= f* (leaky_relu_constants)")
def _prop_d_1(p: Proof) -> None:
    p.cite("On Ω = {wᵀx_j ≠ 0 ∀j} σ_α(wᵀX) = (wᵀX)⊙D with D ∈ {α,1}^m locally constant (σ_α is linear on each "
           "side of 0 and Ω is open), so f is C^∞ there and Z(t) = (v + tv')((w + tw')ᵀX ⊙ D) near t = 0",
           standard=True, detail="standard: continuity of w ↦ wᵀx_j and the chain rule")
    tq, vq, vpq, wq, wpq, xq, dq = sp.symbols("t v vp w wp x D", real=True)
    zq = (vq + tq * vpq) * ((wq + tq * wpq) * xq * dq)
    p.identity(sp.diff(zq, tq).subs(tq, 0), vpq * (wq * xq * dq) + vq * (wpq * xq * dq),
               "Z' = v'σ(wᵀX) + v(w'ᵀX⊙D) (one entry; entrywise product rule)")
    p.identity(sp.diff(zq, tq, 2), 2 * vpq * (wpq * xq * dq), "Z'' = 2v'(w'ᵀX⊙D) (one entry)")
    r_, x_, a1, a2 = sp.symbols("r X a1 a2", nonnegative=True)
    p.leq((r_ * x_ * a1 + r_ * x_ * a2) ** 2, 2 * r_**2 * x_**2 * (a1**2 + a2**2),
          "GN: ‖Z'‖² <= (r‖X‖‖v'‖ + r‖X‖‖w'‖)² <= 2r²‖X‖²‖U‖² (|σ_α(t)| <= |t|, |D| <= 1)")
    p.leq(2 * a1 * a2, a1**2 + a2**2, "residual: |⟨R, Z''⟩| <= 2‖R‖‖X‖‖v'‖‖w'‖ <= ‖R‖‖X‖‖U‖²")
    p.cite("‖Z‖_F = ‖v‖·‖σ_α(wᵀX)‖ >= r·α‖wᵀX‖ >= α r²√λ_min (|σ_α(t)| >= α|t|), so "
           "r² <= (‖R‖_F + ‖Y‖_F)/(α√λ_min), ‖R‖_F = √(2f); g is affine increasing in s = √(2f), concave in f",
           standard=False, detail="claim-specific norm chain argued in words (concavity: the sympy step below)")
    al, xs, lam, ys, fs, fr, F = sp.symbols("alpha x lambda y f_star f_r f", positive=True)
    g = 2 * xs**2 * (sp.sqrt(2 * F) + ys) / (al * sp.sqrt(lam)) + xs * sp.sqrt(2 * F)
    p.nonneg(-sp.diff(g, F, 2), "g'' <= 0 (concave)")
    c = leaky_relu_constants(al, xs, lam, ys, fs, f_ref=fr)
    p.identity(c.H1, sp.diff(g, F).subs(F, fr), "implemented H1 = g'(f_ref)")
    p.identity(c.H0, (g - sp.diff(g, F) * (F - fs)).subs(F, fr), "implemented H0 = g(f_ref) − g'(f_ref)(f_ref − f*)")
    p.sample("‖∇²f‖₂ (dense torch Hessian, points of Ω) <= H0 + H1(f − f*) on random balanced one-unit "
             "leaky-ReLU nets (α ∈ (0,1], scales 10^±1.5; f_star = 0 is passed: H0 + H1(f − f*) = g(f_ref) + "
             "g'(f_ref)(f − f_ref) does not depend on f*)", _sample_leaky, n=30, seed=7, rtol=1e-7)


def _sample_leaky(rng: np.random.Generator) -> tuple[float, float]:
    import torch

    from warmup_theory.numerics.models.leaky_relu import leaky_relu_loss

    d, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    m = d + int(rng.integers(0, 3))
    X = rng.standard_normal((d, m))
    Y = rng.standard_normal((c, m)) * 10 ** rng.uniform(-1, 1)
    alpha = float(rng.uniform(0.05, 1.0))
    r = 10 ** rng.uniform(-1.5, 1.5)
    w = rng.standard_normal(d)
    v = rng.standard_normal(c)
    w, v = w / np.linalg.norm(w) * math.sqrt(r), v / np.linalg.norm(v) * math.sqrt(r)
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(th: torch.Tensor) -> torch.Tensor:
        return leaky_relu_loss(th, Xt, Yt, alpha=alpha)

    f, hn = dense_hessian(loss, np.concatenate([w, v]))
    h = leaky_relu_constants(alpha, float(np.linalg.norm(X, 2)), float(np.linalg.eigvalsh(X @ X.T)[0]),
                             float(np.linalg.norm(Y)), 0.0)
    return hn, h.bound(f)


# ----------------------------------------------------------------------------------------
# Prop 3.4 / E.2 — one linear-attention layer (toolkit's own statement)
# ----------------------------------------------------------------------------------------

@claim("Prop 3.4′ (toolkit: linear attention over a fixed prompt set)",
       "Toolkit's own (linear attention, fixed T prompts): f = (1/T)Σ(Z1_t[−1,−1] − y_t)² + (λP/2)‖P‖² + (λQ/2)‖Q‖², "
       "Z1 = Z + PZM(ZᵀQZ)/n: ‖∇²f‖ <= max(λP,λQ) + K + H1 f, H1 = max(4K²/min(λP,λQ), K), "
       "K = max_t ‖Z_tMZ_tᵀ/n‖₂‖Z_t[:,−1]‖ (attention_constants)")
def _prop_3_4(p: Proof) -> None:
    d, n = 1, 2
    Z = sp.Matrix(d + 1, n + 1, sp.symbols(f"z0:{(d + 1) * (n + 1)}", real=True))
    P = sp.Matrix(d + 1, d + 1, sp.symbols(f"p0:{(d + 1) ** 2}", real=True))
    Q = sp.Matrix(d + 1, d + 1, sp.symbols(f"q0:{(d + 1) ** 2}", real=True))
    G = Z[:, :n] * Z[:, :n].T / n
    pr = (P[d, :] * G * Q * Z[:, n])[0, 0]
    p.identity(attention_prediction(P, Q, Z), Z[d, n] + pr,
               "ŷ = Z[−1,−1] + pᵀ G Q z (d = 1, n = 2 shown; G = ZMZᵀ/n, p the last row of P): bilinear in (P,Q)")
    p.cite("ŷ' = ūᵀGQz + pᵀGU_Qz, |ŷ'| <= K_t(‖Q‖‖ū‖ + ‖p‖‖U_Q‖) <= K_t√(‖P‖²+‖Q‖²)‖U‖; "
           "ŷ'' = 2ūᵀGU_Qz, |ŷ''| <= K_t‖U‖²; quad. form of (1/T)Σ r_t² is (1/T)Σ(2ŷ_t'² + 2r_tŷ_t''); "
           "(1/T)Σ|r_t| <= √L; the L2 terms add diag(λP, λQ) of norm max(λP, λQ)", standard=False,
           detail="chain of norm bounds for this layer's Hessian, argued in words; the final bound is "
                  "cross-checked by the dense-Hessian sample")
    K, lo, hi_, L, W2, F = sp.symbols("K lambda_lo lambda_hi L W2 f", nonnegative=True)
    r = sp.Symbol("r", nonnegative=True)  # r = √L
    p.identity(K + K * r**2 - 2 * K * r, K * (r - 1) ** 2, "2K√L <= K + K·L")
    p.nonneg(K * (r - 1) ** 2, "… (a square)")
    # f = L + reg, reg >= λ_lo(‖P‖²+‖Q‖²)/2 = λ_lo W2/2
    p.cite("‖P‖² + ‖Q‖² <= 2(f − L)/min(λP, λQ) and 4K²(f−L)/λ_lo + K·L <= max(4K²/λ_lo, K)·f "
           "(a convex combination of the two coefficients)", standard=False,
           detail="claim-specific bound argued in words")
    c = attention_constants(K, lo, hi_, 0)
    p.fact("implemented H1 = max(4K²/min λ, K), H0 = max λ + K + H1 f*",
           sp.simplify(c.H1 - sp.Max(4 * K**2 / sp.Min(lo, hi_), K)) == 0
           and sp.simplify(attention_constants(K, lo, hi_, F).H0 - (sp.Max(lo, hi_) + K + c.H1 * F)) == 0,
           method="symbolic")
    p.sample("‖∇²f‖₂ (dense torch Hessian) <= H0 + H1(f − f*) on random prompts (d = 1–2, n = 2–4, T = 1–3) "
             "and random (P, Q) at scales 10^±1 (bound independent of f*)", _sample_attention, n=30, seed=11, rtol=1e-7)


def _sample_attention(rng: np.random.Generator) -> tuple[float, float]:
    import torch

    d, n, T = int(rng.integers(1, 3)), int(rng.integers(2, 5)), int(rng.integers(1, 4))
    Zs, ys = [], []
    for _ in range(T):
        w = rng.standard_normal(d)
        xs = rng.standard_normal((d, n + 1))
        yv = w @ xs
        Z = np.vstack([xs, yv[None, :]])
        Z[-1, -1] = 0.0
        Zs.append(Z)
        ys.append(yv[-1])
    lp, lq = 10 ** rng.uniform(-2, 0, size=2)
    M = np.diag([1.0] * n + [0.0])
    K = max(np.linalg.norm(Z @ M @ Z.T / n, 2) * np.linalg.norm(Z[:, -1]) for Z in Zs)
    Zt = [torch.tensor(Z) for Z in Zs]
    Mt = torch.tensor(M)
    D = d + 1
    sc = 10 ** rng.uniform(-1, 1)
    theta = rng.standard_normal(2 * D * D) * sc

    def loss(th: torch.Tensor) -> torch.Tensor:
        P, Q = th[:D * D].reshape(D, D), th[D * D:].reshape(D, D)
        tot = 0.0
        for Z, yv in zip(Zt, ys):
            Z1 = Z + P @ Z @ Mt @ (Z.T @ Q @ Z) / n
            tot = tot + (Z1[-1, -1] - yv) ** 2
        total: torch.Tensor = tot / len(Zt) + lp / 2 * (P**2).sum() + lq / 2 * (Q**2).sum()
        return total

    f, hn = dense_hessian(loss, theta)
    return hn, attention_constants(float(K), float(lp), float(lq), 0.0).bound(f)


# ----------------------------------------------------------------------------------------
# Activation constants
# ----------------------------------------------------------------------------------------

@claim("Activation constants",
       "C1 = sup|φ(s)/s|, C2 = sup|φ'|, C3 = sup|φ''| (activation_constants): tanh (1, 1, 4√3/9) "
       "certified by the engine; "
       "GELU closed forms (1, Φ(√2)+√2φ_N(√2), √(2/π)); softplus has no C1; s² has no C1, C2")
def _activation_constants(p: Proof) -> None:
    s = sp.Symbol("s", real=True)
    th = sp.tanh(s)
    p.identity(sp.diff(th, s, 3).subs(sp.tanh(s), 1 / sp.sqrt(3)), 0,
               "tanh''' = 0 where tanh² = 1/3 (critical point of tanh'' = −2 tanh(1 − tanh²))")
    u = sp.Symbol("u", nonnegative=True)
    p.identity(4 * sp.sqrt(3) / 9 - 2 * u * (1 - u**2), 2 * (u - 1 / sp.sqrt(3)) ** 2 * (u + 2 / sp.sqrt(3)),
                   "4√3/9 − 2u(1−u²) = 2(u − 1/√3)²(u + 2/√3) >= 0: |tanh''| <= 4√3/9, equality at tanh = 1/√3")
    c = activation_constants("tanh")
    br = {k: (lo, hi) for k, lo, hi in c.brackets}
    exact = {"C1": 1.0, "C2": 1.0, "C3": 4 * math.sqrt(3) / 9}
    p.fact("tanh: certified interval brackets contain the exact (1, 1, 4√3/9); upper ends reported",
           c.certified and all(br[k][0] <= exact[k] * (1 + 1e-12) and exact[k] <= br[k][1] * (1 + 1e-12) and
                               br[k][1] - exact[k] < 1e-6 for k in exact),
           method="certified-numeric", detail=str(c.to_dict()))
    Phi = (1 + sp.erf(s / sp.sqrt(2))) / 2
    gelu = s * Phi
    d1, d2 = sp.diff(gelu, s), sp.diff(gelu, s, 2)
    npdf = sp.exp(-s**2 / 2) / sp.sqrt(2 * sp.pi)
    p.identity(sp.diff(d1, s), npdf * (2 - s**2), "GELU: (Φ + sφ)' = φ_N(s)(2 − s²): critical points ±√2")
    p.identity(sp.diff(d2, s), npdf * s * (s**2 - 4), "GELU: ((2 − s²)φ_N)' = sφ_N(s)(s² − 4): critical points 0, ±2")
    lims = [sp.limit(d1, s, sp.oo), sp.limit(d1, s, -sp.oo), sp.limit(d2, s, sp.oo)]
    C2e, C3e = d1.subs(s, sp.sqrt(2)), d2.subs(s, 0)
    # exact constants; sympy decides the sign of each closed-form difference (no float comparison)
    p.fact("GELU: C2 = max(|φ'(±√2)|, limits 1, 0) = Φ(√2) + √2φ_N(√2); C3 = max(|φ''(0)|, |φ''(±2)|, 0) = √(2/π); "
           "C1 = sup|Φ| = 1 (limit at +∞)",
           lims == [1, 0, 0] and sp.simplify(C3e - sp.sqrt(2 / sp.pi)) == 0
           and bool((C2e - sp.Abs(d1.subs(s, -sp.sqrt(2)))).is_positive)
           and bool((C3e - sp.Abs(d2.subs(s, 2))).is_positive) and bool((C2e - 1).is_positive)
           and sp.limit(Phi, s, sp.oo) == 1, method="symbolic")
    p.fact("softplus: φ(s)/s -> +∞ as s -> 0+ (sympy limit), so C1 = ∞; s²: φ(s)/s = s and φ' = 2s are unbounded",
           sp.limit(sp.log(1 + sp.exp(s)) / s, s, 0, "+") is sp.oo and sp.limit(s**2 / s, s, sp.oo) is sp.oo
           and sp.limit(sp.diff(s**2, s), s, sp.oo) is sp.oo, method="symbolic")
    for bad, label in ((sp.log(1 + sp.exp(s)), "C1"), (s**2, "C2")):
        try:
            activation_constants(bad)
            ok = False
        except ValueError as exc:
            ok = label in str(exc)
        p.fact(f"activation_constants({bad}): ValueError naming {label} (the bound does not exist)", ok,
               method="instance", role="check")
    import mpmath

    grid = np.linspace(-12, 12, 4001)
    f3 = sp.lambdify(s, sp.diff(th, s, 2), "mpmath")
    p.sample("mpmath grid on [−12, 12]: |tanh''(s)| <= C3 (upper end)",
             lambda rng: (max(abs(float(f3(mpmath.mpf(float(x))))) for x in rng.choice(grid, 50)), c.C3), n=4, seed=1)
