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
    # the values quoted in theory.bounds.sgd's docstring
    assert (g0, g_warm, g_fix) == (sp.Rational(1, 2), sp.Rational(96381, 192200), sp.Rational(4621, 7688))
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
    # the values quoted in theory.bounds.sgd's docstring: E[X⁺] − X = +0.00152, Δ_1 = 0.0099
    assert round(float(sum(v**2 for v in nxt) / 2 - x**2), 5) == 0.00152 and round(float(f1.subs(w, x)), 4) == 0.0099


def test_a_sympy_eta_is_range_checked_on_the_numeric_path() -> None:
    """Regression: eta = sp.Rational(3) > 2/G_f = 1 skipped the check and gave λ = −2, D < 0, a count of −2."""
    for e in (sp.Rational(3), sp.Integer(1), sp.Float(1.5)):
        with pytest.raises(ValueError, match="eta must be in"):
            L.sgd_convex_last_iterate_iterations(1.0, 0.0, 1.0, 1e-2, batch=1, n=2, eta=e)
        with pytest.raises(ValueError, match="eta must be in"):
            L.sgd_convex_last_iterate_gap(1.0, 0.0, 1.0, 3, batch=1, n=2, eta=e)
    half = L.sgd_convex_last_iterate_iterations(1.0, 0.3, 1.0, 1e-2, batch=1, n=2, eta=sp.Rational(1, 5))
    assert half == L.sgd_convex_last_iterate_iterations(1.0, 0.3, 1.0, 1e-2, batch=1, n=2, eta=0.2)
    assert isinstance(half, float)


@pytest.mark.parametrize("kw", [dict(a=-1.0), dict(b=0.25), dict(a=0.5, b=20)])
def test_warm_up_parameters_given_to_the_fixed_schedule_are_refused(kw: dict) -> None:
    """Regression: (a, b) were silently ignored (even a < 0) under schedule='fixed'."""
    with pytest.raises(ValueError, match="a and b apply to schedule='adaptive' only"):
        L.sgd_convex_last_iterate_iterations(1.0, 1.0, 1.0, 1e-2, batch=1, n=2, **kw)


def test_eta_at_and_below_its_upper_limit() -> None:
    G, _, _ = L.convex_last_iterate_constants(1.0, 0.5, 1.0)
    Gf = 2.0 + 0.5 * float(G)
    with pytest.raises(ValueError, match="eta must be in"):      # H1 = 0: G_f = 2H0 exactly, eta = 2/G_f
        L.convex_last_iterate_constants(1.0, 0.0, 1.0, eta=1.0)
    _, D, lam = L.convex_last_iterate_constants(1.0, 0.5, 1.0, eta=0.999999 * 2 / Gf)
    assert 0 < lam < 1e-5 and D > 1e5                             # valid, and the bound degrades to ~D
    assert L.sgd_convex_last_iterate_gap(1.0, 0.5, 1.0, 10**6, batch=1, n=2, eta=0.999999 * 2 / Gf) == float(G)


def test_horizon_accepts_numpy_integers_and_edges() -> None:
    G = float(L.convex_last_iterate_constants(1.0, 0.7, 1.3)[0])
    assert L.sgd_convex_last_iterate_gap(1.0, 0.7, 1.3, np.int64(0), batch=1, n=2) == pytest.approx(G, rel=1e-15)
    assert L.sgd_convex_last_iterate_iterations(1.0, 0.7, 1.3, G * (1 + 1e-12), batch=1, n=2) == 0.0  # G <= ε
    assert L.sgd_convex_last_iterate_iterations(1.0, 0.7, 1.3, G * (1 - 1e-9), batch=1, n=2) >= 1
    assert L.sgd_convex_last_iterate_iterations(1.0, 0.0, 0.0, 1e-9, batch=1, n=2) == 0.0          # start in X*


def test_warm_up_lambda_at_H1_zero_is_c_over_two() -> None:
    """λ = c·aH0/(2(aH0 + bH1G)) is c/2 = 1 − max(1/a, 1/(2b)) at H1 = 0, which is 1 − 1/a only when b >= a/2."""
    for a_, b_ in ((10.0, 20.0), (3.0, 1.0), (4.0, 0.6)):
        lam = float(L.convex_last_iterate_constants(2.0, 0.0, 1.0, schedule="adaptive", a=a_, b=b_)[2])
        assert lam == pytest.approx(1 - max(1 / a_, 1 / (2 * b_)), rel=1e-12)


