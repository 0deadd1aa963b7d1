"""Claims behind the constants of numerics/problems/ that no other claim covers: the frontier of w^(2p) and
the PL constants of the GD catalogue (symbolic identities, then a randomized check at random points)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory.catalogue import cosh_function, cosh_numeric

H = sp.Symbol("H1", positive=True)
U = sp.Symbol("u", nonnegative=True)  # u = w²
W = sp.Symbol("w", real=True)


@claim("Frontier w^(2p)", "For f = w^(2p), p = 3, 4: phi(H1) = sup_w(f'' − H1·f) = 2(2p−1)·(2(2p−1)(p−1)/H1)^(p−1), "
       "attained (quartic_problem / quartic_frontier; w⁴ is in 'Def 3.1')")
def frontier_monomial(p: Proof) -> None:
    """Frontier of w^(2p): the sup of f'' − H1 f in sympy (valid and attained), then random (p, H1, w)."""
    from warmup_theory.numerics.problems import quartic_frontier

    for q in (3, 4):
        a = 2 * q * (2 * q - 1)
        g = a * U ** (q - 1) - H * U**q                   # f'' − H1 f with u = w²
        phi = quartic_frontier(H, 2 * q)
        p.nonneg(phi - g, f"w^{2 * q}: f'' − H1·f <= {phi} for all w")
        ustar = sp.Integer(a * (q - 1)) / (q * H)
        p.identity(g.subs(U, ustar), phi, f"w^{2 * q}: equality at w² = {ustar} (tight)")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        q = int(rng.integers(2, 5))
        h = float(rng.uniform(0.1, 5))
        w = float(rng.uniform(-4, 4))
        a = 2 * q * (2 * q - 1)
        return a * w ** (2 * q - 2) - h * w ** (2 * q), float(quartic_frontier(h, 2 * q))
    p.sample("f'' − H1 f <= phi(H1) at random (p, H1, w)", one, 300)


@claim("PL constants of the GD catalogue", "cosh: f'² = 2H0·f + H1·f² (μ = H0); w⁴ + (3/2)w²: f'² − 6f = "
       "16w⁶ + 18w⁴ (μ = 3)")
def pl_catalogue(p: Proof) -> None:
    """PL constants of the GD catalogue: sympy identities for f'², then 2H0·f <= f'² at random points."""
    h0 = sp.Symbol("H0", positive=True)
    f, _ = cosh_function(h0, H)  # the catalogue's (H0/H1)(cosh(√H1 w) − 1) in w = W
    p.identity(sp.diff(f, W) ** 2, 2 * h0 * f + H * f**2, "cosh: f'² = 2H0 f + H1 f²")
    g = W**4 + sp.Rational(3, 2) * W**2
    p.identity(sp.diff(g, W) ** 2 - 6 * g, 16 * W**6 + 18 * W**4, "w⁴ + (3/2)w²: f'² − 2·3·f")
    p.nonneg(16 * W**6 + 18 * W**4, "16w⁶ + 18w⁴ >= 0")

    def one(rng: np.random.Generator) -> tuple[float, float]:
        w = float(rng.uniform(-3, 3))
        a, b = float(rng.uniform(0.1, 3)), float(rng.uniform(0.1, 3))
        f_num, df_num = cosh_numeric(a, b)  # the catalogue's (a/b)(cosh(√b w) − 1)
        return 2 * a * f_num(w), df_num(w) ** 2 * (1 + 1e-12) + 1e-300
    p.sample("cosh: 2H0·f <= f'² at random points", one, 300)
