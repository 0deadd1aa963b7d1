"""Claims for the deep linear network of NOTES §4: Prop 3.2 (corrected: X of full row rank) and the defect
report for the printed Prop 3.2 (rank-deficient X: unbounded Hessian at f − f* = 0).

Every bound is proved by its steps (sympy identities / inequalities, standard norm inequalities recorded with
``cite``) and cross-checked on random small instances against the DENSE float64 Hessian computed independently by
torch autograd (:func:`warmup_theory.proofs_checks.fixtures.autodiff.dense_hessian`, of the loss written out
directly here, not taken from ``theory`` or ``numerics``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.autodiff import dense_hessian
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.architectures import deep_linear_constants, deep_linear_printed_defect

if TYPE_CHECKING:
    import torch

__all__: list[str] = []


def _orth(rng: np.random.Generator, n: int, r: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.standard_normal((n, r)))
    return q[:, :r]


def _balanced(rng: np.random.Generator, widths: tuple[int, ...], scale: float) -> list[np.ndarray]:
    """Exactly strongly balanced W_i = U_i S U_{i-1}ᵀ (U_i orthonormal columns)."""
    r = int(rng.integers(1, min(widths) + 1))
    U = [_orth(rng, n, r) for n in widths]
    S = np.diag(scale * rng.uniform(0.2, 1.5, size=r))
    return [U[i + 1] @ S @ U[i].T for i in range(len(widths) - 1)]


def _deep_linear_fstar(X: np.ndarray, Y: np.ndarray, rank: int) -> float:
    """inf ½‖PX − Y‖² over rank(P) <= rank (X full row rank): LS + Eckart–Young."""
    K = X @ X.T
    Pls = np.linalg.solve(K, X @ Y.T).T
    base = float(np.linalg.norm(Pls @ X - Y)) ** 2
    w, V = np.linalg.eigh(K)
    Kh = V @ np.diag(np.sqrt(w)) @ V.T
    sv = np.linalg.svd(Pls @ Kh, compute_uv=False)
    return 0.5 * (base + float(np.sum(sv[rank:] ** 2)))


# ----------------------------------------------------------------------------------------
# Prop 3.2 — deep linear network (corrected: X of full row rank)
# ----------------------------------------------------------------------------------------

@claim("Prop 3.2",
       "Deep linear net f = ½‖W_l⋯W_1X − Y‖²_F on strongly balanced weights, X of full row rank: "
       "‖∇²f‖ <= g(f) = l‖X‖²q^{2(l−1)/l} + (l−1)‖X‖√(2f)q^{(l−2)/l}, q = (√(2f)+‖Y‖_F)/√λ_min(XXᵀ); "
       "g concave, so (H0,H1) = tangent of g at f_ref >= f* (deep_linear_constants)")
def _prop_3_2(p: Proof) -> None:
    t = sp.Symbol("t", real=True)
    a_ = sp.Function("a")(t)
    p.identity(sp.diff(a_**2 / 2, t, 2), sp.diff(a_, t) ** 2 + a_ * sp.diff(a_, t, 2),
               "Hessian split: d²/dt² ½‖A(t)‖² = ‖A'‖² + ⟨A, A''⟩ (entrywise), A(t) = P(W+tV)X − Y: "
               "Gauss–Newton ‖DP[V]X‖² plus residual ⟨R, D²P[V,V]X⟩")
    W = sp.Matrix(2, 3, sp.symbols("w0:6", real=True))
    p.identity(sum(e**2 for e in sp.expand(W.T * (W * W.T) ** 2 * W - (W.T * W) ** 3)), 0,
               "Wᵀ(WWᵀ)^pW = (WᵀW)^{p+1} (p = 2 shown; associativity)")
    p.cite("Balanced products: with A_i = W_iᵀW_i, B_i = W_iW_iᵀ, A_{i+1} = B_i, induction with the "
           "identity above gives (W_{j+k}⋯W_{j+1})ᵀ(W_{j+k}⋯W_{j+1}) = A_{j+1}^k, so every product of k "
           "consecutive layers has spectral norm s^k, s the common layer norm, and ‖P‖ = s^l: "
           "‖W_{j+k}⋯W_{j+1}‖₂ = ‖P‖₂^{k/l}", standard=False,
           detail="induction over the layers, argued in words; the next step checks it exactly on one instance")
    p.fact("(W_{j+k}⋯W_{j+1})ᵀ(W_{j+k}⋯W_{j+1}) = (W_{j+1}ᵀW_{j+1})^k for every j, k on one exactly "
           "balanced instance (exact rationals)", _check_balanced_products(), method="instance", role="check",
           detail="exact rational check on a Cayley-orthogonal balanced instance, widths (3,2,3,2); "
                  "an instance, not the general induction")
    a = sp.symbols("a1:7", real=True)
    for l in (2, 3, 4):
        av = a[:l]
        sos = sum((av[i] - av[j]) ** 2 for i in range(l) for j in range(i + 1, l))
        p.identity(l * sum(x**2 for x in av) - sum(av) ** 2, sos,
                   f"l={l}: (Σ a_i)² <= l Σ a_i² (GN: ‖DP[V]‖_F <= Σ‖P‖^{{(l-1)/l}}‖V_i‖ <= √l‖P‖^{{(l-1)/l}}‖V‖)")
        p.identity((l - 1) * sum(x**2 for x in av) - 2 * sum(av[i] * av[j] for i in range(l) for j in range(i + 1, l)),
                   sos, f"l={l}: 2Σ_{{i<j}} a_i a_j <= (l−1)Σa_i² (residual: ‖D²P[V,V]‖_F <= (l−1)‖P‖^{{(l-2)/l}}‖V‖²)")
    p.cite("GN <= ‖DP[V]X‖²_F <= ‖X‖₂²‖DP[V]‖²_F <= l‖P‖^{2(l−1)/l}‖X‖²‖V‖²; residual "
           "|⟨R, D²P[V,V]X⟩| <= ‖R‖_F‖X‖₂‖D²P[V,V]‖_F <= (l−1)‖P‖^{(l−2)/l}‖R‖_F‖X‖‖V‖² "
           "(‖AB‖_F <= ‖A‖₂‖B‖_F; with the ½ normalisation the residual constant is l−1); ‖∇²f‖₂ = sup_{‖V‖=1}|f''|",
           standard=False, detail="chain of norm bounds for this network's Hessian, argued in words "
           "(uses ‖AB‖_F <= ‖A‖₂‖B‖_F and the Rayleigh quotient); cross-checked by the dense-Hessian sample")
    p.cite("‖P‖₂ <= ‖P‖_F <= ‖PX‖_F/√λ_min(XXᵀ) <= (‖R‖_F + ‖Y‖_F)/√λ_min, since ‖PX‖²_F = tr(P XXᵀ Pᵀ) "
           ">= λ_min‖P‖²_F and PX = R + Y; ‖R‖_F = √(2f). Both terms increase in ‖P‖, so ‖∇²f‖ <= g(f)",
           standard=False, detail="claim-specific norm chain argued in words; sampled below on random matrices")
    p.sample("‖P‖₂ <= (‖PX − Y‖_F + ‖Y‖_F)/√λ_min(XXᵀ) on random P, full-row-rank X, Y (float64)",
             _sample_p_norm_chain, n=300, seed=13, rtol=1e-9)
    # concavity of g in f:  d/df = (1/s) d/ds with s = √(2f); g'' <= 0 iff (g_s/s) is non-increasing in s
    k = sp.Symbol("k", nonnegative=True)   # depth l = 2 + k
    s, y = sp.symbols("s y", positive=True)
    ea, eb = (2 + 2 * k) / (2 + k), k / (2 + k)    # a = 2(l−1)/l, b = (l−2)/l
    A, B = sp.symbols("a b", positive=True)
    h1 = A * (s + y) ** (A - 1) / s
    d1 = A * (s + y) ** (A - 2) * ((A - 2) * s - y) / s**2
    p.identity(sp.diff(h1, s), d1, "d/ds[(1/s)·d/ds (s+y)^a] = a(s+y)^{a−2}((a−2)s − y)/s²")
    p.nonneg(-d1.subs(A, ea),
             "… <= 0 for a = 2(l−1)/l = (2+2k)/(2+k) ∈ [1, 2), l = 2 + k: (s+y)^a is concave in f = s²/2")
    h2 = (s + y) ** B / s + B * (s + y) ** (B - 1)
    d2 = (s + y) ** (B - 1) * ((B - 1) * s - y) / s**2 + B * (B - 1) * (s + y) ** (B - 2)
    p.identity(sp.diff(h2, s), d2, "d/ds[(1/s)·d/ds (s(s+y)^b)] = (s+y)^{b−1}((b−1)s − y)/s² + b(b−1)(s+y)^{b−2}")
    p.nonneg(-d2.subs(B, eb), "… <= 0 for b = (l−2)/l = k/(2+k) ∈ [0, 1): s(s+y)^b is concave in f")
    p.cite("g = l‖X‖²λ^{−a/2}(s+y)^a + (l−1)‖X‖λ^{−b/2}s(s+y)^b is a non-negative combination of concave "
           "functions of f, hence concave; a concave differentiable g lies below each tangent: "
           "g(f) <= g(f_r) + g'(f_r)(f − f_r) = H0 + H1(f − f*), and H0 = tangent at f* >= g(f*) >= 0",
           standard=True, detail="standard: a non-negative combination of concave functions is concave; "
           "first-order characterisation of concavity (a differentiable concave function lies below each tangent); "
           "concavity of each term proved by the two sympy steps above")
    xs, lam, ys, fs, fr, F = sp.symbols("x lambda y f_star f_r f", positive=True)
    for l in (2, 3, 4):
        S_ = sp.sqrt(2 * F)
        q = (S_ + ys) / sp.sqrt(lam)
        g = l * xs**2 * q ** sp.Rational(2 * (l - 1), l) + (l - 1) * xs * S_ * q ** sp.Rational(l - 2, l)
        dg = sp.diff(g, F)
        c = deep_linear_constants(l, xs, lam, ys, fs, f_ref=fr)
        p.identity(c.H1, dg.subs(F, fr), f"l={l}: implemented H1 = g'(f_ref) (sympy diff)")
        p.identity(c.H0, (g - dg * (F - fs)).subs(F, fr), f"l={l}: implemented H0 = g(f_ref) − g'(f_ref)(f_ref − f*)")
    p.cite("Depth 1: f = ½‖WX − Y‖² has constant Hessian XXᵀ ⊗ I with norm ‖X‖₂²", standard=True,
           detail="standard: Hessian of an affine composition (W ↦ WX − Y is affine, ½‖·‖²_F has Hessian I); "
                  "eigenvalues of XXᵀ ⊗ I are those of XXᵀ")
    c1_ = deep_linear_constants(1, xs, lam, ys, fs)
    p.fact("Depth 1: implemented (H0, H1) = (‖X‖², 0)", c1_.H0 == xs**2 and c1_.H1 == 0, method="symbolic")
    p.sample("‖∇²f‖₂ (dense torch Hessian) <= H0 + H1(f − f*) on random strongly balanced weights "
             "(depth 1–4, random widths, scales 10^±1.5, realisable and not, exact f*)",
             _sample_deep_linear, n=24, seed=3, rtol=1e-7)


def _sample_p_norm_chain(rng: np.random.Generator) -> tuple[float, float]:
    d, c = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    m = d + int(rng.integers(0, 4))
    X = rng.standard_normal((d, m)) * 10 ** rng.uniform(-1, 1)
    P = rng.standard_normal((c, d)) * 10 ** rng.uniform(-1.5, 1.5)
    Y = rng.standard_normal((c, m)) * 10 ** rng.uniform(-2, 2)
    lam = float(np.linalg.eigvalsh(X @ X.T)[0])
    return float(np.linalg.norm(P, 2)), (float(np.linalg.norm(P @ X - Y)) + float(np.linalg.norm(Y))) / math.sqrt(lam)


def _check_balanced_products() -> bool:
    def cayley(n: int, seed: int) -> sp.Matrix:
        r = np.random.default_rng(seed)
        A = sp.Matrix(n, n, lambda i, j: sp.Rational(int(r.integers(-3, 4)), 2) if i < j else 0)
        Sk = A - A.T
        return (sp.eye(n) - Sk) * (sp.eye(n) + Sk).inv()
    widths, r = (3, 2, 3, 2), 2
    U = [cayley(n, i)[:, :r] for i, n in enumerate(widths)]
    S = sp.diag(sp.Rational(3, 2), sp.Rational(1, 3))
    Ws = [U[i + 1] * S * U[i].T for i in range(3)]
    ok = all((Ws[i + 1].T * Ws[i + 1] - Ws[i] * Ws[i].T).is_zero_matrix for i in range(2))
    for j in range(3):
        for kk in range(1, 4 - j):
            Q = sp.eye(widths[j])
            for i in range(j, j + kk):
                Q = Ws[i] * Q
            ok &= (Q.T * Q - (Ws[j].T * Ws[j]) ** kk).is_zero_matrix
    return bool(ok)


def _sample_deep_linear(rng: np.random.Generator) -> tuple[float, float]:
    import torch

    l = int(rng.integers(1, 5))
    d, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    hidden = [int(rng.integers(1, 4)) for _ in range(l - 1)]
    widths = (d, *hidden, c)
    m = d + int(rng.integers(0, 3))
    X = rng.standard_normal((d, m))
    if rng.random() < 0.5:
        Y = rng.standard_normal((c, m)) * 10 ** rng.uniform(-1, 1)
    else:
        Y = _balanced_product(rng, widths) @ X
    scale = 10 ** rng.uniform(-1.5, 1.5 / l)
    Ws = _balanced(rng, widths, scale) if l > 1 else [rng.standard_normal((c, d)) * scale]
    shapes = [w.shape for w in Ws]
    theta = np.concatenate([w.ravel() for w in Ws])
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(th: torch.Tensor) -> torch.Tensor:
        out, i = Xt, 0
        for (a, b) in shapes:
            out = th[i:i + a * b].reshape(a, b) @ out
            i += a * b
        return 0.5 * ((out - Yt) ** 2).sum()

    f, hn = dense_hessian(loss, theta)
    fstar = _deep_linear_fstar(X, Y, min(widths))
    xn = np.linalg.norm(X, 2)
    lam = np.linalg.eigvalsh(X @ X.T)[0]
    yn = np.linalg.norm(Y)
    if yn == 0:
        return 0.0, 1.0
    h = deep_linear_constants(l, xn, lam, yn, min(fstar, yn**2 / 2))
    return hn, h.bound(max(f - fstar, 0.0))


def _balanced_product(rng: np.random.Generator, widths: tuple[int, ...]) -> np.ndarray:
    Ws = _balanced(rng, widths, 1.0)
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return P


@claim("Prop 3.2 (printed)",
       "Printed Prop 3.2 (no full-row-rank requirement on X): claimed (H0,H1)-smooth on strongly balanced "
       "weights. Defective: for rank-deficient X the Hessian norm is unbounded at points with f − f* = 0",
       printed=True)
def _prop_3_2_printed(p: Proof) -> None:
    d = deep_linear_printed_defect()
    tt = sp.Symbol("t", nonnegative=True)
    a, b, c = sp.symbols("a b c", real=True)
    X, Y = sp.Matrix(d.X), sp.Matrix(d.Y)
    f = sp.Rational(1, 2) * sum(e**2 for e in (sp.Matrix([[c]]) * sp.Matrix([[a, b]]) * X - Y))
    ct = (1 + tt**2) ** sp.Rational(1, 4)
    sub = {a: 1 / ct, b: tt / ct, c: ct}
    p.fact("X = [[1,0],[0,0]] has rank 1: λ_min(XXᵀ) = 0 (exact, on the witness's own X)",
           (X * X.T).det() == 0 and X.rank() == 1, method="symbolic")
    p.identity(f.subs(sub), 0, "f = 0 = f* along the family (f >= 0, PX = Y)")
    p.identity((c**2 - (a**2 + b**2)).subs(sub), 0, "strongly balanced along the family: W2ᵀW2 = W1W1ᵀ")
    H = sp.hessian(f, (a, b, c)).subs(sub)
    norm_t = sp.sqrt(1 + tt**2) + 1 / sp.sqrt(1 + tt**2)
    ev = H.eigenvals()
    p.identity(sp.Add(*[m * e for e, m in ev.items()]), norm_t,
               "trace of ∇²f = √(1+t²) + 1/√(1+t²); its eigenvalues are 0 (twice) and this value, so it is ‖∇²f‖")
    p.fact("eigenvalues of the exact Hessian: {0, 0, √(1+t²) + 1/√(1+t²)}",
           sorted(sp.simplify(e - norm_t) == 0 or sp.simplify(e) == 0 for e in ev) == [True] * len(ev)
           and sum(ev.values()) == 3, method="symbolic")
    p.fact("unbounded: lim_{t→∞} ‖∇²f‖ = ∞ while f − f* = 0, so no finite (H0, H1) exists",
           sp.limit(norm_t, tt, sp.oo) == sp.oo, method="symbolic")
    # independent float re-check (torch autodiff) at the listed points
    import torch
    Xt, Yt = torch.tensor(np.array(d.X, float)), torch.tensor(np.array(d.Y, float))

    def loss(th: torch.Tensor) -> torch.Tensor:
        return 0.5 * ((th[2] * (th[:2].reshape(1, 2) @ Xt) - Yt) ** 2).sum()

    worst = []
    for pt in d.points:
        t = float(pt["t"])
        cv = (1 + t * t) ** 0.25
        fv, hn = dense_hessian(loss, np.array([1 / cv, t / cv, cv]))
        worst.append((t, hn, fv))
        p.require(abs(hn - pt["hessian_norm_float"]) <= 1e-9 * hn and fv <= 1e-20, "torch re-check failed")
    p.witness("rank-deficient X, strongly balanced W with f − f* = 0 and ‖∇²f‖ = √(1+t²) + 1/√(1+t²) → ∞",
              confirmed=worst[-1][1] > 1e5 and all(w[2] <= 1e-20 for w in worst),
              X=d.X, Y=d.Y, widths=d.widths, family="W1 = [1, t]/c_t, W2 = [c_t], c_t = (1+t²)^{1/4}",
              points=[{"t": w[0], "hessian_norm_torch": w[1], "f": w[2]} for w in worst],
              exact=[{"t": q["t"], "hessian_norm": q["hessian_norm"]} for q in d.points])

