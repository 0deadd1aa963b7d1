"""Claims for the lemmas of the (H0,H1)-class: the gradient bound (and its tightness), the comparison
descent bound and the safe step, all from the ODE comparison principle ψ'' <= H0 + H1ψ.

Each claim records its proof as checked steps (sympy identities / non-negativity under stated assumptions;
``cite`` for a standard lemma, with what it assumes) and ends with a seeded randomized check of its final
inequality on random members of the gallery of :mod:`warmup_theory.proofs_checks.fixtures.gallery`, whose
constants are derived by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gallery import Member, random_member, random_profile
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import lemmas
from warmup_theory.theory.catalogue import cosh_function, cosh_numeric

__all__ = ["comparison_descent", "gradient_bound", "gradient_bound_tight", "safe_step"]

# ---------------------------------------------------------------------------------------
# Shared symbolic pieces
# ---------------------------------------------------------------------------------------

_s = sp.Symbol("s", nonnegative=True)
_k = sp.Symbol("k", positive=True)


def _comparison_steps(p: Proof) -> None:
    """The comparison principle ψ <= y on s >= 0 (module docstring of warmup_theory.theory.lemmas)."""
    p.cite("ψ(s) = f(w + s u) − f*, ‖u‖ = 1, has ψ'' = uᵀ∇²f u <= ‖∇²f‖₂ <= H0 + H1·ψ for all s "
           "(Rayleigh quotient bound; Definition 3.1 along the whole ray)", standard=True,
           detail="standard: chain rule for s ↦ f(w + su) and the Rayleigh quotient |uᵀMu| <= ‖M‖₂ for ‖u‖ = 1; "
                  "assumes f twice differentiable and (H0,H1)-smooth on R^d")
    e = sp.Function("e")(_s)
    p.identity(sp.diff(sp.exp(-_k * _s) * (e.diff(_s) + _k * e), _s),
               sp.exp(-_k * _s) * (e.diff(_s, 2) - _k**2 * e),
               "(e^{-ks}(e' + k e))' = e^{-ks}(e'' − k² e) for e = y − ψ, k = √H1")
    p.identity(sp.diff(sp.exp(_k * _s) * e, _s), sp.exp(_k * _s) * (e.diff(_s) + _k * e),
               "(e^{ks} e)' = e^{ks}(e' + k e)")
    yf, pf = sp.Function("y")(_s), sp.Function("psi")(_s)
    h0 = sp.Symbol("H0", nonnegative=True)
    ee = yf - pf
    lhs = (ee.diff(_s, 2) - _k**2 * ee).subs(yf.diff(_s, 2), h0 + _k**2 * yf)
    p.identity(lhs, h0 + _k**2 * pf - pf.diff(_s, 2),
               "with y'' = H0 + H1 y (H1 = k²): e'' − k²e = H0 + H1ψ − ψ'' >= 0 (first step)")
    p.cite("e(0) = e'(0) = 0; a differentiable function with non-negative derivative on [0, ∞) is "
           "non-decreasing (mean value theorem), so e^{-ks}(e' + k e) >= 0, then e^{ks} e >= 0: "
           "ψ(s) <= y(s) for all s >= 0 (also for k = 0)", standard=True,
           detail="standard mean value theorem (the ODE comparison principle for e'' − k²e >= 0); no sign "
                  "condition on ψ or y is needed (the ODE is linear and H1 >= 0)")


def _y(H0: sp.Expr, H1: sp.Expr, D: sp.Expr, g: sp.Expr, s: sp.Expr) -> sp.Expr:
    c, k = H0 / H1, sp.sqrt(H1)
    return -c + (D + c) * sp.cosh(k * s) - (g / k) * sp.sinh(k * s)


def _pos_syms() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, sp.Symbol, sp.Symbol]:
    """H0, H1, Δ, g, η as positive sympy symbols."""
    H0, H1, D, g, eta = sp.symbols("H0 H1 Delta g eta", positive=True)
    return H0, H1, D, g, eta


@claim("Lemma gradient bound", "(H0,H1)-smooth ⇒ ‖∇f(w)‖² <= 2·H0·Δ + H1·Δ², Δ = f(w) − f*")
def gradient_bound(p: Proof) -> None:
    """Gradient bound: ODE comparison steps and case analysis in sympy, then random gallery members."""
    H0, H1, D, g, _ = _pos_syms()
    s = sp.Symbol("s", nonnegative=True)
    _comparison_steps(p)
    y = _y(H0, H1, D, g, s)
    p.identity(y.diff(s, 2), H0 + H1 * y, "y'' = H0 + H1·y for y = −c + (Δ+c)cosh(√H1 s) − (g/√H1)sinh(√H1 s)")
    p.identity(y.subs(s, 0), D, "y(0) = Δ")
    p.identity(y.diff(s).subs(s, 0), -g, "y'(0) = −g = ψ'(0) along u = −∇f/g")
    A, c, x = sp.symbols("A c x", positive=True)
    Bq, dq = sp.symbols("B d", positive=True)
    Aq = Bq + dq  # case B < A
    R = sp.sqrt(Aq**2 - Bq**2)
    p.identity((Aq / R) ** 2 - (Bq / R) ** 2, 1,
               "case B = g/√H1 < A = Δ + c: x* = artanh(B/A) > 0 has cosh x* = A/R, sinh x* = B/R, "
               "R = √(A² − B²) (cosh² − sinh² = 1)")
    p.identity(-c + Aq * (Aq / R) - Bq * (Bq / R), -c + R, "y(x*) = −c + A cosh x* − B sinh x* = −c + √(A² − B²)")
    Ae, Be, ce = D + H0 / H1, g / sp.sqrt(H1), H0 / H1
    p.identity(H1 * (Ae**2 - Be**2 - ce**2), 2 * H0 * D + H1 * D**2 - g**2,
               "0 <= y(s*) ⇔ A² − B² >= c² ⇔ g² <= 2H0Δ + H1Δ² (times H1 > 0)")
    B2 = sp.Symbol("B", positive=True)
    p.identity(((-c + A * sp.cosh(x) - B2 * sp.sinh(x)) - (-c + A * sp.exp(-x))).rewrite(sp.exp),
               ((A - B2) * sp.sinh(x)).rewrite(sp.exp),
               "case B >= A: y = −c + A e^{−x} + (A − B) sinh(x) <= −c + A e^{−x} (x = √H1 s), "
               "which is < 0 for large s "
               "when c > 0 (and → −∞ when B > A): contradiction with y >= ψ >= 0; so B < A (or B = A, c = 0)")
    p.identity((2 * H0 * D + H1 * D**2).subs(H0, 0), H1 * (D + 0 / H1) ** 2,
               "H0 = 0 (c = 0): 2H0Δ + H1Δ² = H1·A², so B <= A ⇔ g² <= 2H0Δ + H1Δ²")
    yc = D - g * s + H0 * s**2 / 2
    p.identity(yc.diff(s, 2), H0, "H1 = 0: y = Δ − gs + H0s²/2 solves y'' = H0")
    p.identity(yc.subs(s, g / H0), D - g**2 / (2 * H0), "H1 = 0: y(g/H0) = Δ − g²/(2H0) >= 0 ⇔ g² <= 2H0Δ "
               "(H0 = H1 = 0: y = Δ − gs → −∞ unless g = 0)")
    p.identity(lemmas.gradient_norm_bound(H0, H1, D) ** 2, 2 * H0 * D + H1 * D**2,
               "gradient_norm_bound(H0, H1, Δ)² = 2H0Δ + H1Δ²")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        w = mem.point(rng)
        return float(np.linalg.norm(mem.grad(w))), lemmas.gradient_norm_bound(mem.H0, mem.H1, mem.f(w) - mem.f_star)

    p.sample("‖∇f(w)‖ <= gradient_norm_bound(H0, H1, f(w) − f*) on random gallery members", inst, 400)


@claim("Lemma gradient bound tightness",
       "equality ‖∇f‖² = 2H0Δ + H1Δ² at every w for f = (H0/H1)(cosh(√H1 w) − 1), f* = 0")
def gradient_bound_tight(p: Proof) -> None:
    """Tightness of the gradient bound: sympy equality on the catalogue's cosh function, then float64."""
    H0, H1 = sp.symbols("H0 H1", positive=True)
    f, w = cosh_function(H0, H1)  # the catalogue's (H0/H1)(cosh(√H1 w) − 1), w real
    p.identity(f.diff(w, 2), H0 + H1 * f, "f'' = H0 + H1·f (so f is (H0,H1)-smooth with equality)")
    p.identity(f, 2 * H0 / H1 * sp.sinh(sp.sqrt(H1) * w / 2) ** 2, "f = (2H0/H1) sinh²(√H1 w/2)")
    p.nonneg(2 * H0 / H1 * sp.sinh(sp.sqrt(H1) * w / 2) ** 2, "f >= 0 = f(0): f* = 0")
    p.identity(f.diff(w) ** 2, 2 * H0 * f + H1 * f**2, "f'(w)² = 2H0 f(w) + H1 f(w)² for every w (equality)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.05, 5)), float(rng.uniform(0.05, 5))
        f, df = cosh_numeric(h0, h1)  # the catalogue's (h0/h1)(cosh(√h1 w) − 1)
        x = float(rng.uniform(-8, 8)) / math.sqrt(h1)
        return lemmas.gradient_norm_bound(h0, h1, f(x)), abs(df(x))

    p.sample("reverse inequality gradient_norm_bound <= |f'(w)| on the cosh function (float64)", inst, 300)


def _descent_instance(rng: np.random.Generator, eta_of: Callable[[Member, float, float, np.random.Generator], float]
                      ) -> tuple[Member, np.ndarray, float, float, float, float]:
    mem = random_member(rng)
    w = mem.point(rng)
    gvec = mem.grad(w)
    gap, g = mem.f(w) - mem.f_star, float(np.linalg.norm(gvec))
    eta = eta_of(mem, gap, g, rng)
    return mem, w, gap, g, eta, mem.f(w - eta * gvec) - mem.f_star


@claim("Lemma comparison descent",
       "f(w − η∇f) − f* <= −c + (Δ+c)cosh(t) − (g/√H1)sinh(t), c = H0/H1, t = √H1ηg, every η >= 0; "
       "H1 → 0: Δ − ηg² + H0η²g²/2; equality on the cosh function")
def comparison_descent(p: Proof) -> None:
    """Comparison descent bound: sympy on the comparison solution y, equality on cosh, random members."""
    H0, H1, D, g, eta = _pos_syms()
    s = sp.Symbol("s", nonnegative=True)
    _comparison_steps(p)
    y = _y(H0, H1, D, g, s)
    p.identity(y.diff(s, 2) - H1 * y, H0, "y'' = H0 + H1 y")
    p.identity(y.subs(s, 0), D, "y(0) = Δ")
    p.identity(y.diff(s).subs(s, 0), -g, "y'(0) = −g")
    p.identity(y.subs(s, eta * g), lemmas.descent_bound(H0, H1, D, g, eta),
               "w⁺ = w + (ηg)·u, u = −∇f/g: f(w⁺) − f* = ψ(ηg) <= y(ηg) = descent_bound(H0, H1, Δ, g, η)")
    k = sp.Symbol("k", positive=True)
    yk = -H0 / k**2 + (D + H0 / k**2) * sp.cosh(k * eta * g) - (g / k) * sp.sinh(k * eta * g)
    p.identity(sp.limit(yk, k, 0), D - eta * g**2 + H0 * eta**2 * g**2 / 2,
               "H1 = k² → 0: the bound tends to the L-smooth descent lemma Δ − ηg² + H0η²g²/2")
    h0z = sp.Symbol("H0z", nonnegative=True)
    p.identity(lemmas.descent_bound(0, H1, D, g, eta),
               D * sp.cosh(sp.sqrt(H1) * eta * g) - g / sp.sqrt(H1) * sp.sinh(sp.sqrt(H1) * eta * g),
               "H0 = 0 (c = 0): Δcosh t − (g/√H1) sinh t")
    p.identity(lemmas.descent_bound(h0z, 0, D, g, eta), D - eta * g**2 + h0z * eta**2 * g**2 / 2,
               "H1 = 0 exactly: descent_bound returns the classical form")
    w, T = sp.symbols("w T", positive=True)
    kk = sp.sqrt(H1)
    fc, wc = cosh_function(H0, H1)  # the catalogue's (H0/H1)(cosh(√H1 w) − 1)

    def f(x: sp.Expr) -> sp.Expr:
        return fc.subs(wc, x)

    gw = f(w).diff(w)
    # t = √H1·η·g is renamed T (η = T/(√H1 g)) so that sympy sees independent arguments
    p.identity(f(w - T / kk), lemmas.descent_bound(H0, H1, f(w), gw, eta).subs(eta, T / (kk * gw)),
               "equality on f = (H0/H1)(cosh(√H1 w) − 1) at w > 0 (w < 0 by symmetry): "
               "f(w − η f'(w)) = descent_bound(H0, H1, f(w), f'(w), η)")

    def eta_of(mem: Member, gap: float, g: float, rng: np.random.Generator) -> float:
        L = mem.H0 + mem.H1 * gap
        return float(rng.uniform(0, 8.0)) / L if L > 0 else 0.0

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_of)
        return actual, lemmas.descent_bound(mem.H0, mem.H1, gap, g, eta)

    p.sample("f(w − η∇f) − f* <= descent_bound on random members, η ∈ [0, 8/(H0 + H1Δ)]", inst, 400, atol=1e-10)

    def inst_cosh(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_profile(rng, "cosh")
        x = pr.m + pr.radius * float(rng.uniform(-1, 1))
        gap, d1 = pr.phi(x) - pr.star, pr.d1(x)
        eta = float(rng.uniform(0, 3)) / (pr.H0 + pr.H1 * gap)
        return lemmas.descent_bound(pr.H0, pr.H1, gap, abs(d1), eta), (pr.phi(x - eta * d1) - pr.star)

    p.sample("reverse inequality (equality) descent_bound <= f(w⁺) − f* on the cosh function", inst_cosh, 200,
             rtol=1e-8, atol=1e-9)


@claim("Lemma safe step",
       "descent_bound <= Δ iff η <= η_max = (2/L)·artanh(z)/z, L = H0 + H1Δ, z = g√H1/L; for η <= η_max "
       "f(w − η∇f) − f* <= Δ − η(1 − Lη/2)g², and η_max >= 2/L")
def safe_step(p: Proof) -> None:
    """Safe step η_max: tanh/artanh monotonicity (sympy), then descent and maximality on random members / cosh."""
    A, B, x, c = sp.symbols("A B x c", positive=True)
    p.identity(((-c + A * sp.cosh(x) - B * sp.sinh(x)) - (A - c)).rewrite(sp.exp),
               (sp.sinh(x) * (A * sp.tanh(x / 2) - B)).rewrite(sp.exp),
               "y − Δ = A(cosh x − 1) − B sinh x = sinh(x)(A tanh(x/2) − B), x = √H1·η·g, A = Δ + c, B = g/√H1")
    p.uses("Lemma gradient bound", "B <= A (A² − B² >= c²)")
    p.cite("sinh x > 0 for x > 0 and tanh is increasing with range (0, 1): y <= Δ ⇔ x <= 2·artanh(B/A) "
           "(B <= A by the gradient bound: A² − B² >= c²)", standard=True,
           detail="standard monotonicity of sinh, tanh, artanh; B <= A is the claim 'Lemma gradient bound' (proved)")
    H0, H1, D, g, eta = _pos_syms()
    L = H0 + H1 * D
    z = g * sp.sqrt(H1) / L
    p.identity((g / sp.sqrt(H1)) / (D + H0 / H1), z, "B/A = g√H1/(H0 + H1Δ) = z")
    p.identity(2 * sp.atanh(z) / (sp.sqrt(H1) * g), lemmas.safe_step_max(H0, H1, D, g),
               "η_max = x_max/(√H1 g) = 2artanh(z)/(√H1 g) = safe_step_max(H0, H1, Δ, g)")
    p.identity(2 * sp.atanh(z) / (sp.sqrt(H1) * g), 2 * sp.atanh(z) / (z * L), "η_max = (2/L)·artanh(z)/z")
    zz = sp.Symbol("z", nonnegative=True)
    p.identity(sp.diff(sp.atanh(zz) - zz, zz), zz**2 / (1 - zz**2), "(artanh z − z)' = z²/(1 − z²)")
    u = sp.Symbol("u", positive=True)
    p.nonneg((zz**2 / (1 - zz**2)).subs(zz, 1 / (1 + u)), "z²/(1 − z²) >= 0 on (0, 1) (z = 1/(1 + u), u > 0)")
    p.cite("artanh(0) = 0 and (artanh z − z)' >= 0 ⇒ artanh(z)/z >= 1 ⇒ η_max >= 2/L (mean value theorem)",
           standard=True, detail="standard mean value theorem; derivative sign: sympy above")
    _comparison_steps(p)
    s = sp.Symbol("s", nonnegative=True)
    q = D - g * s + L * s**2 / 2
    p.identity(q.diff(s, 2), L, "q(s) = Δ − gs + Ls²/2: q'' = L")
    p.identity(q.subs(s, 0) + q.diff(s).subs(s, 0), D - g, "q(0) = Δ, q'(0) = −g (q(0) = Δ, q' = −g + Ls)")
    p.cite("for η <= η_max: ψ(s) <= y(s) <= Δ on [0, ηg] (first identity), so ψ'' <= H0 + H1ψ <= L there, and "
           "the comparison with k = 0 (q − ψ has non-negative second derivative, zero data) gives ψ(ηg) <= q(ηg)",
           standard=True, detail="ODE comparison principle (the mean-value-theorem steps above) with k = 0 on [0, ηg]; "
                                 "y <= Δ there by the first identity and monotonicity of tanh")
    p.identity(q.subs(s, eta * g), lemmas.quadratic_descent_bound(H0, H1, D, g, eta),
               "q(ηg) = Δ − η(1 − Lη/2)g² = quadratic_descent_bound")

    def eta_safe(mem: Member, gap: float, g: float, rng: np.random.Generator) -> float:
        em = lemmas.safe_step_max(mem.H0, mem.H1, gap, g)
        L = mem.H0 + mem.H1 * gap
        return float(rng.uniform(0, 1)) * (em if math.isfinite(em) else 10.0 / max(L, 1e-12))

    def inst_quad(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_safe)
        return actual, lemmas.quadratic_descent_bound(mem.H0, mem.H1, gap, g, eta)

    def inst_gap(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_safe)
        return actual, gap

    p.sample("f(w − η∇f) − f* <= quadratic_descent_bound for η ∈ [0, η_max], random members", inst_quad, 300,
             atol=1e-10)
    p.sample("f(w − η∇f) <= f(w) for η ∈ [0, η_max], random members", inst_gap, 300, atol=1e-10)

    def inst_max(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_profile(rng, "cosh")
        x = pr.m + pr.radius * float(rng.uniform(0.05, 1)) * (1 if rng.random() < 0.5 else -1)
        gap, d1 = pr.phi(x) - pr.star, pr.d1(x)
        eta = lemmas.safe_step_max(pr.H0, pr.H1, gap, abs(d1)) * float(rng.uniform(1.01, 2.0))
        return gap, pr.phi(x - eta * d1) - pr.star

    p.sample("maximality: on the cosh function f(w − η∇f) > f(w) for η ∈ [1.01, 2]·η_max", inst_max, 200,
             rtol=0.0, atol=0.0)

