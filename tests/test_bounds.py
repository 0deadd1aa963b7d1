"""warmup_theory.theory.bounds / hard_functions / regime: edge cases, monotonicity, float-vs-sympy,
witnesses, bad input.

Reference values come from independent routes: hand-evaluated closed forms (math.log), float64 GD runs
on the 1-D members, and the exact geometric count on the quadratic.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.theory import bounds as B
from warmup_theory.theory.hard_functions import (
    cosh_function,
    cosh_start,
    pl_hard_function,
    pl_hard_numeric,
    pl_hard_start,
)
from warmup_theory.theory.regime import pl_crossover_log10_eps, regime_map

pos = st.floats(0.05, 5.0)
gaps = st.floats(1e-3, 1e3)
epss = st.floats(1e-8, 1.0)


# ------------------------------------------------------------------ step sizes
def test_adaptive_step_eq1_and_family():
    assert B.adaptive_step(1.0, 1.0, 0.5) == 1 / (10 + 10)
    assert B.adaptive_step_family(2.0, 1.0, 1.0, 1, 1) == pytest.approx(1 / 3)
    assert B.adaptive_step(0.0, 2.0, 1.0) == 1 / 40  # H0 = 0, H1 > 0
    assert B.adaptive_step(3.0, 0.0, 7.0) == 1 / 30  # H1 = 0: classical 1/(10L)
    with pytest.raises(ValueError, match="gap"):
        B.adaptive_step(0.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="H0 and H1"):
        B.adaptive_step(0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="a must be"):
        B.adaptive_step_family(1.0, 1.0, 1.0, 0.5, 2)
    with pytest.raises(ValueError, match="b must be"):
        B.adaptive_step_family(1.0, 1.0, 1.0, 2, 0.4)


def test_family_region_and_best():
    assert B.adaptive_family_admissible(0.51, 0.51) and not B.adaptive_family_admissible(0.5, 1)
    assert B.BEST_ADAPTIVE_FAMILY == (1, 1)
    best = B.adaptive_family_rate(*B.BEST_ADAPTIVE_FAMILY)
    assert best == pytest.approx(2 / 3)
    for a in (0.6, 0.9, 1.1, 2, 10):
        for b in (0.6, 1, 3, 20):
            assert B.adaptive_family_rate(a, b) <= best + 1e-15
    a, b = sp.symbols("a b", positive=True)
    assert isinstance(B.adaptive_family_admissible(a, b), sp.And)


def test_fixed_step_bracket():
    # certified stable 2/L0 <= instability threshold on the witness members
    for args in [(1.0, 1.0, 0.5, 10.0), (2.0, 0.1, 1.0, 1.0), (1.0, 3.0, 0.01, 1e4)]:
        lo = B.pl_fixed_step(*args)
        hi = B.pl_fixed_step_upper(*args)
        assert lo == 2 / (args[0] + args[1] * args[3])
        assert lo <= hi
    assert B.aiming_fixed_step(1.0, 1.0, 1.0, 1.0) == 1.0
    assert B.pl_fixed_step_upper(1.0, 1.0, 2.0, 1.0) == math.inf  # mu > H0: class has only constants
    assert B.aiming_fixed_step_upper(1.0, 1.0, 3.0, 1.0) == math.inf  # theta > 2: no witness member
    assert B.cosh_instability_step(2.0, 0.0, 5.0) == 1.0  # H1 = 0: 2/H0


@given(h0=pos, h1=pos, gap0=gaps)
@settings(max_examples=40, deadline=None, derandomize=True)
def test_cosh_instability_step_is_exact(h0, h1, gap0):
    e = B.cosh_instability_step(h0, h1, gap0)
    c, k = h0 / h1, math.sqrt(h1)
    x0 = cosh_start(h0, h1, gap0)
    x1 = x0 - e * c * k * math.sinh(k * x0)
    assert x1 == pytest.approx(-x0, rel=1e-7, abs=1e-9)


# ------------------------------------------------------------------ Thm 4.3
def test_pl_adaptive_closed_form_and_edges():
    # hand evaluation: T = 0.5, phase 1 ceil(9.5*80) = 760, phase 2 ceil(40 log(500)) = 249
    assert B.pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 1e-3) == 760 + math.ceil(40 * math.log(500))
    assert B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 0.2) == 0.0  # gap0 <= eps
    assert B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.2, 0.2) == 0.0
    assert B.pl_adaptive_iterations(2.0, 0.0, 1.0, 1.0, 1e-2) == math.ceil(40 * math.log(100))  # H1 = 0
    assert B.pl_adaptive_iterations(0.0, 1.0, 0.5, 2.0, 1e-3) == math.ceil((2 - 1e-3) * 80)  # H0 = 0
    # eps above the phase threshold T = 0.5: phase 1 only, down to eps
    assert B.pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 2.0) == math.ceil(8 * 80)
    # gap0 below T: phase 2 only, from gap0
    assert B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.3, 1e-3) == math.ceil(40 * math.log(300))


def test_pl_adaptive_family():
    # (1,1): F = 2/3 -> phase 1 ceil(9.5*2/(F*0.5)) = 57, phase 2 ceil(log(500)/(F*0.5)) = 19
    assert B.pl_adaptive_family_iterations(1.0, 1.0, 0.5, 10.0, 1e-3) == 57 + math.ceil(3 * math.log(500))
    assert B.pl_adaptive_family_iterations(1.0, 1.0, 0.5, 0.1, 0.2) == 0.0
    assert B.pl_adaptive_family_iterations(2.0, 0.0, 1.0, 1.0, 1e-2) == math.ceil(3 * math.log(100))
    for args in [(1.0, 1.0, 0.5, 10.0, 1e-3), (2.0, 0.3, 0.1, 100.0, 1e-6), (0.0, 1.0, 0.5, 3.0, 1e-2)]:
        assert B.pl_adaptive_family_iterations(*args, 10, 20) <= B.pl_adaptive_iterations(*args)
    S = sp.symbols("h0 h1 p d e", positive=True)
    v = (1.5, 0.7, 0.3, 12.0, 1e-4)
    assert float(B.pl_adaptive_family_iterations(*S).subs(dict(zip(S, v)))) == B.pl_adaptive_family_iterations(*v)
    with pytest.raises(ValueError, match="a must be"):
        B.pl_adaptive_family_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, 0.5, 1)


def test_pl_adaptive_printed_witness():
    val = B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 10.0, printed=True)
    assert val == pytest.approx(8 + 40 * math.log(1 / 20))
    assert val < 0 <= B.pl_adaptive_iterations(1.0, 1.0, 0.5, 0.1, 10.0)
    with pytest.raises(ValueError, match="printed"):
        B.pl_adaptive_iterations(1.0, 0.0, 0.5, 1.0, 1e-3, printed=True)


@given(h0=pos, h1=st.floats(0.0, 5.0), f=st.floats(0.05, 1.0), gap0=gaps, eps=epss, k=st.floats(1.0, 10.0))
@settings(max_examples=60, deadline=None, derandomize=True)
def test_pl_adaptive_monotone_nonneg(h0, h1, f, gap0, eps, k):
    mu = f * h0
    base = B.pl_adaptive_iterations(h0, h1, mu, gap0, eps)
    assert base >= 0 and float(base).is_integer()
    assert B.pl_adaptive_iterations(h0, h1, mu, gap0 * k, eps) >= base
    assert B.pl_adaptive_iterations(h0, h1, mu, gap0, eps / k) >= base
    assert B.pl_adaptive_iterations(h0, h1, mu / k, gap0, eps) >= base


@given(h0=pos, h1=pos, f=st.floats(0.1, 1.0), gap0=st.floats(1e-2, 30.0), eps=st.floats(1e-6, 1e-1))
@settings(max_examples=30, deadline=None, derandomize=True)
def test_recursion_between_gd_and_closed_form(h0, h1, f, gap0, eps):
    mu = f * h0
    up = B.pl_adaptive_iterations(h0, h1, mu, gap0, eps)
    rec = B.pl_adaptive_recursion_iterations(h0, h1, mu, gap0, eps)
    assert rec.converged and rec.iterations <= up
    # observed: GD with Eq. (1) on the cosh function (H0-PL, hence mu-PL)
    c, kk = h0 / h1, math.sqrt(h1)
    x = cosh_start(h0, h1, gap0)
    d, n = gap0, 0
    while d > eps:
        x -= B.adaptive_step(h0, h1, d) * c * kk * math.sinh(kk * x)
        d = c * (math.cosh(kk * x) - 1)
        n += 1
    assert n <= rec.iterations
    # best family is at least as good as Eq. (1) on the recursion
    assert B.pl_adaptive_recursion_iterations(h0, h1, mu, gap0, eps, a=1, b=1).iterations <= rec.iterations


# ------------------------------------------------------------------ fixed step, PL
def test_pl_fixed_upper_edges():
    assert B.pl_fixed_iterations(1.0, 0.0, 0.5, 1.0, 1e-3) == math.ceil(math.log(1e3) / -math.log(0.5))
    assert B.pl_fixed_iterations(1.0, 1.0, 0.5, 1e-3, 1e-3) == 0.0
    assert B.pl_fixed_iterations(1.0, 0.0, 1.0, 1.0, 1e-3) == 1.0  # rho = 0: one step
    with pytest.raises(ValueError, match="eta"):
        B.pl_fixed_iterations(1.0, 1.0, 0.5, 1.0, 1e-3, eta=1.0)  # 2/L0 = 1 excluded
    stuck = B.pl_fixed_recursion_iterations(1.0, 1.0, 0.5, 10.0, 1e-3, eta=2 / 11)  # eta = 2/L0: no decrease at gap0
    assert not stuck.converged and stuck.iterations == math.inf
    assert B.pl_fixed_recursion_iterations(1.0, 1.0, 0.5, 10.0, 1e-3).iterations <= B.pl_fixed_iterations(
        1.0, 1.0, 0.5, 10.0, 1e-3, eta=0.5 * 2 / 11)


def test_pl_fixed_lower_edges_and_witness():
    assert B.pl_fixed_lower_iterations(1.0, 1.0, 2.0, 100.0, 1e-6) == 0.0  # mu > H0
    assert B.pl_fixed_lower_iterations(1.0, 1.0, 0.5, 1e-6, 1e-6) == 0.0  # gap0 <= eps
    assert B.pl_fixed_lower_iterations(1.0, 0.0, 1.0, 1.0, 1e-6) == 1.0  # H1 = 0, z = 2: only 1 step forced
    with pytest.raises(ValueError, match="eta"):
        B.pl_fixed_lower_iterations(1.0, 1.0, 0.5, 10.0, 1e-3, eta=10.0)
    wt = B.pl_lower_bound_witness(1.0, 1.0, 0.05, 100.0, 0.05, eps=1e-6)
    # exact geometric count on the quadratic == GD count
    x, n = wt.w0, 0
    while 0.025 * x * x > 1e-6:
        x -= wt.eta * 0.05 * x
        n += 1
    assert n == wt.exact_iterations
    assert n >= B.pl_fixed_lower_iterations(1.0, 1.0, 0.05, 100.0, 1e-6, eta=0.05)
    assert wt.to_dict()["expr"] == "0.025*w**2"
    with pytest.raises(ValueError, match="mu"):
        B.pl_lower_bound_witness(1.0, 1.0, 2.0, 1.0, 0.1)


def test_pl_fixed_lower_printed_defect():
    # eta = 1/mu is certified stable here and reaches the minimiser in one step
    assert 1.0 <= B.pl_fixed_step(1.0, 1.0, 1.0, 0.5)
    printed = B.pl_fixed_lower_iterations(1.0, 1.0, 1.0, 0.5, 1e-6, printed=True, eta=1.0)
    assert printed == pytest.approx(math.log(0.5e6) / 2) and printed > 1
    f, df = pl_hard_numeric(1.0, 1.0)
    x0 = pl_hard_start(1.0, 1.0, 0.5)
    assert f(x0) == pytest.approx(0.5) and f(x0 - 1.0 * df(x0)) == 0.0
    assert B.pl_fixed_lower_iterations(1.0, 1.0, 1.0, 0.5, 1e-6, eta=1.0) <= 1


@given(h0=pos, h1=st.floats(0.0, 5.0), f=st.floats(0.001, 1.0), gap0=gaps, eps=epss)
@settings(max_examples=60, deadline=None, derandomize=True)
def test_fixed_lower_below_fixed_upper(h0, h1, f, gap0, eps):
    mu = f * h0
    L0 = h0 + h1 * gap0
    lo = B.pl_fixed_lower_iterations(h0, h1, mu, gap0, eps)
    lo_eta = B.pl_fixed_lower_iterations(h0, h1, mu, gap0, eps, eta=1 / L0)
    assert 0 <= lo <= lo_eta <= B.pl_fixed_iterations(h0, h1, mu, gap0, eps)
    assert B.pl_fixed_lower_iterations(h0, h1, mu, gap0, eps / 10) >= lo


# ------------------------------------------------------------------ aiming
def test_aiming_adaptive():
    assert B.aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2) == math.ceil(1020 / 1.8)
    assert B.aiming_adaptive_iterations(1.0, 1.0, 1.0, 0.0, 1e-2) == 0.0
    assert B.aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-2, gap0=1e-3) == 0.0
    assert B.aiming_adaptive_iterations(0.0, 1.0, 1.0, 2.0, 1e-9) == math.ceil(80 / 1.8)  # eps-free
    assert B.aiming_adaptive_iterations(1.0, 0.0, 1.0, 1.0, 1e-2) == math.ceil(1000 / 1.8)
    with pytest.raises(ValueError, match="theta"):
        B.aiming_adaptive_iterations(1.0, 1.0, 0.1, 1.0, 1e-2)


@given(h0=pos, h1=pos, th=st.floats(0.2, 2.0), gap0=st.floats(1e-2, 1e4), d0=st.floats(0.1, 3.0), eps=epss)
@settings(max_examples=50, deadline=None, derandomize=True)
def test_aiming_fixed_lower_below_upper(h0, h1, th, gap0, d0, eps):
    lo = B.aiming_fixed_lower_iterations(h0, h1, th, gap0, d0, eps)
    assert lo >= 0
    up = B.aiming_fixed_iterations(h0, h1, th, gap0, d0, eps)
    assert lo <= up or gap0 <= eps
    assert B.aiming_adaptive_iterations(h0, h1, th, d0 * 2, eps) >= B.aiming_adaptive_iterations(h0, h1, th, d0, eps)


@given(h0=pos, h1=pos, th=st.floats(0.11, 2.0), d0=st.floats(0.1, 3.0), eps=epss)
@settings(max_examples=40, deadline=None, derandomize=True)
def test_aiming_recursion_below_thm42(h0, h1, th, d0, eps):
    rec = B.aiming_adaptive_recursion_iterations(h0, h1, th, d0, eps)
    assert 0 <= rec <= B.aiming_adaptive_iterations(h0, h1, th, d0, eps)
    if th > 1:  # (a, b) = (1, 1): v(eps) <= 2, so theta > 1 is needed
        assert B.aiming_adaptive_recursion_iterations(h0, h1, th, d0, eps, a=1, b=1) >= 0


def test_aiming_recursion_edges():
    # works below theta = 1/10 where Thm 4.2's proof gives nothing
    assert B.aiming_adaptive_recursion_iterations(1.0, 1.0, 0.1, 1.0, 1e-2) == 346800.0
    with pytest.raises(ValueError, match="theta"):
        B.aiming_adaptive_recursion_iterations(1.0, 1.0, 0.09, 1.0, 1e-2)
    with pytest.raises(ValueError, match="a must be"):
        B.aiming_adaptive_recursion_iterations(1.0, 1.0, 1.0, 1.0, 1e-2, a=50, b=20)
    S = sp.symbols("h0 h1 th d e", positive=True)
    ex = B.aiming_adaptive_recursion_iterations(*S)
    v = (1.5, 0.3, 0.7, 2.0, 1e-3)
    assert float(ex.subs(dict(zip(S, v)))) == B.aiming_adaptive_recursion_iterations(*v)


def test_aiming_fixed_edges():
    # H1 = 0, θ = 1: default η = 1/L = 1 (sharp form): least K with 0.01K + 1e-4·(K(K−1)/4) >= 1/2 is 46
    assert B.aiming_fixed_iterations(1.0, 0.0, 1.0, 1.0, 1.0, 1e-2) == 46.0
    assert 0.01 * 45 + 1e-4 * 45 * 44 / 4 < 0.5 <= 0.01 * 46 + 1e-4 * 46 * 45 / 4
    assert B.aiming_fixed_lower_iterations(1.0, 1.0, 3.0, 100.0, 1.0, 1e-4) == 0.0  # theta > 2
    assert B.aiming_fixed_lower_iterations(0.0, 1.0, 1.0, 100.0, 1.0, 1e-4) == 0.0  # H0 = 0
    with pytest.raises(ValueError, match="eta"):
        B.aiming_fixed_iterations(1.0, 1.0, 0.1, 1.0, 1.0, 1e-2, eta=0.9)


# ------------------------------------------------------------------ floats vs sympy
SYMS = sp.symbols("h0 h1 p d e", positive=True)
CASES = [(1.5, 0.7, 0.3, 12.0, 1e-4), (1.0, 2.0, 0.9, 0.1, 1e-3), (2.0, 0.5, 1.0, 50.0, 3.0), (1.0, 1.0, 0.5, 0.2, 0.5)]


@pytest.mark.parametrize("fn", [B.pl_adaptive_iterations, B.pl_fixed_iterations])
@pytest.mark.parametrize("vals", CASES)
def test_float_sympy_agreement_pl(fn, vals):
    expr = fn(*SYMS)
    assert float(expr.subs(dict(zip(SYMS, vals)))) == fn(*vals)


@pytest.mark.parametrize("vals", CASES[:2])
def test_float_sympy_agreement_pl_lower(vals):
    fn = B.pl_fixed_lower_iterations
    expr = fn(*SYMS)
    assert float(expr.subs(dict(zip(SYMS, vals)))) == fn(*vals)


@pytest.mark.parametrize("vals", CASES)
def test_float_sympy_agreement_steps_aiming(vals):
    h0, h1, p, d, e = vals
    sub = dict(zip(SYMS, vals))
    assert float(B.adaptive_step(*SYMS[:2], SYMS[3]).subs(sub)) == pytest.approx(B.adaptive_step(h0, h1, d))
    assert float(B.pl_fixed_step_upper(*SYMS[:4]).subs(sub)) == pytest.approx(B.pl_fixed_step_upper(h0, h1, p, d))
    a = B.aiming_adaptive_iterations(h0, h1, p + 0.2, d, e)
    assert float(B.aiming_adaptive_iterations(SYMS[0], SYMS[1], SYMS[2] + 0.2, SYMS[3], SYMS[4]).subs(sub)) == a
    assert float(B.pl_adaptive_iterations(*SYMS, printed=True).subs(sub)) == pytest.approx(
        B.pl_adaptive_iterations(*vals, printed=True))


def test_float_sympy_agreement_aiming_lower():
    S = sp.symbols("h0 h1 th g d e", positive=True)
    ex = B.aiming_fixed_lower_iterations(*S)
    for v in [(1.0, 1.0, 1.0, 100.0, 1.0, 1e-4), (1.0, 1.0, 3.0, 100.0, 1.0, 1e-4)]:
        assert float(ex.subs(dict(zip(S, v)))) == B.aiming_fixed_lower_iterations(*v)


def test_h1_zero_symbolic_branch():
    h0, mu, d, e = sp.symbols("h0 mu d e", positive=True)
    ex = B.pl_adaptive_iterations(h0, 0, mu, d, e)
    assert ex.subs({h0: 2.0, mu: 1.0, d: 1.0, e: 1e-2}) == math.ceil(40 * math.log(100))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs,name", [
    ({"eps": 0.0}, "eps"), ({"eps": -1.0}, "eps"), ({"mu": 0.0}, "mu"), ({"H0": -1.0}, "H0"),
    ({"H1": float("nan")}, "H1"), ({"gap0": -0.1}, "gap0"), ({"mu": float("nan")}, "mu"),
])
def test_bad_inputs_pl(kwargs, name):
    args = {"H0": 1.0, "H1": 1.0, "mu": 0.5, "gap0": 1.0, "eps": 1e-3, **kwargs}
    for fn in (B.pl_adaptive_iterations, B.pl_fixed_iterations, B.pl_fixed_lower_iterations):
        with pytest.raises(ValueError, match=name):
            fn(**args)


def test_bad_inputs_aiming_and_types():
    with pytest.raises(ValueError, match="theta"):
        B.aiming_fixed_step(1.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="theta"):
        B.aiming_fixed_lower_iterations(1.0, 1.0, -1.0, 1.0, 1.0, 1e-3)
    with pytest.raises(ValueError, match="dist0"):
        B.aiming_adaptive_iterations(1.0, 1.0, 1.0, -1.0, 1e-3)
    with pytest.raises(TypeError):
        B.adaptive_step(1.0, 1.0, "x")


# ------------------------------------------------------------------ hard functions
def test_hard_function_checks():
    f, w = pl_hard_function(2, 1, 2)
    assert f.subs(w, 2) == 2 * sp.E - 1 and f.subs(w, 0) == 0
    with pytest.raises(ValueError, match="mu"):
        pl_hard_function(1.0, 1.0, 2.0)
    f0, w0 = pl_hard_function(1, 0, 1)
    assert f0 == w0**2 / 2
    g, wg = cosh_function(2, 1)
    assert sp.simplify(sp.diff(g, wg, 2) - (2 + g)) == 0
    fn, dfn = pl_hard_numeric(1.5, 0.8)
    for x in (-3.0, -0.5, 0.0, 0.3, 2.0):
        assert fn(x) == pytest.approx(float(pl_hard_function(1.0, 1.5, 0.8)[0].subs(w, x)))
    assert fn(pl_hard_start(1.5, 0.8, 7.0)) == pytest.approx(7.0)


# ------------------------------------------------------------------ regime map
def test_regime_map():
    m = regime_map(1.0, 1.0, 1.0, [1.0, 1e4], [1e-1, 1e-3], kind="aiming", dist0=1.0)
    d = m.to_dict()
    assert d["warmup_wins"] == [[False, False], [True, True]] and d["fraction_won"] == 0.5
    for i in range(2):
        for j in range(2):
            assert m.warmup_wins[i][j] == (m.adaptive_upper[i][j] < m.fixed_lower[i][j])
    with pytest.raises(ValueError, match="dist0"):
        regime_map(1.0, 1.0, 1.0, [1.0], [1e-3], kind="aiming")
    with pytest.raises(ValueError, match="kind"):
        regime_map(1.0, 1.0, 1.0, [1.0], [1e-3], kind="x")
    pm = regime_map(1.0, 1.0, 0.1, [1e4], [1e-3], kind="pl")
    assert pm.to_dict()["crossover_log10_eps"][0] == pytest.approx(pl_crossover_log10_eps(1.0, 1.0, 0.1, 1e4))


def test_crossover_is_a_real_separation():
    # just below eps* the proven counts separate; computed in log space through the affine forms
    h0, h1, mu, gap0 = 1.0, 1.0, 0.5, 1e5
    le = pl_crossover_log10_eps(h0, h1, mu, gap0)
    assert math.isfinite(le) and le < -300
    assert pl_crossover_log10_eps(1.0, 1.0, 1.0, 1.0) == -math.inf
