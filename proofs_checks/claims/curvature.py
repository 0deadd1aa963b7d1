r"""Claims for the certified bracket [lower, upper] of ``hessian_spectral_norm(..., method="lanczos")``.

Notation (as in :mod:`warmup_theory.numerics.curvature.certificate`): H symmetric n x n with eigenpairs
(lambda_i, u_i), L = ||H||_2 = max_i |lambda_i|, u_* a unit eigenvector of an eigenvalue of modulus
L. Lanczos from the unit start v runs m steps, T_m = Q_m^T H Q_m (tridiagonal), Ritz pairs
(theta_j, s_j), Gauss weights w_j = s_{1j}^2, c_i = <v, u_i>.

* ``Lemma Lanczos lower bound`` (the ``lower`` end): for a unit y, ||H y|| <= ||H||_2 and
  |y^T H y| <= ||H y||; so every Ritz value obeys |theta| <= ||H||_2 and the solver's
  ``lower = ||H y||`` (one explicit HVP on the unit Ritz vector) is a deterministic lower bound.
* ``Lemma quadrature certificate`` (the ``upper`` end, the toolkit's own derivation in
  certificate.py): Gauss exactness of T_m for degree <= 2m - 1, the deflated-Chebyshev polynomial
  P (a square, degree 2m - 2, monotone in |lambda| beyond U0), the contrapositive
  c^2 p_U > sum_j w_j P(theta_j) => L < U on the event |c_*| >= c, and the Gaussian bound
  P(|c_*| < c) <= delta for the code's c = delta * eps * sqrt(pi/2) / ||v_u||.

The randomized checks use adversarial spectra (:mod:`warmup_theory.proofs_checks.fixtures.spectra`): a top
eigenvalue isolated by a
tiny gap, +-lambda pairs (exact and nearly exact), a top cluster, few distinct eigenvalues
(early invariant Krylov subspace), and starts nearly orthogonal to u_* (including a warm start on
the second eigenvector). References are ``numpy.linalg.eigvalsh`` / ``torch.linalg.eigvalsh``
in float64, an independent route from the Lanczos code.

>>> r = sharp_lemma_instance(np.random.default_rng(3))  # the lemma with the tightest c = |c_*|
>>> bool(r["L"] <= r["upper"])
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypedDict

import numpy as np
import scipy.linalg
import sympy as sp
import torch
from numpy.polynomial import chebyshev as npcheb

from warmup_theory.numerics.curvature.certificate import WARM_NOISE, lanczos_upper_bound, start_vector
from warmup_theory.numerics.curvature.lanczos import lanczos_norm
from warmup_theory.proofs_checks.fixtures.spectra import (
    E2E_DELTA_LARGE,
    E2E_DELTA_SMALL,
    E2E_RUNS,
    SPECTRA,
    e2e_run,
)
from warmup_theory.proofs_checks.fixtures.spectra import EPS as _EPS
from warmup_theory.proofs_checks.fixtures.spectra import lanczos as _lanczos
from warmup_theory.proofs_checks.fixtures.spectra import matrix as _matrix
from warmup_theory.proofs_checks.fixtures.spectra import spectrum as _spectrum
from warmup_theory.proofs_checks.fixtures.spectra import start as _start
from warmup_theory.proofs_checks.framework import Proof, claim

# the instances live in fixtures.spectra; imported here under their 0.1 names (_spectrum, _matrix, _start,
# _lanczos, and the public ones below), which tests/test_claims_curvature.py uses
__all__ = ["SPECTRA", "E2E_DELTA_SMALL", "E2E_DELTA_LARGE", "E2E_RUNS", "SharpInstance", "e2e_run",
           "sharp_lemma_instance"]


# ---------------------------------------------------------------------------------------------
# Lemma Lanczos lower bound
# ---------------------------------------------------------------------------------------------

@claim("Lemma Lanczos lower bound",
       "For symmetric H and unit y: ||Hy|| <= ||H||_2 = max|lambda_i| and |y^T H y| <= ||Hy||; so every "
       "Ritz value has |theta| <= ||H||_2 and lanczos `lower` = ||H y|| is a deterministic lower bound "
       "(standard facts; toolkit's statement)")
def _lanczos_lower(p: Proof) -> None:
    # ||Hy||^2 = sum lambda_i^2 z_i^2 (z = U^T y) for a symbolic 2 x 2 rotation U.
    phi, l1, l2, y1, y2 = sp.symbols("phi lambda1 lambda2 y1 y2", real=True)
    u = sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])
    h = u * sp.diag(l1, l2) * u.T
    y = sp.Matrix([y1, y2])
    z = u.T * y
    p.identity((h * y).dot(h * y), l1**2 * z[0] ** 2 + l2**2 * z[1] ** 2,
               "||Hy||^2 = sum_i lambda_i^2 z_i^2 with z = U^T y (H = U diag(lambda) U^T, 2 x 2 rotation)")
    p.identity(z.dot(z), y.dot(y), "||z|| = ||y|| (U orthogonal)")
    p.cite("the same two identities hold for any n (H = U diag(lambda) U^T, U^T U = I)",
           detail="spectral theorem for real symmetric matrices")
    s1, s2, zz1, zz2, Lsym = sp.symbols("s1 s2 zz1 zz2 L", nonnegative=True)
    # lambda_i^2 = L^2 - s_i with s_i >= 0 (L = max|lambda_i|); zz_i = z_i^2 >= 0
    p.nonneg(sp.expand(Lsym**2 * (zz1 + zz2) - ((Lsym**2 - s1) * zz1 + (Lsym**2 - s2) * zz2)),
             "L^2 ||z||^2 - sum lambda_i^2 z_i^2 = sum (L^2 - lambda_i^2) z_i^2 >= 0, so ||Hy|| <= L ||y||")
    a = sp.symbols("a1:4", real=True)
    b = sp.symbols("b1:4", real=True)
    lag = sum((a[i] * b[j] - a[j] * b[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    p.identity(sum(x**2 for x in a) * sum(x**2 for x in b) - sum(x * w for x, w in zip(a, b)) ** 2, lag,
               "Lagrange identity (n = 3): ||a||^2 ||b||^2 - (a.b)^2 = sum_{i<j} (a_i b_j - a_j b_i)^2 >= 0 "
               "(Cauchy-Schwarz; any n likewise), so |y^T H y| <= ||y|| ||Hy|| = ||Hy||")
    p.cite("a Ritz value theta of T_m = Q_m^T H Q_m (Q_m orthonormal) with unit eigenvector s is "
           "theta = y^T H y for the unit y = Q_m s; hence |theta| <= ||Hy|| <= ||H||_2",
           detail="definition of the Rayleigh-Ritz procedure")

    def unit_vectors(rng: np.random.Generator) -> tuple[float, float]:
        kind = SPECTRA[int(rng.integers(len(SPECTRA)))]
        n = int(rng.integers(2, 40))
        lam = _spectrum(kind, n, rng) * 10.0 ** rng.uniform(-3, 3)
        h, _ = _matrix(lam, rng)
        y = rng.standard_normal(n)
        y /= np.linalg.norm(y)
        hy = h @ y
        big = float(np.max(np.abs(np.linalg.eigvalsh(h))))
        return max(float(np.linalg.norm(hy)), abs(float(y @ hy))), big

    p.sample("random unit y, random symmetric indefinite H (all spectrum families, scale 1e-3..1e3): "
             "max(||Hy||, |y^T H y|) <= max|eigvalsh(H)|", unit_vectors, n=300, seed=11, rtol=1e-12, atol=0.0)

    def solver_lower(rng: np.random.Generator) -> tuple[float, float]:
        kind = SPECTRA[int(rng.integers(len(SPECTRA)))]
        n = int(rng.integers(6, 40))
        lam = _spectrum(kind, n, rng)
        h, _ = _matrix(lam, rng)
        ht = torch.tensor(h)
        out = lanczos_norm(lambda v: ht @ v, n, tol=1e-3, max_hvps=int(rng.integers(2, 6)), v0=None,
                           generator=torch.Generator().manual_seed(int(rng.integers(2**31))),
                           delta=1e-3, stop="residual")
        y = out["vector"].numpy()
        hy_norm = float(np.linalg.norm(h @ y))
        big = float(torch.linalg.eigvalsh(ht).abs().max())
        # lower must equal the independently computed ||H y|| and lie below ||H||; |rho| <= lower
        agree = abs(hy_norm - out["lower"]) <= 1e-12 * big
        return (max(out["lower"], abs(out["eigenvalue"]) * (1 - 1e-13)) if agree else math.inf), big

    p.sample("lanczos_norm with 1-4 steps (unconverged) on random H: |rho| <= lower = ||H y|| <= "
             "||H||_2 (torch.linalg.eigvalsh, float64)", solver_lower, n=25, seed=12, rtol=1e-12, atol=0.0)


# ---------------------------------------------------------------------------------------------
# Lemma quadrature certificate
# ---------------------------------------------------------------------------------------------

class SharpInstance(TypedDict):
    """What :func:`sharp_lemma_instance` returns: the norm, the lemma's upper end, the instance."""

    L: float
    upper: float
    cstar: float
    n: int
    m: int
    kind: int
    start: str


