r"""Claim for the Lanczos bracket without reorthogonalisation (``reorth="none"``), the toolkit's own derivation.

Setting (:mod:`warmup_theory.numerics.curvature.certificate`, "Without reorthogonalisation"): vectors
Q_m = [q_1 .. q_m] with q_1 the unit start, a tridiagonal T_m (alpha_j, beta_j) and the residual
F_m := A Q_m - Q_m T_m - beta_m q_{m+1} e_m^T (for the computed Lanczos vectors, the local rounding of
the three-term recurrence; nothing requires Q_m to be orthogonal).

* identity: for every polynomial q of degree <= m - 1,
  q(A) q_1 - Q_m q(T_m) e_1 = sum_k rho_k sum_{i<k} A^{k-1-i} F_m T_m^i e_1  (q = sum_k rho_k x^k),
  by induction on x^k: E_{k+1} = A E_k + (A Q - Q T) T^k e_1 and e_m^T T^k e_1 = 0 for k <= m - 2;
* breakdown: with F' := A Q_m - Q_m T_m (the beta_m term folded in) the identity holds for every degree;
* its spectral form: u_a^T (...) = sum_j (u_a^T F_m s_j) s_{1j} q[lambda_a, theta_j] (divided difference);
* the ratio bound: for |lambda| >= U and all roots of q and all theta in [-U0, U0], U0 < U,
  |q[lambda, theta]| <= |q(lambda)| (1 + |q(theta)| / |q(+-U)|) / (U -+ theta);
* hence |c_*| |q(lambda_*)| <= ||Q_m|| ||q(T_m) e_1|| + ||F_m|| |q(lambda_*)| rho(U), the lemma of the
  quadrature certificate with c -> c - ||F_m|| rho and the Gauss sum multiplied by ||Q_m||^2;
* end to end: ``lanczos_norm(..., reorth="none")`` on the adversarial spectra, checked on the event
  |c_*| >= c, on runs whose bases have lost orthogonality (measured by an independent no-reorth
  Lanczos from the same start).

>>> ok, lost = _end_to_end_run(3)
>>> ok
True
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.linalg
import sympy as sp
import torch

from warmup_theory.numerics.curvature.lanczos import lanczos_norm
from warmup_theory.proofs_checks.fixtures.spectra import SPECTRA, matrix, spectrum
from warmup_theory.proofs_checks.framework import Proof, claim

__all__: list[str] = []

_E2E_RUNS = 60
_E2E_DELTA = 0.25


def _exact_instance(rng: np.random.Generator, breakdown: bool = False) -> bool:
    """The identity in exact rational arithmetic for random A (symmetric), Q (arbitrary columns, q_1 = Q e_1),
    tridiagonal T, q_{m+1}, beta_m, and a random q of degree <= m - 1 (none of them from a Lanczos run).
    ``breakdown``: F' = A Q - Q T (beta_m q_{m+1} e_m^T folded into it) and q of degree up to m + 2."""
    n, m = int(rng.integers(2, 6)), int(rng.integers(2, 6))

    def rat() -> sp.Rational:
        return sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5)))

    a = sp.Matrix(n, n, lambda i, j: 0)
    for i in range(n):
        for j in range(i, n):
            a[i, j] = a[j, i] = rat()
    q = sp.Matrix(n, m, lambda i, j: rat())
    t = sp.zeros(m, m)
    for j in range(m):
        t[j, j] = rat()
        if j + 1 < m:
            t[j, j + 1] = t[j + 1, j] = rat()
    q_next, b_m = sp.Matrix(n, 1, lambda i, j: rat()), rat()
    e_m = sp.zeros(m, 1)
    e_m[m - 1] = 1
    f = a * q - q * t - (0 if breakdown else b_m) * q_next * e_m.T
    rho = [rat() for _ in range(int(rng.integers(1, m + (4 if breakdown else 1))))]  # degree <= m - 1 (m + 2)
    e1 = sp.zeros(m, 1)
    e1[0] = 1
    q1 = q[:, 0]
    lhs = sum((r * a**k * q1 for k, r in enumerate(rho)), sp.zeros(n, 1)) \
        - q * sum((r * t**k * e1 for k, r in enumerate(rho)), sp.zeros(m, 1))
    rhs = sp.zeros(n, 1)
    for k, r in enumerate(rho):
        for i in range(k):
            rhs += r * a ** (k - 1 - i) * f * t**i * e1
    return bool((lhs - rhs).applyfunc(sp.simplify) == sp.zeros(n, 1))


