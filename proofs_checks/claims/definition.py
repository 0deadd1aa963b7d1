"""Definition 3.1 (v2) checked on the gallery, and non-smooth functions reported as such.

* ``Def 3.1`` — for gallery functions with a hand-derived frontier φ (warmup_theory.theory.gallery),
  sympy proves ``|f''| <= φ(H1) + H1(f − f*)`` for every w (and H1 > 0 symbolic) and
  its tightness (equality at the maximiser), then ``warmup_theory.theory.certify`` must return the
  same frontier; randomized check of the inequality at random (w, H1).
* ``Def 3.1: non-smooth`` — for e^{w²}, e^{e^w} and w²(1 + sin w) sympy proves that
  |f''| − H0 − H1(f − f*) is unbounded (a limit, or an explicit sequence), and
  ``certify`` must report ``smooth=False`` with φ ≡ ∞; randomized check: for random
  (H0, H1) a point of the sequence violates the inequality.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.certify import certify
from warmup_theory.theory.gallery import GALLERY

W = sp.Symbol("w", real=True)
H = sp.Symbol("H1", positive=True)
U = sp.Symbol("u", nonnegative=True)  # u = w²


@claim("Def 3.1", "Definition 3.1 on the gallery: hand-derived frontiers H0 = φ(H1) are valid and "
       "tight (w⁴: 36/H1; (w²−1)²: 8 + 36/H1; e^w: 0 for H1 >= 1; (3/2)w²: 3); implementation check: "
       "warmup_theory.theory.certify returns them at the H1 checked")
def def_3_1(p: Proof) -> None:
    """Definition 3.1 on the gallery: hand frontiers proved tight in sympy, matched by certify, then random points."""
    # w⁴: 36/H1 + H1·u² − 12u = (H1·u − 6)²/H1
    p.nonneg(36 / H + H * U**2 - 12 * U, "w⁴: 12w² <= 36/H1 + H1·w⁴ for all w (u = w²)")
    p.identity((36 / H + H * U**2 - 12 * U).subs(U, 6 / H), 0, "w⁴: equality at w² = 6/H1 (tight)")
    # (w² − 1)²: both branches of |12u − 4|
    p.nonneg(8 + 36 / H + H * (U - 1) ** 2 - (12 * U - 4),
             "(w²−1)²: 12w² − 4 <= 8 + 36/H1 + H1(w²−1)² [= (H1(u−1) − 6)²/H1]")
    p.nonneg(8 + 36 / H + H * (U - 1) ** 2 + (12 * U - 4), "(w²−1)²: 4 − 12w² <= 8 + 36/H1 + H1(w²−1)²")
    p.identity((8 + 36 / H + H * (U - 1) ** 2 - (12 * U - 4)).subs(U, 1 + 6 / H), 0,
               "(w²−1)²: equality at w² = 1 + 6/H1 (tight)")
    # e^w: f'' − H1 f = (1 − H1) e^w <= 0 for H1 >= 1; f* = 0 is the limit at −∞ (not attained)
    p.identity(sp.diff(sp.exp(W), W, 2) - sp.exp(W), 0, "e^w: f'' = f")
    p.identity(sp.limit(sp.exp(W), W, -sp.oo), 0, "e^w: f* = lim_{w→−∞} e^w = 0")
    p.fact("e^w > 0 for real w, so f* = 0 is not attained", sp.exp(W).is_positive is True, method="symbolic")
    # (3/2)w²: f'' = 3 and f − f* >= 0
    p.identity(sp.diff(sp.Rational(3, 2) * W**2, W, 2), 3, "(3/2)w²: f'' = 3, so φ ≡ 3")

    checks = {"quartic": (0.5, 2.0, 9.0), "double_well": (0.5, 1.0, 4.0), "exp": (0.5, 1.0, 3.0),
              "quadratic": (0.0, 1.0, 5.0)}
    for name, h1s in checks.items():
        e = GALLERY[name]
        c = certify(e.expr, *e.symbols)
        ok = float(c.f_star) == e.f_star and c.f_star_attained is e.attained and c.smooth is True
        p.fact(f"certify({e.expr}): f* = {e.f_star}, attained = {e.attained}, smooth", ok,
               method="instance", role="check", detail=str(c.to_dict()))
        phi = e.phi
        assert phi is not None, f"gallery entry {name} has no closed-form frontier"
        for h in h1s:
            a = c.min_H0(h)
            truth = phi(h)
            good = (a.value is sp.oo) if truth == math.inf else (a.method == "exact" and a.lower <= truth <= a.upper)
            p.fact(f"certify({e.expr}).min_H0({h}) = {a.value} equals the hand value {truth}", good,
                   method="instance", role="check", detail=a.method)
        p.require(all(s.ok for s in p.steps), "certify disagrees with a hand-derived frontier")

    fns = {n: (sp.lambdify(W, GALLERY[n].expr, "math"), sp.lambdify(W, sp.diff(GALLERY[n].expr, W, 2), "math"))
           for n in ("quartic", "double_well", "exp", "quadratic")}
    names = list(fns)

    def draw(rng: np.random.Generator) -> tuple[float, float]:
        n = names[rng.integers(len(names))]
        f, f2 = fns[n]
        wv = float(rng.uniform(-6, 6))
        h = float(rng.choice([1.0, 2.0, 5.0])) if n == "exp" else float(rng.uniform(0.05, 20))
        phi = GALLERY[n].phi
        assert phi is not None  # quartic, double_well, exp and quadratic have closed forms
        return abs(f2(wv)), phi(h) + h * (f(wv) - GALLERY[n].f_star)
    p.sample("|f''(w)| <= φ(H1) + H1(f(w) − f*) at random w, H1 on the gallery", draw, n=2000)


@claim("Def 3.1: non-smooth", "e^{w²}, e^{e^w} and w²(1 + sin w) are (H0,H1)-smooth for no constants; "
       "implementation check: warmup_theory.theory.certify reports smooth=False with φ ≡ ∞")
def def_3_1_non_smooth(p: Proof) -> None:
    """Non-smooth gallery entries: sympy limits of f''/(f − f*) and certify's smooth=False verdicts."""
    p.fact("e^{w²}: f''/(f − 1) -> ∞ as w -> ∞ (sympy limit)",
           sp.limit(sp.diff(sp.exp(W**2), W, 2) / (sp.exp(W**2) - 1), W, sp.oo) is sp.oo, method="symbolic")
    p.fact("e^{e^w}: f''/f -> ∞ as w -> ∞ (sympy limit)",
           sp.limit(sp.diff(sp.exp(sp.exp(W)), W, 2) / sp.exp(sp.exp(W)), W, sp.oo) is sp.oo, method="symbolic")
    k = sp.Symbol("k", integer=True, positive=True)
    osc = W**2 * (1 + sp.sin(W))
    wk = 3 * sp.pi / 2 + 2 * sp.pi * k
    p.identity(osc.subs(W, wk), 0, "w²(1 + sin w) = 0 = f* at w_k = 3π/2 + 2πk")
    p.identity(sp.diff(osc, W, 2).subs(W, wk), wk**2, "f''(w_k) = w_k² -> ∞ while f(w_k) − f* = 0")
    for name in ("exp_sq", "exp_exp", "oscillating"):
        e = GALLERY[name]
        c = certify(e.expr, *e.symbols)
        ok = c.smooth is False and c.min_H0(1.0).value is sp.oo and c.min_H1(1e6).value is sp.oo \
            and not c.holds(1e6, 1e6)
        p.fact(f"certify({e.expr}) reports not (H0,H1)-smooth: {c.smooth_reason[:90]}", ok,
               method="instance", role="check")
    f2 = sp.lambdify(W, sp.diff(osc, W, 2), "math")

    def draw(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0, 1e4)), float(rng.uniform(0, 1e4))
        kk = math.ceil(math.sqrt(h0 + 1) / (2 * math.pi)) + 1
        wv = 3 * math.pi / 2 + 2 * math.pi * kk
        d = wv**2 * (1 + math.sin(wv))  # f(w_k) − f* (0 up to rounding)
        return h0 + h1 * d, abs(f2(wv))  # the definition's bound is exceeded: H0 + H1·d < |f''|
    p.sample("for random (H0, H1) the point w_k (k > sqrt(H0+1)/2π) violates |f''| <= H0 + H1(f − f*)",
             draw, n=500)