def sharp_lemma_instance(rng: np.random.Generator) -> SharpInstance:
    """One adversarial instance of the lemma with the *tightest* admissible c = |c_*| (exact overlap).

    Runs an independent Lanczos for m steps, then ``lanczos_upper_bound(theta, w, log_c=log|c_*|)``
    with the code's rounding allowance; the lemma says the result is >= ||H||_2 (deterministically:
    no probability is involved once c <= |c_*|). Returns L, upper, and the instance's parameters.
    It calls this module's ``lanczos_upper_bound`` (tests patch it here to show the check can fail).
    """
    kind = SPECTRA[int(rng.integers(len(SPECTRA)))]
    start_kind = ("random", "near-orth", "second")[int(rng.integers(3))]
    n = int(rng.integers(8, 60))
    lam = _spectrum(kind, n, rng) * 10.0 ** rng.uniform(-6, 6)
    h, hu = _matrix(lam, rng)
    v = _start(start_kind, hu, lam, rng)
    ev, evec = np.linalg.eigh(h)
    top = int(np.argmax(np.abs(ev)))
    big = float(abs(ev[top]))
    # c_* for the eigenvector of the largest |eigenvalue|: with a repeated top eigenvalue any unit
    # vector of its eigenspace is an eigenvector, take the one along v (largest overlap allowed)
    close = np.abs(np.abs(ev) - big) <= 1e-12 * big
    sign_ok = np.sign(ev) == np.sign(ev[top])
    cstar = float(np.linalg.norm(evec[:, close & sign_ok].T @ v))
    m = int(rng.integers(2, min(n, 30) + 1))
    alpha, beta, _ = _lanczos(h, v, m)
    theta, s = scipy.linalg.eigh_tridiagonal(alpha, beta)
    allowance = 16.0 * m * _EPS * max(float(np.max(np.abs(theta))), float(np.max(np.abs(alpha))))
    upper = lanczos_upper_bound(theta, s[0] ** 2, log_c=math.log(cstar), allowance=allowance)
    return SharpInstance(L=big, upper=upper, cstar=cstar, n=n, m=m, kind=SPECTRA.index(kind), start=start_kind)


