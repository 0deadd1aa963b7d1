"""Issue 11 engine: preallocated basis + memory_budget, float32 basis, DGKS CGS2 reorthogonalisation,
the one-evaluation certificate test, defaults by n (stop rule, threads). References: dense float64
eigvalsh of explicit matrices and the search of lanczos_upper_bound."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.linalg
import torch

import warmup_theory.numerics.curvature.certificate as cert
import warmup_theory.numerics.curvature.lanczos as lanczos_mod
from warmup_theory.numerics.curvature import hessian_spectral_norm
from warmup_theory.numerics.curvature.certificate import certifies_below, lanczos_upper_bound
from warmup_theory.numerics.curvature.lanczos import basis_bytes, lanczos_norm
from warmup_theory.numerics.curvature.spectral_norm import AUTO_BRACKET_MAX, resolve_stop

F64 = torch.float64


def gen(s: int) -> torch.Generator:
    return torch.Generator().manual_seed(s)


def sym(n: int, seed: int, outlier: float = 0.0) -> torch.Tensor:
    g = gen(seed)
    q, _ = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=F64))
    lam = torch.linspace(-1.0, 1.0, n, dtype=F64)
    lam[-1] += outlier
    return (q * lam) @ q.T


@pytest.mark.parametrize("seed", range(4))
def test_bracket_contains_truth_and_basis_is_orthonormal(seed: int) -> None:
    A = sym(300, seed, outlier=0.3 * seed)
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    out = lanczos_norm(lambda v: A @ v, 300, tol=1e-8, max_hvps=120, v0=None, generator=gen(seed), delta=1e-3)
    assert out["lower"] <= truth * (1 + 1e-13) and truth <= out["upper"] * (1 + 1e-13)
    assert out["basis_bytes"] == 119 * 300 * 8 == basis_bytes(300, 119)
    assert abs(out["value"] - truth) <= 1e-8 * truth


def test_memory_budget_error_names_the_sizes() -> None:
    A = sym(50, 0)
    # 9 steps of 50 float64 entries need 3,600 bytes; 3,000 bytes hold 7 vectors
    with pytest.raises(ValueError, match=r"memory_budget = 3,000 bytes cannot hold.*9 vectors.*3,600.*max_hvps <= 8"):
        lanczos_norm(lambda v: A @ v, 50, tol=1e-6, max_hvps=10, v0=None, generator=gen(0), delta=1e-3,
                     memory_budget=3000)
    lanczos_norm(lambda v: A @ v, 50, tol=1e-6, max_hvps=10, v0=None, generator=gen(0), delta=1e-3,
                 memory_budget=3600)  # exactly fits
    with pytest.raises(ValueError, match="cannot hold"):
        lanczos_norm(lambda v: A @ v, 50, tol=1e-6, max_hvps=30, v0=None, generator=gen(0), delta=1e-3,
                     memory_budget=4000)
    with pytest.raises(ValueError, match="memory_budget must be a positive int"):
        hessian_spectral_norm(lambda w: 0.5 * w @ A @ w, torch.zeros(50, dtype=F64), method="lanczos",
                              memory_budget=-1)
    # default max_hvps under a budget: lowered to what fits, and the run still brackets the truth
    r = hessian_spectral_norm(lambda w: 0.5 * w @ A @ w, torch.zeros(50, dtype=F64), method="lanczos",
                              memory_budget=20 * 50 * 8, generator=gen(1))
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    assert r.basis_bytes <= 20 * 50 * 8 and r.hvps <= 21 and r.lower <= truth <= r.upper * (1 + 1e-13)


def test_float32_basis_halves_memory_and_stays_honest() -> None:
    A = sym(200, 3, outlier=0.5)
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    kw = dict(tol=1e-5, max_hvps=80, v0=None, generator=gen(2), delta=1e-3)
    o64 = lanczos_norm(lambda v: A @ v, 200, **kw)  # type: ignore[arg-type]
    o32 = lanczos_norm(lambda v: A @ v, 200, basis_dtype=torch.float32, **kw)  # type: ignore[arg-type]
    assert o32["basis_bytes"] * 2 == o64["basis_bytes"]
    assert o32["lower"] <= truth * (1 + 1e-12) and truth <= o32["upper"]
    assert abs(o32["value"] - truth) <= 1e-5 * truth
    with pytest.raises(ValueError, match="basis_dtype"):
        lanczos_norm(lambda v: A @ v, 200, basis_dtype=torch.float16, **kw)  # type: ignore[arg-type]


def test_matvec_returning_its_input_is_not_corrupted() -> None:
    out = lanczos_norm(lambda v: v, 40, tol=1e-8, max_hvps=10, v0=None, generator=gen(0), delta=1e-3)
    assert out["value"] == pytest.approx(1.0, rel=1e-14) and out["upper"] >= 1.0


@pytest.mark.parametrize("seed", range(30))
def test_quick_certificate_test_agrees_with_the_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 50))
    theta, S = scipy.linalg.eigh_tridiagonal(rng.normal(size=m), np.abs(rng.normal(size=m - 1)) * rng.uniform(.01, 1))
    kw = dict(log_c=math.log(rng.uniform(1e-8, 1e-2)), allowance=float(rng.choice([0.0, 1e-14, 1e-9])))
    u = lanczos_upper_bound(theta, S[0] ** 2, **kw)
    if math.isinf(u):  # nothing certified below 1e3 U0 (the search grid's end): neither at 1.5 |theta|max
        assert not certifies_below(theta, S[0] ** 2, bound=1.5 * float(np.abs(theta).max()), **kw)
        return
    assert certifies_below(theta, S[0] ** 2, bound=u * (1 + 2e-3), **kw)       # the search resolves 0.1 %
    assert not certifies_below(theta, S[0] ** 2, bound=u * (1 - 1e-2) - 1e-300, **kw)


def _direct_upper_bound(theta: np.ndarray, w: np.ndarray, log_c: float, allowance: float,
                        basis_norm2: float = 1.0, f_err: float = 0.0, breakdown: bool = False) -> tuple[float, float]:
    """The lemma of certificate.py evaluated directly, one candidate at a time (plain products and
    numpy's Chebyshev series, no logs, no arrays of candidates): for s <= 6 largest and r <= 2 smallest
    Ritz values deflated, P(x) = prod_t (x - t)^2 T_k((2x - lo - hi) / (hi - lo))^2, and the smallest
    U >= U0 with c^2 min(P(U), P(-U)) > sum_j w_j max_e P(theta_j + e), e in {-a, 0, a}, found by a
    60-step bisection of log(U - U0) over the search's range [1e-15, 1e3] max(U0, tiny).
    Returns (min over candidates of U + a, min of U + a + 1e-3 (U - U0)) (the search resolves 0.1 %).
    Non-orthogonal form (``basis_norm2``, ``f_err``): (c - f_err rho(U))^2 min(P(U), P(-U)) > basis_norm2 G,
    rho(U)^2 = sum_j w_j g_j^2, g_j = max over signs of (1 + sqrt(P_j / P(+-U))) / (U -+ theta_j - a).
    ``breakdown``: deg sqrt(P) = m instead of m - 1 (k one larger)."""
    th = np.sort(theta)
    order = np.argsort(theta, kind="stable")
    w = w[order]
    m = th.size
    tiny = max(allowance, 1e-300, 1e-12 * float(np.abs(th).max()))
    c2 = math.exp(2 * log_c)
    best, slack = math.inf, math.inf
    for s in range(7):
        for r in range(3):
            k = m - (0 if breakdown else 1) - s - r
            if k < 1 or s + r >= m:
                continue
            killed = np.r_[th[:r], th[m - s:]]
            lo, hi = th[r], th[m - 1 - s]
            if hi - lo < tiny:
                lo, hi = lo - tiny, hi + tiny
            coef = np.zeros(k + 1)
            coef[k] = 1.0

            def P(x: float, killed: np.ndarray = killed, lo: float = lo, hi: float = hi,
                  coef: np.ndarray = coef) -> float:
                cheb = np.polynomial.chebyshev.chebval((2 * x - lo - hi) / (hi - lo), coef)
                return float(np.prod((x - killed) ** 2) * cheb ** 2)

            G = sum(wj * max(P(t - allowance), P(t), P(t + allowance)) for t, wj in zip(th, w))
            u0 = max(abs(lo), abs(hi), float(np.abs(killed).max()) if killed.size else 0.0)
            base = max(u0, tiny)

            pj = [max(P(t - allowance), P(t), P(t + allowance)) for t in th]

            def ok(off: float, u0: float = u0, G: float = G, P: Callable[[float], float] = P,
                   pj: list[float] = pj) -> bool:
                U = u0 + off
                pu, pm = P(U), P(-U)
                if f_err == 0.0:
                    return c2 * min(pu, pm) > basis_norm2 * G
                rho2 = 0.0
                for t, wj, p_t in zip(th, w, pj):
                    dp, dm = U - t - allowance, U + t - allowance
                    if dp <= 0 or dm <= 0:
                        return False
                    g = max((1 + math.sqrt(p_t / pu)) / dp, (1 + math.sqrt(p_t / pm)) / dm)
                    rho2 += wj * g * g
                ce = math.sqrt(c2) - f_err * math.sqrt(rho2)
                return ce > 0 and ce * ce * min(pu, pm) > basis_norm2 * G

            a, b = math.log(1e-15 * base), math.log(1e3 * base)
            if not ok(math.exp(b)):
                continue
            if ok(math.exp(a)):
                b = a
            else:
                for _ in range(60):
                    mid = 0.5 * (a + b)
                    a, b = (a, mid) if ok(math.exp(mid)) else (mid, b)
            best = min(best, u0 + math.exp(b) + allowance)
            slack = min(slack, u0 + math.exp(b) * (1 + 1e-3) + allowance)
    return best, slack


@pytest.mark.parametrize("nonorth", [False, True, "breakdown"])
@pytest.mark.parametrize("seed", range(30))
def test_vectorised_search_matches_the_lemma_evaluated_directly(seed: int, nonorth: bool | str) -> None:
    rng = np.random.default_rng(100 + seed)
    m = int(rng.integers(1 if nonorth == "breakdown" else 3, 13))
    theta, S = scipy.linalg.eigh_tridiagonal(rng.normal(size=m), np.abs(rng.normal(size=m - 1)) * rng.uniform(.01, 1))
    log_c = math.log(rng.uniform(1e-8, 1e-2))
    allowance = float(rng.choice([0.0, 1e-14, 1e-9]))
    extra: dict[str, Any] = dict(basis_norm2=m * (1 + 1e-12), recurrence_error=10.0 ** rng.uniform(-14, -4)) \
        if nonorth else {}
    if nonorth == "breakdown":
        extra["breakdown"] = True
    u = lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance, **extra)
    ref, slack = _direct_upper_bound(theta, S[0] ** 2, log_c, allowance, *extra.values())
    if math.isinf(ref):
        assert math.isinf(u)
        return
    assert ref * (1 - 1e-9) <= u <= slack * (1 + 1e-9)


def test_stop_auto_by_n_and_result_says_which() -> None:
    assert resolve_stop("auto", AUTO_BRACKET_MAX) == "bracket"
    assert resolve_stop("auto", AUTO_BRACKET_MAX + 1) == "residual"
    assert resolve_stop("residual", 10) == "residual"
    with pytest.raises(ValueError, match="stop must be"):
        resolve_stop("never", 10)
    A = sym(60, 4)
    r = hessian_spectral_norm(lambda w: 0.5 * w @ A @ w, torch.zeros(60, dtype=F64), method="lanczos",
                              generator=gen(0))
    assert r.stop == "bracket" and r.to_dict()["stop"] == "bracket" and r.converged
    # above the threshold: residual rule (a diagonal operator keeps it cheap)
    n = AUTO_BRACKET_MAX + 5
    d = torch.linspace(0.0, 1.0, n, dtype=F64)
    d[0] = 3.0
    r = hessian_spectral_norm(lambda w: 0.5 * (d * w * w).sum(), torch.zeros(n, dtype=F64), method="lanczos",
                              generator=gen(0))
    assert r.stop == "residual" and r.converged and r.residual <= 1e-6 * r.lower
    assert r.lower <= 3.0 * (1 + 1e-14) and 3.0 <= r.upper and abs(r.value - 3.0) <= 1e-9


def test_threads_restored_and_checked() -> None:
    before = torch.get_num_threads()
    A = sym(30, 5)
    f = lambda w: 0.5 * w @ A @ w
    hessian_spectral_norm(f, torch.zeros(30, dtype=F64), method="lanczos", threads=1, generator=gen(0))
    assert torch.get_num_threads() == before
    with pytest.raises(ValueError, match="threads must be"):
        hessian_spectral_norm(f, torch.zeros(30, dtype=F64), threads=0)
    assert torch.get_num_threads() == before


def test_warm_noise_checked_and_changes_the_overlap_bound() -> None:
    from warmup_theory.numerics.curvature import CurvatureTracker
    from warmup_theory.numerics.curvature.certificate import start_vector

    v0 = torch.ones(100, dtype=F64)
    _, log_a = start_vector(100, v0, gen(0), torch.device("cpu"), 0.1)
    _, log_b = start_vector(100, v0, gen(0), torch.device("cpu"), 0.01)
    assert log_a - log_b == pytest.approx(math.log(10.0), abs=1e-2)  # c falls by the factor 1/warm_noise
    with pytest.raises(ValueError, match="warm_noise"):
        CurvatureTracker(warm_noise=0.0)
    with pytest.raises(ValueError, match="warm_noise"):
        start_vector(10, v0[:10], gen(0), torch.device("cpu"), 2.0)


def test_tracker_warm_noise_reaches_auto_method_and_leaves_global_rng_alone() -> None:
    from warmup_theory.numerics.curvature import CurvatureTracker

    torch.manual_seed(0)
    expected = torch.rand(1)
    torch.manual_seed(0)
    CurvatureTracker(warm_noise=0.5)  # validating warm_noise draws nothing
    assert torch.equal(torch.rand(1), expected)
    n = 600  # > AUTO_DENSE_MAX: method="auto" resolves to Lanczos, which must see warm_noise
    d = torch.linspace(-1.0, 1.0, n, dtype=F64)
    f = lambda w: 0.5 * (d * w * w).sum() + 0.1 * (w ** 4).sum()
    runs = []
    for noise in (0.1, 1.0):
        tr = CurvatureTracker(every=1, method="auto", stop="residual", tol=1e-3, seed=0, warm_noise=noise)
        for w in (torch.full((n,), 0.1, dtype=F64), torch.full((n,), 0.2, dtype=F64)):
            tr.step(w, f)
        runs.append(tr.records[1])
    assert runs[0].hvps != runs[1].hvps or runs[0].upper != runs[1].upper


def test_tracker_warm_start_residual_rule_is_cheap_and_honest() -> None:
    from warmup_theory.numerics.curvature import CurvatureTracker

    g = gen(0)
    X = torch.randn(200, 8, generator=g, dtype=F64)
    y = torch.randn(200, generator=g, dtype=F64)
    full = lambda w: (torch.tanh(X @ w) - y).pow(2).mean()
    tracker = CurvatureTracker(every=2, stop="residual", tol=1e-4, seed=3)
    w = torch.zeros(8, dtype=F64) + 0.1
    for _ in range(20):
        tracker.step(w, full)
        w = w - 0.05 * torch.func.grad(full)(w)
    for rec, t in zip(tracker.records, range(0, 20, 2)):
        assert rec.step == t
    truths = []
    w = torch.zeros(8, dtype=F64) + 0.1
    for t in range(20):
        if t % 2 == 0:
            truths.append(float(torch.linalg.eigvalsh(torch.func.hessian(full)(w)).abs().max()))
        w = w - 0.05 * torch.func.grad(full)(w)
    for rec, truth in zip(tracker.records, truths):
        assert rec.lower <= truth * (1 + 1e-12) and truth <= rec.upper * (1 + 1e-12)
        assert abs(rec.hessian_norm - truth) <= 1e-6 * truth
    later = [r.hvps for r in tracker.records[1:]]
    assert sum(later) / len(later) < tracker.records[0].hvps  # warm starts need fewer products than the cold one


@pytest.mark.parametrize("basis_dtype,bound", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_basis_stays_orthonormal_on_a_clustered_spectrum(basis_dtype: torch.dtype, bound: float) -> None:
    """The vectors handed to matvec are the Lanczos basis: after 120 steps through converged outliers
    (where plain Lanczos loses orthogonality) ||Q^T Q - I|| stays at rounding level (CGS + DGKS)."""
    n = 300
    q, _ = torch.linalg.qr(torch.randn(n, n, generator=gen(8), dtype=F64))
    lam = torch.cat([torch.tensor([10.0, 9.999, -9.99], dtype=F64), torch.linspace(-1, 1, n - 3, dtype=F64)])
    A = (q * lam) @ q.T
    seen: list[torch.Tensor] = []

    def mv(v: torch.Tensor) -> torch.Tensor:
        seen.append(v.clone())
        return A @ v
    # tol below the rounding allowance (16 m u): the bracket rule runs all 120 steps
    out = lanczos_norm(mv, n, tol=1e-15, max_hvps=121, v0=None, generator=gen(0), delta=1e-3,
                       basis_dtype=basis_dtype)
    Q = torch.stack(seen[:-1])  # the last product is the explicit one at the Ritz vector
    assert Q.shape[0] == out["steps"] == 120
    assert float(torch.linalg.matrix_norm(Q @ Q.T - torch.eye(120, dtype=F64), ord=2)) <= bound
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    assert abs(out["value"] - truth) <= 1e-12 * truth
    assert out["lower"] <= truth * (1 + 1e-13) and truth <= out["upper"] * (1 + 1e-13)


@pytest.mark.parametrize("seed", range(12))
def test_node_values_from_running_sums_match_the_direct_product(seed: int) -> None:
    """_Candidates builds log P at the Ritz nodes from running sums of log|node - theta|; the direct product
    over the deflated roots (_log_p, as the search evaluates P at U) must give the same values, -inf included
    (a node on a deflated root), also with repeated Ritz values."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 70))
    theta = np.sort(rng.normal(size=m))
    if seed % 3 == 0:
        theta[-2] = theta[-1]  # a double top Ritz value
    w = rng.dirichlet(np.ones(m))
    allowance = float(rng.choice([0.0, 1e-12]))
    cand = cert._Candidates(theta, w, log_c=-5.0, allowance=allowance, max_top=6, max_bottom=2,
                            breakdown=bool(seed % 2))
    nodes = np.concatenate([theta - allowance, theta, theta + allowance])
    direct = cert._log_p(np.broadcast_to(nodes, (cand.size, 3 * m)), cand.killed, cand.k, cand.lo, cand.hi)
    direct = direct.reshape(cand.size, 3, m).max(axis=1)
    assert np.array_equal(np.isneginf(direct), np.isneginf(cand.logp_theta))
    fin = np.isfinite(direct)
    assert np.allclose(cand.logp_theta[fin], direct[fin], rtol=1e-13, atol=1e-11)


@pytest.mark.parametrize("case", ["full", "none", "breakdown", "breakdown at step 2", "residual"])
def test_skipped_eigensolves_leave_the_run_unchanged(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps where no test is due skip the tridiagonal eigensolve; forcing it at every step must give the
    identical run (same products, steps, bracket), and the skipping must really happen. A breakdown at step 2
    comes before any test is due: only the Gershgorin guard (`small_b`) can make that step solve and stop."""
    values = {"breakdown": [2.0, -1.0, 0.5], "breakdown at step 2": [2.0, -1.0]}.get(case)
    if values is not None:  # that many distinct eigenvalues: breakdown at that step
        q, _ = torch.linalg.qr(torch.randn(60, 60, generator=gen(5), dtype=F64))
        A = (q * torch.tensor([x for x in values for _ in range(60 // len(values))], dtype=F64)) @ q.T
    else:
        A = sym(200, 3, outlier=0.2)
    kw = dict(tol=1e-8, max_hvps=120, v0=None, delta=1e-3, reorth="none" if case == "none" else "full",
              stop="residual" if case == "residual" else "bracket")
    calls = {"n": 0}
    real = scipy.linalg.eigh_tridiagonal

    def counted(*a: Any, **k: Any) -> Any:
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(lanczos_mod.scipy.linalg, "eigh_tridiagonal", counted)
    fast = lanczos_norm(lambda v: A @ v, A.shape[0], generator=gen(1), **kw)
    skipped = fast["steps"] - calls["n"]
    monkeypatch.setattr(lanczos_mod, "_ritz_needed", lambda *a: True)
    calls["n"] = 0
    slow = lanczos_norm(lambda v: A @ v, A.shape[0], generator=gen(1), **kw)
    assert calls["n"] >= slow["steps"]
    for key in ("hvps", "steps", "lower", "upper", "residual", "converged", "eigenvalue"):
        assert fast[key] == slow[key], key
    if values is not None:
        assert fast["steps"] == len(values)
    elif case == "residual":  # the residual rule reads the Ritz vector at every step
        assert skipped == 0
    else:
        assert skipped > 3


@pytest.mark.parametrize("kind", ["orth", "nonorth", "breakdown"])
@pytest.mark.parametrize("seed", range(25))
def test_restricted_search_equals_the_full_search_below_the_bound(seed: int, kind: str) -> None:
    """margin_and_bound searches only the candidates that certify ``bound``; its U must equal
    min(bound, lanczos_upper_bound) (the search over every candidate); a margin <= 0 (never NaN) means that
    search certifies nothing below ``bound`` either (the gap is increasing in U)."""
    rng = np.random.default_rng(500 + seed)
    m = int(rng.integers(2, 50))
    theta, S = scipy.linalg.eigh_tridiagonal(rng.normal(size=m), np.abs(rng.normal(size=m - 1)) * rng.uniform(.01, 1))
    kw: dict[str, Any] = dict(log_c=math.log(rng.uniform(1e-8, 1e-2)), allowance=float(rng.choice([0.0, 1e-14])))
    if kind != "orth":
        kw.update(basis_norm2=m * (1 + 1e-12), recurrence_error=10.0 ** rng.uniform(-14, -6),
                  breakdown=kind == "breakdown")
    full = lanczos_upper_bound(theta, S[0] ** 2, **kw)
    top = float(np.max(np.abs(theta)))
    for bound in (top * (1 + 10.0 ** rng.uniform(-8, 0)), full * (1 + 1e-9) if math.isfinite(full) else 2 * top):
        margin, upper = cert.margin_and_bound(theta, S[0] ** 2, bound=bound, **kw)
        assert not math.isnan(margin) and (margin > 0 or full >= bound)
        assert upper == (min(bound, full) if margin > 0 else math.inf)


def test_margin_is_not_nan_when_no_overlap_is_left_against_a_zero_sum() -> None:
    """G = sum_j w_j P(theta_j) = 0 (the only weight on a deflated root) with the recurrence error leaving no
    overlap (c_eff <= 0): the gap -inf - (-inf) certifies nothing (it was NaN, and U = bound came back)."""
    theta, w = np.array([-4.0292825, -2.00467124, 1.41130649, 1.41130649]), np.array([1.0, 0.0, 0.0, 0.0])
    kw: dict[str, Any] = dict(log_c=math.log(1e-3), allowance=0.0, breakdown=True, recurrence_error=4.1e-5,
                              basis_norm2=4.0)
    bound = 4.0292825 * (1 + 1e-9)
    assert lanczos_upper_bound(theta, w, **kw) > bound
    assert cert.margin_and_bound(theta, w, bound=bound, **kw) == (-math.inf, math.inf)
    assert not certifies_below(theta, w, bound=bound, **kw)
