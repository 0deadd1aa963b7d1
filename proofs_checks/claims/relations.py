"""Claims relating smoothness classes: Prop B.1 (L-smooth ⇒ (L, 0)) and the (L0,L1) ⇒ (H0,H1) inclusion.

Each claim records its proof as checked steps (sympy identities / non-negativity under stated assumptions;
``cite`` for a standard lemma, with what it assumes) and ends with a seeded randomized check of its final
inequality on random members of the gallery of :mod:`warmup_theory.proofs_checks.fixtures.gallery`, whose
constants are derived by hand.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gallery import hess_norm, member_1d, random_member, random_profile, sigmoid
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import relations

__all__ = ["l0l1_inclusion", "prop_b1"]


@claim("Prop B.1", "L-smooth (‖∇²f‖₂ <= L) ⇒ (L, 0)-smooth")
def prop_b1(p: Proof) -> None:
    """Prop B.1: from_l_smooth checked in sympy, then L-smooth gallery members in 1-D and 2-D."""
    L, D = sp.symbols("L Delta", nonnegative=True)
    p.cite("for twice differentiable f, ‖∇f(x) − ∇f(y)‖ <= L‖x − y‖ ⇔ ‖∇²f‖₂ <= L everywhere", standard=True,
           detail="standard: ∇²f(w)v = lim_t (∇f(w + tv) − ∇f(w))/t and the mean value inequality")
    c = relations.from_l_smooth(L)
    p.identity(c.H0, L, "from_l_smooth(L).H0 = L")
    p.identity(c.H1, 0, "from_l_smooth(L).H1 = 0")
    p.leq(L, c.H0 + c.H1 * D, "‖∇²f‖ <= L <= L + 0·(f − f*)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        kind = ("quad", "logistic", "logcosh")[rng.integers(3)]
        mem = member_1d(random_profile(rng, kind)) if rng.random() < 0.6 else random_member(rng, 2)
        if mem.H1 != 0.0:  # 2-D draw with H1 > 0: replace by an L-smooth 2-D quadratic
            while mem.H1 != 0.0:
                mem = random_member(rng, 2)
        w = mem.point(rng)
        hs = relations.from_l_smooth(mem.H0)
        return hess_norm(mem.hess(w)), hs.bound(mem.f(w) - mem.f_star)

    p.sample("‖∇²f(w)‖ <= H0 + H1(f − f*) with (H0,H1) = from_l_smooth(L), L-smooth gallery, 1-D/2-D", inst, 300)


@claim("Lemma (L0,L1)⇒(H0,H1)",
       "(L0,L1)-smooth, C², bounded below ⇒ (H0,H1)-smooth, H0 = L0·log(1+x0)/m, H1 = L1²/m, "
       "m = 2log(1+x0) − x0, any x0 ∈ (0,1] (toolkit's own constants)")
def l0l1_inclusion(p: Proof) -> None:
    """(L0,L1) ⇒ (H0,H1): Grönwall majorant and constants in sympy, then (L0,L1)-smooth examples."""
    L0, L1, g, a = sp.symbols("L0 L1 g a", positive=True)
    s = sp.Symbol("s", nonnegative=True)
    p.cite("G(s) = ‖∇f(w + s u)‖ <= g + ∫₀ˢ ‖∇²f(w + τu)u‖ dτ <= g + ∫₀ˢ (L0 + L1 G) (fundamental "
           "theorem of calculus, f ∈ C², ‖u‖ = 1); Grönwall's integral lemma: G + a <= (g + a)e^{L1 s}",
           standard=True, detail="standard: fundamental theorem of calculus, triangle inequality for integrals, "
                                 "Grönwall lemma for continuous G; a = L0/L1")
    B = (g + a) * sp.exp(L1 * s)
    p.identity(B.diff(s) - L1 * B + B.subs(s, 0), g + a,
               "B(s) = (g + a)e^{L1 s}: B' = L1·B, B(0) = g + a, i.e. B = (g + a) + L1∫₀ˢ B (the Grönwall majorant)")
    bound_psi = -g * s + (g + a) * (sp.exp(L1 * s) - 1 - L1 * s) / L1
    p.identity(bound_psi.diff(s, 2), L1 * (g + a) * sp.exp(L1 * s),
               "P(s) = −gs + (g+a)(e^{L1 s} − 1 − L1 s)/L1 has P'' = L1(g + a)e^{L1 s}")
    p.identity(bound_psi.subs(s, 0), 0, "P(0) = 0")
    p.identity(bound_psi.diff(s).subs(s, 0), -g, "P'(0) = −g")
    p.cite("ψ'' <= L0 + L1 G <= L1(g + a)e^{L1 s} = P'', ψ'(0) = −g = P'(0): integrating twice (mean value "
           "theorem), ψ(s) − Δ <= P(s) for s >= 0", standard=True,
           detail="standard: Rayleigh quotient (ψ'' <= ‖∇²f‖₂), the (L0,L1) hypothesis, and the mean value theorem "
                  "applied twice to P − (ψ − Δ) (zero value and slope at 0, non-negative second derivative)")
    x0 = sp.Symbol("x0", positive=True)
    m_expr, r_expr = 2 * sp.log(1 + x0) - x0, x0 - sp.log(1 + x0)
    s0 = sp.log(1 + x0) / L1
    p.identity(L1 * (-bound_psi.subs(s, s0)), m_expr * g - a * r_expr,
               "0 <= ψ(s0), s0 = log(1 + x0)/L1 ⇒ L1Δ >= m g − a r, m = 2log(1+x0) − x0, r = x0 − log(1+x0)")
    v = sp.Symbol("v", nonnegative=True)
    x = sp.Symbol("x", real=True)
    p.identity(sp.diff(2 * sp.log(1 + x) - x, x), (1 - x) / (1 + x), "m'(x) = (1 − x)/(1 + x)")
    p.nonneg(((1 - x) / (1 + x)).subs(x, 1 / (1 + v)), "m'(x) >= 0 on (0, 1] (x = 1/(1 + v), v >= 0)")
    p.identity(sp.diff(x - sp.log(1 + x), x), x / (1 + x), "r'(x) = x/(1 + x)")
    p.nonneg((x / (1 + x)).subs(x, 1 / (1 + v)), "r'(x) >= 0 on (0, 1]")
    p.fact("m(0) = r(0) = 0 (sympy)", bool(m_expr.subs(x0, 0) == 0 and r_expr.subs(x0, 0) == 0), method="symbolic")
    p.cite("m(0) = r(0) = 0 and m' > 0 on [0, 1), r' >= 0 ⇒ m(x0) > 0, r(x0) >= 0 for x0 ∈ (0, 1] "
           "(mean value theorem)", standard=True, detail="standard mean value theorem; derivative signs: sympy above")
    msym, rsym, D, sigma = sp.symbols("m r Delta sigma", nonnegative=True)
    msym = sp.Symbol("m", positive=True)
    H0 = L0 * (1 + rsym / msym)
    H1 = L1**2 / msym
    # σ := L1Δ + a r − m g >= 0 is the previous inequality; L0 = a L1
    expr = (H0 + H1 * D - (L0 + L1 * g)).subs(L0, a * L1)
    p.identity(expr, (L1 / msym) * (L1 * D + a * rsym - msym * g),
               "H0 + H1Δ − (L0 + L1 g) = (L1/m)(L1Δ + a r − m g)  with H0 = L0(1 + r/m), H1 = L1²/m")
    p.nonneg((L1 / msym) * sigma, "(L1/m)·σ >= 0 for σ = L1Δ + a r − m g >= 0: ‖∇²f‖ <= L0 + L1 g <= H0 + H1Δ")
    p.nonneg(L0 * rsym / msym, "g = 0: ‖∇²f‖ <= L0 <= H0 (H0 − L0 = L0 r/m >= 0)")
    p.identity(L0 * (1 + r_expr / m_expr), relations.from_l0_l1(L0, L1, x0=x0).H0,
               "from_l0_l1 H0 = L0(1 + r/m) = L0·log(1+x0)/m")
    p.identity(L1**2 / m_expr, relations.from_l0_l1(L0, L1, x0=x0).H1, "from_l0_l1 H1 = L1²/m")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        x0v = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.05, 1.0))
        kind = int(rng.integers(5))
        s_, b = float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.3, 2.0))
        if kind == 0:  # s e^{bx}: f'' = b|f'| → (L0, L1) = (0, b), f* = 0
            L0v, L1v, x = 0.0, b, float(rng.uniform(-8, 8)) / b
            val, hn = s_ * math.exp(b * x), s_ * b * b * math.exp(b * x)
        elif kind == 1:  # s(cosh(bx) − 1): f'' = s b² cosh <= s b² + b|f'| → (s b², b)
            L0v, L1v, x = s_ * b * b, b, float(rng.uniform(-8, 8)) / b
            val, hn = s_ * (math.cosh(b * x) - 1), s_ * b * b * math.cosh(b * x)
        elif kind == 2:  # logistic s log(1 + e^{-bx}): f'' = s b² σ(1 − σ) <= b|f'| → (0, b)
            L0v, L1v, x = 0.0, b, float(rng.uniform(-12, 12)) / b
            val = s_ * float(np.logaddexp(0.0, -b * x))
            hn = s_ * b * b * sigmoid(b * x) * sigmoid(-b * x)
        elif kind == 3:  # log-cosh s log cosh(bx): f'' <= s b² → (s b², any L1)
            L0v, L1v, x = s_ * b * b, float(rng.uniform(0, 2)), float(rng.uniform(-12, 12)) / b
            val = s_ * (abs(b * x) + math.log1p(math.exp(-2 * abs(b * x))) - math.log(2.0))
            hn = s_ * b * b / math.cosh(b * x) ** 2
        else:  # 2-D e^{w1} + e^{w2}: ‖∇²f‖ = max e^{wi} <= ‖∇f‖ → (0, 1)
            L0v, L1v = 0.0, 1.0
            w = rng.uniform(-8, 8, 2)
            val, hn = float(np.exp(w).sum()), float(np.exp(w).max())
        hs = relations.from_l0_l1(L0v, L1v, x0=x0v)
        return hn, hs.bound(val)

    p.sample("‖∇²f‖ <= H0 + H1(f − f*) on (L0,L1)-smooth examples (exp, cosh, logistic, log-cosh, 2-D exp-sum), "
             "random x0", inst, 400)

