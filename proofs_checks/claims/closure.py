"""Claims for the closure rules of the (H0,H1)-class: Prop B.2 (sum; corrected and printed), scaling,
affine composition, averages, and adding an L-smooth term.

Each claim records its proof as checked steps (sympy identities / non-negativity under stated assumptions;
``cite`` for a standard lemma, with what it assumes) and ends with a seeded randomized check of its final
inequality on random members of the gallery of :mod:`warmup_theory.proofs_checks.fixtures.gallery`, whose
constants are derived by hand. The infimum h* of a composition is
replaced by an admissible upper bound (the minimum over sample points, at least the sum of the infima); the
checked inequality does not depend on it.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gallery import Fn, hess_norm, random_member
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import closure, relations
from warmup_theory.theory.hsmooth import HSmooth

__all__ = ["closure_add_smooth", "closure_affine", "closure_average", "closure_scale", "prop_b2", "prop_b2_printed"]


def _piecewise_equal(a: sp.Expr, b: sp.Expr) -> bool:
    diff = sp.piecewise_fold(a.rewrite(sp.Piecewise) - b.rewrite(sp.Piecewise))
    return bool(sp.simplify(diff) == 0)


def _grid_min(fn: Fn, mem_pts: list[np.ndarray]) -> float:
    return min(fn(w) for w in mem_pts)


@claim("Prop B.2", "h = f + g is (H0f + H0g + H1(h* − f* − g*), H1)-smooth, H1 = max(H1f, H1g) (corrected)")
def prop_b2(p: Proof) -> None:
    """Corrected Prop B.2 (sum rule): triangle inequality and sympy identities, then random gallery pairs."""
    H0f, H1f, H0g, H1g, df, dg, pf, pg = sp.symbols("H0f H1f H0g H1g df dg p q", nonnegative=True)
    fs, gs, hs, hval = sp.symbols("f_s g_s h_s h", real=True)
    p.cite("‖∇²(f + g)‖₂ <= ‖∇²f‖₂ + ‖∇²g‖₂ (triangle inequality of the spectral norm)", standard=True)
    H1 = sp.Max(H1f, H1g)
    p.fact("max(H1f, H1g) − H1f = max(0, H1g − H1f) (sympy: piecewise forms agree)",
           _piecewise_equal(sp.Max(H1f, H1g) - H1f, sp.Max(0, H1g - H1f)), method="symbolic")
    p.nonneg(sp.Max(0, H1g - H1f), "H1 − H1f = max(0, H1g − H1f) >= 0")
    p.nonneg(sp.Max(0, H1f - H1g), "H1 − H1g = max(0, H1f − H1g) >= 0")
    # p = H1 − H1f, q = H1 − H1g, df = f − f* >= 0, dg = g − g* >= 0
    p.leq(H0f + H1f * df + H0g + H1g * dg, H0f + H0g + (H1f + pf) * df + (H1g + pg) * dg,
          "H0f + H1f(f − f*) + H0g + H1g(g − g*) <= H0f + H0g + H1(f − f* + g − g*)")
    lhs = H0f + H0g + H1 * (hval - fs - gs)
    p.identity(lhs, (H0f + H0g + H1 * (hs - fs - gs)) + H1 * (hval - hs),
               "H0f + H0g + H1(h − f* − g*) = [H0f + H0g + H1(h* − f* − g*)] + H1(h − h*)")
    p.cite("h* = inf(f + g) >= inf f + inf g = f* + g*, so H0 >= 0", standard=True,
           detail="standard: inf(f + g) >= inf f + inf g; H1 >= 0")
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.add(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=fs + gs + sh)
    p.identity(out.H0, H0f + H0g + H1 * sh, "closure.add returns H0 = H0f + H0g + H1(h* − f* − g*)")
    p.identity(out.H1, H1, "closure.add returns H1 = max(H1f, H1g)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim = int(rng.integers(1, 3))
        f, g = random_member(rng, dim), random_member(rng, dim)
        center = f.center if rng.random() < 0.5 else g.center
        rad = min(f.radius, g.radius)
        pts = [center + rad * rng.uniform(-1, 1, dim) for _ in range(8)]

        def h(w: np.ndarray) -> float:
            return f.f(w) + g.f(w)

        # h_star: min over sample points, an upper bound of inf h, hence admissible; the checked
        # inequality H0 + H1(h − h*) = H0f + H0g + H1(h − f* − g*) does not depend on it.
        h_star = max(_grid_min(h, pts), f.f_star + g.f_star)
        c = closure.add(HSmooth(f.H0, f.H1), HSmooth(g.H0, g.H1), f_star=f.f_star, g_star=g.f_star, h_star=h_star)
        w = pts[0]
        return hess_norm(f.hess(w) + g.hess(w)), c.bound(h(w) - h_star)

    p.sample("‖∇²h(w)‖ <= H0 + H1(h(w) − h*) for h = f + g, random gallery pairs (1-D/2-D)", inst, 300)


@claim("Prop B.2 (printed)",
       "printed: H0 = H0f + H0g + H1·h* − H1f·f* − H1g·g*, H1 = max(H1f, H1g)", printed=True)
def prop_b2_printed(p: Proof) -> None:
    """Printed Prop B.2 is defective: sympy difference from the corrected H0 and two re-checked witnesses."""
    H0f, H1f, H0g, H1g = sp.symbols("H0f H1f H0g H1g", nonnegative=True)
    fs, gs, hs = sp.symbols("f_s g_s h_s", real=True)
    H1 = sp.Max(H1f, H1g)
    pr = closure.add_printed(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=hs)
    cor = closure.add(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=hs)
    p.identity(pr.H0 - cor.H0, (H1 - H1f) * fs + (H1 - H1g) * gs,
               "printed − corrected H0 = (H1 − H1f)f* + (H1 − H1g)g*: equal iff this vanishes; printed "
               "is valid (larger) when f*, g* >= 0, and too small when an infimum is negative")
    w = sp.Symbol("w", real=True)
    f, g = w**2 / 2 + 1, w**2 / 2 - 1
    Hf, Hg, f_star, g_star, h_star = HSmooth(1, 1), HSmooth(1, 0), 1, -1, 0
    p.nonneg(Hf.H0 + Hf.H1 * (f - f_star) - sp.Abs(f.diff(w, 2)), "f = w²/2 + 1 is (1, 1)-smooth, f* = 1")
    p.nonneg(Hg.H0 + Hg.H1 * (g - g_star) - sp.Abs(g.diff(w, 2)), "g = w²/2 − 1 is (1, 0)-smooth, g* = −1")
    h = sp.expand(f + g)
    p.identity(h, w**2, "h = f + g = w², h* = 0")
    printed = closure.add_printed(Hf, Hg, f_star=f_star, g_star=g_star, h_star=h_star)
    corrected = closure.add(Hf, Hg, f_star=f_star, g_star=g_star, h_star=h_star)
    p.nonneg(corrected.H0 + corrected.H1 * (h - h_star) - sp.Abs(h.diff(w, 2)),
             f"corrected rule on the same instance: (H0, H1) = ({corrected.H0}, {corrected.H1}) holds everywhere")
    hess0 = float(sp.Abs(h.diff(w, 2)).subs(w, 0))
    bound0 = float(printed.H0 + printed.H1 * (h.subs(w, 0) - h_star))
    p.witness("printed Prop B.2 violated at w = 0 although its H0 >= 0", hess0 > bound0,
              f=str(f), g=str(g), H0f=1, H1f=1, f_star=f_star, H0g=1, H1g=0, g_star=g_star, h=str(h),
              h_star=h_star, printed_H0=printed.H0, printed_H1=printed.H1, point=0.0,
              hessian_norm=hess0, printed_bound=bound0)
    f2 = w**2 / 2 + 5
    p.nonneg(1 + (f2 - 5) - 1, "f = w²/2 + 5 is (1, 1)-smooth, f* = 5")
    pr2 = closure.add_printed(HSmooth(1, 1), HSmooth(1, 0), f_star=5, g_star=-5, h_star=0)
    p.witness("printed H0 < 0 (Definition 3.1 needs H0 >= 0) for f = w²/2 + 5, g = w²/2 − 5", float(pr2.H0) < 0,
              f=str(f2), g=str(w**2 / 2 - 5), H0f=1, H1f=1, f_star=5, H0g=1, H1g=0, g_star=-5, h_star=0,
              printed_H0=pr2.H0, printed_H1=pr2.H1)


@claim("Closure scale", "c·f is (c·H0, H1)-smooth for c > 0, with (cf)* = c·f*")
def closure_scale(p: Proof) -> None:
    """Scaling rule c·f: sympy identities on closure.scale, then random members and scales."""
    c = sp.Symbol("c", positive=True)
    H0, H1, fv, fs = sp.symbols("H0 H1 f f_s", real=True)
    p.cite("‖∇²(cf)‖ = c‖∇²f‖ and inf(cf) = c·inf f for c > 0", standard=True,
           detail="standard: linearity of ∇², absolute homogeneity of the norm, inf(cf) = c·inf f for c > 0")
    p.identity(c * (H0 + H1 * (fv - fs)), c * H0 + H1 * (c * fv - c * fs),
               "c(H0 + H1(f − f*)) = cH0 + H1(cf − (cf)*)")
    h0, h1 = sp.symbols("H0 H1", nonnegative=True)
    out = closure.scale(c, HSmooth(h0, h1))
    p.identity(out.H0, c * h0, "closure.scale returns H0' = cH0")
    p.identity(out.H1, h1, "closure.scale returns H1' = H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        cv = float(np.exp(rng.uniform(-3, 3)))
        out = closure.scale(cv, HSmooth(mem.H0, mem.H1))
        w = mem.point(rng)
        return cv * hess_norm(mem.hess(w)), out.bound(cv * mem.f(w) - cv * mem.f_star)

    p.sample("‖∇²(cf)‖ <= cH0 + H1(cf − cf*), random members, c ∈ [e^-3, e^3]", inst, 300)


@claim("Closure affine", "h(w) = f(Aw + b) is (‖A‖²(H0 + H1(h* − f*)), ‖A‖²H1)-smooth; h* >= f* (= if A onto)")
def closure_affine(p: Proof) -> None:
    """Affine composition f(Aw + b): submultiplicativity (cited), sympy on compose_affine, random A and members."""
    a2 = sp.Symbol("a2", nonnegative=True)
    H0, H1, D, hv, hs, fs = sp.symbols("H0 H1 M h h_s f_s", real=True)
    p.cite("∇²h(w) = Aᵀ∇²f(Aw + b)A and ‖AᵀMA‖₂ <= ‖A‖₂²‖M‖₂ (submultiplicativity)", standard=True,
           detail="standard: Hessian of an affine composition; submultiplicativity of the spectral norm, ‖Aᵀ‖₂ = ‖A‖₂")
    p.identity(a2 * (H0 + H1 * (hv - fs)), a2 * (H0 + H1 * (hs - fs)) + a2 * H1 * (hv - hs),
               "‖A‖²(H0 + H1(f(Aw+b) − f*)) = ‖A‖²(H0 + H1(h* − f*)) + ‖A‖²H1(h − h*)")
    p.cite("h* = inf f(Aw + b) >= inf f = f*, with equality when A is onto (h takes all of f's values)",
           standard=True, detail="standard: an infimum over a subset of the values is >= the infimum over all")
    h0, h1, sh = sp.symbols("H0 H1 sh", nonnegative=True)
    A = sp.Symbol("A", nonnegative=True)
    out = closure.compose_affine(HSmooth(h0, h1), A, f_star=fs, h_star=fs + sh)
    p.identity(out.H0, A**2 * (h0 + h1 * sh), "closure.compose_affine returns H0' = ‖A‖²(H0 + H1(h* − f*))")
    p.identity(out.H1, A**2 * h1, "closure.compose_affine returns H1' = ‖A‖²H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        d = int(rng.integers(1, 4))
        Am = rng.normal(size=(mem.dim, d)) * rng.uniform(0.2, 1.5)
        # choose b so that Aw + b lands in the member's box for w in a small box
        w0 = rng.normal(size=d)
        b = mem.point(rng) - Am @ w0
        anorm = float(np.linalg.norm(Am, 2))
        rad = mem.radius / (2 * max(anorm, 1e-9) * math.sqrt(d))
        pts = [w0 + rad * rng.uniform(-1, 1, d) for _ in range(6)]

        def h(w: np.ndarray) -> float:
            return mem.f(Am @ w + b)

        h_star = max(_grid_min(h, pts), mem.f_star)  # admissible upper bound of inf h (checked bound is h*-free)
        out = closure.compose_affine(HSmooth(mem.H0, mem.H1), anorm, f_star=mem.f_star, h_star=h_star)
        w = pts[0]
        return hess_norm(Am.T @ mem.hess(Am @ w + b) @ Am), out.bound(h(w) - h_star)

    p.sample("‖∇²h(w)‖ <= H0 + H1(h − h*) for h = f(Aw + b), random A (m×d, d <= 3), random members", inst, 300)


@claim("Closure average", "(1/n)Σf_i is (avg H0i + max H1i·(h* − avg f_i*), max H1i)-smooth")
def closure_average(p: Proof) -> None:
    """Average rule: triangle inequality (cited), sympy on closure.average, averages of 1–4 random members."""
    n = 3
    H0 = sp.symbols("H0_1:4", nonnegative=True)
    H1 = sp.symbols("H1_1:4", nonnegative=True)
    d = sp.symbols("d1:4", nonnegative=True)  # f_i − f_i*
    st = sp.symbols("s1:4", real=True)
    H1m = sp.Max(*H1)
    p.cite("‖∇²(avg f_i)‖ <= avg ‖∇²f_i‖ (triangle inequality); h* = inf avg f_i >= avg f_i*", standard=True,
           detail="standard: triangle inequality of the spectral norm; inf Σ f_i >= Σ inf f_i")
    for i in range(n):
        p.nonneg(sp.Max(0, *[H1[j] - H1[i] for j in range(n) if j != i]),
                 f"max H1 − H1_{i + 1} = max(0, H1_j − H1_{i + 1}) >= 0")
    slack = sp.symbols("p1:4", nonnegative=True)  # max H1 − H1i
    p.leq(sum(H0[i] + H1[i] * d[i] for i in range(n)) / n,
          sum(H0) / n + sum((H1[i] + slack[i]) * d[i] for i in range(n)) / n,
          "avg(H0i + H1i(f_i − f_i*)) <= avg H0 + max H1 · avg(f_i − f_i*)  (n = 3 shown; same for any n)")
    hs, hv = sp.symbols("h_s h", real=True)
    p.identity(sum(H0) / n + H1m * (hv - sum(st) / n),
               (sum(H0) / n + H1m * (hs - sum(st) / n)) + H1m * (hv - hs),
               "avg H0 + H1(h − avg f*) = [avg H0 + H1(h* − avg f*)] + H1(h − h*)")
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.average([HSmooth(H0[i], H1[i]) for i in range(n)], f_stars=list(st), h_star=sum(st) / n + sh)
    p.identity(out.H0, sum(H0) / n + H1m * sh, "closure.average returns H0 = avg H0 + max H1·(h* − avg f*)")
    p.identity(out.H1, H1m, "closure.average returns H1 = max H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim, k = int(rng.integers(1, 3)), int(rng.integers(1, 5))
        ms = [random_member(rng, dim) for _ in range(k)]
        rad = min(m.radius for m in ms)
        center = ms[int(rng.integers(k))].center
        pts = [center + rad * rng.uniform(-1, 1, dim) for _ in range(6)]

        def h(w: np.ndarray) -> float:
            return sum(m.f(w) for m in ms) / k

        mean_star = sum(m.f_star for m in ms) / k
        h_star = max(_grid_min(h, pts), mean_star)
        out = closure.average([HSmooth(m.H0, m.H1) for m in ms], f_stars=[m.f_star for m in ms], h_star=h_star)
        w = pts[0]
        return hess_norm(sum((m.hess(w) for m in ms), np.zeros((dim, dim))) / k), out.bound(h(w) - h_star)

    p.sample("‖∇²h‖ <= H0 + H1(h − h*) for averages of 1–4 random members", inst, 300)


@claim("Closure add-smooth",
       "f + g with g L-smooth, g* = inf g: (H0f + L + H1f(h* − f* − g*), H1f)-smooth; L2 term: g* = 0, L = λ")
def closure_add_smooth(p: Proof) -> None:
    """Adding an L-smooth term: composition of Prop B.1 and B.2 checked symbolically, then L2 / log-cosh terms."""
    H0, H1, L = sp.symbols("H0 H1 L", nonnegative=True)
    fs, gs = sp.symbols("f_s g_s", real=True)
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.add_smooth(HSmooth(H0, H1), L, f_star=fs, g_star=gs, h_star=fs + gs + sh)
    via = closure.add(HSmooth(H0, H1), relations.from_l_smooth(L), f_star=fs, g_star=gs, h_star=fs + gs + sh)
    p.uses("Prop B.1", "g L-smooth ⇒ (L, 0)-smooth")
    p.uses("Prop B.2", "the corrected sum rule")
    p.fact("g L-smooth ⇒ (L, 0)-smooth (claim 'Prop B.1'); then the corrected Prop B.2 (claim 'Prop B.2') with "
           "H1 = max(H1f, 0) = H1f: sympy, closure.add_smooth(f, L) = closure.add(f, from_l_smooth(L))",
           bool(sp.simplify(out.H0 - via.H0) == 0 and sp.simplify(out.H1 - via.H1) == 0), method="symbolic",
           detail="the composition of two proved claims, checked on the implementation")
    p.identity(out.H0, H0 + L + H1 * sh, "closure.add_smooth returns H0 = H0f + L + H1f(h* − f* − g*)")
    p.identity(out.H1, H1, "closure.add_smooth returns H1 = H1f")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim = int(rng.integers(1, 3))
        mem = random_member(rng, dim)
        lam = float(np.exp(rng.uniform(-3, 1)))
        w0 = mem.center + rng.normal(size=dim)
        l2 = rng.random() < 0.5

        def gf(w: np.ndarray) -> float:
            if l2:  # L2 term (λ/2)‖w − w0‖²: L = λ, g* = 0
                return 0.5 * lam * float((w - w0) @ (w - w0))
            return lam * math.log(math.cosh(w[0] - w0[0]))  # λ·logcosh(w1 − w0_1): L = λ, g* = 0

        def gh(w: np.ndarray) -> np.ndarray:
            if l2:
                return lam * np.eye(dim)
            H = np.zeros((dim, dim))
            H[0, 0] = lam / math.cosh(w[0] - w0[0]) ** 2
            return H

        L_, g_star = lam, 0.0
        pts = [mem.point(rng) for _ in range(6)]

        def h(w: np.ndarray) -> float:
            return mem.f(w) + gf(w)

        h_star = max(_grid_min(h, pts), mem.f_star + g_star)
        out = closure.add_smooth(HSmooth(mem.H0, mem.H1), L_, f_star=mem.f_star, g_star=g_star, h_star=h_star)
        w = pts[0]
        return hess_norm(mem.hess(w) + gh(w)), out.bound(h(w) - h_star)

    p.sample("‖∇²h‖ <= H0 + H1(h − h*) for member + L2 or λ·log-cosh term", inst, 300)