def _scaled(factor_D: float, factor_lam: float):
    orig = L.convex_last_iterate_constants

    def f(*a, **k):
        G, D, lam = orig(*a, **k)
        return G, D * factor_D, min(lam * factor_lam, 1.0) if not isinstance(lam, sp.Basic) else lam * factor_lam
    return f


def test_pathwise_step_check_flags_constants_the_summed_check_misses(monkeypatch) -> None:
    """D 20 % too small or λ 5 % too large (capped at 1) passes the summed exact check on the same 60 instances,
    but the pathwise comparator step (tight for quadratic f_S of curvature H0) fails; unmutated it holds."""
    def both(n: int) -> tuple[float, float]:
        rng = np.random.default_rng(0)
        r = [SL._exact_ratios(rng) for _ in range(n)]
        return max(x for x, _ in r), max(y for _, y in r)

    summed, step = both(60)
    assert summed <= 1 + 1e-9 and step <= 1 + 1e-9
    for fD, fl in ((0.8, 1.0), (1.0, 1.05)):
        monkeypatch.setattr(SL.L, "convex_last_iterate_constants", _scaled(fD, fl))
        summed, step = both(60)
        assert summed <= 1 + 1e-9 < 1 + 1e-3 < step


def test_pathwise_step_check_flags_swapped_eta_bounds(monkeypatch) -> None:
    """Warm-up constants with the two pathwise bounds on η_t swapped (α = c/(aH0), β = 2/(aH0 + bH1G))."""
    orig = L.convex_last_iterate_constants

    def swapped(H0, H1, d, schedule="fixed", eta=None, a=None, b=None):
        G, D, lam = orig(H0, H1, d, schedule=schedule, eta=eta, a=a, b=b)
        if schedule != "adaptive":
            return G, D, lam
        c = 2 - max(2 / a, 1 / b)
        return G, d * d * a * H0 / c, min(1.0, c * (a * H0 + b * H1 * float(G)) / (2 * a * H0))

    monkeypatch.setattr(SL.L, "convex_last_iterate_constants", swapped)
    rng = np.random.default_rng(0)
    assert max(SL._step_check(rng)[0] for _ in range(60)) > 1.01


def test_comparator_excess_is_zero_for_gd_on_a_quadratic_of_curvature_H0() -> None:
    """n = 1 (B = 1: GD), f = ½H0·w², fixed η: the u = w_t step is an equality, η²‖g‖² = (β − α)·Δ; so the check
    has no slack there and any larger α or smaller β is flagged."""
    from warmup_theory.numerics.problems.finite_sum import FiniteSumProblem
    h0 = 2.5

    def components(W: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return 0.5 * h0 * W * W, (h0 * W)[:, :, None]

    pr = FiniteSumProblem(name="quadratic", dim=1, n=1, components=components, f_star=0.0, H0=h0, H1=0.0, mu=None,
                          theta=1.0, interpolation=True, minimiser_dist=lambda W: W.abs()[:, 0], provenance="test",
                          info={"c": [0.0]})
    w0 = torch.tensor([[1.7]], dtype=torch.float64)
    d0 = float(pr.minimiser_dist(w0)[0])
    eta = 0.3 / pr.H0
    _, D, lam = (float(v) for v in L.convex_last_iterate_constants(pr.H0, pr.H1, d0, eta=eta))
    levels, gaps, _ = SL._enumerate(pr, w0, 3, lambda dS: torch.full_like(dS, eta), 1, False)
    alpha = d0 * d0 / D
    assert abs(SL.comparator_excess(pr, levels, gaps, alpha, alpha / lam)) <= 1e-12
    assert SL.comparator_excess(pr, levels, gaps, alpha, 0.99 * alpha / lam) > 1e-4


def test_the_claim_fails_when_D_is_too_small(monkeypatch) -> None:
    from warmup_theory.proofs_checks.framework import registry, run_claim
    monkeypatch.setattr(SL.L, "convex_last_iterate_constants", _scaled(0.9, 1.0))
    res = run_claim(registry()["Thm SGD last iterate (convex f_i)"])
    assert res.verdict == "failed"