def _no_reorth(h: np.ndarray, v: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Independent float64 Lanczos with the plain three-term recurrence: alpha, beta, Q (m + 1 rows), beta_m,
    and the residual F = A Q_m - Q_m T_m - beta_m q_{m+1} e_m^T (n x m)."""
    n = v.size
    qs = np.zeros((m + 1, n))
    qs[0] = v / np.linalg.norm(v)
    alpha, beta = np.zeros(m), np.zeros(m)
    for j in range(m):
        w = h @ qs[j]
        alpha[j] = qs[j] @ w
        w = w - alpha[j] * qs[j] - (beta[j - 1] * qs[j - 1] if j else 0.0)
        beta[j] = np.linalg.norm(w)
        if beta[j] <= 1e-10 * np.linalg.norm(h, 2):  # breakdown: stop at j + 1 vectors (q_{j+2} = 0)
            m = j + 1
            alpha, beta, qs = alpha[:m], beta[:m], qs[: m + 1]
            qs[m] = 0.0
            break
        qs[j + 1] = w / beta[j]
    t = np.diag(alpha) + np.diag(beta[:-1], 1) + np.diag(beta[:-1], -1)
    f = h @ qs[:m].T - qs[:m].T @ t
    f[:, -1] -= beta[-1] * qs[m]
    return alpha, beta[:-1], qs, float(beta[-1]), f


def _instance(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = SPECTRA[int(rng.integers(len(SPECTRA)))]
    n = int(rng.integers(8, 40))
    lam = spectrum(kind, n, rng)
    h, hu = matrix(lam, rng)
    return lam, h, hu


def _spectral_form(rng: np.random.Generator) -> tuple[float, float]:
    """|polynomial form - divided-difference form| of the error, componentwise in A's eigenbasis."""
    lam, h, hu = _instance(rng)
    m = int(rng.integers(2, 12))
    alpha, beta, qs, _, f = _no_reorth(h, rng.standard_normal(lam.size), m)
    m = alpha.size
    f = f + 1e-3 * rng.standard_normal(f.shape)  # any F: the identity is algebraic
    t = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    rho = rng.standard_normal(int(rng.integers(1, m + 1)))
    e1 = np.eye(m)[:, 0]
    poly = sum(r * sum(np.linalg.matrix_power(h, k - 1 - i) @ f @ np.linalg.matrix_power(t, i) @ e1
                       for i in range(k)) for k, r in enumerate(rho) if k)
    theta, s = np.linalg.eigh(t)
    qv = np.polynomial.polynomial.polyval
    dd = np.array([[(qv(la, rho) - qv(th, rho)) / (la - th) if abs(la - th) > 1e-9 else
                    qv(la, np.polynomial.polynomial.polyder(rho)) for th in theta] for la in lam])
    spectral = np.array([np.sum((hu[:, a] @ f @ s) * s[0] * dd[a]) for a in range(lam.size)])
    scale = 1.0 + float(np.max(np.abs(lam))) ** max(len(rho) - 1, 1) * float(np.sum(np.abs(rho)))
    return float(np.max(np.abs(hu.T @ np.asarray(poly) - spectral))) if np.ndim(poly) else 0.0, 1e-9 * scale


def _ratio_bound(rng: np.random.Generator) -> tuple[float, float]:
    """|q[lambda, theta]| <= |q(lambda)| (1 + |q(theta)| / |q(sU)|) / (U - s theta), s = sign(lambda), |lambda| >= U."""
    u0 = 1.0
    roots = rng.uniform(-u0, u0, int(rng.integers(1, 9)))
    u = u0 * (1.0 + 10.0 ** rng.uniform(-6, 0))
    sign = 1.0 if rng.integers(2) else -1.0
    lam = sign * u * (1.0 + 10.0 ** rng.uniform(-8, 1))
    theta = rng.uniform(-u0, u0)

    def q(x: float) -> float:
        return float(np.prod(x - roots))

    lhs = abs((q(lam) - q(theta)) / (lam - theta))
    rhs = abs(q(lam)) * (1.0 + abs(q(theta)) / abs(q(sign * u))) / (u - sign * theta)
    return lhs, rhs


def _combined(rng: np.random.Generator) -> tuple[float, float]:
    """|c_*| |q(lambda_*)| <= ||Q||_F ||q(T) e1|| + ||F||_F (sum_j w_j q[lambda_*, theta_j]^2)^(1/2), no-reorth runs."""
    lam, h, hu = _instance(rng)
    m = int(rng.integers(2, lam.size + 1))
    v = rng.standard_normal(lam.size)
    alpha, beta, qs, _, f = _no_reorth(h, v, m)
    m = alpha.size
    if m < 2:
        return 0.0, 1.0  # immediate breakdown: nothing to test
    theta, s = scipy.linalg.eigh_tridiagonal(alpha, beta)
    roots = rng.uniform(-1, 1, m - 1) * float(np.max(np.abs(lam)))
    star = int(np.argmax(np.abs(lam)))

    def q(x: np.ndarray | float) -> np.ndarray:
        out: np.ndarray = np.prod(np.subtract.outer(np.atleast_1d(x), roots), axis=-1)
        return out

    cstar = abs(float(hu[:, star] @ qs[0]))
    qt = q(theta)
    gap = lam[star] - theta
    near = np.abs(gap) <= 1e-9 * float(np.max(np.abs(lam)))
    qprime = np.polynomial.polynomial.polyval(theta, np.polynomial.polynomial.polyder(
        np.polynomial.polynomial.polyfromroots(roots)))
    dd = np.where(near, qprime, (q(lam[star]) - qt) / np.where(near, 1.0, gap))
    lhs = cstar * abs(float(q(lam[star])[0]))
    rhs = float(np.linalg.norm(qs[:m]) * np.sqrt(np.sum(s[0] ** 2 * qt**2))
                + np.linalg.norm(f) * np.sqrt(np.sum(s[0] ** 2 * dd**2)))
    return lhs, rhs * (1.0 + 1e-9)


def _end_to_end_run(i: int) -> tuple[bool, float]:
    """Run i: (upper >= ||A|| or the start is off the event |c_*| >= c, loss of orthogonality max|Q^T Q - I|)."""
    rng = np.random.default_rng(5000 + i)
    lam, h, hu = _instance(rng)
    n = lam.size
    if i % 2 == 0:  # outliers over a bulk, run to n steps: the top Ritz values converge and orthogonality is lost
        lam = np.r_[5.0, 4.5, -4.0, rng.uniform(-1.0, 1.0, n - 3)]
    lam = lam * 10.0 ** rng.uniform(-3, 3)
    h = (hu * lam) @ hu.T
    h = 0.5 * (h + h.T)
    a = torch.tensor(h)
    seed = 104729 * i + 3
    steps = n if i % 2 == 0 else int(rng.integers(max(4, n // 2), n + 1))
    tol, stop = (1e-14, "bracket") if i % 2 == 0 else (1e-4, ("bracket", "residual")[i % 4 // 2])
    out = lanczos_norm(lambda x: a @ x, n, tol=tol, max_hvps=steps + 1, v0=None,
                       generator=torch.Generator().manual_seed(seed), delta=_E2E_DELTA, stop=stop, reorth="none")
    g = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).numpy()
    c = _E2E_DELTA * math.sqrt(math.pi / 2) / float(np.linalg.norm(g))
    big = float(np.max(np.abs(lam)))
    # |c_*| for the best unit u_* in the eigenspace of +big or of -big (a repeated top eigenvalue: the norm of the
    # projection, not the largest overlap with one basis vector, which would move runs off the event)
    cstar = max(float(np.linalg.norm(hu[:, np.abs(lam - sgn * big) <= 1e-12 * big].T @ g))
                for sgn in (1.0, -1.0)) / float(np.linalg.norm(g))
    _, _, qs, _, _ = _no_reorth(h, g, out["steps"])
    k = min(out["steps"], qs.shape[0] - 1)
    lost = float(np.max(np.abs(qs[:k] @ qs[:k].T - np.eye(k))))
    ok = cstar < c or (out["lower"] <= big * (1 + 1e-12) and big <= out["upper"] * (1 + 1e-12))
    return ok, lost


@claim("Lemma non-orthogonal Lanczos certificate",
       "Without reorthogonalisation (Q_m unit, not orthogonal; F_m the recurrence residual): on |c_*| >= c, "
       "(c - ||F_m|| rho(U))^2 min(P(U), P(-U)) > ||Q_m||_F^2 sum_j w_j P(theta_j) implies ||A||_2 < U "
       "(toolkit's own derivation)")
def _nonorth_certificate(p: Proof) -> None:
    rng = np.random.default_rng(31)
    exact = [_exact_instance(rng) for _ in range(12)]
    p.fact("identity q(A) q_1 - Q q(T) e_1 = sum_k rho_k sum_{i<k} A^(k-1-i) F T^i e_1, F := AQ - QT - "
           "beta_m q_(m+1) e_m^T, deg q <= m - 1: exact in rationals for arbitrary (non-orthogonal) Q, "
           "tridiagonal T", all(exact), method="instance", role="check",
           detail=f"{sum(exact)} of {len(exact)} random instances, n, m in 2..5")
    folded = [_exact_instance(rng, breakdown=True) for _ in range(12)]
    p.fact("breakdown form: with F' := AQ - QT (beta_m q_(m+1) e_m^T folded into F) the same identity holds for "
           "q of every degree (checked up to m + 2), so a run stopped at beta_m ~ 0 may use deg q = m",
           all(folded), method="instance", role="check",
           detail=f"{sum(folded)} of {len(folded)} random instances, n, m in 2..5")
    p.cite("the identity for every m: E_0 = 0 (q_1 = Q e_1); E_{k+1} = A E_k + (AQ - QT) T^k e_1 and "
           "e_m^T T^k e_1 = 0 for k <= m - 2 (T tridiagonal), so E_k = sum_{i<k} A^(k-1-i) F T^i e_1 for "
           "k <= m - 1, and linearity in q", standard=False, detail="induction on k")
    p.sample("spectral form: u_a^T E = sum_j (u_a^T F s_j) s_1j q[lambda_a, theta_j] (sum_i lambda^(k-1-i) "
             "theta^i = x^k divided difference), float64 on the adversarial spectra", _spectral_form,
             n=60, seed=32, rtol=0.0, atol=0.0)
    p.cite("Cauchy-Schwarz: |sum_j (u^T F s_j) s_1j d_j| <= ||F^T u|| (sum_j w_j d_j^2)^(1/2) (the s_j are "
           "orthonormal), and |u_*^T Q y| <= ||Q||_2 ||y|| <= ||Q||_F ||y||", standard=True)
    lam_, th_, uu = sp.symbols("lambda theta U", positive=True)
    r_ = sp.Symbol("r", real=True)  # r = q(theta) / q(lambda)
    p.identity((1 - r_) / (lam_ - th_) * (lam_ - th_), 1 - r_,
               "q[lambda, theta] / q(lambda) = (1 - q(theta)/q(lambda)) / (lambda - theta)")
    p.cite("for lambda >= U > U0 >= all roots: |q(lambda)| >= |q(U)| (each factor |lambda - r_i| grows), so "
           "|1 - q(theta)/q(lambda)| <= 1 + |q(theta)|/|q(U)| and 1/(lambda - theta) <= 1/(U - theta); "
           "symmetrically for lambda <= -U", standard=False, detail="elementary")
    p.sample("ratio bound on random real-rooted q, both signs of lambda", _ratio_bound, n=2000, seed=33)
    p.sample("combined inequality |c_*||q(lambda_*)| <= ||Q||_F ||q(T)e1|| + ||F||_F (sum w q[lambda_*, "
             "theta]^2)^(1/2) on independent no-reorth Lanczos runs (random q)", _combined, n=200, seed=34)
    runs = [_end_to_end_run(i) for i in range(_E2E_RUNS)]
    p.fact(f"end to end, lanczos_norm(reorth='none'), delta = {_E2E_DELTA:g}: upper >= ||A||_2 on every run "
           "on the event |c_*| >= c", all(ok for ok, _ in runs), method="sampled", role="check",
           detail=f"{_E2E_RUNS} runs (adversarial spectra and outliers over a bulk, scales 1e-3..1e3, n/2..n steps)")
    lost = [x for _, x in runs]
    p.fact("the runs exercise non-orthogonal bases: max |Q^T Q - I| >= 1e-2 on some runs "
           "(independent no-reorth Lanczos, same start)", max(lost) >= 1e-2, method="sampled", role="check",
           detail=f"{sum(x >= 1e-2 for x in lost)} of {len(lost)} runs, largest {max(lost):.2g}")


_CLAIM_FNS: tuple[Callable[[Proof], None], ...] = (_nonorth_certificate,)
