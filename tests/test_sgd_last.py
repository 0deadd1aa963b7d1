"""Last-iterate bound with convex f_i (theory.bounds.sgd_last) and its claim's exact-expectation machinery."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import warmup_theory.proofs_checks.claims.stochastic_last as SL
from warmup_theory.numerics.gd import run_sgd
from warmup_theory.theory.bounds import sgd_last as L


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 10.0), st.one_of(st.just(0.0), st.floats(1e-3, 3.0)), st.floats(0.05, 2.0),
       st.floats(1e-4, 0.5), st.floats(0.05, 1.9), st.booleans())
def test_count_matches_an_independent_mpmath_evaluation(h0: float, h1: float, d: float, eps: float, kappa: float,
                                                        adaptive: bool) -> None:
    with mpmath.workdps(50):
        X0 = mpmath.mpf(d) ** 2
        G = h0 / mpmath.mpf(h1) * (mpmath.cosh(mpmath.sqrt(h1 * X0)) - 1) if h1 else h0 * X0 / 2
        if adaptive:   # (a, b) = (10, 20): c = 1.8
            lam, D = 1.8 * 10 * h0 / (2 * (10 * h0 + 20 * h1 * G)), X0 * (10 * h0 + 20 * h1 * G) / 1.8
        else:
            e = kappa / (2 * h0 + h1 * G)
            lam = 1 - e * (2 * h0 + h1 * G) / 2
            D = X0 / (2 * e * lam)
        want = 0.0 if G <= eps else float(mpmath.ceil(max(2 * (D / eps) ** (1 / lam) - 2, 0)))
    kw = dict(schedule="adaptive") if adaptive else dict(eta=float(kappa / (2 * h0 + h1 * float(G))))
    got = L.sgd_convex_last_iterate_iterations(h0, h1, d, eps, batch=1, n=3, **kw)
    if math.isfinite(want) and want < 1e15:
        assert abs(got - want) <= 1 + 1e-9 * want
        if got > 0:
            assert L.sgd_convex_last_iterate_gap(h0, h1, d, int(got), batch=1, n=3, **kw) <= eps * (1 + 1e-9)


def test_symbolic_form_evaluates_to_the_float() -> None:
    h0, h1, d, e = sp.symbols("H0 H1 d epsilon", positive=True)
    for sched in L.SCHEDULES:
        ex = L.sgd_convex_last_iterate_iterations(h0, h1, d, e, batch=2, n=5, schedule=sched)
        val = float(ex.subs({h0: 1.5, h1: 0.4, d: 0.8, e: 1e-2}))
        assert val == pytest.approx(L.sgd_convex_last_iterate_iterations(1.5, 0.4, 0.8, 1e-2, batch=2, n=5,
                                                                         schedule=sched), abs=1)


@pytest.mark.parametrize("kw, match", [
    (dict(schedule="last"), "schedule must be one of"), (dict(eta=10.0), "eta must be in"),
    (dict(eta=-1.0), "eta must be in"), (dict(schedule="adaptive", eta=0.1), "eta applies to schedule='fixed'"),
    (dict(schedule="adaptive", a=1.0), r"max\(2/a, 1/b\) < 2"), (dict(batch=3), "batch must be in"),
    (dict(batch=0), "batch must be an integer"),
])
def test_bad_input_names_the_argument(kw: dict, match: str) -> None:
    args = dict(batch=1, n=2)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        L.sgd_convex_last_iterate_iterations(1.0, 1.0, 1.0, 1e-2, **args)


def test_bad_eps_dist_and_horizon() -> None:
    with pytest.raises(ValueError, match="eps"):
        L.sgd_convex_last_iterate_iterations(1.0, 1.0, 1.0, 0.0, batch=1, n=2)
    with pytest.raises(ValueError, match="dist0"):
        L.sgd_convex_last_iterate_iterations(1.0, 1.0, -1.0, 1e-2, batch=1, n=2)
    with pytest.raises(ValueError, match="T must be"):
        L.sgd_convex_last_iterate_gap(1.0, 1.0, 1.0, -1, batch=1, n=2)


def test_the_expected_gap_rises_on_the_ridge_pair_by_two_routes() -> None:
    g0, g_warm, g_fix = SL.rising_instance()            # exact sympy
    pr = SL._ridge_pair(math.sqrt(30.0), 0.0)
    w0 = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    for e, want in ((1 / 310, g_warm), (1 / 62, g_fix)):
        q = SL.exact_gaps(pr, w0, 1, lambda dS, e=e: torch.full_like(dS, e), 1, False)
        assert q[0] == pytest.approx(float(g0), rel=1e-12) and q[1] == pytest.approx(float(want), rel=1e-12)
        assert q[1] > q[0]


def test_exact_gaps_agree_with_batched_sgd() -> None:
    pr = SL._ridge_pair(3.0, 0.5)
    w0 = torch.tensor([[1.0, 0.2]], dtype=torch.float64)
    q = SL.exact_gaps(pr, w0, 4, lambda dS: 1.0 / (10 * pr.H0 + 20 * pr.H1 * dS), 1, False)
    r = run_sgd(pr, w0.repeat(20000, 1), 10 * pr.H0, 20 * pr.H1, batch=1, eps=1e-300, seed=3, max_iter=4,
                record=True, device="cpu")
    gh = np.asarray(r.gap_history)
    se = gh.std(axis=1, ddof=1) / math.sqrt(gh.shape[1])
    assert np.all(np.abs(gh.mean(axis=1) - q) <= 5 * se + 1e-15)


def test_exact_check_flags_the_monotone_shortcut(monkeypatch) -> None:
    """With λ forced to 1 (what a monotone expected gap would give) the exact check fails on some instance."""
    orig = L.convex_last_iterate_constants

    def lam_one(*a, **k):
        G, D, _ = orig(*a, **k)
        return G, D, 1.0

    rng = np.random.default_rng(0)
    assert max(SL._exact_check(rng)[0] for _ in range(40)) <= 1 + 1e-9
    monkeypatch.setattr(SL.L, "convex_last_iterate_constants", lam_one)
    rng = np.random.default_rng(0)
    assert max(SL._exact_check(rng)[0] for _ in range(60)) > 1.01


def test_aiming_of_f_alone_lets_the_warm_up_step_raise_the_expected_distance() -> None:
    """The instance of theory.bounds.sgd's docstring: f_1 = w²(w − 1)², f_2 = w², interpolation at X* = {0},
    components (3, 50)-smooth, f aiming with θ = 3/2, and yet E[X⁺] > X at w = 0.888 (exact arithmetic)."""
    w = sp.Symbol("w", real=True)
    f1, f2 = w**2 * (w - 1) ** 2, w**2
    H0, H1 = 3, 50
    for fi in (f1, f2):   # |f_i''| <= H0 + H1 f_i: both polynomials positive (no real root, positive at 0)
        for sgn in (1, -1):
            poly = sp.Poly(H0 + H1 * fi - sgn * sp.diff(fi, w, 2), w)
            assert not sp.real_roots(poly) and poly.eval(0) > 0
    f = (f1 + f2) / 2
    aim = sp.Poly(sp.expand(sp.diff(f, w) * w - sp.Rational(3, 2) * f), w)   # = w²·(quadratic), >= 0
    quad = sp.Poly(sp.cancel(aim.as_expr() / w**2), w)
    assert quad.degree() == 2 and quad.discriminant() < 0 and quad.LC() > 0
    x = sp.Rational(888, 1000)
    nxt = [x - sp.diff(fi, w).subs(w, x) / (10 * H0 + 20 * H1 * fi.subs(w, x)) for fi in (f1, f2)]
    assert sp.diff(f1, w).subs(w, x) * x < 0                  # f_1 does not aim at 0 there
    assert sum(v**2 for v in nxt) / 2 - x**2 > 0               # E[dist(w⁺, X*)²] > dist(w, X*)²
