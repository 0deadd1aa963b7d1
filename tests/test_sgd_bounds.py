"""SGD bounds (theory.bounds.sgd) and the no-interpolation witness: closed forms, an independent mpmath route,
input checks, and the deterministic limit B = n."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.theory import stochastic_witness as SW
from warmup_theory.theory.bounds import (
    aiming_adaptive_iterations,
    sgd_aiming_adaptive_iterations,
    sgd_pl_adaptive_iterations,
    sgd_pl_fixed_iterations,
)
from warmup_theory.theory.bounds.sgd_common import distance_for_gap, gap_from_distance, sgd_sample_ratio

pos = st.floats(0.05, 20.0)


@settings(max_examples=60, deadline=None)
@given(pos, st.one_of(st.just(0.0), st.floats(1e-6, 5.0)), pos, st.floats(1e-4, 1.0), st.integers(1, 8),
       st.integers(0, 8))
def test_pl_adaptive_matches_an_mpmath_evaluation(h0: float, h1: float, mu: float, eps: float, B: int,
                                                  extra: int) -> None:
    n, gap0 = B + extra, 3.0
    got = sgd_pl_adaptive_iterations(h0, h1, mu, gap0, eps, batch=B, n=n)
    with mpmath.workdps(50):
        X0 = 2 * mpmath.mpf(gap0) / mu
        xe = (mpmath.acosh(1 + mpmath.mpf(h1) * eps / h0) ** 2 / h1) if h1 > 0 else 2 * mpmath.mpf(eps) / h0
        c = 2 - max(2 / mpmath.mpf(10), 1 / mpmath.mpf(20))
        K = 20 * h0 / (c * mu) * (1 + mpmath.log(X0 / xe)) + 20 * h1 * (mpmath.mpf(n) / B) * X0 / c
    want = 0.0 if X0 <= xe else float(mpmath.ceil(K))
    assert abs(got - want) <= 1  # ceil of values equal to ~1e-15 relative


def test_full_batch_is_the_deterministic_theorem_and_batches_cost_more() -> None:
    assert sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 2.0, 1e-3, batch=6, n=6) == aiming_adaptive_iterations(
        1.0, 1.0, 1.0, 2.0, 1e-3)
    ks = [sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 2.0, 1e-3, batch=b, n=6) for b in (6, 3, 1)]
    assert ks == sorted(ks) and ks[0] < ks[-1]
    assert sgd_sample_ratio(2, 6, replacement=True) == 6.0
    e_bound = sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8)
    d = sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=2, n=8, delta=0.1)
    assert 10 * (e_bound - 1) < d <= 10 * e_bound   # Markov: ceil(K_E/δ)


def test_fixed_step_is_multiplicative_in_h1_gap0_and_adaptive_is_not() -> None:
    fix = [sgd_pl_fixed_iterations(1.0, 1.0, 1.0, g, 1e-3, batch=1, n=4) for g in (1.0, 20.0)]
    ada = [sgd_pl_adaptive_iterations(1.0, 1.0, 1.0, g, 1e-3, batch=1, n=4) for g in (1.0, 20.0)]
    assert ada[1] / ada[0] < 20 and fix[1] / fix[0] > 5 * ada[1] / ada[0]  # additive in H1·gap0 vs e^{√(H1X0)}


def test_symbolic_forms_evaluate_to_the_floats() -> None:
    h0, h1, m, g, e = sp.symbols("H0 H1 mu Delta0 epsilon", positive=True)
    vals = {h0: 1.5, h1: 0.7, m: 0.3, g: 2.0, e: 1e-3}
    for fn in (sgd_pl_adaptive_iterations, sgd_pl_fixed_iterations):
        ex = fn(h0, h1, m, g, e, batch=2, n=5)
        assert float(ex.subs(vals)) == pytest.approx(fn(1.5, 0.7, 0.3, 2.0, 1e-3, batch=2, n=5), abs=1)
    assert gap_from_distance(2.0, 3.0, distance_for_gap(2.0, 3.0, 0.25)) == pytest.approx(0.25, rel=1e-12)
    assert math.isinf(gap_from_distance(1.0, 1.0, 1e7))


@pytest.mark.parametrize("kw, match", [
    (dict(batch=5, n=4), "batch must be in"), (dict(batch=0, n=4), "batch must be an integer"),
    (dict(batch=1, n=4, delta=1.0), "delta must be in"), (dict(batch=1, n=4, delta=0.0), "delta must be in"),
    (dict(batch=1, n=4, a=1.0), "theta must be >"), (dict(batch=1, n=0), "n must be an integer"),
])
def test_bad_input_names_the_argument(kw: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sgd_pl_adaptive_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, **kw)


def test_bad_fixed_step_and_nan() -> None:
    with pytest.raises(ValueError, match="eta must be in"):
        sgd_pl_fixed_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, batch=1, n=4, eta=10.0)
    with pytest.raises(ValueError, match="eps"):
        sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, float("nan"), batch=1, n=4)


def test_witness_closed_forms() -> None:
    s, a = 1.5, 10
    F = 1 / (2 * a - 1)
    assert SW.exact_floor(s, a) == pytest.approx(s * F / 2)
    assert SW.exact_expected_gap(s, a, 200, 2.0) == pytest.approx(SW.exact_floor(s, a), rel=1e-12)
    w = SW.no_interpolation_witness(s, 1.0)
    assert w.step_undefined and w.floor_lower is None
    assert SW.floor_lower_bound(s, 0.0) <= SW.exact_floor(s, 10)
    with pytest.raises(ValueError, match="H1 must be in"):
        SW.floor_lower_bound(1.0, 2.0)


def test_guarantee_keeps_the_default_and_adds_the_expected_gap_counts() -> None:
    h0, h1, mu, eps, B, n = 1.0, 1.0, 0.5, 1e-3, 2, 8
    for fn in (sgd_pl_adaptive_iterations, sgd_pl_fixed_iterations):
        assert fn(h0, h1, mu, 1.0, eps, batch=B, n=n) == fn(h0, h1, mu, 1.0, eps, batch=B, n=n, guarantee="hitting")
    assert sgd_pl_adaptive_iterations(h0, h1, mu, 1.0, eps, batch=B, n=n) == 369.0   # today's value, unchanged
    got = sgd_pl_adaptive_iterations(h0, h1, mu, 1.0, eps, batch=B, n=n, guarantee="expected-gap")
    with mpmath.workdps(50):   # independent route: G = h(X0) by cosh, r = cμ/(2aH0 + bH1MμX0), X0 = 2·gap0/μ
        X0 = 2 / mpmath.mpf(mu)
        G = (mpmath.cosh(mpmath.sqrt(h1 * X0)) - 1) * h0 / h1
        r = (2 - mpmath.mpf(1) / 5) * mu / (20 * h0 + 20 * h1 * (n / B) * mu * X0)
        want = float(mpmath.ceil(mpmath.log(G / eps) / -mpmath.log(1 - r)))
        eta = 1 / (2 * h0 + h1 * G)
        rho = 1 - eta * (2 - eta * (2 * h0 + h1 * G)) * mu / 2
        want_fixed = float(mpmath.ceil(mpmath.log(G / eps) / -mpmath.log(rho)))
    assert got == want
    assert sgd_pl_fixed_iterations(h0, h1, mu, 1.0, eps, batch=B, n=n, guarantee="expected-gap") == want_fixed
    ri = sgd_aiming_adaptive_iterations(2.0, 0.0, 1.0, 1.5, 1e-2, batch=1, n=3, guarantee="random-iterate")
    assert ri == math.ceil(1.5**2 * 10 * 2.0 / (1.8 * 1e-2))     # H1 = 0: X0·a·H0/(c·ε)


@pytest.mark.parametrize("fn, kw, match", [
    (sgd_pl_adaptive_iterations, dict(guarantee="expected-gap", delta=0.1), "delta applies to guarantee='hitting'"),
    (sgd_pl_adaptive_iterations, dict(guarantee="random-iterate"), "guarantee must be one of"),
    (sgd_pl_fixed_iterations, dict(guarantee="last"), "guarantee must be one of"),
])
def test_bad_guarantee_names_the_argument(fn, kw: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fn(1.0, 1.0, 0.5, 1.0, 1e-3, batch=1, n=4, **kw)
    with pytest.raises(ValueError, match="not proved under aiming alone"):
        sgd_aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-3, batch=1, n=4, guarantee="expected-gap")


@settings(max_examples=40, deadline=None)
@given(st.floats(0.1, 5.0), st.floats(1e-3, 2.0), st.floats(0.05, 2.0), st.floats(1e-4, 0.5), st.integers(1, 6),
       st.integers(0, 6), st.booleans())
def test_random_iterate_count_at_positive_H1_matches_an_mpmath_evaluation(h0: float, h1: float, d: float, eps: float,
                                                                          B: int, extra: int, repl: bool) -> None:
    """The table's gap_bound on rows without PL: ceil(X0(aH0 + bH1·M·G)/(cε)), G = (H0/H1)(cosh√(H1X0) − 1) by
    cosh (the calculator uses the sinh² form), (a, b) = (10, 20), θ = 1: c = 1.8; 0 when G <= ε."""
    n = B + extra
    M = n if repl else n / B
    with mpmath.workdps(50):
        X0 = mpmath.mpf(d) ** 2
        G = h0 / mpmath.mpf(h1) * (mpmath.cosh(mpmath.sqrt(h1 * X0)) - 1)
        want = 0.0 if G <= eps else float(mpmath.ceil(X0 * (10 * h0 + 20 * h1 * M * G) / (mpmath.mpf("1.8") * eps)))
    got = sgd_aiming_adaptive_iterations(h0, h1, 1.0, d, eps, batch=B, n=n, replacement=repl,
                                         guarantee="random-iterate")
    assert abs(got - want) <= 1 + 1e-12 * want
