"""warmup_theory.theory.lemmas: gradient bound, comparison descent bound, safe step — against exact evaluation.

References are independent of the formulas under test: the cosh function evaluated
directly (closed form and central finite differences), mpmath at 50 digits for the
float path, scipy's brentq for the safe-step root, and random gallery members
(hand-derived constants, validated in test_closure.py) evaluated at w − η∇f(w).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from warmup_theory.proofs_checks.claims.smoothness import random_member
from warmup_theory.theory.lemmas import descent_bound, gradient_norm_bound, quadratic_descent_bound, safe_step_max

pos = st.floats(0.05, 5.0)


def cosh_fn(H0: float, H1: float):
    c, k = H0 / H1, math.sqrt(H1)
    # c(cosh(kx) − 1) written as 2c·sinh²(kx/2): no cancellation near the minimiser
    return (lambda x: 2 * c * math.sinh(k * x / 2) ** 2), (lambda x: c * k * math.sinh(k * x))


# ------------------------------------------------------------------ gradient_norm_bound
def test_gradient_bound_values_and_classical_limit():
    assert gradient_norm_bound(1.0, 0.0, 2.0) == pytest.approx(2.0)  # sqrt(2 L Δ)
    assert gradient_norm_bound(0.0, 4.0, 3.0) == pytest.approx(6.0)  # sqrt(H1) Δ
    assert gradient_norm_bound(0.0, 0.0, 5.0) == 0.0
    assert isinstance(gradient_norm_bound(1, 1, 1), float)


@settings(max_examples=40, deadline=None)
@given(H0=pos, H1=pos, x=st.floats(-6, 6))
def test_gradient_bound_tight_on_cosh_function_by_finite_differences(H0, H1, x):
    f, _ = cosh_fn(H0, H1)
    x = x / math.sqrt(H1)
    h = 1e-6 * max(1.0, abs(x))
    fd = (f(x + h) - f(x - h)) / (2 * h)  # central difference, independent of the closed-form f'
    bound = gradient_norm_bound(H0, H1, f(x))
    assert abs(fd) == pytest.approx(bound, rel=1e-6, abs=1e-8)


def test_gradient_bound_holds_on_random_members():
    rng = np.random.default_rng(1)
    for _ in range(300):
        mem = random_member(rng)
        w = mem.point(rng)
        g = float(np.linalg.norm(mem.grad(w)))
        assert g <= gradient_norm_bound(mem.H0, mem.H1, mem.f(w) - mem.f_star) * (1 + 1e-9) + 1e-12, mem.name


def test_gradient_bound_symbolic():
    H0, H1, D = sp.symbols("H0 H1 Delta", nonnegative=True)
    assert sp.simplify(gradient_norm_bound(H0, H1, D) ** 2 - (2 * H0 * D + H1 * D**2)) == 0


# ------------------------------------------------------------------ descent_bound
@settings(max_examples=60, deadline=None)
@given(H0=pos, H1=pos, x=st.floats(-5, 5), frac=st.floats(0, 3))
def test_descent_bound_exact_on_cosh_function(H0, H1, x, frac):
    f, d1 = cosh_fn(H0, H1)
    x = x / math.sqrt(H1)
    gap, g = f(x), d1(x)
    eta = frac / (H0 + H1 * gap)
    actual = f(x - eta * g)
    assert descent_bound(H0, H1, gap, abs(g), eta) == pytest.approx(actual, rel=1e-9, abs=1e-9 * (1 + gap))


def test_descent_bound_classical_is_exact_on_quadratic():
    # f = a w²/2 (L = a, H1 = 0): f(w − η a w) = Δ − ηg² + aη²g²/2 exactly
    for a, w, eta in [(2.0, 1.5, 0.1), (0.5, -3.0, 5.0), (1.0, 2.0, 2.0)]:
        gap, g = a * w * w / 2, abs(a * w)
        wp = w - eta * a * w
        assert descent_bound(a, 0.0, gap, g, eta) == pytest.approx(a * wp * wp / 2, rel=1e-12, abs=1e-14)


def test_descent_bound_continuous_in_H1_at_zero():
    classical = descent_bound(1.0, 0.0, 2.0, 1.5, 0.7)
    assert descent_bound(1.0, 1e-12, 2.0, 1.5, 0.7) == pytest.approx(classical, rel=1e-10)
    assert descent_bound(1.0, 1e-3, 2.0, 1.5, 0.7) == pytest.approx(classical, rel=1e-2)


@settings(max_examples=60, deadline=None)
@given(H0=st.floats(0, 5), H1=st.floats(1e-6, 5), gap=st.floats(1e-6, 50), frac=st.floats(1e-3, 1), t=st.floats(0, 40))
def test_descent_bound_float_path_matches_mpmath(H0, H1, gap, frac, t):
    g = frac * math.sqrt(2 * H0 * gap + H1 * gap * gap)
    if g == 0.0:
        return
    eta = t / (math.sqrt(H1) * g)
    mpmath.mp.dps = 50
    c, k = mpmath.mpf(H0) / H1, mpmath.sqrt(H1)
    tt = k * eta * g
    ref = -c + (gap + c) * mpmath.cosh(tt) - (g / k) * mpmath.sinh(tt)
    got = descent_bound(H0, H1, gap, g, eta)
    scale = float(abs(gap + c) * mpmath.cosh(tt) * 1e-13 + 1e-13 * (gap + H0 * eta**2 * g * g + eta * g * g))
    assert abs(got - float(ref)) <= max(abs(float(ref)) * 1e-9, scale)


def test_descent_bound_cancellation_free_on_exp():
    # f = e^w: H0 = 0, H1 = 1, Δ = g; exact f(w − ηe^w) − 0 = Δ e^{−ηΔ}
    for delta, t in [(1.0, 30.0), (2.0, 300.0), (0.5, 5.0)]:
        eta = t / delta
        assert descent_bound(0.0, 1.0, delta, delta, eta) == pytest.approx(delta * math.exp(-t), rel=1e-9)


def test_descent_bound_overflow_is_inf():
    assert descent_bound(1.0, 1.0, 1.0, 0.5, 1e5) == math.inf


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10**6), frac=st.floats(0, 8))
def test_descent_bound_upper_bounds_random_members(seed, frac):
    rng = np.random.default_rng(seed)
    mem = random_member(rng)
    w = mem.point(rng)
    gvec = mem.grad(w)
    gap, g = mem.f(w) - mem.f_star, float(np.linalg.norm(gvec))
    L = mem.H0 + mem.H1 * gap
    eta = frac / L if L > 0 else frac
    actual = mem.f(w - eta * gvec) - mem.f_star
    assert actual <= descent_bound(mem.H0, mem.H1, gap, g, eta) + 1e-9 * (1 + abs(actual)), mem.name


def test_descent_bound_symbolic_forms():
    H0, H1, D, g, e = sp.symbols("H0 H1 Delta g eta", positive=True)
    expr = descent_bound(H0, H1, D, g, e)
    val = expr.subs({H0: 2, H1: sp.Rational(1, 2), D: 3, g: 1, e: sp.Rational(1, 4)})
    assert float(val) == pytest.approx(descent_bound(2.0, 0.5, 3.0, 1.0, 0.25), rel=1e-12)
    assert descent_bound(H0, 0, D, g, e) == D - e * g**2 + H0 * e**2 * g**2 / 2


# ------------------------------------------------------------------ safe step
@settings(max_examples=40, deadline=None)
@given(H0=pos, H1=pos, gap=st.floats(0.01, 20), frac=st.floats(0.01, 0.999))
def test_safe_step_is_root_of_descent_bound(H0, H1, gap, frac):
    g = frac * gradient_norm_bound(H0, H1, gap)
    em = safe_step_max(H0, H1, gap, g)
    L = H0 + H1 * gap
    assert em >= 2 / L * (1 - 1e-12)
    root = brentq(lambda e: descent_bound(H0, H1, gap, g, e) - gap, 0.5 * em, 2 * em, xtol=1e-14, rtol=1e-12)
    assert root == pytest.approx(em, rel=1e-7)
    assert descent_bound(H0, H1, gap, g, 0.5 * em) < gap < descent_bound(H0, H1, gap, g, 1.5 * em)


def test_safe_step_classical_and_limits():
    assert safe_step_max(2.0, 0.0, 1.0, 1.0) == pytest.approx(1.0)  # 2/L
    assert safe_step_max(2.0, 1.0, 0.0, 0.0) == pytest.approx(1.0)  # g = 0: 2/(H0 + H1Δ)
    assert safe_step_max(0.0, 1.0, 2.0, 2.0) == math.inf  # exp: every step descends
    assert safe_step_max(0.0, 0.0, 0.0, 0.0) == math.inf
    assert safe_step_max(1.0, 1.0, 1.0, 1e-12) == pytest.approx(1.0, rel=1e-9)


def test_quadratic_descent_bound_on_random_members():
    rng = np.random.default_rng(3)
    for _ in range(300):
        mem = random_member(rng)
        w = mem.point(rng)
        gvec = mem.grad(w)
        gap, g = mem.f(w) - mem.f_star, float(np.linalg.norm(gvec))
        em = safe_step_max(mem.H0, mem.H1, gap, g)
        eta = rng.uniform(0, 1) * (em if math.isfinite(em) else 10.0)
        actual = mem.f(w - eta * gvec) - mem.f_star
        qb = quadratic_descent_bound(mem.H0, mem.H1, gap, g, eta)
        assert actual <= qb + 1e-9 * (1 + abs(actual)), mem.name
        assert actual <= gap + 1e-9 * (1 + gap), mem.name


def test_quadratic_descent_bound_rejects_unsafe_step():
    em = safe_step_max(1.0, 1.0, 1.0, 1.0)
    quadratic_descent_bound(1.0, 1.0, 1.0, 1.0, em)
    with pytest.raises(ValueError, match="eta"):
        quadratic_descent_bound(1.0, 1.0, 1.0, 1.0, 1.01 * em)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("fn,args", [
    (gradient_norm_bound, (1.0, 1.0, 1.0)),
    (descent_bound, (1.0, 1.0, 1.0, 0.5, 0.1)),
    (safe_step_max, (1.0, 1.0, 1.0, 0.5)),
    (quadratic_descent_bound, (1.0, 1.0, 1.0, 0.5, 0.1)),
])
def test_bad_inputs_name_the_argument(fn, args):
    names = ["H0", "H1", "gap", "grad_norm", "eta"][: len(args)]
    for i, name in enumerate(names):
        for bad in (-1.0, float("nan"), float("inf")):
            a = list(args)
            a[i] = bad
            with pytest.raises(ValueError, match=name):
                fn(*a)
        a = list(args)
        a[i] = "x"
        with pytest.raises(TypeError, match=name):
            fn(*a)
        a[i] = True
        with pytest.raises(TypeError, match=name):
            fn(*a)


def test_grad_norm_above_gradient_bound_is_rejected():
    with pytest.raises(ValueError, match="grad_norm"):
        descent_bound(1.0, 1.0, 1.0, 2.0, 0.1)  # bound is sqrt(3)
    with pytest.raises(ValueError, match="grad_norm"):
        safe_step_max(1.0, 0.0, 0.0, 0.1)


def test_provably_negative_symbols_are_rejected():
    neg = sp.Symbol("n", negative=True)
    pos_ = sp.Symbol("p", positive=True)
    with pytest.raises(ValueError, match="H0"):
        gradient_norm_bound(neg, pos_, pos_)
    with pytest.raises(ValueError, match="eta"):
        descent_bound(pos_, pos_, pos_, pos_, neg)
    with pytest.raises(ValueError, match="grad_norm"):
        safe_step_max(pos_, pos_, pos_, neg)
