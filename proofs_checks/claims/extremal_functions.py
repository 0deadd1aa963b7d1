"""Claims certifying the extremal 1-D functions of :mod:`warmup_theory.theory.catalogue` used by the
bounds: the PL hard function (Thm 4.1(3)) and the cosh function (f'' = H0 + H1 f exactly).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.fixtures.gd_runs import cosh_run
from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.catalogue import cosh_function, pl_hard_function, pl_hard_numeric

__all__: list[str] = []

H0, H1, mu = sp.symbols("H0 H1 mu", positive=True)
w = sp.Symbol("w", real=True)


@claim("Hard function (PL)",
       "f = (μ/2)w² (|w| <= 1/√H1), (μ/H1)e^{√H1|w|−1} − μ/(2H1) otherwise: C² at the junction, "
       "(μ,H1)-smooth (so (H0,H1) iff H0 >= μ), μ-PL, 2-aiming, f* = f(0) = 0")
def _hard_claim(p: Proof) -> None:
    x = sp.Symbol("x", positive=True)  # w > 0 (f is even)
    inner = mu / 2 * x**2
    outer = (mu / H1) * sp.exp(sp.sqrt(H1) * x - 1) - mu / (2 * H1)
    j = 1 / sp.sqrt(H1)
    for k, name in ((0, "value"), (1, "slope"), (2, "curvature")):
        p.identity(sp.diff(inner, x, k).subs(x, j), sp.diff(outer, x, k).subs(x, j), f"junction: equal {name}")
    p.identity(sp.diff(outer, x, 2) - H1 * outer, mu / 2, "outer: f'' = H1 f + μ/2 <= μ + H1 f")
    p.leq(sp.diff(inner, x, 2), mu + H1 * inner, "inner: f'' = μ <= μ + H1 f")
    F = sp.Symbol("F", positive=True)  # F = f + μ/(2H1) on the outer part; f' = √H1·F there
    p.identity(sp.diff(outer, x), sp.sqrt(H1) * (outer + mu / (2 * H1)), "outer: f' = √H1 (f + μ/(2H1))")
    p.identity(H1 * F**2 - 2 * mu * (F - mu / (2 * H1)), H1 * (F - mu / H1) ** 2, "outer PL: f'² − 2μf = H1(F − μ/H1)²")
    p.identity(sp.diff(inner, x) ** 2, 2 * mu * inner, "inner PL holds with equality")
    # aiming θ = 2 on the outer part: x e^{x−1} >= 2e^{x−1} − 1 for x >= 1 ⇔ (2 − x)e^{x−1} <= 1
    y = sp.Symbol("y", nonnegative=True)  # x = 1 + y
    p.nonneg(-sp.diff((1 - y) * sp.exp(y), y), "d/dy[(1 − y)e^y] = −y e^y <= 0, and equals 1 at y = 0")
    p.identity(sp.diff(inner, x) * x, 2 * inner, "inner aiming: ⟨f', w⟩ = 2f")
    f_expr, ws = pl_hard_function(2, 1, 2)
    p.identity(sp.piecewise_fold(f_expr).subs(ws, 2), 2 * sp.E - 1, "NOTES example μ=2,H0=2,H1=1: f(2) = 2e − 1")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h1, m = float(rng.uniform(0.1, 3)), float(rng.uniform(0.1, 3))
        f, df = pl_hard_numeric(h1, m)
        xx = float(rng.normal() * 3 / math.sqrt(h1))
        hstep = 1e-4 / math.sqrt(h1)
        f2 = (df(xx + hstep) - df(xx - hstep)) / (2 * hstep)
        ok_pl = 2 * m * f(xx) - df(xx) ** 2  # <= 0
        return max(f2 - (m + h1 * f(xx)) - 1e-5 * (1 + f2), ok_pl), 1e-9 * (1 + f(xx))

    p.sample("f'' <= μ + H1 f (finite differences) and f'² >= 2μf at random w", one, 400)


@claim("Cosh function",
       "(H0/H1)(cosh(√H1 w) − 1): f'' = H0 + H1 f, f'² = 2H0 f + H1 f² (so H0-PL), 2-aiming")
def _cosh_claim(p: Proof) -> None:
    f, ws = cosh_function(H0, H1)
    p.identity(sp.diff(f, ws, 2), H0 + H1 * f, "f'' = H0 + H1 f")
    p.identity(sp.diff(f, ws) ** 2, 2 * H0 * f + H1 * f**2, "f'² = 2H0f + H1f² >= 2H0 f")
    x = sp.Symbol("x", nonnegative=True)
    p.identity(sp.diff(x * sp.sinh(x) - 2 * (sp.cosh(x) - 1), x), x * sp.cosh(x) - sp.sinh(x), "aiming: derivative")
    p.nonneg(sp.diff(x * sp.cosh(x) - sp.sinh(x), x),
             "(x cosh x − sinh x)' = x sinh x >= 0, so x sinh x >= 2(cosh x − 1)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.1, 3)), float(rng.uniform(0.1, 3))
        ff, df, _ = cosh_run(h0, h1, 1.0)
        xx = float(rng.normal() * 2)
        return 2 * ff(xx), df(xx) * xx + 1e-12

    p.sample("⟨f', w⟩ >= 2 f at random w", one, 300)

