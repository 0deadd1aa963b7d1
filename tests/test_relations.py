"""warmup_theory.theory.relations: Prop B.1 and the toolkit's own (L0,L1) ⇒ (H0,H1) constants.

The (L0,L1) constants are checked on dense grids of (L0,L1)-smooth functions whose
(L0,L1) constants are derived by hand in each case (closed-form derivatives), and
compared with the true frontier where it is known in closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.relations import from_l0_l1, from_l_smooth


def test_from_l_smooth_values():
    assert from_l_smooth(3.0) == HSmooth(3.0, 0.0)
    L = sp.Symbol("L", nonnegative=True)
    assert from_l_smooth(L).H0 == L and from_l_smooth(L).H1 == 0


def test_from_l_smooth_on_logistic_and_logcosh_grid():
    x = np.linspace(-30, 30, 4001)
    sig = 1 / (1 + np.exp(-x))
    c = from_l_smooth(0.25)  # logistic: f'' = σ(1 − σ) <= 1/4
    assert np.all(sig * (1 - sig) <= c.bound(0.0) + 1e-15)
    c = from_l_smooth(1.0)  # log-cosh: f'' = sech² <= 1
    assert np.all(1 / np.cosh(x) ** 2 <= c.bound(0.0) + 1e-15)


def test_from_l0_l1_formula_and_default():
    c = from_l0_l1(1.0, 1.0)
    m = 2 * math.log(2) - 1
    assert c.H0 == pytest.approx(math.log(2) / m, rel=1e-14)
    assert c.H1 == pytest.approx(1 / m, rel=1e-14)
    assert from_l0_l1(2.0, 0.0) == HSmooth(2.0, 0.0)  # L1 = 0: L0-smooth, Prop B.1
    assert from_l0_l1(0.0, 3.0).H0 == 0.0


def test_from_l0_l1_tradeoff_in_x0():
    xs = np.linspace(0.05, 1.0, 20)
    H0 = [from_l0_l1(1.0, 1.0, x0=float(x)).H0 for x in xs]
    H1 = [from_l0_l1(1.0, 1.0, x0=float(x)).H1 for x in xs]
    assert all(a < b for a, b in zip(H0, H0[1:]))  # H0 grows with x0 (→ L0 as x0 → 0)
    assert all(a > b for a, b in zip(H1, H1[1:]))  # H1 falls with x0 (min at x0 = 1)
    assert from_l0_l1(1.0, 1.0, x0=1e-6).H0 == pytest.approx(1.0, rel=1e-5)


def _check(hn, val, star, c: HSmooth):
    rhs = c.H0 + c.H1 * (val - star)
    assert np.all(hn <= rhs * (1 + 1e-12) + 1e-12), float(np.max(hn - rhs))


@settings(max_examples=30, deadline=None)
@given(s=st.floats(0.1, 5), b=st.floats(0.1, 3), x0=st.floats(0.01, 1.0))
def test_from_l0_l1_never_violated_on_examples(s, b, x0):
    x = np.linspace(-10, 10, 2001) / b
    # s e^{bx}: f' = s b e^{bx}, f'' = b·f' → (L0, L1) = (0, b); f* = 0
    e = s * np.exp(b * x)
    _check(b * b * e, e, 0.0, from_l0_l1(0.0, b, x0=x0))
    # s(cosh(bx) − 1): f'' = s b² cosh <= s b² + b·|s b sinh| → (s b², b); f* = 0
    _check(s * b * b * np.cosh(b * x), 2 * s * np.sinh(b * x / 2) ** 2, 0.0, from_l0_l1(s * b * b, b, x0=x0))
    # logistic s log(1 + e^{−bx}): f'' = s b² σ(1 − σ) <= b·|f'| = b·s b σ(−bx) → (0, b); f* = 0
    sig = 1 / (1 + np.exp(-b * x))
    _check(s * b * b * sig * (1 - sig), s * np.logaddexp(0, -b * x), 0.0, from_l0_l1(0.0, b, x0=x0))
    # log-cosh s log cosh(bx): f'' = s b² sech² <= s b² → (s b², L1) for any L1 >= 0
    lc = s * (np.abs(b * x) + np.log1p(np.exp(-2 * np.abs(b * x))) - math.log(2))
    _check(s * b * b / np.cosh(b * x) ** 2, lc, 0.0, from_l0_l1(s * b * b, 0.5, x0=x0))


def test_from_l0_l1_two_dimensional_exp_sum():
    # f = e^{w1} + e^{w2}: ‖∇²f‖ = max e^{wi} <= ‖∇f‖ → (L0, L1) = (0, 1); f* = 0
    g = np.linspace(-12, 6, 181)
    W1, W2 = np.meshgrid(g, g)
    val = np.exp(W1) + np.exp(W2)
    hn = np.maximum(np.exp(W1), np.exp(W2))
    for x0 in (0.1, 0.5, 1.0):
        _check(hn, val, 0.0, from_l0_l1(0.0, 1.0, x0=x0))


def test_from_l0_l1_not_below_known_frontier():
    # e^w is (0,1)-(L0,L1)-smooth and its minimal H1 at H0 = 0 is exactly 1 (f'' = f)
    assert from_l0_l1(0.0, 1.0).H1 >= 1.0
    # s(cosh(bx) − 1) with s b² = 1, b = 1: exact frontier φ(H1) = sup(cosh x − H1(cosh x − 1)) = 1 for H1 >= 1
    c = from_l0_l1(1.0, 1.0)
    assert c.H1 >= 1.0 and c.H0 >= 1.0


def test_from_l0_l1_symbolic():
    L0, L1 = sp.symbols("L0 L1", nonnegative=True)
    c = from_l0_l1(L0, L1)
    m = 2 * sp.log(2) - 1
    assert sp.simplify(c.H0 - L0 * sp.log(2) / m) == 0
    assert sp.simplify(c.H1 - L1**2 / m) == 0
    x0 = sp.Symbol("x0", positive=True)
    assert sp.simplify(from_l0_l1(1, 1, x0=x0).H1 - 1 / (2 * sp.log(1 + x0) - x0)) == 0


@pytest.mark.parametrize("kwargs,name", [
    (dict(L0=-1.0, L1=1.0), "L0"), (dict(L0=1.0, L1=-1.0), "L1"), (dict(L0=float("nan"), L1=1.0), "L0"),
    (dict(L0=1.0, L1=1.0, x0=0.0), "x0"), (dict(L0=1.0, L1=1.0, x0=1.5), "x0"),
])
def test_from_l0_l1_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        from_l0_l1(**kwargs)


def test_bad_types():
    with pytest.raises(TypeError, match="L"):
        from_l_smooth("1")
    with pytest.raises(ValueError, match="L"):
        from_l_smooth(-1.0)
    with pytest.raises(TypeError, match="L1"):
        from_l0_l1(1.0, None)
