"""Regression (issue 15, hostile test): fixed-step PL counts at extreme ratios are exact, never short, never a crash.

Reference: K is the smallest integer with gap0·ρ^K <= eps, ρ = 1 − 2μη(1 − L0η/2), checked with mpmath at
400 digits using log(1 − x) directly (no log1p, unlike the implementation), so 1 − x is represented exactly.
"""

from __future__ import annotations

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.theory.bounds import pl_fixed_iterations
from warmup_theory.theory.bounds.pl import pl_lower_bound_witness


def _is_minimal(K: float, H0: float, H1: float, mu: float, gap0: float, eps: float) -> bool:
    with mpmath.workdps(400):
        L0 = mpmath.mpf(H0) + mpmath.mpf(H1) * mpmath.mpf(gap0)
        eta = 1 / L0
        rho = 1 - 2 * mpmath.mpf(mu) * eta * (1 - L0 * eta / 2)
        target = mpmath.log(mpmath.mpf(eps)) - mpmath.log(mpmath.mpf(gap0))
        k = mpmath.mpf(K)
        # float(K) may round a count above 2**53; allow that one rounding, nothing more
        slack = abs(k) * mpmath.mpf(2) ** -52 + 1
        return bool(k * mpmath.log(rho) <= target + slack * abs(mpmath.log(rho))
                    and (k - slack) * mpmath.log(rho) > target)


@pytest.mark.parametrize(("args", "want"), [
    ((1.0, 1e6, 0.5, 1e9, 1e-3), 5.526204223185714e16),  # the float formula gave 4.978e16 (9.9 % short)
    ((1.0, 1.0, 0.5, 1e11, 1e-3), 6447238260432.0),  # the float formula was 533,509 iterations short
])
def test_issue_examples_are_exact(args: tuple[float, ...], want: float) -> None:
    got = pl_fixed_iterations(*args)
    assert got == pytest.approx(want, rel=1e-15)
    assert _is_minimal(got, *args)


@pytest.mark.parametrize("args", [(1e300, 1.0, 0.5, 10.0, 1e-3), (1.0, 1e300, 0.5, 10.0, 1e-3),
                                  (1.0, 1.0, 0.5, 1e300, 1e-3)])
def test_huge_inputs_give_a_finite_correct_count_not_zero_division(args: tuple[float, ...]) -> None:
    got = pl_fixed_iterations(*args)
    assert math.isfinite(got) and got > 1e290
    assert _is_minimal(got, *args)


@settings(max_examples=60, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 12), st.floats(0.01, 0.99), st.floats(-2, 12), st.floats(-12, -1))
def test_count_is_the_minimal_k_over_extreme_ratios(lh0: float, lh1: float, frac: float, lg: float,
                                                    le: float) -> None:
    H0, H1, gap0, eps = 10**lh0, 10**lh1, 10**lg, 10**le
    mu = frac * H0
    K = pl_fixed_iterations(H0, H1, mu, gap0, eps)
    if gap0 <= eps:
        assert K == 0
    else:
        assert _is_minimal(K, H0, H1, mu, gap0, eps)


def test_witness_exact_count_for_a_tiny_step() -> None:
    eta, mu, gap0, eps = 1e-17, 0.5, 1.0, 0.5  # 1 − ημ rounds to 1 in floats
    wt = pl_lower_bound_witness(1.0, 1.0, mu, gap0, eta, eps)
    with mpmath.workdps(100):
        want = mpmath.ceil(mpmath.log(2) / (-2 * mpmath.log(1 - mpmath.mpf(eta) * mpmath.mpf(mu))))
    assert wt.exact_iterations == float(want)


def _mp(x: float) -> mpmath.mpf:
    return mpmath.mpf(x)


@settings(max_examples=80, deadline=None)
@given(st.floats(-300, 300), st.floats(-300, 300), st.floats(-300, 300))
def test_instability_steps_and_starts_match_mpmath_from_1e_minus_300_to_1e300(lh0: float, lh1: float,
                                                                              lg: float) -> None:
    from warmup_theory.theory.bounds.steps import cosh_instability_step, hard_instability_step
    from warmup_theory.theory.hard_functions import cosh_start, pl_hard_start

    H0, H1, gap0 = 10**lh0, 10**lh1, 10**lg
    with mpmath.workdps(60):
        q = _mp(H1) * _mp(gap0) / _mp(H0)
        x = mpmath.acosh(1 + q) if q > mpmath.mpf(10) ** -30 else mpmath.sqrt(2 * q)
        sh = mpmath.sinh(x)
        ref_step = 2 * x / (_mp(H0) * sh) if q > 0 else 2 / _mp(H0)
        ref_start = x / mpmath.sqrt(_mp(H1))
        u = _mp(H1) * _mp(gap0)
        mu = _mp(H0)
        ref_hard = 2 / mu if u <= mu / 2 else 2 * (1 + mpmath.log(u / mu + mpmath.mpf(1) / 2)) / (u + mu / 2)
        ref_hstart = (mpmath.sqrt(2 * _mp(gap0) / mu) if u <= mu / 2
                      else (1 + mpmath.log(u / mu + mpmath.mpf(1) / 2)) / mpmath.sqrt(_mp(H1)))
    for got, ref in ((cosh_instability_step(H0, H1, gap0), ref_step), (cosh_start(H0, H1, gap0), ref_start),
                     (hard_instability_step(H1, H0, gap0), ref_hard), (pl_hard_start(H1, H0, gap0), ref_hstart)):
        assert not math.isnan(got)
        if ref > mpmath.mpf("1e-300") and ref < mpmath.mpf("1e300"):
            assert got == pytest.approx(float(ref), rel=1e-9)


def test_counts_past_the_float_range_are_inf_not_overflow_errors() -> None:
    from warmup_theory.theory.bounds import aiming_adaptive_iterations, aiming_fixed_iterations
    from warmup_theory.theory.lemmas import gradient_norm_bound

    assert aiming_adaptive_iterations(1, 1, 1, 1e300, 1e-3) == math.inf
    assert aiming_fixed_iterations(1, 1, 1, 10, 1e300, 1e-3) == math.inf
    assert gradient_norm_bound(2, 1, 1e300) == pytest.approx(1e300, rel=1e-12)
    assert gradient_norm_bound(2.0, 1.0, 3.0) == math.sqrt(21.0)