@claim("Lemma quadrature certificate",
       "Lanczos `upper` (certificate.py): Gauss exactness of T_m for deg <= 2m-1; the deflated-Chebyshev "
       "square P (deg 2m-2) is >= p_U = min(P(U), P(-U)) for |lambda| >= U >= U0; if |c_*| >= c and "
       "c^2 p_U > sum_j w_j P(theta_j) then ||H||_2 < U; P(|c_*| < c) <= delta for c = delta eps "
       "sqrt(pi/2)/||v_u||. So ||H||_2 <= upper with probability >= 1 - delta (float64 allowance sampled)")
def _quadrature_certificate(p: Proof) -> None:
    # --- 1. Gauss quadrature exactness --------------------------------------------------------
    p.cite("Gauss quadrature: for m Lanczos steps from unit v without breakdown, e1^T p(T_m) e1 = "
           "sum_j w_j p(theta_j) = v^T p(H) v = sum_i c_i^2 p(lambda_i) for every polynomial p of degree "
           "<= 2m - 1",
           detail="Golub & Meurant, Matrices, Moments and Quadrature (2010), Thm 6.2 / Golub-Welsch; "
                  "exact arithmetic")

    def exactness(rng: np.random.Generator) -> tuple[float, float]:
        kind = SPECTRA[int(rng.integers(len(SPECTRA)))]
        n = int(rng.integers(4, 50))
        lam = _spectrum(kind, n, rng)
        h, hu = _matrix(lam, rng)
        v = _start(("random", "near-orth")[int(rng.integers(2))], hu, lam, rng)
        m = int(rng.integers(1, min(n, 12) + 1))
        alpha, beta, b_last = _lanczos(h, v, m)
        if m < n and b_last < 1e-8 * float(np.max(np.abs(lam))):
            return 0.0, 1.0  # (near-)breakdown: the Krylov space is invariant, nothing to test
        theta, s = scipy.linalg.eigh_tridiagonal(alpha, beta)
        scale = 1.01 * float(np.max(np.abs(lam)))
        coef = rng.standard_normal(int(rng.integers(0, 2 * m)) + 1)  # degree <= 2m - 1
        quad = float(np.sum(s[0] ** 2 * npcheb.chebval(theta / scale, coef)))
        t_prev, t_cur = v, h @ v / scale  # Chebyshev recurrence on vectors: p(H) v
        pv = coef[0] * t_prev + (coef[1] * t_cur if coef.size > 1 else 0.0)
        for k in range(2, coef.size):
            t_prev, t_cur = t_cur, 2.0 * (h @ t_cur) / scale - t_prev
            pv = pv + coef[k] * t_cur
        return abs(quad - float(v @ pv)), 1e-10 * float(np.sum(np.abs(coef)))

    p.sample("numeric exactness: |sum_j w_j p(theta_j) - v^T p(H) v| <= 1e-10 sum|coef| for random "
             "Chebyshev-basis p of degree <= 2m - 1 (independent Lanczos, all spectrum families)",
             exactness, n=200, seed=21, rtol=0.0, atol=0.0)

    rng = np.random.default_rng(22)
    ratios = []
    for _ in range(20):  # degree 2m is NOT integrated exactly: prod_j (lambda - theta_j)^2
        n = int(rng.integers(10, 40))
        lam = _spectrum("gauss", n, rng)
        h, hu = _matrix(lam, rng)
        v = _start("random", hu, lam, rng)
        m = int(rng.integers(2, 8))
        alpha, beta, b_last = _lanczos(h, v, m)
        theta = scipy.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=True)
        x = v.copy()
        for t in theta:
            x = h @ x - t * x
        ratios.append(float(x @ x) / float(np.prod(np.r_[beta, b_last] ** 2)))
    p.fact("the check is sharp: for p = prod_j (lambda - theta_j)^2 (degree 2m) the rule gives 0 while "
           "v^T p(H) v = (beta_1 ... beta_m)^2 > 0", all(abs(r - 1.0) < 1e-6 for r in ratios),
           method="sampled", role="check", detail=f"20 instances, ratio ||prod(H - theta_j) v||^2 / prod beta^2 in "
                                    f"[{min(ratios):.12g}, {max(ratios):.12g}]")

    # --- 2. the polynomial P ------------------------------------------------------------------
    K, m_ = sp.symbols("K m", positive=True, integer=True)
    k = m_ - 1 - K
    p.identity(2 * K + 2 * k, 2 * m_ - 2, "deg P = 2|K| + 2k = 2m - 2 <= 2m - 1 for k = m - 1 - |K|")
    x = sp.Symbol("x", real=True)
    ok = all(sp.simplify(sp.expand_trig(sp.chebyshevt(kk, sp.cos(x)) - sp.cos(kk * x))) == 0
             for kk in range(1, 7))
    p.cite("T_k(cos x) = cos(k x) for every k >= 1 (the defining identity of the Chebyshev polynomials of the "
           "first kind; de Moivre), so T_k has the k distinct roots cos((2i - 1) pi / 2k) in (-1, 1): all roots "
           "of the affinely mapped T_k lie in [lo, hi]", standard=True)
    p.fact("T_k(cos x) = cos(k x) for k = 1..6 (sympy identity in x, on these k only)", ok,
           method="instance", role="check", detail="the general k is the cited identity above")
    sv = sp.Symbol("s", nonnegative=True)
    d = sp.symbols("d1:4", nonnegative=True)
    prod_s = sp.Mul(*[sv + di for di in d])
    p.nonneg(sp.expand(prod_s**2 - sp.Mul(*d) ** 2),
             "for roots r_i = U - d_i <= U (d_i >= 0) of q = prod(lambda - r_i), 3 roots: "
             "q(U + s)^2 - q(U)^2 >= 0 for s >= 0 (nonneg coefficients)")
    p.cite("by induction on the number of roots the same holds for any degree, and on the left "
           "|q(-U - s)| = prod (s + U + r_i) with U + r_i >= 0; P = q^2 with all roots in [-U0, U0] "
           "(deflated theta_j and the Chebyshev roots), so P >= 0 on R and P(lambda) >= p_U = "
           "min(P(U), P(-U)) for |lambda| >= U >= U0", standard=False, detail="elementary")

    # --- 3. the lemma ---------------------------------------------------------------------------
    cs, pU, PL, rest = sp.symbols("c p_U P_star R", nonnegative=True)
    dc = sp.Symbol("dc", nonnegative=True)  # c_*^2 = c^2 + dc
    dP = sp.Symbol("dP", nonnegative=True)  # P(lambda_*) = p_U + dP (L >= U)
    p.nonneg(sp.expand((cs**2 + dc) * (pU + dP) + rest - cs**2 * pU),
             "if L >= U: sum_i c_i^2 P(lambda_i) - c^2 p_U = c_*^2 P(lambda_*) - c^2 p_U + (other terms, "
             "P >= 0) >= 0 when |c_*| >= c; with Gauss exactness sum_j w_j P(theta_j) >= c^2 p_U, "
             "contradicting the test: L < U")
    p.cite("the lemma holds for every admissible (P, U) at once (a deterministic statement given "
           "|c_*| >= c), so choosing P and bisecting U after seeing theta is allowed", standard=False)

    # --- 4. the probability of |c_*| >= c --------------------------------------------------------
    t = sp.Symbol("t", nonnegative=True)
    mu = sp.Symbol("a", real=True)
    eps = sp.Symbol("epsilon", positive=True)
    prob = (sp.erf((t - mu) / (eps * sp.sqrt(2))) + sp.erf((t + mu) / (eps * sp.sqrt(2)))) / 2
    p.identity(prob.subs(t, 0), 0, "P(|a + eps g| < t) = [erf((t - a)/(eps sqrt2)) + erf((t + a)/(eps sqrt2))]/2 "
                                   "is 0 at t = 0 (g ~ N(0, 1), a = <v_w, u_*> fixed)")
    dens = (sp.exp(-(t - mu) ** 2 / (2 * eps**2)) + sp.exp(-(t + mu) ** 2 / (2 * eps**2))) / (eps * sp.sqrt(2 * sp.pi))
    p.identity(sp.diff(prob, t), dens, "d/dt P(|a + eps g| < t) = [phi((t - a)/eps) + phi((t + a)/eps)]/eps")
    from sympy.calculus.util import maximum
    xr = sp.Symbol("xr", real=True)
    p.fact("exp(-x^2/2) <= 1 on R (sympy maximum = 1), so the derivative is <= 2/(eps sqrt(2 pi)) and "
           "P(|a + eps g| < t) <= 2t/(eps sqrt(2 pi)) (mean value theorem); a = 0, eps = 1: "
           "P(|g| < t) <= t sqrt(2/pi)", maximum(sp.exp(-xr**2 / 2), xr, sp.S.Reals) == 1, method="symbolic")
    dsym = sp.Symbol("delta", positive=True)
    t_code = dsym * eps * sp.sqrt(sp.pi / 2)
    p.identity(2 * t_code / (eps * sp.sqrt(2 * sp.pi)), dsym,
               "t = delta eps sqrt(pi/2) gives 2t/(eps sqrt(2 pi)) = delta")
    p.cite("v = v_u/||v_u|| and c = t/||v_u|| (||v_u|| > 0 a.s.): {|<v, u_*>| >= c} = {|<v_u, u_*>| >= t}, "
           "and <v_u, u_*> = a + eps <g, u_*> with <g, u_*> ~ N(0, 1) (u_* fixed, g isotropic): the event "
           "has probability >= 1 - delta for any H and any warm start (c itself is random; the lemma "
           "only needs c <= |c_*|)", detail="rotation invariance of N(0, I_n)")

    def code_c(rng: np.random.Generator) -> tuple[float, float]:
        n = int(rng.integers(2, 200))
        seed = int(rng.integers(2**31))
        delta = float(10.0 ** rng.uniform(-9, -0.1))
        warm = bool(rng.integers(2))
        v0 = torch.tensor(rng.standard_normal(n)) if warm else None
        q, log_cd = start_vector(n, v0, torch.Generator().manual_seed(seed), torch.device("cpu"))
        g = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).numpy()
        e = WARM_NOISE / math.sqrt(n) if warm else 1.0
        vu = (v0.numpy() / np.linalg.norm(v0.numpy()) if v0 is not None else 0.0) + e * g
        c_formula = delta * e * math.sqrt(math.pi / 2) / float(np.linalg.norm(vu))
        err = abs(math.exp(log_cd + math.log(delta)) / c_formula - 1.0) + float(
            np.max(np.abs(q.numpy() - vu / np.linalg.norm(vu))))
        return err, 1e-12

    p.sample("code conformance: start_vector's v and log(c/delta) + log(delta) (as lanczos_norm adds it) "
             "equal v_u/||v_u|| and log(delta eps sqrt(pi/2)/||v_u||), recomputed from the same seed",
             code_c, n=100, seed=23, rtol=0.0, atol=0.0, role="proof")

    # Monte Carlo of the event's failure probability for a warm start orthogonal to u_* (the worst
    # case a = 0): the count must stay below a binomial upper quantile of delta
    rng = np.random.default_rng(24)
    n, trials, delta = 50, 20000, 0.2
    g = rng.standard_normal((trials, n))
    vw = np.zeros(n)
    vw[1] = 1.0  # u_* = e_0, warm start e_1 orthogonal to it
    e = WARM_NOISE / math.sqrt(n)
    vu = vw + e * g
    c = delta * e * math.sqrt(math.pi / 2) / np.linalg.norm(vu, axis=1)
    fails = int(np.sum(np.abs(vu[:, 0] / np.linalg.norm(vu, axis=1)) < c))
    bound = trials * delta + 5.0 * math.sqrt(trials * delta * (1 - delta))
    p.fact("Monte Carlo: warm start orthogonal to u_* (a = 0, the worst case), n = 50, delta = 0.2: "
           "#{|<v, u_*>| < c} <= delta N + 5 sigma", fails <= bound, method="sampled", role="check",
           detail=f"{fails} of {trials} (bound {bound:.0f}; exact probability erf(delta sqrt(pi)/2) = "
                  f"{math.erf(delta * math.sqrt(math.pi) / 2):.4f})")

    # --- 5. floating point: the lemma with the tightest c = |c_*| on adversarial instances ----------
    n_inf = [0]

    def sharp(rng: np.random.Generator) -> tuple[float, float]:
        r = sharp_lemma_instance(rng)
        if math.isinf(r["upper"]) and r["upper"] > 0:  # +inf: nothing certified, trivially valid
            n_inf[0] += 1
            return 0.0, 1.0
        return r["L"], r["upper"]

    p.sample("lemma in float64 with the tightest admissible c = |c_*| (exact overlap), code's rounding "
             "allowance, adversarial spectra scaled by 1e-6..1e6 and starts (|c_*| down to 1e-8, warm start on u_2): "
             "||H||_2 <= lanczos_upper_bound(...) -- deterministic, no failure allowed",
             sharp, n=30, seed=25, rtol=1e-12, atol=0.0, role="proof")
    p.fact("(of these, instances where no candidate certified anything, upper = +inf)", True, method="sampled",
           role="check",
           detail=f"{n_inf[0]} of 30 returned +inf")

    # --- 6. end to end ------------------------------------------------------------------------
    runs = [e2e_run(i) for i in range(E2E_RUNS)]
    uncond = [r for r in runs if r["delta"] == E2E_DELTA_SMALL]
    cond = [r for r in runs if r["cstar"] >= r["c"]]

    def replay(pairs: list[tuple[float, float]]) -> Callable[[np.random.Generator], tuple[float, float]]:
        it = iter(pairs)
        return lambda _rng: next(it)

    p.sample(f"end to end, hessian_spectral_norm(method='lanczos') on 1/2 w^T A w, {len(runs)} seeded runs "
             "(all spectrum families scaled by 1e-4..1e4, 1/3 warm-started on u_2, 3-12 Lanczos steps): "
             "lower <= ||A||_2 (torch.linalg.eigvalsh, float64)", replay([(r["lower"], r["L"]) for r in runs]),
             n=len(runs),
             rtol=1e-12, atol=0.0)
    p.sample(f"end to end, delta = {E2E_DELTA_SMALL:g}: ||A||_2 <= upper on every run; a single failure "
             f"would have probability <= {len(uncond)} delta = {len(uncond) * E2E_DELTA_SMALL:.1e} under the claim",
             replay([(r["L"], r["upper"]) for r in uncond]), n=len(uncond), rtol=1e-12, atol=0.0)
    p.sample(f"end to end, delta = {E2E_DELTA_SMALL:g} and {E2E_DELTA_LARGE:g}, runs on which the event |c_*| >= c "
             "holds (c recomputed from the seed, c_* exact): ||A||_2 <= upper is then deterministic",
             replay([(r["L"], r["upper"]) for r in cond]), n=len(cond), rtol=1e-12, atol=0.0)
    large = [r for r in runs if r["delta"] == E2E_DELTA_LARGE]
    failed_runs = [r for r in large if r["upper"] < r["L"] * (1 - 1e-12)]
    p.fact(f"end to end, delta = {E2E_DELTA_LARGE:g}: failures (upper < ||A||_2, allowed off the event) < "
           f"{len(large)} = all runs; all failing has probability <= delta^{len(large)} = "
           f"{E2E_DELTA_LARGE ** len(large):.1e} under the claim", len(failed_runs) < len(large),
           method="sampled", role="check",
           detail=f"{len(failed_runs)} of {len(large)} failed; {len(cond)} of {len(runs)} runs on the event; "
                  "upper/L in "
                  f"[{min(r['upper'] / r['L'] for r in runs):.12g}, {max(r['upper'] / r['L'] for r in runs):.4g}]")


_CLAIM_FNS: tuple[Callable[[Proof], None], ...] = (_lanczos_lower, _quadrature_certificate)
